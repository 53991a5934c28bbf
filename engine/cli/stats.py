"""`campaign-studio stats CAMPAIGN --db DB [--json|--csv]`: per-node, per-edge, per-campaign
and per-day figures of a campaign in a database."""

from __future__ import annotations

import argparse
import json
import sys

from engine.cli.common import UsageError, add_db_option, fail, open_db


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("campaign", metavar="ID", help="the campaign's number (or unique name)")
    add_db_option(parser)
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON")
    form.add_argument("--csv", action="store_true", help="print CSV sections")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="count the campaign's pre-aggregated figures again from its rows first",
    )


def run(args: argparse.Namespace) -> int:
    from engine import stats
    from engine.campaigns import CampaignError, get_campaign, load_diagram

    try:
        engine = open_db(args)
    except UsageError as exc:
        return fail(str(exc))
    try:
        with engine.begin() as conn:
            try:
                campaign = get_campaign(conn, args.campaign)
            except CampaignError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            if getattr(args, "rebuild", False):
                from engine.db import counters

                counters.rebuild(conn, campaign["id"])
            document = stats.report(conn, campaign["id"])
            diagram = load_diagram(conn, campaign["id"]) if args.csv else None
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(document, indent=2, sort_keys=True, default=str))
    elif args.csv:
        write_csv(document, sys.stdout, diagram)
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


def write_csv(document: dict, out, diagram=None) -> None:
    """Three CSV tables one after another (nodes, edges, days): formula-safe, nodes named
    by their labels with the id beside (engine.stats_csv)."""
    from engine.stats_csv import write_stats_csv

    write_stats_csv(document, diagram, out, NODE_COLUMNS)
