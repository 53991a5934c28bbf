"""One contact's activity, newest first: the campaigns it is or was in, the messages sent to
it and the events it did, each with the campaign's name (the contact page's three tabs)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from engine.db.schema import campaigns, enrollments, events, messages
from engine.i18n import _, ngettext
from engine.retention import retention_days


def contact_activity(conn: Connection, contact_id: int, limit: int = 500) -> dict[str, Any]:
    """{"campaigns": [{campaign_id, campaign, status, node_id, entered_at, converted_at}],
    "messages": [{at, channel, status, subject, campaign, error, dropped_at}],
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
    kept_days: list[float] = []  # read once, when a dropped message is there

    def subject(row) -> str | None:
        """A message whose text was dropped after the retention period (engine.retention)
        shows "(text removed after N days)" as its subject."""
        if row.dropped_at is None or row.subject is not None:
            return row.subject
        if not kept_days:
            kept_days.append(retention_days(conn))
        return removed_note(kept_days[0])

    sent = [
        {
            "at": r.sent_at or r.created_at,
            "channel": r.channel,
            "status": r.status,
            "subject": subject(r),
            "campaign": names.get(r.campaign_id, ""),
            "error": r.error,
            "dropped_at": r.dropped_at,
        }
        for r in conn.execute(
            select(
                m.sent_at,
                m.created_at,
                m.channel,
                m.status,
                m.subject,
                m.campaign_id,
                m.error,
                m.dropped_at,
            )
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


def removed_note(days: float) -> str:
    """What a list shows as the subject of a message whose text was dropped `days` (the
    retention setting) after it was sent."""
    if days <= 0:  # the setting was turned off after the text was dropped
        return _("(text removed)")
    shown = f"{days:g}"
    return ngettext(
        "(text removed after {days} day)", "(text removed after {days} days)", round(days)
    ).format(days=shown)


def most_travelled_contact(conn: Connection) -> int | None:
    """The contact that messages of the most campaigns reached (a page with a story)."""
    m = messages.c
    return conn.scalar(
        select(m.contact_id)
        .group_by(m.contact_id)
        .order_by(func.count(func.distinct(m.campaign_id)).desc(), func.count().desc())
        .limit(1)
    )
