"""Opening a database: a SQLite file path or any SQLAlchemy URL, schema brought up to date."""

from __future__ import annotations

import functools
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from engine.db.schema import metadata  # noqa: F401  (re-exported)


def database_url(db: str | Path) -> str:
    """A plain path becomes a SQLite URL; anything with '://' is used as given."""
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def missing_sqlite_file(db: str | Path) -> bool:
    """True when `db` names a SQLite file (a path or a sqlite:/// URL) that does not exist."""
    url = database_url(db)
    if not url.startswith("sqlite"):
        return False
    path = url.split("///", 1)[1].split("?", 1)[0] if "///" in url else ""
    return bool(path) and path != ":memory:" and not Path(path).is_file()


BUSY_TIMEOUT_SETTING = "sqlite_busy_timeout"  # seconds; its default is in engine.settings
DEFAULT_BUSY_TIMEOUT = 30.0


def busy_timeout(cursor: Any) -> float:
    """This SQLite database's `sqlite_busy_timeout` setting in seconds (0 to 3600), or the
    default when it has none (or no settings table yet)."""
    try:
        row = cursor.execute(
            "SELECT value FROM settings WHERE key = ?", (BUSY_TIMEOUT_SETTING,)
        ).fetchone()
        raw = row[0] if row else None
        # Stored as JSON text, which SQLite's numeric affinity may have made a number.
        seconds = (
            float(json.loads(raw) if isinstance(raw, str) else raw) if raw is not None else None
        )
    except (sqlite3.Error, ValueError, TypeError):
        seconds = None
    if seconds is None or not math.isfinite(seconds):
        return DEFAULT_BUSY_TIMEOUT
    return min(max(seconds, 0.0), 3600.0)


def open_database(db: str | Path, create: bool = True) -> Engine:
    """An Engine for `db`, with SQLite tuned for a desktop (WAL, busy timeout, FKs)."""
    url = database_url(db)
    # Non-finite numbers never enter the database (SQLite's JSON functions reject Infinity
    # and NaN, and PostgreSQL's json does too): every entry point refuses them; this is the net.
    strict = {"json_serializer": functools.partial(json.dumps, allow_nan=False)}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **strict)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            # How long a write waits for another program's lock: the sqlite_busy_timeout
            # setting (engine.settings), read first because it applies to what follows.
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout(cursor) * 1000)}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
    else:
        engine = create_engine(url, pool_pre_ping=True, **strict)
    if create:
        upgrade(engine)
    return engine


def add_pragmas(engine: Engine, pragmas: tuple[str, ...]) -> None:
    """Run these SQLite PRAGMAs (e.g. "synchronous=OFF") on each new connection of
    `engine`, after open_database's own."""

    @event.listens_for(engine, "connect")
    def _more(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()


def upgrade(engine: Engine) -> None:
    """Bring the schema up to date with the Alembic migrations (engine.db.migrate)."""
    from engine.db.migrate import upgrade as migrate

    migrate(engine)
