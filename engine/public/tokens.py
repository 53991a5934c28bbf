"""Signed tracking tokens: each names one message (contact, campaign, node, delivery key) and,
for a click, the link that was in it. HMAC-SHA256 with the database's secret, so a token
cannot be forged or altered, and a click can never redirect anywhere the message did not."""

from __future__ import annotations

import base64
import hmac
import json
from dataclasses import dataclass

_MAC_BYTES = 16
MAX_TOKEN = 4096  # characters; longer is refused before any decoding


@dataclass(frozen=True)
class MessageToken:
    """What a tracking token names. `url` is set on click tokens only."""

    contact_id: int
    campaign_id: int | None
    node_id: str | None
    key: str  # the message's delivery key (messages.key)
    url: str | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, kind: str, payload: bytes) -> bytes:
    # The kind is part of what is signed: an open token is not a valid click token.
    message = b"track\0" + kind.encode() + b"\0" + payload
    return hmac.digest(secret, message, "sha256")[:_MAC_BYTES]


def make(secret: bytes, kind: str, token: MessageToken) -> str:
    """A token of `kind` ("o" open, "c" click, "v" view) for this message."""
    fields: list = [token.contact_id, token.campaign_id, token.node_id, token.key]
    if token.url is not None:
        fields.append(token.url)
    payload = json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode()
    return f"{_b64(payload)}.{_b64(_mac(secret, kind, payload))}"


def read(secret: bytes, kind: str, text: str) -> MessageToken | None:
    """The token's contents when its signature for `kind` is right, else None."""
    if not text or len(text) > MAX_TOKEN:
        return None
    try:
        body, _, signature = text.partition(".")
        payload = _unb64(body)
        if not hmac.compare_digest(_mac(secret, kind, payload), _unb64(signature)):
            return None
        fields = json.loads(payload)
        contact, campaign, node, key = fields[:4]
        url = fields[4] if len(fields) > 4 else None
        if not isinstance(contact, int) or not isinstance(key, str):
            return None
        if campaign is not None and not isinstance(campaign, int):
            return None
        return MessageToken(contact, campaign, node if isinstance(node, str) else None, key,
                            url if isinstance(url, str) else None)  # fmt: skip
    except (ValueError, TypeError, UnicodeDecodeError, IndexError):
        return None
