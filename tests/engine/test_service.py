"""The live engine end to end: a campaign started live → runner tick → dispatcher → a real
SMTP server; the background scheduler, scheduled start times, and `campaign-studio run`."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from delivery_support import SmtpSink, email_campaign, make_database, smtp_settings
from sqlalchemy import func, select

from engine import campaigns
from engine.clock import utcnow
from engine.db.schema import campaigns as campaign_table
from engine.db.schema import contacts, enrollments, messages
from engine.delivery.channels import SmtpChannel
from engine.delivery.unsubscribe import unsubscribe
from engine.service import EngineService

LAUNCH = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def smtp_channels(sink):
    channel = SmtpChannel("127.0.0.1", sink.port)
    return {"email": channel, "notify": channel}


def test_campaign_started_live_reaches_the_smtp_server(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 20)
    email_campaign(engine, nodes=2)
    service = EngineService(engine, channels=smtp_channels(sink))
    result = service.run_once()
    assert result["tick"].messages == 40 and result["delivery"].sent == 40
    received = Counter((str(m["To"]), str(m["Subject"])) for m in sink.parsed())
    assert len(received) == 40 and set(received.values()) == {1}
    mail = next(m for m in sink.parsed() if m["To"].addresses[0].addr_spec == "user3@example.com")
    assert str(mail["Subject"]) == "Mail 1 for User3" or str(mail["Subject"]) == "Mail 2 for User3"
    html = mail.get_body(("html",)).get_content()
    assert "Hello User3" in html and mail.get_body(("plain",)).get_content().startswith("Hello")
    # The link the runner rendered into the body is signed: it unsubscribes contact 3 only.
    link = html.split("href='")[1].split("'")[0]
    assert link.startswith("http://127.0.0.1:8765/u/")  # public_url's default
    assert unsubscribe(engine, link.rsplit("/u/", 1)[1]) == 3
    with engine.connect() as conn:
        unsubscribed = conn.scalars(select(contacts.c.id).where(contacts.c.unsubscribed)).all()
    assert unsubscribed == [3]
    # Nothing more to do: a second tick sends nothing.
    assert service.run_once()["delivery"].sent == 0
    assert len(sink.received) == 40


def test_background_ticks_and_a_scheduled_start_on_time(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 5)
    campaign_id = email_campaign(engine, name="Now", nodes=1)
    service = EngineService(engine, interval=3600, channels=smtp_channels(sink)).start()
    try:
        wait_for(lambda: len(sink.received) == 5)
        # A second campaign scheduled a moment ahead starts by its own timer, not the
        # (hour-long) interval.
        later = campaigns.duplicate(engine, campaign_id, "Later")
        campaigns.schedule(engine, later, utcnow() + dt.timedelta(seconds=1.5))
        service.run_once()  # what a window does after scheduling: the timer is set
        wait_for(lambda: len(sink.received) == 10)
    finally:
        service.shutdown()
    assert not service.running
    with engine.connect() as conn:
        status = conn.scalar(select(campaign_table.c.status).where(campaign_table.c.id == later))
    assert status in ("live", "completed")


def test_run_once_command(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 10)
    smtp_settings(engine, sink.port)
    email_campaign(engine, nodes=1)
    done = subprocess.run([*LAUNCH, "run", "--db", str(tmp_path / "db.sqlite"), "--once"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "sent 10" in done.stdout
    assert len(sink.received) == 10


def test_run_command_reports_a_bad_database(tmp_path):
    folder = tmp_path / "not-a-db"
    folder.mkdir()
    done = subprocess.run([*LAUNCH, "run", "--db", str(folder), "--once"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert "cannot open the database" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_sigterm_stops_cleanly_and_a_restart_continues(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 600)
    smtp_settings(engine, sink.port, batch_size=50)
    email_campaign(engine, nodes=1)
    command = [*LAUNCH, "run", "--db", str(tmp_path / "db.sqlite"), "--interval", "0.3"]
    worker = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: len(sink.received) >= 100 or worker.poll() is not None, 120)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0
    assert "stopped" in worker.stderr.read()
    with engine.connect() as conn:
        sending = conn.scalar(select(func.count()).where(messages.c.status == "sending"))
    assert sending == 0  # a clean stop leaves nothing half-claimed
    worker = subprocess.Popen([*command, "--quiet"], stderr=subprocess.DEVNULL)
    wait_for(lambda: len(sink.received) >= 600 or worker.poll() is not None, 120)
    worker.send_signal(signal.SIGINT)
    assert worker.wait(timeout=60) == 0
    assert sorted(Counter(str(m["To"]) for m in sink.parsed()).values()) == [1] * 600
    with engine.connect() as conn:
        journeys = dict(conn.execute(select(enrollments.c.status, func.count())
                                     .group_by(enrollments.c.status)).all())  # fmt: skip
    assert journeys == {"completed": 600}


def test_run_serves_unsubscribe_links(tmp_path):
    import urllib.request

    from delivery_support import free_port

    from engine.delivery.unsubscribe import engine_secret, make_token

    engine = make_database(tmp_path / "db.sqlite", 2)
    token = make_token(engine_secret(engine), 2)
    port = free_port()
    command = [*LAUNCH, "run", "--db", str(tmp_path / "db.sqlite"), "--interval", "5",
               "--serve", f"127.0.0.1:{port}", "--quiet"]  # fmt: skip
    worker = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/u/{token}"
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(url, data=b"List-Unsubscribe=One-Click")
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline and worker.poll() is None, worker.stderr.read()
                time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
        worker.stderr.close()
    with engine.connect() as conn:
        assert conn.scalars(select(contacts.c.id).where(contacts.c.unsubscribed)).all() == [2]


def test_a_stop_requested_during_the_tick_sends_nothing_more(tmp_path, sink):
    engine = make_database(tmp_path / "db.sqlite", 5)
    email_campaign(engine, nodes=1)
    service = EngineService(engine, channels=smtp_channels(sink))
    service.request_stop()  # e.g. SIGTERM arriving while the runner moves contacts
    result = service.run_once()
    assert result["tick"].messages == 5 and result["delivery"].sent == 0
    assert sink.received == []
    service.start()  # started again, it goes on with what is queued
    try:
        wait_for(lambda: len(sink.received) == 5)
    finally:
        service.shutdown()
