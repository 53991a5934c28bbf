"""`campaign-studio segments count NAME`: how many contacts are in a segment now."""

from __future__ import annotations

import argparse

from sqlalchemy import Engine

from engine.cli.common import UsageError, add_db_option, run_with_db


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    sub = parser.add_subparsers(dest="segments_action", metavar="ACTION", required=True)
    p = sub.add_parser("count", help="how many contacts are in the segment now")
    p.add_argument("name", metavar="NAME", help="the segment's name")
    add_db_option(p)


def run(args: argparse.Namespace) -> int:
    return run_with_db(args, lambda engine: _count(engine, args))


def _count(engine: Engine, args: argparse.Namespace) -> int:
    from engine.contacts_export import SegmentNotFound, count_segment
    from engine.rule_sql import RuleCompileError

    try:
        print(count_segment(engine, args.name))
    except (SegmentNotFound, RuleCompileError) as exc:
        raise UsageError(str(exc)) from exc
    return 0
