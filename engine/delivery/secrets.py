"""Passwords (the SMTP login's) kept out of campaign files and out of the database: in the
OS keyring where there is one; where there is none, in memory for this session only, or
from an environment variable for headless workers. Never written to disk by us."""

from __future__ import annotations

import contextlib
import os

from engine.i18n import _

SERVICE = "campaign-studio"
# Headless workers (`campaign-studio run` on a server with no keyring) read the password here.
ENVIRONMENT_VARIABLE = "CAMPAIGN_STUDIO_SMTP_PASSWORD"
_session: dict[str, str] = {}


def keyring_available() -> bool:
    """True when a real keyring backend exists (not keyring's 'fail' or 'null' backends)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(backend, fail.Keyring):
        return False
    return "null" not in type(backend).__module__ and getattr(backend, "priority", 1) > 0


def set_password(account: str, password: str) -> str:
    """Keep a password; returns where: "keyring", or "session" (memory only, gone when the
    program exits — the user is asked again, or sets CAMPAIGN_STUDIO_SMTP_PASSWORD)."""
    if keyring_available():
        import keyring

        try:
            keyring.set_password(SERVICE, account, password)
            _session.pop(account, None)
            return "keyring"
        except Exception:  # a locked or broken keyring: fall back rather than lose it
            pass
    _session[account] = password
    return "session"


def get_password(account: str) -> str | None:
    """The password for `account`: this session's, the keyring's, then the environment's."""
    if account in _session:
        return _session[account]
    if keyring_available():
        import keyring

        try:
            found = keyring.get_password(SERVICE, account)
        except Exception:
            found = None
        if found is not None:
            return found
    return os.environ.get(ENVIRONMENT_VARIABLE) or None


def delete_password(account: str) -> None:
    _session.pop(account, None)
    if keyring_available():
        import keyring

        with contextlib.suppress(Exception):
            keyring.delete_password(SERVICE, account)


def storage_description() -> str:
    """One sentence for the settings dialog: where a password typed now will be kept."""
    if keyring_available():
        return _("The password is kept in the system keyring.")
    return _(
        "No system keyring is available: the password is kept in memory until the program "
        "closes. For a headless worker set {variable}."
    ).format(variable=ENVIRONMENT_VARIABLE)
