"""What the database-using commands share: the `--db` option (default: the user's database,
as the window) and one way to refuse bad input (a sentence, exit 2)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine


class UsageError(ValueError):
    """Bad input from the command line: printed as one sentence, exit 2."""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a --db given before the command (campaign-studio --db X campaigns …) is kept.
    parser.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="DB",
        help="a SQLite file or a SQLAlchemy URL (default: the user's database, as the window)",
    )


def open_db(args: argparse.Namespace, create: bool = False) -> Engine:
    """The database named by --db, or the user's own. An explicit SQLite file that does not
    exist is created only by commands that store something (`create`); the others refuse it
    (a typo would otherwise make an empty database and report nothing)."""
    from engine.db import missing_sqlite_file, open_database

    db: Any = getattr(args, "db", None)
    if not db:
        from engine.paths import default_database_path

        db = default_database_path()
    elif not create and missing_sqlite_file(db):
        raise UsageError(f"database {db} does not exist")
    return open_database(db)


def run_with_db(
    args: argparse.Namespace, work: Callable[[Engine], int | None], create: bool = False
) -> int:
    """Open the database, run `work(engine)`, close it; UsageError and the engine's own
    refusals (CampaignError, SettingsError, StoreError, RuleError) become one line, exit 2."""
    from engine.campaigns import CampaignError
    from engine.rules import RuleError
    from engine.settings import SettingsError
    from engine.store import StoreError

    try:
        engine = open_db(args, create)
    except UsageError as exc:
        return fail(str(exc))
    try:
        return int(work(engine) or 0)
    except CampaignError as exc:
        return fail(str(exc), 1 if exc.problems else 2)
    except (UsageError, SettingsError, StoreError, RuleError) as exc:
        return fail(str(exc))
    finally:
        engine.dispose()


def fail(message: str, code: int = 2) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def write_output(data: bytes | str, output: str | None) -> None:
    """To the file named by -o (written whole, then renamed into place), else to stdout."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not output or output == "-":
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    path = Path(output)
    if path.is_dir():
        raise UsageError(f"{output} is a folder; -o needs a file name")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {output}: the folder {path.parent} does not exist")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(raw)
    tmp.replace(path)
