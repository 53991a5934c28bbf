"""engine.store on real databases: contacts, search, paging, tags, events, segments, templates."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest_data import database_url, postgres_server  # noqa: F401
from sqlalchemy import insert, select

from engine import store
from engine.db import open_database
from engine.db.schema import campaigns, contacts, messages, steps
from engine.store import StoreError

T0 = dt.datetime(2026, 4, 1, 10, 0)


@pytest.fixture
def db(database_url):  # noqa: F811
    engine = open_database(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_db(tmp_path):
    engine = open_database(tmp_path / "s.db")
    yield engine
    engine.dispose()


def add_people(conn, n=30):
    rows = []
    for i in range(1, n + 1):
        rows.append({
            "email": f"user{i:03d}@{'shop.example' if i % 2 else 'mail.example'}",
            "phone": f"+49151{i:05d}" if i % 3 == 0 else None,
            "first_name": ["Anna", "Ben", "Chloé"][i % 3], "last_name": f"Zeta{i % 5}",
            "created_at": T0 + dt.timedelta(hours=i), "score": i,
            "attributes": {"plan": "pro" if i % 4 == 0 else "free", "n": i},
        })  # fmt: skip
    conn.execute(insert(contacts), rows)


def test_create_get_update_contact_with_tags(db):
    with db.begin() as conn:
        cid = store.create_contact(conn, email=" Ann@Example.COM ", first_name="Ann",
                                   timezone="Europe/Berlin", attributes={"plan": "pro"},
                                   tags=["vip", " vip", "", "newsletter"])  # fmt: skip
    with db.begin() as conn:
        got = store.get_contact(conn, cid)
        assert got["email"] == "ann@example.com" and got["tags"] == ["newsletter", "vip"]
        store.update_contact(conn, cid, {"last_name": "Lee", "tags": ["b2b"], "score": "7"})
        store.update_contact(conn, cid, unsubscribed=True)
    with db.connect() as conn:
        got = store.get_contact(conn, cid)
        assert (got["last_name"], got["score"], got["unsubscribed"]) == ("Lee", 7, True)
        assert got["tags"] == ["b2b"] and got["attributes"] == {"plan": "pro"}
        assert got["updated_at"] is not None
        assert store.find_contact(conn, email="ANN@example.com") == cid
        with pytest.raises(KeyError):
            store.get_contact(conn, cid + 100)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-email"}, "not an email address"),
        ({"email": "a@b.co", "timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"first_name": "Nobody"}, "needs an email address or a phone"),
        ({"email": "a@b.co", "favourite": 1}, "not a contact field"),
        ({"email": "a@b.co", "score": "lots"}, "whole number"),
    ],
)
def test_bad_contacts_are_refused_with_a_reason(sqlite_db, fields, message):
    with sqlite_db.begin() as conn, pytest.raises(StoreError, match=message):
        store.create_contact(conn, **fields)


def test_search_paging_and_ordering(db):
    with db.begin() as conn:
        add_people(conn)
    with db.connect() as conn:
        assert store.count_contacts(conn) == 30
        page = store.list_contacts(conn, offset=10, limit=5)
        assert [r["id"] for r in page] == [11, 12, 13, 14, 15]
        assert set(page[0]) >= {"email", "attributes", "tags", "score", "created_at"}
        newest = store.list_contacts(conn, limit=3, order_by="-created_at")
        assert [r["id"] for r in newest] == [30, 29, 28]
        by_name = store.list_contacts(conn, limit=30, order_by="last_name")
        assert [r["last_name"] for r in by_name] == sorted(r["last_name"] for r in by_name)
        assert store.count_contacts(conn, search="+4915100009") == 1
        # email prefix, name prefix (case-insensitive, accents kept), domain, phone, id
        assert [r["id"] for r in store.list_contacts(conn, search="USER01")] == list(range(10, 20))
        assert store.count_contacts(conn, search="chlo") == 10
        assert store.count_contacts(conn, search="chloé zeta2") == 2
        assert store.count_contacts(conn, search="mail.example") == 15
        assert [r["id"] for r in store.list_contacts(conn, search="4915100009")] == [9]
        assert store.count_contacts(conn, search="nobody") == 0
        assert store.count_contacts(conn, search="%") == 0  # a literal percent sign


@pytest.mark.parametrize("order_by", ["id", "-last_name", "first_name", "-created_at"])
def test_search_and_sorting_use_indexes_not_a_scan(sqlite_db, order_by):
    """With 100,000 contacts a full scan per keystroke is too slow: the plan must use indexes."""
    from engine.store import _order, _search_clause

    searches = [
        select(contacts.c.id).where(_search_clause("user01 anna")),
        select(contacts.c.id).where(_search_clause("4915100")),
    ]
    page = select(contacts.c.id).order_by(*_order(order_by)).offset(50_000).limit(200)
    with sqlite_db.connect() as conn:

        def plan(query) -> list[str]:
            sql = str(query.compile(sqlite_db, compile_kwargs={"literal_binds": True}))
            return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]

        for query in searches:
            assert "SCAN contacts" not in plan(query), plan(query)  # a full scan
        assert not any("TEMP B-TREE" in step for step in plan(page)), plan(page)  # a sort


def test_contact_fields_and_tags_and_events(db):
    with db.begin() as conn:
        add_people(conn, 5)
        store.set_tags(conn, 1, ["vip", "b2b"])
        store.set_tags(conn, 2, ["vip"])
        store.update_contact(conn, 3, attributes={"plan": "free", "city": "Lyon"})
        store.record_event(conn, 1, "purchase", T0 + dt.timedelta(days=1), {"amount": 30})
        conn.execute(insert(campaigns).values(id=5, name="Welcome", definition={},
                                              created_at=T0))  # fmt: skip
        store.record_event(conn, 1, "email_opened", T0 + dt.timedelta(days=2),
                           campaign_id=5, node_id="hello")  # fmt: skip
        step = {"enrollment_id": 1, "campaign_id": 5, "contact_id": 1, "node_id": "hello",
                "port": "out", "at": T0, "outcome": "sent"}  # fmt: skip
        conn.execute(insert(steps).values(**step))
        conn.execute(insert(messages).values(key="1:hello:0", campaign_id=5, contact_id=1,
                                             channel="email", subject="Hi", status="sent",
                                             created_at=T0 + dt.timedelta(minutes=1)))  # fmt: skip
    with db.connect() as conn:
        assert store.contact_fields(conn) == {"plan", "n", "city"}
        assert store.all_tags(conn) == [("vip", 2), ("b2b", 1)]
        timeline = store.contact_timeline(conn, 1)
    assert [item["kind"] for item in timeline] == ["event", "event", "message", "step"]
    assert timeline[0]["title"] == "email_opened" and timeline[0]["campaign"] == "Welcome"
    assert timeline[1]["detail"] == "amount=30"
    assert timeline[2]["title"] == "email sent: Hi"


def test_segments_dynamic_static_counts_and_loops(db):
    with db.begin() as conn:
        add_people(conn, 8)
        store.save_segment(conn, "pros", {"field": "plan", "op": "eq", "value": "pro"},
                           description="paying")  # fmt: skip
        store.save_segment(conn, "picked", kind="static", members=[1, 2, 2, 3])
        store.save_segment(conn, "either", {"any": [{"segment": "pros"}, {"segment": "picked"}]})
        assert store.add_to_segment(conn, "picked", [3, 4]) == 1
    with db.connect() as conn:
        rows = {r["name"]: r for r in store.list_segments(conn, with_counts=True, now=T0)}
    assert rows["pros"]["count"] == 2 and rows["pros"]["description"] == "paying"
    assert rows["picked"]["count"] == 4 and rows["picked"]["member_count"] == 4
    assert rows["either"]["count"] == 5 and rows["either"]["error"] is None
    with db.begin() as conn:
        with pytest.raises(StoreError, match="loop: pros → either → pros"):
            store.save_segment(conn, "pros", {"segment": "either"})
        with pytest.raises(StoreError, match="needs a rule"):
            store.save_segment(conn, "empty")
        with pytest.raises(StoreError, match="unknown operator"):
            store.save_segment(conn, "bad", {"field": "plan", "op": "like", "value": "p"})
        store.save_segment(conn, "picked", kind="static", members=[5])
        store.delete_segment(conn, "either")
    with db.connect() as conn:
        assert store.get_contact(conn, 5)["segments"] == ["picked"]
        assert [r["name"] for r in store.list_segments(conn)] == ["picked", "pros"]


def test_templates_crud(db):
    with db.begin() as conn:
        store.save_template(conn, "welcome", "email", "Hi {{ contact.first_name }}",
                            "<p>Hello</p>", "Hello")  # fmt: skip
        store.save_template(conn, "ping", "sms", text="Hey {{ contact.first_name }}")
        store.save_template(conn, "welcome", "email", "Welcome!", "<p>Hi</p>", "Hi",
                            sender="team@example.com")  # fmt: skip
        with pytest.raises(StoreError, match="channel must be one of"):
            store.save_template(conn, "fax", "fax", text="x")
    with db.connect() as conn:
        assert [t["name"] for t in store.list_templates(conn)] == ["ping", "welcome"]
        welcome = store.get_template(conn, "welcome")
        assert (welcome["subject"], welcome["sender"]) == ("Welcome!", "team@example.com")
    with db.begin() as conn:
        store.delete_template(conn, "ping")
    with db.connect() as conn, pytest.raises(KeyError):
        store.get_template(conn, "ping")


def test_delete_contacts_takes_their_data_along(sqlite_db):
    with sqlite_db.begin() as conn:
        add_people(conn, 3)
        store.set_tags(conn, 2, ["vip"])
        store.record_event(conn, 2, "visit", T0)
        assert store.delete_contacts(conn, [2, 3]) == 2
    with sqlite_db.connect() as conn:
        assert store.count_contacts(conn) == 1 and store.all_tags(conn) == []


def test_validation_sees_attributes_that_only_newer_contacts_have(sqlite_db):
    from engine.workspace import validation_context

    with sqlite_db.begin() as conn:
        rows = [{"email": f"c{i}@example.com", "created_at": T0, "attributes": {"plan": "free"}}
                for i in range(2500)]  # fmt: skip
        rows[-1]["attributes"] = {"plan": "pro", "loyalty_tier": "gold"}
        conn.execute(insert(contacts), rows)
    assert validation_context(sqlite_db).contact_fields == {"plan", "loyalty_tier"}
