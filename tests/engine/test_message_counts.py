"""Pre-aggregated analyst figures (issue #15): the counter tables kept by triggers
(message_counts, engaged_contacts, daily_counts, step_counts, node_daily_counts) always
equal a from-scratch count, on SQLite and PostgreSQL, through inserts, updates, deletes and
rolled-back transactions of messages, steps, events and enrollments; the figures read from
them equal the figures computed from the rows; the migrations count the rows already
there."""

import datetime as dt
import json
import random

import pytest
from conftest_data import database_url, postgres_server  # noqa: F401  (fixtures)
from sqlalchemy import Integer, delete, func, insert, literal_column, select, update

from engine import stats
from engine.db import counters, open_database
from engine.db.migrate import upgrade
from engine.db.schema import (
    campaigns,
    contacts,
    counting_paused,
    daily_counts,
    engaged_contacts,
    enrollments,
    events,
    message_counts,
    messages,
    node_daily_counts,
    step_counts,
    steps,
)

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


def others(conn) -> tuple:
    """engaged_contacts, daily_counts, step_counts and node_daily_counts as they are."""
    g, d, t, nd = engaged_contacts.c, daily_counts.c, step_counts.c, node_daily_counts.c
    counted = conn.execute(select(t.campaign_id, t.node_id, t.port, t.outcome, t.n).where(t.n != 0))
    rows = conn.execute(select(g.campaign_id, g.node_id, g.name, g.contact_id))
    engaged = sorted(map(tuple, rows))
    daily = sorted(
        map(tuple, conn.execute(select(d.campaign_id, d.day, d.figure, d.n).where(d.n != 0)))
    )
    per_node = conn.execute(
        select(nd.campaign_id, nd.node_id, nd.day, nd.figure, nd.n).where(nd.n != 0)
    )
    return engaged, daily, sorted(map(tuple, counted)), sorted(map(tuple, per_node))


def others_recounted(conn) -> tuple:
    """engaged_contacts and daily_counts after counters.rebuild (rolled back)."""
    trans = conn.begin_nested()
    counters.rebuild(conn)
    out = others(conn)
    trans.rollback()
    return out


def insert_rows(conn, table, rows) -> None:
    """Half of the inserts as the runner writes its batches (counted in bulk on SQLite,
    the triggers standing aside), half one trigger firing per row."""
    if len(rows) % 2:
        conn.execute(insert(table), rows)
        return
    with counters.inserted_in_bulk(conn, table.name):
        conn.execute(insert(table), rows)
    if counters._pausable(conn):  # (a database before migration 0009 has no pause)
        assert conn.scalar(select(func.count()).select_from(counting_paused)) == 0


def more_activity(engine, rng: random.Random, rounds: int) -> None:
    """Enrollments entering and converting, engagement and other events, some deleted."""
    names = ["email_opened", "email_clicked", "unsubscribed", "bounced", "enrolled"]
    for _ in range(rounds):
        with engine.connect() as conn:
            day = NOW + dt.timedelta(days=rng.randint(0, 5), hours=rng.randint(0, 23))
            action = rng.choice(["enroll", "convert", "event", "event", "forget", "step"])
            if action == "enroll":
                rows = [
                    {
                        "campaign_id": rng.choice([1, 2]),
                        "contact_id": rng.randint(1, 30),
                        "node_id": "hello",
                        "status": "exited",  # (one active enrollment per contact and campaign)
                        "arrived_at": day,
                        "entered_at": day,
                    }
                    for _ in range(rng.randint(1, 8))
                ]
                conn.execute(insert(enrollments), rows)
            elif action == "convert":
                ids = list(conn.scalars(select(enrollments.c.id)))
                chosen = rng.sample(ids, min(len(ids), rng.randint(0, 4)))
                conn.execute(
                    update(enrollments)
                    .where(enrollments.c.id.in_(chosen))
                    .values(converted_at=rng.choice([day, None]), status="completed")
                )
            elif action == "step":
                rows = [
                    {
                        "enrollment_id": 1,
                        "campaign_id": rng.choice([1, 2]),
                        "contact_id": rng.randint(1, 30),
                        "node_id": rng.choice(["hello", "remind", "pause"]),
                        "port": rng.choice(["out", "yes", "no", None]),
                        "outcome": rng.choice(["sent", "goal", "failed", None]),
                        "at": day,
                    }
                    for _ in range(rng.randint(1, 10))
                ]
                insert_rows(conn, steps, rows)
                ids = list(conn.scalars(select(steps.c.id)))
                chosen = rng.sample(ids, min(len(ids), rng.randint(0, 2)))
                conn.execute(delete(steps).where(steps.c.id.in_(chosen)))
                chosen = rng.sample(ids, min(len(ids), rng.randint(0, 2)))
                moved = rng.choice([{"at": day}, {"node_id": "remind"}, {"detail": "no figure"}])
                conn.execute(update(steps).where(steps.c.id.in_(chosen)).values(moved))
            elif action == "event":
                rows = [
                    {
                        "contact_id": rng.randint(1, 30),
                        "name": rng.choice(names),
                        "occurred_at": day,
                        "properties": {},
                        "campaign_id": rng.choice([1, 2, None]),
                        "node_id": rng.choice(["hello", "remind", None]),
                    }
                    for _ in range(rng.randint(1, 10))
                ]
                insert_rows(conn, events, rows)
            else:
                ids = list(conn.scalars(select(events.c.id)))
                chosen = rng.sample(ids, min(len(ids), rng.randint(0, 6)))
                conn.execute(delete(events).where(events.c.id.in_(chosen)))
                if rng.random() < 0.3:  # a contact forgotten: its enrollments and events go
                    gone = rng.randint(1, 30)
                    conn.execute(delete(enrollments).where(enrollments.c.contact_id == gone))
                    conn.execute(delete(events).where(events.c.contact_id == gone))
            if rng.random() < 0.2:
                conn.rollback()  # a crash before the commit
            else:
                conn.commit()


