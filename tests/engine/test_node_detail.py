"""A node's detail from the engine alone: who waits there now (paged), the messages it sent
(by status, paged, newest written first), and per day how many passed it and how many were
sent (node_daily_counts)."""

import datetime as dt
import random

from conftest_data import database_url, postgres_server  # noqa: F401  (fixtures)
from runner_helpers import START, add_segment, diagram, launch, make_db
from sqlalchemy import insert, select

from engine import node_detail
from engine.db import open_database
from engine.db.schema import campaigns, messages, steps


def test_waiting_contacts_messages_and_days(tmp_path):
    engine = make_db(tmp_path, 5)
    add_segment(engine, "all", {"all": []})
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
            ("later", "wait.delay", {"duration": "P3D"}),
        ],
        [("start", "hello"), ("hello", "later")],
    )
    cid, runner, clock = launch(engine, d)
    runner.tick(clock.now())
    with engine.connect() as conn:
        assert node_detail.count_waiting(conn, cid, "later") == 5
        assert node_detail.count_waiting(conn, cid, "hello") == 0
        page = node_detail.waiting_contacts(conn, cid, "later", offset=3, limit=10)
        assert [r["email"] for r in page] == ["c3@example.com", "c4@example.com"]
        assert page[0]["name"] == "First3 Last"
        assert node_detail.count_messages(conn, cid, "hello") == 5
        statuses = {m["status"] for m in node_detail.node_messages(conn, cid, "hello")}
        assert len(statuses) == 1
        [status] = statuses
        assert node_detail.count_messages(conn, cid, "hello", status) == 5
        assert node_detail.count_messages(conn, cid, "hello", "failed") == 0
        assert len(node_detail.node_messages(conn, cid, "hello", limit=2)) == 2
        days = node_detail.node_daily(conn, cid, "hello")
    assert days[0][0] == START.date().isoformat() and days[0][1] == 5


def test_pages_counts_and_days_equal_the_rows_on_both_databases(database_url):  # noqa: F811
    """Messages of several statuses (some written late with an earlier created time), steps
    over several days: every page, count and day equals what the rows say."""
    engine = open_database(database_url)
    rng = random.Random(4)
    t0 = dt.datetime(2026, 3, 2, 10, 0)
    statuses = ["queued", "sending", "sent", "failed", "suppressed", "simulated"]
    with engine.begin() as conn:
        conn.execute(insert(campaigns).values(id=1, name="C", definition={}, created_at=t0))
        rows = []
        for i in range(260):
            status = rng.choice(statuses)
            at = t0 + dt.timedelta(hours=i - rng.choice([0, 0, 30]))  # some caught up late
            sent = at if status in ("sent", "simulated") else None
            rows.append({
                "key": f"k{i}", "campaign_id": 1, "node_id": rng.choice(["a", "b"]),
                "contact_id": i, "channel": "email", "to_address": f"c{i}@example.com",
                "status": status, "attempts": 1, "created_at": at, "sent_at": sent,
            })  # fmt: skip
        conn.execute(insert(messages), rows)
        conn.execute(insert(steps), [
            {"enrollment_id": i, "campaign_id": 1, "contact_id": i, "node_id": rng.choice("ab"),
             "port": "out", "at": t0 + dt.timedelta(hours=7 * i)}
            for i in range(90)])  # fmt: skip
    m = messages.c
    with engine.connect() as conn:
        for status in ["", *statuses, "bounced"]:
            where = [m.campaign_id == 1, m.node_id == "a"] + (
                [m.status == status] if status else []
            )
            expected = list(conn.scalars(select(m.to_address).where(*where).order_by(m.id.desc())))
            assert node_detail.count_messages(conn, 1, "a", status) == len(expected)
            for offset in (0, 7, 40, len(expected), len(expected) + 5):
                page = node_detail.node_messages(conn, 1, "a", status, offset, 40)
                assert [r["to_address"] for r in page] == expected[offset : offset + 40]
        assert node_detail.count_messages(conn, 1, "a") > 100
        assert node_detail.node_messages(conn, 2, "a") == []
        passed: dict = {}
        for at in conn.scalars(select(steps.c.at).where(steps.c.node_id == "a")):
            passed[at.date().isoformat()] = passed.get(at.date().isoformat(), 0) + 1
        sent: dict = {}
        for at in conn.scalars(select(m.sent_at).where(m.node_id == "a", m.sent_at.is_not(None))):
            sent[at.date().isoformat()] = sent.get(at.date().isoformat(), 0) + 1
        days = node_detail.node_daily(conn, 1, "a")
    assert len(days) > 10
    assert days == [(d, passed.get(d, 0), sent.get(d, 0)) for d in sorted({*passed, *sent})]
