"""Importing segments and templates from JSON files: a list of objects, or an object keyed
by name (formats in docs/data-formats.md). Each bad item is reported; the others are kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from engine import store, strict_json
from engine.db.schema import contacts, segments, templates
from engine.import_report import ImportFileError, ImportReport, transaction
from engine.progress import Progress
from engine.progress import report as report_progress
from engine.rules import RuleError, parse_rule, referenced_segments
from engine.templating import check_syntax

SEGMENT_KEYS = {"name", "kind", "rule", "members", "description"}
TEMPLATE_KEYS = {"name", "channel", "subject", "html", "text", "body", "sender", "html_file",
                 "text_file", "description"}  # fmt: skip


def _items(path: str | Path, what: str) -> tuple[Path, list[tuple[int, dict[str, Any]]]]:
    """(1-based item number, object with its name) from a list or a {name: object} file."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(
            f"{path}: " + ("a folder, not a file" if path.is_dir() else "no such file")
        )
    try:
        data = strict_json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except strict_json.JsonProblem as exc:
        where = f" line {exc.line}" if exc.line else ""
        raise ImportFileError(f"{path}{where}: {exc.message}") from None
    if isinstance(data, dict) and isinstance(data.get(what), (list, dict)):
        data = data[what]  # {"segments": [...]} also reads
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        data = [data]  # one object on its own
    if isinstance(data, dict):
        items = []
        for name, body in data.items():
            if isinstance(body, dict):
                items.append({**body, "name": name})
            else:
                items.append({"name": name, "_bad": body})
    elif isinstance(data, list):
        items = data
    else:
        raise ImportFileError(f"{path}: expected a list of {what} or an object keyed by name")
    return path, list(enumerate(items, 1))


def _name_of(item: Any) -> str:
    if not isinstance(item, dict):
        raise ValueError(f"expected an object, found {type(item).__name__}")
    if "_bad" in item:
        raise ValueError(f"{item['name']!r}: expected an object, found {item['_bad']!r}")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("no 'name'")
    return name.strip()


def import_segments(
    target: Engine | Connection, path: str | Path, progress: Progress | None = None
) -> ImportReport:
    """Create or replace segments. Dynamic ones have a `rule`; static ones list `members`
    by email (or contact id); unknown members are reported, the known ones kept."""
    path, items = _items(path, "segments")
    report = ImportReport(unit="item")
    with transaction(target) as conn:
        names_in_file = {i.get("name") for _, i in items if isinstance(i, dict)}
        known = set(conn.scalars(select(segments.c.name))) | names_in_file
        added: dict[int, str] = {}
        for number, item in items:
            try:
                name = _name_of(item)
                existed = conn.scalar(select(segments.c.id).where(segments.c.name == name))
                _save_segment(conn, number, name, item, known, report)
            except (ValueError, RuleError) as exc:
                report.rejected.append((number, str(exc)))
                continue
            if existed is None:
                report.inserted += 1
                added[number] = name
            else:
                report.updated += 1
            report_progress(progress, number, len(items))
        _drop_dangling(conn, added, report)
    report.rejected.sort()
    return report


def _drop_dangling(conn: Connection, added: dict[int, str], report: ImportReport) -> None:
    """New segments naming one that was rejected later in the file (a loop) go too."""
    changed = True
    while changed:
        changed = False
        names = set(conn.scalars(select(segments.c.name)))
        for number, name in list(added.items()):
            rule = conn.scalar(select(segments.c.rule).where(segments.c.name == name))
            missing = referenced_segments(parse_rule(rule)) - names if rule else set()
            if missing:
                store.delete_segment(conn, name)
                del added[number]
                report.inserted -= 1
                gone = ", ".join(sorted(missing))
                report.rejected.append((number, f"{name!r}: refers to {gone}, not imported"))
                changed = True


