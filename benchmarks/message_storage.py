"""Database bytes per delivered message, before and after retention: N contacts through the
welcome series (the runner in simulate mode on the database itself, every message rendered
with the templates of engine_throughput.py), then engine.retention drops the bodies of
messages older than the retention period and VACUUM gives the space back. Counts the
messages table and its indexes (SQLite's dbstat).

    .venv/bin/python benchmarks/message_storage.py [--contacts 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine_throughput import DAYS, START, build_database  # noqa: E402

from engine import campaigns, retention  # noqa: E402
from engine.clock import VirtualClock  # noqa: E402
from engine.db import open_database  # noqa: E402
from engine.fileformat import load  # noqa: E402
from engine.runner import Runner  # noqa: E402


def run_campaign(path: Path) -> None:
    engine = open_database(path)
    diagram, _ = load(ROOT / "resources" / "campaigns" / "welcome_series.campaign.json")
    campaign_id = campaigns.save_campaign(engine, diagram)
    campaigns.start(engine, campaign_id, START)
    clock = VirtualClock(START)
    runner = Runner(engine, clock, mode="simulate")
    end = START + dt.timedelta(days=DAYS)
    while clock.now() <= end:
        runner.tick(clock.now())
        clock.advance(dt.timedelta(hours=6))
    engine.dispose()


def message_bytes(path: Path) -> tuple[int, int, dict[str, int]]:
    """(messages delivered, bytes of the messages table and its indexes, bytes by name)."""
    conn = sqlite3.connect(path)
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE tbl_name = 'messages' AND type IN "
            "('table', 'index')"
        )
    ]
    marks = ",".join("?" * len(names))
    query = f"SELECT name, sum(pgsize) FROM dbstat WHERE name IN ({marks}) GROUP BY name"
    sizes = dict(conn.execute(query, names).fetchall())
    delivered = conn.execute(
        "SELECT count(*) FROM messages WHERE status IN ('sent', 'simulated')"
    ).fetchone()[0]
    conn.close()
    return delivered, sum(sizes.values()), sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "storage.db"
        build_database(path, args.contacts)
        run_campaign(path)
        conn = sqlite3.connect(path)
        conn.execute("VACUUM")
        conn.close()
        delivered, before, sizes_before = message_bytes(path)
        engine = open_database(path)
        later = START + dt.timedelta(days=DAYS + retention.DEFAULT_DAYS + 1)
        dropped = retention.drop_expired_bodies(engine, later, retention.DEFAULT_DAYS)
        engine.dispose()
        conn = sqlite3.connect(path)
        conn.execute("VACUUM")
        conn.close()
        _delivered, after, sizes_after = message_bytes(path)
    print(f"message storage: {args.contacts:,} contacts, {delivered:,} delivered messages")
    print(f"  before retention: {before / delivered:8.0f} bytes per delivered message")
    print(
        f"  after retention : {after / delivered:8.0f} bytes per delivered message "
        f"({dropped:,} bodies dropped; target <= 300)"
    )
    for name in sorted(sizes_after):
        print(
            f"    {name:<32} {sizes_before.get(name, 0) / delivered:7.0f} -> "
            f"{sizes_after[name] / delivered:5.0f} bytes"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
