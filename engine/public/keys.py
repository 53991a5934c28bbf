"""Events-API keys: a key is shown once when created; only its SHA-256 is stored, so a copy of
the database does not give anyone the right to post events."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select, update

from engine.db.schema import api_keys

PREFIX = "cs_"
NAME_LIMIT = 200


class ApiKeyError(ValueError):
    """A key name that is empty, too long, taken or unknown (the sentence says which)."""


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ApiKeyError("a key needs a name")
    if len(name) > NAME_LIMIT or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise ApiKeyError(f"key name {name[:40]!r} is too long or has control characters")
    return name


def create_key(engine: Engine, name: str) -> str:
    """A new key named `name`; returns the key itself (never stored, shown once)."""
    name = _check_name(name)
    key = PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        taken = conn.scalar(select(api_keys.c.id).where(api_keys.c.name == name))
        if taken is not None:
            raise ApiKeyError(f"a key named {name!r} exists already (revoke it or choose a name)")
        conn.execute(insert(api_keys), {
            "name": name, "prefix": key[: len(PREFIX) + 6], "hash": _hash(key),
            "created_at": _now(),
        })  # fmt: skip
    return key


def list_keys(engine: Engine) -> list[dict[str, Any]]:
    """Every key: name, prefix, created, last used, revoked (oldest first)."""
    with engine.connect() as conn:
        rows = conn.execute(select(api_keys).order_by(api_keys.c.id)).mappings().all()
    return [
        {
            "name": r["name"], "prefix": r["prefix"],
            "created_at": r["created_at"].isoformat(timespec="seconds"),
            "last_used_at": r["last_used_at"].isoformat(timespec="seconds")
            if r["last_used_at"] else None,
            "revoked_at": r["revoked_at"].isoformat(timespec="seconds")
            if r["revoked_at"] else None,
        }
        for r in rows
    ]  # fmt: skip


def revoke_key(engine: Engine, name: str) -> None:
    """The key stops working at once; its row stays as a record (the name stays taken)."""
    name = _check_name(name)
    with engine.begin() as conn:
        row = conn.execute(
            select(api_keys.c.id, api_keys.c.revoked_at).where(api_keys.c.name == name)
        ).first()
        if row is None:
            raise ApiKeyError(f"no key named {name!r} (see `campaign-studio keys list`)")
        if row.revoked_at is None:
            conn.execute(update(api_keys).where(api_keys.c.id == row.id).values(revoked_at=_now()))


def verify_key(engine: Engine, authorization: str | None) -> ApiKey | None:
    """The key named by an `Authorization: Bearer KEY` header, if it exists and is not
    revoked; else None."""
    if not authorization:
        return None
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key.startswith(PREFIX) or len(key) > 200:
        return None
    digest = _hash(key)
    with engine.begin() as conn:
        row = conn.execute(
            select(api_keys.c.id, api_keys.c.name, api_keys.c.hash, api_keys.c.revoked_at)
            .where(api_keys.c.hash == digest)
        ).first()  # fmt: skip
        if row is None or row.revoked_at is not None or not hmac.compare_digest(row.hash, digest):
            return None
        conn.execute(update(api_keys).where(api_keys.c.id == row.id).values(last_used_at=_now()))
    return ApiKey(row.id, row.name)
