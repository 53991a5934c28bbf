"""Writing the runner's batches in a second process (SQLite; issue #15).

While the writer process writes batch N (one transaction: the enrollments moved, the steps,
messages and events, the contacts changed), the runner claims and moves batch N+1 and the
render process renders its messages: the three share the machine's cores instead of taking
turns under one Python lock. The runner stays the one who decides; the writer only runs
`Runner._write` on what it is given. A batch that fails there is raised in the runner, as
if it had failed in place."""

from __future__ import annotations

import atexit
import datetime as dt
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sqlalchemy import Engine

_pool: ProcessPoolExecutor | None = None
_pool_pid: int | None = None
_broken = False
_engines: dict[tuple[str, tuple[str, ...]], Engine] = {}  # in the writer process


def available() -> bool:
    """A writer process can be used: two cores or more, not a frozen build, none failed."""
    from engine.runner.render_pool import helpers_possible

    return not _broken and helpers_possible()


def submit(url: str, pragmas: tuple[str, ...], mode: str, moves, now, writes) -> Future:
    """Write a batch in the writer process (started the first time, `forkserver`: never a
    fork of a process that runs threads); it leaves when this process is gone."""
    global _pool, _pool_pid
    if _pool is None or _pool_pid != os.getpid():
        from engine.runner.render_pool import start_helpers

        _pool = start_helpers(1)
        _pool_pid = os.getpid()
    try:
        return _pool.submit(write_batch, url, pragmas, mode, moves, now, writes, os.getpid())
    except BrokenProcessPool:  # it died since the last batch: the runner writes from now on
        shutdown(broken=True)
        raise


def forget(url: str) -> None:
    """Close the writer process's connections to `url` — a simulation's copy about to be
    deleted (an open connection would keep its gigabytes on disk until the process ends)."""
    if _pool is None or _pool_pid != os.getpid():
        return
    try:
        _pool.submit(_dispose, url).result(timeout=60)
    except Exception:  # a writer that died holds nothing open
        shutdown(broken=True)


def _dispose(url: str) -> None:
    for key in [key for key in _engines if key[0] == url]:
        _engines.pop(key).dispose()


def shutdown(broken: bool = False) -> None:
    """Stop the writer process; `broken`: it failed, so the runner writes itself from now."""
    global _pool, _broken
    if _pool is not None and _pool_pid == os.getpid():
        _pool.shutdown(wait=not broken, cancel_futures=True)
    _pool = None
    _broken = _broken or broken


def write_batch(
    url: str,
    pragmas: tuple[str, ...],
    mode: str,
    moves: list,
    now: dt.datetime,
    writes,
    runner_pid: int | None = None,
) -> dict[str, Any]:
    """In the writer process: one batch's writes in one transaction; its figures back. A
    runner that is gone (killed) by the time the batch is written gets it rolled back: a
    runner started again may already have claimed those enrollments."""
    from engine.runner.core import Runner, TickReport
    from engine.runner.render_pool import alive

    engine = _engines.get((url, pragmas))
    if engine is None:
        engine = _engines[(url, pragmas)] = _open(url, pragmas)
    report = TickReport(now=now)
    with engine.begin() as conn:
        Runner(engine, mode=mode)._write(conn, moves, now, writes, report)
        if runner_pid is not None and not alive(runner_pid):
            raise RuntimeError("the runner is gone: its batch is not written")
    return {
        "steps": report.steps,
        "messages": report.messages,
        "by_status": dict(report.by_status),
    }


def _open(url: str, pragmas: tuple[str, ...]) -> Engine:
    from engine.db import add_pragmas, open_database

    engine = open_database(url, create=False)
    add_pragmas(engine, pragmas)
    return engine


atexit.register(shutdown)
