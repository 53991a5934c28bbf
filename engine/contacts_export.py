"""Contacts out as CSV (everyone, or one segment's members), in the columns the contacts
import reads back (docs/data-formats.md), formula-safe through engine.csv_safe."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from sqlalchemy import Engine, select

from engine.clock import utcnow
from engine.csv_safe import safe_writer
from engine.db.schema import contact_tags, contacts

CORE_COLUMNS = ("email", "phone", "first_name", "last_name", "timezone", "unsubscribed",
                "bounced", "score", "created_at", "tags")  # fmt: skip
BATCH = 2000

if TYPE_CHECKING:
    from engine.contact_bulk import ContactFilter


class SegmentNotFound(LookupError):
    """The segment named for an export or a count does not exist."""


def _segment_rule(conn, segment: str):
    from engine.db.schema import segments
    from engine.rule_sql import segment_filter

    if conn.scalar(select(segments.c.id).where(segments.c.name == segment)) is None:
        raise SegmentNotFound(f"there is no segment named {segment!r}")
    return segment_filter(segment, conn, utcnow())


def count_segment(engine: Engine, segment: str) -> int:
    """How many contacts are in the segment now (its rule evaluated, or its members)."""
    from engine.rule_sql import count_matching

    with engine.connect() as conn:
        _segment_rule(conn, segment)
        return count_matching(conn, segment, utcnow())


def export_contacts(
    engine: Engine,
    handle: IO[str],
    segment: str | None = None,
    ids: list[int] | None = None,
    chosen: ContactFilter | None = None,
) -> int:
    """Write contacts (the segment's, those with `ids`, those `chosen` shows, or all) as CSV
    to `handle`; returns how many.

    Core columns first, then one column per attribute (sorted); tags joined by ';'."""
    from engine.contact_bulk import contact_ids

    with engine.connect() as conn:
        where = _segment_rule(conn, segment) if segment else None
        if chosen is not None:
            listed = set(contact_ids(conn, chosen))
        ids_query = select(contacts.c.id).order_by(contacts.c.id)
        if where is not None:
            ids_query = ids_query.where(where)
        if ids is not None:
            wanted = {int(i) for i in ids}
            ids = [i for i in conn.scalars(ids_query) if i in wanted]
        else:
            ids = list(conn.scalars(ids_query))
        if chosen is not None:
            ids = [i for i in ids if i in listed]
        attribute_names: set[str] = set()
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            for bag in conn.scalars(select(contacts.c.attributes).where(contacts.c.id.in_(chunk))):
                attribute_names.update((bag or {}).keys())
        attributes = sorted(attribute_names - set(CORE_COLUMNS))
        writer = safe_writer(handle)
        writer.writerow([*CORE_COLUMNS, *attributes])
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            tags: dict[int, list[str]] = {}
            for contact_id, tag in conn.execute(
                select(contact_tags.c.contact_id, contact_tags.c.tag)
                .where(contact_tags.c.contact_id.in_(chunk))
                .order_by(contact_tags.c.tag)
            ):
                tags.setdefault(contact_id, []).append(tag)
            rows = conn.execute(
                select(contacts).where(contacts.c.id.in_(chunk)).order_by(contacts.c.id)
            ).mappings()
            for row in rows:
                bag = row["attributes"] or {}
                created = row["created_at"].isoformat() + "Z" if row["created_at"] else None
                writer.writerow([
                    row["email"], row["phone"], row["first_name"], row["last_name"],
                    row["timezone"], row["unsubscribed"], row["bounced"], row["score"],
                    created, ";".join(tags.get(row["id"], [])),
                    *(bag.get(name) for name in attributes),
                ])  # fmt: skip
    return len(ids)
