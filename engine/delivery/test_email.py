"""One short email through the SMTP settings, to check them (the Settings screen's "Send test
email"): the same channel the dispatcher would use, with the password given or kept."""

from __future__ import annotations

from email.utils import make_msgid, parseaddr
from typing import Any

from engine.delivery.channels import OutgoingMessage, smtp_account, smtp_channel

SUBJECT = "Campaign Studio test email"
TEXT = "This is a test email from Campaign Studio. Your SMTP settings work."


def send_test_email(
    settings: dict[str, Any],
    to: str,
    password: str | None = None,
    message: dict[str, str] | None = None,
) -> str:
    """Send the test email to `to`; returns a sentence saying where it went. Without a
    password, the keyring's (or CAMPAIGN_STUDIO_SMTP_PASSWORD's) is used when there is a
    login. `message` ({"subject", "html", "text", "sender"}) sends a rendered message
    instead of the fixed one ("Send test" on a send step or a template). Raises the
    channel's DeliveryError with the server's reason when it fails."""
    message = message or {}
    if settings.get("smtp_username") and password is None:
        from engine.delivery import secrets

        password = secrets.get_password(smtp_account(settings))
    channel = smtp_channel(settings, password if settings.get("smtp_username") else None)
    sender = message.get("sender") or settings.get("sender") or None
    # A fresh Message-ID each time (SpamAssassin: MISSING_MID; a second test must not be
    # folded into the first by a mailbox that de-duplicates by id).
    domain = parseaddr(sender or "")[1].rpartition("@")[2] or "campaign-studio.invalid"
    try:
        channel.send(
            OutgoingMessage(
                key=f"settings-test:{to}",
                channel="email",
                to=to,
                sender=sender,
                subject=message.get("subject", SUBJECT),
                html=message.get("html") or "",
                text=message.get("text", TEXT),
                headers={"Message-ID": make_msgid("settings-test", domain=domain)},
            )
        )
    finally:
        close = getattr(channel, "close", None)
        if callable(close):
            close()
    return f"Sent to {to} through {settings.get('smtp_host')}:{settings.get('smtp_port')}"
