"""Triggers and goals read events in the order they arrived, not by occurred_at: an event
imported or posted late still enrolls or converts; one older than late_event_days is kept
but triggers nothing; one dated in the future counts when its time comes."""

from __future__ import annotations

import datetime as dt

from runner_helpers import START, add_contacts, add_event, diagram, launch, make_db
from sqlalchemy import select

from engine.db.schema import enrollments
from engine.settings import save_settings

H = dt.timedelta(hours=1)


def _enrolled(engine) -> dict[int, dt.datetime]:
    with engine.connect() as conn:
        return dict(conn.execute(select(enrollments.c.contact_id, enrollments.c.entered_at)).all())


def test_a_late_event_still_enrolls_and_a_too_old_one_does_not(tmp_path):
    engine = make_db(tmp_path)
    late, ancient, future = add_contacts(engine, 3)
    save_settings(engine, {"late_event_days": 30})
    d = diagram([("start", "trigger.event", {"event": "purchase"}),
                 ("wait", "wait.delay", {"duration": "P7D"})], [("start", "wait")])  # fmt: skip
    _cid, runner, _clock = launch(engine, d)
    runner.tick(START + 2 * H)  # the trigger has looked up to START + 2h
    add_event(engine, late, "purchase", START + H)  # happened before that look, arrives now
    add_event(engine, ancient, "purchase", START - dt.timedelta(days=40))  # too old to count
    add_event(engine, future, "purchase", START + 10 * H)  # its time has not come yet
    runner.tick(START + 3 * H)
    assert _enrolled(engine) == {late: START + 2 * H}  # entered when it was learnt of
    runner.tick(START + 11 * H)
    assert set(_enrolled(engine)) == {late, future}
    assert _enrolled(engine)[future] == START + 10 * H
    runner.tick(START + 20 * H)  # nothing is read twice
    assert set(_enrolled(engine)) == {late, future}


def test_a_late_goal_event_still_converts(tmp_path):
    engine = make_db(tmp_path)
    (contact,) = add_contacts(engine, 1)
    d = diagram([("start", "trigger.event", {"event": "signup"}),
                 ("wait", "wait.delay", {"duration": "P7D"}),
                 ("won", "goal", {"event": "purchase"})], [("start", "wait")])  # fmt: skip
    _cid, runner, _clock = launch(engine, d)
    add_event(engine, contact, "signup", START + H)
    runner.tick(START + 2 * H)
    runner.tick(START + 5 * H)  # the goal has looked up to START + 5h
    add_event(engine, contact, "purchase", START + 4 * H)  # inside, but arrives late
    runner.tick(START + 6 * H)
    with engine.connect() as conn:
        row = conn.execute(select(enrollments.c.node_id, enrollments.c.converted_at)).one()
    assert (row.node_id, row.converted_at) == ("won", START + 4 * H)


def test_an_import_says_which_events_are_too_old_to_count(tmp_path):
    from engine.importer import import_events

    engine = make_db(tmp_path)
    add_contacts(engine, 1)
    save_settings(engine, {"late_event_days": 30})
    path = tmp_path / "events.csv"
    recent = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    path.write_text(f"email,event,occurred_at\nc0@example.com,purchase,{recent}\n"
                    "c0@example.com,purchase,2001-01-01T00:00:00\n")  # fmt: skip
    report = import_events(engine, path)
    assert (report.inserted, report.late) == (2, 1)
    assert "1 too old to trigger anything" in report.summary()
