"""`campaign-studio import contacts|events CSV --db DB` and `import segments|templates FILE
--db DB`: exit 0 when every row was imported, 1 when some were rejected (listed as
`line N: reason`), 2 when the file cannot be imported at all."""

from __future__ import annotations

import argparse
import sys

KINDS = ("contacts", "events", "segments", "templates", "bounces")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="what the file holds")
    parser.add_argument("file", help="a CSV file (contacts, events), a JSON file, or for "
                        "bounces a Maildir folder, an mbox file or .eml files")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="bounces: the report as JSON")
    parser.add_argument(
        "--db", dest="import_db", metavar="DB", help="a SQLite file or a SQLAlchemy URL"
    )
    parser.add_argument(
        "--map", dest="column_map", action="append", default=[], metavar="COLUMN=FIELD",
        help="put COLUMN into FIELD: a core field, an attribute (plan or plan:number) or "
        "ignore; repeat for more columns",
    )  # fmt: skip
    parser.add_argument(
        "--preset", metavar="NAME",
        help="a column mapping: mailchimp, mautic, hubspot, brevo, erpnext-lead, "
        "erpnext-contact, or one saved with --save-preset (default: recognised from the header)",
    )  # fmt: skip
    parser.add_argument(
        "--save-preset", metavar="NAME", help="save the mapping used under NAME for next time"
    )
    parser.epilog = "File formats: docs/data-formats.md"


def run(args: argparse.Namespace) -> int:
    from engine import importer
    from engine.db import open_database
    from engine.progress import terminal_progress

    db = args.import_db or getattr(args, "db", None)
    if not db:  # the user's own database, as the window (DESIGN.md's command line)
        from engine.paths import default_database_path

        db = str(default_database_path())
    if args.kind == "bounces":
        return _bounces(db, args)
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
    mapped = args.kind in ("contacts", "events")
    if not mapped and (args.column_map or args.preset or args.save_preset):
        print(f"error: --map and --preset are for CSV imports, not {args.kind}", file=sys.stderr)
        return 2
    try:
        options: dict = {}
        if mapped:
            from engine.import_mapping import MappingError, parse_map_options

            try:
                options = {"columns": parse_map_options(args.column_map), "preset": args.preset}
            except MappingError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
        with terminal_progress(f"Importing {args.kind}") as progress:
            report = function(engine, args.file, progress=progress, **options)
        if args.save_preset:
            _save_preset(engine, args)
    except importer.ImportFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if getattr(report, "preset", None):
        print(f"columns mapped with the {report.preset} preset", file=sys.stderr)
    for note in getattr(report, "notes", []):
        print(f"note: {note}", file=sys.stderr)
    lines = [(w, text) for w, text in report.rejected] + [
        (w, f"warning: {text}") for w, text in getattr(report, "warnings", [])
    ]
    for where, text in sorted(lines):
        print(f"{report.unit} {where}: {text}")
    kinds = ", ".join(f"{k} ({v})" for k, v in report.column_kinds.items())
    print(f"{args.kind}: {report.summary()}" + (f"; columns: {kinds}" if kinds else ""),
          file=sys.stderr)  # fmt: skip
    return 0 if report.ok else 1


def _save_preset(engine, args: argparse.Namespace) -> None:
    """Store the mapping this import used ({column: target}) as a named preset."""
    from engine import importer
    from engine.settings import save_settings

    settings = importer.read_settings(engine)
    _, mapping = importer.plan_import(
        args.file, args.kind, args.preset, dict(_pairs(args.column_map)), settings
    )
    from engine.import_mapping import saved_form

    presets = dict(settings.get("import_presets") or {})
    presets[args.save_preset] = saved_form(mapping)
    save_settings(engine, {"import_presets": presets})
    print(f"preset {args.save_preset!r} saved", file=sys.stderr)


def _pairs(options: list[str]):
    from engine.import_mapping import parse_map_options

    return parse_map_options(options).items()


def _bounces(db: str, args: argparse.Namespace) -> int:
    """`import bounces PATH [--json]`: exit 0, or 2 when PATH cannot be read."""
    import json

    from engine.bounces.record import BounceSourceError, import_bounces
    from engine.db import open_database

    try:
        engine = open_database(db)
    except Exception as exc:
        print(f"error: cannot open database {db}: {getattr(exc, 'orig', None) or exc}",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        report = import_bounces(engine, args.file)
    except (BounceSourceError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for item in report.items:
            results = "; ".join(f"{r['address']}: {r['result']}" for r in item["results"])
            print(f"{item['message']}: {item['kind']}" + (f" ({results})" if results else ""))
    print(f"bounces: {report.summary()}", file=sys.stderr)
    return 0
