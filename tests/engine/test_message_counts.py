"""Pre-aggregated message figures (issue #15): `message_counts`, kept by triggers, always
equals a from-scratch count of the messages, on SQLite and PostgreSQL, through inserts,
updates, deletes and rolled-back transactions; the migration counts existing messages."""

import datetime as dt
import random

from conftest_data import database_url, postgres_server  # noqa: F401  (fixtures)
from sqlalchemy import Integer, delete, func, insert, literal_column, select, update

from engine import stats
from engine.db import counters, open_database
from engine.db.migrate import upgrade
from engine.db.schema import message_counts, messages

NOW = dt.datetime(2026, 3, 1, 9, 0)
LATER = dt.datetime(2100, 1, 1)


def recount(conn) -> dict:
    m = messages.c
    node = func.coalesce(m.node_id, literal_column("''")).label("node")
    rows = conn.execute(
        select(
            m.campaign_id,
            node,
            m.channel,
            m.status,
            func.count(),
            func.sum((m.attempts > 1).cast(Integer) * (m.attempts - 1)),
        )
        .where(m.campaign_id.is_not(None))
        .group_by(m.campaign_id, node, m.channel, m.status)
    )
    return {tuple(r[:4]): (r[4], int(r[5] or 0)) for r in rows}


def kept(conn) -> dict:
    c = message_counts.c
    rows = conn.execute(
        select(c.campaign_id, c.node_id, c.channel, c.status, c.n, c.retries).where(c.n != 0)
    )
    return {tuple(r[:4]): (r[4], r[5]) for r in rows}


def random_activity(engine, rng: random.Random, rounds: int) -> None:
    statuses = ["queued", "sending", "sent", "failed", "suppressed", "simulated"]
    next_key = 0
    for _ in range(rounds):
        with engine.connect() as conn:
            ids = list(conn.scalars(select(messages.c.id)))
            action = rng.choice(["insert", "insert", "update", "update", "delete"])
            if action == "insert" or not ids:
                rows = []
                for _ in range(rng.randint(1, 20)):
                    next_key += 1
                    rows.append(
                        {
                            "key": f"{rng.random()}-{next_key}",
                            "campaign_id": rng.choice([1, 2, None]),
                            "node_id": rng.choice(["hello", "remind", None]),
                            "contact_id": rng.randint(1, 30),
                            "channel": rng.choice(["email", "sms"]),
                            "status": rng.choice(statuses),
                            "attempts": rng.randint(0, 4),
                            "created_at": NOW,
                            "sent_at": NOW,
                        }
                    )
                conn.execute(insert(messages), rows)
            elif action == "update":
                chosen = rng.sample(ids, min(len(ids), rng.randint(1, 15)))
                values = rng.choice(
                    [
                        {"status": rng.choice(statuses)},
                        {"attempts": messages.c.attempts + 1},
                        {"status": "sent", "attempts": messages.c.attempts + 1},
                        {"node_id": rng.choice(["hello", "remind", None])},
                        {"error": "unchanged figures"},
                    ]
                )
                conn.execute(update(messages).where(messages.c.id.in_(chosen)).values(values))
            else:
                chosen = rng.sample(ids, min(len(ids), rng.randint(1, 5)))
                conn.execute(delete(messages).where(messages.c.id.in_(chosen)))
            if rng.random() < 0.2:
                conn.rollback()  # a crash before the commit: the counters roll back too
            else:
                conn.commit()


def test_counters_equal_a_recount_after_random_activity(database_url):  # noqa: F811
    engine = open_database(database_url)
    random_activity(engine, random.Random(15), 150)
    with engine.connect() as conn:
        expected = recount(conn)
        assert sum(n for n, _ in expected.values()) > 100
        assert kept(conn) == expected
        for campaign_id in (1, 2):
            # Today's figures (counters) equal the figures looked back from later (messages).
            today, looked_back = (
                stats.campaign_stats(conn, campaign_id, now) for now in (None, LATER)
            )
            assert today["messages"] and today["retries"]
            assert today == looked_back
            assert stats.node_stats(conn, campaign_id) == stats.node_stats(conn, campaign_id, LATER)
    with engine.begin() as conn:
        conn.execute(update(message_counts).values(n=message_counts.c.n + 7))
        assert kept(conn) != expected
        counters.rebuild(conn)
        assert kept(conn) == expected


def test_the_migration_counts_the_messages_already_there(tmp_path):
    engine = open_database(tmp_path / "old.db", create=False)
    upgrade(engine, "0006")
    random_activity(engine, random.Random(7), 30)
    with engine.connect() as conn:
        expected = recount(conn)
    assert expected
    upgrade(engine)
    with engine.connect() as conn:
        assert kept(conn) == expected
    random_activity(engine, random.Random(8), 30)  # and the triggers keep them from then on
    with engine.connect() as conn:
        assert kept(conn) == recount(conn)
