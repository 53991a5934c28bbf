"""The command line (DESIGN.md's contract). Each subcommand lives in engine/cli/<name>.py
with `add_arguments(parser)` and `run(args) -> int`; the window uses the same functions."""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys

# subcommand -> (module, one-line help)
COMMANDS = {
    "validate": ("engine.cli.validate", "check a campaign file; exit 0 when valid"),
    "simulate": ("engine.cli.simulate", "forecast a campaign on a copy of a database"),
    "run": ("engine.cli.run", "headless engine worker"),
    "stats": ("engine.cli.stats", "per-node and campaign statistics"),
    "import": ("engine.cli.import_", "import contacts, events, segments or templates"),
    "demo": ("engine.cli.demo", "create a database with a demo workspace"),
    "campaigns": ("engine.cli.campaigns", "store campaigns and take them through their life"),
    "settings": ("engine.cli.settings", "list, read and change the workspace settings"),
    "contacts": ("engine.cli.contacts", "export contacts as CSV"),
    "segments": ("engine.cli.segments", "count a segment's contacts"),
    "serve": ("engine.cli.serve", "the public endpoint: opens, clicks, unsubscribe, events API"),
    "keys": ("engine.cli.keys", "create, list and revoke events-API keys"),
}


def build_parser(prog: str = "campaign-studio") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Campaign Studio: draw, run and measure marketing campaigns.",
    )
    parser.add_argument("--db", help="database: a SQLite file path or a SQLAlchemy URL")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command_parser)
        command_parser.set_defaults(_module=module)
    return parser


@functools.lru_cache(maxsize=1)
def _parser() -> argparse.ArgumentParser:
    return build_parser()


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; returns the exit code (0 ok, 1 problems found, 2 bad input)."""
    parser = _parser()  # built once per process: building takes ~20 ms, a command often less
    args = parser.parse_args(argv)
    if args.command is None:
        return -1  # the caller (app.cli) opens the window
    try:
        return int(args._module.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except ModuleNotFoundError as exc:
        if exc.name not in ("psycopg", "psycopg2", "pymysql", "MySQLdb"):
            print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        # A database URL whose driver is not installed is bad input, like a bad URL.
        print(
            f"error: the database driver {exc.name!r} is not installed; for PostgreSQL: "
            'pip install "campaign-studio[postgres]"',
            file=sys.stderr,
        )
        return 2
    except Exception as exc:  # never a traceback to the user
        print(f"error: {_explain(exc, args)}", file=sys.stderr)
        return 2 if _is_database_error(exc) else 1


def _is_database_error(exc: BaseException) -> bool:
    from sqlalchemy.exc import SQLAlchemyError

    from engine.db.migrate import DatabaseVersionError

    return isinstance(exc, (SQLAlchemyError, DatabaseVersionError))


def _explain(exc: BaseException, args: argparse.Namespace) -> str:
    """One line naming what went wrong and where (the database given on the command line)."""
    db = next((v for k, v in vars(args).items() if k.endswith("db") and v), None)
    if type(exc).__name__ == "DatabaseVersionError":  # already a sentence naming the file
        return str(exc)
    if not _is_database_error(exc):
        return f"{type(exc).__name__}: {exc}"
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if isinstance(exc, (ArgumentError, NoSuchModuleError)):
        return f"cannot open database {db}: not a database URL this program can use ({reason})"
    if "locked" in reason or "busy" in reason:
        return f"database {db} is locked by another program (busy); try again later"
    return f"cannot use database {db}: {reason}"


def _version() -> str:
    from engine import __version__

    return f"campaign-studio {__version__}"
