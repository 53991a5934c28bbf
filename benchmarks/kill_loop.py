"""The long kill -9 loop (issue 16 #5): `campaign-studio run` is killed with SIGKILL again
and again while it sends a campaign, on SQLite and on PostgreSQL, then a last worker
drains the queue. Counted at a real aiosmtpd server on 127.0.0.1: duplicates, losses,
messages in doubt. The figure goes into docs/delivery.md.

    .venv/bin/python benchmarks/kill_loop.py [--kills 100] [--contacts 2000]
        [--db sqlite|postgresql|both] [--aimed]

Kill moments: each worker is killed at a random moment (uniform, 0.05–0.5 s after it sent
its first message of that life), not when the server has just taken a message — real
crashes are not synchronised with our sends. `--aimed` kills right when the server has
taken a message instead (the worst case, the moment the hand-over is in flight).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "engine"), str(ROOT / "benchmarks")]

from delivery_support import SmtpSink, email_campaign, make_database, smtp_settings  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from engine.db.schema import enrollments, messages, steps  # noqa: E402

LAUNCH = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


def pending(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(messages).where(
            messages.c.status.in_(("queued", "sending"))))  # fmt: skip


def start(url: str) -> subprocess.Popen:
    command = [*LAUNCH, "run", "--db", url, "--interval", "0.2", "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(url: str, kills: int, contacts: int, aimed: bool, seed: int) -> dict:
    """Kill workers until `kills` kills were made (a new campaign to the same contacts
    starts whenever the last one is sent out), then drain. Messages are told apart by
    their Message-ID (unique per message key)."""
    rng = random.Random(seed)
    sink = SmtpSink().start()
    engine = make_database(url, contacts)
    smtp_settings(engine, sink.port, batch_size=50)
    email_campaign(engine, name="Kill test 1", nodes=2)
    expected, campaigns_started, done_kills = contacts * 2, 1, 0
    began = time.monotonic()
    try:
        while done_kills < kills:
            if not pending(engine) and len(sink.received) >= expected:
                campaigns_started += 1
                email_campaign(engine, name=f"Kill test {campaigns_started}", nodes=2)
                expected += contacts * 2
            worker = start(url)
            before = len(sink.received)
            while len(sink.received) == before and worker.poll() is None:
                time.sleep(0.005)  # until this life sends
            if aimed:
                goal = len(sink.received) + rng.randint(1, 20)
                while len(sink.received) < goal and worker.poll() is None:
                    time.sleep(0.0005)
            else:
                time.sleep(rng.uniform(0.05, 0.5))
            if worker.poll() is None:
                os.kill(worker.pid, signal.SIGKILL)
                done_kills += 1
            worker.wait()
        worker = start(url)
        deadline = time.monotonic() + 900
        while (pending(engine) or len(sink.received) < expected) and time.monotonic() < deadline:
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    finally:
        sink.stop()
    ids = Counter(str(m["Message-ID"]) for m in sink.parsed())
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(messages.c.status, func.count())
                                     .group_by(messages.c.status)).all())  # fmt: skip
        in_doubt = conn.scalar(select(func.coalesce(func.sum(messages.c.in_doubt), 0)))
        journeys = dict(conn.execute(select(enrollments.c.status, func.count())
                                     .group_by(enrollments.c.status)).all())  # fmt: skip
        # A step written twice (a batch written by a writer process whose runner was
        # killed, then claimed again): the same enrollment at the same node and moment.
        same = (
            select(steps.c.enrollment_id, steps.c.node_id, steps.c.at)
            .group_by(steps.c.enrollment_id, steps.c.node_id, steps.c.at)
            .having(func.count() > 1)
        )
        steps_twice = conn.scalar(select(func.count()).select_from(same.subquery()))
    engine.dispose()
    return {
        "kills": done_kills, "campaigns": campaigns_started, "expected": expected,
        "received": len(sink.received), "distinct": len(ids),
        "duplicated": sum(c - 1 for c in ids.values() if c > 1),
        "lost": expected - len(ids), "in_doubt": in_doubt, "statuses": statuses,
        "journeys": journeys, "steps_twice": steps_twice,
        "seconds": round(time.monotonic() - began),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--aimed", action="store_true", help="kill when a message arrives")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cs-kill-"))
    try:
        if args.db in ("sqlite", "both"):
            result = run(str(folder / "kill.db"), args.kills, args.contacts, args.aimed, args.seed)
            print("sqlite", result, flush=True)
        if args.db in ("postgresql", "both"):
            from conftest_data import new_postgres_database
            from postgres_workers import start_cluster

            pg_folder = tempfile.mkdtemp(prefix="cs-kill-pg-")
            server, stop, _ = start_cluster(pg_folder)
            try:
                url = new_postgres_database(server)
                result = run(url, args.kills, args.contacts, args.aimed, args.seed)
                print("postgresql", result, flush=True)
            finally:
                subprocess.run(stop, capture_output=True)
                shutil.rmtree(pg_folder, ignore_errors=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
