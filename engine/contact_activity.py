"""One contact's activity, newest first: the campaigns it is or was in, the messages sent to
it and the events it did, each with the campaign's name (the contact page's three tabs)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from engine.db.schema import campaigns, enrollments, events, messages


def contact_activity(conn: Connection, contact_id: int, limit: int = 500) -> dict[str, Any]:
    """{"campaigns": [{campaign_id, campaign, status, node_id, entered_at, converted_at}],
    "messages": [{at, channel, status, subject, campaign, error}],
    "events": [{occurred_at, name, campaign, properties}]} — at most `limit` of each."""
    names = dict(conn.execute(select(campaigns.c.id, campaigns.c.name)).all())
    e = enrollments.c
    entered = [
        {
            "campaign_id": r.campaign_id,
            "campaign": names.get(r.campaign_id, str(r.campaign_id)),
            "status": r.status,
            "node_id": r.node_id,
            "entered_at": r.entered_at,
            "converted_at": r.converted_at,
        }
        for r in conn.execute(
            select(e.campaign_id, e.status, e.node_id, e.entered_at, e.converted_at)
            .where(e.contact_id == contact_id)
            .order_by(e.entered_at.desc(), e.id.desc())
            .limit(limit)
        )
    ]
    m = messages.c
    sent = [
        {
            "at": r.sent_at or r.created_at,
            "channel": r.channel,
            "status": r.status,
            "subject": r.subject,
            "campaign": names.get(r.campaign_id, ""),
            "error": r.error,
        }
        for r in conn.execute(
            select(m.sent_at, m.created_at, m.channel, m.status, m.subject, m.campaign_id, m.error)
            .where(m.contact_id == contact_id)
            .order_by(m.created_at.desc(), m.id.desc())
            .limit(limit)
        )
    ]
    v = events.c
    done = [
        {
            "occurred_at": r.occurred_at,
            "name": r.name,
            "campaign": names.get(r.campaign_id, ""),
            "properties": r.properties or {},
        }
        for r in conn.execute(
            select(v.occurred_at, v.name, v.campaign_id, v.properties)
            .where(v.contact_id == contact_id)
            .order_by(v.occurred_at.desc(), v.id.desc())
            .limit(limit)
        )
    ]
    return {"campaigns": entered, "messages": sent, "events": done}


def most_travelled_contact(conn: Connection) -> int | None:
    """The contact that messages of the most campaigns reached (a page with a story)."""
    m = messages.c
    return conn.scalar(
        select(m.contact_id)
        .group_by(m.contact_id)
        .order_by(func.count(func.distinct(m.campaign_id)).desc(), func.count().desc())
        .limit(1)
    )
