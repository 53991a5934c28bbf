"""Recording opens and clicks off the request path: the endpoint answers at once and a
writer thread stores the events in batches (one transaction per batch), so a burst of
pixel loads costs one commit per few hundred opens instead of one each."""

from __future__ import annotations

import datetime as dt
import json
import logging
import queue
import threading
import time
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import SQLAlchemyError

from engine.db.schema import campaigns, contacts, events, messages
from engine.public.tokens import MessageToken

log = logging.getLogger(__name__)
BATCH = 1000
FLUSH_SECONDS = 0.2
MAX_PENDING = 200_000  # beyond this (database down for long) new opens are dropped, counted


class EventRecorder:
    """`record(name, token, now, url=None)` from any thread; a writer thread stores them.
    `flush()` waits until everything recorded so far is in the database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._names: dict[int, str | None] = {}
        self._message_ids: dict[str, int] = {}
        self._pending = 0
        self._done = threading.Condition()
        self._written = 0
        self._queued = 0
        self.dropped = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="event-recorder", daemon=True)
        self._thread.start()

    def record(self, name: str, token: MessageToken, now: dt.datetime, url: str | None = None,
               ) -> None:  # fmt: skip
        if self._pending >= MAX_PENDING:
            self.dropped += 1
            return
        self._pending += 1
        self._queued += 1
        self._queue.put((name, token, now, url))

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every event recorded before this call is stored; False on timeout."""
        target = self._queued
        deadline = time.monotonic() + timeout
        with self._done:
            while self._written < target:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._done.wait(left)
        return True

    def close(self) -> None:
        self.flush(timeout=10)
        self._stop.set()
        self._queue.put(None)
        self._thread.join(timeout=10)

    # ---- the writer thread ------------------------------------------------------------

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                break
            batch = [item]
            deadline = time.monotonic() + FLUSH_SECONDS
            while len(batch) < BATCH:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    more = self._queue.get(timeout=left)
                except queue.Empty:
                    break
                if more is None:
                    self._stop.set()
                    break
                batch.append(more)
            self._write(batch)
            if self._stop.is_set():
                break

    def _write(self, batch: list[tuple]) -> None:
        for attempt in range(20):
            try:
                with self.engine.begin() as conn:
                    rows = self._rows(conn, batch)
                    if rows and conn.dialect.name == "sqlite":
                        _insert_sqlite(conn, rows)
                    elif rows:
                        conn.execute(insert(events), rows)
                break
            except SQLAlchemyError as exc:  # busy database: wait and try again
                reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                log.warning("storing %d tracking events failed (%s); retrying", len(batch),
                            reason)  # fmt: skip
                time.sleep(min(5.0, 0.1 * 2**attempt))
        else:
            log.error("dropped %d tracking events: the database refused them", len(batch))
            self.dropped += len(batch)
        self._pending -= len(batch)
        with self._done:
            self._written += len(batch)
            self._done.notify_all()

    def _rows(self, conn: Any, batch: list[tuple]) -> list[dict[str, Any]]:
        ids = self._message_ids  # a delivery key names one message for good: kept
        if len(ids) > 200_000:
            ids.clear()
        keys = sorted({token.key for _, token, _, _ in batch} - ids.keys())
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            ids.update(conn.execute(
                select(messages.c.key, messages.c.id).where(messages.c.key.in_(chunk))
            ).all())  # fmt: skip
        missing = {t.campaign_id for _, t, _, _ in batch if t.campaign_id not in self._names}
        missing.discard(None)
        if missing:
            found = dict(conn.execute(
                select(campaigns.c.id, campaigns.c.name).where(campaigns.c.id.in_(missing))
            ).all())  # fmt: skip
            for campaign_id in missing:
                self._names[campaign_id] = found.get(campaign_id)
        wanted = sorted({token.contact_id for _, token, _, _ in batch})
        known = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            known.update(conn.scalars(select(contacts.c.id).where(contacts.c.id.in_(chunk))))
        rows = []
        for name, token, now, url in batch:
            if token.contact_id not in known:
                continue  # deleted since the message was sent
            properties: dict[str, Any] = {
                "campaign": self._names.get(token.campaign_id),
                "node": token.node_id,
            }
            if url is not None:
                properties["url"] = url
            rows.append({
                "contact_id": token.contact_id, "name": name, "occurred_at": now,
                "properties": properties, "campaign_id": token.campaign_id,
                "node_id": token.node_id, "message_id": ids.get(token.key),
            })  # fmt: skip
        return rows


_SQLITE_INSERT = (
    "INSERT INTO events (contact_id, name, occurred_at, properties, campaign_id, node_id, "
    "message_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _insert_sqlite(conn: Any, rows: list[dict[str, Any]]) -> None:
    """The same rows as `insert(events)` writes on SQLite (its DateTime text format, JSON
    text), without SQLAlchemy's per-row processing: half the cost of a pixel load's write.
    Properties repeat (campaign, node, url): each distinct one is serialised once."""
    texts: dict[tuple, str] = {}
    params = []
    for row in rows:
        props = row["properties"]
        key = (props["campaign"], props["node"], props.get("url"))
        text = texts.get(key)
        if text is None:
            text = texts[key] = json.dumps(props, allow_nan=False)
        at = _naive(row["occurred_at"]).isoformat(" ", "microseconds")
        params.append((
            row["contact_id"], row["name"], at, text, row["campaign_id"], row["node_id"],
            row["message_id"],
        ))  # fmt: skip
    conn.exec_driver_sql(_SQLITE_INSERT, params)


def _naive(when: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC."""
    return when if when.tzinfo is None else when.astimezone(dt.UTC).replace(tzinfo=None)
