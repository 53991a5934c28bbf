"""SMS/messenger gateway and webhooks against a real http.server on 127.0.0.1: the body
template renders in the sandbox, 4xx fails for good, 5xx is retried."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from delivery_support import T0, HttpSink, make_database, queue_messages
from sqlalchemy import select

from engine.clock import VirtualClock
from engine.db.schema import events, messages
from engine.delivery.channels import (
    HttpGatewayChannel,
    OutgoingMessage,
    PermanentFailure,
    TemporaryFailure,
    WebhookChannel,
    build_channels,
)
from engine.delivery.dispatcher import Dispatcher


@pytest.fixture
def gateway():
    server = HttpSink()
    yield server
    server.stop()


def sms(i: int = 1, **fields) -> OutgoingMessage:
    values = dict(key=f"{i}:sms:1", channel="sms", to=f"+49301234{i}", text=f"Hi {i} ✓",
                  sender="SHOP", contact_id=i)  # fmt: skip
    values.update(fields)
    return OutgoingMessage(**values)


def test_default_body_is_json_with_the_message(gateway):
    HttpGatewayChannel(gateway.url + "/sms").send(sms(1))
    (request,) = gateway.requests
    assert request["method"] == "POST" and request["path"] == "/sms"
    assert json.loads(request["body"]) == {"to": "+493012341", "text": "Hi 1 ✓", "from": "SHOP",
                                          "channel": "sms", "id": "1:sms:1"}  # fmt: skip
    assert request["headers"]["Idempotency-Key"] == "1:sms:1"


def test_body_url_and_headers_are_templates(gateway):
    channel = HttpGatewayChannel(
        gateway.url + "/send/{{ contact_id }}", method="PUT",
        headers={"Authorization": "Bearer k-{{ campaign_id }}"},
        body="to={{ to|urlencode }}&msg={{ text|upper }}",
    )  # fmt: skip
    channel.send(sms(7, campaign_id=3))
    (request,) = gateway.requests
    assert request["method"] == "PUT" and request["path"] == "/send/7"
    assert request["headers"]["Authorization"] == "Bearer k-3"
    assert request["body"].decode() == "to=%2B493012347&msg=HI 7 ✓"


def test_the_body_template_cannot_run_code(gateway):
    HttpGatewayChannel(gateway.url, body="[{{ message.__class__.__mro__ }}]").send(sms(1))
    assert gateway.requests[0]["body"] == b"[]"  # unsafe attributes are not reachable
    channel = HttpGatewayChannel(gateway.url, body="{{ message.clear() }}")
    with pytest.raises(PermanentFailure, match="template error"):
        channel.send(sms(1))
    assert len(gateway.requests) == 1


def test_4xx_is_permanent_5xx_and_429_are_temporary(gateway):
    channel = HttpGatewayChannel(gateway.url)
    gateway.status = 400
    with pytest.raises(PermanentFailure, match="HTTP 400"):
        channel.send(sms(1))
    for status in (500, 503, 429):
        gateway.status = status
        with pytest.raises(TemporaryFailure, match=f"HTTP {status}"):
            channel.send(sms(1))


def test_unreachable_gateway_is_temporary(gateway):
    url = gateway.url
    gateway.stop()
    with pytest.raises(TemporaryFailure) as failure:
        HttpGatewayChannel(url, timeout=3).send(sms(1))
    assert failure.value.unreachable


def test_webhook_uses_the_message_url_method_and_json_body(gateway):
    WebhookChannel().send(OutgoingMessage(
        key="5:hook:1", channel="webhook", to=gateway.url + "/hook",
        text='{"contact": 5, "event": "signup"}', headers={"method": "PUT"},
    ))  # fmt: skip
    (request,) = gateway.requests
    assert request["method"] == "PUT" and request["path"] == "/hook"
    assert request["headers"]["Content-Type"] == "application/json"
    assert json.loads(request["body"]) == {"contact": 5, "event": "signup"}
    with pytest.raises(PermanentFailure, match="not an http"):
        WebhookChannel().send(OutgoingMessage(key="k", channel="webhook", to="file:///etc/passwd"))


def test_dispatcher_retries_5xx_fails_4xx_and_records_sms_sent(tmp_path, gateway):
    engine = make_database(tmp_path / "db.sqlite", 3)
    queue_messages(engine, [1, 2, 3], channel="sms", campaign_id=None)
    settings = {"sms_gateway": {"url": gateway.url + "/sms"}, "email_transport": "outbox",
                "retry_base_seconds": 30}  # fmt: skip
    channels = build_channels(settings, outbox=tmp_path / "outbox")
    clock = VirtualClock(T0)
    gateway.status = 503
    report = Dispatcher(engine, channels, clock, settings=settings).dispatch()
    # The first 503 is a temporary failure; the gateway answered, so the rest are tried too.
    assert report.retried == 3 and report.sent == 0
    gateway.status = 422
    clock.advance(dt.timedelta(seconds=30))
    report = Dispatcher(engine, channels, clock, settings=settings).dispatch()
    assert report.failed == 3
    with engine.connect() as conn:
        rows = conn.execute(select(messages.c.status, messages.c.error, messages.c.attempts)).all()
    assert {(r.status, r.error, r.attempts) for r in rows} == {
        ("failed", "HTTP 422: Unprocessable Entity", 2)
    }
    queue_messages(engine, [1], channel="sms", key="1:sms:2")
    gateway.status = 200
    assert Dispatcher(engine, channels, clock, settings=settings).dispatch().sent == 1
    with engine.connect() as conn:
        names = conn.execute(select(events.c.name)).scalars().all()
    assert names == ["sms_sent"]
    assert json.loads(gateway.requests[-1]["body"])["to"] == "+4930000001"
