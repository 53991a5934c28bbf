"""What an import reports, the error for a file that cannot be imported at all, and the
transaction every import runs in (shared by engine.importer and engine.importer_json)."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine


class ImportFileError(ValueError):
    """A file that cannot be imported at all (missing, unreadable, no identifying column)."""


@dataclass
class ImportReport:
    """What an import did. `rejected` holds (line or item number, reason)."""

    inserted: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    skipped: int = 0  # rows already present (events imported twice)
    unit: str = "line"  # "line" for CSV files, "item" for JSON lists
    column_kinds: dict[str, str] = field(default_factory=dict)  # attribute -> kind
    # (line, problem) for fields left out of a contact that was kept (a bad phone, zone...)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    preset: str | None = None  # the column mapping used (recognised or chosen)
    notes: list[str] = field(default_factory=list)  # how column conflicts were resolved
    late: int = 0  # events older than late_event_days: kept, they trigger nothing

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        parts = [f"{self.inserted} added", f"{self.updated} updated"]
        if self.skipped:
            parts.append(f"{self.skipped} already there")
        parts.append(f"{len(self.rejected)} rejected")
        left_out = sum(1 for _, reason in self.warnings if reason.endswith("left out"))
        if left_out:
            parts.append(f"{left_out} fields left out")
        if len(self.warnings) > left_out:
            parts.append(f"{len(self.warnings) - left_out} fields cleaned")
        if self.late:
            parts.append(f"{self.late} too old to trigger anything (late_event_days)")
        return ", ".join(parts)

    def problems(self) -> list[str]:
        return [f"{self.unit} {where}: {reason}" for where, reason in self.rejected]

    def warning_lines(self) -> list[str]:
        return [f"{self.unit} {where}: warning: {reason}" for where, reason in self.warnings]


def transaction(target: Engine | Connection) -> AbstractContextManager[Connection]:
    """One transaction on an Engine; a Connection is used as given (the caller commits)."""
    if isinstance(target, Connection):
        return nullcontext(target)
    return target.begin()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
