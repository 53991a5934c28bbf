"""Reading the values of a CSV cell: column names, emails, phones, booleans, numbers, dates
(the rules docs/data-formats.md describes), shared by the importers."""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engine import addresses

EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
PHONE_NOISE = re.compile(r"[\s\-().]")
PHONE = re.compile(r"^\+?\d{5,16}$")
NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$|^-?0?\.\d+$")
INTEGER = re.compile(r"^-?(0|[1-9]\d{0,14})$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$"
)
TRUE_WORDS = frozenset({"true", "yes", "y"})
FALSE_WORDS = frozenset({"false", "no", "n"})
# Header spellings people use for the core columns.
ALIASES = {
    "e_mail": "email", "mail": "email", "email_address": "email",
    "firstname": "first_name", "first": "first_name", "given_name": "first_name",
    "lastname": "last_name", "last": "last_name", "surname": "last_name",
    "family_name": "last_name",
    "mobile": "phone", "phone_number": "phone", "mobile_phone": "phone", "cell": "phone",
    "time_zone": "timezone", "tz": "timezone",
    "unsubscribe": "unsubscribed", "opted_out": "unsubscribed",
    "tag": "tags",
    "event_name": "event", "name_of_event": "event",
    "time": "occurred_at", "timestamp": "occurred_at", "date": "occurred_at", "at": "occurred_at",
}  # fmt: skip
KINDS = ("boolean", "number", "date", "text")


class ValueProblem(ValueError):
    """A cell that cannot be read as what its column holds."""


def column_name(header: str) -> str:
    """'First Name' → 'first_name'; 'E-mail' → 'email'."""
    name = re.sub(r"[\s\-]+", "_", header.strip().lower()).strip("_")
    return ALIASES.get(name, name)


def email(text: str) -> str:
    """Checked by email-validator (syntax, internationalised domains), lower-case."""
    try:
        return addresses.email_address(text)
    except addresses.AddressProblem as exc:
        raise ValueProblem(str(exc)) from None


def phone(text: str, region: str = "") -> str:
    """E.164 (phonenumbers); `region` is the country of numbers written without one."""
    try:
        return addresses.phone_number(text, region)
    except addresses.AddressProblem as exc:
        raise ValueProblem(str(exc)) from None


@lru_cache(maxsize=1024)
def _zone_exists(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long
        return False
    return True


def timezone(text: str) -> str:
    value = text.strip()
    if not _zone_exists(value):
        raise ValueProblem(f"bad time zone {value!r} (use names like Europe/Berlin)")
    return value


def boolean(text: str) -> bool:
    value = text.strip().lower()
    if value in TRUE_WORDS or value == "1":
        return True
    if value in FALSE_WORDS or value == "0" or value == "":
        return False
    raise ValueProblem(f"{text.strip()!r} is not yes/no (use true or false)")


def moment(text: str) -> dt.datetime:
    """An ISO 8601 date or date-time as naive UTC (UTC when it has no zone)."""
    value = text.strip()
    try:
        if DATE.match(value):
            return dt.datetime.fromisoformat(value)
        if DATETIME.match(value):
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
            return parsed
    except OverflowError:  # 0001-01-01T00:00+05:00 is before the year 1 in UTC
        raise ValueProblem(f"date/time {value!r} is out of range (years 1 to 9999)") from None
    except ValueError:
        pass
    raise ValueProblem(f"bad date/time {value!r} (use ISO 8601, e.g. 2026-03-01T09:30:00)")


# C0 and C1 control characters and DEL. Names, tags and other one-line fields keep none of
# them: a line break or tab in a name ends up in a greeting or a To: header. Free-text
# attributes keep tab and line feed (a multi-line note or address exported from a CRM is
# real data) and CR LF (how spreadsheets write a line break); a lone CR (old Mac line end)
# becomes LF.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LONE_CR = re.compile(r"\r(?!\n)")
_BLANKS = re.compile(r"[ \t\n\r]*[\t\n\r][ \t\n\r]*")


def clean_text(text: str, multiline: bool = False) -> tuple[str, bool]:
    """`text` without control characters, and whether anything was removed or replaced.
    One-line text has tabs and line breaks turned into one space."""
    if multiline:
        cleaned = _LINE_CONTROLS.sub("", _LONE_CR.sub("\n", text))
    else:
        cleaned = _CONTROLS.sub("", _BLANKS.sub(" ", text))
    return cleaned, cleaned != text


def control_warning(name: str, text: str) -> str:
    """The import warning for a field whose control characters were removed."""
    shown = text.strip()
    shown = repr(shown if len(shown) <= 40 else shown[:37] + "...")
    return f"{name} {shown} had control characters: they were removed"


@lru_cache(maxsize=4096)
def possible_kinds(text: str) -> frozenset[str]:
    """Which typed kinds a non-empty cell could be read as ('text' always). Cached: columns
    repeat their values (plans, countries, yes/no)."""
    value = text.strip()
    lowered = value.lower()
    kinds = {"text"}
    if lowered in TRUE_WORDS or lowered in FALSE_WORDS:
        kinds.add("boolean")
    elif NUMBER.match(value) and len(value) <= 100 and math.isfinite(float(value)):
        kinds.add("number")  # 1e999 is not a number here: Infinity never enters the database
    elif DATE.match(value) or DATETIME.match(value):
        try:
            moment(value)
            kinds.add("date")
        except ValueProblem:
            pass
    return frozenset(kinds)


def column_kind(seen: frozenset[str] | None) -> str:
    """The kind of a column from the intersection of its cells' possible kinds."""
    if not seen:
        return "text"
    return next(kind for kind in KINDS if kind in seen)


@lru_cache(maxsize=4096)
def typed(text: str, kind: str) -> Any:
    """A cell as the JSON value stored for its column kind (dates as ISO text)."""
    value = text.strip()
    if kind == "boolean":
        return value.lower() in TRUE_WORDS
    if kind == "number":
        return int(value) if INTEGER.match(value) else float(value)
    if kind == "date":
        if DATE.match(value):
            return value
        return moment(value).isoformat(timespec="seconds")
    return value