def _save_segment(conn: Connection, number: int, name: str, item: dict, known: set[str],
                  report: ImportReport) -> None:  # fmt: skip
    if "filter" in item:  # the campaign file's word for an inline rule
        if "rule" in item:
            raise ValueError(f"{name!r}: give 'rule' or 'filter', not both")
        item = {("rule" if k == "filter" else k): v for k, v in item.items()}
    extra = set(item) - SEGMENT_KEYS
    if extra:
        raise ValueError(f"{name!r}: unknown key(s) {', '.join(sorted(extra))}")
    kind = item.get("kind") or ("static" if "members" in item and "rule" not in item
                                else "dynamic")  # fmt: skip
    description = item.get("description")
    if kind == "dynamic":
        rule = item.get("rule")
        if rule is None:
            raise ValueError(f"{name!r}: a dynamic segment needs a 'rule'")
        try:
            missing = referenced_segments(parse_rule(rule)) - known
        except RuleError as exc:
            raise ValueError(f"{name!r}: {exc}") from None
        if missing:
            raise ValueError(f"{name!r}: refers to unknown segment(s) {', '.join(sorted(missing))}")
        try:
            store.save_segment(conn, name, rule, "dynamic", description=description)
        except store.StoreError as exc:
            raise ValueError(str(exc)) from None
        return
    members = item.get("members") or []
    if not isinstance(members, list):
        raise ValueError(f"{name!r}: 'members' must be a list of emails or contact ids")
    ids, unknown = _member_ids(conn, members)
    try:
        store.save_segment(conn, name, None, kind, members=ids, description=description)
    except store.StoreError as exc:
        raise ValueError(str(exc)) from None
    if unknown:
        shown = ", ".join(map(str, unknown[:5])) + (f" and {len(unknown) - 5} more"
                                                    if len(unknown) > 5 else "")  # fmt: skip
        report.rejected.append((number, f"{name!r}: no contact for {shown} (others added)"))


def _member_ids(conn: Connection, members: list[Any]) -> tuple[list[int], list[Any]]:
    emails = [str(m).strip().lower() for m in members if isinstance(m, str)]
    numbers = [m for m in members if isinstance(m, int) and not isinstance(m, bool)]
    found: dict[Any, int] = {}
    for start in range(0, len(emails), 2000):
        chunk = emails[start : start + 2000]
        query = select(contacts.c.email, contacts.c.id).where(contacts.c.email.in_(chunk))
        found.update({email: contact_id for email, contact_id in conn.execute(query)})
    for start in range(0, len(numbers), 2000):
        chunk = numbers[start : start + 2000]
        found.update({i: i for i in conn.scalars(select(contacts.c.id).where(
            contacts.c.id.in_(chunk)))})  # fmt: skip
    keys = emails + numbers
    unknown = [k for k in keys if k not in found]
    unknown += [m for m in members if not isinstance(m, (str, int)) or isinstance(m, bool)]
    return sorted({found[k] for k in keys if k in found}), unknown


def import_templates(
    target: Engine | Connection, path: str | Path, progress: Progress | None = None
) -> ImportReport:
    """Create or replace message templates; each is checked to compile before it is saved.
    `html_file` / `text_file` name files next to the JSON file holding the bodies."""
    path, items = _items(path, "templates")
    report = ImportReport(unit="item")
    with transaction(target) as conn:
        for number, item in items:
            try:
                name = _name_of(item)
                fields = _template_fields(path.parent, name, item)
                existed = conn.scalar(select(templates.c.id).where(templates.c.name == name))
                store.save_template(conn, name, **fields)
            except (ValueError, OSError) as exc:
                report.rejected.append((number, str(exc)))
                continue
            if existed is None:
                report.inserted += 1
            else:
                report.updated += 1
            report_progress(progress, number, len(items))
    return report


def _template_fields(folder: Path, name: str, item: dict) -> dict[str, Any]:
    extra = set(item) - TEMPLATE_KEYS
    if extra:
        raise ValueError(f"{name!r}: unknown key(s) {', '.join(sorted(extra))}")
    fields = {
        "channel": item.get("channel", "email"),
        "subject": item.get("subject", ""),
        "html": item.get("html", ""),
        "text": item.get("text", item.get("body", "")),
        "sender": item.get("sender"),
    }
    for key in ("html", "text"):
        file_name = item.get(f"{key}_file")
        if file_name:
            fields[key] = (folder / file_name).read_text(encoding="utf-8")
    for key in ("subject", "html", "text"):
        if not isinstance(fields[key], str):
            raise ValueError(f"{name!r}: '{key}' must be text")
    if fields["channel"] not in store.CHANNELS:
        raise ValueError(f"{name!r}: channel must be one of {', '.join(store.CHANNELS)}")
    if fields["channel"] == "email":
        if not fields["subject"].strip():
            raise ValueError(f"{name!r}: an email template needs a 'subject'")
        if not (fields["html"].strip() or fields["text"].strip()):
            raise ValueError(f"{name!r}: an email template needs 'html' or 'text'")
    elif not fields["text"].strip():
        raise ValueError(f"{name!r}: a {fields['channel']} template needs a 'text' body")
    for key in ("subject", "html", "text"):
        problem = check_syntax(fields[key]) if fields[key] else None
        if problem is not None:
            where = f" line {problem.line}" if problem.line else ""
            raise ValueError(f"{name!r}: {key}{where} does not compile: "
                             f"{str(problem).split(': ', 1)[-1]}")  # fmt: skip
    return fields
