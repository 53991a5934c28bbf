"""The runner's loop: claim due enrollments in batches, move each batch through the
diagram node group by node group, and write the results with a few bulk statements."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from json import loads as _json_loads
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update

from engine import retention
from engine.clock import Clock, SystemClock, to_naive_utc
from engine.db.counters import inserted_in_bulk
from engine.db.schema import campaigns, contacts, enrollments, events, messages, steps
from engine.runner import writer
from engine.runner.bulk import Prepared, execute_many, prepare
from engine.runner.bulk import parse_datetime as _parse
from engine.runner.plan import Plan, Plans

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
PIPELINE_DEPTH = 2  # batches handed to the writer process and not yet written, at most
PIPELINE_WAITS = 0  # batches claimed again after a write they overlapped (tests, benchmarks)
RETENTION_EVERY = dt.timedelta(hours=1)
MAX_HOPS = 200  # instant nodes one contact may pass in one tick (validation forbids loops)
CONTACT_COLUMNS = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "timezone",
    "unsubscribed",
    "bounced",
    "score",
    "attributes",
    "created_at",
)


@dataclass
class TickReport:
    """What one tick did."""

    now: dt.datetime | None = None
    enrolled: int = 0
    moved: int = 0  # enrollments taken out of the queue and moved on
    steps: int = 0
    messages: int = 0
    completed: int = 0
    converted: int = 0
    batches: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, other: TickReport) -> None:
        for name in ("enrolled", "moved", "steps", "messages", "completed", "converted", "batches"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, value in other.by_status.items():
            self.by_status[key] += value


class Enrollment:
    """One enrollment moving through the diagram during a batch (plain slots, no ORM)."""

    __slots__ = (
        "arrived_at",
        "at",
        "campaign_id",
        "contact",
        "contact_id",
        "converted_at",
        "detail",
        "due_at",
        "ended",
        "entered_at",
        "hold",
        "id",
        "node_id",
        "outcome",
        "port",
        "version",
    )

    def __init__(self, row: Any, now: dt.datetime) -> None:
        (
            self.id,
            self.campaign_id,
            self.version,
            self.contact_id,
            self.node_id,
            due_at,
            self.arrived_at,
            self.entered_at,
            self.converted_at,
        ) = row[:9]
        # The moment the contact was really due: steps and waits count from it, so a
        # coarse tick does not drift a journey.
        if due_at.__class__ is str:  # SQLite: read as text, parsed here (much cheaper)
            due_at = _parse(due_at)
            self.arrived_at = _parse(self.arrived_at)
            self.entered_at = _parse(self.entered_at)
            self.converted_at = _parse(self.converted_at) if self.converted_at else None
        self.at = due_at if due_at is not None and due_at < now else now
        self.due_at = None
        self.ended: str | None = None
        contact = dict(zip(CONTACT_COLUMNS, row[9:], strict=True))
        contact["id"] = self.contact_id
        attributes = contact["attributes"]
        if attributes.__class__ is str:  # SQLite, read raw (Runner._claim_sqlite)
            attributes = contact["attributes"] = _json_loads(attributes)
            contact["unsubscribed"] = bool(contact["unsubscribed"])
            contact["bounced"] = bool(contact["bounced"])
            contact["created_at"] = _parse(contact["created_at"])
        if not isinstance(attributes, dict):
            contact["attributes"] = {}
        self.contact = contact
        self.reset()

    def reset(self) -> None:
        self.port: str | None = None
        self.hold: dt.datetime | None = None
        self.outcome: str | None = None
        self.detail: str | None = None


class BatchWrites:
    """Rows a batch writes at its end, in bulk."""

    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []  # may carry "_message_key" to link a message
        self.score: list[dict[str, Any]] = []
        self.tags_add: list[dict[str, Any]] = []
        self.tags_remove: list[dict[str, Any]] = []
        self.members_add: list[dict[str, Any]] = []
        self.members_remove: list[dict[str, Any]] = []
        self.contact_updates: dict[int, dict[str, Any]] = {}
        self.unsubscribe: set[int] = set()
        # Sends per contact in this batch, for the frequency cap.
        self.sent_in_batch: dict[int, list[dt.datetime]] = defaultdict(list)
        # campaign id -> why it is paused at the end of the batch (a node failed everyone)
        self.faults: dict[int, str] = {}
        # Messages the render processes are still rendering: each fills its rows in (and
        # corrects the steps of failed renders) when called, before the batch is written.
        self.later: list[Callable[[], None]] = []
        self.failed_later: list[dict[str, Any]] = []  # their steps to mark failed

    LISTS = ("steps", "messages", "events", "score", "tags_add", "tags_remove",
             "members_add", "members_remove", "later")  # fmt: skip

    def settle(self) -> None:
        """Collect the render processes' share of this batch's messages (once)."""
        later, self.later = self.later, []
        for settle in later:
            settle()

    def mark(self, contact_ids: list[int]) -> tuple:
        """What to go back to when a handler fails half-way through a group."""
        return (
            [len(getattr(self, name)) for name in self.LISTS],
            {c: dict(self.contact_updates[c]) for c in contact_ids if c in self.contact_updates},
            {c: list(self.sent_in_batch[c]) for c in contact_ids if c in self.sent_in_batch},
            set(self.unsubscribe),
        )

    def rewind(self, mark: tuple, contact_ids: list[int]) -> None:
        lengths, updates, sent, unsubscribe = mark
        for name, length in zip(self.LISTS, lengths, strict=True):
            del getattr(self, name)[length:]
        for c in contact_ids:
            self.contact_updates.pop(c, None)
            self.sent_in_batch.pop(c, None)
        self.contact_updates.update(updates)
        self.sent_in_batch.update(sent)
        self.unsubscribe = unsubscribe


class Runner:
    """Moves contacts through live campaigns. `mode="simulate"` marks messages simulated
    and records the engine events itself; `assume` adds engagement (see engine.simulate)."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock | None = None,
        mode: str = "live",
        assume: dict[str, float] | None = None,
        batch_size: int = BATCH_SIZE,
        unsubscribe_url: str | None = None,
    ) -> None:
        if mode not in ("live", "simulate"):
            raise ValueError("mode must be 'live' or 'simulate'")
        self.engine = engine
        self.clock = clock or SystemClock()
        self.mode = mode
        self.assume = dict(assume or {})
        self.batch_size = batch_size
        self.unsubscribe_url = unsubscribe_url
        self.plans = Plans()
        self.is_postgres = engine.dialect.name == "postgresql"
        # Segment entries are found by comparing the whole segment with the members last
        # seen: once a minute is plenty live (simulate sets its own pace).
        self.segment_check_every = dt.timedelta(minutes=1)
        self._last_entry_check: dict[int, dt.datetime] = {}
        self._last_retention: dt.datetime | None = None
        # SQLite: the next batch is claimed and moved while the writer process writes this
        # one (engine.runner.writer).
        self.pipelined = True
        self.writer_pragmas: tuple[str, ...] = ()  # more PRAGMAs for the writer's connection

    # ---- the tick -------------------------------------------------------------------

    def tick(self, now: dt.datetime | None = None, limit: int | None = None) -> TickReport:
        """Do all work due at `now` (default: the clock's now): make scheduled campaigns
        live, enroll, jump to goals, move due contacts. `limit` caps contacts moved."""
        from engine.runner import entry

        now = to_naive_utc(now) if now is not None else self.clock.now()
        report = TickReport(now=now)
        with self.engine.begin() as conn:
            due = entry.scheduled_due(conn, now)
        for campaign_id in due:  # one transaction each: a faulty one cannot hold back others
            with contained(self, campaign_id, now, "starting"), self.engine.begin() as conn:
                entry.go_live(conn, campaign_id, now)
        with self.engine.begin() as conn:
            live = entry.live_campaigns(conn)
        faulty: set[int] = set()
        for campaign_id, version in live:
            triggers = contained(self, campaign_id, now, "its triggers", faulty)
            with triggers, self.engine.begin() as conn:
                if self.is_postgres and not _take_campaign(conn, campaign_id):
                    continue  # another worker is running this campaign's triggers now
                plan = self.plans.get(conn, campaign_id, version)
                report.enrolled += entry.run_triggers(self, conn, plan, now)
                if self.mode == "simulate" and self.assume:
                    entry.assume_outcomes(conn, plan, self.assume, now)
                report.converted += entry.run_goals(conn, plan, now)
                entry.detect_waited_events(conn, plan, now)
        live_ids = [campaign_id for campaign_id, _ in live if campaign_id not in faulty]
        if (
            live_ids
            and limit is None
            and self.pipelined
            and not self.is_postgres
            and writer.available()
        ):
            try:
                self._pipelined_batches(live_ids, now, report)
                live_ids = []
            except Exception as exc:
                if is_environment_fault(exc):
                    raise
                # A fault in a batch: the rest of the tick goes batch by batch below, where
                # the campaign at fault is found and paused.
        while live_ids:
            room = None if limit is None else limit - report.moved
            if room is not None and room <= 0:
                break
            size = self.batch_size if room is None else min(self.batch_size, room)
            try:
                batch = self.run_batch(live_ids, now, size)
            except Exception as exc:
                if is_environment_fault(exc):
                    raise
                # One campaign's fault: run each alone to find it; it is paused, the rest go on.
                batch = TickReport(now=now)
                for campaign_id in live_ids:
                    with contained(self, campaign_id, now, "moving contacts", faulty):
                        batch.add(self.run_batch([campaign_id], now, size))
                live_ids = [c for c in live_ids if c not in faulty]
            report.add(batch)
            if batch.moved < size:
                break
        with self.engine.begin() as conn:
            entry.finish_campaigns(conn, now)
        self._drop_expired_bodies(now)
        return report

    def _drop_expired_bodies(self, now: dt.datetime) -> None:
        """Live, at most once an hour: delivered messages past the retention period lose
        their rendered bodies (engine.retention). A simulation's copy is thrown away."""
        if self.mode != "live":
            return
        last = self._last_retention
        if last is not None and now - last < RETENTION_EVERY:
            return
        self._last_retention = now
        retention.drop_expired_bodies(self.engine, now)

    def run_batch(self, campaign_ids: list[int], now: dt.datetime, size: int) -> TickReport:
        report = TickReport(now=now, batches=1)
        with self.engine.begin() as conn:
            items = self._claim(conn, campaign_ids, now, size)
            if not items:
                report.batches = 0
                return report
            writes = BatchWrites()
            self._move(conn, items, now, writes, report)
            self._write(conn, enrollment_moves(items, report), now, writes, report)
        report.moved = len(items)
        return report

    def _pipelined_batches(
        self, campaign_ids: list[int], now: dt.datetime, report: TickReport
    ) -> None:
        """SQLite: claim and move the next batch while the writer process
        (engine.runner.writer) writes this one; a tick with less than a batch due writes
        it here.

        Each batch is still one write transaction. The next batch is claimed from a read
        snapshot that leaves out the enrollments being written, and its contacts are
        disjoint from theirs (else it waits for the write and claims again): what a batch
        reads about its own contacts is never stale. A write that fails is raised here."""
        from engine.delivery.unsubscribe import engine_secret

        # The signing secret exists (committed) before any batch is moved on a read-only
        # connection: a secret made there would never be stored.
        engine_secret(self.engine)
        url = self.engine.url.render_as_string(hide_password=False)
        size = self.batch_size
        first = True
        flight: deque = deque()  # (future, enrollment ids, contact ids, batch report)
        try:
            while True:
                exclude = [i for pending in flight for i in pending[1]]
                with self.engine.connect() as conn:  # reads only; ends before the write
                    items = self._claim(conn, campaign_ids, now, size, exclude)
                    mine = {item.contact_id for item in items}
                    if any(not mine.isdisjoint(pending[2]) for pending in flight):
                        global PIPELINE_WAITS
                        PIPELINE_WAITS += 1
                        items = None  # a contact of a batch being written: wait for it
                    elif items:
                        writes, batch = BatchWrites(), TickReport(now=now, batches=1)
                        self._move(conn, items, now, writes, batch)
                if items is None:  # claimed again once the oldest write is in
                    report.add(_finished(flight.popleft()))
                    continue
                if len(flight) >= PIPELINE_DEPTH or not items:
                    report.add(_finished(flight.popleft()))
                if not items:
                    while flight:
                        report.add(_finished(flight.popleft()))
                    return
                writes.settle()  # rendered during the move and the wait
                batch.moved = len(items)
                moves = enrollment_moves(items, batch)
                if first and len(items) < size:  # all that is due now: written here
                    with self.engine.begin() as conn:
                        self._write(conn, moves, now, writes, batch)
                    report.add(batch)
                    return
                first = False
                with self.engine.connect() as conn:  # converted here, not in the writer
                    moves = prepare(conn, MOVE_ENROLLMENTS, moves, "move_enrollments")
                    writes.steps = prepare(conn, INSERT_STEPS, writes.steps, "insert_steps")
                    _prepare_messages(conn, writes, batch)
                future = writer.submit(url, self.writer_pragmas, self.mode, moves, now, writes)
                flight.append((future, [item.id for item in items], mine, batch))
                if len(items) < size:  # the last one of this tick
                    while flight:
                        report.add(_finished(flight.popleft()))
                    return
        finally:
            for pending in flight:  # a fault on this side: the writes in flight finish first
                pending[0].exception()

    def _claim(
        self,
        conn: Connection,
        campaign_ids: list[int],
        now: dt.datetime,
        size: int,
        exclude: list[int] | tuple = (),
    ) -> list[Enrollment]:
        if conn.dialect.name == "sqlite":
            return _claim_sqlite(conn, campaign_ids, now, size, exclude)
        e = enrollments.c
        times = [e.due_at, e.arrived_at, e.entered_at, e.converted_at]
        query = (
            select(
                e.id,
                e.campaign_id,
                e.version,
                e.contact_id,
                e.node_id,
                *times,
                *(contacts.c[name] for name in CONTACT_COLUMNS),
            )
            .join(contacts, contacts.c.id == e.contact_id)
            .where(e.status == "active", e.due_at <= now, e.campaign_id.in_(campaign_ids))
            .where(e.id.not_in(exclude) if exclude else True)
            .order_by(e.due_at, e.id)
            .limit(size)
        )
        if self.is_postgres:
            query = query.with_for_update(skip_locked=True, of=enrollments)
        return [Enrollment(row, now) for row in conn.execute(query).all()]

    # ---- moving ---------------------------------------------------------------------

    def _move(
        self,
        conn: Connection,
        items: list[Enrollment],
        now: dt.datetime,
        writes: BatchWrites,
        report: TickReport,
    ) -> None:
        pending = items
        for _hop in range(MAX_HOPS):
            if not pending:
                return
            groups: dict[tuple[int, int, str], list[Enrollment]] = defaultdict(list)
            for item in pending:
                groups[(item.campaign_id, item.version, item.node_id)].append(item)
            pending = []
            for (campaign_id, version, node_id), group in groups.items():
                plan = self.plans.get(conn, campaign_id, version)
                node = plan.nodes.get(node_id)
                for item in group:
                    item.reset()
                if node is None:  # a node removed from the diagram: end the journey here
                    for item in group:
                        item.ended = "exited"
                        self._step(
                            writes,
                            plan,
                            item,
                            node_id,
                            None,
                            "failed",
                            "node no longer in the campaign",
                        )
                    continue
                self._handle_contained(conn, plan, node, group, now, writes)
                for item in group:
                    pending += self._after(plan, node_id, item, writes, now)
        for item in pending:  # a loop with no wait: stop it rather than spin
            item.ended = "failed"
            self._step(
                writes,
                self.plans.get(conn, item.campaign_id, item.version),
                item,
                item.node_id,
                None,
                "failed",
                "too many steps in one go (loop?)",
            )

    def _handle_contained(
        self,
        conn: Connection,
        plan: Plan,
        node,
        group: list[Enrollment],
        now: dt.datetime,
        writes: BatchWrites,
    ) -> None:
        """Run the node's handler on the group; when it raises, undo what it did and run it
        for each contact alone: a contact whose data breaks the node fails there with the
        reason, the others go on. When it fails for everyone the campaign is paused."""
        from engine.runner.nodes import handle

        ids = [item.contact_id for item in group]
        mark = writes.mark(ids)
        copy_contact = node.type in MUTATES_CONTACT
        saved = [(item.at, item.converted_at, dict(item.contact) if copy_contact else None)
                 for item in group]  # fmt: skip
        try:
            with _savepoint(conn):
                handle(self, conn, plan, node, group, now, writes)
            return
        except Exception as exc:
            if is_environment_fault(exc):
                raise
        writes.rewind(mark, ids)
        failed, reason = 0, ""
        for index, (item, (t, converted_at, contact)) in enumerate(zip(group, saved, strict=True)):
            item.reset()
            item.at, item.converted_at = t, converted_at
            if contact is not None:
                item.contact = contact
            if failed >= CONTAINED_TRIES and failed == index:
                item.ended, item.outcome, item.detail = "failed", "failed", reason
                failed += 1
                continue  # the node fails for everyone: no need to try each
            one = writes.mark([item.contact_id])
            try:
                with _savepoint(conn):
                    handle(self, conn, plan, node, [item], now, writes)
            except Exception as exc:
                if is_environment_fault(exc):
                    raise
                writes.rewind(one, [item.contact_id])
                item.reset()
                item.at = t
                reason = f"node {node.id!r} failed: {fault_reason(exc)}"
                item.ended, item.outcome, item.detail = "failed", "failed", reason
                failed += 1
        if failed == len(group):
            writes.faults[plan.campaign_id] = reason

    def _after(
        self, plan: Plan, node_id: str, item: Enrollment, writes: BatchWrites, now: dt.datetime
    ) -> list[Enrollment]:
        """Record the node's outcome; return the item if it moves on to another node now."""
        if item.hold is not None:
            item.due_at = item.hold if item.hold > now else now + dt.timedelta(seconds=1)
            return []
        if item.ended:  # exit node, or a handler that ended the journey
            self._step(writes, plan, item, node_id, None, item.outcome, item.detail)
            return []
        self._step(writes, plan, item, node_id, item.port, item.outcome, item.detail)
        target = plan.target(node_id, item.port) if item.port else None
        if target is None:
            item.ended = "completed"
            return []
        item.node_id = target
        item.arrived_at = item.at
        return [item]

    def _step(
        self,
        writes: BatchWrites,
        plan: Plan,
        item: Enrollment,
        node_id: str,
        port: str | None,
        outcome: str | None,
        detail: str | None,
    ) -> None:
        writes.steps.append(
            {
                "enrollment_id": item.id,
                "campaign_id": plan.campaign_id,
                "contact_id": item.contact_id,
                "node_id": node_id,
                "port": port,
                "at": item.at,
                "outcome": outcome,
                "detail": detail,
            }
        )

    # ---- writing --------------------------------------------------------------------

    def _write(
        self,
        conn: Connection,
        moves: list[dict[str, Any]],
        now: dt.datetime,
        writes: BatchWrites,
        report: TickReport,
    ) -> None:
        """Write a batch: its enrollments' moves (enrollment_moves), steps, messages,
        events and contact changes."""
        from engine.runner import effects

        execute_many(conn, MOVE_ENROLLMENTS, moves, key="move_enrollments")
        # The counters of what follows are added per batch, not per row (SQLite).
        if writes.steps:
            with inserted_in_bulk(conn, "steps"):
                execute_many(conn, INSERT_STEPS, writes.steps, key="insert_steps")
            report.steps += len(writes.steps)
        # The render processes' share of the batch's messages, rendered meanwhile; a
        # message that failed there marks its step (written above as sent) failed.
        writes.settle()
        if writes.failed_later:
            execute_many(conn, FAIL_STEPS, writes.failed_later, key="fail_steps")
        if writes.messages:
            with inserted_in_bulk(conn, "messages"):
                report.messages += self._insert_messages(conn, writes)
            if not isinstance(writes.messages, Prepared):  # (else counted when prepared)
                for message in writes.messages:
                    report.by_status[message["status"]] += 1
        if writes.events:
            rows = writes.events
            if conn.dialect.name != "sqlite":  # Core wants exactly the table's keys
                rows = [{k: v for k, v in ev.items() if k[0] != "_"} for ev in rows]
            with inserted_in_bulk(conn, "events"):
                execute_many(conn, INSERT_EVENTS, rows, key="insert_events")
        effects.apply_contact_changes(conn, writes, now)
        for campaign_id, reason in writes.faults.items():
            log.error("campaign %s paused by the engine: %s", campaign_id, reason)
            conn.execute(
                update(campaigns)
                .where(campaigns.c.id == campaign_id, campaigns.c.status == "live")
                .values(status="paused", error=f"paused by the engine: {reason}", updated_at=now)
            )

    def _insert_messages(self, conn: Connection, writes: BatchWrites) -> int:
        """INSERT … ON CONFLICT (key) DO NOTHING: a replayed batch never adds a second
        message. Events about a message get its id."""
        dialect = conn.dialect.name
        if dialect in ("sqlite", "postgresql"):
            statement = _insert_messages_statement(dialect)
        else:
            keys = [m["key"] for m in writes.messages]
            taken = set(conn.scalars(select(messages.c.key).where(messages.c.key.in_(keys))))
            writes.messages = [m for m in writes.messages if m["key"] not in taken]
            statement = insert(messages)
        if not writes.messages:
            return 0
        prepared = isinstance(writes.messages, Prepared)
        keys = writes.messages.links if prepared else [m["key"] for m in writes.messages]
        before = _max_message_id(conn)
        inserted = execute_many(
            conn,
            statement,
            writes.messages,
            key=f"insert_messages_{dialect}",
        )
        if dialect == "sqlite" and inserted == len(keys):
            # One writer, every row new: SQLite gave them the ids after `before`, in order.
            ids = {key: before + i for i, key in enumerate(keys, 1)}
        else:
            # Some were there (a replayed batch), or another worker (PostgreSQL) may have
            # committed messages above `before` meanwhile: ask.
            mine = set(keys)
            found = conn.execute(
                select(messages.c.key, messages.c.id).where(messages.c.id > before)
            )
            ids = {key: id_ for key, id_ in found if key in mine}
        events_ = writes.events
        if isinstance(events_, Prepared):  # events as tuples: their message_id by position
            if any(events_.links):
                at = events_.names.index("message_id")
                events_.tuples = [
                    row if link is None else (*row[:at], ids.get(link), *row[at + 1 :])
                    for row, link in zip(events_.tuples, events_.links, strict=True)
                ]
        else:
            for ev in writes.events:
                if ev.get("_message_key"):
                    ev["message_id"] = ids.get(ev["_message_key"])
        return len(ids)


