"""Bounded storage per message: a message keeps its rendered subject, bodies and headers
while it may still be sent or resent, and for `message_retention_days` after it was
delivered (or failed, or was suppressed); then they are dropped and `dropped_at` says when.
What the figures need (status, times, address, node) stays."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, and_, func, or_, select, update

from engine.db.schema import messages
from engine.db.schema import settings as settings_table

RETENTION_KEY = "message_retention_days"
DEFAULT_DAYS = 30
# Statuses a message never leaves by itself: nothing left to send.
FINISHED = ("sent", "simulated", "failed", "suppressed")
CHUNK = 5000  # rows looked at per statement: the one writer is never held long
DROPPED_NOTE = "The text of this message was dropped {days} days after it was sent ({when})."


def retention_days(conn: Connection) -> float:
    """The setting (days); 0 or less keeps every body forever."""
    value = conn.scalar(select(settings_table.c.value).where(settings_table.c.key == RETENTION_KEY))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return DEFAULT_DAYS
    return float(value)


def expired(now: dt.datetime, days: float):
    """Messages whose body may go: finished, and finished more than `days` ago."""
    cutoff = now - dt.timedelta(days=days)
    m = messages.c
    return and_(
        m.status.in_(FINISHED),
        m.dropped_at.is_(None),
        or_(m.sent_at < cutoff, and_(m.sent_at.is_(None), m.created_at < cutoff)),
    )


def drop_expired_bodies(
    db: Engine | Connection, now: dt.datetime, days: float | None = None
) -> int:
    """Drop the rendered parts of every expired message; returns how many. Walks the
    table by id in chunks (one short transaction each on an Engine) and stops at the first
    chunk made entirely after the cutoff: ids follow creation time."""
    if isinstance(db, Engine):
        with db.connect() as conn:
            days = retention_days(conn) if days is None else days
    else:
        days = retention_days(db) if days is None else days
    if days <= 0:
        return 0
    cutoff = now - dt.timedelta(days=days)
    total, last = 0, 0
    while True:
        if isinstance(db, Engine):
            with db.begin() as conn:
                done, last, oldest = _drop_chunk(conn, now, days, last)
        else:
            done, last, oldest = _drop_chunk(db, now, days, last)
        total += done
        if last is None or oldest is None or oldest >= cutoff:
            return total


def _drop_chunk(
    conn: Connection, now: dt.datetime, days: float, after: int
) -> tuple[int, int | None, dt.datetime | None]:
    """(dropped, the chunk's last id or None at the end, its oldest creation time)."""
    m = messages.c
    upper = conn.scalar(select(m.id).where(m.id > after).order_by(m.id).offset(CHUNK - 1).limit(1))
    window = [m.id > after] if upper is None else [m.id > after, m.id <= upper]
    oldest = conn.scalar(select(func.min(m.created_at)).where(*window))
    result = conn.execute(
        update(messages)
        .where(*window, expired(now, days))
        .values(subject=None, body_html=None, body_text=None, headers=None, dropped_at=now)
    )
    return result.rowcount or 0, upper, oldest


def dropped_note(dropped_at: dt.datetime | None, days: float = DEFAULT_DAYS) -> str | None:
    """What a screen shows instead of a dropped body (None: the body is there)."""
    if dropped_at is None:
        return None
    return DROPPED_NOTE.format(days=f"{days:g}", when=f"{dropped_at:%Y-%m-%d}")


def count_dropped(conn: Connection, campaign_id: int | None = None) -> int:
    where = [messages.c.dropped_at.is_not(None)]
    if campaign_id is not None:
        where.append(messages.c.campaign_id == campaign_id)
    return conn.scalar(select(func.count()).select_from(messages).where(*where)) or 0
