"""Unsubscribing: HMAC-signed tokens (nobody can forge another contact's), the links and
List-Unsubscribe headers built from them, and honouring a token. The public endpoint
(engine/public, `serve`) serves the links."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets as random_secrets
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import Connection, Engine, insert, select, update

from engine.clock import SystemClock
from engine.db.schema import campaigns, contacts, events, settings

SECRET_KEY = "signing_secret"  # row of `settings`: hex, generated once per database
DEFAULT_URL = "http://127.0.0.1:8765/u/{token}"  # the public endpoint's default address
_MAC_BYTES = 16
_secret_cache: dict[str, bytes] = {}


@dataclass(frozen=True)
class UnsubscribeToken:
    contact_id: int
    campaign_id: int | None = None
    node_id: str | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def database_secret(conn: Connection) -> bytes:
    """This database's signing secret, created (32 random bytes) the first time."""
    cache_key = str(conn.engine.url)
    cached = _secret_cache.get(cache_key)
    if cached is not None:
        return cached
    value = conn.scalar(select(settings.c.value).where(settings.c.key == SECRET_KEY))
    if not value:
        value = random_secrets.token_hex(32)
        dialect = conn.dialect.name
        if dialect in ("sqlite", "postgresql"):
            module = __import__(f"sqlalchemy.dialects.{dialect}", fromlist=["insert"])
            statement = module.insert(settings).on_conflict_do_nothing(index_elements=["key"])
            conn.execute(statement, {"key": SECRET_KEY, "value": value})
        else:
            conn.execute(insert(settings), {"key": SECRET_KEY, "value": value})
        # Another process may have won the race: the stored one is the secret.
        value = conn.scalar(select(settings.c.value).where(settings.c.key == SECRET_KEY))
    secret = bytes.fromhex(value)
    _secret_cache[cache_key] = secret
    return secret


def engine_secret(engine: Engine) -> bytes:
    with engine.begin() as conn:
        return database_secret(conn)


_keyed: dict[bytes, hmac.HMAC] = {}


def _mac(secret: bytes, payload: bytes) -> bytes:
    # The key schedule is done once per secret; a copy per token (the runner signs one
    # link per message: a fresh hmac.new each time was a third of its signing cost).
    keyed = _keyed.get(secret)
    if keyed is None:
        keyed = _keyed[secret] = hmac.new(secret, b"unsubscribe\0", hashlib.sha256)
    mac = keyed.copy()
    mac.update(payload)
    return mac.digest()[:_MAC_BYTES]


def make_token(secret: bytes, contact_id: int, campaign_id: int | None = None,
               node_id: str | None = None) -> str:  # fmt: skip
    """A token naming the contact (and the campaign/node whose message carried it)."""
    payload = f"{int(contact_id)}:{'' if campaign_id is None else int(campaign_id)}:{node_id or ''}"
    data = payload.encode()
    return f"{_b64(data)}.{_b64(_mac(secret, data))}"


def read_token(secret: bytes, token: str) -> UnsubscribeToken | None:
    """The token's contents when its signature is right (compared in constant time), else None."""
    try:
        body, _, signature = token.strip().partition(".")
        data = _unb64(body)
        if not hmac.compare_digest(_mac(secret, data), _unb64(signature)):
            return None
        contact, campaign, node = data.decode().split(":", 2)
        return UnsubscribeToken(int(contact), int(campaign) if campaign else None, node or None)
    except (ValueError, UnicodeDecodeError, TypeError):
        return None


def unsubscribe_url(pattern: str | None, token: str) -> str:
    """The link for a token: `pattern` holds "{token}", or gets "?token=" appended."""
    pattern = pattern or DEFAULT_URL
    if "{token}" in pattern:
        return pattern.replace("{token}", token)
    return f"{pattern}{'&' if '?' in pattern else '?'}token={token}"


def list_unsubscribe_headers(url: str | None, mailto: str | None, token: str) -> dict[str, str]:
    """RFC 2369 List-Unsubscribe (mailto and/or URL) and RFC 8058 one-click POST."""
    links = []
    if mailto:
        links.append(f"<mailto:{mailto}?subject={quote('unsubscribe ' + token)}>")
    if url:
        links.append(f"<{url}>")
    if not links:
        return {}
    headers = {"List-Unsubscribe": ", ".join(links)}
    if url:  # one-click POST (mailbox providers only honour it for https URLs)
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def unsubscribe(engine: Engine, token: str, now: dt.datetime | None = None) -> int | None:
    """Honour a token: the contact is unsubscribed and an `unsubscribed` event recorded (once,
    however often the link is used). Returns the contact id, or None for a bad token."""
    now = now or SystemClock().now()
    with engine.begin() as conn:
        found = read_token(database_secret(conn), token)
        if found is None:
            return None
        changed = conn.execute(
            update(contacts)
            .where(contacts.c.id == found.contact_id, contacts.c.unsubscribed.is_(False))
            .values(unsubscribed=True, updated_at=now)
        ).rowcount
        if changed:
            name = None
            if found.campaign_id is not None:
                query = select(campaigns.c.name).where(campaigns.c.id == found.campaign_id)
                name = conn.scalar(query)
            conn.execute(insert(events), {
                "contact_id": found.contact_id, "name": "unsubscribed", "occurred_at": now,
                "properties": {"campaign": name, "node": found.node_id, "source": "link"},
                "campaign_id": found.campaign_id, "node_id": found.node_id,
            })  # fmt: skip
        exists = conn.scalar(select(contacts.c.id).where(contacts.c.id == found.contact_id))
        return found.contact_id if exists is not None else None
