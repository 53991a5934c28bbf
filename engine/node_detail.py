"""One node of a running campaign, page by page: the contacts waiting there now, the messages
it sent (optionally of one status), and per day how many passed it and how many were sent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from engine.db.schema import contacts, enrollments, messages, steps


def _waiting_here(campaign_id: int, node_id: str) -> ColumnElement[bool]:
    return (
        (enrollments.c.campaign_id == campaign_id)
        & (enrollments.c.node_id == node_id)
        & (enrollments.c.status == "active")
    )


def count_waiting(conn: Connection, campaign_id: int, node_id: str) -> int:
    query = select(func.count()).select_from(enrollments)
    return int(conn.scalar(query.where(_waiting_here(campaign_id, node_id))) or 0)


def waiting_contacts(
    conn: Connection, campaign_id: int, node_id: str, offset: int = 0, limit: int = 100
) -> list[dict[str, Any]]:
    """Contacts at the node now, longest waiting first: email, name, arrived_at, due_at."""
    query = (
        select(contacts.c.email, contacts.c.first_name, contacts.c.last_name,
               enrollments.c.arrived_at, enrollments.c.due_at)
        .join(contacts, contacts.c.id == enrollments.c.contact_id)
        .where(_waiting_here(campaign_id, node_id))
        .order_by(enrollments.c.arrived_at, enrollments.c.id)
        .offset(offset).limit(limit)
    )  # fmt: skip
    rows = [dict(r) for r in conn.execute(query).mappings()]
    for row in rows:
        row["name"] = " ".join(p for p in (row["first_name"], row["last_name"]) if p)
    return rows


def _sent_here(campaign_id: int, node_id: str, status: str = "") -> ColumnElement[bool]:
    where = (messages.c.campaign_id == campaign_id) & (messages.c.node_id == node_id)
    if status:
        where = where & (messages.c.status == status)
    return where


def count_messages(conn: Connection, campaign_id: int, node_id: str, status: str = "") -> int:
    query = select(func.count()).select_from(messages)
    return int(conn.scalar(query.where(_sent_here(campaign_id, node_id, status))) or 0)


def node_messages(
    conn: Connection,
    campaign_id: int,
    node_id: str,
    status: str = "",
    offset: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """The node's messages, newest first (optionally only those of one status)."""
    query = (
        select(messages.c.to_address, messages.c.status, messages.c.error,
               messages.c.created_at, messages.c.sent_at, messages.c.attempts)
        .where(_sent_here(campaign_id, node_id, status))
        .order_by(messages.c.created_at.desc(), messages.c.id.desc())
        .offset(offset).limit(limit)
    )  # fmt: skip
    return [dict(r) for r in conn.execute(query).mappings()]


def node_daily(conn: Connection, campaign_id: int, node_id: str) -> list[tuple[str, int, int]]:
    """(day "YYYY-MM-DD", contacts that passed the node, messages sent) per day, in order."""
    day = func.date(steps.c.at)
    passed = dict(
        conn.execute(
            select(day, func.count())
            .where(steps.c.campaign_id == campaign_id, steps.c.node_id == node_id)
            .group_by(day)
        ).all()
    )
    sent_day = func.date(messages.c.sent_at)
    sent = dict(
        conn.execute(
            select(sent_day, func.count())
            .where(
                messages.c.campaign_id == campaign_id,
                messages.c.node_id == node_id,
                messages.c.sent_at.is_not(None),
            )
            .group_by(sent_day)
        ).all()
    )
    passed = {str(k)[:10]: v for k, v in passed.items() if k is not None}
    sent = {str(k)[:10]: v for k, v in sent.items() if k is not None}
    days = sorted(set(passed) | set(sent))
    return [(d, int(passed.get(d, 0)), int(sent.get(d, 0))) for d in days]
