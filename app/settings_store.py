"""The settings screen's access to engine.settings and engine.delivery.secrets (flat keys such as
smtp_host, sms_gateway), with a stand-in of the same shape if engine.settings is missing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, delete, insert, select

from engine.db.schema import settings as settings_table

# Keys the window adds to engine.settings' own (they carry no password).
SCREEN_DEFAULTS: dict[str, Any] = {
    "senders": [],  # [{"name", "email"}]; the first is also written as "sender"
    "quiet_hours": None,  # ["21:00", "08:00"]: default for campaigns without their own
    "frequency_cap": None,  # {"count": 3, "per": "P1D"}
    "theme": "light",
}
FALLBACK_DEFAULTS: dict[str, Any] = {
    "email_transport": "outbox",
    "smtp_host": "localhost",
    "smtp_port": 25,
    "smtp_security": "none",
    "smtp_username": "",
    "sender": "Campaign Studio <campaigns@localhost>",
    "sms_gateway": None,
    "message_gateway": None,
    "rate_limit": 0,
}


def load_settings(engine: Engine) -> dict[str, Any]:
    try:
        from engine.settings import load_settings as engine_load
    except ImportError:
        with engine.connect() as conn:
            stored = {row.key: row.value for row in conn.execute(select(settings_table))}
        return {**SCREEN_DEFAULTS, **FALLBACK_DEFAULTS, **stored}
    return {**SCREEN_DEFAULTS, **engine_load(engine)}


def save_settings(engine: Engine, values: dict[str, Any]) -> None:
    """Store these settings; engine.settings refuses anything that looks like a password."""
    try:
        from engine.settings import save_settings as engine_save
    except ImportError:
        with engine.begin() as conn:
            conn.execute(delete(settings_table).where(settings_table.c.key.in_(list(values))))
            conn.execute(
                insert(settings_table), [{"key": k, "value": v} for k, v in values.items()]
            )
        return
    engine_save(engine, values)


def smtp_account(values: dict[str, Any]) -> str:
    """The keyring account the delivery channel reads the SMTP password from."""
    try:
        from engine.delivery.channels import smtp_account as engine_account
    except ImportError:
        user, host, port = (values.get(k) for k in ("smtp_username", "smtp_host", "smtp_port"))
        return f"smtp:{user}@{host}:{port}"
    return engine_account(values)


def store_smtp_password(values: dict[str, Any], password: str) -> str:
    """Keep the password in the keychain; returns where it went ("keyring" or "session")."""
    try:
        from engine.delivery import secrets
    except ImportError:
        import keyring

        keyring.set_password("campaign-studio", smtp_account(values), password)
        return "keyring"
    return secrets.set_password(smtp_account(values), password)


def smtp_password(values: dict[str, Any]) -> str | None:
    try:
        from engine.delivery import secrets
    except ImportError:
        try:
            import keyring

            return keyring.get_password("campaign-studio", smtp_account(values))
        except Exception:
            return None
    return secrets.get_password(smtp_account(values))


def keyring_in_use() -> bool:
    """True when a password saved now goes to a real system keyring."""
    try:
        from engine.delivery.secrets import keyring_available
    except ImportError:
        return True
    return keyring_available()


def password_placeholder(where: str) -> str:
    """What the password field says about a kept password: "keyring" or "session"."""
    if where == "keyring":
        return "stored in the keychain"
    return "kept in memory until the program closes (no keychain)"


def password_storage_note() -> str:
    try:
        from engine.delivery.secrets import storage_description
    except ImportError:
        return "The password is kept in the system keychain, never in the database."
    return storage_description() + " It is never stored in the database."
