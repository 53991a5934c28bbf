"""Email over SMTP: one connection reused for a whole batch (reconnecting when the server
drops it), STARTTLS or SSL, login with the password from engine.delivery.secrets."""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from email.utils import parseaddr
from functools import lru_cache

from engine.addresses import ascii_email, needs_smtputf8
from engine.delivery.channels.base import (
    Channel,
    HandedOver,
    InDoubt,
    OutgoingMessage,
    PermanentFailure,
    TemporaryFailure,
)
from engine.delivery.mime import build_email

_LEADING_DOT = re.compile(rb"(?m)^\.")
_UNSAFE = re.compile(r"[\s<>]")  # would break (or inject into) the MAIL/RCPT command
# Reply codes that mean "this recipient does not exist / refuses mail": a bounce.
BOUNCE_CODES = frozenset({550, 551, 553, 554})


@lru_cache(maxsize=256)
def _parsed_address(value: str) -> str:
    return parseaddr(value)[1]


def bare_address(value: str) -> str:
    """The address alone ("Shop <shop@x>" → "shop@x"); plain addresses skip the parser."""
    value = value.strip()
    if "<" not in value and " " not in value and '"' not in value and "," not in value:
        return value
    return _parsed_address(value)


def failure(code: int, text: str, recipient: bool = False) -> TemporaryFailure | PermanentFailure:
    """An SMTP reply code as our failure: 4xx temporary, 5xx permanent (a bounce when the
    recipient was refused)."""
    reason = f"SMTP {code}: {text}".strip()
    if 400 <= code < 500:
        return TemporaryFailure(reason, code)
    # RFC 3463: 5.1.x is a bad destination address, whenever it is said; other refusals
    # after DATA (5.7.1 content, policy) are about the message, not the address.
    bounce = (recipient and code in BOUNCE_CODES) or text.startswith("5.1.")
    return PermanentFailure(reason, code, bounce=bounce)


def _nothing() -> None:
    pass


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


