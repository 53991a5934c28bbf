"""Delivery settings, kept in the database's `settings` table (one JSON value per key).
Passwords are never stored here: they live in the OS keyring (engine.delivery.secrets)."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select

from engine.db.schema import settings as settings_table
from engine.delivery.unsubscribe import SECRET_KEY

DEFAULTS: dict[str, Any] = {
    "email_transport": "outbox",  # outbox (a folder of .eml files, no server) | smtp
    "smtp_host": "localhost",
    "smtp_port": 25,
    "smtp_security": "none",  # none | starttls | ssl
    "smtp_username": "",
    "smtp_timeout": 30,
    "smtp_cafile": "",  # a CA bundle for a relay with a private certificate ("": the system's)
    "sender": "Campaign Studio <campaigns@localhost>",  # From when a message names none
    "outbox_path": "",  # empty: the outbox folder in the user data folder
    # {"url", "method", "headers", "body" (a Jinja2 template)}; None: written to the outbox
    "sms_gateway": None,
    "message_gateway": None,
    "http_timeout": 10,
    "rate_limit": 0,  # messages per minute per campaign; 0: no limit
    "max_attempts": 6,  # tries before a temporary failure becomes a failure
    "retry_base_seconds": 60,  # backoff: base × 2^(attempt-1), capped below
    "retry_max_seconds": 3600,
    "batch_size": 200,
    # "{token}" is replaced by the signed token; "": public_url + "/u/{token}"
    "unsubscribe_url": "",
    "unsubscribe_mailto": "",  # an address for mailto: List-Unsubscribe ("" for none)
    "tick_seconds": 5.0,
    # How long a SQLite write waits for another program's lock before it fails (engine.db)
    "sqlite_busy_timeout": 30.0,
    # Days a delivered message keeps its rendered text (engine.retention); 0: forever.
    "message_retention_days": 30,
    # The public endpoint (`serve`; docs/public-endpoint.md). https, except on 127.0.0.1.
    "public_url": "http://127.0.0.1:8765",
    "track_opens": True,  # an open pixel in HTML email (a campaign's settings may say false)
    "track_clicks": True,  # links go through /c/… (a campaign's settings may say false)
    "utm_source": "campaign-studio",  # added to tracked links (utm_campaign: the campaign's)
    "utm_medium": "email",
    "public_max_body": 65536,  # bytes a request may send to the public endpoint
    "public_timeout": 10,  # seconds a client has to send its request
    "forms": {},  # web-to-lead forms: {"name": {"redirect": URL, "tags": [...]}}
    "form_rate_limit": 10,  # form posts per minute from one address
    "late_event_days": 30,  # an event older than this on arrival is kept but triggers nothing
    # Bounces and complaints: an IMAP mailbox the worker reads (password in the keyring).
    "bounce_imap_host": "",  # "" for none
    "bounce_imap_port": 993,
    "bounce_imap_security": "ssl",  # ssl | starttls | none
    "bounce_imap_username": "",
    "bounce_imap_folder": "INBOX",
    "bounce_poll_seconds": 300,  # how often `run` reads the bounce mailbox
    "soft_bounce_limit": 3,  # soft bounces within soft_bounce_days make a contact bounced
    "soft_bounce_days": 30,
    # VERP: the envelope sender becomes LOCAL+ID-MAC@DOMAIN of this address, so a bounce finds
    # its message exactly ("": the From address, and bounces are matched by Message-ID).
    "bounce_address": "",
    # Workspace defaults for campaigns that set none of their own (the Settings screen)
    "quiet_hours": None,  # ["21:00", "08:00"]
    "frequency_cap": None,  # {"count": 3, "per": "P1D"}
    "senders": [],  # [{"name", "email"}]; the first is also written as "sender"
    "theme": "light",  # the window's canvas theme: light | dark
    "phone_region": "",  # country of phone numbers written without +CC (e.g. "DE"); "": none
    "import_presets": {},  # saved import column mappings: {"name": {"column": "field"}}
}
FORBIDDEN_WORDS = ("password", "passwd")


class SettingsError(ValueError):
    """A setting that may not be stored (a password) or has the wrong type."""


def load_settings(engine: Engine | Connection) -> dict[str, Any]:
    """Every setting: stored values over the defaults (the signing secret left out)."""
    if isinstance(engine, Engine):
        with engine.connect() as conn:
            return load_settings(conn)
    stored = dict(engine.execute(select(settings_table.c.key, settings_table.c.value)).all())
    stored.pop(SECRET_KEY, None)
    return {**DEFAULTS, **stored}


def save_settings(engine: Engine, values: dict[str, Any]) -> None:
    """Store these settings (others untouched). Refuses passwords and wrongly typed values."""
    for key, value in values.items():
        if key == SECRET_KEY or any(word in key.lower() for word in FORBIDDEN_WORDS):
            raise SettingsError(
                f"setting {key!r} may not be stored in the database; "
                "passwords go to the keyring (engine.delivery.secrets.set_password)"
            )
        if _not_finite(value):
            raise SettingsError(f"setting {key!r}: {value!r} is not a finite number")
        default = DEFAULTS.get(key)
        if default is not None and value is not None and not _same_kind(default, value):
            raise SettingsError(f"setting {key!r} must be {type(default).__name__}, got {value!r}")
    with engine.begin() as conn:
        keys = list(values)
        if keys:
            conn.execute(delete(settings_table).where(settings_table.c.key.in_(keys)))
            rows = [{"key": k, "value": v} for k, v in values.items()]
            conn.execute(insert(settings_table), rows)


def _not_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        value = list(value.values())
    return isinstance(value, list) and any(_not_finite(v) for v in value)


def _same_kind(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, type(default))
