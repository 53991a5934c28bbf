"""The SMTP server down for a while, then up again: the engine keeps retrying with backoff
and every message arrives exactly once; none is lost."""

from __future__ import annotations

import time
from collections import Counter

from delivery_support import SmtpSink, email_campaign, free_port, make_database, smtp_settings
from sqlalchemy import func, select

from engine.db.schema import messages
from engine.service import EngineService


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(select(messages.c.status, func.count())
                                 .group_by(messages.c.status)).all())  # fmt: skip


def test_server_down_then_up_every_message_arrives_once(tmp_path):
    port = free_port()
    engine = make_database(tmp_path / "db.sqlite", 150)
    smtp_settings(engine, port, retry_base_seconds=0.3, retry_max_seconds=1, max_attempts=50,
                  batch_size=40)  # fmt: skip
    email_campaign(engine, nodes=2)
    service = EngineService(engine, interval=0.2).start()
    sink = SmtpSink(port)
    try:
        deadline = time.monotonic() + 60
        # Down: the messages are queued and retried, never failed, never lost.
        while counts(engine).get("queued", 0) < 300 or _attempted(engine) == 0:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        while _attempted(engine) < 3:  # a few more failed rounds against the dead server
            assert time.monotonic() < deadline
            time.sleep(0.05)
        down = counts(engine)
        assert down.get("failed", 0) == 0 and down.get("sent", 0) == 0
        assert service.last_error is None  # an unreachable server is not an engine error
        sink.start()  # up again
        while counts(engine) != {"sent": 300}:
            assert time.monotonic() < deadline, counts(engine)
            time.sleep(0.05)
    finally:
        service.shutdown()
        sink.stop()
    received = Counter((str(m["To"]), str(m["Subject"])) for m in sink.parsed())
    assert len(received) == 300 and set(received.values()) == {1}
    with engine.connect() as conn:
        errors = conn.scalars(select(messages.c.error).where(messages.c.error.is_not(None))).all()
    assert errors == []  # the outage left no error on sent messages


def _attempted(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.max(messages.c.attempts))) or 0
