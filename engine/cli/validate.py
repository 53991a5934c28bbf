"""`campaign-studio validate FILE [--json]`: exit 0 valid, 1 problems (one a line,
`NODE_ID: message`), 2 a file that is not JSON, not the format, or cannot be read."""

from __future__ import annotations

import argparse
import json
import sys

from engine.fileformat import FormatError, load
from engine.validation import has_errors, validate


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a .campaign.json file")
    parser.add_argument("--json", action="store_true", help="print problems as JSON")
    parser.add_argument("--db", help="also check templates, segments and fields in this database")


def run(args: argparse.Namespace) -> int:
    try:
        diagram, problems = load(args.file, strict=False)
    except FormatError as exc:
        # Issue #2's contract: a file that is not JSON, not this format, or not readable
        # exits 2 with the file and line/column; 1 is for campaigns with problems.
        if args.json:
            problem = {"node": None, "severity": "error", "message": str(exc), "code": "format"}
            print(json.dumps({"valid": False, "error": str(exc), "problems": [problem]}))
        print(f"error: {exc}", file=sys.stderr)
        return 2
    context = None
    if args.db:
        from engine.db import missing_sqlite_file
        from engine.workspace import validation_context

        if missing_sqlite_file(args.db):
            print(f"error: database {args.db} does not exist", file=sys.stderr)
            return 2

        context = validation_context(args.db)
    # Problems found while loading (unknown type, dangling edge…) come first; validation
    # then checks what was built.
    seen = {(p.node, p.message) for p in problems}
    problems = problems + [p for p in validate(diagram, context) if (p.node, p.message) not in seen]
    errors = [p for p in problems if p.severity == "error"]
    if args.json:
        print(json.dumps({"valid": not errors, "problems": [p.to_json() for p in problems]},
                         indent=2))  # fmt: skip
    else:
        for problem in errors:
            print(problem)
        for problem in problems:
            if problem.severity != "error":
                print(f"warning: {problem}", file=sys.stderr)
    return 1 if has_errors(problems) else 0
