"""A second engine worker on the same SQLite file refuses to start (issue 16, item 9):
two would each move every due contact (score +1 +1, entered counted twice)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from engine.db.schema import contacts
from engine.service import EngineService
from engine.worker_lock import WorkerLockError
from tests.engine.runner_helpers import diagram, make_db

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = [sys.executable, "-c", "import sys; from engine.cli import main; sys.exit(main())"]


def _scoring_campaign(engine) -> None:
    from engine import campaigns

    d = diagram(
        [("t", "trigger.manual", {"filter": {"all": []}}), ("p", "action.score", {"points": 1})],
        [("t", "p")],
    )
    campaigns.start(engine, campaigns.save_campaign(engine, d))


def test_a_second_worker_on_one_sqlite_file_refuses(tmp_path):
    engine = make_db(tmp_path, 20)
    _scoring_campaign(engine)
    first = EngineService(engine, channels={})
    first.run_once()
    other = subprocess.run(
        [*LAUNCH, "run", "--db", str(tmp_path / "test.db"), "--once"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert other.returncode == 2, other.stderr
    assert "another engine worker (pid" in other.stderr and "only one worker" in other.stderr
    second = EngineService(engine, channels={})
    try:
        second.run_once()
        raise AssertionError("a second worker ran")
    except WorkerLockError:
        pass
    with engine.connect() as conn:
        assert set(conn.scalars(select(contacts.c.score))) == {1}
    first.shutdown()
    second.run_once()  # the first one stopped: now it may run
    second.shutdown()
