"""Several `campaign-studio run` workers on one PostgreSQL database: they share the work
(FOR UPDATE SKIP LOCKED), each enrollment moves through each node once, and each contact
gets each message once at a real SMTP server — also when one worker is killed with
SIGKILL in the middle. See docs/scale.md."""

from __future__ import annotations

import datetime as dt
import email.policy
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from email.utils import parseaddr
from pathlib import Path

import pytest
from conftest_data import new_postgres_database, postgres_server  # noqa: F401  (fixture)
from delivery_support import T0, SmtpSink, make_database, smtp_settings
from sqlalchemy import Engine, func, insert, select

from engine.clock import VirtualClock
from engine.db.schema import campaigns, enrollments, events, messages, steps

CONTACTS = 2000
NODES = ("start", "mail1", "pause", "mail2")  # every journey visits these, once each
EXPECTED = CONTACTS * 2
LAUNCH = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]
SENT_LINE = re.compile(r"; sent (\d+), retried")
MOVED_LINE = re.compile(r", moved (\d+), queued")


def email_campaign_with_wait(engine: Engine) -> int:
    """trigger.manual → email → wait 2 s → email, inline bodies; saved, not started."""
    from engine import campaigns as lifecycle
    from engine.diagram import Diagram, Edge, Node

    diagram = Diagram("Workers", {"entry": "once"})
    diagram.nodes["start"] = Node("start", "trigger.manual",
                                  {"filter": {"field": "email", "op": "is_set"}})  # fmt: skip
    for index in (1, 2):
        diagram.nodes[f"mail{index}"] = Node(f"mail{index}", "action.send_email", {
            "subject": f"Mail {index} for {{{{ contact.first_name }}}}",
            "body": f"<p>Hello {{{{ contact.first_name }}}}, mail {index}</p>"
                    "<a href='{{ unsubscribe_url }}'>unsubscribe</a>",
            "text": f"Hello {{{{ contact.first_name }}}}, mail {index}",
            "sender": "Shop <shop@example.com>",
        })  # fmt: skip
    diagram.nodes["pause"] = Node("pause", "wait.delay", {"duration": "PT2S"})
    diagram.edges += [Edge("start", "mail1", "out"), Edge("mail1", "pause", "out"),
                      Edge("pause", "mail2", "out")]  # fmt: skip
    return lifecycle.save_campaign(engine, diagram)


class Worker:
    """One `campaign-studio run --db URL` subprocess, its log in a file."""

    def __init__(self, url: str, log: Path) -> None:
        self.log = log
        self.out = log.open("wb")
        self.process = subprocess.Popen(
            [*LAUNCH, "run", "--db", url, "--interval", "0.3"],
            stdout=subprocess.DEVNULL, stderr=self.out,
        )  # fmt: skip

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def ready(self) -> bool:
        return "engine running" in self.text()

    def sent(self) -> int:
        """Messages this worker reported sent (one log line per tick that did something)."""
        return sum(int(n) for n in SENT_LINE.findall(self.text()))

    def moved(self) -> int:
        """Enrollments this worker's runner moved."""
        return sum(int(n) for n in MOVED_LINE.findall(self.text()))

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(timeout=60)
        self.out.close()
        return code


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def count(engine: Engine, query) -> int:
    with engine.connect() as conn:
        return conn.scalar(query)


def unfinished(engine: Engine) -> int:
    m, e = messages.c, enrollments.c
    queued = select(func.count()).select_from(messages).where(m.status.in_(("queued", "sending")))
    active = select(func.count()).select_from(enrollments).where(e.status == "active")
    return count(engine, queued) + count(engine, active)


