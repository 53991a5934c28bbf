"""`campaign-studio contacts export [--segment NAME] [-o FILE]`: contacts as CSV (formula-safe),
in the columns `import contacts` reads back."""

from __future__ import annotations

import argparse
import io
import sys

from sqlalchemy import Engine

from engine.cli.common import UsageError, add_db_option, run_with_db, write_output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    sub = parser.add_subparsers(dest="contacts_action", metavar="ACTION", required=True)
    p = sub.add_parser("export", help="contacts as CSV (all, or one segment's)")
    p.add_argument("--segment", metavar="NAME", help="only the contacts in this segment")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    return run_with_db(args, lambda engine: _export(engine, args))


def _export(engine: Engine, args: argparse.Namespace) -> int:
    from engine.contacts_export import SegmentNotFound, export_contacts

    buffer = io.StringIO()
    try:
        count = export_contacts(engine, buffer, args.segment)
    except SegmentNotFound as exc:
        raise UsageError(str(exc)) from exc
    write_output(buffer.getvalue(), args.output)
    print(f"{count} contact(s) exported", file=sys.stderr)
    return 0
