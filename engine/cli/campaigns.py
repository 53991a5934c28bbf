"""`campaign-studio campaigns …`: store campaigns in a database and take them through their
life (add, list, show, start, pause, resume, stop, schedule, update, versions, diff, export,
duplicate, delete). ID is a campaign's number; a name is accepted where it is unique."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlalchemy import Engine

from engine.cli.common import UsageError, add_db_option, run_with_db, write_output

EXPORT_FORMATS = ("campaign", "graphml", "gexf", "dot")
LIFECYCLE = ("start", "pause", "resume", "stop")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help_text: str, campaign: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if campaign:
            p.add_argument("id", metavar="ID", help="the campaign's number (or its unique name)")
        add_db_option(p)
        return p

    p = action("add", "store a campaign file as a new draft; prints its id", campaign=False)
    p.add_argument("file", metavar="FILE", help="a .campaign.json file")
    p.add_argument("--json", action="store_true", help='print {"id": N}')
    p = action("list", "every campaign with its status and counts", campaign=False)
    p.add_argument("--json", action="store_true", help="print JSON")
    p = action("show", "one campaign: status, version, dates, counts, nodes")
    p.add_argument("--json", action="store_true", help="print JSON (with the definition)")
    for name, help_text in (
        ("start", "go live now (or become scheduled when its start is ahead)"),
        ("pause", "hold everyone where they are"),
        ("resume", "go on after a pause"),
        ("stop", "end the campaign: everyone inside leaves"),
    ):
        action(name, help_text)
    p = action("duplicate", "a new draft with the same diagram; prints its id")
    p.add_argument("--name", help='the copy\'s name (default: "NAME (copy)")')
    action("delete", "remove a draft, stopped or completed campaign and its history")
    p = action("schedule", "set when the campaign starts (and ends)")
    p.add_argument("--start", required=True, metavar="ISO", help="ISO 8601 date-time")
    p.add_argument("--end", metavar="ISO", help="ISO 8601 date-time")
    p = action("update", "store FILE as the campaign's next version")
    p.add_argument("file", metavar="FILE", help="a .campaign.json file")
    p = action("versions", "the campaign's versions")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = action("diff", "what changed between two versions")
    p.add_argument("v1", metavar="V1", type=_version_number, help="the older version")
    p.add_argument("v2", metavar="V2", type=_version_number, help="the newer version")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = action("export", "write the campaign as a file or a graph")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="campaign",
                   help="campaign (the .campaign.json document; default), graphml, gexf, "
                   "dot")  # fmt: skip
    p.add_argument("--version", type=_version_number, metavar="N",
                   help="an earlier version (default: the current one)")  # fmt: skip
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")


def _version_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a version number (1, 2, …)")
    return int(text)


def run(args: argparse.Namespace) -> int:
    handler = globals()[f"_{args.action}"] if args.action not in LIFECYCLE else _lifecycle
    return run_with_db(args, lambda engine: handler(engine, args), create=args.action == "add")


def _read_file(path: str):
    """The diagram in FILE; a file that cannot be read or is not the format is UsageError."""
    from engine.fileformat import FormatError, load

    try:
        diagram, problems = load(path, strict=False)
    except FormatError as exc:
        raise UsageError(str(exc)) from exc
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        lines = "; ".join(str(p) for p in errors[:5])
        raise UsageError(f"{path} is not a valid campaign file: {lines}")
    return diagram


def _add(engine: Engine, args: argparse.Namespace) -> int:
    from engine.campaigns import add_campaign

    campaign_id = add_campaign(engine, _read_file(args.file), note=f"added from {args.file}")
    print(json.dumps({"id": campaign_id}) if args.json else campaign_id)
    return 0


def _when(value: Any) -> str:
    return value.isoformat(sep=" ", timespec="minutes") if value is not None else "-"


def _list(engine: Engine, args: argparse.Namespace) -> int:
    from engine.campaigns import list_campaigns

    rows = list_campaigns(engine)
    if args.json:
        print(json.dumps(rows, indent=2, sort_keys=True, default=str))
        return 0
    if not rows:
        print("no campaigns", file=sys.stderr)
        return 0
    width = max(len(r["name"]) for r in rows)
    print(f"{'id':>4}  {'name':<{width}}  {'status':<9}  {'version':>7}  {'enrolled':>8}  "
          f"{'active':>6}  {'converted':>9}")  # fmt: skip
    for r in sorted(rows, key=lambda r: r["id"]):
        print(f"{r['id']:>4}  {r['name']:<{width}}  {r['status']:<9}  {r['version']:>7}  "
              f"{r['enrolled']:>8}  {r['active']:>6}  {r['converted']:>9}")  # fmt: skip
    return 0


def _show(engine: Engine, args: argparse.Namespace) -> int:
    from engine.campaigns import allowed_actions, get_campaign, list_campaigns

    campaign = get_campaign(engine, args.id)
    counts = next(r for r in list_campaigns(engine) if r["id"] == campaign["id"])
    if args.json:
        document = {**campaign, **{k: counts[k] for k in ("enrolled", "active", "converted")}}
        print(json.dumps(document, indent=2, sort_keys=True, default=str))
        return 0
    definition = campaign["definition"]
    status = campaign["status"] + (f" ({campaign['error']})" if campaign.get("error") else "")
    print(f"Campaign {campaign['id']}: {campaign['name']}")
    for label, value in (
        ("status", status),
        ("version", campaign["version"]),
        ("owner", campaign["owner"] or "-"),
        ("start at", _when(campaign["start_at"])),
        ("end at", _when(campaign["end_at"])),
        ("started", _when(campaign["started_at"])),
        ("stopped", _when(campaign["stopped_at"])),
        ("contacts", f"{counts['enrolled']} entered, {counts['active']} inside, "
                     f"{counts['converted']} converted"),
        ("may", ", ".join(sorted(allowed_actions(campaign["status"]))) or "-"),
    ):  # fmt: skip
        print(f"  {label + ':':<10}{value}")
    nodes = definition.get("nodes", [])
    print(f"  {'nodes:':<10}{len(nodes)}")
    for node in nodes:
        print(f"    {node['id']}  {node['type']}")
    return 0


def _lifecycle(engine: Engine, args: argparse.Namespace) -> int:
    from engine import campaigns

    getattr(campaigns, args.action)(engine, args.id)
    campaign = campaigns.get_campaign(engine, args.id)
    print(f"campaign {campaign['id']} ({campaign['name']}) is {campaign['status']}",
          file=sys.stderr)  # fmt: skip
    return 0


def _schedule(engine: Engine, args: argparse.Namespace) -> int:
    from engine.campaigns import get_campaign, schedule
    from engine.durations import DurationError, parse_datetime

    try:
        start = parse_datetime(args.start)
        end = parse_datetime(args.end) if args.end else None
    except DurationError as exc:
        raise UsageError(f"{exc} (for --start/--end, e.g. 2026-03-01T09:00:00Z)") from exc
    schedule(engine, args.id, start, end)
    campaign = get_campaign(engine, args.id)
    print(f"campaign {campaign['id']} ({campaign['name']}) is scheduled from "
          f"{_when(campaign['start_at'])} UTC", file=sys.stderr)  # fmt: skip
    return 0


def _update(engine: Engine, args: argparse.Namespace) -> int:
    from engine.campaigns import get_campaign, update_campaign

    before = get_campaign(engine, args.id)
    version = update_campaign(
        engine, before["id"], _read_file(args.file), note=f"updated from {args.file}"
    )
    if version == before["version"]:
        print(f"campaign {before['id']}: unchanged (still version {version})", file=sys.stderr)
    else:
        print(f"campaign {before['id']}: version {version}", file=sys.stderr)
    print(version)
    return 0


def _versions(engine: Engine, args: argparse.Namespace) -> int:
    from engine.campaigns import get_campaign, list_versions

    with engine.connect() as conn:
        campaign = get_campaign(conn, args.id)
        versions = list_versions(conn, campaign["id"])
    for v in versions:
        v["current"] = v["version"] == campaign["version"]
    if args.json:
        print(json.dumps(versions, indent=2, sort_keys=True, default=str))
        return 0
    for v in versions:
        mark = "*" if v["current"] else " "
        print(f"{mark}{v['version']:>4}  {_when(v['created_at'])}  {v['note'] or ''}".rstrip())
    return 0


def _diff(engine: Engine, args: argparse.Namespace) -> int:
    from engine.campaign_diff import diff_lines, diff_versions

    with engine.connect() as conn:
        diff = diff_versions(conn, args.id, args.v1, args.v2)
    if args.json:
        print(json.dumps(diff, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for line in diff_lines(diff) or [f"versions {args.v1} and {args.v2} are the same"]:
            print(line)
    return 0


def _export(engine: Engine, args: argparse.Namespace) -> int:
    from engine.campaigns import load_diagram
    from engine.fileformat import dumps

    diagram = load_diagram(engine, args.id, args.version)
    if args.format == "campaign":
        data: bytes | str = dumps(diagram)
    else:
        try:
            from engine.graph_export import export_diagram
        except ImportError as exc:
            raise UsageError(f"--format {args.format} is not available in this build") from exc
        data = export_diagram(diagram, args.format)
    write_output(data, args.output)
    return 0


def _duplicate(engine: Engine, args: argparse.Namespace) -> int:
    from engine.campaigns import duplicate

    print(duplicate(engine, args.id, args.name))
    return 0


def _delete(engine: Engine, args: argparse.Namespace) -> int:
    from engine.campaigns import delete, get_campaign

    campaign = get_campaign(engine, args.id)
    delete(engine, campaign["id"])
    print(f"campaign {campaign['id']} ({campaign['name']}) deleted", file=sys.stderr)
    return 0