def run_workers(tmp_path: Path, url: str, kill_at: float | None) -> dict:
    """Three workers against one SMTP server, the campaign started once all are up; with
    `kill_at`, one is killed with SIGKILL when that fraction of the mail has arrived."""
    from engine import campaigns as lifecycle

    sink = SmtpSink().start()
    engine = make_database(url, CONTACTS)
    smtp_settings(engine, sink.port, batch_size=50, runner_batch_size=200)
    campaign_id = email_campaign_with_wait(engine)
    workers = [Worker(url, tmp_path / f"worker{n}.log") for n in range(3)]
    killed = None
    try:
        wait_for(lambda: all(w.ready() or w.process.poll() is not None for w in workers),
                 120, "the workers to start")  # fmt: skip
        for worker in workers:
            assert worker.process.poll() is None, worker.text()
        began = time.monotonic()
        lifecycle.start(engine, campaign_id)
        if kill_at is not None:
            goal = int(EXPECTED * kill_at)
            wait_for(lambda: len(sink.received) >= goal, 180, f"{goal} messages")
            killed = workers[1]
            os.kill(killed.process.pid, signal.SIGKILL)
            killed.process.wait()  # reaped: its pid is gone, the others take its claims back
        wait_for(lambda: (unfinished(engine) == 0 and len(sink.received) >= EXPECTED)
                 or any(w.process.poll() not in (None, -9) for w in workers),
                 300, "all the work to be done")  # fmt: skip
        seconds = time.monotonic() - began
        time.sleep(1.0)  # anything late would show up now
        for worker in workers:
            code = worker.stop()
            assert worker is killed or code == 0, worker.text()
    finally:
        for worker in workers:
            if worker.process.poll() is None:
                worker.process.kill()
                worker.process.wait()
        sink.stop()
    print(f"\n{EXPECTED} messages by 3 workers in {seconds:.1f} s")
    return {"engine": engine, "sink": sink, "workers": workers, "killed": killed}


def check_each_once(engine: Engine, sink: SmtpSink, duplicates_allowed: int) -> Counter:
    """Every contact got each mail once (counted at the server), each enrollment visited each
    node once, every message row is sent with one email_sent event."""
    headers = BytesHeaderParser(policy=email.policy.default)  # the bodies are not needed
    with sink.lock:
        parsed = [headers.parsebytes(content) for _, _, content in sink.received]
    received = Counter(
        (parseaddr(str(m["To"]))[1], str(m["Subject"]).split(" for ")[0]) for m in parsed
    )
    wanted = {(f"user{i}@example.com", f"Mail {n}") for i in range(1, CONTACTS + 1)
              for n in (1, 2)}  # fmt: skip
    duplicated = sum(n - 1 for n in received.values() if n > 1)
    assert set(received) == wanted  # nothing lost, nothing extra
    assert duplicated <= duplicates_allowed, received.most_common(3)
    assert len({str(m["Message-ID"]) for m in parsed}) == EXPECTED  # a copy has the same id
    s, m = steps.c, messages.c
    with engine.connect() as conn:
        visits = Counter(conn.execute(select(s.enrollment_id, s.node_id)).all())
        journeys = dict(conn.execute(select(enrollments.c.status, func.count())
                                     .group_by(enrollments.c.status)).all())  # fmt: skip
        statuses = dict(conn.execute(select(m.status, func.count()).group_by(m.status)).all())
        keys = conn.scalar(select(func.count(func.distinct(m.key))))
        sent_events = Counter(conn.scalars(select(events.c.message_id)
                                           .where(events.c.name == "email_sent")))  # fmt: skip
    assert journeys == {"completed": CONTACTS}
    assert len(visits) == CONTACTS * len(NODES)
    assert set(visits.values()) == {1}  # no enrollment processed twice
    assert Counter(node for _, node in visits) == {node: CONTACTS for node in NODES}
    assert statuses == {"sent": EXPECTED} and keys == EXPECTED
    assert len(sent_events) == EXPECTED and set(sent_events.values()) == {1}
    return received


@pytest.mark.slow
def test_three_workers_share_the_work_and_process_each_enrollment_once(
    tmp_path,
    postgres_server,  # noqa: F811
):
    url = new_postgres_database(postgres_server)
    result = run_workers(tmp_path, url, kill_at=None)
    engine = result["engine"]
    check_each_once(engine, result["sink"], duplicates_allowed=0)
    with engine.connect() as conn:
        attempts = set(conn.scalars(select(messages.c.attempts).distinct()))
    assert attempts == {1}  # no message row was claimed (or sent) twice
    shares = [w.sent() for w in result["workers"]]
    moves = [w.moved() for w in result["workers"]]
    print(f"\nmessages sent per worker: {shares}; enrollments moved per worker: {moves}")
    assert sum(shares) == EXPECTED
    assert sum(1 for n in shares if n > 0) >= 2, shares  # the sending was shared
    assert sum(moves) == CONTACTS * 2  # each enrollment moved twice: at the start, after the wait
    assert sum(1 for n in moves if n > 0) >= 2, moves  # and so was the moving


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing_and_duplicates_at_most_its_message_in_flight(
    tmp_path,
    postgres_server,  # noqa: F811
):
    url = new_postgres_database(postgres_server)
    result = run_workers(tmp_path, url, kill_at=0.4)
    received = check_each_once(result["engine"], result["sink"], duplicates_allowed=1)
    shares = [w.sent() for w in result["workers"] if w is not result["killed"]]
    print(f"\nkilled one of 3 workers: received {sum(received.values())} for {EXPECTED}, "
          f"the survivors logged {shares} sent")  # fmt: skip
    assert all(w.process.returncode == -signal.SIGKILL for w in [result["killed"]])


