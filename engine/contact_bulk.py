"""The contacts screen's filters (segment, tag, one field test, status) and what a person
does to many contacts at once: tag, untag, add to a static segment, unsubscribe, delete,
export. Set-based SQL over chunks of ids; opt-outs only ever go one way here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, delete, insert, select, update

from engine import store
from engine.clock import utcnow
from engine.db.schema import contact_tags, contacts, events, segments
from engine.i18n import _
from engine.rule_words import plain_rule_error
from engine.rules import CORE_FIELDS, RuleError, parse_rule

STATUSES = ("subscribed", "unsubscribed", "bounced")
CHUNK = 500  # ids per statement (SQLite's bound-parameter limit stays far away)
BY_A_PERSON = "a person (contacts screen)"


class FilterError(ValueError):
    """A filter or an action names something that does not exist or cannot compare."""


@dataclass(frozen=True)
class ContactFilter:
    """What the contacts list shows: every part set narrows it (they combine with AND)."""

    segment: str = ""
    tag: str = ""
    field: str = ""
    op: str = "eq"
    value: Any = None
    status: str = ""  # "" (any), or one of STATUSES
    search: str = ""  # the search box: words starting a name, an email or a phone

    def rule(self) -> dict | None:
        """The segment, tag and field parts in the rule language (engine/rules.py)."""
        parts: list[dict] = []
        if self.segment:
            parts.append({"segment": self.segment})
        if self.tag:
            parts.append({"tag": self.tag})
        if self.field:
            test: dict[str, Any] = {"field": self.field, "op": self.op}
            if self.op not in ("is_set", "not_set"):
                test["value"] = self.value
            parts.append(test)
        return {"all": parts} if parts else None


def filter_clause(
    conn: Connection, chosen: ContactFilter, now: dt.datetime | None = None
) -> ColumnElement[bool] | None:
    """The WHERE clause for the filter's segment, tag, field and status parts (None: all).
    FilterError with a sentence when a part cannot be used."""
    from engine.rule_sql import compile_rule

    clauses: list[ColumnElement[bool]] = []
    if (
        chosen.segment
        and conn.scalar(select(segments.c.id).where(segments.c.name == chosen.segment)) is None
    ):
        raise FilterError(f"there is no segment named “{chosen.segment}”")
    rule = chosen.rule()
    if rule is not None:
        try:  # parsed here first: its error keeps what is wrong, for a sentence in words
            parsed = parse_rule(rule)
        except RuleError as exc:
            raise FilterError(plain_rule_error(exc, _("The field filter"))) from exc
        try:
            clauses.append(compile_rule(parsed, conn, now or utcnow()))
        except RuleError as exc:
            raise FilterError(str(exc)) from exc
    if chosen.status == "subscribed":
        clauses += [contacts.c.unsubscribed.is_(False), contacts.c.bounced.is_(False)]
    elif chosen.status == "unsubscribed":
        clauses.append(contacts.c.unsubscribed.is_(True))
    elif chosen.status == "bounced":
        clauses.append(contacts.c.bounced.is_(True))
    elif chosen.status:
        raise FilterError(f"unknown status “{chosen.status}” (use {', '.join(STATUSES)})")
    return and_(*clauses) if clauses else None


def count_contacts(conn: Connection, chosen: ContactFilter, now: dt.datetime | None = None) -> int:
    """How many contacts the filter (and its search words) shows."""
    where = filter_clause(conn, chosen, now)
    return store.count_contacts(conn, search=chosen.search, where=where)


def list_contacts(
    conn: Connection,
    chosen: ContactFilter,
    offset: int = 0,
    limit: int = 100,
    order_by: str = "id",
    now: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """One page of the filtered list, in the order the screen shows it."""
    where = filter_clause(conn, chosen, now)
    return store.list_contacts(
        conn, search=chosen.search, offset=offset, limit=limit, order_by=order_by, where=where
    )


def contact_ids(
    conn: Connection, chosen: ContactFilter, now: dt.datetime | None = None
) -> list[int]:
    """The ids of every contact the filter shows (for "select all" on a long list)."""
    query = select(contacts.c.id).order_by(contacts.c.id)
    where = filter_clause(conn, chosen, now)
    if where is not None:
        query = query.where(where)
    search = store._search_clause(chosen.search)  # the same words as the list
    if search is not None:
        query = query.where(search)
    return [int(i) for i in conn.scalars(query)]


def _chunks(ids: list[int]):
    clean = sorted({int(i) for i in ids})
    for start in range(0, len(clean), CHUNK):
        yield clean[start : start + CHUNK]


def _tag_name(tag: str) -> str:
    name = str(tag or "").strip()
    if not name:
        raise FilterError("a tag needs a name")
    if len(name) > 100:
        raise FilterError("a tag name has at most 100 characters")
    return name


def add_tag(conn: Connection, ids: list[int], tag: str) -> int:
    """Tag the contacts; returns how many did not have the tag before."""
    tag = _tag_name(tag)
    added = 0
    for chunk in _chunks(ids):
        have = set(conn.scalars(select(contact_tags.c.contact_id).where(
            contact_tags.c.tag == tag, contact_tags.c.contact_id.in_(chunk))))  # fmt: skip
        present = set(conn.scalars(select(contacts.c.id).where(contacts.c.id.in_(chunk))))
        new = sorted(present - have)
        if new:
            conn.execute(insert(contact_tags), [{"contact_id": i, "tag": tag} for i in new])
            added += len(new)
    return added


def remove_tag(conn: Connection, ids: list[int], tag: str) -> int:
    """Take the tag off the contacts; returns how many had it."""
    tag = _tag_name(tag)
    removed = 0
    for chunk in _chunks(ids):
        removed += conn.execute(
            delete(contact_tags).where(
                contact_tags.c.tag == tag, contact_tags.c.contact_id.in_(chunk)
            )
        ).rowcount
    return removed


def add_to_segment(conn: Connection, ids: list[int], segment: str) -> int:
    """Add the contacts to a static segment; returns how many were not in it yet."""
    kind = conn.scalar(select(segments.c.kind).where(segments.c.name == segment))
    if kind is None:
        raise FilterError(f"there is no segment named “{segment}”")
    if kind != "static":
        raise FilterError(f"“{segment}” is a dynamic segment: its rule decides who is in it")
    return store.add_to_segment(conn, segment, list(ids))


def static_segments(conn: Connection) -> list[str]:
    """The names of segments a person can add contacts to by hand."""
    query = select(segments.c.name).where(segments.c.kind == "static").order_by(segments.c.name)
    return list(conn.scalars(query))


def unsubscribe(
    conn: Connection, ids: list[int], now: dt.datetime | None = None, by: str = BY_A_PERSON
) -> int:
    """A person's explicit opt-out for these contacts: each not yet unsubscribed is, with an
    `unsubscribed` event on its timeline saying who did it. There is deliberately no bulk
    way back (only a person, one contact at a time, on the contact's page)."""
    now = now or utcnow()
    changed = 0
    for chunk in _chunks(ids):
        newly = list(conn.scalars(select(contacts.c.id).where(
            contacts.c.id.in_(chunk), contacts.c.unsubscribed.is_(False))))  # fmt: skip
        if not newly:
            continue
        conn.execute(
            update(contacts).where(contacts.c.id.in_(newly)).values(unsubscribed=True,
                                                                    updated_at=now)
        )  # fmt: skip
        conn.execute(insert(events), [
            {"contact_id": i, "name": "unsubscribed", "occurred_at": now,
             "properties": {"by": by, "source": "contacts screen"}}
            for i in newly
        ])  # fmt: skip
        changed += len(newly)
    return changed


def delete_contacts(conn: Connection, ids: list[int]) -> int:
    """Delete the contacts with their tags, memberships and events; returns how many."""
    return store.delete_contacts(conn, sorted({int(i) for i in ids}))


def export_contacts(engine: Engine, handle: IO[str], ids: list[int]) -> int:
    """The contacts as CSV (formula-safe, the columns `import contacts` reads back)."""
    from engine.contacts_export import export_contacts as export

    return export(engine, handle, ids=ids)


def filter_choices(conn: Connection) -> dict[str, list[str]]:
    """{"segments", "static_segments", "tags", "fields"}: the names the filter bar offers."""
    from engine.segments import rule_suggestions

    suggestions = rule_suggestions(conn)
    return {
        "segments": list(conn.scalars(select(segments.c.name).order_by(segments.c.name))),
        "static_segments": static_segments(conn),
        "tags": suggestions.get("tags", []),
        "fields": [*CORE_FIELDS, "score", *suggestions.get("fields", [])],
    }
