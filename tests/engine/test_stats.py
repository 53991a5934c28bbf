"""Statistics: per node, per edge, per campaign and per day, and the stats command."""

import csv
import datetime as dt
import io
import json

from runner_helpers import START, add_segment, diagram, launch, make_db, run_until
from sqlalchemy import update

from engine import stats
from engine.cli.stats import write_csv
from engine.db.schema import contacts, messages


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
    assert nodes["wait"] == {"entered": 10, "waiting": 10, "ports": {"out": 0}}
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
    assert rows[0][:3] == ["node", "entered", "waiting"]
    # The command line: JSON with nodes and campaign.
    from argparse import Namespace

    from engine.cli.stats import run

    db = str(tmp_path / "test.db")
    args = Namespace(campaign="Stats", stats_db=db, json=True, csv=False)
    assert run(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"nodes", "campaign"}
    assert printed["nodes"]["hello"]["sent"] == 9
    assert run(Namespace(campaign="Nope", stats_db=db, json=False, csv=False)) == 2
