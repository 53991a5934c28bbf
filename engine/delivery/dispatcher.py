"""The dispatcher: claims queued messages that are due, sends them through their channel,
and records the outcome — sent (with the engine event), retried with backoff, failed,
suppressed or bounced. See docs/delivery.md for how a crash is handled."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from engine.bounces.verp import envelope_sender
from engine.clock import Clock, SystemClock
from engine.db.schema import campaigns, contacts, events, messages
from engine.delivery.channels.base import (
    Channel,
    InDoubt,
    OutgoingMessage,
    PermanentFailure,
    TemporaryFailure,
)
from engine.delivery.handover import HandoverJournal, journal_folder
from engine.delivery.mime import message_id
from engine.delivery.unsubscribe import (
    engine_secret,
    list_unsubscribe_headers,
    make_token,
    unsubscribe_url,
)
from engine.public.tokens import MessageToken
from engine.public.tracking import Tracking, fill_view_url, instrument, unsubscribe_pattern
from engine.settings import load_settings

log = logging.getLogger(__name__)
SENT_EVENT = {"email": "email_sent", "sms": "sms_sent", "message": "message_sent"}
CONTACT_CHANNELS = ("email", "sms", "message")  # suppression applies to these
# A "sending" row whose lease ran out is a dead worker's (when its pid cannot be checked:
# another host). A dead worker's journal is stale after half of it, so it is always read
# before that worker's rows are sent again.
LEASE = dt.timedelta(minutes=15)
COMMIT_TRIES = 40  # a message already out must be recorded: keep trying through locks
OWNER_PREFIX = "sending by "


@dataclass
class DispatchReport:
    """What one dispatch round did."""

    sent: int = 0
    retried: int = 0  # temporary failures put back in the queue
    failed: int = 0
    suppressed: int = 0
    bounced: int = 0
    recovered: int = 0  # "sending" rows of a dead worker put back in the queue
    in_doubt: int = 0  # sent, but the server's reply never came: retried (also in retried)
    batches: int = 0
    stopped_early: str | None = None  # why the round ended before the queue was empty

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or getattr(exc, "strerror", None) or exc)


def backoff(attempts: int, base: float, cap: float) -> dt.timedelta:
    """Exponential: base, 2×base, 4×base… capped."""
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _alive(pid: int) -> bool:
    if os.name == "nt":  # no cheap safe check: wait for the lease instead
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Dispatcher:
    """Sends queued messages. `channels` maps a message channel (email, sms, message,
    webhook, notify) to a Channel; `settings` defaults to engine.settings.load_settings."""

    def __init__(self, engine: Engine, channels: dict[str, Channel], clock: Clock | None = None,
                 settings: dict[str, Any] | None = None,
                 batch_size: int | None = None) -> None:  # fmt: skip
        self.engine = engine
        self.channels = channels
        self.clock = clock or SystemClock()
        settings = settings if settings is not None else load_settings(engine)
        self.max_attempts = max(1, int(settings.get("max_attempts") or 6))
        self.retry_base = float(settings.get("retry_base_seconds") or 60)
        self.retry_max = float(settings.get("retry_max_seconds") or 3600)
        self.rate_limit = int(settings.get("rate_limit") or 0)
        self.batch_size = int(batch_size or settings.get("batch_size") or 200)
        self.unsubscribe_pattern = unsubscribe_pattern(settings)  # or public_url + /u/{token}
        self.unsubscribe_mailto = settings.get("unsubscribe_mailto") or None
        self.default_sender = settings.get("sender") or None
        self.bounce_address = str(settings.get("bounce_address") or "").strip()
        self.tracking = Tracking.from_settings(settings)  # open pixel and click links
        self._campaign_settings: dict[int, dict[str, Any]] = {}
        self.host, self.pid = socket.gethostname(), os.getpid()
        self.owner = f"{OWNER_PREFIX}{self.host}:{self.pid}:{id(self):x}"
        self._stop = threading.Event()
        # Handed over while the journal could not be written (disk full): kept here, never
        # requeued, recorded as soon as something can be written; no sending until then.
        self.unrecorded: list[tuple[Any, dt.datetime]] = []
        self.cannot_record: str | None = None
        self._lock = threading.Lock()
        self._secret: bytes | None = None
        self._names: dict[int, str] = {}
        where = journal_folder(engine)
        self.journal = HandoverJournal(*where, f"{id(self):x}") if where else None

    def stop(self) -> None:
        """End a running dispatch after the message in hand, and refuse new ones until
        `reset()` (thread-safe: a signal handler may call it at any moment)."""
        self._stop.set()

    def reset(self) -> None:
        self._stop.clear()

    # ---- the round --------------------------------------------------------------------

    def dispatch(self, limit: int | None = None) -> DispatchReport:
        """Send every due message (at most `limit`), batch by batch, over kept-open
        channel connections; returns what happened."""
        with self._lock:
            report = DispatchReport()
            if self.unrecorded and not self._record_unrecorded():
                # Sent, but neither the journal nor the database can take it (disk full):
                # sending more would only add messages we cannot record.
                report.stopped_early = self.cannot_record
                log.error("not sending: %s", self.cannot_record)
                return report
            self.cannot_record = None
            report.recovered = self.recover()
            if self._secret is None:
                self._secret = engine_secret(self.engine)
            try:
                with self.engine.connect() as conn:
                    with conn.begin():
                        names = conn.execute(
                            select(campaigns.c.id, campaigns.c.name, campaigns.c.definition)
                        ).all()
                    self._names = {row.id: row.name for row in names}
                    self._campaign_settings = {
                        row.id: (row.definition or {}).get("settings") or {} for row in names
                    }
                    while not self._stop.is_set():
                        room = None if limit is None else limit - report.sent - report.failed
                        if room is not None and room <= 0:
                            report.stopped_early = "limit"
                            break
                        size = self.batch_size if room is None else min(room, self.batch_size)
                        batch = self._claim(conn, size, report)
                        if batch is None:
                            continue
                        if not batch:
                            break
                        report.batches += 1
                        if not self._send_batch(conn, batch, report) or self.cannot_record:
                            break
                if self._stop.is_set() and not report.stopped_early:
                    report.stopped_early = "stopped"
            finally:
                for channel in {id(c): c for c in self.channels.values()}.values():
                    channel.close()
                if self.journal is not None:
                    self.journal.close()
            return report

    def _record_unrecorded(self) -> bool:
        """Record the messages handed over while nothing could be written (kept in memory
        meanwhile); False while that is still impossible."""
        try:
            with self.engine.connect() as conn:
                self._write(conn, *self._sent_statements(self.unrecorded))
        except (OperationalError, OSError) as exc:
            if self.journal is None:
                self.cannot_record = f"cannot record sent messages: {_reason(exc)}"
                return False
            try:  # the journal will do: a later round (or worker) records it
                for row, when in self.unrecorded:
                    self.journal.write(self.journal.line(row.id, when))
            except OSError as again:
                self.cannot_record = f"cannot record sent messages: {_reason(again)}"
                return False
        log.warning("%d sent messages recorded after a write failure", len(self.unrecorded))
        self.unrecorded.clear()
        self.cannot_record = None
        return True

    def recover(self) -> int:
        """Put back in the queue the "sending" rows of workers that died (their process is
        gone, or their lease ran out). They may have been handed over in the instant before
        the crash: see docs/delivery.md."""
        now = self.clock.now()
        m = messages.c
        self._apply_journals()
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(m.id, m.error, m.next_attempt_at).where(m.status == "sending")
            ).all()
            stale = []
            first_of: dict[str, int] = {}  # per dead worker, the first message it had not sent
            for row in rows:
                owner = (row.error or "").removeprefix(OWNER_PREFIX)
                host, _, rest = owner.partition(":")
                pid_text = rest.partition(":")[0]
                if (
                    row.next_attempt_at is None
                    or row.next_attempt_at < now
                    or row.error == self.owner
                    or (host == self.host and pid_text.isdigit() and not _alive(int(pid_text)))
                ):
                    stale.append(row.id)
                    first_of[owner] = min(first_of.get(owner, row.id), row.id)
            for start in range(0, len(stale), 500):
                conn.execute(
                    update(messages)
                    .where(m.id.in_(stale[start : start + 500]), m.status == "sending")
                    .values(status="queued", next_attempt_at=now, error="resent after a crash")
                )
            if self.journal is None and first_of:
                # No journal (PostgreSQL): a worker sends its claim in id order, so the first
                # one it left may have been in the middle of its hand-over: in doubt.
                conn.execute(
                    update(messages)
                    .where(m.id.in_(sorted(first_of.values())))
                    .values(in_doubt=m.in_doubt + 1,
                            error="in doubt: a worker stopped while it may have been handing "
                                  "it over; sent again")
                )  # fmt: skip
        if stale:
            log.warning(
                "%d messages left 'sending' by a stopped worker are queued again", len(stale)
            )
        return len(stale)

    # ---- claiming ---------------------------------------------------------------------

    def _claim(self, conn: Connection, size: int, report: DispatchReport) -> list[Any] | None:
        """Take up to `size` due messages: suppressed ones are settled at once, the others
        marked "sending" (owner + lease) in a committed transaction before any is sent."""
        now = self.clock.now()
        m = messages.c
        due = and_(m.status == "queued", or_(m.next_attempt_at.is_(None), m.next_attempt_at <= now))
        columns = (m.id, m.channel, m.contact_id, contacts.c.unsubscribed, contacts.c.bounced)
        base = select(*columns).outerjoin(contacts, contacts.c.id == m.contact_id)
        order = (m.next_attempt_at, m.id)
        with conn.begin():
            if conn.dialect.name == "postgresql":  # several workers: each takes other rows
                base = base.with_for_update(skip_locked=True, of=messages)
            if self.rate_limit > 0:
                candidates = self._rate_limited(conn, base, due, size, now)
            else:
                candidates = conn.execute(base.where(due).order_by(*order).limit(size)).all()
            if not candidates:
                return []
            suppressed: dict[str, list[int]] = {"unsubscribed": [], "bounced": []}
            claim = []
            for row in candidates:
                if row.channel in CONTACT_CHANNELS and row.unsubscribed:
                    suppressed["unsubscribed"].append(row.id)
                elif row.channel in CONTACT_CHANNELS and row.bounced:
                    suppressed["bounced"].append(row.id)
                else:
                    claim.append(row.id)
            for reason, ids in suppressed.items():
                if ids:
                    conn.execute(update(messages).where(m.id.in_(ids), m.status == "queued")
                                 .values(status="suppressed", error=reason,
                                         next_attempt_at=None))  # fmt: skip
                    report.suppressed += len(ids)
            if claim:
                conn.execute(
                    update(messages)
                    .where(m.id.in_(claim), m.status == "queued")
                    .values(status="sending", attempts=m.attempts + 1,
                            next_attempt_at=now + LEASE, error=self.owner)
                )  # fmt: skip
                rows = conn.execute(
                    select(messages).where(m.id.in_(claim), m.status == "sending",
                                           m.error == self.owner).order_by(m.id)
                ).all()  # fmt: skip
            else:
                rows = []
        if not rows and suppressed["unsubscribed"] + suppressed["bounced"]:
            return None  # only suppressions settled: claim again
        return rows

    def _rate_limited(self, conn: Connection, base, due, size: int, now: dt.datetime) -> list[Any]:
        """Candidates campaign by campaign, each within what is left of its per-minute rate."""
        m = messages.c
        since = now - dt.timedelta(minutes=1)
        used = dict(conn.execute(
            select(m.campaign_id, func.count())
            .where(or_(and_(m.status == "sent", m.sent_at > since), m.status == "sending"))
            .group_by(m.campaign_id)
        ).all())  # fmt: skip
        waiting = conn.scalars(select(m.campaign_id).where(due).distinct()).all()
        rows: list[Any] = []
        for campaign_id in waiting:
            room = size - len(rows)
            if campaign_id is not None:
                room = min(room, self.rate_limit - used.get(campaign_id, 0))
            if room <= 0:
                continue
            where = due & (m.campaign_id.is_(None) if campaign_id is None
                           else m.campaign_id == campaign_id)  # fmt: skip
            rows += conn.execute(base.where(where).order_by(m.next_attempt_at, m.id).limit(room))
        return rows

    # ---- sending ----------------------------------------------------------------------

    def outgoing(self, row: Any) -> OutgoingMessage:
        """A claimed row as the message a channel sends, with Message-ID and unsubscribe
        headers for email to a contact."""
        headers = {str(k): str(v) for k, v in (row.headers or {}).items() if v is not None}
        message = OutgoingMessage(
            key=row.key, channel=row.channel, to=row.to_address or "",
            sender=row.sender or self.default_sender,
            subject=row.subject or "", html=row.body_html or "", text=row.body_text or "",
            headers=headers, id=row.id, contact_id=row.contact_id,
            campaign_id=row.campaign_id, node_id=row.node_id, created_at=row.created_at,
        )  # fmt: skip
        if row.channel in ("email", "notify"):
            assert self._secret is not None
            headers.pop("List-Unsubscribe", None)
            headers["Message-ID"] = message_id(self._secret, row.key, message.sender)
            if row.channel == "email" and row.contact_id is not None:
                token = make_token(self._secret, row.contact_id, row.campaign_id, row.node_id)
                url = unsubscribe_url(self.unsubscribe_pattern, token)
                headers.update(list_unsubscribe_headers(url, self.unsubscribe_mailto, token))
                token = MessageToken(row.contact_id, row.campaign_id, row.node_id, row.key)
                message.text = fill_view_url(message.text, self._secret, self.tracking, token)
                message.html = self._tracked(row, message.html)
                if "@" in self.bounce_address:
                    headers["envelope_from"] = envelope_sender(
                        self._secret, row.id, self.bounce_address
                    )
        return message

    def _tracked(self, row: Any, html: str) -> str:
        """The HTML with click-tracking links and an open pixel (engine/public/tracking)."""
        if not html:
            return html
        campaign = {
            "name": self._names.get(row.campaign_id),
            "settings": self._campaign_settings.get(row.campaign_id, {}),
        }
        token = MessageToken(row.contact_id, row.campaign_id, row.node_id, row.key)
        assert self._secret is not None
        html = fill_view_url(html, self._secret, self.tracking, token)
        return instrument(html, self._secret, self.tracking, token, campaign)

    def _send_batch(self, conn: Connection, batch: list[Any], report: DispatchReport) -> bool:
        """Send a claimed batch; False when the round should end (server down, stop).
        Hand-overs go to the journal at once and to the database at the end of the batch."""
        done: list[tuple[Any, dt.datetime]] = []
        try:
            for index, row in enumerate(batch):
                if self._stop.is_set():
                    self._release(conn, [r.id for r in batch[index:]], self.clock.now())
                    return False
                if not self._send_one(conn, row, report, done):
                    rest = [r.id for r in batch[index + 1 :]]
                    when = self.clock.now() + backoff(row.attempts, self.retry_base,
                                                      self.retry_max)  # fmt: skip
                    try:
                        self._release(conn, rest, when)
                    except (OperationalError, OSError):
                        if self.cannot_record is None:
                            raise
                        # Disk full: they stay claimed by this worker (not sent), requeued
                        # by the recovery once its lease ends.
                    return False
            return True
        finally:
            if self.journal is not None and done:
                try:
                    self._record_sent(conn, done)
                    self.journal.clear()
                except (OperationalError, OSError) as exc:
                    # They are in the journal: a later round records them from there.
                    self.cannot_record = f"cannot record sent messages: {_reason(exc)}"
                    report.stopped_early = self.cannot_record
                    log.error("sending stops: %s", self.cannot_record)

    def _send_one(self, conn: Connection, row: Any, report: DispatchReport,
                  done: list[tuple[Any, dt.datetime]]) -> bool:  # fmt: skip
        """One message through its channel; False when its server is unreachable."""
        channel = self.channels.get(row.channel)
        if channel is None:
            self._fail(conn, row, f"no channel configured for {row.channel!r}", report)
            return True
        state: list[dt.datetime] = []
        journal = self.journal
        when = self.clock.now()
        line = journal.line(row.id, when) if journal is not None else b""
        staged = None
        if journal is not None:
            try:
                journal.write(journal.in_flight(row.id))  # a crash from here: in doubt
            except OSError as exc:  # nothing sent yet: it stays queued for a later round
                self.cannot_record = f"cannot write the hand-over journal: {_reason(exc)}"
                report.stopped_early = self.cannot_record
                with contextlib.suppress(OperationalError, OSError):
                    self._release(conn, [row.id], self.clock.now())
                return False
        elif conn.dialect.name != "sqlite":  # PostgreSQL: the record waits, uncommitted
            staged = self._stage_sent(conn, row, when)

        def handed_over() -> None:
            if state:
                return
            if journal is not None:
                try:
                    journal.write(line)  # first: the instant after the send is this one syscall
                except OSError as exc:  # e.g. disk full: the message is out all the same
                    self.unrecorded.append((row, when))
                    self.cannot_record = f"cannot write the hand-over journal: {_reason(exc)}"
                state.append(when)
            elif staged is not None:
                state.append(when)
                self._commit_staged(conn, staged, row, when)  # one COMMIT on the socket
            else:
                state.append(self.clock.now())
                self._record_sent(conn, [(row, state[0])])

        def take_back() -> None:
            if self.unrecorded and self.unrecorded[-1][0] is row:
                self.unrecorded.pop()  # never made it to the journal
            elif self.journal is not None:
                self.journal.taken_back(row.id)
            else:
                self._unrecord_sent(conn, row)

        try:
            try:
                channel.send(self.outgoing(row), handed_over)
                handed_over()
            finally:
                if staged is not None and staged.is_active:
                    staged.rollback()  # not handed over: nothing recorded
        except TemporaryFailure as exc:
            if state:
                take_back()
            in_doubt = isinstance(exc, InDoubt)
            report.in_doubt += in_doubt
            self._retry(conn, row, exc.reason, report, self.clock.now(), in_doubt)
            if exc.unreachable:
                report.stopped_early = f"unreachable: {exc.reason}"
                return False
            return True
        except PermanentFailure as exc:
            if state:
                take_back()
            self._fail(conn, row, exc.reason, report, bounce=exc.bounce)
            return True
        except Exception as exc:  # a bug in a channel must not stop every delivery
            log.exception("channel %s failed on message %s", row.channel, row.key)
            if not state:
                self._retry(conn, row, f"{type(exc).__name__}: {exc}", report, self.clock.now())
                return True
        report.sent += 1
        if self.unrecorded and self.unrecorded[-1][0] is row:
            report.stopped_early = self.cannot_record  # stop sending until it can be recorded
            log.error("sending stops: %s", self.cannot_record)
            return False
        if self.journal is not None:
            done.append((row, state[0]))
        return True

    def _write(self, conn: Connection, *statements: tuple[Any, Any]) -> None:
        """Run statements in one transaction, waiting out a locked database."""
        for attempt in range(COMMIT_TRIES):
            try:
                with conn.begin():
                    for statement, params in statements:
                        conn.execute(statement, params) if params else conn.execute(statement)
                return
            except OperationalError as exc:
                if attempt == COMMIT_TRIES - 1 or "lock" not in str(exc).lower():
                    raise
                log.warning("database busy, retrying: %s", exc.orig)
                time.sleep(min(2.0, 0.05 * 2**attempt))

    def _stage_sent(self, conn: Connection, row: Any, when: dt.datetime) -> Any:
        """PostgreSQL: the message's "sent" record written before the send, in a transaction
        left open; the hand-over commits it, so the instant after the final "." is one
        COMMIT written to the socket (the server still commits it if we are killed then)."""
        transaction = conn.begin()
        try:
            for statement, params in self._sent_statements([(row, when)]):
                conn.execute(statement, params)
        except BaseException:
            transaction.rollback()
            raise
        return transaction

    def _commit_staged(self, conn: Connection, staged: Any, row: Any, when: dt.datetime) -> None:
        try:
            staged.commit()
        except DBAPIError as exc:  # e.g. the connection dropped: record it afresh
            log.warning("recording a sent message again: %s", exc.orig)
            with contextlib.suppress(Exception):
                staged.rollback()
            self._record_sent(conn, [(row, when)])

    def _record_sent(self, conn: Connection, sent: list[tuple[Any, dt.datetime]]) -> None:
        """Messages handed over: status sent, and their engine events, in one transaction."""
        self._write(conn, *self._sent_statements(sent))

    def _sent_statements(self, sent: list[tuple[Any, dt.datetime]]) -> list[tuple[Any, Any]]:
        m = messages.c
        rows = [{"_id": row.id, "_at": at} for row, at in sent]
        evs = [self._event(row, SENT_EVENT[row.channel], at) for row, at in sent
               if row.channel in SENT_EVENT and row.contact_id is not None]  # fmt: skip
        statements: list[tuple[Any, Any]] = [(
            update(messages).where(m.id == bindparam("_id"), m.status == "sending")
            .values(status="sent", sent_at=bindparam("_at"), error=None, next_attempt_at=None),
            rows,
        )]  # fmt: skip
        if evs:
            statements.append((insert(events), evs))
        return statements

    def _apply_journals(self) -> None:
        """Record as sent what dead workers' journals (or our own, after a round that
        raised) say was handed over; then those journals go."""
        if self.journal is None:
            return
        folder, stem = self.journal.path.parent, self.journal.path.name.split(".handover-")[0]
        paths = HandoverJournal.orphans(folder, stem, _alive, LEASE.total_seconds() / 2)
        if self.journal.path.exists():
            paths.append(self.journal.path)
        for path in paths:
            mine = path == self.journal.path
            entries, in_doubt = HandoverJournal.read_all(path)
            if entries:
                with self.engine.connect() as conn:
                    with conn.begin():
                        rows = conn.execute(select(messages).where(
                            messages.c.id.in_(list(entries)), messages.c.status == "sending"
                        )).all()  # fmt: skip
                    if rows:
                        self._record_sent(conn, [(row, entries[row.id]) for row in rows])
                        log.warning("%d messages recorded as sent from %s", len(rows), path.name)
            if in_doubt:  # the worker stopped between starting a send and the server's 250
                m = messages.c
                with self.engine.begin() as conn:
                    count = conn.execute(
                        update(messages)
                        .where(m.id.in_(sorted(in_doubt)), m.status == "sending")
                        .values(status="queued", next_attempt_at=self.clock.now(),
                                in_doubt=m.in_doubt + 1,
                                error="in doubt: a worker stopped while handing it over; "
                                      "sent again")
                    ).rowcount  # fmt: skip
                if count:
                    log.warning("%d messages in doubt from %s are sent again", count, path.name)
            if mine:
                self.journal.clear()
            else:
                with contextlib.suppress(OSError):  # e.g. still open on Windows
                    path.unlink(missing_ok=True)

    def _unrecord_sent(self, conn: Connection, row: Any) -> None:
        """The server refused after the hand-over was recorded: take the 'sent' back."""
        from sqlalchemy import delete

        name = SENT_EVENT.get(row.channel)
        statements: list[tuple[Any, Any]] = [
            (update(messages).where(messages.c.id == row.id)
             .values(status="sending", sent_at=None), None),
        ]  # fmt: skip
        if name:
            statements.append((
                delete(events).where(events.c.message_id == row.id, events.c.name == name), None
            ))  # fmt: skip
        self._write(conn, *statements)

    def _event(self, row: Any, name: str, now: dt.datetime) -> dict[str, Any]:
        campaign = self._names.get(row.campaign_id) if row.campaign_id is not None else None
        return {
            "contact_id": row.contact_id, "name": name, "occurred_at": now,
            "properties": {"campaign": campaign, "node": row.node_id},
            "campaign_id": row.campaign_id, "node_id": row.node_id, "message_id": row.id,
        }  # fmt: skip

    def _retry(self, conn: Connection, row: Any, reason: str, report: DispatchReport,
               now: dt.datetime, in_doubt: bool = False) -> None:  # fmt: skip
        attempts = row.attempts
        doubt = {"in_doubt": messages.c.in_doubt + 1} if in_doubt else {}
        if attempts >= self.max_attempts:
            self._fail(conn, row, f"gave up after {attempts} attempts: {reason}", report, **doubt)
            return
        when = now + backoff(attempts, self.retry_base, self.retry_max)
        self._write(conn, (
            update(messages).where(messages.c.id == row.id)
            .values(status="queued", next_attempt_at=when, error=reason, **doubt), None,
        ))  # fmt: skip
        report.retried += 1

    def _fail(self, conn: Connection, row: Any, reason: str, report: DispatchReport,
              bounce: bool = False, **extra: Any) -> None:  # fmt: skip
        now = self.clock.now()
        statements: list[tuple[Any, Any]] = [(
            update(messages).where(messages.c.id == row.id)
            .values(status="failed", error=reason, next_attempt_at=None, **extra), None,
        )]  # fmt: skip
        if bounce and row.contact_id is not None:
            statements.append((
                update(contacts).where(contacts.c.id == row.contact_id)
                .values(bounced=True, updated_at=now), None,
            ))  # fmt: skip
            statements.append((insert(events), self._event(row, "bounced", now)))
            report.bounced += 1
        self._write(conn, *statements)
        report.failed += 1

    def _release(self, conn: Connection, ids: list[int], when: dt.datetime) -> None:
        """Claimed but not tried: back to the queue, the claim's attempt not counted."""
        if not ids:
            return
        m = messages.c
        self._write(conn, (
            update(messages).where(m.id.in_(ids), m.status == "sending")
            .values(status="queued", attempts=m.attempts - 1, next_attempt_at=when, error=None),
            None,
        ))  # fmt: skip
