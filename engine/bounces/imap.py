"""Reading the bounce mailbox over IMAP: new (unseen) messages in the configured folder are
classified and recorded like `import bounces`, then marked seen, so each is read once. The
password comes from the keyring (account "imap:USER@HOST") or CAMPAIGN_STUDIO_BOUNCE_PASSWORD."""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import logging
import os
import ssl
from typing import Any

from sqlalchemy import Engine

from engine.bounces.record import BounceReport, record

log = logging.getLogger(__name__)
ENVIRONMENT_VARIABLE = "CAMPAIGN_STUDIO_BOUNCE_PASSWORD"
BATCH = 500  # messages per poll; the rest wait for the next one
TIMEOUT = 30


class MailboxError(RuntimeError):
    """The mailbox cannot be reached or refused the login (the sentence says which)."""


def account(settings: dict[str, Any]) -> str:
    return f"imap:{settings.get('bounce_imap_username')}@{settings.get('bounce_imap_host')}"


def password_for(settings: dict[str, Any]) -> str | None:
    from engine.delivery import secrets

    return os.environ.get(ENVIRONMENT_VARIABLE) or secrets.get_password(account(settings))


def configured(settings: dict[str, Any]) -> bool:
    return bool(settings.get("bounce_imap_host") and settings.get("bounce_imap_username"))


def _connect(settings: dict[str, Any]) -> imaplib.IMAP4:
    host = str(settings["bounce_imap_host"])
    security = str(settings.get("bounce_imap_security") or "ssl")
    port = int(settings.get("bounce_imap_port") or (993 if security == "ssl" else 143))
    try:
        if security == "ssl":
            return imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(),
                                     timeout=TIMEOUT)  # fmt: skip
        client = imaplib.IMAP4(host, port, timeout=TIMEOUT)
        if security == "starttls":
            client.starttls(ssl_context=ssl.create_default_context())
        return client
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"cannot reach the bounce mailbox {host}:{port}: {exc}") from None


def poll(engine: Engine, settings: dict[str, Any], password: str | None = None,
         now: dt.datetime | None = None) -> BounceReport:  # fmt: skip
    """Read and record the unseen messages of the bounce mailbox (at most BATCH)."""
    report = BounceReport()
    password = password if password is not None else password_for(settings)
    if not password:
        raise MailboxError(f"no password for the bounce mailbox ({account(settings)}): set it "
                           f"in Settings or in {ENVIRONMENT_VARIABLE}")  # fmt: skip
    client = _connect(settings)
    try:
        try:
            client.login(str(settings["bounce_imap_username"]), password)
        except imaplib.IMAP4.error:
            raise MailboxError(f"the bounce mailbox refused the login of "
                               f"{settings['bounce_imap_username']}") from None  # fmt: skip
        folder = str(settings.get("bounce_imap_folder") or "INBOX")
        status, _ = client.select(_quoted(folder))
        if status != "OK":
            raise MailboxError(f"the bounce mailbox has no folder {folder!r}")
        status, found = client.uid("SEARCH", None, "UNSEEN")
        uids = (found[0] or b"").split() if status == "OK" else []
        for uid in uids[:BATCH]:
            status, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            data = next((p[1] for p in parts or [] if isinstance(p, tuple)), None)
            if status != "OK" or data is None:
                continue
            record(engine, f"imap:{folder}/{uid.decode()}", data, report, now, settings)
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")  # read once
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return report


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class MailboxWatcher:
    """`campaign-studio run`'s bounce-mailbox reader: `tick()` (called often) starts a poll
    in a background thread every `every` seconds; a failure is one log line, tried again."""

    def __init__(self, engine: Engine, settings: dict[str, Any], every: float = 300.0) -> None:
        import threading

        self.engine, self.settings, self.every = engine, settings, max(10.0, every)
        self._next = 0.0
        self._thread: threading.Thread | None = None
        self.last: BounceReport | None = None
        self.last_error: str | None = None

    def tick(self) -> None:
        import threading
        import time

        now = time.monotonic()
        if now < self._next or (self._thread is not None and self._thread.is_alive()):
            return
        self._next = now + self.every
        self._thread = threading.Thread(target=self._poll, name="bounce-mailbox", daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        try:
            self.last = poll(self.engine, self.settings)
            self.last_error = None
            if self.last.read:
                log.info("bounce mailbox: %s", self.last.summary())
        except MailboxError as exc:
            self.last_error = str(exc)
            log.warning("bounce mailbox: %s", exc)
        except Exception as exc:  # a database hiccup: next time
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.warning("bounce mailbox: %s", self.last_error)
