"""Imports: contacts and events from CSV, segments and templates from JSON
(formats in docs/data-formats.md).

CSV files are read twice, streaming (first to check rows and type the attribute columns,
then to write them in batches with Core executemany), so memory stays flat however long
the file. Bad rows are reported with their line number; every good row is kept. The whole
import is one transaction: a crash or Cancel leaves the database as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    false,
    func,
    insert,
    or_,
    select,
    update,
)

from engine import csv_values as values
from engine.csv_source import CsvSource
from engine.db.schema import contact_tags, contacts, events
from engine.db.schema import settings as settings_table
from engine.import_mapping import (
    CONTACT_FIELDS,
    EVENT_FIELDS,
    IGNORED_BY_DEFAULT,
    Mapping,
    MappingError,
    build_mapping,
    preset_named,
    recognise,
)
from engine.import_report import ImportFileError, ImportReport, transaction, utcnow
from engine.importer_json import import_segments, import_templates
from engine.progress import Progress, stages

BATCH = 2000
CONTACT_CORE = CONTACT_FIELDS
IGNORED = IGNORED_BY_DEFAULT
EVENT_CORE = EVENT_FIELDS


# ---- reading CSV ---------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    cells: dict[str, str]  # target (core field or attribute) → text


class _MappedFile:
    """A CSV file (engine.csv_source) read through a column mapping: rows come as
    {target: text}; ignored columns are left out."""

    def __init__(self, source: CsvSource, mapping: Mapping) -> None:
        self.source = source
        self.mapping = mapping
        self.path = source.path
        self.picks = [(c.position, c.target) for c in mapping.columns if c.target != "ignore"]
        self.columns = [target for _, target in self.picks]

    def rows(self, rejected: list[tuple[int, str]] | None = None) -> Iterator[_Row]:
        picks = self.picks
        for row in self.source.rows(rejected):
            yield _Row(row.line, {target: row.cells[i] for i, target in picks})


def read_settings(target: Engine | Connection) -> dict[str, Any]:
    """The settings an import reads (the phone region, saved presets), defaults if unset."""
    from engine.settings import DEFAULTS

    wanted = {"phone_region": "", "import_presets": {},
              "late_event_days": DEFAULTS["late_event_days"]}  # fmt: skip
    query = select(settings_table.c.key, settings_table.c.value).where(
        settings_table.c.key.in_(list(wanted))
    )
    if isinstance(target, Connection):
        stored = dict(target.execute(query).all())
    else:
        with target.connect() as conn:
            stored = dict(conn.execute(query).all())
    return {**wanted, **stored}


def plan_import(
    csv_path: str | Path,
    kind: str = "contacts",
    preset: str | None = None,
    overrides: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
) -> tuple[CsvSource, Mapping]:
    """The file and its column mapping: `preset` by name (else recognised from the header),
    then `overrides` ({column: target}). Shared by the CLI, the dialog and the importers."""
    source = CsvSource(csv_path)
    try:
        chosen = preset_named(preset, settings) if preset else None
        if chosen is None and kind == "contacts":
            chosen = recognise(source.header)
        mapping = build_mapping(source.header, kind, chosen, overrides)
    except MappingError as exc:
        raise ImportFileError(f"{source.path}: {exc}") from None
    return source, mapping


def _column_kinds(rows: Iterator[_Row], columns: list[str], progress: Progress) -> tuple[dict, int]:
    """First pass: the kind of every attribute column, and the number of rows."""
    seen: dict[str, frozenset[str] | None] = {c: None for c in columns}
    open_columns = list(columns)  # columns not yet known to be plain text
    count = 0
    for row in rows:
        count += 1
        for column in open_columns:
            text = row.cells[column]
            if text and not text.isspace():
                kinds = values.possible_kinds(text)
                now = kinds if seen[column] is None else seen[column] & kinds
                seen[column] = now
                if len(now) == 1:
                    open_columns = [c for c in open_columns if c != column]
        if count % BATCH == 0:
            progress(count, None)
    return {c: values.column_kind(s) for c, s in seen.items()}, count


def _batches(rows: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---- contacts ----------------------------------------------------------------------


@dataclass
class _Contact:
    line: int
    core: dict[str, Any]
    attributes: dict[str, Any]
    tags: list[str]

    @property
    def key(self) -> tuple[str, str]:
        email = self.core.get("email")
        return ("email", email) if email else ("phone", self.core["phone"])


_UNSUBSCRIBED_WORDS = frozenset({"unsubscribed", "do not contact", "opted out", "opt out",
                                 "blacklisted", "blocklisted", "unsubscribe"})  # fmt: skip
_BOUNCED_WORDS = frozenset({"cleaned", "bounced", "hard bounce", "hard_bounce", "invalid"})


def _flag(text: str) -> bool:
    """yes/no words, or a date/time (Mailchimp's UNSUB_TIME): the flag is set."""
    try:
        return values.boolean(text)
    except values.ValueProblem:
        values.moment(text)  # a date or time says when it happened: set
        return True


def tag_list(text: str) -> list[str]:
    """Tags separated by ; — or quoted and separated by commas, as Mailchimp writes them
    ("VIP","Blog") — or by commas alone when there is no ; at all."""
    if '"' in text:
        cells = next(csv.reader(io.StringIO(text.replace("\n", " ")), skipinitialspace=True),
                     [])  # fmt: skip
    elif ";" in text:
        cells = text.split(";")
    else:
        cells = text.split(",")
    return [c.strip().strip('"').strip() for c in cells if c.strip().strip('"').strip()]


def _timezone(text: str) -> str:
    """A zone name; also HubSpot's "(GMT+01:00) Europe/Berlin" and "europe_slash_berlin"."""
    try:
        return values.timezone(text)
    except values.ValueProblem:
        candidate = text.replace("_slash_", "/").strip()
        found = re.search(r"[A-Za-z_]+(?:/[A-Za-z_\-+0-9]+)+", candidate)
        if found:
            name = "/".join(p[:1].upper() + p[1:] for p in found.group(0).split("/"))
            for attempt in (found.group(0), name):
                try:
                    return values.timezone(attempt)
                except values.ValueProblem:
                    pass
        raise


def _read_contact(row: _Row, kinds: dict[str, str], mapping: Mapping, region: str,
                  warnings: list[tuple[int, str]]) -> _Contact:  # fmt: skip
    """A row as a contact. A bad optional field is dropped with a warning; only a row with
    no usable email or phone, or an unreadable unsubscribed/bounced flag, is rejected."""
    cells = row.cells
    core: dict[str, Any] = {}
    dropped: list[str] = []
    cleaned: list[str] = []  # fields whose control characters were removed

    def keep(name: str, read) -> None:
        text = cells.get(name)
        if not text or text.isspace():
            return
        try:
            core[name] = read(text.strip())
        except (values.ValueProblem, ValueError, OverflowError) as exc:
            dropped.append(str(exc))

    keep("email", values.email)
    keep("phone", lambda t: values.phone(t, region))
    if not core.get("email") and not core.get("phone"):
        raise values.ValueProblem("; ".join(dropped) if dropped else "no email or phone")
    for name in ("first_name", "last_name"):
        keep(name, lambda t, name=name: _clean(name, t, False, cleaned))
    keep("timezone", _timezone)
    keep("created_at", values.moment)
    keep("score", _score)
    for flag in ("unsubscribed", "bounced"):
        text = cells.get(flag, "")
        if text.strip():
            try:
                core[flag] = _flag(text)
            except values.ValueProblem:
                # Never guess whether someone opted out: the row waits for a readable value.
                problem = f"{flag} {text.strip()!r} is not yes/no or a date"
                raise values.ValueProblem(problem) from None
    status = cells.get("status", "").strip().lower()
    if status in _UNSUBSCRIBED_WORDS:
        core["unsubscribed"] = True
    elif status in _BOUNCED_WORDS:
        core["bounced"] = True
    for flag, value in mapping.constants.items():
        core[flag] = bool(value) or core.get(flag, False)
    tagged = cells.get("tags")
    tags = tag_list(_clean("tags", tagged, False, cleaned)) if tagged else []
    attributes = {}
    for name, kind in kinds.items():
        text = cells[name]
        if text and not text.isspace():
            if kind == "text":
                text = _clean(name, text, True, cleaned)
            try:
                attributes[name] = values.typed(text, kind)
            except (values.ValueProblem, ValueError, OverflowError):
                dropped.append(f"{name} {text.strip()!r} is not a {kind}")
    warnings.extend((row.line, note) for note in cleaned)
    for problem in dropped:
        warnings.append((row.line, f"{problem}: that field is left out"))
    return _Contact(row.line, core, attributes, sorted(set(tags)))


def _clean(name: str, text: str, multiline: bool, notes: list[str]) -> str:
    """`text` without control characters; a note for the row's warnings when some went."""
    cleaned, changed = values.clean_text(text, multiline)
    if changed:
        notes.append(values.control_warning(name, text))
    return cleaned


def _score(text: str) -> int:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise values.ValueProblem(f"score {text!r} is not a number") from None
    if number != number or abs(number) > 2**31:
        raise values.ValueProblem(f"score {text!r} is out of range")
    return int(number)


def import_contacts(
    target: Engine | Connection,
    csv_path: str | Path,
    progress: Progress | None = None,
    *,
    preset: str | None = None,
    columns: dict[str, str] | None = None,
    region: str | None = None,
) -> ImportReport:
    """Add or update contacts from a CSV file (email, else phone, identifies a contact).

    `preset` names a mapping (built-in or saved; by default one is recognised from the
    header), `columns` maps columns to fields ({"E-Mail": "email", "Plan": "plan:text"}),
    `region` is the country of phone numbers without one (default: the setting).
    """
    settings = read_settings(target)
    source, mapping = plan_import(csv_path, "contacts", preset, columns, settings)
    if region is None:
        region = str(settings.get("phone_region") or "")
    core = mapping.core()
    if "email" not in core and "phone" not in core:
        raise ImportFileError(f"{source.path}: the header needs an email or a phone column")
    mapped = _MappedFile(source, mapping)
    attributes = mapping.attributes()
    forced = {c.target: c.kind for c in attributes if c.kind}
    report = ImportReport()
    report.preset = mapping.preset
    report.notes = list(mapping.notes)
    check, write = stages(progress, [1, 4])
    detected, total = _column_kinds(
        mapped.rows(), [c.target for c in attributes if not c.kind], check
    )
    kinds = {c.target: forced.get(c.target) or detected[c.target] for c in attributes}
    report.column_kinds = dict(kinds)
    now = utcnow()
    with transaction(target) as conn:
        done = 0
        pending: dict[tuple[str, str], _Contact] = {}
        for row in mapped.rows(report.rejected):
            done += 1
            try:
                contact = _read_contact(row, kinds, mapping, region, report.warnings)
            except values.ValueProblem as exc:
                report.rejected.append((row.line, str(exc)))
                continue
            if contact.key in pending or len(pending) >= BATCH:
                _write_contacts(conn, list(pending.values()), now, report)
                pending.clear()
                write(done, total)
            pending[contact.key] = contact
        if pending:
            _write_contacts(conn, list(pending.values()), now, report)
        write(total, total)
    report.rejected.sort()
    report.warnings.sort()
    return report


def _write_contacts(conn: Connection, batch: list[_Contact], now: dt.datetime,
                    report: ImportReport) -> None:  # fmt: skip
    emails = [c.core["email"] for c in batch if c.core.get("email")]
    phones = [c.core["phone"] for c in batch if c.core.get("phone")]
    by_email: dict[str, tuple[int, dict]] = {}
    by_phone: dict[str, tuple[int, dict]] = {}
    if emails:
        query = select(contacts.c.id, contacts.c.email, contacts.c.attributes)
        for row in conn.execute(query.where(contacts.c.email.in_(emails))):
            by_email[row.email] = (row.id, row.attributes or {})
    if phones:
        # A phone identifies only contacts that have no email (emails win).
        query = (
            select(contacts.c.id, contacts.c.phone, contacts.c.attributes)
            .where(contacts.c.phone.in_(phones), contacts.c.email.is_(None))
            .order_by(contacts.c.id.desc())
        )
        for row in conn.execute(query):
            by_phone[row.phone] = (row.id, row.attributes or {})
    updates, inserts, tags_for = [], [], []
    for contact in batch:
        found = by_email.get(contact.core.get("email", ""))
        if found is None and contact.core.get("phone"):
            found = by_phone.get(contact.core["phone"])
        if found is not None:
            contact_id, attributes = found
            updates.append(_update_row(contact_id, contact, {**attributes, **contact.attributes},
                                       now))  # fmt: skip
            tags_for.append((contact_id, contact.tags))
        else:
            inserts.append(contact)
    if updates:
        conn.execute(_UPDATE, updates)
        report.updated += len(updates)
    if inserts:
        # A plain executemany (RETURNING would make SQLite insert row by row), then the new
        # ids by email / phone, only when there are tags to add.
        conn.execute(insert(contacts), [_insert_row(c, now) for c in inserts])
        report.inserted += len(inserts)
        tagged = [c for c in inserts if c.tags]
        if tagged:
            ids = _new_ids(conn, tagged)
            tags_for += [(ids[c.key], c.tags) for c in tagged]
    _add_tags(conn, [(i, t) for i, t in tags_for if t])


def _new_ids(conn: Connection, batch: list[_Contact]) -> dict[tuple[str, str], int]:
    emails = [c.core["email"] for c in batch if c.core.get("email")]
    phones = [c.core["phone"] for c in batch if not c.core.get("email")]
    ids: dict[tuple[str, str], int] = {}
    if emails:
        query = select(contacts.c.email, contacts.c.id).where(contacts.c.email.in_(emails))
        ids.update({("email", e): i for e, i in conn.execute(query)})
    if phones:
        query = (
            select(contacts.c.phone, func.max(contacts.c.id))
            .where(contacts.c.phone.in_(phones), contacts.c.email.is_(None))
            .group_by(contacts.c.phone)
        )
        ids.update({("phone", p): i for p, i in conn.execute(query)})
    return ids


_UPDATABLE = ("email", "phone", "first_name", "last_name", "timezone", "unsubscribed",
              "bounced", "score")  # fmt: skip
_FLAGS = ("unsubscribed", "bounced")


def _new_value(name: str):
    """Empty cells keep what the contact had: coalesce(new, old). An import may unsubscribe
    a contact (or mark it bounced) but never undo it: that is the contact's own choice."""
    new = bindparam(f"_{name}", type_=contacts.c[name].type)
    if name in _FLAGS:
        return or_(contacts.c[name], func.coalesce(new, false()))
    return func.coalesce(new, contacts.c[name])


_UPDATE = (
    update(contacts)
    .where(contacts.c.id == bindparam("_id"))
    .values(
        **{name: _new_value(name) for name in _UPDATABLE},
        attributes=bindparam("_attributes", type_=contacts.c.attributes.type),
        updated_at=bindparam("_updated_at"),
    )
)


def _update_row(contact_id: int, contact: _Contact, attributes: dict, now: dt.datetime) -> dict:
    row = {f"_{name}": contact.core.get(name) for name in _UPDATABLE}
    row.update(_id=contact_id, _attributes=attributes, _updated_at=now)
    return row


def _insert_row(contact: _Contact, now: dt.datetime) -> dict:
    core = contact.core
    return {
        "email": core.get("email"), "phone": core.get("phone"),
        "first_name": core.get("first_name"), "last_name": core.get("last_name"),
        "timezone": core.get("timezone"), "unsubscribed": core.get("unsubscribed", False),
        "bounced": core.get("bounced", False), "score": core.get("score", 0),
        "created_at": core.get("created_at", now), "updated_at": now,
        "attributes": contact.attributes,
    }  # fmt: skip


def _add_tags(conn: Connection, tags_for: list[tuple[int, list[str]]]) -> None:
    """Add tags (a contact keeps the tags it had)."""
    if not tags_for:
        return
    ids = [i for i, _ in tags_for]
    query = select(contact_tags.c.contact_id, contact_tags.c.tag).where(
        contact_tags.c.contact_id.in_(ids)
    )
    have = {tuple(row) for row in conn.execute(query)}
    rows = [{"contact_id": i, "tag": t} for i, tags in tags_for for t in tags if (i, t) not in have]
    if rows:
        conn.execute(insert(contact_tags), rows)


# ---- events ------------------------------------------------------------------------


def import_events(
    target: Engine | Connection,
    csv_path: str | Path,
    progress: Progress | None = None,
    *,
    preset: str | None = None,
    columns: dict[str, str] | None = None,
    region: str | None = None,
) -> ImportReport:
    """Add events from a CSV file: email (or phone), event, occurred_at, then properties
    (`preset` and `columns` map the columns as for contacts).

    An event already recorded (same contact, name and time) is skipped, so importing a file
    twice adds nothing.
    """
    settings = read_settings(target)
    source, mapping = plan_import(csv_path, "events", preset, columns, settings)
    if region is None:
        region = str(settings.get("phone_region") or "")
    core = mapping.core()
    identity = "email" if "email" in core else "phone"
    missing = [c for c in (identity, "event", "occurred_at") if c not in core]
    if missing:
        raise ImportFileError(
            f"{source.path}: the header needs email, event and occurred_at columns"
            + f" (missing {', '.join(missing)})"
        )
    mapped = _MappedFile(source, mapping)
    properties = mapping.attributes()
    report = ImportReport()
    report.notes = list(mapping.notes)
    check, write = stages(progress, [1, 3])
    detected, total = _column_kinds(
        mapped.rows(), [c.target for c in properties if not c.kind], check
    )
    kinds = {c.target: c.kind or detected[c.target] for c in properties}
    report.column_kinds = dict(kinds)
    days = settings.get("late_event_days")
    late_before = utcnow() - dt.timedelta(days=float(days)) if days else None
    with transaction(target) as conn:
        done = 0
        for batch in _batches(mapped.rows(report.rejected)):
            done += len(batch)
            _write_events(conn, batch, identity, kinds, report, region, late_before)
            write(done, total)
        write(total, total)
    report.rejected.sort()
    return report


def _write_events(conn: Connection, batch: list[_Row], identity: str, kinds: dict[str, str],
                  report: ImportReport, region: str = "",
                  late_before: dt.datetime | None = None) -> None:  # fmt: skip
    keys = set()
    parsed = []
    for row in batch:
        try:
            cells = row.cells
            key = values.email(cells["email"]) if identity == "email" else values.phone(
                cells["phone"], region)  # fmt: skip
            name, renamed = values.clean_text(cells["event"].strip())
            name = name.strip()
            if not name:
                raise values.ValueProblem("no event name")
            at = values.moment(cells["occurred_at"])
        except values.ValueProblem as exc:
            report.rejected.append((row.line, str(exc)))
            continue
        notes: list[str] = []
        properties = {
            c: values.typed(_clean(c, cells[c], True, notes) if kinds[c] == "text" else cells[c],
                            kinds[c])
            for c in kinds if cells[c].strip()
        }  # fmt: skip
        report.warnings.extend((row.line, note) for note in notes)
        if renamed:
            report.warnings.append((row.line, values.control_warning("event", cells["event"])))
        keys.add(key)
        parsed.append((row.line, key, name, at, properties))
    if not parsed:
        return
    column = contacts.c.email if identity == "email" else contacts.c.phone
    query = select(column, contacts.c.id).where(column.in_(keys))
    ids = {key: contact_id for key, contact_id in conn.execute(query)}
    known = [p for p in parsed if p[1] in ids]
    for line, key, *_ in parsed:
        if key not in ids:
            report.rejected.append((line, f"no contact with {identity} {key}"))
    if not known:
        return
    contact_ids = {ids[p[1]] for p in known}
    times = [p[3] for p in known]
    query = select(events.c.contact_id, events.c.name, events.c.occurred_at).where(
        and_(
            events.c.contact_id.in_(contact_ids),
            events.c.occurred_at >= min(times),
            events.c.occurred_at <= max(times),
        )
    )
    existing = {tuple(row) for row in conn.execute(query)}
    rows = []
    for _line, key, name, at, properties in known:
        signature = (ids[key], name, at)
        if signature in existing:
            report.skipped += 1
            continue
        existing.add(signature)
        rows.append({"contact_id": ids[key], "name": name, "occurred_at": at,
                     "properties": properties, "campaign_id": None, "node_id": None})  # fmt: skip
    if rows:
        conn.execute(insert(events), rows)
        report.inserted += len(rows)
        if late_before is not None:  # kept, but triggers and goals skip them (by arrival)
            report.late += sum(1 for row in rows if row["occurred_at"] < late_before)


__all__ = [
    "ImportFileError",
    "ImportReport",
    "import_contacts",
    "import_events",
    "import_segments",
    "import_templates",
]
