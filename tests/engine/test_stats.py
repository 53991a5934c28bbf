"""Statistics: per node, per edge, per campaign and per day, and the stats command."""

import csv
import datetime as dt
import io
import json

from runner_helpers import START, add_segment, diagram, launch, make_db, run_until
from sqlalchemy import select, update

from engine import stats
from engine.cli.stats import write_csv
from engine.db.schema import contacts, enrollments, messages


def test_stats_after_a_run(tmp_path, capsys):
    engine = make_db(tmp_path, 10)
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    with engine.begin() as conn:
        conn.execute(update(contacts).where(contacts.c.id == 1).values(unsubscribed=True))
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
            ("wait", "wait.delay", {"duration": "P3D"}),
            ("done", "action.score", {"points": 1}),
        ],
        [("start", "hello"), ("hello", "wait"), ("wait", "done")],
        name="Stats",
    )
    cid, runner, clock = launch(engine, d, assume={"opened": 0.5, "clicked": 0.2})
    run_until(runner, clock, START + dt.timedelta(days=1), dt.timedelta(hours=6))
    with engine.begin() as conn:
        conn.execute(update(messages).where(messages.c.id == 2).values(attempts=3))
    with engine.connect() as conn:
        nodes = stats.node_stats(conn, cid)
        edges = stats.edge_stats(conn, cid)
        campaign = stats.campaign_stats(conn, cid)
        days = stats.daily_stats(conn, cid)
        document = stats.report(conn, cid)
    assert nodes["hello"]["entered"] == 10
    assert nodes["hello"]["sent"] == 9 and nodes["hello"]["suppressed"] == 1
    assert 0 < nodes["hello"]["opened"] < 9
    assert nodes["wait"] == {
        "entered": 10,
        "waiting": 10,
        "ports": {"out": 0},
        "converted": 0,
        "exited": 0,
        "failed": 0,
    }
    assert "sent" not in nodes["wait"]
    assert edges == {("start", "out"): 10, ("hello", "out"): 10}
    assert campaign["enrolled"] == 10 and campaign["active"] == 10
    assert campaign["messages"] == {"email": {"simulated": 9, "suppressed": 1}}
    assert campaign["retries"] == 2
    assert days[0]["date"] == "2026-03-02" and days[0]["entered"] == 10 and days[0]["sent"] == 9
    assert sum(d["opened"] for d in days) == nodes["hello"]["opened"]
    buffer = io.StringIO()
    write_csv(document, buffer)
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[0][:4] == ["node", "node id", "entered", "waiting"]
    # The command line: JSON with nodes and campaign.
    from argparse import Namespace

    from engine.cli.stats import run

    db = str(tmp_path / "test.db")
    args = Namespace(campaign="Stats", db=db, json=True, csv=False)
    assert run(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"nodes", "campaign"}
    assert printed["nodes"]["hello"]["sent"] == 9
    assert run(Namespace(campaign="Nope", stats_db=db, json=False, csv=False)) == 2


def _reconciles(figures: dict) -> bool:
    """in = waiting + every way out (ports, to a goal, exited, failed); a send node's
    `failed` counts messages, whose contacts also left through `out`."""
    failed = 0 if "sent" in figures else figures["failed"]
    out = sum(figures["ports"].values()) + figures["converted"] + figures["exited"] + failed
    return figures["entered"] == figures["waiting"] + out


def test_every_node_adds_up_with_goals_exits_and_a_stop(tmp_path):
    from runner_helpers import add_event

    from engine import campaigns

    engine = make_db(tmp_path, 8)
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            (
                "ab",
                "condition.split",
                {"branches": [{"port": "A", "percent": 50}, {"port": "B", "percent": 50}]},
            ),
            ("hello", "action.send_email", {"template": "welcome"}),
            ("wait", "wait.delay", {"duration": "P5D"}),
            ("later", "action.score", {"points": 1}),
            ("bye", "exit", {}),
            ("won", "goal", {"event": "purchase"}),
            ("thanks", "action.score", {"points": 100}),
        ],
        [
            ("start", "ab"),
            ("ab", "A", "hello"),
            ("ab", "B", "bye"),
            ("hello", "wait"),
            ("wait", "later"),
            ("won", "thanks"),
        ],
        name="Adds up",
    )
    cid, runner, clock = launch(engine, d)
    run_until(runner, clock, START + dt.timedelta(hours=2))
    with engine.connect() as conn:
        waiting = conn.execute(
            select(enrollments.c.contact_id).where(
                enrollments.c.node_id == "wait", enrollments.c.status == "active"
            )
        ).all()
    assert len(waiting) >= 2
    add_event(engine, waiting[0][0], "purchase", START + dt.timedelta(hours=3))
    run_until(runner, clock, START + dt.timedelta(hours=5))
    with engine.connect() as conn:
        nodes = stats.node_stats(conn, cid)
    assert nodes["wait"]["converted"] == 1 and nodes["wait"]["waiting"] == len(waiting) - 1
    assert nodes["bye"]["exited"] == nodes["ab"]["ports"]["B"] > 0
    assert nodes["won"]["ports"]["out"] == 1
    assert all(_reconciles(f) for f in nodes.values()), nodes
    campaigns.stop(engine, cid, START + dt.timedelta(hours=6))
    with engine.connect() as conn:
        nodes = stats.node_stats(conn, cid)
    assert nodes["wait"]["waiting"] == 0
    assert nodes["wait"]["exited"] == len(waiting) - 1
    assert all(_reconciles(f) for f in nodes.values()), nodes


def test_a_message_without_a_node_is_counted_for_the_campaign_not_as_a_node(tmp_path):
    engine = make_db(tmp_path, 3)
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    d = diagram(
        [("start", "trigger.manual", {"segment": "all"}),
         ("hello", "action.send_email", {"template": "welcome"})],
        [("start", "hello")],
        name="Nodeless",
    )  # fmt: skip
    cid, runner, clock = launch(engine, d)
    run_until(runner, clock, START + dt.timedelta(hours=2), dt.timedelta(hours=1))
    with engine.begin() as conn:
        row = conn.execute(select(messages).where(messages.c.campaign_id == cid)).mappings().first()
        copy = {k: v for k, v in row.items() if k != "id"}
        copy.update(node_id=None, key=f"{row['key']}-nodeless")
        conn.execute(messages.insert().values(**copy))
    with engine.connect() as conn:
        nodes = stats.node_stats(conn, cid)
        document = stats.report(conn, cid)
    assert set(nodes) == {"start", "hello"}
    assert nodes["hello"]["sent"] == 3
    json.dumps(document, sort_keys=True)  # None among the keys made sorting fail
