"""Actions that change contacts (update_contact, tag, segment, score), collected per batch
and written with a few bulk statements at its end."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from engine.contact_values import ContactValueError, contact_value
from engine.db.schema import contact_tags, contacts, segment_members, segments
from engine.runner.messages import campaign_context, contact_context
from engine.templating import compile_template, render_template

if TYPE_CHECKING:  # the runner imports this module: types only
    from engine.diagram import Node
    from engine.runner.core import BatchWrites, Enrollment, Runner
    from engine.runner.plan import Plan

CORE_COLUMNS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "timezone",
    "score",
    "unsubscribed",
    "bounced",
)


def update_contact(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    field, value = node.params["field"], node.params.get("value")
    template = compile_template(value) if isinstance(value, str) and "{" in value else None
    for item in items:
        item.port = "out"
        new = value
        if template is not None:
            try:
                new = render_template(
                    template,
                    {
                        "contact": contact_context(item.contact),
                        "campaign": campaign_context(plan),
                        "now": item.at,
                    },
                )
            except Exception as exc:
                item.outcome, item.detail = "failed", f"template error: {exc}"
                continue
        try:  # typed, finite, and never the opt-out flags (engine.contact_values)
            new = contact_value(field, new)
        except ContactValueError as exc:
            item.outcome, item.detail = "failed", str(exc)
            continue
        changes = writes.contact_updates.setdefault(item.contact_id, {})
        if field in CORE_COLUMNS:
            item.contact[field] = new
            changes[field] = new
        else:
            attributes = dict(item.contact["attributes"])
            attributes[field] = new
            item.contact["attributes"] = attributes
            changes["attributes"] = attributes


def tag(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    add = node.params.get("add") or []
    remove = node.params.get("remove") or []
    for item in items:
        item.port = "out"
        writes.tags_add += [{"contact_id": item.contact_id, "tag": t} for t in add]
        writes.tags_remove += [{"_cid": item.contact_id, "_tag": t} for t in remove]


def segment(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    name = node.params["segment"]
    row = conn.execute(
        select(segments.c.id, segments.c.kind).where(segments.c.name == name)
    ).first()
    for item in items:
        item.port = "out"
        if row is None or row.kind != "static":
            item.outcome = "failed"
            item.detail = f"segment {name!r} " + (
                "does not exist" if row is None else "is not a static list"
            )
            continue
        entry = {"segment_id": row.id, "contact_id": item.contact_id, "added_at": item.at}
        if node.params.get("action", "add") == "add":
            writes.members_add.append(entry)
        else:
            writes.members_remove.append({"_sid": row.id, "_cid": item.contact_id})


def score(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    points = int(node.params.get("points", 0))
    for item in items:
        item.port = "out"
        item.contact["score"] = (item.contact.get("score") or 0) + points
        changes = writes.contact_updates.get(item.contact_id)
        if changes and "score" in changes:  # set earlier in this batch: keep the sum there
            changes["score"] = item.contact["score"]
        else:
            writes.score.append({"_cid": item.contact_id, "_points": points})


def _insert_ignore(conn: Connection, table, rows: list[dict]) -> None:
    dialect = conn.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        for row in rows:
            try:
                with conn.begin_nested():
                    conn.execute(insert(table), row)
            except Exception:
                pass
        return
    conn.execute(dialect_insert(table).on_conflict_do_nothing(), rows)


def apply_contact_changes(conn: Connection, writes, now: dt.datetime) -> None:
    """Write what the batch's actions did to contacts."""
    if writes.score:
        conn.execute(
            update(contacts)
            .where(contacts.c.id == bindparam("_cid"))
            .values(score=contacts.c.score + bindparam("_points")),
            writes.score,
        )
    if writes.tags_add:
        _insert_ignore(conn, contact_tags, writes.tags_add)
    if writes.tags_remove:
        conn.execute(
            delete(contact_tags).where(
                contact_tags.c.contact_id == bindparam("_cid"),
                contact_tags.c.tag == bindparam("_tag"),
            ),
            writes.tags_remove,
        )
    if writes.members_add:
        _insert_ignore(conn, segment_members, writes.members_add)
    if writes.members_remove:
        conn.execute(
            delete(segment_members).where(
                segment_members.c.segment_id == bindparam("_sid"),
                segment_members.c.contact_id == bindparam("_cid"),
            ),
            writes.members_remove,
        )
    for contact_id in writes.unsubscribe:
        writes.contact_updates.setdefault(contact_id, {})["unsubscribed"] = True
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    for contact_id, changes in writes.contact_updates.items():
        if not changes:
            continue
        key = tuple(sorted(changes))
        by_columns.setdefault(key, []).append(
            {"_cid": contact_id, **{f"_v_{k}": v for k, v in changes.items()}}
        )
    for columns, rows in by_columns.items():
        values = {name: bindparam(f"_v_{name}") for name in columns}
        conn.execute(
            update(contacts)
            .where(contacts.c.id == bindparam("_cid"))
            .values(updated_at=now, **values),
            rows,
        )
