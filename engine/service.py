"""The live engine: APScheduler runs a tick (runner, then dispatcher) every few seconds and
at campaigns' scheduled start and end times. Used by `campaign-studio run` and the window."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, or_, select
from sqlalchemy.exc import DBAPIError, OperationalError

from engine.clock import Clock, SystemClock
from engine.db import open_database
from engine.db.schema import campaigns
from engine.delivery.channels import Channel, build_channels
from engine.delivery.dispatcher import Dispatcher, DispatchReport
from engine.public.tracking import unsubscribe_pattern
from engine.settings import load_settings
from engine.worker_lock import WorkerLock

log = logging.getLogger(__name__)
TICK_JOB = "tick"
# PostgreSQL's "try again" errors: serialization failure, deadlock (another worker's batch).
CONFLICTS = {"40001", "40P01"}
T = TypeVar("T")


def retry_on_conflict(work: Callable[[], T], tries: int = 4) -> T:
    """Run `work` — made of all-or-nothing transactions, safe to run again — and again when
    PostgreSQL rolled one back for a conflict with another worker; other errors pass."""
    for attempt in range(tries):
        try:
            return work()
        except DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", None)
            if code not in CONFLICTS or attempt == tries - 1:
                raise
            log.warning("conflict with another worker (%s), running it again", code)
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


class EngineService:
    """Runs live campaigns. `start()` begins ticking in a background thread; `run_once()`
    does one tick now (in the caller's thread); `shutdown()` stops after the message in
    hand. All state is in the database, so a new service continues where one stopped."""

    def __init__(self, db: str | Path | Engine, clock: Clock | None = None,
                 interval: float | None = None, channels: dict[str, Channel] | None = None,
                 outbox: str | Path | None = None,
                 batch_size: int | None = None) -> None:  # fmt: skip
        from engine.runner import Runner
        from engine.runner.core import BATCH_SIZE

        self.engine = db if isinstance(db, Engine) else open_database(db)
        self.clock = clock or SystemClock()
        self.settings = load_settings(self.engine)
        self.interval = float(interval or self.settings.get("tick_seconds") or 5.0)
        # Enrollments per runner batch (one transaction); smaller batches spread a
        # campaign's contacts over more workers (docs/scale.md).
        runner_batch = int(self.settings.get("runner_batch_size") or BATCH_SIZE)
        self.runner = Runner(self.engine, self.clock, mode="live", batch_size=runner_batch,
                             unsubscribe_url=unsubscribe_pattern(self.settings))  # fmt: skip
        self.channels = channels if channels is not None else build_channels(self.settings, outbox)
        self.dispatcher = Dispatcher(self.engine, self.channels, self.clock,
                                     settings=self.settings, batch_size=batch_size)  # fmt: skip
        self.worker_lock = WorkerLock(self.engine)
        self.scheduler: BackgroundScheduler | None = None
        self.listeners: list[Callable[[dict[str, Any]], None]] = []  # told after each tick
        self.last_error: str | None = None
        self.ticks = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._timed: set[str] = set()

    # ---- one tick ---------------------------------------------------------------------

    def run_once(self) -> dict[str, Any]:
        """Process all due work now: enroll and move contacts, then deliver what is due.
        Returns {"tick": TickReport, "delivery": DispatchReport}."""
        self.worker_lock.acquire()  # one worker per SQLite file (engine.worker_lock)
        with self._lock:
            try:
                tick = retry_on_conflict(self.runner.tick)
            except Exception:
                # Whatever stopped the runner, what is queued still goes out: then the error
                # is raised for the caller to log.
                if not self._stopping.is_set():
                    self.dispatcher.dispatch()
                raise
            delivery = DispatchReport() if self._stopping.is_set() else self.dispatcher.dispatch()
            self.ticks += 1
            result = {"tick": tick, "delivery": delivery}
        if self.scheduler is not None:
            self._schedule_campaign_times()
        for listener in list(self.listeners):
            try:
                listener(result)
            except Exception:
                log.exception("engine listener failed")
        return result

    def _job(self) -> None:
        """The scheduled tick: errors are logged and the next tick tries again (a locked
        database delays the engine, it never stops it)."""
        if self._stopping.is_set():
            return
        try:
            result = self.run_once()
            self.last_error = None
            _log_result(result)
        except OperationalError as exc:
            self.last_error = f"database busy: {exc.orig}"
            log.warning("tick postponed, %s", self.last_error)
        except Exception as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.exception("tick failed")

    # ---- running in the background ------------------------------------------------------

    def start(self) -> EngineService:
        """Tick now and then every `interval` seconds, in a background thread."""
        if self.scheduler is not None:
            return self
        self.worker_lock.acquire()  # refuse to start beside another worker on this file
        self._stopping.clear()
        self.dispatcher.reset()
        scheduler = BackgroundScheduler(timezone=dt.UTC)
        scheduler.add_job(
            self._job, "interval", seconds=self.interval, id=TICK_JOB, max_instances=1,
            coalesce=True, next_run_time=dt.datetime.now(dt.UTC), misfire_grace_time=None,
        )  # fmt: skip
        scheduler.start()
        self.scheduler = scheduler
        return self

    def _schedule_campaign_times(self) -> None:
        """A one-off tick at each campaign's scheduled start and end, so a campaign starts
        on time rather than at the next interval."""
        scheduler = self.scheduler
        if scheduler is None or self._stopping.is_set():
            return
        now = self.clock.now()
        c = campaigns.c
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(c.id, c.status, c.start_at, c.end_at).where(
                        or_(c.status == "scheduled", c.status.in_(("live", "paused")))
                    )
                ).all()
        except OperationalError:
            return
        for row in rows:
            for kind, when in (("start", row.start_at), ("end", row.end_at)):
                if when is None or when <= now or (kind == "start" and row.status != "scheduled"):
                    continue
                job_id = f"campaign-{row.id}-{kind}-{when.isoformat()}"
                if job_id in self._timed:
                    continue
                self._timed.add(job_id)
                # Wall-clock delay to that instant (the engine clock may be virtual).
                run_at = dt.datetime.now(dt.UTC) + (when - now) + dt.timedelta(milliseconds=50)
                try:
                    scheduler.add_job(self._job, "date", run_date=run_at, id=job_id,
                                      misfire_grace_time=None)  # fmt: skip
                except Exception:  # the scheduler is shutting down
                    return

    def request_stop(self) -> None:
        """Ask to stop soon (safe from a signal handler): no new dispatch starts, the one
        running ends after the message in hand. `shutdown()` then waits for it."""
        self._stopping.set()
        self.dispatcher.stop()

    def shutdown(self, wait: bool = True) -> None:
        """Stop: the dispatcher ends after the message in hand, the runner's batch commits,
        connections close. Safe to call twice."""
        self.request_stop()
        scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=wait)
        with self._lock:
            for channel in {id(c): c for c in self.channels.values()}.values():
                channel.close()
            self.worker_lock.release()

    @property
    def running(self) -> bool:
        return self.scheduler is not None


def _log_result(result: dict[str, Any]) -> None:
    tick, delivery = result["tick"], result["delivery"]
    if tick.enrolled or tick.moved or delivery.sent or delivery.failed or delivery.retried:
        log.info(
            "enrolled %d, moved %d, queued %d; sent %d, retried %d, failed %d, suppressed %d, "
            "in doubt %d",
            tick.enrolled, tick.moved, tick.messages, delivery.sent, delivery.retried,
            delivery.failed, delivery.suppressed, delivery.in_doubt,
        )  # fmt: skip
