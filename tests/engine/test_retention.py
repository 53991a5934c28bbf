"""Bounded storage per message: bodies go after the retention period, never before delivery;
the figures stay the same."""

import datetime as dt
import urllib.request

from runner_helpers import START, add_segment, diagram, launch, make_db
from sqlalchemy import select, update

from engine import retention, stats
from engine.db.schema import messages, settings
from engine.delivery.unsubscribe import engine_secret
from engine.public import tokens
from engine.public.server import PublicServer
from engine.public.tokens import MessageToken
from engine.settings import DEFAULTS

DAY = dt.timedelta(days=1)


def _campaign(tmp_path, mode: str, n: int = 5):
    engine = make_db(tmp_path, n)
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
        ],
        [("start", "hello")],
    )
    campaign_id, runner, _clock = launch(engine, d, mode=mode)
    runner.tick(START)
    return engine, campaign_id, runner


def _rows(engine):
    with engine.connect() as conn:
        return conn.execute(select(messages).order_by(messages.c.id)).all()


def test_bodies_go_after_the_retention_period_and_the_figures_stay(tmp_path, monkeypatch):
    monkeypatch.setattr(retention, "CHUNK", 2)  # five messages: three chunks
    engine, campaign_id, _runner = _campaign(tmp_path, "simulate")
    with engine.connect() as conn:
        before = stats.report(conn, campaign_id)
    assert retention.drop_expired_bodies(engine, START + 29 * DAY) == 0
    assert all(row.body_html for row in _rows(engine))
    assert retention.drop_expired_bodies(engine, START + 31 * DAY) == 5
    rows = _rows(engine)
    assert {(r.subject, r.body_html, r.body_text, r.headers) for r in rows} == {
        (None, None, None, None)
    }
    assert {r.dropped_at for r in rows} == {START + 31 * DAY}
    assert all(r.to_address and r.status == "simulated" and r.sent_at == START for r in rows)
    with engine.connect() as conn:
        assert stats.report(conn, campaign_id) == before
        assert retention.count_dropped(conn, campaign_id) == 5
    assert retention.drop_expired_bodies(engine, START + 60 * DAY) == 0  # once only
    note = retention.dropped_note(rows[0].dropped_at)
    assert note == "The text of this message was dropped 30 days after it was sent (2026-04-02)."


def test_a_message_not_yet_delivered_keeps_its_body(tmp_path):
    engine, _cid, runner = _campaign(tmp_path, "live", n=3)
    first, second, _third = (r.id for r in _rows(engine))
    with engine.begin() as conn:  # as the dispatcher records a delivery
        conn.execute(
            update(messages)
            .where(messages.c.id == first)
            .values(status="sent", sent_at=START + DAY)
        )
        conn.execute(update(messages).where(messages.c.id == second).values(status="sending"))
    runner.tick(START + 32 * DAY)  # the live runner drops expired bodies as it works
    rows = {r.id: r for r in _rows(engine)}
    assert rows[first].body_html is None and rows[first].dropped_at == START + 32 * DAY
    assert all(r.body_html and r.dropped_at is None for i, r in rows.items() if i != first)
    # Still queued or being sent a year later: kept, it may yet be sent.
    assert retention.drop_expired_bodies(engine, START + 365 * DAY) == 0


def test_the_retention_setting(tmp_path):
    assert DEFAULTS[retention.RETENTION_KEY] == retention.DEFAULT_DAYS == 30
    engine, _cid, _runner = _campaign(tmp_path, "simulate", n=2)
    with engine.begin() as conn:
        conn.execute(settings.insert().values(key=retention.RETENTION_KEY, value=0))
    assert retention.drop_expired_bodies(engine, START + 900 * DAY) == 0  # 0: kept forever
    with engine.begin() as conn:
        conn.execute(
            update(settings).where(settings.c.key == retention.RETENTION_KEY).values(value=7)
        )
    assert retention.drop_expired_bodies(engine, START + 6 * DAY) == 0
    assert retention.drop_expired_bodies(engine, START + 8 * DAY) == 2


def test_view_in_browser_says_the_text_was_dropped(tmp_path):
    engine, _cid, _runner = _campaign(tmp_path, "simulate", n=2)
    first, second = _rows(engine)
    with engine.begin() as conn:  # the second one was sent later: still within retention
        conn.execute(
            update(messages).where(messages.c.id == second.id).values(sent_at=START + 20 * DAY)
        )
    assert retention.drop_expired_bodies(engine, START + 31 * DAY) == 1
    secret = engine_secret(engine)

    def link(row) -> str:
        found = MessageToken(row.contact_id, row.campaign_id, row.node_id, row.key)
        return f"{server.url}/v/{tokens.make(secret, 'v', found)}"

    server = PublicServer(engine).start()
    try:
        with urllib.request.urlopen(link(first), timeout=10) as response:
            page = response.read().decode()
        assert "The text of this message was dropped 30 days after it was sent" in page
        with urllib.request.urlopen(link(second), timeout=10) as response:
            assert response.read().decode() == second.body_html
    finally:
        server.stop()
