"""The settings screen's access to engine.settings (one DEFAULTS, flat keys such as smtp_host,
sms_gateway) and to the keyring (engine.delivery.secrets) for the SMTP password."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from engine.delivery import secrets
from engine.delivery.channels import smtp_account
from engine.settings import load_settings, save_settings  # stored values over one DEFAULTS


def store_smtp_password(values: dict[str, Any], password: str) -> str:
    """Keep the password in the keychain; returns where it went ("keyring" or "session")."""
    return secrets.set_password(smtp_account(values), password)


def smtp_password(values: dict[str, Any]) -> str | None:
    return secrets.get_password(smtp_account(values))


def keyring_in_use() -> bool:
    """True when a password saved now goes to a real system keyring."""
    return secrets.keyring_available()


def password_placeholder(where: str) -> str:
    """What the password field says about a kept password: "keyring" or "session"."""
    if where == "keyring":
        return "stored in the keychain"
    return "kept in memory until the program closes (no keychain)"


def password_storage_note() -> str:
    never = QCoreApplication.translate("settings_store", "It is never stored in the database.")
    return secrets.storage_description() + " " + never


__all__ = [
    "keyring_in_use",
    "load_settings",
    "password_placeholder",
    "password_storage_note",
    "save_settings",
    "smtp_account",
    "smtp_password",
    "store_smtp_password",
]
