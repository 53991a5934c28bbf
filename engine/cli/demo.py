"""`campaign-studio demo --db DB [--contacts N]`: a database with a demo workspace (contacts
across countries, events, segments, templates, the sample campaigns with some history)."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", dest="demo_db", metavar="DB", help="a new SQLite file or a SQLAlchemy URL"
    )
    parser.add_argument("--contacts", type=int, default=3000, help="how many (default 3000)")
    parser.add_argument("--seed", type=int, default=7, help="another seed, other people")
    parser.add_argument(
        "--no-history", action="store_true", help="leave every campaign a draft, with no history"
    )


def run(args: argparse.Namespace) -> int:
    from engine.db import open_database
    from engine.demo import DemoError, build_demo
    from engine.progress import terminal_progress

    db = args.demo_db or getattr(args, "db", None)
    if not db:  # the user's own database, as the window offers on a first start
        from engine.paths import default_database_path

        db = str(default_database_path())
    if args.contacts < 1:
        print("error: --contacts must be 1 or more", file=sys.stderr)
        return 2
    engine = open_database(db)
    try:
        with terminal_progress("Building the demo", unit="‰") as progress:
            made = build_demo(
                engine, contacts=args.contacts, progress=progress, seed=args.seed,
                history=not args.no_history,
            )  # fmt: skip
    except DemoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    history = ", ".join(made["history"]) or "none"
    print(
        f"demo workspace in {db}: {made['contacts']} contacts, {made['events']} events, "
        f"{made['segments']} segments, {made['templates']} templates, "
        f"{made['campaigns']} campaigns (running with history: {history})"
    )
    return 0
