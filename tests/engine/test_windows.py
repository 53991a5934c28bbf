"""Time-window waits and quiet hours in the contact's time zone (then the campaign's)."""

import datetime as dt

from runner_helpers import START, add_segment, diagram, launch, make_db, run_until
from sqlalchemy import select

from engine.db.schema import contacts, messages, steps
from engine.runner.timing import UTC, next_window, quiet_until, zone

WEEKDAYS = frozenset(range(5))


def test_next_window_in_two_zones():
    # Monday 2026-03-02 10:00 UTC = 19:00 in Tokyo, 05:00 in New York.
    tokyo = next_window(START, zone("Asia/Tokyo"), WEEKDAYS, dt.time(9), dt.time(17))
    new_york = next_window(START, zone("America/New_York"), WEEKDAYS, dt.time(9), dt.time(17))
    assert tokyo == dt.datetime(2026, 3, 3, 0, 0)  # Tuesday 09:00 JST
    assert new_york == dt.datetime(2026, 3, 2, 14, 0)  # Monday 09:00 EST
    # Inside the window: now.
    assert next_window(START, UTC, WEEKDAYS, dt.time(9), dt.time(17)) == START
    # Friday evening waits for Monday.
    friday = dt.datetime(2026, 3, 6, 18, 0)
    assert next_window(friday, UTC, WEEKDAYS, dt.time(9), dt.time(17)) == dt.datetime(
        2026, 3, 9, 9, 0
    )
    # An overnight window (22:00-06:00) is open at 02:00.
    night = dt.datetime(2026, 3, 3, 2, 0)
    assert next_window(night, UTC, WEEKDAYS, dt.time(22), dt.time(6)) == night


def test_quiet_hours():
    evening = dt.datetime(2026, 3, 2, 22, 0)
    assert quiet_until(evening, UTC, dt.time(21), dt.time(8)) == dt.datetime(2026, 3, 3, 8, 0)
    assert quiet_until(START, UTC, dt.time(21), dt.time(8)) is None
    # 10:00 UTC is 19:00 in Tokyo: not quiet; 21:00 UTC is 06:00 in Tokyo: quiet until 08:00 JST.
    late = dt.datetime(2026, 3, 2, 21, 0)
    assert quiet_until(late, zone("Asia/Tokyo"), dt.time(21), dt.time(8)) == dt.datetime(
        2026, 3, 2, 23, 0
    )


def test_window_wait_runs_per_contact_time_zone(tmp_path):
    zones = ["Asia/Tokyo", "America/New_York", None]
    engine = make_db(tmp_path, 3, timezone=lambda i: zones[i])
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            (
                "win",
                "wait.window",
                {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"},
            ),
            ("s", "action.score", {"points": 1}),
        ],
        [("start", "win"), ("win", "s")],
        timezone="Europe/Berlin",
    )
    _cid, runner, clock = launch(engine, d)
    run_until(runner, clock, START + dt.timedelta(days=1), dt.timedelta(minutes=30))
    with engine.connect() as conn:
        left = dict(
            conn.execute(
                select(contacts.c.timezone, steps.c.at)
                .join(contacts, contacts.c.id == steps.c.contact_id)
                .where(steps.c.node_id == "win")
            ).all()
        )
    assert left["Asia/Tokyo"] == dt.datetime(2026, 3, 3, 0, 0)
    assert left["America/New_York"] == dt.datetime(2026, 3, 2, 14, 0)
    assert left[None] == START  # campaign zone Berlin: 11:00, open


def test_quiet_hours_defer_the_send(tmp_path):
    engine = make_db(tmp_path, 2, timezone=lambda i: ["Asia/Tokyo", "Europe/London"][i])
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
        ],
        [("start", "hello")],
        quiet_hours=["21:00", "08:00"],
    )
    late = dt.datetime(2026, 3, 2, 21, 30)  # 06:30 Tokyo (quiet), 21:30 London (quiet)
    _cid, runner, clock = launch(engine, d, at=late)
    runner.tick(late)
    with engine.connect() as conn:
        assert conn.execute(select(messages)).first() is None  # deferred, not skipped
    run_until(runner, clock, late + dt.timedelta(hours=12), dt.timedelta(minutes=30))
    with engine.connect() as conn:
        sent = dict(
            conn.execute(
                select(contacts.c.timezone, messages.c.created_at).join(
                    contacts, contacts.c.id == messages.c.contact_id
                )
            ).all()
        )
    assert sent == {
        "Asia/Tokyo": dt.datetime(2026, 3, 2, 23, 0),
        "Europe/London": dt.datetime(2026, 3, 3, 8, 0),
    }


def test_workspace_default_quiet_hours_apply_to_campaigns_without_their_own(tmp_path):
    from engine.settings import save_settings

    engine = make_db(tmp_path, 1, timezone=lambda i: "Europe/London")
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    save_settings(engine, {"quiet_hours": ["21:00", "08:00"]})
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
        ],
        [("start", "hello")],
    )
    late = dt.datetime(2026, 3, 2, 21, 30)  # 21:30 London: quiet by the workspace default
    _cid, runner, clock = launch(engine, d, at=late)
    runner.tick(late)
    with engine.connect() as conn:
        assert conn.execute(select(messages)).first() is None  # deferred by the default
    morning = dt.datetime(2026, 3, 3, 8, 0)
    clock.set(morning)
    runner.tick(morning)
    with engine.connect() as conn:
        assert len(conn.execute(select(messages)).all()) == 1
