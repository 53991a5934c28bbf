"""One node of a running campaign, page by page: the contacts waiting there now, the messages
it sent (optionally of one status), and per day how many passed it and how many were sent.

At a million messages per node (issue #15) nothing here reads all of the node's rows: the
counts and the per-day series come from the counter tables kept by triggers
(engine/db/counters.py), and a page of messages walks `ix_messages_campaign_node`
(campaign, node, status, then the row id) backwards, status by status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select, union_all

from engine.db.schema import contacts, enrollments, message_counts, messages, node_daily_counts


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


def _message_counts(conn: Connection, campaign_id: int, node_id: str) -> dict[str, int]:
    """The node's messages per status (message_counts, all channels), statuses with none left
    out."""
    c = message_counts.c
    rows = conn.execute(
        select(c.status, func.sum(c.n))
        .where(c.campaign_id == campaign_id, c.node_id == node_id)
        .group_by(c.status)
    )
    return {status: int(n) for status, n in rows if n}


def count_messages(conn: Connection, campaign_id: int, node_id: str, status: str = "") -> int:
    counts = _message_counts(conn, campaign_id, node_id)
    return counts.get(status, 0) if status else sum(counts.values())


def node_messages(
    conn: Connection,
    campaign_id: int,
    node_id: str,
    status: str = "",
    offset: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """The node's messages, newest first (optionally only those of one status).

    Newest means last written (the row id), read backwards from the index without sorting
    the node's messages. That is the order of `created_at` except within one batch of the
    runner: a contact it caught up late (a wait that ended while the program was closed, or
    quiet hours that ended) gets a message dated when it was due, so a message written in
    the same batch or just after can show an earlier "created" time above a later one."""
    statuses = [status] if status else sorted(_message_counts(conn, campaign_id, node_id))
    if not statuses or limit <= 0:
        return []
    # Per status the newest offset + limit ids (an index range read backwards), then the
    # page of those: offset + limit index entries per status, `limit` rows read.
    newest = [
        select(messages.c.id)
        .where(_sent_here(campaign_id, node_id, s))
        .order_by(messages.c.id.desc())
        .limit(offset + limit)
        .subquery()
        for s in statuses
    ]
    ids = union_all(*(select(q.c.id) for q in newest))
    query = (
        select(messages.c.to_address, messages.c.status, messages.c.error,
               messages.c.created_at, messages.c.sent_at, messages.c.attempts)
        .where(messages.c.id.in_(ids))
        .order_by(messages.c.id.desc())
        .offset(offset).limit(limit)
    )  # fmt: skip
    return [dict(r) for r in conn.execute(query).mappings()]


def node_daily(conn: Connection, campaign_id: int, node_id: str) -> list[tuple[str, int, int]]:
    """(day "YYYY-MM-DD", contacts that passed the node, messages sent) per day, in order:
    steps at the node by the day of `at`, its messages with a `sent_at` by that day
    (node_daily_counts)."""
    c = node_daily_counts.c
    rows = conn.execute(
        select(c.day, c.figure, c.n).where(
            c.campaign_id == campaign_id, c.node_id == node_id, c.n != 0, c.day.is_not(None)
        )
    )
    figures: dict[str, dict[str, int]] = {}
    for day, figure, n in rows:
        figures.setdefault(str(day)[:10], {})[figure] = int(n)
    return [(d, f.get("passed", 0), f.get("sent", 0)) for d, f in sorted(figures.items())]