# ---- triggers: one worker at a time reads a campaign's new events --------------------


def event_campaign(engine: Engine, entry: str) -> int:
    """trigger.event "signed_up" → email (queued, not sent: no dispatcher here)."""
    from engine import campaigns as lifecycle
    from engine.diagram import Diagram, Edge, Node

    diagram = Diagram("Sign-ups", {"entry": entry})
    diagram.nodes["start"] = Node("start", "trigger.event", {"event": "signed_up"})
    diagram.nodes["hello"] = Node("hello", "action.send_email", {
        "subject": "Welcome", "body": "<p>Hi {{ contact.first_name }}</p>",
        "sender": "Shop <shop@example.com>"})  # fmt: skip
    diagram.edges.append(Edge("start", "hello", "out"))
    campaign_id = lifecycle.save_campaign(engine, diagram)
    lifecycle.start(engine, campaign_id, T0)
    return campaign_id


def sign_up(engine: Engine, contact_ids, at: dt.datetime) -> None:
    rows = [{"contact_id": cid, "name": "signed_up", "occurred_at": at, "properties": {}}
            for cid in contact_ids]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(events), rows)


def test_a_worker_skips_the_triggers_of_a_campaign_another_worker_is_reading(
    postgres_server,  # noqa: F811
):
    from engine.runner import Runner

    engine = make_database(new_postgres_database(postgres_server), 50)
    campaign_id = event_campaign(engine, "once")
    sign_up(engine, range(1, 21), T0 + dt.timedelta(seconds=1))
    runner = Runner(engine, VirtualClock(T0))
    with engine.connect() as other:  # another worker, in the middle of its trigger phase
        with other.begin():
            other.execute(select(campaigns.c.id).where(campaigns.c.id == campaign_id)
                          .with_for_update(key_share=True))  # fmt: skip
            skipped = runner.tick(T0 + dt.timedelta(seconds=2))
        done = runner.tick(T0 + dt.timedelta(seconds=3))
    assert skipped.enrolled == 0  # not blocked, not enrolled twice: left to the other one
    assert done.enrolled == 20


