"""Who a trigger or condition means (a segment name or an inline rule, compiled by
engine.rule_sql to an expression over contacts), and event-property filters in Python."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, true

from engine import rule_sql
from engine.rules import All, Any_, FieldTest, Not, parse_rule


def audience(conn: Connection, params: dict[str, Any], now: dt.datetime):
    """The expression for a node's `segment` or `filter` parameter (everyone if neither)."""
    if params.get("segment"):
        return rule_sql.segment_filter(params["segment"], conn, now)
    if params.get("filter"):
        return rule_sql.compile_rule(params["filter"], conn, now)
    return true()


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
