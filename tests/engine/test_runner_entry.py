"""Entry frequency (once, every_time, a duration), the frequency cap across campaigns and
date-field triggers."""

import datetime as dt

import pytest
from runner_helpers import START, add_event, diagram, launch, make_db
from sqlalchemy import func, select

from engine.db.schema import contacts, enrollments, messages

H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("entry", "expected"), [("once", 1), ("every_time", 2), ("P2D", 2), ("P10D", 1)]
)
def test_entry_frequency(tmp_path, entry, expected):
    engine = make_db(tmp_path, 1)
    with engine.connect() as conn:
        cid_contact = conn.scalar(select(contacts.c.id))
    d = diagram(
        [
            ("start", "trigger.event", {"event": "visit"}),
            ("wait", "wait.delay", {"duration": "P1D"}),
        ],
        [("start", "wait")],
        entry=entry,
    )
    _cid, runner, _clock = launch(engine, d)
    add_event(engine, cid_contact, "visit", START + H)
    add_event(engine, cid_contact, "visit", START + 5 * H)  # while inside: never re-enters
    add_event(engine, cid_contact, "visit", START + dt.timedelta(days=3))  # after leaving
    for hours in (2, 6, 30, 73, 100):
        runner.tick(START + hours * H)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(enrollments))
    assert count == expected


def test_frequency_cap_counts_across_campaigns(tmp_path):
    engine = make_db(tmp_path, 1)
    with engine.connect() as conn:
        contact = conn.scalar(select(contacts.c.id))
    with engine.begin() as conn:  # two messages from another campaign today
        conn.execute(
            messages.insert(),
            [
                {
                    "key": f"other:{i}",
                    "campaign_id": 999,
                    "contact_id": contact,
                    "channel": "email",
                    "status": "sent",
                    "created_at": START - H,
                }
                for i in range(2)
            ],
        )
    d = diagram(
        [
            ("start", "trigger.event", {"event": "go"}),
            ("one", "action.send_email", {"template": "welcome"}),
            ("two", "action.send_email", {"template": "welcome"}),
        ],
        [("start", "one"), ("one", "two")],
        frequency_cap={"count": 3, "per": "P1D"},
    )
    cid, runner, _clock = launch(engine, d)
    add_event(engine, contact, "go", START + H)
    runner.tick(START + 2 * H)
    with engine.connect() as conn:
        rows = dict(
            conn.execute(
                select(messages.c.node_id, messages.c.status).where(messages.c.campaign_id == cid)
            ).all()
        )
    assert rows == {"one": "simulated", "two": "suppressed"}
    with engine.connect() as conn:
        error = conn.scalar(select(messages.c.error).where(messages.c.node_id == "two"))
    assert error == "frequency cap"


def test_date_field_trigger_yearly_in_contact_zone(tmp_path):
    engine = make_db(
        tmp_path,
        2,
        timezone=lambda i: ["Asia/Tokyo", "America/New_York"][i],
        attributes=lambda i: {"birthday": "1990-03-05"},
    )
    d = diagram(
        [
            (
                "start",
                "trigger.date_field",
                {"field": "birthday", "offset": "-P1D", "yearly": True, "at": "09:00"},
            ),
            ("s", "action.score", {"points": 1}),
        ],
        [("start", "s")],
    )
    _cid, runner, _clock = launch(engine, d)
    for hours in range(0, 24 * 4, 3):
        runner.tick(START + hours * H)
    with engine.connect() as conn:
        rows = dict(
            conn.execute(
                select(contacts.c.timezone, enrollments.c.entered_at).join(
                    contacts, contacts.c.id == enrollments.c.contact_id
                )
            ).all()
        )
    # 4 March 09:00 local.
    assert rows == {
        "Asia/Tokyo": dt.datetime(2026, 3, 4, 0, 0),
        "America/New_York": dt.datetime(2026, 3, 4, 14, 0),
    }
