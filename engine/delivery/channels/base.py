"""What every delivery channel shares: the message handed to it, the one `send` interface,
and the two ways a send can fail (try again later, or never)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Called by a channel at the moment the message is accepted (for SMTP: the server's 250
# to the final "." of DATA; RFC 5321 says nothing is accepted before). The dispatcher
# records "sent" there; a crash before it leaves the message in doubt: sent again, and
# counted as in doubt. See docs/delivery.md.
HandedOver = Callable[[], None]


@dataclass(slots=True)
class OutgoingMessage:
    """One message to deliver, as the runner rendered it (a row of `messages`).

    `channel` is email | sms | message | webhook | notify. For a webhook, `to` is the URL
    and `headers["method"]` the HTTP method; for a messenger message `headers["channel"]`
    names the messenger (push, whatsapp...). For email, `headers` are extra MIME headers
    (Message-ID and List-Unsubscribe are added by the dispatcher)."""

    key: str
    channel: str
    to: str
    sender: str | None = None
    subject: str = ""
    html: str = ""
    text: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    id: int | None = None
    contact_id: int | None = None
    campaign_id: int | None = None
    node_id: str | None = None
    created_at: dt.datetime | None = None

    def as_json(self) -> dict[str, Any]:
        """A plain dict (the outbox's JSON files, the HTTP gateway's template context)."""
        return {
            "key": self.key, "channel": self.channel, "to": self.to, "sender": self.sender,
            "subject": self.subject, "html": self.html, "text": self.text,
            "headers": dict(self.headers), "id": self.id, "contact_id": self.contact_id,
            "campaign_id": self.campaign_id, "node_id": self.node_id,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }  # fmt: skip


class DeliveryError(Exception):
    """A send that did not go through; `reason` is what the user reads in the message list."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class TemporaryFailure(DeliveryError):
    """Try again later (SMTP 4xx, connection refused, timeout, HTTP 5xx/429).
    `unreachable` means the server itself could not be reached: the dispatcher stops the
    batch rather than failing every message against a dead server."""

    def __init__(self, reason: str, code: int | None = None, unreachable: bool = False) -> None:
        super().__init__(reason, code)
        self.unreachable = unreachable


class InDoubt(TemporaryFailure):
    """The whole message was sent but the server's verdict never came (the connection
    dropped or timed out after DATA's final dot). Under RFC 5321 the server accepted
    nothing until it answers 250, so the message is retried — a rare duplicate (with the
    same Message-ID) rather than a silent loss — and counted as in doubt."""


class PermanentFailure(DeliveryError):
    """Never retry (SMTP 5xx reply, HTTP 4xx). `bounce` means the recipient's address was
    refused: the contact is marked bounced and never mailed again."""

    def __init__(self, reason: str, code: int | None = None, bounce: bool = False) -> None:
        super().__init__(reason, code)
        self.bounce = bounce


class Channel:
    """A way out for messages. Subclasses implement `send`; `close` ends any connection kept
    open across a batch (one SMTP connection is reused for many messages)."""

    name = "channel"

    def send(self, message: OutgoingMessage, handed_over: HandedOver | None = None) -> None:
        """Deliver one message or raise TemporaryFailure / PermanentFailure. Channels that
        can tell the moment of hand-over call `handed_over()` exactly once, then may still
        raise if the server's reply refuses the message."""
        raise NotImplementedError

    def close(self) -> None:
        """Release connections (called at the end of each dispatch round)."""

    def __enter__(self) -> Channel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