@pytest.mark.parametrize("entry", ["once", "every_time"])
def test_workers_ticking_together_enroll_each_event_once(postgres_server, entry):  # noqa: F811
    """Three runners (each its own connection pool) tick at the same instants while
    contacts keep signing up: each sign-up enrolls its contact once, with no error."""
    from engine.db import open_database
    from engine.runner import Runner

    url = new_postgres_database(postgres_server)
    engine = make_database(url, 300)
    event_campaign(engine, entry)
    runners = [Runner(open_database(url), VirtualClock(T0)) for _ in range(3)]
    barrier = threading.Barrier(len(runners))
    errors: list[BaseException] = []

    def work(runner, moments) -> None:
        for now in moments:
            barrier.wait(timeout=60)
            try:
                runner.tick(now)
            except BaseException as exc:  # reported below
                errors.append(exc)

    moments = [T0 + dt.timedelta(seconds=s) for s in range(2, 22, 2)]
    for step, now in enumerate(moments):  # 30 sign-ups before each tick
        sign_up(engine, range(step * 30 + 1, step * 30 + 31), now - dt.timedelta(seconds=1))
    threads = [threading.Thread(target=work, args=(r, moments)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with engine.connect() as conn:
        enrolled = Counter(conn.scalars(select(enrollments.c.contact_id)))
        visits = Counter(conn.execute(select(steps.c.enrollment_id, steps.c.node_id)).all())
        queued = conn.scalar(select(func.count()).select_from(messages))
    assert len(enrolled) == 300 and set(enrolled.values()) == {1}
    assert set(visits.values()) == {1} and len(visits) == 600
    assert queued == 300


def test_a_tick_rolled_back_for_a_conflict_with_another_worker_runs_again(
    postgres_server,  # noqa: F811
):
    """A real serialization failure (40001): the work runs again and succeeds; any other
    database error is not retried."""
    from sqlalchemy import update
    from sqlalchemy.exc import DBAPIError, IntegrityError

    from engine.service import retry_on_conflict

    engine = make_database(new_postgres_database(postgres_server), 1)
    c = campaigns.c
    with engine.begin() as conn:
        conn.execute(
            insert(campaigns),
            {
                "id": 1,
                "name": "A",
                "status": "draft",
                "version": 1,
                "definition": {},
                "created_at": T0,
                "updated_at": T0,
            },
        )
    calls = []

    def work() -> str:
        calls.append(1)
        isolated = engine.execution_options(isolation_level="REPEATABLE READ")
        with isolated.connect() as conn, conn.begin():
            conn.scalar(select(c.name).where(c.id == 1))  # the snapshot is taken here
            if len(calls) == 1:  # another worker changes the row meanwhile
                with engine.begin() as other:
                    other.execute(update(campaigns).where(c.id == 1).values(owner="other"))
            conn.execute(update(campaigns).where(c.id == 1).values(name="B"))
        return "done"

    assert retry_on_conflict(work) == "done" and len(calls) == 2
    with engine.connect() as conn:
        assert conn.execute(select(c.name, c.owner)).one() == ("B", "other")

    def broken() -> None:
        calls.append(1)
        with engine.begin() as conn:
            conn.execute(insert(campaigns), {"id": 1, "name": "again", "status": "draft",
                                             "version": 1, "definition": {}, "created_at": T0,
                                             "updated_at": T0})  # fmt: skip

    calls.clear()
    with pytest.raises(IntegrityError):
        retry_on_conflict(broken)
    assert len(calls) == 1 and issubclass(IntegrityError, DBAPIError)


def test_dispatcher_on_postgresql_records_only_what_the_server_kept(
    postgres_server,  # noqa: F811
):
    """The "sent" record staged before each send is committed at the hand-over, and rolled
    back (or taken back) when the server refuses before or after it."""
    from delivery_support import queue_messages

    from engine.db.schema import contacts
    from engine.delivery.channels import SmtpChannel
    from engine.delivery.dispatcher import Dispatcher

    sink = SmtpSink().start()
    try:
        engine = make_database(new_postgres_database(postgres_server), 5)
        queue_messages(engine, [1, 2, 3, 4, 5])
        sink.refuse_data["user1@example.com"] = "554 5.7.1 message refused"  # after "."
        sink.refuse_data["user2@example.com"] = "451 4.3.0 try later"
        sink.refuse["user3@example.com"] = "451 4.2.0 mailbox busy"  # before anything left
        sink.refuse["user4@example.com"] = "550 5.1.1 no such user"
        channel = SmtpChannel("127.0.0.1", sink.port)
        dispatcher = Dispatcher(engine, {"email": channel}, VirtualClock(T0))
        assert dispatcher.journal is None  # no journal file next to a server database
        report = dispatcher.dispatch()
    finally:
        sink.stop()
    assert (report.sent, report.failed, report.retried, report.bounced) == (1, 2, 2, 1)
    m = messages.c
    with engine.connect() as conn:
        rows = {r.contact_id: (r.status, r.sent_at) for r in conn.execute(select(messages))}
        named = sorted(conn.execute(select(events.c.contact_id, events.c.name)).all())
        bounced = set(conn.scalars(select(contacts.c.id).where(contacts.c.bounced)))
        attempts = set(conn.scalars(select(m.attempts)))
    assert rows == {1: ("failed", None), 2: ("queued", None), 3: ("queued", None),
                    4: ("failed", None), 5: ("sent", T0)}  # fmt: skip
    assert named == [(4, "bounced"), (5, "email_sent")] and bounced == {4}
    assert attempts == {1}
    assert [parseaddr(str(m_["To"]))[1] for m_ in sink.parsed()] == ["user5@example.com"]
