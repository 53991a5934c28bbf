"""`POST /f/FORM`: a web-to-lead form on the team's site. The contact is created or updated
(never un-unsubscribed), `form_submitted` recorded with the form's name and fields, and the
visitor sent to the form's thank-you page. A honeypot field and a per-address rate limit
keep robots out."""

from __future__ import annotations

import collections
import datetime as dt
import threading
import time
from typing import Any

from sqlalchemy import Engine, insert, select, update

from engine import csv_values as values
from engine.db.schema import contact_tags, contacts, events

HONEYPOT = "website"  # a field people never see (hidden by CSS); robots fill it in
CORE = ("first_name", "last_name", "phone", "timezone")
MAX_FIELDS = 50
MAX_VALUE = 1000


class FormProblem(ValueError):
    """A submission that cannot be stored; the sentence is shown to the visitor."""


class RateLimit:
    """At most `per_minute` submissions per client address in any minute (in memory)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, collections.deque] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        if self.per_minute <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 10_000:  # forget quiet addresses
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - 60}
            times = self._seen.setdefault(client, collections.deque())
            while times and times[0] <= now - 60:
                times.popleft()
            if len(times) >= self.per_minute:
                return False
            times.append(now)
            return True


def _text(name: str, value: str) -> str:
    value = value.strip()
    if len(value) > MAX_VALUE:
        raise FormProblem(f"the field {name!r} is too long")
    if any((ord(c) < 32 and c not in "\t\n\r") or ord(c) == 127 for c in value):
        raise FormProblem(f"the field {name!r} has characters that are not allowed")
    return value


def submit(engine: Engine, form: str, config: dict[str, Any], fields: dict[str, str],
           now: dt.datetime) -> int:  # fmt: skip
    """Store one submission of `form`; returns the contact id."""
    if len(fields) > MAX_FIELDS:
        raise FormProblem("too many fields")
    clean = {_text("name", k)[:100]: _text(k, v) for k, v in fields.items() if k != HONEYPOT}
    try:
        email = values.email(clean.pop("email", "")) if clean.get("email") else None
        phone = values.phone(clean.pop("phone", "")) if clean.get("phone") else None
    except values.ValueProblem as exc:
        raise FormProblem(str(exc)) from None
    if email is None and phone is None:
        raise FormProblem("please give an email address")
    # a name is one line (a greeting, a To: header): tabs and line breaks become a space
    core = {k: values.clean_text(clean.pop(k))[0] for k in CORE if clean.get(k)}
    if phone:
        core["phone"] = phone
    if "timezone" in core:
        try:
            core["timezone"] = values.timezone(core["timezone"])
        except values.ValueProblem:
            core.pop("timezone")
    clean.pop("email", None)
    tags = [str(t) for t in config.get("tags") or [] if str(t).strip()]
    with engine.begin() as conn:
        column = contacts.c.email if email else contacts.c.phone
        row = conn.execute(
            select(contacts.c.id, contacts.c.attributes).where(column == (email or phone))
            .order_by(contacts.c.id)
        ).first()  # fmt: skip
        if row is None:
            contact_id = conn.execute(insert(contacts).values(
                email=email, created_at=now, updated_at=now, attributes=clean, **core,
            )).inserted_primary_key[0]  # fmt: skip
        else:
            contact_id = row.id
            attributes = {**(row.attributes or {}), **clean}
            conn.execute(update(contacts).where(contacts.c.id == contact_id).values(
                updated_at=now, attributes=attributes, **core))  # fmt: skip
        have = set(conn.scalars(select(contact_tags.c.tag).where(
            contact_tags.c.contact_id == contact_id)))  # fmt: skip
        new_tags = [{"contact_id": contact_id, "tag": t} for t in dict.fromkeys(tags)
                    if t not in have]  # fmt: skip
        if new_tags:
            conn.execute(insert(contact_tags), new_tags)
        conn.execute(insert(events).values(
            contact_id=contact_id, name="form_submitted", occurred_at=now,
            properties={"form": form, "fields": {**clean, **core, "email": email}},
            campaign_id=None, node_id=None,
        ))  # fmt: skip
    return int(contact_id)
