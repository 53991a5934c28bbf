"""Campaign storage and lifecycle: versions, allowed transitions, validation before start."""

import datetime as dt

import pytest
from runner_helpers import START, add_segment, diagram, make_db
from sqlalchemy import func, select

from engine import campaigns
from engine.campaigns import CampaignError
from engine.clock import VirtualClock
from engine.db.schema import campaign_versions, enrollments
from engine.runner import Runner


def _simple(name="Lifecycle", template="welcome"):
    return diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": template}),
            ("pause", "wait.delay", {"duration": "P1D"}),
        ],
        [("start", "hello"), ("hello", "pause")],
        name=name,
    )


def test_virtual_clock_moves_only_forward():
    clock = VirtualClock(START)
    assert clock.now() == START
    clock.advance(dt.timedelta(hours=2))
    assert clock.now() == START + dt.timedelta(hours=2)
    with pytest.raises(ValueError):
        clock.set(START)


def test_save_creates_then_versions_only_changes(tmp_path):
    engine = make_db(tmp_path, 3)
    d = _simple()
    cid = campaigns.save_campaign(engine, d)
    assert campaigns.save_campaign(engine, d) == cid  # unchanged: no new version
    d.nodes["pause"].params["duration"] = "P3D"
    assert campaigns.save_campaign(engine, d, note="longer") == cid
    with engine.connect() as conn:
        assert campaigns.get_campaign(conn, cid)["version"] == 2
        assert conn.scalar(select(func.count()).select_from(campaign_versions)) == 2
        old = campaigns.load_diagram(conn, "Lifecycle", version=1)
        assert old.nodes["pause"].params["duration"] == "P1D"
        assert campaigns.load_diagram(conn, cid).nodes["pause"].params["duration"] == "P3D"


def test_lifecycle_transitions(tmp_path):
    engine = make_db(tmp_path, 3)
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    cid = campaigns.save_campaign(engine, _simple())
    assert "start" in campaigns.allowed_actions("draft")
    with pytest.raises(CampaignError):
        campaigns.pause(engine, cid)
    campaigns.start(engine, cid, START)
    with engine.connect() as conn:
        assert campaigns.get_campaign(conn, cid)["status"] == "live"
        assert conn.scalar(select(func.count()).select_from(enrollments)) == 3
    campaigns.pause(engine, cid, START)
    campaigns.resume(engine, cid, START)
    with pytest.raises(CampaignError):
        campaigns.delete(engine, cid)  # live: stop first
    campaigns.stop(engine, cid, START)
    with engine.connect() as conn:
        rows = conn.execute(select(enrollments.c.status)).scalars().all()
        assert set(rows) == {"exited"}
        assert campaigns.get_campaign(conn, cid)["status"] == "stopped"
    copy_id = campaigns.duplicate(engine, cid, "Lifecycle copy")
    with engine.connect() as conn:
        assert campaigns.get_campaign(conn, copy_id)["status"] == "draft"
        names = [c["name"] for c in campaigns.list_campaigns(conn)]
    assert names == ["Lifecycle", "Lifecycle copy"]
    campaigns.delete(engine, cid)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(enrollments)) == 0


def test_campaign_with_errors_cannot_start(tmp_path):
    engine = make_db(tmp_path, 1)
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    cid = campaigns.save_campaign(engine, _simple(template="no-such-template"))
    with pytest.raises(CampaignError) as info:
        campaigns.start(engine, cid, START)
    assert info.value.problems
    assert "no-such-template" in str(info.value)
    with engine.connect() as conn:
        assert campaigns.get_campaign(conn, cid)["status"] == "draft"


def test_scheduled_campaign_goes_live_at_start_time(tmp_path):
    engine = make_db(tmp_path, 2)
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    cid = campaigns.save_campaign(engine, _simple())
    campaigns.schedule(engine, cid, START + dt.timedelta(hours=5))
    runner = Runner(engine, VirtualClock(START), mode="simulate")
    runner.tick(START + dt.timedelta(hours=4))
    with engine.connect() as conn:
        assert campaigns.get_campaign(conn, cid)["status"] == "scheduled"
    report = runner.tick(START + dt.timedelta(hours=5))
    assert report.messages == 2
    with engine.connect() as conn:
        assert campaigns.get_campaign(conn, cid)["status"] == "live"


def test_enrollments_keep_their_version(tmp_path):
    engine = make_db(tmp_path, 2)
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    d = _simple()
    cid = campaigns.save_campaign(engine, d)
    campaigns.start(engine, cid, START)
    runner = Runner(engine, VirtualClock(START), mode="simulate")
    runner.tick(START)
    # Edit while live: the delay becomes 10 days in version 2.
    d.nodes["pause"].params["duration"] = "P10D"
    campaigns.save_campaign(engine, d)
    runner.tick(START + dt.timedelta(days=1, minutes=1))
    with engine.connect() as conn:
        rows = conn.execute(select(enrollments.c.version, enrollments.c.status)).all()
    assert rows == [(1, "completed"), (1, "completed")]
