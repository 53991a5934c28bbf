"""What a message that came back is: a hard bounce, a soft bounce (delay, temporary failure),
a spam complaint (ARF feedback report, or a mailbox provider's own complaint format), an
auto-reply, or something else. Which address bounced comes from flufl.bounce, which knows the
formats of many mail servers; the message it answers from its attached copy."""

from __future__ import annotations

import email
import email.message
import hashlib
import logging
import re
from dataclasses import dataclass, field
from email.utils import getaddresses, parseaddr

from flufl.bounce import all_failures

from engine.bounces import verp

# flufl.bounce logs a full traceback when one of its detectors trips over an odd message (and
# goes on with the others): for us that is noise, not an error.
logging.getLogger("flufl.bounce").setLevel(logging.CRITICAL)

HARD, SOFT, COMPLAINT, AUTOREPLY, OTHER = "hard", "soft", "complaint", "autoreply", "other"
_MESSAGE_ID = re.compile(r"^Message-ID:\s*(<[^>\s]+>)", re.I | re.M)
_AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheit|"
    r"absence|vacation|r[ée]ponse automatique|respuesta autom[áa]tica)",
    re.I,
)
MAX_BYTES = 5 * 1024 * 1024  # a bounce bigger than this is not read (anyone can send us mail)


@dataclass
class Verdict:
    kind: str  # hard | soft | complaint | autoreply | other
    addresses: list[str] = field(default_factory=list)  # lower case
    original_message_id: str | None = None  # of the message this answers
    reason: str = ""
    bounce_id: str = ""  # this message's own id (its Message-ID, or a hash of it)
    verp: list[tuple[int, str]] = field(default_factory=list)  # (message id, mac) to verify


def parse(data: bytes) -> email.message.Message:
    return email.message_from_bytes(data[:MAX_BYTES])


def classify(data: bytes) -> Verdict:
    """The verdict on one message (raw bytes as received)."""
    msg = parse(data)
    verdict = _classify(msg, data)
    verdict.verp = verp.candidates(msg)
    return verdict


def _classify(msg: email.message.Message, data: bytes) -> Verdict:
    own_id = str(msg.get("Message-ID") or "").strip()
    bounce_id = own_id or "sha256:" + hashlib.sha256(data[:MAX_BYTES]).hexdigest()[:32]
    original = _original_message_id(msg)
    complaint = _complaint(msg)
    if complaint is not None:
        addresses, reason = complaint
        return Verdict(COMPLAINT, addresses, original, reason, bounce_id)
    try:
        temporary, permanent = all_failures(msg)
    except Exception:  # a detector choking on a malformed message: treat as unknown
        temporary, permanent = set(), set()
    permanent_list = _decoded(permanent)
    if permanent_list:
        return Verdict(HARD, permanent_list, original, _status(msg) or "permanent failure",
                       bounce_id)  # fmt: skip
    temporary_list = _decoded(temporary)
    if temporary_list:
        return Verdict(SOFT, temporary_list, original, _status(msg) or "delayed", bounce_id)
    if _is_autoreply(msg):
        return Verdict(AUTOREPLY, [], original, "automatic reply", bounce_id)
    return Verdict(OTHER, [], original, "not a bounce this program recognises", bounce_id)


def _decoded(addresses: set) -> list[str]:
    out = set()
    for raw in addresses:
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        address = parseaddr(text)[1].strip().lower()
        if "@" in address:
            out.add(address)
    return sorted(out)


def _parts(msg: email.message.Message):
    yield msg
    if msg.is_multipart():
        for part in msg.get_payload() or []:
            if isinstance(part, email.message.Message):
                yield from _parts(part)


def _attached(msg: email.message.Message) -> list[email.message.Message]:
    """The copies of the original message a report carries (whole or headers only)."""
    found = []
    for part in _parts(msg):
        kind = part.get_content_type()
        if kind == "message/rfc822" and part.is_multipart():
            found.extend(p for p in part.get_payload() if isinstance(p, email.message.Message))
        elif kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True) or b""
            found.append(email.message_from_bytes(payload))
    return found


def _original_message_id(msg: email.message.Message) -> str | None:
    for copy in _attached(msg):
        value = str(copy.get("Message-ID") or "").strip()
        if value:
            return value
    own = str(msg.get("Message-ID") or "").strip()
    for part in _parts(msg):  # servers that quote the original headers as text
        if part.get_content_maintype() == "text":
            text = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
            for found in _MESSAGE_ID.findall(text):
                if found != own:
                    return found
    return None


def _complaint(msg: email.message.Message) -> tuple[list[str], str] | None:
    """(addresses, reason) when the message is a spam complaint, else None."""
    for part in _parts(msg):
        if part.get_content_type() != "message/feedback-report":
            continue
        fields = _report_fields(part)
        kind = fields.get("feedback-type", "abuse").lower()
        if kind == "not-spam":
            return None
        addresses = [
            a
            for _, a in getaddresses(
                [fields.get(k, "") for k in ("original-rcpt-to", "removal-recipient")]
            )
            if "@" in a
        ]
        if not addresses:
            addresses = _recipients_of_copy(msg)
        return sorted({a.lower() for a in addresses}), f"feedback report: {kind}"
    subject = str(msg.get("Subject") or "")
    if "complaint about message from" in subject.lower():  # Microsoft JMRP/Hotmail
        addresses = []
        for copy in _attached(msg):
            original = str(copy.get("X-HmXmrOriginalRecipient") or "").strip()
            if original:
                addresses.append(original)
        addresses = addresses or _recipients_of_copy(msg)
        return sorted({a.lower() for a in addresses if "@" in a}), "complaint (Microsoft JMRP)"
    return None


def _report_fields(part: email.message.Message) -> dict[str, str]:
    """The fields of a message/feedback-report part (Python parses it as a message)."""
    fields: dict[str, str] = {}
    sources = part.get_payload() if part.is_multipart() else []
    for source in sources:
        if isinstance(source, email.message.Message):
            for key, value in source.items():
                fields.setdefault(key.lower(), str(value).strip())
    if not fields:
        text = part.get_payload(decode=True) or b""
        for line in text.decode("utf-8", "replace").splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields.setdefault(key.strip().lower(), value.strip())
    return fields


def _recipients_of_copy(msg: email.message.Message) -> list[str]:
    out = []
    for copy in _attached(msg):
        out += [a for _, a in getaddresses([str(copy.get("To") or "")]) if "@" in a]
    return out


def _status(msg: email.message.Message) -> str:
    """The DSN's status and diagnostic, when it has them ("5.1.1 user unknown")."""
    for part in _parts(msg):
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in part.get_payload() or []:
            if isinstance(block, email.message.Message) and block.get("Status"):
                status = str(block.get("Status")).strip()
                diagnostic = str(block.get("Diagnostic-Code") or "").strip()
                return f"{status} {diagnostic}".strip()[:300]
    return ""


def _is_autoreply(msg: email.message.Message) -> bool:
    auto = str(msg.get("Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return True
    if any(msg.get(h) for h in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress")):
        return True
    precedence = " ".join(str(msg.get(h) or "") for h in ("Precedence", "X-Precedence")).lower()
    if "auto_reply" in precedence:
        return True
    return bool(_AUTO_SUBJECT.match(str(msg.get("Subject") or "")))
