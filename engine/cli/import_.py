"""`campaign-studio import contacts|events CSV --db DB` and `import segments|templates FILE
--db DB`: exit 0 when every row was imported, 1 when some were rejected (listed as
`line N: reason`), 2 when the file cannot be imported at all."""

from __future__ import annotations

import argparse
import sys

KINDS = ("contacts", "events", "segments", "templates")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="what the file holds")
    parser.add_argument("file", help="a CSV file (contacts, events) or a JSON file")
    parser.add_argument(
        "--db", dest="import_db", metavar="DB", help="a SQLite file or a SQLAlchemy URL"
    )
    parser.epilog = "File formats: docs/data-formats.md"


def run(args: argparse.Namespace) -> int:
    from engine import importer
    from engine.db import open_database
    from engine.progress import terminal_progress

    db = args.import_db or getattr(args, "db", None)
    if not db:
        print("error: import needs --db DB (a SQLite file or a SQLAlchemy URL)", file=sys.stderr)
        return 2
    function = {
        "contacts": importer.import_contacts,
        "events": importer.import_events,
        "segments": importer.import_segments,
        "templates": importer.import_templates,
    }[args.kind]
    try:
        engine = open_database(db)
    except Exception as exc:
        print(
            f"error: cannot open database {db}: {getattr(exc, 'orig', None) or exc}",
            file=sys.stderr,
        )
        return 2
    try:
        with terminal_progress(f"Importing {args.kind}") as progress:
            report = function(engine, args.file, progress=progress)
    except importer.ImportFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    for problem in report.problems():
        print(problem)
    kinds = ", ".join(f"{k} ({v})" for k, v in report.column_kinds.items())
    print(f"{args.kind}: {report.summary()}" + (f"; columns: {kinds}" if kinds else ""),
          file=sys.stderr)  # fmt: skip
    return 0 if report.ok else 1
