"""One contact's campaigns, messages and events from the engine alone (the contact page's
tabs), and a second contact with the same email refused with a sentence."""

import datetime as dt

import pytest
from runner_helpers import START, add_contacts, add_event, add_segment, diagram, launch, make_db

from engine import store
from engine.contact_activity import contact_activity, most_travelled_contact


def test_campaigns_messages_and_events_newest_first(tmp_path):
    engine = make_db(tmp_path, 2)
    add_segment(engine, "all", {"all": []})
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
            ("later", "wait.delay", {"duration": "P3D"}),
        ],
        [("start", "hello"), ("hello", "later")],
        name="Activity",
    )
    cid, runner, clock = launch(engine, d)
    runner.tick(clock.now())
    add_event(engine, 1, "purchase", START + dt.timedelta(hours=1), amount=5)
    add_event(engine, 1, "visit", START + dt.timedelta(hours=2))
    with engine.connect() as conn:
        activity = contact_activity(conn, 1)
        other = contact_activity(conn, 2, limit=0)
    [entered] = activity["campaigns"]
    assert (entered["campaign"], entered["node_id"], entered["status"]) == (
        "Activity", "later", "active"
    )  # fmt: skip
    [message] = activity["messages"]
    assert message["campaign"] == "Activity" and message["subject"] == "Hi First0"
    names = [e["name"] for e in activity["events"]]
    assert names[:2] == ["visit", "purchase"]
    assert activity["events"][1]["properties"] == {"amount": 5}
    assert other == {"campaigns": [], "messages": [], "events": []}
    assert cid == entered["campaign_id"]


def test_a_second_contact_with_the_same_email_is_refused(tmp_path):
    engine = make_db(tmp_path, 2)
    with engine.begin() as conn:
        with pytest.raises(store.DuplicateContact, match=r"c0@example\.com"):
            store.create_contact(conn, email="c0@example.com")
        with pytest.raises(store.DuplicateContact, match="another contact already uses"):
            store.update_contact(conn, 2, {"email": "c0@example.com"})
        store.update_contact(conn, 1, {"email": "c0@example.com", "first_name": "Same"})


def test_the_most_travelled_contact_and_an_empty_workspace(tmp_path):
    from engine.workspace import is_empty

    engine = make_db(tmp_path)
    assert is_empty(engine)
    with engine.connect() as conn:
        assert most_travelled_contact(conn) is None
    add_contacts(engine, 3)
    assert not is_empty(engine)
    add_segment(engine, "all", {"all": []})
    add_segment(engine, "second", members=[2])
    for name, segment in (("One", "all"), ("Two", "second")):
        d = diagram(
            [
                ("start", "trigger.manual", {"segment": segment}),
                ("hello", "action.send_email", {"template": "welcome"}),
            ],
            [("start", "hello")],
            name=name,
        )
        _cid, runner, clock = launch(engine, d)
        runner.tick(clock.now())
    with engine.connect() as conn:
        assert most_travelled_contact(conn) == 2
