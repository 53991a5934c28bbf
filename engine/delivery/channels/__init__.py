"""Delivery channels behind one interface (`Channel.send`): SMTP email, an HTTP gateway
for SMS and messengers, webhooks, and the offline outbox folder (the default)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.delivery.channels.base import (
    Channel,
    DeliveryError,
    OutgoingMessage,
    PermanentFailure,
    TemporaryFailure,
)
from engine.delivery.channels.http_gateway import HttpGatewayChannel, WebhookChannel
from engine.delivery.channels.outbox import OutboxChannel
from engine.delivery.channels.smtp import SmtpChannel

CHANNEL_NAMES = ("email", "sms", "message", "webhook", "notify")


def build_channels(
    settings: dict[str, Any], outbox: str | Path | None = None
) -> dict[str, Channel]:
    """The channel per message channel name, as the settings say (engine.settings):
    email and notify over SMTP or to the outbox; sms/message through their HTTP gateway or
    to the outbox; webhooks over HTTP."""
    from engine.delivery import secrets

    folder = outbox or settings.get("outbox_path") or None
    if folder is None:
        from engine.paths import user_outbox_path

        folder = user_outbox_path()
    sender = settings.get("sender") or None
    outbox_channel = OutboxChannel(folder, default_sender=sender)
    if settings.get("email_transport") == "smtp":
        username = settings.get("smtp_username") or None
        password = secrets.get_password(smtp_account(settings)) if username else None
        email: Channel = smtp_channel(settings, password)
    else:
        email = outbox_channel
    timeout = float(settings.get("http_timeout") or 10)
    channels: dict[str, Channel] = {"email": email, "notify": email,
                                    "webhook": WebhookChannel(timeout)}  # fmt: skip
    for name, key in (("sms", "sms_gateway"), ("message", "message_gateway")):
        gateway = settings.get(key)
        if isinstance(gateway, dict) and gateway.get("url"):
            channels[name] = HttpGatewayChannel(
                gateway["url"], gateway.get("method", "POST"), gateway.get("headers"),
                gateway.get("body"), timeout,
            )  # fmt: skip
        else:
            channels[name] = outbox_channel
    return channels


def smtp_channel(settings: dict[str, Any], password: str | None) -> SmtpChannel:
    """The SMTP channel the settings describe (host, port, security, login, timeout, CA)."""
    return SmtpChannel(
        host=settings.get("smtp_host") or "localhost",
        port=int(settings.get("smtp_port") or 25),
        security=settings.get("smtp_security") or "none",
        username=settings.get("smtp_username") or None,
        password=password,
        timeout=float(settings.get("smtp_timeout") or 30),
        default_sender=settings.get("sender") or None,
        cafile=settings.get("smtp_cafile") or None,
    )


def smtp_account(settings: dict[str, Any]) -> str:
    """The keyring account of the SMTP password: user@host:port."""
    user, host, port = (settings.get(k) for k in ("smtp_username", "smtp_host", "smtp_port"))
    return f"smtp:{user}@{host}:{port}"


__all__ = [
    "CHANNEL_NAMES",
    "Channel",
    "DeliveryError",
    "HttpGatewayChannel",
    "OutboxChannel",
    "OutgoingMessage",
    "PermanentFailure",
    "SmtpChannel",
    "TemporaryFailure",
    "WebhookChannel",
    "build_channels",
    "smtp_account",
    "smtp_channel",
]