class SmtpChannel(Channel):
    """SMTP delivery. `security` is "none", "starttls" or "ssl"."""

    name = "smtp"

    def __init__(self, host: str = "localhost", port: int = 25, security: str = "none",
                 username: str | None = None, password: str | None = None,
                 timeout: float = 30.0, local_hostname: str | None = None,
                 default_sender: str | None = None, cafile: str | None = None) -> None:  # fmt: skip
        if security not in ("none", "starttls", "ssl"):
            raise ValueError(f"smtp security must be none, starttls or ssl, not {security!r}")
        self.host, self.port, self.security = host, int(port), security
        self.username, self.password = username or None, password
        self.timeout, self.local_hostname = timeout, local_hostname
        self.default_sender = default_sender
        self.cafile = cafile or None  # a private CA (a company relay); None: the system's
        self._conn: smtplib.SMTP | None = None
        self.connections = 0  # how many connections were opened (tests, benchmarks)

    # ---- the connection ---------------------------------------------------------------

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.security == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout,
                    local_hostname=self.local_hostname, context=self._tls(),
                )  # fmt: skip
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout,
                                    local_hostname=self.local_hostname)  # fmt: skip
            conn.ehlo_or_helo_if_needed()
            if self.security == "starttls":
                conn.starttls(context=self._tls())
                conn.ehlo()
            if self.username:
                if self.password is None:
                    raise TemporaryFailure(
                        f"no password for SMTP login {self.username!r} (set it in the settings "
                        "or CAMPAIGN_STUDIO_SMTP_PASSWORD)", unreachable=True)  # fmt: skip
                conn.login(self.username, self.password)
        except smtplib.SMTPAuthenticationError as exc:
            # The account, not the message: keep the messages queued, retried later.
            raise TemporaryFailure(f"SMTP login refused: {exc.smtp_code} {_text(exc.smtp_error)}",
                                   exc.smtp_code, unreachable=True) from None  # fmt: skip
        except smtplib.SMTPResponseException as exc:
            raise TemporaryFailure(f"SMTP server refused the session: {exc.smtp_code} "
                                   f"{_text(exc.smtp_error)}", exc.smtp_code,
                                   unreachable=True) from None  # fmt: skip
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"cannot reach SMTP server {self.host}:{self.port}: {exc}",
                                   unreachable=True) from None  # fmt: skip
        self.connections += 1
        return conn

    def _tls(self) -> ssl.SSLContext:
        """Certificates are always verified (against `cafile` when given)."""
        return ssl.create_default_context(cafile=self.cafile)

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    # ---- sending ----------------------------------------------------------------------

    def send(self, message: OutgoingMessage, handed_over: HandedOver | None = None) -> None:
        sender = message.sender or self.default_sender or ""
        if not message.sender:
            message.sender = sender
        from_address = bare_address(sender) if sender else ""
        # VERP (the bounce_address setting): the envelope names this message for its bounces.
        from_address = message.headers.get("envelope_from") or from_address
        to_address = bare_address(message.to)
        if "\r" in message.to or "\n" in message.to:
            raise PermanentFailure(f"not an email address: {message.to!r}")
        if not to_address or "@" not in to_address or _UNSAFE.search(to_address):
            raise PermanentFailure(f"not an email address: {message.to!r}")
        if _UNSAFE.search(from_address):
            raise PermanentFailure(f"not an email address: {sender!r}")
        # An internationalised domain goes as IDNA (xn--); a non-ASCII name before the @
        # needs a server that offers SMTPUTF8 (RFC 6531).
        utf8 = needs_smtputf8(to_address) or needs_smtputf8(from_address)
        if not utf8:
            ascii_to, ascii_from = ascii_email(to_address), ascii_email(from_address)
            message.to = message.to.replace(to_address, ascii_to)
            message.sender = sender.replace(from_address, ascii_from) if sender else sender
            to_address, from_address = ascii_to, ascii_from
        data = build_email(message)
        for attempt in (1, 2):
            reused = self._conn is not None
            if self._conn is None:
                self._conn = self._connect()
            if utf8 and not self._conn.has_extn("smtputf8"):
                raise PermanentFailure(
                    f"{to_address if needs_smtputf8(to_address) else from_address} is an "
                    f"internationalised address and the SMTP server {self.host} does not offer "
                    "SMTPUTF8, which it needs: not sent"
                )
            state = {"dot_sent": False}

            def dot_sent(state=state) -> None:
                state["dot_sent"] = True

            try:
                self._transaction(self._conn, from_address, to_address, data, dot_sent,
                                  handed_over or _nothing, utf8)  # fmt: skip
                return
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                self._drop()
                if state["dot_sent"]:
                    # The server has the whole message but never said 250: it accepted
                    # nothing (RFC 5321). Retry it, counted as in doubt (docs/delivery.md).
                    raise InDoubt(f"in doubt: connection lost after the final dot, before "
                                  f"the server's reply ({exc}); retried") from None  # fmt: skip
                if reused and attempt == 1:
                    continue  # a stale kept-alive connection: reconnect once
                raise TemporaryFailure(f"SMTP connection lost: {exc}",
                                       unreachable=True) from None  # fmt: skip

    def _transaction(self, conn: smtplib.SMTP, sender: str, to: str, data: bytes,
                     dot_sent: HandedOver, handed_over: HandedOver,
                     utf8: bool = False) -> None:  # fmt: skip
        """MAIL, RCPT, DATA by hand (as smtplib.sendmail does): `dot_sent` once the final
        "." is written (from then on a lost connection leaves the message in doubt),
        `handed_over` at the server's 250 — the only moment it is accepted (RFC 5321)."""
        conn.command_encoding = "utf-8" if utf8 else "ascii"
        options = " SMTPUTF8" + (" BODY=8BITMIME" if conn.has_extn("8bitmime") else "")
        conn.putcmd("mail", f"FROM:<{sender}>" + (options if utf8 else ""))
        code, reply = conn.getreply()
        if code != 250:
            self._reset(conn)
            raise failure(code, _text(reply))
        conn.putcmd("rcpt", f"TO:<{to}>")
        code, reply = conn.getreply()
        if code not in (250, 251):
            self._reset(conn)
            raise failure(code, _text(reply), recipient=True)
        conn.putcmd("data")
        code, reply = conn.getreply()
        if code != 354:
            self._reset(conn)
            raise failure(code, _text(reply))
        payload = _LEADING_DOT.sub(b"..", data)
        if not payload.endswith(b"\r\n"):
            payload += b"\r\n"
        conn.send(payload + b".\r\n")
        dot_sent()
        code, reply = conn.getreply()
        if code != 250:
            raise failure(code, _text(reply))
        handed_over()

    @staticmethod
    def _reset(conn: smtplib.SMTP) -> None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            conn.rset()
