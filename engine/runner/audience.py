"""Who a trigger or condition means: a segment name or an inline rule, as a SQLAlchemy
expression over contacts. Uses engine.rule_sql; a small fallback covers the basics until
that module is present (so the runner never builds SQL text from user strings)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, and_, exists, false, func, not_, or_, select, true

from engine.db.schema import contact_tags, contacts, events, segment_members, segments
from engine.durations import parse_duration
from engine.rules import (
    CORE_FIELDS,
    All,
    Any_,
    EventTest,
    FieldTest,
    Not,
    SegmentTest,
    TagTest,
    parse_rule,
)


def audience(conn: Connection, params: dict[str, Any], now: dt.datetime):
    """The expression for a node's `segment` or `filter` parameter (everyone if neither)."""
    try:
        from engine import rule_sql
    except ImportError:
        rule_sql = None
    if params.get("segment"):
        if rule_sql is not None:
            return rule_sql.segment_filter(params["segment"], conn, now)
        return _compile(SegmentTest(params["segment"]), conn, now, set())
    if params.get("filter"):
        if rule_sql is not None:
            return rule_sql.compile_rule(params["filter"], conn, now)
        return _compile(parse_rule(params["filter"]), conn, now, set())
    return true()


def rule_expression(conn: Connection, rule: dict[str, Any], now: dt.datetime):
    return audience(conn, {"filter": rule}, now)


def _column(field: str):
    if field in CORE_FIELDS or field in ("score", "unsubscribed", "bounced", "id"):
        return contacts.c[field]
    return contacts.c.attributes[field]


def _compile(rule, conn: Connection, now: dt.datetime, seen: set[str]):
    if isinstance(rule, All):
        return and_(true(), *(_compile(r, conn, now, seen) for r in rule.rules))
    if isinstance(rule, Any_):
        return or_(false(), *(_compile(r, conn, now, seen) for r in rule.rules))
    if isinstance(rule, Not):
        return not_(_compile(rule.rule, conn, now, seen))
    if isinstance(rule, TagTest):
        return exists().where(
            contact_tags.c.contact_id == contacts.c.id, contact_tags.c.tag == rule.tag
        )
    if isinstance(rule, SegmentTest):
        row = conn.execute(select(segments).where(segments.c.name == rule.segment)).first()
        if row is None or rule.segment in seen:
            return false()
        if row.kind == "static":
            return exists().where(
                segment_members.c.contact_id == contacts.c.id,
                segment_members.c.segment_id == row.id,
            )
        return _compile(parse_rule(row.rule or {"all": []}), conn, now, seen | {rule.segment})
    if isinstance(rule, EventTest):
        query = (
            select(func.count())
            .select_from(events)
            .where(
                events.c.contact_id == contacts.c.id,
                events.c.name == rule.event,
                events.c.occurred_at <= now,
            )
        )
        if rule.within:
            query = query.where(events.c.occurred_at >= now - parse_duration(rule.within))
        return query.scalar_subquery() >= rule.min_count
    assert isinstance(rule, FieldTest)
    col = _column(rule.field)
    core = rule.field in CORE_FIELDS or rule.field in ("score", "unsubscribed", "bounced")
    value = rule.value
    if not core:
        if isinstance(value, bool):
            col = col.as_boolean()
        elif isinstance(value, (int, float)):
            col = col.as_float()
        else:
            col = col.as_string()
    op = rule.op
    if op == "is_set":
        return and_(col.is_not(None), col != "") if core else col.is_not(None)
    if op == "not_set":
        return or_(col.is_(None), col == "") if core else col.is_(None)
    if op in ("in", "not_in"):
        test = col.in_(list(value))
        return test if op == "in" else or_(not_(test), col.is_(None))
    if op == "contains":
        return col.contains(str(value), autoescape=True)
    if op == "starts_with":
        return col.startswith(str(value), autoescape=True)
    return {
        "eq": col == value,
        "ne": or_(col != value, col.is_(None)),
        "lt": col < value,
        "le": col <= value,
        "gt": col > value,
        "ge": col >= value,
    }[op]


def matches_properties(rule: dict[str, Any] | None, properties: dict[str, Any]) -> bool:
    """An event's properties against a filter rule (field tests, all/any/not), in Python."""
    if not rule:
        return True
    return _match(parse_rule(rule), properties or {})


def _match(rule, props: dict[str, Any]) -> bool:
    if isinstance(rule, All):
        return all(_match(r, props) for r in rule.rules)
    if isinstance(rule, Any_):
        return any(_match(r, props) for r in rule.rules)
    if isinstance(rule, Not):
        return not _match(rule.rule, props)
    if not isinstance(rule, FieldTest):
        return False
    value, wanted, op = props.get(rule.field), rule.value, rule.op
    try:
        if op == "is_set":
            return value not in (None, "")
        if op == "not_set":
            return value in (None, "")
        if op == "in":
            return value in wanted
        if op == "not_in":
            return value not in wanted
        if op == "contains":
            return str(wanted) in str(value or "")
        if op == "starts_with":
            return str(value or "").startswith(str(wanted))
        if value is None:
            return op == "ne"
        return {
            "eq": value == wanted,
            "ne": value != wanted,
            "lt": value < wanted,
            "le": value <= wanted,
            "gt": value > wanted,
            "ge": value >= wanted,
        }[op]
    except TypeError:
        return False
