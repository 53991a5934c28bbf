"""A fault in one campaign, node or contact stays there (issue 16, item 1): the poisoned
campaign is paused with the reason, the healthy one next to it sends everything."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select, update

from engine import campaigns
from engine.db.schema import campaigns as campaigns_table
from engine.db.schema import contacts, enrollments, messages, steps
from tests.engine.runner_helpers import START, diagram, launch, make_db

EVERYONE = {"filter": {"all": []}}
POISONS = {  # faults that validation would refuse; started anyway (an older database)
    "quote in an attribute name": [
        ("c", "condition.attribute", {"field": 'a"b', "op": "eq", "value": "x"})
    ],
    "a segment deleted after start": [("c", "condition.segment", {"segment": "gone"})],
}


def _healthy():
    return diagram(
        [
            ("t", "trigger.manual", EVERYONE),
            ("s", "action.send_email", {"subject": "hi", "body": "x"}),
        ],
        [("t", "s")],
        name="healthy",
    )


def _poisoned(middle):
    nodes = [("t", "trigger.manual", EVERYONE), *middle]
    edges = [("t", middle[0][0])] + [(a[0], b[0]) for a, b in itertools.pairwise(middle)]
    return diagram(nodes, edges, name="poisoned")


def _start_unchecked(engine, d, monkeypatch):
    """Start a campaign as if validation had let it through (what the adversarial run did)."""
    monkeypatch.setattr(campaigns, "check_startable", lambda engine, diagram: None)
    campaign_id = campaigns.save_campaign(engine, d)
    campaigns.start(engine, campaign_id, START)
    monkeypatch.undo()
    return campaign_id


@pytest.mark.parametrize("batch", [2000, 16])  # 16: batches through the writer process
@pytest.mark.parametrize("poison", sorted(POISONS))
def test_a_poisoned_campaign_does_not_stop_a_healthy_one(tmp_path, monkeypatch, poison, batch):
    from engine.runner import writer

    engine = make_db(tmp_path, 60)
    bad = _start_unchecked(engine, _poisoned(POISONS[poison]), monkeypatch)
    good, runner, _clock = launch(engine, _healthy(), mode="live")
    monkeypatch.setattr(writer, "available", lambda: True)  # even on a one-core machine
    submitted = []
    real = writer.submit
    monkeypatch.setattr(writer, "submit", lambda *a: submitted.append(1) or real(*a))
    runner.batch_size = batch
    runner.tick(START)
    assert bool(submitted) == (batch < 120)
    runner.tick(START)  # a second tick: the paused campaign stays out of the way
    with engine.connect() as conn:
        sent = conn.scalar(select(func.count()).where(messages.c.campaign_id == good))
        row = conn.execute(select(campaigns_table).where(campaigns_table.c.id == bad)).one()
        failed = (
            conn.execute(
                select(steps.c.detail).where(
                    steps.c.campaign_id == bad, steps.c.outcome == "failed"
                )
            )
            .scalars()
            .all()
        )
    assert sent == 60
    assert row.status == "paused"
    assert "node 'c'" in row.error
    assert len(failed) == 60 and all("node 'c' failed" in d for d in failed)
    campaigns.resume(engine, bad, START)
    with engine.connect() as conn:
        assert (
            conn.scalar(select(campaigns_table.c.error).where(campaigns_table.c.id == bad)) is None
        )


def test_one_contact_whose_data_breaks_a_node_fails_alone(tmp_path):
    engine = make_db(tmp_path, 10)
    with engine.begin() as conn:  # older data: a text score (SQLite keeps what it is given)
        conn.execute(update(contacts).where(contacts.c.id == 4).values(score="lots"))
    d = diagram(
        [
            ("t", "trigger.manual", EVERYONE),
            ("p", "action.score", {"points": 1}),
            ("s", "action.send_email", {"subject": "hi", "body": "x"}),
        ],
        [("t", "p"), ("p", "s")],
    )
    campaign_id, runner, _clock = launch(engine, d, mode="live")
    runner.tick(START)
    with engine.connect() as conn:
        sent = conn.scalar(select(func.count()).where(messages.c.campaign_id == campaign_id))
        status = conn.scalar(
            select(campaigns_table.c.status).where(campaigns_table.c.id == campaign_id)
        )
        failed = (
            conn.execute(select(enrollments.c.contact_id).where(enrollments.c.status == "failed"))
            .scalars()
            .all()
        )
        scores = dict(conn.execute(select(contacts.c.id, contacts.c.score)).all())
    assert sent == 9
    assert failed == [4]
    assert status == "completed"  # not paused: one contact is not the campaign's fault
    assert scores[1] == 1 and scores[4] == "lots"  # each other contact scored exactly once
