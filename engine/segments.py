"""Segments as the segment editor sees them: a rule's live count with its first matching
contacts, the names a rule can refer to (fields, events, tags), a static segment's members and
looking contacts up by email or phone to add them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, or_, select

from engine.db.schema import contact_tags, contacts, events, segment_members, segments
from engine.rule_sql import compile_rule, count_matching

PREVIEW_ROWS = 50
SUGGESTIONS = 500  # distinct tags/events and contacts' attribute bags looked at
_CONTACT_COLUMNS = (contacts.c.id, contacts.c.email, contacts.c.first_name,
                    contacts.c.last_name, contacts.c.phone)  # fmt: skip


def count_and_sample(
    conn: Connection, rule: dict, now: dt.datetime, limit: int = PREVIEW_ROWS
) -> tuple[int, int, list[dict[str, Any]]]:
    """(contacts matching the rule, all contacts, the first `limit` matching contacts)."""
    total = int(conn.scalar(select(func.count()).select_from(contacts)) or 0)
    matching = count_matching(conn, rule, now)
    condition = compile_rule(rule, conn, now)
    sample = [
        dict(row._mapping)
        for row in conn.execute(
            select(*_CONTACT_COLUMNS).where(condition).order_by(contacts.c.id).limit(limit)
        )
    ]
    return matching, total, sample


def rule_suggestions(conn: Connection) -> dict[str, list[str]]:
    """{"fields", "events", "tags"}: names seen in the data, sorted, for a rule editor."""
    tags = sorted(conn.scalars(select(contact_tags.c.tag).distinct().limit(SUGGESTIONS)))
    event_names = sorted(conn.scalars(select(events.c.name).distinct().limit(SUGGESTIONS)))
    fields: set[str] = set()
    for attributes in conn.scalars(select(contacts.c.attributes).limit(SUGGESTIONS)):
        if isinstance(attributes, dict):
            fields.update(attributes)
    return {"fields": sorted(fields), "events": event_names, "tags": tags}


def find_segment(conn: Connection, name: str) -> dict[str, Any] | None:
    """The segment row as a dict, with `members` (contacts, by email) when it is static;
    None when there is no segment of that name."""
    row = conn.execute(select(segments).where(segments.c.name == name)).first()
    if row is None:
        return None
    segment = dict(row._mapping)
    segment["members"] = []
    if row.kind == "static":
        segment["members"] = [
            dict(r._mapping)
            for r in conn.execute(
                select(*_CONTACT_COLUMNS)
                .join(segment_members, segment_members.c.contact_id == contacts.c.id)
                .where(segment_members.c.segment_id == row.id)
                .order_by(contacts.c.email)
            )
        ]
    return segment


def segment_exists(conn: Connection, name: str) -> bool:
    return conn.scalar(select(segments.c.id).where(segments.c.name == name)) is not None


def contacts_by_address(conn: Connection, keys: list[str]) -> list[dict[str, Any]]:
    """Contacts whose email or phone is one of `keys` (id, email, names, phone)."""
    if not keys:
        return []
    query = select(*_CONTACT_COLUMNS).where(
        or_(contacts.c.email.in_(keys), contacts.c.phone.in_(keys))
    )
    return [dict(r._mapping) for r in conn.execute(query.order_by(contacts.c.id))]
