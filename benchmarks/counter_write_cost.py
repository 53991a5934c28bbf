"""Write cost of the counter triggers: the engine's rows for 100k contacts (530,078 steps,
200,000 messages then their status update, 30,000 events) with raw sqlite3, the counter
triggers (engine/db/counters.py, issue #15) off, on without those of node_daily_counts
(migration 0008: the set of 0007), and all on, alternated, twice.

    .venv/bin/python benchmarks/counter_write_cost.py
"""

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.db import counters, open_database

STEP = (
    "INSERT INTO steps (enrollment_id, campaign_id, contact_id, node_id, port, at, outcome)"
    " VALUES (?,?,?,?,?,?,?)"
)
MESSAGE = (
    "INSERT INTO messages (key, enrollment_id, campaign_id, node_id, contact_id, channel,"
    " status, attempts, created_at) VALUES (?,?,?,?,?,?,?,?,?)"
)
EVENT = (
    "INSERT INTO events (contact_id, name, occurred_at, properties, campaign_id, node_id)"
    " VALUES (?,?,?,?,?,?)"
)
SENT = (
    "UPDATE messages SET status = 'sent', attempts = 1, sent_at = '2026-01-01 10:05:00'"
    " WHERE status = 'queued'"
)


MODES = {  # name: the counter tables whose triggers are dropped
    "off": counters.TABLES,
    "0007 set": ("node_daily_counts",),
    "all on": (),
}


def run(dropped: tuple[str, ...]) -> float:
    d = tempfile.mkdtemp()
    try:
        return _write(Path(d) / "w.db", dropped)
    finally:
        shutil.rmtree(d)


def _write(path: Path, dropped: tuple[str, ...]) -> float:
    engine = open_database(path)
    if dropped:
        with engine.begin() as conn:
            counters.drop_triggers(conn, dropped)
    engine.dispose()
    c = sqlite3.connect(path)
    c.execute("PRAGMA journal_mode=WAL")
    nodes = ["start", "hello", "pause", "opened", "tips", "nudge"]
    t = time.perf_counter()
    for batch in range(0, 100_000, 1000):
        people = range(batch, batch + 1000)
        at = "2026-01-01 10:00:00"
        steps = [
            (i, 1, i, nodes[j % 6], "out" if j % 6 else None, at, None)
            for i in people
            for j in range(5)
        ]
        msgs = [
            (f"k{i}-{j}", i, 1, "tips" if j else "hello", i, "email", "queued", 0, at)
            for i in people
            for j in range(2)
        ]
        evs = [(i, "email_opened", at, "{}", 1, "hello") for i in people[:300]]
        with c:
            c.executemany(STEP, steps)
            c.executemany(MESSAGE, msgs)
        with c:
            c.execute(SENT)
            c.executemany(EVENT, evs)
    elapsed = time.perf_counter() - t
    c.close()
    return elapsed


if __name__ == "__main__":
    print("load average", os.getloadavg())
    for _ in range(2):
        for name, dropped in MODES.items():
            print(f"triggers {name:<8}: {run(dropped):.2f} s", flush=True)
    print("load average", os.getloadavg())
