"""Contract checks from outside: the installed command never shows a traceback, whatever the
database argument (bad URL scheme, unreachable server, a file that is not a database, a
locked database) or the output pipe (closed early)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("campaign-studio"))  # the installed console script

CAMPAIGN = {
    "format": "campaign-studio/1",
    "name": "Contract blast",
    "settings": {},
    "nodes": [
        {"id": "s", "type": "trigger.manual", "params": {"filter": {"all": []}},
         "position": [0, 0]},
        {"id": "m", "type": "action.send_email", "params": {"subject": "Hi", "body": "Hello"},
         "position": [200, 0]},
    ],
    "edges": [{"from": "s", "to": "m"}],
}  # fmt: skip


def cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "c.campaign.json").write_text(json.dumps(CAMPAIGN), encoding="utf-8")
    (tmp_path / "people.csv").write_text("email\na@x.com\n", encoding="utf-8")
    return tmp_path


BAD_DATABASES = [
    "foo://nowhere",  # no such SQLAlchemy dialect
    "postgresql://user:pw@127.0.0.1:1/none",  # nothing listens on port 1
    "people.csv",  # a file that is not a database
]


@pytest.mark.parametrize("db", BAD_DATABASES)
@pytest.mark.parametrize(
    "command",
    [
        ["stats", "Contract blast"],
        ["simulate", "c.campaign.json", "--days", "1"],
        ["validate", "c.campaign.json"],
        ["demo", "--contacts", "5"],
        ["run", "--once", "--quiet"],
        ["import", "contacts", "people.csv"],
    ],
)
def test_a_bad_database_is_an_error_line_not_a_traceback(folder, db, command):
    result = cli(*command, "--db", db, cwd=folder)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.startswith("error:"), result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr
    assert "sqlalche.me" not in result.stderr


def test_demo_into_a_missing_folder_is_an_error_line(folder):
    result = cli("demo", "--db", str(folder / "no" / "such" / "demo.db"), cwd=folder)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2
    assert result.stderr.startswith("error:")


def test_a_locked_database_is_an_error_line_not_a_traceback(folder):
    db = folder / "locked.db"
    assert cli("import", "contacts", "people.csv", "--db", str(db), cwd=folder).returncode == 0
    # The busy timeout is a setting (default 30 s): one second here, so the test need not
    # wait out the default.
    set_timeout = cli("settings", "set", "sqlite_busy_timeout", "1", "--db", str(db), cwd=folder)
    assert set_timeout.returncode == 0, set_timeout.stderr
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA busy_timeout=0")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE contacts SET score = 1")
    started = time.monotonic()
    try:
        result = cli("import", "contacts", "people.csv", "--db", str(db), cwd=folder, timeout=120)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2
    assert "locked" in result.stderr or "busy" in result.stderr
    assert time.monotonic() - started < 20  # the setting's 1 s, not the default 30 s


def test_stats_into_a_closed_pipe_is_quiet(folder):
    db = folder / "w.db"
    assert cli("import", "contacts", "people.csv", "--db", str(db), cwd=folder).returncode == 0
    # a campaign in the database: a simulation does not keep one, so save it directly
    code = (
        "import sys; from engine.db import open_database; from engine.fileformat import load;"
        "from engine.campaigns import save_campaign;"
        f"save_campaign(open_database({str(db)!r}), load({str(folder / 'c.campaign.json')!r})[0])"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
    reader = subprocess.Popen(
        [SCRIPT, "stats", "Contract blast", "--db", str(db), "--json"],
        cwd=Path(__file__).parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader.stdout.close()  # the reader went away (like `| head -0`)
    _, err = reader.communicate(timeout=120)
    assert b"Traceback" not in err, err.decode()
    assert b"Exception ignored" not in err, err.decode()


@pytest.mark.parametrize("as_url", [False, True])
@pytest.mark.parametrize("command", [["stats", "Contract blast"], ["validate", "c.campaign.json"]])
def test_a_missing_database_is_named_and_not_created(folder, command, as_url):
    path = folder / "missing.db"
    db = f"sqlite:///{path}" if as_url else str(path)
    result = cli(*command, "--db", db, cwd=folder)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "does not exist" in result.stderr
    assert not path.exists()


@pytest.mark.parametrize("days", ["nan", "inf", "1e9", "-1", "0"])
def test_simulate_days_out_of_range_is_named(folder, days):
    db = folder / "w.db"
    assert cli("import", "contacts", "people.csv", "--db", str(db), cwd=folder).returncode == 0
    result = cli("simulate", "c.campaign.json", "--db", str(db), "--days", days, cwd=folder)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.startswith("error: --days"), result.stderr