_CLAIM_SQLITE = (
    "SELECT e.id, e.campaign_id, e.version, e.contact_id, e.node_id, e.due_at, e.arrived_at,"
    " e.entered_at, e.converted_at, "
    + ", ".join(f"c.{name}" for name in CONTACT_COLUMNS)
    + " FROM enrollments AS e JOIN contacts AS c ON c.id = e.contact_id"
    " WHERE e.status = 'active' AND e.due_at <= ? AND e.campaign_id IN ({campaigns}){exclude}"
    " ORDER BY e.due_at, e.id LIMIT ?"
)


def _claim_sqlite(
    conn: Connection, campaign_ids: list[int], now: dt.datetime, size: int, exclude
) -> list[Enrollment]:
    """The claim on SQLite, read with the DBAPI cursor: rows as plain tuples, times as
    text and attributes as JSON text (Enrollment converts them; SQLAlchemy's per-row
    processing was a third of claiming)."""
    sql = _CLAIM_SQLITE.format(
        campaigns=", ".join("?" * len(campaign_ids)),
        exclude=f" AND e.id NOT IN ({', '.join('?' * len(exclude))})" if exclude else "",
    )
    cursor = conn.connection.cursor()
    try:
        when = now.isoformat(" ", "microseconds")  # as SQLAlchemy stores DateTime in SQLite
        rows = cursor.execute(sql, (when, *campaign_ids, *exclude, size)).fetchall()
    finally:
        cursor.close()
    return [Enrollment(row, now) for row in rows]


