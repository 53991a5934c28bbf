"""A locked database (another connection holds BEGIN IMMEDIATE) delays the engine; it never
corrupts the database or crashes the engine, which goes on once the lock is released."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter

from delivery_support import SmtpSink, email_campaign, make_database
from sqlalchemy import create_engine, event, func, select

from engine.db.schema import messages
from engine.delivery.channels import SmtpChannel
from engine.service import EngineService


def hold_write_lock(path, seconds: float, taken: threading.Event) -> None:
    other = sqlite3.connect(path, timeout=30, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE settings SET value = value WHERE key = 'nothing'")
    taken.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


def impatient_engine(path):
    """The same database, with a 100 ms busy timeout, so the lock really raises inside the
    engine (with the default 30 s timeout it only waits)."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})

    @event.listens_for(engine, "connect")
    def pragmas(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=100")

    return engine


def status_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(select(messages.c.status, func.count())
                                 .group_by(messages.c.status)).all())  # fmt: skip


def run_with_lock(tmp_path, engine_for_service, lock_seconds: float,
                  mid_sending: bool) -> Counter:  # fmt: skip
    """Lock before the engine starts (the runner's tick waits), or in the middle of sending
    (the dispatcher's claims and hand-over records wait)."""
    path = tmp_path / "db.sqlite"
    engine = make_database(path, 120)
    sink = SmtpSink().start()
    email_campaign(engine, nodes=2)
    taken = threading.Event()
    locker = threading.Thread(target=hold_write_lock, args=(path, lock_seconds, taken))
    if not mid_sending:
        locker.start()
        taken.wait(10)
    service_engine = engine_for_service(path) if engine_for_service else engine
    channel = SmtpChannel("127.0.0.1", sink.port)
    service = EngineService(service_engine, interval=0.2, channels={"email": channel},
                            batch_size=10)  # fmt: skip
    service.start()
    try:
        if mid_sending:
            deadline = time.monotonic() + 60
            while len(sink.received) < 30:
                assert time.monotonic() < deadline
                time.sleep(0.001)
            locker.start()
            taken.wait(10)
            held_at = len(sink.received)
        locker.join()
        if mid_sending:
            assert held_at < 240  # the lock really came in the middle
        deadline = time.monotonic() + 90
        while status_counts(engine) != {"sent": 240}:
            assert time.monotonic() < deadline, status_counts(engine)
            time.sleep(0.05)
        assert service.running
    finally:
        service.shutdown()
        sink.stop()
    integrity = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0]
    assert integrity == "ok"
    return Counter((str(m["To"]), str(m["Subject"])) for m in sink.parsed())


def test_a_lock_held_for_seconds_only_delays_the_engine(tmp_path):
    received = run_with_lock(tmp_path, None, 2.0, mid_sending=False)
    assert len(received) == 240 and set(received.values()) == {1}


def test_lock_errors_inside_the_engine_are_survived(tmp_path):
    seen_errors = []
    import logging

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "busy" in record.getMessage() or "locked" in record.getMessage():
                seen_errors.append(record.getMessage())

    handler = Catch()
    logging.getLogger("engine").addHandler(handler)
    try:
        received = run_with_lock(tmp_path, impatient_engine, 2.0, mid_sending=True)
    finally:
        logging.getLogger("engine").removeHandler(handler)
    assert seen_errors, "the lock should have been hit with a 100 ms busy timeout"
    assert len(received) == 240 and set(received.values()) == {1}
