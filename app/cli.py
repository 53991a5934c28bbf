"""The `campaign-studio` entry point: subcommands go to the engine; none opens the window."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from engine.cli import build_parser
    from engine.cli import main as engine_main

    code = engine_main(argv)
    if code != -1:
        return code
    args = build_parser().parse_args(argv)
    from app.main_window import run_window  # Qt is imported only here

    return run_window(db=args.db)


if __name__ == "__main__":
    sys.exit(main())
