"""Schema migrations: fresh databases equal the schema, older ones upgrade and keep their data."""

from __future__ import annotations

import datetime as dt
import sqlite3
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest_data import database_url, postgres_server  # noqa: F401
from sqlalchemy import create_engine, insert, inspect, select

from engine.db import open_database
from engine.db.migrate import (
    FIRST_REVISION,
    current_revision,
    head_revision,
    upgrade,
)
from engine.db.schema import contacts, metadata

NOW = dt.datetime(2026, 3, 1, 9, 0)


def schema_differences(engine) -> list:
    """Alembic's comparison (expression indexes cannot be reflected on SQLite: not compared)."""
    with engine.connect() as conn, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "(?i).*expression-based index")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def index_names(engine) -> set[str]:
    query = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index'",
        "postgresql": "SELECT indexname FROM pg_indexes WHERE tablename = 'contacts'",
    }[engine.dialect.name]
    with engine.connect() as conn:
        return {row[0] for row in conn.exec_driver_sql(query)}


SEARCH_INDEXES = {"ix_contacts_first_name_lower", "ix_contacts_last_name_lower"}


def test_fresh_database_equals_the_schema_and_is_at_head(database_url):  # noqa: F811
    engine = open_database(database_url)
    assert schema_differences(engine) == []
    assert index_names(engine) >= SEARCH_INDEXES
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()


def test_migrations_from_nothing_build_exactly_the_schema(database_url):  # noqa: F811
    """Whoever changes engine/db/schema.py must add a revision: this test says so."""
    engine = open_database(database_url, create=False)
    upgrade(engine, "0001")
    from alembic import command

    from engine.db.migrate import alembic_config

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")  # every revision, in order
    assert schema_differences(engine) == [], (
        "engine/db/schema.py differs from the migrations: add a revision with "
        "`python -m engine.db.migrate revision 'what changed' --db DB`"
    )


def test_database_at_revision_one_upgrades_and_keeps_its_data(database_url):  # noqa: F811
    engine = open_database(database_url, create=False)
    upgrade(engine, FIRST_REVISION)
    with engine.begin() as conn:
        conn.execute(
            insert(contacts),
            [{"email": "kept@example.com", "created_at": NOW, "attributes": {"plan": "pro"}}],
        )
    upgrade(engine)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        row = conn.execute(select(contacts.c.email, contacts.c.attributes)).one()
    assert row.email == "kept@example.com" and row.attributes == {"plan": "pro"}
    assert schema_differences(engine) == []
    assert index_names(engine) >= SEARCH_INDEXES  # revision 0002's expression indexes


def test_database_made_before_migrations_is_adopted(tmp_path):
    """A database created by create_all (no version table) is stamped, not recreated."""
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(contacts).values(email="old@example.com", created_at=NOW,
                                             attributes={}))  # fmt: skip
    engine.dispose()
    engine = open_database(path)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert conn.scalar(select(contacts.c.email)) == "old@example.com"


def test_opening_an_up_to_date_database_does_not_run_alembic(tmp_path, monkeypatch):
    path = tmp_path / "w.db"
    open_database(path).dispose()
    from alembic import command

    def refuse(*args, **kwargs):
        raise AssertionError("alembic ran on an up-to-date database")

    monkeypatch.setattr(command, "upgrade", refuse)
    monkeypatch.setattr(command, "stamp", refuse)
    engine = open_database(path)
    assert "contacts" in inspect(engine).get_table_names()


def test_migrations_ship_inside_the_package():
    from engine.db.migrate import SCRIPT_LOCATION

    assert (SCRIPT_LOCATION / "env.py").is_file()
    assert list((SCRIPT_LOCATION / "versions").glob("0001_*.py"))
    import engine.db

    assert SCRIPT_LOCATION.parent == Path(engine.db.__file__).parent


@pytest.mark.parametrize("table", sorted(metadata.tables))
def test_every_table_exists_in_a_fresh_sqlite_file(tmp_path, table):
    open_database(tmp_path / "t.db").dispose()
    with sqlite3.connect(tmp_path / "t.db") as raw:
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert table in names


def test_head_read_from_files_matches_alembic():
    from alembic.script import ScriptDirectory

    from engine.db.migrate import alembic_config

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path):
    """Workers started together on a new file: one creates it, the others find it ready."""
    import subprocess
    import sys

    path = tmp_path / "race.db"
    code = "import sys; from engine.db import open_database; open_database(sys.argv[1])"
    workers = [subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE)
               for _ in range(4)]  # fmt: skip
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()
    engine = open_database(path)
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