def _prepare_messages(conn: Connection, writes: BatchWrites, batch: TickReport) -> None:
    """SQLite, before a batch goes to the writer: its messages and events as tuples (the
    messages' keys and the events' message keys kept beside them, for the ids the writer
    links); the messages counted by status here."""
    if writes.messages:
        for message in writes.messages:
            batch.by_status[message["status"]] += 1
        keys = [m["key"] for m in writes.messages]
        statement = _insert_messages_statement("sqlite")
        writes.messages = prepare(conn, statement, writes.messages, "insert_messages_sqlite")
        writes.messages.links = keys
    if writes.events:
        links = [ev.get("_message_key") for ev in writes.events]
        writes.events = prepare(conn, INSERT_EVENTS, writes.events, "insert_events")
        writes.events.links = links


def enrollment_moves(items: list[Enrollment], report: TickReport) -> list[dict[str, Any]]:
    """The enrollments' rows as a batch leaves them (journeys ended are counted)."""
    rows = []
    for item in items:
        ended = item.ended
        if ended:
            report.completed += ended == "completed"
        rows.append(
            {
                "_id": item.id,
                "_node": item.node_id,
                "_status": ended or "active",
                "_due": None if ended else item.due_at,
                "_arrived": item.arrived_at,
                "_ended": item.at if ended else None,
            }
        )
    return rows


