"""Typed values, field names and date ranges are checked before start; a campaign never
writes an opt-out flag (issue 16, items 1 and 3)."""

from __future__ import annotations

from sqlalchemy import func, select, update

from engine import campaigns
from engine.db.schema import contacts, messages, steps
from engine.validation import validate
from tests.engine.runner_helpers import START, diagram, launch, make_db

EVERYONE = {"filter": {"all": []}}


def _one(node_type: str, params: dict):
    return diagram(
        [("t", "trigger.manual", EVERYONE), ("n", node_type, params)], [("t", "n")], name="c"
    )


def _errors(d) -> list[str]:
    return [p.message for p in validate(d) if p.severity == "error" and p.node == "n"]


def test_validation_refuses_what_the_runner_would_fail_on():
    cases = {
        ("condition.attribute", '{"field": "a\\"b"}'): {"field": 'a"b', "op": "eq", "value": 1},
        ("update_contact", "score lots"): {"field": "score", "value": "lots"},
        ("update_contact", "unsubscribed"): {"field": "unsubscribed", "value": False},
        ("update_contact", "bounced"): {"field": "bounced", "value": False},
        ("update_contact", "NUL"): {"field": "first_name", "value": "a\x00b"},
        ("condition.attribute", "score inf"): {"field": "score", "op": "gt", "value": float("inf")},
        ("condition.attribute", "far duration"): {
            "field": "created_at",
            "op": "gt",
            "value": "P99999999999Y",
        },
    }
    for (kind, label), params in cases.items():
        node_type = "action.update_contact" if kind == "update_contact" else kind
        assert _errors(_one(node_type, params)), label
    trigger_filter = {
        "filter": {"all": [{"field": "created_at", "op": "lt", "value": "0000-01-01"}]}
    }
    d = diagram([("n", "trigger.manual", trigger_filter)], [], name="c")
    assert _errors(d)


def test_validation_accepts_the_good_versions():
    assert not _errors(_one("action.update_contact", {"field": "score", "value": 5}))
    assert not _errors(_one("action.update_contact", {"field": "score", "value": "{{ 1 }}"}))
    assert not _errors(
        _one("condition.attribute", {"field": "created_at", "op": "eq", "value": "9999-12-31"})
    )


def test_a_last_day_of_time_compares_instead_of_failing(tmp_path):
    engine = make_db(tmp_path, 5)
    d = diagram(
        [
            ("t", "trigger.manual", EVERYONE),
            (
                "c",
                "condition.attribute",
                {"field": "created_at", "op": "eq", "value": "9999-12-31"},
            ),
        ],
        [("t", "c")],
    )
    _campaign_id, runner, _clock = launch(engine, d, mode="live")
    runner.tick(START)
    with engine.connect() as conn:
        ports = conn.execute(select(steps.c.port).where(steps.c.node_id == "c")).scalars().all()
    assert ports == ["no"] * 5


def test_a_campaign_never_resubscribes_anyone(tmp_path, monkeypatch):
    engine = make_db(tmp_path, 6, unsubscribed=lambda i: i % 2 == 0, bounced=lambda i: i == 1)
    d = diagram(
        [
            ("t", "trigger.manual", EVERYONE),
            ("u", "action.update_contact", {"field": "unsubscribed", "value": False}),
            ("b", "action.update_contact", {"field": "bounced", "value": "{{ false }}"}),
            ("s", "action.send_email", {"subject": "hi", "body": "x"}),
        ],
        [("t", "u"), ("u", "b"), ("b", "s")],
    )
    monkeypatch.setattr(campaigns, "check_startable", lambda engine, diagram: None)
    _campaign_id, runner, _clock = launch(engine, d, mode="live")
    runner.tick(START)
    with engine.connect() as conn:
        flags = conn.execute(select(contacts.c.unsubscribed, contacts.c.bounced)).all()
        queued = conn.scalar(select(func.count()).where(messages.c.status == "queued"))
        details = set(conn.execute(select(steps.c.detail).where(steps.c.node_id == "u")).scalars())
    assert sum(u for u, _ in flags) == 3 and sum(b for _, b in flags) == 1
    assert queued == 2  # only the two contacts who were neither
    assert any("never changes 'unsubscribed'" in (d or "") for d in details)


def test_update_contact_stores_typed_values(tmp_path):
    engine = make_db(tmp_path, 2)
    with engine.begin() as conn:
        conn.execute(update(contacts).values(score=0))
    d = diagram(
        [
            ("t", "trigger.manual", EVERYONE),
            ("u", "action.update_contact", {"field": "score", "value": "{{ 40 + 2 }}"}),
            ("p", "action.score", {"points": 1}),
        ],
        [("t", "u"), ("u", "p")],
    )
    launch(engine, d, mode="live")[1].tick(START)
    with engine.connect() as conn:
        assert conn.execute(select(contacts.c.score)).scalars().all() == [43, 43]


def test_a_person_clearing_an_opt_out_is_logged(tmp_path):
    from engine import store
    from engine.db.schema import events

    engine = make_db(tmp_path, 1, unsubscribed=True)
    with engine.begin() as conn:
        store.update_contact(conn, 1, unsubscribed=False, bounced=False)
        store.update_contact(conn, 1, unsubscribed=False)  # already clear: nothing to log
    with engine.connect() as conn:
        logged = conn.execute(select(events.c.name, events.c.properties)).all()
    assert logged == [
        ("resubscribed", {"by": "a person (contacts screen)", "field": "unsubscribed"})
    ]
