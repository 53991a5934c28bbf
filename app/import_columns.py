"""What an import's columns become, without widgets: the core fields and their labels, the
preview read as the importer reads the file, the problems that hold Import back, and the
import call itself (used by app.import_dialog)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine import csv_values as values
from engine import import_mapping as mapping_rules
from engine.db import Engine

PREVIEW_ROWS = 8
SAMPLE_ROWS = 500
CONTACT_COLUMNS = {
    "email": "Email — identifies the contact",
    "phone": "Phone — identifies the contact when there is no email",
    "first_name": "First name",
    "last_name": "Last name",
    "timezone": "Time zone",
    "unsubscribed": "Unsubscribed (yes/no)",
    "bounced": "Bounced (yes/no)",
    "score": "Score",
    "created_at": "Contact since",
    "tags": "Tags, separated by ;",
}
EVENT_COLUMNS = {
    "email": "Email — the contact it happened to",
    "phone": "Phone — the contact, when there is no email",
    "event": "Event name",
    "occurred_at": "When (ISO 8601; UTC without a zone)",
}


def value_type(cells: list[str]) -> str:
    """number, date, boolean or text: the kind the importer gives a column of these cells
    (engine.csv_values, so the preview and the import agree)."""
    seen = None
    for cell in cells:
        if cell and not cell.isspace():
            kinds = values.possible_kinds(cell)
            seen = kinds if seen is None else seen & kinds
    return values.column_kind(seen)


def read_preview(
    path: str | Path,
    kind: str = "contacts",
    preset: str | None = None,
    columns: dict[str, str] | None = None,
    settings: dict | None = None,
    limit: int = SAMPLE_ROWS,
) -> tuple[list[str], list[list[str]], mapping_rules.Mapping]:
    """The header, up to `limit` rows and the column mapping, read as the importer reads
    them (engine.importer.plan_import: encoding, dialect, presets)."""
    from engine.importer import plan_import

    source, mapping = plan_import(path, kind, preset, columns, settings)
    rows = source.preview(limit)
    if not source.header:
        raise ValueError(f"{Path(path).name} is empty: it needs a header row")
    return source.header, rows, mapping


def targets_of(kind: str) -> list[tuple[str, str]]:
    """(target, label) choices for a column, core fields first."""
    known = CONTACT_COLUMNS if kind == "contacts" else EVENT_COLUMNS
    choices = list(known.items())
    if kind == "contacts":
        choices.append(("status", "Status — unsubscribed, cleaned, do not contact… set the flags"))
    choices.append(("attribute", "attribute" if kind == "contacts" else "event property"))
    choices.append(("ignore", "ignored"))
    return choices


def plan_problems(kind: str, mapping: mapping_rules.Mapping) -> list[str]:
    core = mapping.core()
    problems = []
    if not set(core) & {"email", "phone"}:
        problems.append("The file needs an email or a phone column to know who each row is.")
    if kind == "events":
        problems.extend(f"The file needs an “{c}” column." for c in ("event", "occurred_at")
                        if c not in core)  # fmt: skip
    return problems


def run_import(engine: Engine, kind: str, path: str, progress, preset: str | None = None,
               columns: dict[str, str] | None = None) -> Any:  # fmt: skip
    from engine import importer

    function = importer.import_contacts if kind == "contacts" else importer.import_events
    return function(engine, path, progress=progress, preset=preset, columns=columns)


def report_parts(report: Any) -> tuple[int, int, list[tuple[int, str]]]:
    """(inserted, updated, rejected) from an ImportReport (or a dict of the same)."""
    if isinstance(report, dict):
        get = report.get
    else:

        def get(name, default=None):
            return getattr(report, name, default)

    rejected = [(int(line), str(reason)) for line, reason in (get("rejected") or [])]
    return int(get("inserted", 0) or 0), int(get("updated", 0) or 0), rejected