def _finished(pending: tuple) -> TickReport:
    """The batch report of a write in flight, once it is in (its fault raised here; a
    writer process that died is not used again)."""
    from concurrent.futures.process import BrokenProcessPool

    future, _ids, _contacts, batch = pending
    try:
        figures = future.result()
    except BrokenProcessPool:
        writer.shutdown(broken=True)
        raise
    batch.steps += figures["steps"]
    batch.messages += figures["messages"]
    for status, n in figures["by_status"].items():
        batch.by_status[status] += n
    return batch


MUTATES_CONTACT = frozenset({"action.update_contact", "action.score"})
CONTAINED_TRIES = 20  # contacts tried one by one before a node is taken as broken for all


def _savepoint(conn: Connection):
    """PostgreSQL aborts the whole transaction on an error: a savepoint keeps the rest of the
    batch. SQLite does not (and handlers only read), so no savepoint is needed there."""
    from contextlib import nullcontext

    return conn.begin_nested() if conn.dialect.name == "postgresql" else nullcontext()


class contained:
    """`with contained(runner, campaign_id, now, what):` — a fault of one campaign (its
    definition, its data) pauses that campaign with the reason in `campaigns.error` and
    the tick goes on; faults of the database or machine (locked, full, gone) pass through
    so the next tick retries. The campaign id is added to `faulty` when given."""

    def __init__(self, runner, campaign_id: int, now: dt.datetime, what: str,
                 faulty: set[int] | None = None) -> None:  # fmt: skip
        self.runner, self.campaign_id, self.now, self.what = runner, campaign_id, now, what
        self.faulty = faulty

    def __enter__(self) -> contained:
        return self

    def __exit__(self, kind, exc, _tb) -> bool:
        if exc is None or not isinstance(exc, Exception) or is_environment_fault(exc):
            return False
        pause_for_fault(self.runner.engine, self.campaign_id, self.now, self.what, exc)
        if self.faulty is not None:
            self.faulty.add(self.campaign_id)
        return True


