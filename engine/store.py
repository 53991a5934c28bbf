"""Plain functions over a Connection for contacts, segments and templates (the data screens,
the importer and the command line share them). Times are naive UTC."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from engine import addresses, csv_values
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
from engine.rules import RuleError, parse_rule, referenced_segments

CONTACT_COLUMNS = (
    "id", "email", "phone", "first_name", "last_name", "timezone", "created_at",
    "updated_at", "unsubscribed", "bounced", "score", "attributes",
)  # fmt: skip
EDITABLE_COLUMNS = ("email", "phone", "first_name", "last_name", "timezone", "unsubscribed",
                    "bounced", "score", "attributes")  # fmt: skip
CHANNELS = ("email", "sms", "message")
SEGMENT_KINDS = ("dynamic", "static")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class StoreError(ValueError):
    """Data a user entered that cannot be stored, with a sentence saying why."""


class DuplicateContact(StoreError):
    """Another contact already has this email address."""


def _check_email_free(conn: Connection, email: Any, contact_id: int | None = None) -> None:
    if not email:
        return
    other = conn.scalar(select(contacts.c.id).where(contacts.c.email == email))
    if other is not None and other != contact_id:
        raise DuplicateContact(f"another contact already uses {email}")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# ---- contacts ---------------------------------------------------------------------------------


def _prefix(expression, word: str) -> ColumnElement[bool]:
    """`expression` starts with `word`, as a range an index on `expression` can serve."""
    return and_(expression >= word, expression < word + "\U0010ffff")


def _search_is_indexed(search: str) -> bool:
    """False when a word is searched inside emails (a scan: better walk in sort order)."""
    return not any(w.startswith("@") or ("." in w and "@" not in w) for w in search.lower().split())


def _search_clause(search: str) -> ColumnElement[bool] | None:
    """Every word must start the email, the first or last name (any case), or the phone.

    Each test is a range on an index (emails are stored lower-case; names have lower()
    indexes), so searching 100,000 contacts reads only the matches. A word starting with
    "@" or holding a dot but no "@" ("example.com") is searched inside emails (a scan).
    """
    words = search.strip().lower().split()
    if not words:
        return None
    clauses = []
    for word in words:
        options = [
            _prefix(contacts.c.email, word),
            _prefix(func.lower(contacts.c.first_name), word),
            _prefix(func.lower(contacts.c.last_name), word),
        ]
        if word.startswith("@") or ("." in word and "@" not in word):
            options.append(contacts.c.email.contains(word, autoescape=True))
        digits = word.lstrip("+")
        if len(digits) >= 3 and digits.isdigit():
            options += [_prefix(contacts.c.phone, digits), _prefix(contacts.c.phone, "+" + digits)]
        if word.isdigit() and len(word) <= 9:
            options.append(contacts.c.id == int(word))
        clauses.append(or_(*options))
    return and_(*clauses)


TEXT_SORTS = ("first_name", "last_name")
SORT_MATCHES_UP_TO = 3000


def _order(order_by: str, searching: bool = False) -> tuple:
    """Sort keys for `name` or `-name`; names sort without case (served by their indexes).

    When searching, the keys are wrapped in coalesce() so that SQLite sorts the few matches
    found through the search indexes instead of walking the whole table in sort order.
    """
    descending = order_by.startswith("-")
    name = order_by.lstrip("-")
    if name in TEXT_SORTS:
        column = func.lower(contacts.c[name])
    elif name in CONTACT_COLUMNS and name != "attributes":
        column = contacts.c[name]
    else:
        column = contacts.c.id
    keys = [column] if column is contacts.c.id else [column, contacts.c.id]
    if searching:
        keys = [func.coalesce(key, None) for key in keys]
    return tuple(key.desc() if descending else key.asc() for key in keys)


def list_contacts(
    conn: Connection,
    search: str = "",
    offset: int = 0,
    limit: int = 100,
    order_by: str = "id",
    where: ColumnElement[bool] | None = None,
) -> list[dict[str, Any]]:
    """One page of contacts (dicts with the core columns, `attributes` and `tags`).

    `order_by` is a column name, `-name` for descending; ties break by id. `where` narrows
    the list further (engine.contact_bulk's filters).
    """
    query = select(*(contacts.c[name] for name in CONTACT_COLUMNS))
    if where is not None:
        query = query.where(where)
    clause = _search_clause(search)
    sort_matches = False
    if clause is not None:
        query = query.where(clause)
        # Few matches found through the search indexes: sort them. Many, or a search
        # inside emails (a scan anyway): walk the sort order and stop after the page.
        if _search_is_indexed(search):
            few = select(contacts.c.id).where(clause).limit(SORT_MATCHES_UP_TO + 1).subquery()
            sort_matches = conn.scalar(select(func.count()).select_from(few)) <= SORT_MATCHES_UP_TO
    query = (
        query.order_by(*_order(order_by, searching=sort_matches))
        .offset(max(0, offset))
        .limit(max(0, limit))
    )
    rows = [dict(row._mapping) for row in conn.execute(query)]
    _attach_tags(conn, rows)
    return rows


def count_contacts(
    conn: Connection, search: str = "", where: ColumnElement[bool] | None = None
) -> int:
    query = select(func.count()).select_from(contacts)
    if where is not None:
        query = query.where(where)
    clause = _search_clause(search)
    if clause is not None:
        query = query.where(clause)
    return int(conn.scalar(query) or 0)


def _attach_tags(conn: Connection, rows: list[dict[str, Any]]) -> None:
    tags: dict[int, list[str]] = {row["id"]: [] for row in rows}
    if tags:
        query = (
            select(contact_tags.c.contact_id, contact_tags.c.tag)
            .where(contact_tags.c.contact_id.in_(list(tags)))
            .order_by(contact_tags.c.tag)
        )
        for contact_id, tag in conn.execute(query):
            tags[contact_id].append(tag)
    for row in rows:
        row["tags"] = tags[row["id"]]


def get_contact(conn: Connection, contact_id: int) -> dict[str, Any]:
    """One contact with its `tags` and the static `segments` it was added to; KeyError if none."""
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


def find_contact(
    conn: Connection, email: str | None = None, phone: str | None = None
) -> int | None:
    """The id of the contact with that email (or, failing that, phone)."""
    if email:
        found = conn.scalar(select(contacts.c.id).where(contacts.c.email == email.strip().lower()))
        if found is not None:
            return int(found)
    if phone:
        found = conn.scalar(
            select(contacts.c.id).where(contacts.c.phone == phone.strip()).order_by(contacts.c.id)
        )
        if found is not None:
            return int(found)
    return None


def check_contact_fields(fields: dict[str, Any], region: str = "") -> dict[str, Any]:
    """Clean core fields (email checked and lower-case, phone as E.164 — `region` for numbers
    without a country code —, trimmed text) or raise StoreError saying why."""
    clean = {}
    for key, value in fields.items():
        if key not in EDITABLE_COLUMNS:
            raise StoreError(f"{key!r} is not a contact field (use attributes for your own)")
        if isinstance(value, str) and key != "attributes":
            value = value.strip() or None
            if value is not None and csv_values.clean_text(value)[1]:
                raise StoreError(f"{key} {value!r} has control characters (tabs, line breaks "
                                 "or invisible codes): remove them")  # fmt: skip
        clean[key] = value
    if clean.get("email") is not None:
        try:
            clean["email"] = addresses.email_address(clean["email"])
        except addresses.AddressProblem as exc:
            raise StoreError(f"{fields['email']!r} is not an email address ({exc})") from None
    if clean.get("phone") is not None:
        try:
            clean["phone"] = addresses.phone_number(clean["phone"], region)
        except addresses.AddressProblem as exc:
            raise StoreError(str(exc)) from None
    if clean.get("timezone") is not None:
        check_timezone(clean["timezone"])
    if "attributes" in clean and not isinstance(clean["attributes"], dict):
        raise StoreError("attributes must be a mapping of names to values")
    for flag in ("unsubscribed", "bounced"):
        if flag in clean:
            clean[flag] = bool(clean[flag])
    if "score" in clean:
        try:
            clean["score"] = int(clean["score"] or 0)
        except (TypeError, ValueError):
            raise StoreError(f"score must be a whole number, not {fields['score']!r}") from None
    return clean


def check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long
        raise StoreError(f"unknown time zone {name!r} (e.g. Europe/Berlin)") from None


def create_contact(conn: Connection, tags: list[str] | None = None, **fields: Any) -> int:
    """Add a contact (needs an email or a phone); returns its id."""
    clean = check_contact_fields(fields)
    if not clean.get("email") and not clean.get("phone"):
        raise StoreError("a contact needs an email address or a phone number")
    _check_email_free(conn, clean.get("email"))
    now = utcnow()
    clean.setdefault("attributes", {})
    contact_id = conn.execute(
        insert(contacts).values(created_at=now, updated_at=now, **clean)
    ).inserted_primary_key[0]
    if tags:
        set_tags(conn, contact_id, tags)
    return int(contact_id)


def update_contact(
    conn: Connection, contact_id: int, changes: dict[str, Any] | None = None, **fields: Any
) -> None:
    """Change core fields, `attributes` (the whole bag) and `tags` (the whole list).

    Accepts a dict (as the contact page sends) or keyword arguments.
    """
    values = {**(changes or {}), **fields}
    tags = values.pop("tags", None)
    values = {k: v for k, v in values.items() if k not in ("id", "created_at", "updated_at",
                                                            "segments")}  # fmt: skip
    clean = check_contact_fields(values)
    if clean:
        _check_email_free(conn, clean.get("email"), contact_id)
        clean["updated_at"] = utcnow()
        _log_cleared_flags(conn, contact_id, clean)
        result = conn.execute(update(contacts).where(contacts.c.id == contact_id).values(**clean))
        if result.rowcount == 0:
            raise KeyError(f"no contact with id {contact_id}")
    if tags is not None:
        set_tags(conn, contact_id, tags)


CLEARED_EVENT = {"unsubscribed": "resubscribed", "bounced": "bounce_cleared"}


def _log_cleared_flags(conn: Connection, contact_id: int, clean: dict[str, Any]) -> None:
    """A person clearing an opt-out or a bounce (the only way besides the contact's own
    unsubscribe page) is recorded as an event on the contact's timeline."""
    clearing = [flag for flag in CLEARED_EVENT if flag in clean and not clean[flag]]
    if not clearing:
        return
    row = conn.execute(
        select(*(contacts.c[flag] for flag in clearing)).where(contacts.c.id == contact_id)
    ).first()
    for flag, was in zip(clearing, row or (), strict=False):
        if was:
            conn.execute(
                insert(events).values(
                    contact_id=contact_id,
                    name=CLEARED_EVENT[flag],
                    occurred_at=clean["updated_at"],
                    properties={"by": "a person (contacts screen)", "field": flag},
                )
            )


def set_tags(conn: Connection, contact_id: int, tags: list[str] | tuple[str, ...]) -> None:
    """Replace a contact's tags (blank names dropped, duplicates merged)."""
    conn.execute(delete(contact_tags).where(contact_tags.c.contact_id == contact_id))
    clean = sorted({str(t).strip() for t in tags if str(t).strip()})
    if clean:
        conn.execute(insert(contact_tags), [{"contact_id": contact_id, "tag": t} for t in clean])


def delete_contacts(conn: Connection, ids: list[int]) -> int:
    """Delete contacts (their tags, memberships and events go with them)."""
    total = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for table in (contact_tags, segment_members, events):
            conn.execute(delete(table).where(table.c.contact_id.in_(chunk)))
        total += conn.execute(delete(contacts).where(contacts.c.id.in_(chunk))).rowcount
    return total


def contact_fields(conn: Connection) -> set[str]:
    """Every attribute name used by any contact (read in the database, not in Python)."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        keys = func.json_each(contacts.c.attributes).table_valued("key")
        query = select(keys.c.key).select_from(contacts.join(keys, true())).distinct()
    elif dialect == "postgresql":
        query = select(func.json_object_keys(contacts.c.attributes)).distinct()
    else:  # other databases: read the bags
        found: set[str] = set()
        for bag in conn.scalars(select(contacts.c.attributes)):
            found.update(bag or {})
        return found
    return {str(name) for name in conn.scalars(query)}


def all_tags(conn: Connection) -> list[tuple[str, int]]:
    """(tag, number of contacts), most used first."""
    query = (
        select(contact_tags.c.tag, func.count().label("n"))
        .group_by(contact_tags.c.tag)
        .order_by(func.count().desc(), contact_tags.c.tag)
    )
    return [(row.tag, int(row.n)) for row in conn.execute(query)]


def record_event(
    conn: Connection,
    contact_id: int,
    name: str,
    at: dt.datetime | None = None,
    properties: dict[str, Any] | None = None,
    campaign_id: int | None = None,
    node_id: str | None = None,
) -> int:
    """Record that a contact did something (naive UTC `at`, default now)."""
    if not name or not str(name).strip():
        raise StoreError("an event needs a name")
    row = {
        "contact_id": contact_id,
        "name": str(name).strip(),
        "occurred_at": at or utcnow(),
        "properties": dict(properties or {}),
        "campaign_id": campaign_id,
        "node_id": node_id,
    }
    return int(conn.execute(insert(events).values(**row)).inserted_primary_key[0])


def contact_timeline(conn: Connection, contact_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """Events, steps and messages of one contact, newest first, as
    {"at", "kind" (event|step|message), "title", "detail", "campaign", "node"}."""
    names = dict(conn.execute(select(campaigns.c.id, campaigns.c.name)).all())
    items: list[dict[str, Any]] = []
    query = (
        select(events)
        .where(events.c.contact_id == contact_id)
        .order_by(events.c.occurred_at.desc())
        .limit(limit)
    )
    for row in conn.execute(query):
        props = row.properties or {}
        items.append({
            "at": row.occurred_at, "kind": "event", "title": row.name,
            "detail": ", ".join(f"{k}={v}" for k, v in props.items()),
            "campaign": names.get(row.campaign_id, props.get("campaign")), "node": row.node_id,
        })  # fmt: skip
    from engine.node_names import node_names, port_words

    step_names: dict[int, dict[str, str]] = {}  # campaign id -> {node id: the step's name}

    def step_name(campaign_id: int, node_id: str) -> str:
        if campaign_id not in step_names:
            definition = conn.scalar(
                select(campaigns.c.definition).where(campaigns.c.id == campaign_id)
            )
            step_names[campaign_id] = node_names(definition or {})
        return step_names[campaign_id].get(node_id, "a removed step")

    query = select(steps).where(steps.c.contact_id == contact_id).order_by(steps.c.at.desc())
    for row in conn.execute(query.limit(limit)):
        port = f" → {port_words(row.port)}" if row.port else ""
        items.append({
            "at": row.at, "kind": "step",
            "title": f"passed {step_name(row.campaign_id, row.node_id)}{port}",
            "detail": " ".join(filter(None, [row.outcome, row.detail])),
            "campaign": names.get(row.campaign_id), "node": row.node_id,
        })  # fmt: skip
    query = (
        select(messages)
        .where(messages.c.contact_id == contact_id)
        .order_by(messages.c.created_at.desc())
    )
    kept_days = None
    for row in conn.execute(query.limit(limit)):
        subject = row.subject or ""
        if row.dropped_at is not None and row.subject is None:  # past the retention period
            from engine.contact_activity import removed_note
            from engine.retention import retention_days

            kept_days = retention_days(conn) if kept_days is None else kept_days
            subject = removed_note(kept_days)
        items.append({
            "at": row.sent_at or row.created_at, "kind": "message",
            "title": f"{row.channel} {row.status}: {subject}".strip(),
            "detail": row.error or (row.to_address or ""),
            "campaign": names.get(row.campaign_id), "node": row.node_id, "status": row.status,
        })  # fmt: skip
    items.sort(key=lambda item: item["at"] or dt.datetime.min, reverse=True)
    return items[:limit]


# ---- segments -----------------------------------------------------------------------------------


def list_segments(
    conn: Connection, with_counts: bool = False, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Segments by name, each with `member_count` (contacts added by hand); with `with_counts`
    also `count` (contacts matching now) and `error` (why it could not be counted)."""
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
    rows = [dict(row._mapping) for row in conn.execute(query)]
    if with_counts:
        from engine.rule_sql import RuleCompileError, count_matching

        for row in rows:
            try:
                row["count"], row["error"] = (
                    count_matching(conn, row["name"], now or utcnow()),
                    None,
                )
            except RuleCompileError as exc:
                row["count"], row["error"] = None, str(exc)
    return rows


def get_segment(conn: Connection, name: str) -> dict[str, Any]:
    row = conn.execute(select(segments).where(segments.c.name == name)).first()
    if row is None:
        raise KeyError(f"no segment named {name!r}")
    return dict(row._mapping)


def save_segment(
    conn: Connection,
    name: str,
    rule: dict | None = None,
    kind: str = "dynamic",
    members: list[int] | None = None,
    description: str | None = None,
) -> int:
    """Create or replace a segment; `members` (ids) replaces a static list when given.

    Raises StoreError for a bad name, kind or rule, or a rule that makes segments refer
    to each other in a loop.
    """
    name = (name or "").strip()
    if not name:
        raise StoreError("a segment needs a name")
    if kind not in SEGMENT_KINDS:
        raise StoreError(f"segment kind must be dynamic or static, not {kind!r}")
    if kind == "dynamic":
        if rule is None:
            raise StoreError(f"dynamic segment {name!r} needs a rule")
        try:
            parsed = parse_rule(rule)
        except RuleError as exc:
            raise StoreError(f"segment {name!r}: {exc}") from None
        _check_segment_loop(conn, name, referenced_segments(parsed))
    now = utcnow()
    values: dict[str, Any] = {"kind": kind, "rule": rule if kind == "dynamic" else None}
    if description is not None:
        values["description"] = description
    existing = conn.scalar(select(segments.c.id).where(segments.c.name == name))
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
        unique = sorted({int(m) for m in members})
        for start in range(0, len(unique), 5000):
            conn.execute(insert(segment_members), [
                {"segment_id": existing, "contact_id": m, "added_at": now}
                for m in unique[start : start + 5000]
            ])  # fmt: skip
    return int(existing)


def _check_segment_loop(conn: Connection, name: str, refers_to: set[str]) -> None:
    rules = {
        row.name: row.rule
        for row in conn.execute(select(segments.c.name, segments.c.rule))
        if row.rule is not None
    }
    graph: dict[str, set[str]] = {}
    for other, rule in rules.items():
        try:
            graph[other] = referenced_segments(parse_rule(rule))
        except RuleError:
            graph[other] = set()
    graph[name] = refers_to
    path = [name]

    def visit(current: str) -> None:
        for nxt in sorted(graph.get(current, ())):
            if nxt == name:
                raise StoreError(
                    "segments would refer to each other in a loop: " + " → ".join([*path, name])
                )
            if nxt not in path:
                path.append(nxt)
                visit(nxt)
                path.pop()

    visit(name)


def add_to_segment(conn: Connection, name: str, contact_ids: list[int]) -> int:
    """Add contacts to a segment by hand (those already in it are skipped); returns how many."""
    segment_id = get_segment(conn, name)["id"]
    present = set(conn.scalars(select(segment_members.c.contact_id).where(
        segment_members.c.segment_id == segment_id)))  # fmt: skip
    new = sorted({int(i) for i in contact_ids} - present)
    now = utcnow()
    if new:
        rows = [{"segment_id": segment_id, "contact_id": i, "added_at": now} for i in new]
        conn.execute(insert(segment_members), rows)
    return len(new)


def delete_segment(conn: Connection, name: str) -> None:
    segment_id = conn.scalar(select(segments.c.id).where(segments.c.name == name))
    if segment_id is not None:
        conn.execute(delete(segment_members).where(segment_members.c.segment_id == segment_id))
        conn.execute(delete(segments).where(segments.c.id == segment_id))


# ---- templates ----------------------------------------------------------------------------------


def list_templates(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(templates).order_by(templates.c.name))]


