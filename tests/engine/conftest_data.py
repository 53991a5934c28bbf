"""Fixtures for the data tests: a throwaway PostgreSQL cluster and a database per test.

Import the fixtures into a test module (`from conftest_data import postgres_server,
database_url`). The cluster is started once per session from Debian's postgresql binaries
in a temporary folder, reached over a Unix socket only, and removed at the end.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

_counter = itertools.count(1)


def _postgres_bin() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL binaries not found under /usr/lib/postgresql")
    return os.path.dirname(found[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running PostgreSQL cluster; yields the base URL (without database name)."""
    bindir = _postgres_bin()
    folder = tempfile.mkdtemp(prefix="cs-pg-")
    data = os.path.join(folder, "data")
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [*run_as, f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
         "--no-sync"],
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off"
    subprocess.run(
        [*run_as, f"{bindir}/pg_ctl", "-D", data, "-o", options, "-w", "-l",
         os.path.join(folder, "log"), "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@/{{db}}?host={folder}&port={port}"
    finally:
        subprocess.run(
            [*run_as, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def new_postgres_database(server_url: str) -> str:
    """Create an empty database on the server; return its URL."""
    name = f"test_{os.getpid()}_{next(_counter)}"
    admin = create_engine(server_url.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.format(db=name)


def empty_database(kind: str, request, folder) -> str:
    """The URL of a new empty database of that kind ("sqlite" file in folder, "postgresql")."""
    if kind == "sqlite":
        return str(folder / f"test{next(_counter)}.db")
    return new_postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """The URL of an empty database: a SQLite file, then a PostgreSQL database."""
    return empty_database(request.param, request, tmp_path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(request, tmp_path_factory) -> str:
    """Like database_url, shared by a module's tests (for read-only fixtures)."""
    return empty_database(request.param, request, tmp_path_factory.mktemp("db"))
