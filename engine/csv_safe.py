"""CSV that is safe to open in a spreadsheet: a cell that a spreadsheet would read as a
formula (starting with =, +, -, @, a tab or a carriage return) is written with a leading
apostrophe, as OWASP's CSV-injection advice says. Every CSV the program writes goes through
here."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should see it: numbers stay numbers, formula-like text is
    prefixed with an apostrophe so it is shown, never run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer with every cell passed through safe_cell."""

    def __init__(self, handle: IO[str], **kwargs: Any) -> None:
        kwargs.setdefault("lineterminator", "\n")
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(handle: IO[str], **kwargs: Any) -> SafeWriter:
    return SafeWriter(handle, **kwargs)
