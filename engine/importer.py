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
from engine.db.schema import contact_tags, contacts, events
from engine.import_report import ImportFileError, ImportReport, transaction, utcnow
from engine.importer_json import import_segments, import_templates
from engine.progress import Progress, stages

BATCH = 2000
CONTACT_CORE = ("email", "phone", "first_name", "last_name", "timezone", "unsubscribed",
                "bounced", "score", "created_at", "tags")  # fmt: skip
IGNORED = ("id", "updated_at")
EVENT_CORE = ("email", "phone", "event", "occurred_at")


# ---- reading CSV ---------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    cells: dict[str, str]


class _CsvFile:
    """A CSV file with a header: sniffs , ; or tab, normalises column names, yields rows with
    the line they start on, and collects rows of the wrong width as rejections."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise ImportFileError(
                f"{self.path}: "
                + ("a folder, not a file" if self.path.is_dir() else "no such file")
            )
        try:
            with self._open() as handle:
                sample = handle.read(64 * 1024)
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{self.path}: not UTF-8 text ({exc.reason})") from None
        if not sample.strip():
            raise ImportFileError(f"{self.path}: the file is empty")
        first_line = sample.splitlines()[0]
        try:
            self.dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
        except csv.Error:
            self.dialect = csv.excel
        header = next(csv.reader(io.StringIO(first_line), self.dialect))
        self.columns = [values.column_name(h) for h in header]
        for position, (raw, name) in enumerate(zip(header, self.columns, strict=True), 1):
            if not name:
                raise ImportFileError(f"{self.path}: column {position} has no name in the header")
            if '"' in name or "\\" in name:
                raise ImportFileError(f"{self.path}: column name {raw!r} cannot contain quotes")
        duplicates = sorted({c for c in self.columns if self.columns.count(c) > 1})
        if duplicates:
            raise ImportFileError(f"{self.path}: the header repeats {', '.join(duplicates)}")

    def _open(self):
        return self.path.open(encoding="utf-8-sig", newline="")

    def rows(self, rejected: list[tuple[int, str]] | None = None) -> Iterator[_Row]:
        """Data rows as {column: text}; wrong-width rows go to `rejected` when given."""
        width = len(self.columns)
        with self._open() as handle:
            reader = csv.reader(handle, self.dialect)
            try:
                next(reader)
                line = reader.line_num + 1
                for cells in reader:
                    start, line = line, reader.line_num + 1
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue  # blank line
                    if len(cells) != width:
                        if rejected is not None:
                            rejected.append(
                                (start, f"{len(cells)} columns, the header has {width}")
                            )
                        continue
                    yield _Row(start, dict(zip(self.columns, cells, strict=True)))
            except csv.Error as exc:
                raise ImportFileError(f"{self.path} line {reader.line_num}: {exc}") from None
            except UnicodeDecodeError as exc:
                raise ImportFileError(f"{self.path}: not UTF-8 text ({exc.reason})") from None


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


def _read_contact(row: _Row, kinds: dict[str, str]) -> _Contact:
    cells = row.cells
    core: dict[str, Any] = {}
    for name in ("email", "phone", "first_name", "last_name", "timezone"):
        text = cells.get(name)
        if not text or text.isspace():
            continue
        text = text.strip()
        if name == "email":
            core[name] = values.email(text)
        elif name == "phone":
            core[name] = values.phone(text)
        elif name == "timezone":
            core[name] = values.timezone(text)
        else:
            core[name] = text
    if not core.get("email") and not core.get("phone"):
        raise values.ValueProblem("no email or phone")
    for flag in ("unsubscribed", "bounced"):
        if cells.get(flag, "").strip():
            core[flag] = values.boolean(cells[flag])
    if cells.get("score", "").strip():
        try:
            core["score"] = int(float(cells["score"]))
        except ValueError:
            raise values.ValueProblem(f"score {cells['score']!r} is not a number") from None
    if cells.get("created_at", "").strip():
        core["created_at"] = values.moment(cells["created_at"])
    tagged = cells.get("tags")
    tags = [t.strip() for t in tagged.split(";") if t.strip()] if tagged else []
    attributes = {}
    for name, kind in kinds.items():
        text = cells[name]
        if text and not text.isspace():
            attributes[name] = values.typed(text, kind)
    return _Contact(row.line, core, attributes, sorted(set(tags)))


def import_contacts(
    target: Engine | Connection, csv_path: str | Path, progress: Progress | None = None
) -> ImportReport:
    """Add or update contacts from a CSV file (email, else phone, identifies a contact)."""
    source = _CsvFile(csv_path)
    if "email" not in source.columns and "phone" not in source.columns:
        raise ImportFileError(f"{source.path}: the header needs an email or a phone column")
    attribute_columns = [c for c in source.columns if c not in CONTACT_CORE + IGNORED]
    report = ImportReport()
    check, write = stages(progress, [1, 4])
    kinds, total = _column_kinds(source.rows(), attribute_columns, check)
    report.column_kinds = dict(kinds)
    now = utcnow()
    with transaction(target) as conn:
        done = 0
        pending: dict[tuple[str, str], _Contact] = {}
        for row in source.rows(report.rejected):
            done += 1
            try:
                contact = _read_contact(row, kinds)
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
    target: Engine | Connection, csv_path: str | Path, progress: Progress | None = None
) -> ImportReport:
    """Add events from a CSV file: email (or phone), event, occurred_at, then properties.

    An event already recorded (same contact, name and time) is skipped, so importing a file
    twice adds nothing.
    """
    source = _CsvFile(csv_path)
    identity = "email" if "email" in source.columns else "phone"
    missing = [c for c in (identity, "event", "occurred_at") if c not in source.columns]
    if identity not in source.columns or missing:
        raise ImportFileError(
            f"{source.path}: the header needs email, event and occurred_at columns"
            + (f" (missing {', '.join(missing)})" if missing else "")
        )
    property_columns = [c for c in source.columns if c not in EVENT_CORE]
    report = ImportReport()
    check, write = stages(progress, [1, 3])
    kinds, total = _column_kinds(source.rows(), property_columns, check)
    report.column_kinds = dict(kinds)
    with transaction(target) as conn:
        done = 0
        for batch in _batches(source.rows(report.rejected)):
            done += len(batch)
            _write_events(conn, batch, identity, kinds, report)
            write(done, total)
        write(total, total)
    report.rejected.sort()
    return report


def _write_events(conn: Connection, batch: list[_Row], identity: str, kinds: dict[str, str],
                  report: ImportReport) -> None:  # fmt: skip
    keys = set()
    parsed = []
    for row in batch:
        try:
            cells = row.cells
            key = values.email(cells["email"]) if identity == "email" else values.phone(
                cells["phone"])  # fmt: skip
            name = cells["event"].strip()
            if not name:
                raise values.ValueProblem("no event name")
            at = values.moment(cells["occurred_at"])
        except values.ValueProblem as exc:
            report.rejected.append((row.line, str(exc)))
            continue
        properties = {c: values.typed(cells[c], kinds[c]) for c in kinds if cells[c].strip()}
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


__all__ = [
    "ImportFileError",
    "ImportReport",
    "import_contacts",
    "import_events",
    "import_segments",
    "import_templates",
]
