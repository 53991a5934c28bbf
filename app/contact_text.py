"""How a contact reads on screen: its name, its place, a time (the contacts list, the contact
page, its journey and the segment and template screens all show them the same way)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def contact_name(contact: dict[str, Any]) -> str:
    return " ".join(filter(None, [contact.get("first_name"), contact.get("last_name")]))


def contact_place(contact: dict[str, Any]) -> str:
    attributes = contact.get("attributes") or {}
    country = attributes.get("country") if isinstance(attributes, dict) else None
    return " · ".join(str(part) for part in (country, contact.get("timezone")) if part)


def format_time(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str):
        return value[:16].replace("T", " ")
    return ""