ENVIRONMENT_WORDS = (
    "locked", "busy", "disk", "full", "i/o", "unable to open", "readonly", "read-only",
    "connection", "server closed", "terminating", "deadlock", "could not serialize",
    "canceling statement", "timeout",
)  # fmt: skip


def is_environment_fault(exc: BaseException) -> bool:
    """True for faults of the database or machine (the next tick retries), False for a
    fault of one campaign's definition or data."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        if getattr(exc.orig, "sqlstate", None) in ("40001", "40P01"):
            return True  # a conflict with another worker: run again (service.retry_on_conflict)
        text = str(exc.orig).lower()
        return any(word in text for word in ENVIRONMENT_WORDS)
    return isinstance(exc, OSError)


def fault_reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:500]


def pause_for_fault(
    engine: Engine, campaign_id: int, now: dt.datetime, what: str, exc: BaseException
) -> None:
    """Pause a live (or starting) campaign with a sentence in campaigns.error."""
    reason = f"paused by the engine: a fault in {what}: {fault_reason(exc)}"
    log.error("campaign %s %s", campaign_id, reason)
    with engine.begin() as conn:
        conn.execute(
            update(campaigns)
            .where(campaigns.c.id == campaign_id, campaigns.c.status.in_(("live", "scheduled")))
            .values(status="paused", error=reason, updated_at=now)
        )


def _take_campaign(conn: Connection, campaign_id: int) -> bool:
    """PostgreSQL, several workers: one at a time reads a campaign's triggers and goals (a
    row lock until the transaction ends that leaves foreign keys free); False when another
    worker holds it."""
    query = select(campaigns.c.id).where(campaigns.c.id == campaign_id)
    return conn.scalar(query.with_for_update(skip_locked=True, key_share=True)) is not None


def _max_message_id(conn: Connection) -> int:
    from sqlalchemy import func

    return conn.scalar(select(func.coalesce(func.max(messages.c.id), 0)))


def _insert_messages_statement(dialect: str):
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    return dialect_insert(messages).on_conflict_do_nothing(index_elements=["key"])


_e = enrollments.c
MOVE_ENROLLMENTS = (
    update(enrollments)
    .where(_e.id == bindparam("_id"))
    .values(
        node_id=bindparam("_node"),
        status=bindparam("_status"),
        due_at=bindparam("_due"),
        arrived_at=bindparam("_arrived"),
        ended_at=bindparam("_ended"),
    )  # not converted_at: goals set it (entry.run_goals); left out, its counters do not fire
)
INSERT_STEPS = insert(steps)
_s = steps.c
FAIL_STEPS = (
    update(steps)
    .where(
        _s.enrollment_id == bindparam("_enrollment"),
        _s.node_id == bindparam("_node"),
        _s.id
        == select(func.max(_s.id))
        .where(_s.enrollment_id == bindparam("_enrollment"), _s.node_id == bindparam("_node"))
        .scalar_subquery(),
    )
    .values(outcome=bindparam("_outcome"), detail=bindparam("_detail"))
)
INSERT_EVENTS = insert(events)
