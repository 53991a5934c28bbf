"""`POST /api/events`: a website or shop reports what contacts did. Each event is checked on
its own (one bad event never refuses the others); an `id` makes a retry idempotent; an event
older than `late_event_days` is kept but marked so that it triggers nothing."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from sqlalchemy import Engine, insert, select

from engine import csv_values as values
from engine.db.schema import api_event_ids, contacts, events

MAX_EVENTS = 1000  # per request
NAME_LIMIT = 100
ID_LIMIT = 200
FUTURE = dt.timedelta(days=1)  # clocks drift; a date further ahead is a mistake


class BadRequest(ValueError):
    """The request as a whole cannot be read (the sentence says why)."""


def parse_body(body: bytes) -> list[Any]:
    """The `events` list of a request body, or BadRequest."""
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8") from None
    except ValueError as exc:
        raise BadRequest(f"the body is not JSON ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise BadRequest('the body must be {"events": [...]}')
    found = document["events"]
    if len(found) > MAX_EVENTS:
        raise BadRequest(f"at most {MAX_EVENTS} events per request, got {len(found)}")
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _clean_text(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise values.ValueProblem(f"{what} must be a non-empty string")
    value = value.strip()
    if len(value) > limit:
        raise values.ValueProblem(f"{what} is longer than {limit} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise values.ValueProblem(f"{what} has control characters")
    return value


def clean_properties(value: Any, depth: int = 0) -> Any:
    """Properties as stored: no NUL or control characters, no non-finite numbers."""
    if depth > 5:
        raise values.ValueProblem("properties are nested too deep (at most 5 levels)")
    if isinstance(value, dict):
        return {_clean_text(k, "a property name", 200): clean_properties(v, depth + 1)
                for k, v in value.items()}  # fmt: skip
    if isinstance(value, list):
        return [clean_properties(v, depth + 1) for v in value]
    if isinstance(value, str):
        if any((ord(c) < 32 and c not in "\t\n\r") or ord(c) == 127 for c in value):
            raise values.ValueProblem("a property value has control characters")
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise values.ValueProblem("a property value is not a finite number")
    return value


def ingest(engine: Engine, key_id: int, items: list[Any], now: dt.datetime,
           late_event_days: float) -> dict[str, Any]:  # fmt: skip
    """Record the events; returns {"accepted", "duplicates", "late", "rejected": [{index,
    reason}]}. `late` lists indexes of accepted events too old to trigger anything."""
    rejected: list[dict[str, Any]] = []
    parsed = []
    for index, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise values.ValueProblem("an event must be an object")
            unknown = set(item) - {"email", "phone", "event", "occurred_at", "properties", "id"}
            if unknown:
                raise values.ValueProblem(f"unknown field {sorted(unknown)[0]!r}")
            if item.get("email"):
                identity = ("email", values.email(_clean_text(item["email"], "email", 320)))
            elif item.get("phone"):
                identity = ("phone", values.phone(_clean_text(item["phone"], "phone", 40)))
            else:
                raise values.ValueProblem("an event needs an email or a phone")
            name = _clean_text(item.get("event"), "event", NAME_LIMIT)
            at = now
            if item.get("occurred_at") is not None:
                if not isinstance(item["occurred_at"], str):
                    raise values.ValueProblem("occurred_at must be an ISO 8601 string")
                at = values.moment(item["occurred_at"])
                if at > now + FUTURE:
                    raise values.ValueProblem("occurred_at is more than a day in the future")
            properties = clean_properties(item.get("properties") or {})
            if not isinstance(properties, dict):
                raise values.ValueProblem("properties must be an object")
            external = item.get("id")
            if external is not None:
                external = _clean_text(str(external), "id", ID_LIMIT)
        except values.ValueProblem as exc:
            rejected.append({"index": index, "reason": str(exc)})
            continue
        parsed.append((index, identity, name, at, properties, external))
    accepted = duplicates = 0
    late: list[int] = []
    cutoff = now - dt.timedelta(days=float(late_event_days or 0)) if late_event_days else None
    with engine.begin() as conn:
        ids = _contact_ids(conn, parsed)
        seen = _seen_ids(conn, key_id, [p[5] for p in parsed if p[5] is not None])
        for index, identity, name, at, properties, external in parsed:
            contact_id = ids.get(identity)
            if contact_id is None:
                rejected.append({"index": index, "reason": f"no contact with {identity[0]} "
                                                           f"{identity[1]}"})  # fmt: skip
                continue
            if external is not None and external in seen:
                duplicates += 1
                continue
            if cutoff is not None and at < cutoff:
                late.append(index)  # kept; triggers skip events this old (engine/runner)
            event_id = conn.execute(insert(events).values(
                contact_id=contact_id, name=name, occurred_at=at, properties=properties,
                campaign_id=None, node_id=None,
            )).inserted_primary_key[0]  # fmt: skip
            if external is not None:
                seen.add(external)
                conn.execute(
                    insert(api_event_ids).values(
                        key_id=key_id, external_id=external, event_id=event_id, created_at=now
                    )
                )
            accepted += 1
    rejected.sort(key=lambda r: r["index"])
    return {"accepted": accepted, "duplicates": duplicates, "late": late, "rejected": rejected}


def _contact_ids(conn: Any, parsed: list[tuple]) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for kind, column in (("email", contacts.c.email), ("phone", contacts.c.phone)):
        wanted = sorted({p[1][1] for p in parsed if p[1][0] == kind})
        for start in range(0, len(wanted), 500):
            query = select(column, contacts.c.id).where(column.in_(wanted[start : start + 500]))
            for value, contact_id in conn.execute(query.order_by(contacts.c.id.desc())):
                out[(kind, value)] = contact_id
    return out


def _seen_ids(conn: Any, key_id: int, externals: list[str]) -> set[str]:
    seen: set[str] = set()
    for start in range(0, len(externals), 500):
        chunk = externals[start : start + 500]
        seen.update(
            conn.scalars(
                select(api_event_ids.c.external_id).where(
                    api_event_ids.c.key_id == key_id, api_event_ids.c.external_id.in_(chunk)
                )
            )
        )
    return seen
