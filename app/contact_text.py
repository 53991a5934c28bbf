"""How a contact reads on screen: its name, its place, a time (the contacts list, the contact
page, its journey and the segment and template screens all show them the same way)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime


def contact_name(contact: dict[str, Any]) -> str:
    return " ".join(filter(None, [contact.get("first_name"), contact.get("last_name")]))


def contact_place(contact: dict[str, Any]) -> str:
    attributes = contact.get("attributes") or {}
    country = attributes.get("country") if isinstance(attributes, dict) else None
    return " · ".join(str(part) for part in (country, contact.get("timezone")) if part)


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def format_time(value: Any) -> str:
    """A date and time as the user's locale writes it, short ("07.12.26 09:00" in German,
    "12/7/26, 9:00 AM" in US English), never ISO text like "2026-12-07T09:00"."""
    moment = _as_datetime(value)
    if moment is None:
        return str(value or "")
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)  # the program's times are UTC already
    stamp = QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QTime(moment.hour, moment.minute, moment.second),
    )
    return QLocale().toString(stamp, QLocale.FormatType.ShortFormat)


def format_date(value: Any) -> str:
    """The date alone, as the user's locale writes it (short)."""
    moment = _as_datetime(value)
    if moment is None:
        return str(value or "")
    date = QDate(moment.year, moment.month, moment.day)
    return QLocale().toString(date, QLocale.FormatType.ShortFormat)
