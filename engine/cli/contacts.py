"""`campaign-studio contacts export [--segment NAME] [-o FILE]`: contacts as CSV (formula-safe),
in the columns `import contacts` reads back."""

from __future__ import annotations

import argparse
import io
import json
import sys

from sqlalchemy import Engine

from engine.cli.common import UsageError, add_db_option, run_with_db, write_output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    sub = parser.add_subparsers(dest="contacts_action", metavar="ACTION", required=True)
    p = sub.add_parser("export", help="contacts as CSV (all, or one segment's)")
    p.add_argument("--segment", metavar="NAME", help="only the contacts in this segment")
    p.add_argument("--tag", metavar="TAG", help="only the contacts with this tag")
    p.add_argument(
        "--status", choices=("subscribed", "unsubscribed", "bounced"), help="only these contacts"
    )
    p.add_argument(
        "--where",
        nargs=3,
        metavar=("FIELD", "OP", "VALUE"),
        help="only contacts whose field compares so (rule operators: eq, ne, lt, contains, …;"
        " VALUE read as JSON when it parses)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    return run_with_db(args, lambda engine: _export(engine, args))


def _export(engine: Engine, args: argparse.Namespace) -> int:
    from engine.contact_bulk import ContactFilter, FilterError
    from engine.contacts_export import SegmentNotFound, export_contacts

    chosen = None
    if args.tag or args.status or args.where:
        field, op, text = args.where or ("", "eq", None)
        value = _json_or_text(text)
        if op in ("in", "not_in") and isinstance(value, str):  # DE,FR as the screen takes it
            value = [_json_or_text(part.strip()) for part in value.split(",") if part.strip()]
        chosen = ContactFilter(tag=args.tag or "", status=args.status or "", field=field,
                               op=op, value=value)  # fmt: skip
    buffer = io.StringIO()
    try:
        count = export_contacts(engine, buffer, args.segment, chosen=chosen)
    except (SegmentNotFound, FilterError) as exc:
        raise UsageError(str(exc)) from exc
    write_output(buffer.getvalue(), args.output)
    print(f"{count} contact(s) exported", file=sys.stderr)
    return 0


def _json_or_text(value: str | None) -> object:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value
