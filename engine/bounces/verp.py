"""VERP (variable envelope return path): each email's envelope sender names that message,
`bounces+ID-MAC@example.com`, so a bounce finds its message even when it quotes nothing of it.
MAC is an HMAC with the database's secret: nobody can make a bounce count on another message."""

from __future__ import annotations

import email.message
import hashlib
import hmac
import re

_TOKEN = re.compile(r"\+(\d{1,18})-([0-9a-f]{16})@", re.I)
# Where mail servers put the address a bounce was delivered to.
HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To",
           "Original-Recipient", "X-Failed-Recipients-For")  # fmt: skip


def _mac(secret: bytes, message_id: int) -> str:
    return hmac.digest(secret, b"verp\0" + str(int(message_id)).encode(), hashlib.sha256)[:8].hex()


def envelope_sender(secret: bytes, message_id: int, bounce_address: str) -> str:
    """`local+ID-MAC@domain` for the `bounce_address` setting `local@domain`."""
    local, _, domain = bounce_address.strip().rpartition("@")
    return f"{local}+{int(message_id)}-{_mac(secret, message_id)}@{domain}"


def candidates(msg: email.message.Message) -> list[tuple[int, str]]:
    """(message id, mac) pairs found in the addresses a bounce was delivered to."""
    found = []
    for name in HEADERS:
        for value in msg.get_all(name) or []:
            found += [(int(i), mac.lower()) for i, mac in _TOKEN.findall(str(value))]
    return found


def verified(secret: bytes, pairs: list[tuple[int, str]]) -> int | None:
    """The message id of the first pair whose MAC is right."""
    for message_id, mac in pairs:
        if hmac.compare_digest(_mac(secret, message_id), mac):
            return message_id
    return None
