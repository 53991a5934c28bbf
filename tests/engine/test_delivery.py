"""The dispatcher against a real SMTP server on 127.0.0.1: sent once, retried with
backoff, failed with the reason, suppressed, bounced, rate limited."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time

import pytest
from delivery_support import T0, SmtpSink, make_database, queue_messages
from sqlalchemy import func, select, update

from engine.clock import VirtualClock
from engine.db.schema import contacts, events, messages
from engine.delivery.channels import SmtpChannel
from engine.delivery.dispatcher import Dispatcher, backoff
from engine.delivery.unsubscribe import engine_secret, read_token


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def smtp(sink: SmtpSink) -> dict:
    channel = SmtpChannel("127.0.0.1", sink.port)
    return {"email": channel, "notify": channel}


def statuses(engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(messages.c.status)).scalars().all()
    counts: dict[str, int] = {}
    for status in rows:
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_sends_each_queued_message_once_over_one_connection(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 30)
    queue_messages(engine, range(1, 31))
    channels = smtp(sink)
    report = Dispatcher(engine, channels, VirtualClock(T0), batch_size=7).dispatch()
    assert report.sent == 30 and report.batches == 5
    assert channels["email"].connections == 1
    assert statuses(engine) == {"sent": 30}
    got = sink.parsed()
    assert sorted(str(m["To"]) for m in got) == sorted(f"user{i}@example.com" for i in range(1, 31))
    assert len(set(str(m["Message-ID"]) for m in got)) == 30
    with engine.connect() as conn:
        sent_events = conn.execute(select(events).where(events.c.name == "email_sent")).all()
    assert len(sent_events) == 30
    assert {e.message_id for e in sent_events} == set(range(1, 31))
    assert all(e.node_id == "hello" for e in sent_events)
    # A second round has nothing to do.
    assert Dispatcher(engine, smtp(sink), VirtualClock(T0)).dispatch().sent == 0
    assert len(sink.received) == 30


def test_message_has_text_and_html_parts_and_signed_unsubscribe(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 2)
    queue_messages(engine, [1])
    Dispatcher(engine, smtp(sink), VirtualClock(T0)).dispatch()
    (mail,) = sink.parsed()
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content()
    assert text.startswith("Hello User1\n") and "<b>User1</b>" in html
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(mail["List-Unsubscribe"]).strip("<>")
    # Both parts carry the unsubscribe link, though the template had none.
    assert text.rstrip().endswith(f"Unsubscribe: {link}") and f'href="{link}"' in html
    assert link.startswith("http://127.0.0.1:8765/u/")  # public_url's default
    token = link.split("/u/")[1]
    found = read_token(engine_secret(engine), token)
    assert found is not None and found.contact_id == 1 and found.node_id == "hello"
    # The Message-ID is stable: derived from the key, not from the time of sending.
    from engine.delivery.mime import message_id

    expected = message_id(engine_secret(engine), "1:hello:1", "shop@example.com")
    assert str(mail["Message-ID"]) == expected


def test_temporary_refusal_is_retried_with_backoff_then_sent(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 3)
    queue_messages(engine, [1, 2, 3])
    sink.refuse["user2@example.com"] = "451 4.3.0 try again later"
    clock = VirtualClock(T0)
    settings = {"retry_base_seconds": 60, "max_attempts": 3}
    report = Dispatcher(engine, smtp(sink), clock, settings=settings).dispatch()
    assert (report.sent, report.retried) == (2, 1)
    with engine.connect() as conn:
        row = conn.execute(select(messages).where(messages.c.contact_id == 2)).one()
    assert row.status == "queued" and row.attempts == 1 and "451" in row.error
    assert row.next_attempt_at == T0 + dt.timedelta(seconds=60)
    # Not due yet: nothing happens.
    assert Dispatcher(engine, smtp(sink), clock, settings=settings).dispatch().retried == 0
    clock.advance(dt.timedelta(seconds=60))
    report = Dispatcher(engine, smtp(sink), clock, settings=settings).dispatch()
    assert report.retried == 1
    with engine.connect() as conn:
        row = conn.execute(select(messages).where(messages.c.contact_id == 2)).one()
    assert row.attempts == 2 and row.next_attempt_at == clock.now() + dt.timedelta(seconds=120)
    del sink.refuse["user2@example.com"]
    clock.advance(dt.timedelta(seconds=120))
    assert Dispatcher(engine, smtp(sink), clock, settings=settings).dispatch().sent == 1
    assert statuses(engine) == {"sent": 3}
    assert sorted(sink.counts("To").values()) == [1, 1, 1]


def test_temporary_failures_give_up_after_max_attempts(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 1)
    queue_messages(engine, [1])
    sink.refuse["user1@example.com"] = "452 mailbox full"
    clock = VirtualClock(T0)
    settings = {"retry_base_seconds": 1, "max_attempts": 3}
    for _ in range(3):
        Dispatcher(engine, smtp(sink), clock, settings=settings).dispatch()
        clock.advance(dt.timedelta(hours=1))
    with engine.connect() as conn:
        row = conn.execute(select(messages)).one()
    assert row.status == "failed" and row.attempts == 3
    assert row.error.startswith("gave up after 3 attempts: SMTP 452")


def test_permanent_refusal_fails_and_bounces_the_contact(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 2)
    queue_messages(engine, [1, 2])
    sink.refuse["user1@example.com"] = "550 5.1.1 no such user"
    report = Dispatcher(engine, smtp(sink), VirtualClock(T0)).dispatch()
    assert (report.sent, report.failed, report.bounced) == (1, 1, 1)
    with engine.connect() as conn:
        row = conn.execute(select(messages).where(messages.c.contact_id == 1)).one()
        bounced = conn.scalar(select(contacts.c.bounced).where(contacts.c.id == 1))
        names = conn.execute(select(events.c.name).where(events.c.contact_id == 1)).scalars().all()
    assert row.status == "failed" and "550" in row.error and "no such user" in row.error
    assert bounced is True and names == ["bounced"]


def test_unsubscribed_since_queueing_is_suppressed_at_send_time(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 3)
    queue_messages(engine, [1, 2, 3])
    with engine.begin() as conn:
        conn.execute(update(contacts).where(contacts.c.id == 2).values(unsubscribed=True))
        conn.execute(update(contacts).where(contacts.c.id == 3).values(bounced=True))
    report = Dispatcher(engine, smtp(sink), VirtualClock(T0)).dispatch()
    assert (report.sent, report.suppressed) == (1, 2)
    with engine.connect() as conn:
        errors = dict(conn.execute(select(messages.c.contact_id, messages.c.error)
                                   .where(messages.c.status == "suppressed")).all())  # fmt: skip
    assert errors == {2: "unsubscribed", 3: "bounced"}
    assert sink.counts("To") == {"user1@example.com": 1}


def test_rate_limit_per_campaign_per_minute(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 12)
    queue_messages(engine, range(1, 11), campaign_id=7)
    with engine.begin() as conn:
        conn.execute(update(messages).where(messages.c.contact_id > 8).values(campaign_id=8))
    clock = VirtualClock(T0)
    settings = {"rate_limit": 3}
    report = Dispatcher(engine, smtp(sink), clock, settings=settings).dispatch()
    assert report.sent == 5  # 3 of campaign 7, both of campaign 8
    clock.advance(dt.timedelta(seconds=30))
    assert Dispatcher(engine, smtp(sink), clock, settings=settings).dispatch().sent == 0
    clock.advance(dt.timedelta(seconds=31))
    assert Dispatcher(engine, smtp(sink), clock, settings=settings).dispatch().sent == 3
    clock.advance(dt.timedelta(seconds=61))
    assert Dispatcher(engine, smtp(sink), clock, settings=settings).dispatch().sent == 2
    assert statuses(engine) == {"sent": 10}


def test_backoff_doubles_and_is_capped():
    seconds = [backoff(n, 60, 600).total_seconds() for n in (1, 2, 3, 4, 5)]
    assert seconds == [60, 120, 240, 480, 600]


def test_many_suppressed_messages_are_settled_batch_after_batch(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 60)
    queue_messages(engine, range(1, 61))
    with engine.begin() as conn:
        conn.execute(update(contacts).where(contacts.c.id < 60).values(unsubscribed=True))
    report = Dispatcher(engine, smtp(sink), VirtualClock(T0), batch_size=5).dispatch()
    assert (report.suppressed, report.sent) == (59, 1)
    assert sink.counts("To") == {"user60@example.com": 1}


def test_a_dead_workers_claims_and_journal_are_recovered(tmp_path, sink):
    """What a kill -9 leaves: rows 'sending' owned by a pid that is gone, and a journal
    saying which of them were already handed over to the server."""
    from engine.delivery.handover import HandoverJournal

    engine = make_database(tmp_path / "db.sqlite", 4)
    queue_messages(engine, [1, 2, 3, 4])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    host = socket.gethostname()
    with engine.begin() as conn:
        conn.execute(update(messages).where(messages.c.contact_id <= 3).values(
            status="sending", attempts=1, error=f"sending by {host}:{dead}:abc",
            next_attempt_at=T0 + dt.timedelta(minutes=5)))  # fmt: skip
    journal = tmp_path / f"db.sqlite.handover-{host}-{dead}-abc.log"
    journal.write_text(f"+1 {T0.isoformat()}\n+2 {T0.isoformat()}\n-2\n+3 2026-03-")
    report = Dispatcher(engine, smtp(sink), VirtualClock(T0)).dispatch()
    # 1 was handed over (recorded, not resent); 2 was taken back and 3 cut short: resent.
    assert report.recovered == 2 and report.sent == 3
    assert sorted(sink.counts("To")) == ["user2@example.com", "user3@example.com",
                                         "user4@example.com"]  # fmt: skip
    assert not journal.exists()
    with engine.connect() as conn:
        rows = conn.execute(select(messages.c.contact_id, messages.c.status, messages.c.sent_at)
                            .order_by(messages.c.contact_id)).all()  # fmt: skip
        sent_events = conn.scalar(select(func.count()).where(events.c.name == "email_sent"))
    assert [r.status for r in rows] == ["sent"] * 4 and rows[0].sent_at == T0
    assert sent_events == 4
    assert not list(tmp_path.glob("*.handover-*.log"))
    assert HandoverJournal.read(journal) == {}


@pytest.mark.parametrize("journal", [True, False])
def test_refused_after_the_hand_over_is_taken_back(tmp_path, sink, journal):
    """The server reads the whole message, then refuses it: the hand-over recorded before
    its reply is undone (with or without the journal, as on PostgreSQL)."""
    engine = make_database(tmp_path / "db.sqlite", 3)
    queue_messages(engine, [1, 2, 3])
    sink.refuse_data["user1@example.com"] = "554 5.7.1 message refused"
    sink.refuse_data["user2@example.com"] = "451 4.3.0 try later"
    dispatcher = Dispatcher(engine, smtp(sink), VirtualClock(T0))
    if not journal:
        dispatcher.journal = None  # each hand-over committed to the database instead
    report = dispatcher.dispatch()
    assert (report.sent, report.failed, report.retried) == (1, 1, 1)
    with engine.connect() as conn:
        rows = dict(conn.execute(select(messages.c.contact_id, messages.c.status)).all())
        sent_events = conn.scalars(select(events.c.contact_id)
                                   .where(events.c.name == "email_sent")).all()  # fmt: skip
    assert rows == {1: "failed", 2: "queued", 3: "sent"}
    assert sent_events == [3]
    with engine.connect() as conn:  # a refused content is not a bad address
        assert conn.scalar(select(contacts.c.bounced).where(contacts.c.id == 1)) is False


def test_a_journal_left_on_another_host_is_applied_once_it_is_stale(tmp_path, sink):
    """Another machine's worker (a shared folder) cannot be asked whether it runs: its
    journal counts as orphaned once untouched for half the lease."""
    engine = make_database(tmp_path / "db.sqlite", 1)
    queue_messages(engine, [1])
    with engine.begin() as conn:
        conn.execute(update(messages).values(
            status="sending", attempts=1, error="sending by elsewhere:123:abc",
            next_attempt_at=T0 - dt.timedelta(minutes=1)))  # fmt: skip
    journal = tmp_path / "db.sqlite.handover-elsewhere-123-abc.log"
    journal.write_text(f"+1 {T0.isoformat()}\n")
    fresh = Dispatcher(engine, smtp(sink), VirtualClock(T0)).dispatch()
    assert fresh.sent == 1 and journal.exists()  # not stale yet: the lease decided, resent
    with engine.begin() as conn:
        conn.execute(update(messages).values(status="sending", sent_at=None))
    old = time.time() - 3600
    os.utime(journal, (old, old))
    report = Dispatcher(engine, smtp(sink), VirtualClock(T0)).dispatch()
    assert report.sent == 0 and not journal.exists()
    with engine.connect() as conn:
        assert conn.scalar(select(messages.c.status)) == "sent"
