"""`campaign-studio stats CAMPAIGN --db DB [--json|--csv]`: per-node, per-edge, per-campaign
and per-day figures of a campaign in a database."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from engine.cli.common import UsageError, add_db_option, fail, open_db


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("campaign", metavar="ID", help="the campaign's number (or unique name)")
    add_db_option(parser)
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON")
    form.add_argument("--csv", action="store_true", help="print CSV sections")


def run(args: argparse.Namespace) -> int:
    from engine import stats
    from engine.campaigns import CampaignError, get_campaign

    try:
        engine = open_db(args)
    except UsageError as exc:
        return fail(str(exc))
    try:
        with engine.connect() as conn:
            try:
                campaign = get_campaign(conn, args.campaign)
            except CampaignError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            document = stats.report(conn, campaign["id"])
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(document, indent=2, sort_keys=True, default=str))
    elif args.csv:
        write_csv(document, sys.stdout)
    else:
        from engine.cli.simulate import format_table

        print(format_table(document, f"Campaign: {campaign['name']} ({campaign['status']})"))
    return 0


NODE_COLUMNS = (
    "entered",
    "waiting",
    "sent",
    "failed",
    "suppressed",
    "opened",
    "clicked",
    "unsubscribed",
)


def write_csv(document: dict, out) -> None:
    """Three CSV tables one after another, each with its header: nodes, edges, days."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["node", *NODE_COLUMNS, "ports"])
    for node_id, f in document["nodes"].items():
        ports = ";".join(f"{p}={n}" for p, n in f["ports"].items())
        writer.writerow([node_id, *(f.get(k, "") for k in NODE_COLUMNS), ports])
    writer.writerow([])
    writer.writerow(["from", "port", "contacts"])
    for key, n in document["campaign"]["edges"].items():
        source, _, port = key.rpartition(".")
        writer.writerow([source, port, n])
    writer.writerow([])
    days = document["campaign"]["days"]
    columns = ["date", "entered", "sent", "opened", "clicked", "converted"]
    writer.writerow(columns)
    for day in days:
        writer.writerow([day[c] for c in columns])
