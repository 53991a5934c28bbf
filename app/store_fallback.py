"""The data screens' access to engine.store, with minimal stand-ins for functions that
have not landed yet (same names and shapes as the engine.store contract)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from engine.db.schema import (
    campaigns,
    contact_tags,
    contacts,
    events,
    messages,
    segment_members,
    segments,
    steps,
    templates,
)

CONTACT_COLUMNS = (
    "id", "email", "phone", "first_name", "last_name", "timezone", "created_at",
    "updated_at", "unsubscribed", "bounced", "score", "attributes",
)  # fmt: skip


def _search_clause(search: str):
    if not search:
        return None
    like = f"%{search.strip()}%"
    return or_(
        contacts.c.email.ilike(like),
        contacts.c.first_name.ilike(like),
        contacts.c.last_name.ilike(like),
        contacts.c.phone.ilike(like),
    )


def _order(order_by: str):
    desc = order_by.startswith("-")
    name = order_by.lstrip("-")
    column = contacts.c.get(name, contacts.c.id)
    return (column.desc(), contacts.c.id.desc()) if desc else (column.asc(), contacts.c.id.asc())


def list_contacts(
    conn: Connection, search: str = "", offset: int = 0, limit: int = 100, order_by: str = "id"
) -> list[dict[str, Any]]:
    query = select(*(contacts.c[name] for name in CONTACT_COLUMNS))
    clause = _search_clause(search)
    if clause is not None:
        query = query.where(clause)
    query = query.order_by(*_order(order_by)).offset(offset).limit(limit)
    rows = [dict(row._mapping) for row in conn.execute(query)]
    _attach_tags(conn, rows)
    return rows


def _attach_tags(conn: Connection, rows: list[dict[str, Any]]) -> None:
    ids = [row["id"] for row in rows]
    tags: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        query = (
            select(contact_tags.c.contact_id, contact_tags.c.tag)
            .where(contact_tags.c.contact_id.in_(ids))
            .order_by(contact_tags.c.tag)
        )
        for contact_id, tag in conn.execute(query):
            tags[contact_id].append(tag)
    for row in rows:
        row["tags"] = tags[row["id"]]


def count_contacts(conn: Connection, search: str = "") -> int:
    query = select(func.count()).select_from(contacts)
    clause = _search_clause(search)
    if clause is not None:
        query = query.where(clause)
    return int(conn.scalar(query) or 0)


def get_contact(conn: Connection, contact_id: int) -> dict[str, Any]:
    row = conn.execute(select(contacts).where(contacts.c.id == contact_id)).first()
    if row is None:
        raise KeyError(f"no contact with id {contact_id}")
    data = dict(row._mapping)
    _attach_tags(conn, [data])
    data["segments"] = list(
        conn.scalars(
            select(segments.c.name)
            .join(segment_members, segment_members.c.segment_id == segments.c.id)
            .where(segment_members.c.contact_id == contact_id)
            .order_by(segments.c.name)
        )
    )
    return data


def update_contact(conn: Connection, contact_id: int, changes: dict[str, Any]) -> None:
    """Core fields by name, `attributes` (whole bag) and `tags` (whole list)."""
    values = {k: v for k, v in changes.items() if k in contacts.c and k not in ("id", "tags")}
    values["updated_at"] = datetime.utcnow()
    conn.execute(update(contacts).where(contacts.c.id == contact_id).values(**values))
    if "tags" in changes:
        conn.execute(delete(contact_tags).where(contact_tags.c.contact_id == contact_id))
        tags = sorted({t.strip() for t in changes["tags"] if t.strip()})
        if tags:
            conn.execute(insert(contact_tags), [{"contact_id": contact_id, "tag": t} for t in tags])


def contact_timeline(conn: Connection, contact_id: int) -> list[dict[str, Any]]:
    """Events, steps and messages of one contact, newest first, as
    {"at", "kind" (event|step|message), "title", "detail", "campaign"}."""
    names = dict(conn.execute(select(campaigns.c.id, campaigns.c.name)).all())
    items: list[dict[str, Any]] = []
    for row in conn.execute(
        select(events).where(events.c.contact_id == contact_id).order_by(events.c.occurred_at)
    ):
        props = row.properties or {}
        items.append(
            {
                "at": row.occurred_at,
                "kind": "event",
                "title": row.name,
                "detail": ", ".join(f"{k}={v}" for k, v in props.items()),
                "campaign": names.get(row.campaign_id, props.get("campaign")),
                "node": row.node_id,
            }
        )
    for row in conn.execute(select(steps).where(steps.c.contact_id == contact_id)):
        items.append(
            {
                "at": row.at,
                "kind": "step",
                "title": f"passed {row.node_id}" + (f" → {row.port}" if row.port else ""),
                "detail": " ".join(filter(None, [row.outcome, row.detail])),
                "campaign": names.get(row.campaign_id),
                "node": row.node_id,
            }
        )
    for row in conn.execute(select(messages).where(messages.c.contact_id == contact_id)):
        items.append(
            {
                "at": row.sent_at or row.created_at,
                "kind": "message",
                "title": f"{row.channel} {row.status}: {row.subject or ''}".strip(),
                "detail": row.error or (row.to_address or ""),
                "campaign": names.get(row.campaign_id),
                "node": row.node_id,
                "status": row.status,
            }
        )
    items.sort(key=lambda item: item["at"] or datetime.min, reverse=True)
    return items


def list_segments(conn: Connection) -> list[dict[str, Any]]:
    members = (
        select(segment_members.c.segment_id, func.count().label("n"))
        .group_by(segment_members.c.segment_id)
        .subquery()
    )
    query = (
        select(segments, func.coalesce(members.c.n, 0).label("member_count"))
        .outerjoin(members, members.c.segment_id == segments.c.id)
        .order_by(segments.c.name)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def save_segment(
    conn: Connection,
    name: str,
    rule: dict | None = None,
    kind: str = "dynamic",
    members: list[int] | None = None,
    description: str | None = None,
) -> int:
    now = datetime.utcnow()
    existing = conn.scalar(select(segments.c.id).where(segments.c.name == name))
    values: dict[str, Any] = {"kind": kind, "rule": rule if kind == "dynamic" else None}
    if description is not None:
        values["description"] = description
    if existing is None:
        existing = conn.execute(
            insert(segments).values(name=name, created_at=now, **values)
        ).inserted_primary_key[0]
    else:
        conn.execute(
            update(segments).where(segments.c.id == existing).values(updated_at=now, **values)
        )
    if members is not None:
        conn.execute(delete(segment_members).where(segment_members.c.segment_id == existing))
        if members:
            conn.execute(
                insert(segment_members),
                [{"segment_id": existing, "contact_id": m, "added_at": now} for m in members],
            )
    return int(existing)


def delete_segment(conn: Connection, name: str) -> None:
    conn.execute(delete(segments).where(segments.c.name == name))


def list_templates(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(templates).order_by(templates.c.name))]


def get_template(conn: Connection, name: str) -> dict[str, Any]:
    row = conn.execute(select(templates).where(templates.c.name == name)).first()
    if row is None:
        raise KeyError(f"no template named {name!r}")
    return dict(row._mapping)


def save_template(
    conn: Connection,
    name: str,
    channel: str,
    subject: str = "",
    html: str = "",
    text: str = "",
    sender: str | None = None,
) -> int:
    now = datetime.utcnow()
    values = {"channel": channel, "subject": subject, "html": html, "text": text}
    if sender is not None:
        values["sender"] = sender
    existing = conn.scalar(select(templates.c.id).where(templates.c.name == name))
    if existing is None:
        return int(
            conn.execute(
                insert(templates).values(name=name, created_at=now, **values)
            ).inserted_primary_key[0]
        )
    conn.execute(
        update(templates).where(templates.c.id == existing).values(updated_at=now, **values)
    )
    return int(existing)


def delete_template(conn: Connection, name: str) -> None:
    conn.execute(delete(templates).where(templates.c.name == name))


def store_function(name: str):
    """engine.store's function when it exists, else the stand-in here."""
    try:
        import engine.store as store
    except ImportError:
        store = None
    function = getattr(store, name, None) if store is not None else None
    return function or globals()[name]
