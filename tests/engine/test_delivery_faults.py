"""Delivery faults (issue 16): a connection dropped after DATA's final dot is in doubt and
retried, never recorded as sent without the server's 250."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest_data import postgres_server  # noqa: F401  (fixture)
from delivery_support import T0, SmtpSink, make_database, queue_messages
from sqlalchemy import func, select

from engine.clock import VirtualClock
from engine.db.schema import messages
from engine.delivery.channels import SmtpChannel
from engine.delivery.dispatcher import Dispatcher


class DroppingSink(SmtpSink):
    """Takes the whole message, then closes the connection before answering for every
    `every`-th DATA: nothing was accepted (the server never said 250), so it keeps
    nothing."""

    def __init__(self, every: int) -> None:
        super().__init__()
        self.every, self.datas, self.dropped = every, 0, 0

    async def handle_DATA(self, server, session, envelope):
        self.datas += 1
        if self.datas % self.every == 0:
            self.dropped += 1
            server.transport.abort()  # after the final dot, before the reply
            return "451 never sent"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def dropping():
    server = DroppingSink(every=10).start()
    yield server
    server.stop()


def test_a_connection_lost_after_the_final_dot_is_retried_not_lost(tmp_path, dropping):
    engine = make_database(tmp_path / "db.sqlite", 200)
    queue_messages(engine, range(1, 201))
    clock = VirtualClock(T0)
    channel = SmtpChannel("127.0.0.1", dropping.port, timeout=5)
    report = Dispatcher(engine, {"email": channel}, clock).dispatch()
    assert dropping.dropped == 20
    assert report.in_doubt == 20 and report.sent == 180
    with engine.connect() as conn:
        sent_not_received = conn.scalar(
            select(func.count()).where(messages.c.status == "sent")
        ) - len(dropping.received)
        doubted = conn.execute(
            select(messages.c.status, messages.c.in_doubt, messages.c.error).where(
                messages.c.in_doubt > 0
            )
        ).all()
    assert sent_not_received == 0  # before the fix: 20 recorded as sent, never received
    assert len(doubted) == 20
    assert all(s == "queued" and "in doubt" in e for s, _n, e in doubted)
    dropping.every = 10**9  # the server behaves again: the retries go through
    clock.advance(dt.timedelta(hours=1))
    report = Dispatcher(
        engine, {"email": SmtpChannel("127.0.0.1", dropping.port)}, clock
    ).dispatch()
    assert report.sent == 20
    assert len(dropping.received) == 200 and len(set(dropping.counts("To"))) == 200
    with engine.connect() as conn:
        assert conn.scalar(select(func.sum(messages.c.in_doubt))) == 20  # the figure stays


def _run_on_a_full_disk(tmp_path, port: int) -> tuple[str, dict]:
    """The scenario in a subprocess, its folder a real 1 MB tmpfs when this machine lets
    us mount one (root, or a user namespace); else RLIMIT_FSIZE. Returns (mode, summary)."""
    import json
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).with_name("disk_full_scenario.py")
    folder = tmp_path / "disk"
    folder.mkdir()
    python = [sys.executable, str(script), str(folder), str(port)]
    unshare = shutil.which("unshare")
    flags = "-m" if os.geteuid() == 0 else "-Urm"
    commands = []
    if unshare:
        mount = f"mount -t tmpfs -o size=1m tmpfs {folder} && exec " + " ".join(
            f"'{part}'" for part in [*python, "tmpfs"]
        )
        commands.append(("tmpfs", [unshare, flags, "sh", "-c", mount]))
    commands.append(("fsize", [*python, "fsize"]))
    for mode, command in commands:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode == 0:
            return mode, json.loads(done.stdout.strip().splitlines()[-1])
        if mode == "fsize" or "mount" not in done.stderr:
            raise AssertionError(done.stderr[-3000:])
    raise AssertionError("unreachable")


def test_a_full_disk_after_the_hand_over_never_sends_twice(tmp_path):
    sink = SmtpSink().start()
    try:
        mode, summary = _run_on_a_full_disk(tmp_path, sink.port)
    finally:
        sink.stop()
    print(mode, summary)
    rounds = summary["rounds"]
    assert rounds[0]["stopped"] and "cannot" in rounds[0]["stopped"]  # it says why
    assert rounds[1] == {"sent": 0, "stopped": rounds[1]["stopped"]} and rounds[1]["stopped"]
    counts = sink.counts("To")
    assert len(counts) == 200  # every contact got it
    assert max(counts.values()) == 1  # before the fix: the message in hand was sent again
    assert summary["statuses"] == {"sent": 200}


def test_a_worker_killed_during_a_hand_over_leaves_it_in_doubt(tmp_path):
    """The journal says a send began ("?id") but never that the server said 250 ("+id"):
    the message is sent again and counted as in doubt (issue 16 #2, #5)."""
    import socket
    import subprocess
    import sys

    from sqlalchemy import update

    sink = SmtpSink().start()
    try:
        engine = make_database(tmp_path / "db.sqlite", 3)
        queue_messages(engine, [1, 2, 3])
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout.strip()  # fmt: skip
        host = socket.gethostname()
        with engine.begin() as conn:
            conn.execute(update(messages).values(
                status="sending", attempts=1, error=f"sending by {host}:{dead}:abc",
                next_attempt_at=T0 + dt.timedelta(minutes=5)))  # fmt: skip
        journal = tmp_path / f"db.sqlite.handover-{host}-{dead}-abc.log"
        journal.write_text(f"?1\n+1 {T0.isoformat()}\n?2\n")  # 1 accepted, 2 in flight
        report = Dispatcher(engine, {"email": SmtpChannel("127.0.0.1", sink.port)},
                            VirtualClock(T0)).dispatch()  # fmt: skip
        with engine.connect() as conn:
            rows = dict(conn.execute(select(messages.c.contact_id, messages.c.in_doubt)).all())
        assert report.sent == 2  # 2 (in doubt) and 3 (never begun) sent; 1 not again
        assert sorted(sink.counts("To")) == ["user2@example.com", "user3@example.com"]
        assert rows == {1: 0, 2: 1, 3: 0}
    finally:
        sink.stop()


def test_on_postgresql_the_first_message_a_killed_worker_left_is_in_doubt(postgres_server):  # noqa: F811
    """No journal on PostgreSQL: a worker sends its claim in id order, so of what a dead
    worker left 'sending' the first may have been mid hand-over: it is counted in doubt."""
    import socket
    import subprocess
    import sys

    from conftest_data import new_postgres_database
    from sqlalchemy import update

    sink = SmtpSink().start()
    try:
        engine = make_database(new_postgres_database(postgres_server), 4)
        queue_messages(engine, [1, 2, 3, 4])
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout.strip()  # fmt: skip
        owner = f"sending by {socket.gethostname()}:{dead}:abc"
        with engine.begin() as conn:
            conn.execute(update(messages).where(messages.c.contact_id >= 2).values(
                status="sending", attempts=1, error=owner,
                next_attempt_at=T0 + dt.timedelta(minutes=5)))  # fmt: skip
        report = Dispatcher(engine, {"email": SmtpChannel("127.0.0.1", sink.port)},
                            VirtualClock(T0)).dispatch()  # fmt: skip
        with engine.connect() as conn:
            doubt = dict(conn.execute(select(messages.c.contact_id, messages.c.in_doubt)).all())
        assert report.recovered == 3 and report.sent == 4
        assert doubt == {1: 0, 2: 1, 3: 0, 4: 0}
        engine.dispose()
    finally:
        sink.stop()
