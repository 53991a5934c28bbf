"""Opening a database: a SQLite file path or any SQLAlchemy URL, schema brought up to date."""

from __future__ import annotations

import functools
import json
from pathlib import Path

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
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
    else:
        engine = create_engine(url, pool_pre_ping=True, **strict)
    if create:
        upgrade(engine)
    return engine


def upgrade(engine: Engine) -> None:
    """Bring the schema up to date with the Alembic migrations (engine.db.migrate)."""
    from engine.db.migrate import upgrade as migrate

    migrate(engine)
