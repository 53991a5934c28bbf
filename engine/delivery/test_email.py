"""One short email through the SMTP settings, to check them (the Settings screen's "Send test
email"): the same channel the dispatcher would use, with the password given or kept."""

from __future__ import annotations

from typing import Any

from engine.delivery.channels import OutgoingMessage, smtp_account, smtp_channel

SUBJECT = "Campaign Studio test email"
TEXT = "This is a test email from Campaign Studio. Your SMTP settings work."


def send_test_email(settings: dict[str, Any], to: str, password: str | None = None) -> str:
    """Send the test email to `to`; returns a sentence saying where it went. Without a
    password, the keyring's (or CAMPAIGN_STUDIO_SMTP_PASSWORD's) is used when there is a
    login. Raises the channel's DeliveryError with the server's reason when it fails."""
    if settings.get("smtp_username") and password is None:
        from engine.delivery import secrets

        password = secrets.get_password(smtp_account(settings))
    channel = smtp_channel(settings, password if settings.get("smtp_username") else None)
    try:
        channel.send(
            OutgoingMessage(
                key=f"settings-test:{to}",
                channel="email",
                to=to,
                sender=settings.get("sender") or None,
                subject=SUBJECT,
                text=TEXT,
            )
        )
    finally:
        close = getattr(channel, "close", None)
        if callable(close):
            close()
    return f"Sent to {to} through {settings.get('smtp_host')}:{settings.get('smtp_port')}"