def get_template(conn: Connection, name: str) -> dict[str, Any]:
    """A template as a dict (name, channel, subject, html, text, sender…); KeyError if none."""
    row = conn.execute(select(templates).where(templates.c.name == name)).first()
    if row is None:
        raise KeyError(f"no template named {name!r}")
    return dict(row._mapping)


def save_template(
    conn: Connection,
    name: str,
    channel: str = "email",
    subject: str = "",
    html: str = "",
    text: str = "",
    sender: str | None = None,
) -> int:
    """Create or replace a template (email: subject, HTML, text; sms/message: text)."""
    name = (name or "").strip()
    if not name:
        raise StoreError("a template needs a name")
    if channel not in CHANNELS:
        raise StoreError(f"template {name!r}: channel must be one of {', '.join(CHANNELS)}")
    now = utcnow()
    values = {"channel": channel, "subject": subject or "", "html": html or "", "text": text or ""}
    if sender is not None:
        values["sender"] = sender
    existing = conn.scalar(select(templates.c.id).where(templates.c.name == name))
    if existing is None:
        result = conn.execute(insert(templates).values(name=name, created_at=now, **values))
        return int(result.inserted_primary_key[0])
    conn.execute(
        update(templates).where(templates.c.id == existing).values(updated_at=now, **values)
    )
    return int(existing)


def delete_template(conn: Connection, name: str) -> None:
    conn.execute(delete(templates).where(templates.c.name == name))
