"""Values typed as text: JSON scalars and lists the way a marketer types them, and ISO 8601
durations split into an amount and a unit ("P2D" <-> 2 days)."""

from __future__ import annotations

import json
import re
from typing import Any


def parse_scalar(text: str) -> Any:
    """Text typed by a user to a JSON scalar: 90 -> 90, true -> True, "90" -> '90', DE -> 'DE'."""
    stripped = text.strip()
    if not stripped:
        return ""
    try:
        value = json.loads(stripped)
    except ValueError:
        return stripped
    return value if not isinstance(value, (dict, list)) else stripped


def format_scalar(value: Any) -> str:
    """The inverse of parse_scalar: the shortest text that reads back as `value`."""
    if isinstance(value, str):
        if _same(parse_scalar(value), value) and value == value.strip():
            return value
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def parse_list(text: str) -> list[Any]:
    """'DE, FR' or '["DE", "FR"]' to a list of scalars."""
    stripped = text.strip()
    if not stripped:
        return []
    if stripped.startswith("["):
        try:
            value = json.loads(stripped)
        except ValueError:
            value = None
        if isinstance(value, list):
            return value
    return [parse_scalar(part) for part in stripped.split(",")]


def format_list(values: Any) -> str:
    values = list(values)
    text = ", ".join(format_scalar(v) for v in values)
    return text if _same(parse_list(text), values) else json.dumps(values, ensure_ascii=False)


def _same(a: Any, b: Any) -> bool:
    """Equal including types (True != 1 here), as JSON sees it."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


DURATION_UNITS = (  # label, ISO pattern, seconds (months count as 30 days, as the engine does)
    ("minutes", "PT{}M", 60),
    ("hours", "PT{}H", 3600),
    ("days", "P{}D", 86400),
    ("weeks", "P{}W", 604800),
    ("months", "P{}M", 2592000),
)
_SIMPLE = re.compile(r"^(-?)P(?:(\d+(?:\.\d+)?)([DWM])|T(\d+(?:\.\d+)?)([HM]))$")


def split_duration(text: str) -> tuple[str, str | None]:
    """'P2D' -> ('2', 'days'); 'PT3H' -> ('3', 'hours'); anything else -> (text, None)."""
    match = _SIMPLE.match(text.strip())
    if match:
        sign, amount, unit = match.group(1), match.group(2) or match.group(4), None
        if match.group(3):
            unit = {"D": "days", "W": "weeks", "M": "months"}[match.group(3)]
        else:
            unit = {"H": "hours", "M": "minutes"}[match.group(5)]
        return sign + amount, unit
    # Anything else (P1DT2H, PT90S, P1Y) is shown as written, so it is saved as written.
    return text, None


def join_duration(amount: str, unit: str) -> tuple[str | None, str | None]:
    """('2', 'days') -> ('P2D', None); typed ISO passes through; errors say what is wrong."""
    amount = amount.strip()
    if not amount:
        return None, None
    if amount.lstrip("-").upper().startswith("P"):
        return amount.upper(), None
    try:
        number = float(amount.replace(",", "."))
    except ValueError:
        return None, f"{amount!r} is not a number (e.g. 2, or P2D)"
    pattern = dict((label, pat) for label, pat, _ in DURATION_UNITS)[unit]
    text = f"{abs(number):g}" if not number.is_integer() else str(abs(int(number)))
    return ("-" if number < 0 else "") + pattern.format(text), None
