"""Forecasts: run a campaign on a copy of the database with the virtual clock, so a marketer
sees per-node figures before going live. The user's database is only ever read."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from engine.clock import VirtualClock, to_naive_utc, utcnow
from engine.db import database_url, open_database
from engine.db.schema import campaigns, enrollments, events, metadata
from engine.diagram import Diagram

MIN_STEP = dt.timedelta(minutes=10)
MAX_STEP = dt.timedelta(hours=6)
ENGAGEMENT_KEYS = ("opened", "clicked", "unsubscribed", "bounced")


class SimulationError(ValueError):
    """Bad input to a simulation (database, --assume), said in a sentence."""


def parse_assume(text: str | None) -> dict[str, float]:
    """'opened=0.3,clicked=0.1' → {"opened": 0.3, "clicked": 0.1}; rates in 0..1."""
    out: dict[str, float] = {}
    if not text:
        return out
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name:
            raise SimulationError(f"--assume: {part!r} is not NAME=RATE (e.g. opened=0.3)")
        try:
            rate = float(value)
        except ValueError:
            raise SimulationError(
                f"--assume: {value.strip()!r} for {name} is not a number"
            ) from None
        if not 0.0 <= rate <= 1.0:
            raise SimulationError(f"--assume: {name}={value.strip()} must be between 0 and 1")
        out[name] = rate
    return out


def copy_database(db: str | Path, target: Path) -> None:
    """Copy `db` into the SQLite file `target` without writing to `db`.

    SQLite: the backup API from a read-only connection. Any other URL: every table is
    read with SELECTs and written into the SQLite copy (schema from engine.db.schema)."""
    url = database_url(db)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if not path or path == ":memory:" or not Path(path).is_file():
            raise SimulationError(f"database {db} does not exist")
        source = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(str(target))
            with destination:
                source.backup(destination)
            destination.close()
        except sqlite3.DatabaseError as exc:
            raise SimulationError(f"{db} is not a readable database: {exc}") from None
        finally:
            source.close()
        return
    from sqlalchemy import create_engine

    source_engine = create_engine(url)
    copy = open_database(target)
    try:
        with source_engine.connect() as src, copy.begin() as dst:
            for table in metadata.sorted_tables:
                result = src.execution_options(yield_per=5000).execute(select(table))
                for chunk in result.mappings().partitions():
                    dst.execute(insert(table), [dict(r) for r in chunk])
    finally:
        source_engine.dispose()
        copy.dispose()


def simulate(
    diagram: Diagram,
    db: str | Path,
    days: float,
    start: dt.datetime | None = None,
    assume: dict[str, float] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    max_step: dt.timedelta = MAX_STEP,
    batch_size: int | None = None,
) -> dict[str, Any]:
    """Forecast `diagram` on a copy of `db` for `days` from `start` (default now).

    Returns the `stats --json` shape. Raises CampaignError when the diagram has errors
    and SimulationError for a bad database."""
    from engine import campaigns as campaign_store
    from engine import stats
    from engine.runner import Runner

    if days <= 0:
        raise SimulationError("--days must be more than 0")
    start = to_naive_utc(start) if start is not None else utcnow().replace(microsecond=0)
    end = start + dt.timedelta(days=days)
    handle, name = tempfile.mkstemp(prefix="campaign-studio-simulate-", suffix=".db")
    os.close(handle)
    temp = Path(name)
    engine: Engine | None = None
    try:
        copy_database(db, temp)
        engine = open_database(temp)
        _tune_copy(engine)
        campaign_id = _install(engine, diagram, start)
        clock = VirtualClock(start)
        runner = Runner(engine, clock, mode="simulate", assume=assume or {})
        runner.writer_pragmas = COPY_PRAGMAS  # its writer process tunes the copy alike
        if batch_size:
            runner.batch_size = batch_size
        runner.segment_check_every = max_step
        campaign_store.start(engine, campaign_id, start)
        watched = _watched_events(diagram)
        total = int((end - start).total_seconds())
        while True:
            runner.tick(clock.now())
            if progress is not None:
                progress(int((clock.now() - start).total_seconds()), total)
            if clock.now() >= end:
                break
            clock.set(_next_time(engine, campaign_id, clock.now(), end, watched, max_step))
        with engine.connect() as conn:
            return stats_document(conn, campaign_id, end, stats)
    finally:
        if engine is not None:
            from engine.runner import writer

            writer.forget(engine.url.render_as_string(hide_password=False))
            engine.dispose()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(temp) + suffix).unlink(missing_ok=True)


COPY_CACHE_KIB = 65536
COPY_PRAGMAS = ("synchronous=OFF", f"cache_size=-{COPY_CACHE_KIB}")


def _tune_copy(engine: Engine) -> None:
    """The copy is thrown away afterwards: no fsync, and a page cache large enough that
    index updates do not thrash as the copy grows (a fixed cap, so memory stays flat;
    big sorts and DISTINCTs spill to temporary files, never to memory)."""
    from engine.db import add_pragmas

    add_pragmas(engine, COPY_PRAGMAS)
    engine.dispose()  # connections made before the listener reconnect with it


def stats_document(conn, campaign_id: int, now: dt.datetime, stats_module=None) -> dict[str, Any]:
    from engine import stats

    module = stats_module or stats
    return {
        "nodes": module.node_stats(conn, campaign_id, now),
        "campaign": module.campaign_stats(conn, campaign_id, now),
    }


def _install(engine: Engine, diagram: Diagram, start: dt.datetime) -> int:
    """Save the diagram as a fresh draft in the copy. Other campaigns stay as they are but
    do not run (paused); a live campaign of the same name is renamed out of the way."""
    from engine import campaigns as campaign_store

    with engine.begin() as conn:
        conn.execute(
            update(campaigns)
            .where(campaigns.c.status.in_(("live", "scheduled")))
            .values(status="paused")
        )
        existing = conn.scalar(select(campaigns.c.id).where(campaigns.c.name == diagram.name))
        if existing is not None:
            conn.execute(
                update(campaigns)
                .where(campaigns.c.id == existing)
                .values(name=f"{diagram.name} (existing #{existing})")
            )
    return campaign_store.save_campaign(engine, diagram, note="simulation")


def _watched_events(diagram: Diagram) -> list[str]:
    """Events whose moment matters: they enroll, convert or end a wait."""
    names = set()
    for node in diagram.nodes.values():
        if node.type in ("trigger.event", "goal", "wait.for_event") and node.params.get("event"):
            names.add(node.params["event"])
    return sorted(names)


def _next_time(engine: Engine, campaign_id: int, now: dt.datetime, end: dt.datetime,
               watched: list[str], max_step: dt.timedelta) -> dt.datetime:  # fmt: skip
    """The next moment with work: a due contact or a watched event, at least MIN_STEP and
    at most max_step ahead (segment entries and date fields are checked at least that
    often), never past the end."""
    with engine.connect() as conn:
        candidates = []
        due = conn.scalar(
            select(func.min(enrollments.c.due_at)).where(
                enrollments.c.campaign_id == campaign_id,
                enrollments.c.status == "active",
                enrollments.c.due_at > now,
            )
        )
        if due is not None:
            candidates.append(due)
        if watched:
            happens = conn.scalar(
                select(func.min(events.c.occurred_at)).where(
                    events.c.name.in_(watched), events.c.occurred_at > now
                )
            )
            if happens is not None:
                candidates.append(happens)
        scheduled = conn.scalar(
            select(campaigns.c.start_at).where(
                campaigns.c.id == campaign_id, campaigns.c.status == "scheduled"
            )
        )
        if scheduled is not None and scheduled > now:
            candidates.append(scheduled)
    target = min(candidates) if candidates else now + max_step
    target = max(target, now + MIN_STEP)
    return min(target, now + max_step, end)