def base_rows(engine) -> None:
    with engine.begin() as conn:
        for cid in (1, 2):
            conn.execute(
                insert(campaigns).values(
                    id=cid, name=f"C{cid}", definition={"nodes": []}, created_at=NOW
                )
            )
        rows = [{"id": i, "email": f"c{i}@example.com", "created_at": NOW} for i in range(1, 31)]
        conn.execute(insert(contacts), rows)


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
                insert_rows(conn, messages, rows)
            elif action == "update":
                chosen = rng.sample(ids, min(len(ids), rng.randint(1, 15)))
                values = rng.choice(
                    [
                        {"status": rng.choice(statuses)},
                        {"attempts": messages.c.attempts + 1},
                        {"status": "sent", "attempts": messages.c.attempts + 1},
                        {"node_id": rng.choice(["hello", "remind", None])},
                        {"sent_at": rng.choice([NOW + dt.timedelta(days=1), None])},
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
    base_rows(engine)
    rng = random.Random(15)
    random_activity(engine, rng, 100)
    more_activity(engine, rng, 100)
    random_activity(engine, rng, 50)
    with engine.connect() as conn:
        engaged, daily, counted_steps, per_node = others(conn)
        assert sum(r[-1] for r in counted_steps) > 30
        figures = {r[2] for r in daily}
        assert len(engaged) >= 10
        assert figures == {"entered", "converted", "sent", "opened", "clicked"}
        assert {r[3] for r in per_node} == {"passed", "sent"}
        assert len({r[2] for r in per_node}) >= 3  # several days
        assert (engaged, daily, counted_steps, per_node) == others_recounted(conn)
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
            assert stats.edge_stats(conn, campaign_id) == stats.edge_stats(conn, campaign_id, LATER)
            assert stats.daily_stats(conn, campaign_id) == stats.daily_stats(
                conn, campaign_id, LATER
            )
    with engine.begin() as conn:
        conn.execute(update(message_counts).values(n=message_counts.c.n + 7))
        assert kept(conn) != expected
        counters.rebuild(conn)
        assert kept(conn) == expected


@pytest.mark.parametrize("revision", ["0006", "0007", "0008"])
def test_the_migration_counts_the_messages_already_there(tmp_path, revision):
    engine = open_database(tmp_path / "old.db", create=False)
    upgrade(engine, revision)  # (0007: its triggers write only the tables it has)
    base_rows(engine)
    random_activity(engine, random.Random(7), 30)
    more_activity(engine, random.Random(7), 30)
    with engine.connect() as conn:
        expected = recount(conn)
        before = [stats.report(conn, cid, LATER) for cid in (1, 2)]
    assert expected
    upgrade(engine)
    with engine.connect() as conn:
        assert kept(conn) == expected
        assert others(conn)[0] and others(conn)[1]
        assert [stats.report(conn, cid) for cid in (1, 2)] == before
    random_activity(engine, random.Random(8), 30)  # and the triggers keep them from then on
    more_activity(engine, random.Random(8), 30)
    with engine.connect() as conn:
        assert kept(conn) == recount(conn)
        assert others(conn) == others_recounted(conn)


def test_stats_rebuild_counts_a_campaigns_figures_again(tmp_path, capsys):
    from engine.cli import main

    path = tmp_path / "w.db"
    engine = open_database(path)
    base_rows(engine)
    rng = random.Random(3)
    random_activity(engine, rng, 40)
    more_activity(engine, rng, 40)
    with engine.begin() as conn:  # (a message without a node has no place in the JSON's keys)
        conn.execute(delete(messages).where(messages.c.node_id.is_(None)))
    with engine.connect() as conn:
        true_report = stats.report(conn, 1, LATER)
        true_counts = kept(conn), others(conn)
    with engine.begin() as conn:  # figures gone wrong (e.g. rows written with triggers off)
        conn.execute(delete(engaged_contacts))
        conn.execute(
            update(message_counts)
            .where(message_counts.c.n != 0, message_counts.c.node_id != "")
            .values(n=message_counts.c.n + 1)
        )
        conn.execute(update(daily_counts).values(n=daily_counts.c.n * 2))
        conn.execute(update(node_daily_counts).values(n=node_daily_counts.c.n + 3))
    assert main(["stats", "1", "--db", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) != json.loads(json.dumps(true_report, default=str))
    assert main(["stats", "1", "--db", str(path), "--json", "--rebuild"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(true_report, default=str))
    with engine.connect() as conn:  # campaign 1 recounted; campaign 2 left as it was
        assert kept(conn) != true_counts[0]
        assert {k: v for k, v in kept(conn).items() if k[0] == 1} == {
            k: v for k, v in true_counts[0].items() if k[0] == 1
        }
        per_node = [r for r in others(conn)[3] if r[0] == 1]
        assert per_node and per_node == [r for r in true_counts[1][3] if r[0] == 1]
        counters.rebuild(conn)
        assert (kept(conn), others(conn)) == true_counts


def test_rows_inserted_in_bulk_are_counted_once_and_the_pause_never_outlives_its_block(tmp_path):
    engine = open_database(tmp_path / "bulk.db")
    base_rows(engine)
    row = {"campaign_id": 1, "contact_id": 1, "node_id": "hello", "port": "out", "at": NOW}
    with engine.begin() as conn:
        with counters.inserted_in_bulk(conn, "steps"):
            conn.execute(insert(steps), [{**row, "enrollment_id": i} for i in range(1, 6)])
            # Inside the block the triggers stand aside: nothing counted yet.
            assert conn.scalar(select(func.sum(step_counts.c.n))) is None
            assert conn.scalar(select(func.count()).select_from(counting_paused)) == 1
        conn.execute(insert(steps), {**row, "enrollment_id": 9})  # one row: its trigger
    with engine.begin() as conn:
        assert conn.scalar(select(step_counts.c.n)) == 6
        assert conn.scalar(select(func.count()).select_from(counting_paused)) == 0
        # The block fails half-way: the pause is lifted.
        with pytest.raises(RuntimeError), counters.inserted_in_bulk(conn, "steps"):
            conn.execute(insert(steps), {**row, "enrollment_id": 10})
            raise RuntimeError("crash in the middle of a batch")
        assert conn.scalar(select(func.count()).select_from(counting_paused)) == 0
        conn.execute(insert(steps), {**row, "enrollment_id": 11})  # triggers count again
        assert conn.scalar(select(step_counts.c.n)) == 7  # (10 is not counted: roll back)
        conn.rollback()
    with engine.connect() as conn:
        assert conn.scalar(select(step_counts.c.n)) == 6
        assert others(conn) == others_recounted(conn)


def test_a_run_of_the_engine_leaves_counters_equal_to_a_recount(tmp_path):
    """The runner writes its steps, messages and events in bulk (counted per batch, 2,000
    contacts or fewer): the figures equal a count of the rows afterwards."""
    from runner_helpers import START, add_segment, diagram, launch, make_db, run_until

    engine = make_db(tmp_path, 250, city="Berlin")
    add_segment(engine, "everyone", members=list(range(1, 251)))
    d = diagram(
        [
            ("start", "trigger.segment_entry", {"segment": "everyone"}),
            ("hello", "action.send_email", {"template": "welcome"}),
            ("pause", "wait.delay", {"duration": "P1D"}),
            ("opened", "condition.event", {"event": "email_opened", "node": "hello"}),
            ("tips", "action.send_email", {"template": "welcome"}),
            ("bye", "action.send_email", {"template": "welcome"}),
        ],
        [
            ("start", "hello"),
            ("hello", "pause"),
            ("pause", "opened"),
            ("opened", "yes", "tips"),
            ("opened", "no", "bye"),
        ],
    )
    with engine.begin() as conn:  # opted out: their messages are suppressed
        conn.execute(update(contacts).where(contacts.c.id <= 10).values(unsubscribed=True))
    _cid, runner, clock = launch(engine, d, assume={"opened": 0.4, "clicked": 0.2})
    runner.batch_size = 64  # many batches, several node groups each
    run_until(runner, clock, START + dt.timedelta(days=3), dt.timedelta(hours=6))
    with engine.connect() as conn:
        engaged, daily, counted_steps, per_node = others(conn)
        assert sum(r[-1] for r in counted_steps) >= 250 * 4
        assert {r[1] for r in engaged} == {"hello", "tips", "bye"}  # assumed opens, clicks
        assert {"suppressed", "simulated"} <= {r[3] for r in kept(conn)}
        assert (engaged, daily, counted_steps, per_node) == others_recounted(conn)
        assert kept(conn) == recount(conn)
        assert conn.scalar(select(func.count()).select_from(counting_paused)) == 0
