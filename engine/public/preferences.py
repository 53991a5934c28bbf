"""The unsubscribe page's two choices: unsubscribe from everything, or subscribe again.
Only the contact (through a signed link) or a person in the contacts screen may do the
second; it is logged as a `resubscribed` event."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert, select, update

from engine.db.schema import campaigns, contacts, events
from engine.delivery.unsubscribe import UnsubscribeToken


def is_unsubscribed(engine: Engine, found: UnsubscribeToken) -> bool | None:
    """The contact's state (None: no such contact any more)."""
    with engine.connect() as conn:
        return conn.scalar(select(contacts.c.unsubscribed).where(
            contacts.c.id == found.contact_id))  # fmt: skip


def resubscribe(engine: Engine, found: UnsubscribeToken, now: dt.datetime) -> bool:
    """Subscribe the contact again (logged); False when there was nothing to do."""
    with engine.begin() as conn:
        changed = conn.execute(
            update(contacts)
            .where(contacts.c.id == found.contact_id, contacts.c.unsubscribed.is_(True))
            .values(unsubscribed=False, updated_at=now)
        ).rowcount
        if changed:
            name = None
            if found.campaign_id is not None:
                name = conn.scalar(select(campaigns.c.name).where(
                    campaigns.c.id == found.campaign_id))  # fmt: skip
            conn.execute(insert(events), {
                "contact_id": found.contact_id, "name": "resubscribed", "occurred_at": now,
                "properties": {"campaign": name, "node": found.node_id, "source": "link"},
                "campaign_id": found.campaign_id, "node_id": found.node_id,
            })  # fmt: skip
        return bool(changed)
