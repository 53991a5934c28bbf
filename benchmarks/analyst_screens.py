"""Analyst screens at scale: a welcome-series campaign with N enrollments (about 2 messages,
5 steps and 2.6 events each, written with raw sqlite3: set-up is not what we measure), then
the queries each screen runs, timed: the canvas's per-node figures, the dashboard's cards
and daily series, node detail, `stats --json`, and one contact's journey.

    .venv/bin/python benchmarks/analyst_screens.py [--enrollments 1000000] [--keep FILE]

With --keep an existing FILE is reused (upgraded to today's schema), not built again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from engine import node_detail as node_detail_  # noqa: E402
from engine.db import open_database  # noqa: E402
from engine.db.schema import enrollments, events, messages, steps  # noqa: E402

START = dt.datetime(2026, 3, 2, 10, 0)
CAMPAIGN_FILE = ROOT / "resources" / "campaigns" / "welcome_series.campaign.json"


def _at(minutes: float) -> str:
    return (START + dt.timedelta(minutes=minutes)).isoformat(" ", "microseconds")


def build(path: Path, n: int) -> None:
    """Contacts, the campaign, and per contact what the welcome series leaves behind:
    start → hello (email) → pause (2 days) → opened? → tips (email) → engaged, or nudge
    (email). 30% open the first email; 5% are still waiting in the pause."""
    engine = open_database(path)
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    definition = json.loads(CAMPAIGN_FILE.read_text())
    created = _at(-60 * 24 * 30)
    conn.execute(
        "INSERT INTO campaigns (id, name, status, version, definition, created_at, started_at)"
        " VALUES (1, ?, 'live', 1, ?, ?, ?)",
        (definition["name"], json.dumps(definition), created, _at(0)),
    )
    chunk = 50_000
    for first in range(0, n, chunk):
        ids = range(first + 1, min(first + chunk, n) + 1)
        conn.executemany(
            "INSERT INTO contacts (id, email, first_name, last_name, timezone, created_at,"
            " unsubscribed, bounced, score, attributes) VALUES (?, ?, ?, 'Last', 'UTC', ?,"
            " 0, 0, 0, '{}')",
            ((i, f"c{i}@example.com", f"First{i}", created) for i in ids),
        )
        enroll, step_rows, message_rows, event_rows = [], [], [], []
        for i in ids:
            day = (i % 14) * 60 * 24  # entries spread over two weeks
            waiting = i % 20 == 0
            opened = i % 10 < 3
            arrived = _at(day + 1)
            path_nodes = [("start", "out"), ("hello", "out")]
            if not waiting:
                path_nodes += [("pause", "out"), ("opened", "yes" if opened else "no")]
                path_nodes += (
                    [("tips", "out"), ("engaged", "out")] if opened else [("nudge", "out")]
                )
            for k, (node, port) in enumerate(path_nodes):
                minute = day + (0 if k < 2 else 60 * 48 + k)
                step_rows.append(
                    (
                        i,
                        i,
                        node,
                        port,
                        _at(minute),
                        "sent" if node in ("hello", "tips", "nudge") else None,
                    )
                )
            for node in [n for n, _ in path_nodes if n in ("hello", "tips", "nudge")]:
                minute = day + (0 if node == "hello" else 60 * 48 + 5)
                message_rows.append(
                    (f"{i}:{node}:1", i, node, i, f"c{i}@example.com", _at(minute), _at(minute))
                )
                event_rows.append((i, "email_sent", _at(minute), node))
                if opened and node == "hello":
                    event_rows.append((i, "email_opened", _at(minute + 90), node))
            status = "active" if waiting else "completed"
            node_now = "pause" if waiting else path_nodes[-1][0]
            enroll.append(
                (i, i, node_now, status, _at(day + 60 * 48) if waiting else None, arrived,
                 _at(day), None if waiting else _at(day + 60 * 48 + 6))
            )  # fmt: skip
        conn.executemany(
            "INSERT INTO enrollments (id, campaign_id, version, contact_id, node_id, status,"
            " due_at, arrived_at, entered_at, ended_at) VALUES (?, 1, 1, ?, ?, ?, ?, ?, ?, ?)",
            enroll,
        )
        conn.executemany(
            "INSERT INTO steps (enrollment_id, campaign_id, contact_id, node_id, port, at,"
            " outcome) VALUES (?, 1, ?, ?, ?, ?, ?)",
            step_rows,
        )
        conn.executemany(
            "INSERT INTO messages (key, enrollment_id, campaign_id, node_id, contact_id, channel,"
            " to_address, status, attempts, created_at, sent_at) VALUES"
            " (?, ?, 1, ?, ?, 'email', ?, 'sent', 1, ?, ?)",
            message_rows,
        )
        conn.executemany(
            "INSERT INTO events (contact_id, name, occurred_at, properties, campaign_id, node_id)"
            " VALUES (?, ?, ?, '{}', 1, ?)",
            event_rows,
        )
        conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()


def canvas(conn) -> object:
    from engine import stats

    return stats.node_stats(conn, 1), stats.edge_stats(conn, 1)


def dashboard(conn) -> object:
    """What app.dashboard.DashboardData reads for one campaign without children."""
    from engine import stats
    from engine.campaigns import list_campaigns
    from engine.dashboard import DashboardData

    listed = list_campaigns(conn)
    cards = stats.campaign_stats(conn, 1)
    days = stats.daily_stats(conn, 1)
    nodes = stats.node_stats(conn, 1)
    channels = DashboardData._channels(conn, [1])
    return listed, cards, days, nodes, channels


NODE_DETAIL_PARTS = {  # what app.node_detail reads when it opens, in engine.node_detail
    "count_waiting": lambda conn, node: node_detail_.count_waiting(conn, 1, node),
    "waiting_contacts": lambda conn, node: node_detail_.waiting_contacts(conn, 1, node, 0, 100),
    "count_messages": lambda conn, node: node_detail_.count_messages(conn, 1, node),
    "node_messages": lambda conn, node: node_detail_.node_messages(conn, 1, node, "", 0, 100),
    "node_daily": lambda conn, node: node_detail_.node_daily(conn, 1, node),
}


def node_detail(conn, node_id: str) -> object:
    """engine.node_detail as app.node_detail calls it when it opens: counts, the first page
    of contacts there and of messages sent there, and the per-day series."""
    return [part(conn, node_id) for part in NODE_DETAIL_PARTS.values()]


def node_detail_dialog(conn, node_id: str) -> object:
    """All the dialog reads on opening: node_detail and the node's figures (stats.node_stats
    for the whole campaign, as app.node_detail.refresh does)."""
    from engine import stats

    return node_detail(conn, node_id), stats.node_stats(conn, 1).get(node_id)


def stats_json(conn) -> object:
    from engine import stats

    return json.dumps(stats.report(conn, 1), default=str)


def journey(conn, contact_id: int) -> object:
    """The contact page: enrollments, messages, events, and the steps of its journeys."""
    mine = conn.execute(select(enrollments).where(enrollments.c.contact_id == contact_id)).all()
    sent = conn.execute(
        select(messages)
        .where(messages.c.contact_id == contact_id)
        .order_by(messages.c.created_at.desc())
        .limit(500)
    ).all()
    happened = conn.execute(
        select(events)
        .where(events.c.contact_id == contact_id)
        .order_by(events.c.occurred_at.desc())
        .limit(500)
    ).all()
    passed = conn.execute(
        select(steps)
        .where(steps.c.enrollment_id.in_([row.id for row in mine]))
        .order_by(steps.c.at)
    ).all()
    return mine, sent, happened, passed


def _time(label: str, run, repeat: int = 3, mark: bool = True) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - began)
    verdict = ("ok" if best < 1 else "OVER 1 s") if mark else ""
    print(f"  {label:<40} {best:7.3f} s  {verdict}", flush=True)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enrollments", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this file")
    args = parser.parse_args()
    n = args.enrollments
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"analyst screens: {n:,} enrollments, welcome series; load average {load}")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "analyst.db"
        if not path.exists():
            began = time.perf_counter()
            build(path, n)
            print(f"  (built in {time.perf_counter() - began:.0f} s)", flush=True)
        engine = open_database(path)  # upgrades an older kept file to today's schema
        with engine.connect() as conn:
            print(
                f"  {conn.scalar(select(func.count()).select_from(messages)):,} messages, "
                f"{conn.scalar(select(func.count()).select_from(steps)):,} steps, "
                f"{conn.scalar(select(func.count()).select_from(events)):,} events; "
                f"{path.stat().st_size / 1e6:,.0f} MB",
                flush=True,
            )
            _time("canvas per-node figures", lambda: canvas(conn))
            _time("dashboard cards + daily series", lambda: dashboard(conn))
            for node in ("hello", "pause"):
                kind = "send" if node == "hello" else "wait"
                _time(f"node detail ({kind} node '{node}')", lambda n=node: node_detail(conn, n))
                for name, part in NODE_DETAIL_PARTS.items():
                    _time(f"  {name}", lambda p=part, n=node: p(conn, n), mark=False)
                _time(
                    "  whole dialog (+ stats.node_stats)",
                    lambda n=node: node_detail_dialog(conn, n),
                )
            _time("stats --json", lambda: stats_json(conn))
            _time("one contact's journey", lambda: journey(conn, n // 2))
        engine.dispose()
        print(f"  load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
