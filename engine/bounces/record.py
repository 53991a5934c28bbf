"""Recording what came back: each verdict is matched to the message it answers (by the
original Message-ID, else the latest email sent to that address) and applied — a hard bounce
makes the contact `bounced`, soft bounces do past `soft_bounce_limit` within
`soft_bounce_days`, a complaint unsubscribes. The same bounce read twice counts once."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from engine.bounces import verp
from engine.bounces.classify import COMPLAINT, HARD, SOFT, Verdict, classify
from engine.db.schema import campaigns, contacts, events, messages
from engine.delivery.unsubscribe import database_secret

EVENT = {HARD: "bounced", SOFT: "soft_bounced", COMPLAINT: "complained"}
CANDIDATES = 200  # recent emails to one address searched for the Message-ID


class BounceSourceError(ValueError):
    """A path that is not a Maildir, an mbox file, a folder of .eml files or an .eml file."""


@dataclass
class BounceReport:
    read: int = 0
    hard: int = 0
    soft: int = 0
    complaints: int = 0
    autoreplies: int = 0
    ignored: int = 0  # not a bounce
    unknown: int = 0  # a bounce for an address no contact has
    duplicates: int = 0  # read before
    bounced: int = 0  # contacts newly marked bounced
    unsubscribed: int = 0  # contacts newly unsubscribed by a complaint
    items: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def summary(self) -> str:
        return (
            f"{self.read} read: {self.hard} hard bounces, {self.soft} soft, "
            f"{self.complaints} complaints, {self.autoreplies} auto-replies, "
            f"{self.ignored} not bounces, {self.unknown} for unknown addresses, "
            f"{self.duplicates} read before; {self.bounced} contacts now bounced, "
            f"{self.unsubscribed} unsubscribed"
        )


def read_source(path: str | Path) -> Iterator[tuple[str, bytes]]:
    """(name, raw bytes) of each message at `path`: a Maildir folder (cur/new), an mbox file,
    a folder of .eml files, or one .eml file."""
    path = Path(path)
    if path.is_dir():
        if (path / "cur").is_dir() or (path / "new").is_dir():
            box = mailbox.Maildir(str(path), factory=None, create=False)
            for key in sorted(box.keys()):
                yield f"{path.name}/{key}", box.get_bytes(key)
            return
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        if not files:
            raise BounceSourceError(f"{path}: an empty folder (expected .eml files or a Maildir)")
        for file in files:
            yield file.name, file.read_bytes()
        return
    if not path.exists():
        raise BounceSourceError(f"{path}: no such file or folder")
    with path.open("rb") as handle:
        head = handle.read(5)
    if head == b"From ":
        box = mailbox.mbox(str(path), factory=None, create=False)
        for index, key in enumerate(box.keys(), 1):
            yield f"{path.name}#{index}", box.get_bytes(key)
        return
    yield path.name, path.read_bytes()


def import_bounces(
    engine: Engine,
    path: str | Path,
    now: dt.datetime | None = None,
    settings: dict[str, Any] | None = None,
) -> BounceReport:
    """Read every message at `path` and record what it says (see the module docstring)."""
    report = BounceReport()
    for name, data in read_source(path):
        record(engine, name, data, report, now, settings)
    return report


def record(
    engine: Engine,
    name: str,
    data: bytes,
    report: BounceReport,
    now: dt.datetime | None = None,
    settings: dict[str, Any] | None = None,
) -> None:
    """Classify one message and apply it (one transaction)."""
    from engine.settings import load_settings

    settings = settings if settings is not None else load_settings(engine)
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    verdict = classify(data)
    report.read += 1
    item: dict[str, Any] = {
        "message": name,
        "kind": verdict.kind,
        "addresses": verdict.addresses,
        "reason": verdict.reason,
        "results": [],
    }
    report.items.append(item)
    if verdict.kind not in EVENT:
        if verdict.kind == "autoreply":
            report.autoreplies += 1
        else:
            report.ignored += 1
        return
    counter = {HARD: "hard", SOFT: "soft", COMPLAINT: "complaints"}[verdict.kind]
    setattr(report, counter, getattr(report, counter) + 1)
    with engine.begin() as conn:
        for address in verdict.addresses:
            item["results"].append(_apply(conn, verdict, address, now, settings, report))


def _apply(
    conn: Connection,
    verdict: Verdict,
    address: str,
    now: dt.datetime,
    settings: dict[str, Any],
    report: BounceReport,
) -> dict[str, Any]:
    contact = conn.execute(
        select(contacts.c.id, contacts.c.bounced, contacts.c.unsubscribed).where(
            func.lower(contacts.c.email) == address
        )
    ).first()
    if contact is None:
        report.unknown += 1
        return {"address": address, "result": "no contact has this address"}
    name = EVENT[verdict.kind]
    seen = (
        conn.execute(
            select(events.c.properties).where(
                events.c.contact_id == contact.id, events.c.name.in_(list(EVENT.values()))
            )
        )
        .scalars()
        .all()
    )
    if any((p or {}).get("bounce_id") == verdict.bounce_id for p in seen):
        report.duplicates += 1
        return {"address": address, "contact": contact.id, "result": "read before"}
    message = _verp_message(conn, verdict, address)
    if message is None:
        message = find_message(conn, address, verdict.original_message_id, settings)
    campaign_id = message.campaign_id if message is not None else None
    node_id = message.node_id if message is not None else None
    campaign_name = None
    if campaign_id is not None:
        campaign_name = conn.scalar(select(campaigns.c.name).where(campaigns.c.id == campaign_id))
    properties = {
        "campaign": campaign_name,
        "node": node_id,
        "bounce_id": verdict.bounce_id,
        "reason": verdict.reason[:300],
        "kind": verdict.kind,
    }
    row = {
        "contact_id": contact.id,
        "occurred_at": now,
        "campaign_id": campaign_id,
        "node_id": node_id,
        "message_id": message.id if message is not None else None,
    }
    conn.execute(insert(events), {**row, "name": name, "properties": properties})
    result = {
        "address": address,
        "contact": contact.id,
        "campaign": campaign_name,
        "node": node_id,
        "result": name,
    }
    becomes_bounced = verdict.kind == HARD or (
        verdict.kind == SOFT and _soft_limit_reached(conn, contact.id, now, settings)
    )
    if becomes_bounced and not contact.bounced:
        conn.execute(
            update(contacts).where(contacts.c.id == contact.id).values(bounced=True, updated_at=now)
        )
        report.bounced += 1
        if verdict.kind == SOFT:  # the soft bounce that crossed the limit is the bounce
            limit = {**properties, "kind": "soft", "reason": "soft bounce limit reached"}
            conn.execute(insert(events), {**row, "name": "bounced", "properties": limit})
        result["result"] = "bounced"
    if verdict.kind == COMPLAINT and not contact.unsubscribed:
        conn.execute(
            update(contacts)
            .where(contacts.c.id == contact.id)
            .values(unsubscribed=True, updated_at=now)
        )
        report.unsubscribed += 1
        result["result"] = "complained: unsubscribed"
    return result


def _soft_limit_reached(
    conn: Connection, contact_id: int, now: dt.datetime, settings: dict[str, Any]
) -> bool:
    limit = int(settings.get("soft_bounce_limit") or 0)
    if limit <= 0:
        return False
    since = now - dt.timedelta(days=float(settings.get("soft_bounce_days") or 30))
    count = conn.scalar(
        select(func.count())
        .select_from(events)
        .where(
            events.c.contact_id == contact_id,
            events.c.name == "soft_bounced",
            events.c.occurred_at > since,
        )
    )
    return int(count or 0) >= limit


def _verp_message(conn: Connection, verdict: Verdict, address: str) -> Any | None:
    """The message a VERP envelope address names (its MAC checked), if it went to `address`."""
    if not verdict.verp:
        return None
    message_id = verp.verified(database_secret(conn), verdict.verp)
    if message_id is None:
        return None
    row = conn.execute(
        select(messages.c.id, messages.c.key, messages.c.campaign_id, messages.c.node_id,
               messages.c.to_address).where(messages.c.id == message_id)
    ).first()  # fmt: skip
    if row is None or (row.to_address or "").lower() != address:
        return None
    return row


def find_message(
    conn: Connection, address: str, original_message_id: str | None, settings: dict[str, Any]
) -> Any | None:
    """The email this bounce answers: the one whose Message-ID it quotes (ours are an HMAC
    of the delivery key, engine/delivery/mime.message_id), else the latest sent to it."""
    rows = conn.execute(
        select(messages.c.id, messages.c.key, messages.c.campaign_id, messages.c.node_id)
        .where(
            messages.c.channel == "email",
            func.lower(messages.c.to_address) == address,
            messages.c.status.in_(("sent", "sending", "failed")),
        )
        .order_by(messages.c.id.desc())
        .limit(CANDIDATES)
    ).all()
    if not rows:
        return None
    wanted = (original_message_id or "").strip().strip("<>").partition("@")[0].lower()
    if wanted:
        secret = database_secret(conn)
        for row in rows:
            digest = hmac.new(
                secret, b"message-id\0" + row.key.encode(), hashlib.sha256
            ).hexdigest()[:32]
            if hmac.compare_digest(digest, wanted):
                return row
    return rows[0]
