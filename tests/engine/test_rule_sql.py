"""The rule language compiled to SQL, run against a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest_data import module_database_url, postgres_server  # noqa: F401
from sqlalchemy import insert, select

from engine.db import open_database
from engine.db.schema import contact_tags, contacts, events, segment_members, segments
from engine.rule_sql import (
    RuleCompileError,
    compile_rule,
    count_matching,
    matching_ids,
    segment_filter,
)

NOW = dt.datetime(2026, 6, 1, 12, 0)

# id: (email, phone, first, last, timezone, created_at, score, unsubscribed, attributes)
PEOPLE = {
    1: ("anna@example.com", "+4915100001", "Anna", "Schmidt", "Europe/Berlin",
        dt.datetime(2026, 5, 20, 8), 60, False,
        {"country": "DE", "plan": "pro", "last_order_days": 120, "lifetime_value": 310.5,
         "newsletter": True, "birthday": "1990-06-02", "city": "Berlin"}),
    2: ("ben@example.com", None, "Ben", "Martin", "Europe/Paris",
        dt.datetime(2026, 1, 10, 9), 10, False,
        {"country": "FR", "plan": "free", "last_order_days": 30, "lifetime_value": 12,
         "newsletter": False, "birthday": "1985-12-24", "city": ""}),
    3: ("chloe@example.org", "+33600000003", "Chloé", "Dubois", "Europe/Paris",
        dt.datetime(2026, 5, 31, 23, 30), 0, True,
        {"country": "FR", "plan": "Pro Plus", "last_order_days": 95}),
    4: ("dmitri@example.com", "", "Dmitri", None, None,
        dt.datetime(2025, 11, 2), 45, False,
        {"country": "US", "last_order_days": "unknown", "newsletter": "yes",
         "note": "100% real_deal"}),
}  # fmt: skip
TAGS = {1: ["vip", "newsletter"], 2: ["newsletter"], 3: ["churn-risk"]}
# contact, name, occurred_at, properties, campaign_id, node_id
EVENTS = [
    (1, "purchase", NOW - dt.timedelta(days=3), {"product": "shoes", "amount": 80}, None, None),
    (1, "purchase", NOW - dt.timedelta(days=40), {"product": "hat", "amount": 20}, None, None),
    (1, "purchase", NOW - dt.timedelta(days=50), {"product": "hat", "amount": 20}, None, None),
    (2, "purchase", NOW - dt.timedelta(days=100), {"product": "shoes"}, None, None),
    (2, "email_opened", NOW - dt.timedelta(days=1), {}, 7, "hello"),
    (3, "email_opened", NOW - dt.timedelta(days=1), {}, 8, "hello"),
    (4, "purchase", NOW + dt.timedelta(days=2), {}, None, None),  # in the future: not yet
]


@pytest.fixture(scope="module")
def db(module_database_url):  # noqa: F811
    engine = open_database(module_database_url)
    with engine.begin() as conn:
        conn.execute(insert(contacts), [
            {"id": i, "email": e, "phone": p, "first_name": f, "last_name": last, "timezone": tz,
             "created_at": c, "score": s, "unsubscribed": u, "attributes": a}
            for i, (e, p, f, last, tz, c, s, u, a) in PEOPLE.items()
        ])  # fmt: skip
        conn.execute(
            insert(contact_tags),
            [{"contact_id": i, "tag": t} for i, tags in TAGS.items() for t in tags],
        )
        conn.execute(insert(events), [
            {"contact_id": c, "name": n, "occurred_at": at, "properties": p, "campaign_id": cid,
             "node_id": nid}
            for c, n, at, p, cid, nid in EVENTS
        ])  # fmt: skip
        conn.execute(insert(segments), [
            {"id": 1, "name": "germans", "kind": "dynamic", "created_at": NOW,
             "rule": {"field": "country", "op": "eq", "value": "DE"}},
            {"id": 2, "name": "hand-picked", "kind": "static", "created_at": NOW, "rule": None},
            {"id": 3, "name": "germans-or-picked", "kind": "dynamic", "created_at": NOW,
             "rule": {"any": [{"segment": "germans"}, {"segment": "hand-picked"}]}},
            {"id": 4, "name": "loop-a", "kind": "dynamic", "created_at": NOW,
             "rule": {"segment": "loop-b"}},
            {"id": 5, "name": "loop-b", "kind": "dynamic", "created_at": NOW,
             "rule": {"all": [{"tag": "vip"}, {"segment": "loop-a"}]}},
        ])  # fmt: skip
        conn.execute(insert(segment_members), [{"segment_id": 2, "contact_id": 4}])
    yield engine
    engine.dispose()


def ids(db, rule) -> set[int]:
    with db.connect() as conn:
        return set(conn.scalars(select(contacts.c.id).where(compile_rule(rule, conn, NOW))))


def field(name, op, value=None):
    rule = {"field": name, "op": op}
    if op not in ("is_set", "not_set"):
        rule["value"] = value
    return rule


CASES = [
    # core text fields
    (field("email", "eq", "ben@example.com"), {2}),
    (field("email", "eq", "BEN@example.com"), {2}),  # emails are stored lower-case
    (field("first_name", "ne", "Anna"), {2, 3, 4}),
    (field("last_name", "ne", "Schmidt"), {2, 3, 4}),  # a missing name is "not Schmidt"
    (field("email", "contains", "EXAMPLE.ORG"), {3}),
    (field("first_name", "starts_with", "ch"), {3}),
    (field("timezone", "in", ["Europe/Paris", "Asia/Tokyo"]), {2, 3}),
    (field("timezone", "not_in", ["Europe/Paris"]), {1, 4}),
    (field("phone", "is_set"), {1, 3}),  # empty text is not set
    (field("phone", "not_set"), {2, 4}),
    (field("last_name", "lt", "M"), {3}),
    # core numbers and flags
    (field("score", "ge", 45), {1, 4}),
    (field("score", "gt", "45"), {1}),
    (field("score", "le", 10), {2, 3}),
    (field("score", "lt", 10), {3}),
    (field("score", "in", [0, 60]), {1, 3}),
    (field("unsubscribed", "eq", True), {3}),
    (field("unsubscribed", "eq", "false"), {1, 2, 4}),
    # dates compare as dates
    (field("created_at", "eq", "2026-05-31"), {3}),
    (field("created_at", "lt", "2026-01-10"), {4}),
    (field("created_at", "le", "2026-01-10"), {2, 4}),
    (field("created_at", "gt", "2026-05-20"), {3}),
    (field("created_at", "ge", "2026-05-20"), {1, 3}),
    (field("created_at", "ge", "-P14D"), {1, 3}),  # relative to now
    (field("created_at", "lt", "2026-05-20T08:00:00"), {2, 4}),
    (field("created_at", "ne", "2026-05-31"), {1, 2, 4}),
    # attributes, typed by the value
    (field("country", "eq", "FR"), {2, 3}),
    (field("country", "ne", "FR"), {1, 4}),
    (field("country", "in", ["DE", "US"]), {1, 4}),
    (field("country", "not_in", ["DE", "US"]), {2, 3}),
    (field("plan", "ne", "pro"), {2, 3, 4}),  # no plan at all counts as "not pro"
    (field("plan", "contains", "PRO"), {1, 3}),
    (field("plan", "starts_with", "pro"), {1, 3}),
    (field("note", "contains", "100%"), {4}),  # % and _ are literal
    (field("note", "contains", "l%d"), set()),
    (field("note", "contains", "re_l"), set()),
    (field("last_order_days", "ge", 90), {1, 3}),  # "unknown" is not a number
    (field("last_order_days", "gt", 95), {1}),
    (field("last_order_days", "lt", 95), {2}),
    (field("last_order_days", "le", 95), {2, 3}),
    (field("last_order_days", "eq", 30), {2}),
    (field("last_order_days", "ge", "90"), {1, 3}),  # a number typed as text
    (field("last_order_days", "in", [30, 95]), {2, 3}),
    (field("lifetime_value", "gt", 100.25), {1}),
    (field("newsletter", "eq", True), {1}),
    (field("newsletter", "eq", False), {2}),
    (field("newsletter", "ne", True), {2, 3, 4}),
    (field("newsletter", "eq", "yes"), {4}),
    (field("birthday", "lt", "1988-01-01"), {2}),
    (field("birthday", "eq", "1990-06-02"), {1}),
    (field("birthday", "ge", "1990-06-02"), {1}),
    (field("city", "is_set"), {1}),
    (field("city", "not_set"), {2, 3, 4}),
    (field("nothing", "not_set"), {1, 2, 3, 4}),
    (field("nothing", "eq", "x"), set()),
    # tags
    ({"tag": "vip"}, {1}),
    ({"tag": "newsletter"}, {1, 2}),
    ({"not": {"tag": "newsletter"}}, {3, 4}),
    (field("tags", "contains", "churn-risk"), {3}),
    (field("tags", "not_set"), {4}),
    # events
    ({"event": "purchase"}, {1, 2}),  # 4's purchase has not happened yet
    ({"event": "purchase", "within": "P30D"}, {1}),
    ({"event": "purchase", "within": "P60D", "min_count": 2}, {1}),
    ({"event": "purchase", "min_count": 3}, {1}),
    ({"event": "purchase", "min_count": 4}, set()),
    ({"event": "purchase", "where": {"product": "shoes"}}, {1, 2}),
    ({"event": "purchase", "where": {"product": "hat"}, "min_count": 2}, {1}),
    ({"event": "purchase", "where": {"amount": 80}}, {1}),
    ({"event": "email_opened", "where": {"campaign_id": 7, "node_id": "hello"}}, {2}),
    ({"event": "email_opened", "where": {"node": "hello"}}, {2, 3}),
    ({"not": {"event": "purchase"}}, {3, 4}),
    # combinations and segments
    ({"all": [field("country", "eq", "FR"), {"tag": "newsletter"}]}, {2}),
    ({"any": [{"tag": "vip"}, field("score", "ge", 40)]}, {1, 4}),
    ({"all": []}, {1, 2, 3, 4}),
    ({"any": []}, set()),
    ({"not": field("country", "eq", "FR")}, {1, 4}),
    ({"segment": "germans"}, {1}),
    ({"segment": "hand-picked"}, {4}),
    ({"segment": "germans-or-picked"}, {1, 4}),
    ({"not": {"segment": "germans-or-picked"}}, {2, 3}),
]


@pytest.mark.parametrize(("rule", "expected"), CASES, ids=[str(c[0]) for c in CASES])
def test_rule_matches(db, rule, expected):
    assert ids(db, rule) == expected


def test_every_operator_is_covered():
    from engine.rules import OPERATORS

    used = {rule.get("op") for rule, _ in CASES if "op" in rule}
    assert used == set(OPERATORS)


def test_count_matching_by_rule_and_by_segment_name(db):
    with db.connect() as conn:
        assert count_matching(conn, {"field": "country", "op": "eq", "value": "FR"}, NOW) == 2
        assert count_matching(conn, "germans-or-picked", NOW) == 2
        assert set(conn.scalars(matching_ids(conn, "hand-picked", NOW))) == {4}
        expr = segment_filter("germans", conn, NOW)
        assert set(conn.scalars(select(contacts.c.id).where(expr))) == {1}


def test_hand_added_member_stays_in_dynamic_segment(db):
    with db.connect() as conn:
        conn.execute(insert(segment_members).values(segment_id=1, contact_id=2))
        assert count_matching(conn, "germans", NOW) == 2
        conn.rollback()
        assert count_matching(conn, "germans", NOW) == 1


def test_segment_loop_is_a_clear_error(db):
    with (
        db.connect() as conn,
        pytest.raises(RuleCompileError, match="loop: loop-a → loop-b → loop-a"),
    ):
        count_matching(conn, "loop-a", NOW)


def test_unknown_segment_and_bad_rules_are_clear_errors(db):
    with db.connect() as conn:
        with pytest.raises(RuleCompileError, match="unknown segment 'ghosts'"):
            compile_rule({"segment": "ghosts"}, conn, NOW)
        with pytest.raises(RuleCompileError, match="unknown operator"):
            compile_rule({"field": "country", "op": "like", "value": "x"}, conn, NOW)
        with pytest.raises(RuleCompileError, match="not a date"):
            compile_rule(field("created_at", "lt", "last tuesday"), conn, NOW)
        with pytest.raises(RuleCompileError, match="not a number"):
            compile_rule(field("score", "gt", "lots"), conn, NOW)


def test_user_values_are_bound_parameters_not_sql(db):
    evil = "x'); DROP TABLE contacts; --"
    assert ids(db, field("country", "eq", evil)) == set()
    assert ids(db, field(evil, "eq", "1")) == set()
    with db.connect() as conn:
        assert conn.execute(select(contacts.c.id)).all()  # still there
