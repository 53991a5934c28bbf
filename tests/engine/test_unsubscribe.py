"""Unsubscribe links: HMAC-signed tokens nobody can forge, the List-Unsubscribe headers of
a delivered email, and the public endpoint (a real uvicorn server) that honours them."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from delivery_support import T0, SmtpSink, make_database, queue_messages
from sqlalchemy import select

from engine.clock import VirtualClock
from engine.db.schema import contacts, events
from engine.delivery.channels import SmtpChannel
from engine.delivery.dispatcher import Dispatcher
from engine.delivery.unsubscribe import (
    engine_secret,
    make_token,
    read_token,
    unsubscribe,
)
from engine.public.server import PublicServer


def _post(url: str, data: bytes) -> int:
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def test_token_round_trip_and_tampering():
    secret = b"s" * 32
    token = make_token(secret, 42, 7, "welcome")
    found = read_token(secret, token)
    assert (found.contact_id, found.campaign_id, found.node_id) == (42, 7, "welcome")
    assert read_token(b"t" * 32, token) is None  # another database's secret
    body, signature = token.split(".")
    forged_body = make_token(secret, 43).split(".")[0]  # someone else's contact id...
    assert read_token(secret, f"{forged_body}.{signature}") is None  # ...with my signature
    assert read_token(secret, body + ".AAAA") is None
    for junk in ("", ".", "abc", "!!.??", token + "x"):
        assert read_token(secret, junk) is None


def test_each_database_has_its_own_stable_secret(tmp_path):
    a = make_database(tmp_path / "a.db", 1)
    b = make_database(tmp_path / "b.db", 1)
    assert engine_secret(a) == engine_secret(a) and len(engine_secret(a)) == 32
    assert engine_secret(a) != engine_secret(b)
    token = make_token(engine_secret(a), 1)
    assert unsubscribe(b, token, T0) is None


def test_unsubscribe_marks_the_contact_and_records_one_event(tmp_path):
    engine = make_database(tmp_path / "db.sqlite", 2)
    token = make_token(engine_secret(engine), 2, None, "hello")
    assert unsubscribe(engine, token, T0) == 2
    assert unsubscribe(engine, token, T0) == 2  # a second click changes nothing
    with engine.connect() as conn:
        flags = dict(conn.execute(select(contacts.c.id, contacts.c.unsubscribed)).all())
        rows = conn.execute(select(events)).all()
    assert flags == {1: False, 2: True}
    assert [(r.contact_id, r.name, r.node_id) for r in rows] == [(2, "unsubscribed", "hello")]


def test_get_asks_first_post_unsubscribes(tmp_path):
    engine = make_database(tmp_path / "db.sqlite", 1)
    token = make_token(engine_secret(engine), 1)
    server = PublicServer(engine).start()
    try:
        status, page = _get(f"{server.url}/u/{token}")
        assert status == 200 and "<form" in page
        with engine.connect() as conn:
            assert conn.scalar(select(contacts.c.unsubscribed)) is False  # a prefetch is harmless
        assert _post(f"{server.url}/u/{token}", b"action=unsubscribe") == 200
        with engine.connect() as conn:
            assert conn.scalar(select(contacts.c.unsubscribed)) is True
        status, page = _get(f"{server.url}/u/{token}")  # the preference page offers the way back
        assert status == 200 and "resubscribe" in page
        assert _post(f"{server.url}/u/{token}", b"action=resubscribe") == 200
        with engine.connect() as conn:
            assert conn.scalar(select(contacts.c.unsubscribed)) is False
            names = conn.scalars(select(events.c.name).order_by(events.c.id)).all()
        assert names == ["unsubscribed", "resubscribed"]
        # Links in messages sent before /u/ existed still work.
        assert _get(f"{server.url}/unsubscribe?token={token}")[0] == 200
        assert _post(f"{server.url}/u/bad.token", b"") == 404
        assert _get(f"{server.url}/unsubscribe")[0] == 404
        assert _get(f"{server.url}/u/{make_token(b'x' * 32, 1)}")[0] == 404
    finally:
        server.stop()


@pytest.mark.parametrize("one_click", [True, False])
def test_the_link_in_a_delivered_email_works(tmp_path, one_click):
    engine = make_database(tmp_path / "db.sqlite", 2)
    endpoint = PublicServer(engine).start()
    sink = SmtpSink().start()
    try:
        queue_messages(engine, [1, 2], campaign_id=None)
        settings = {"public_url": endpoint.url,
                    "unsubscribe_mailto": "unsubscribe@example.com"}  # fmt: skip
        channel = SmtpChannel("127.0.0.1", sink.port)
        Dispatcher(engine, {"email": channel}, VirtualClock(T0), settings=settings).dispatch()
        mail = next(m for m in sink.parsed() if str(m["To"]) == "user2@example.com")
        links = [part.strip().strip("<>") for part in str(mail["List-Unsubscribe"]).split(",")]
        assert links[0].startswith("mailto:unsubscribe@example.com?subject=unsubscribe")
        url = links[1]
        assert url.startswith(endpoint.url + "/u/")
        if one_click:  # RFC 8058: what a mail program's "Unsubscribe" button does
            assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            request = urllib.request.Request(url, data=b"List-Unsubscribe=One-Click",
                                             method="POST")  # fmt: skip
        else:  # a person following the link confirms on the page
            page = urllib.request.urlopen(url, timeout=10).read().decode()
            assert "<form" in page
            request = urllib.request.Request(url, data=b"action=unsubscribe", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        forged = url.replace(url.split("/u/")[1][:4], "AAAA")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(forged, data=b"", method="POST"),
                                   timeout=10)  # fmt: skip
        assert refused.value.code == 404
    finally:
        sink.stop()
        endpoint.stop()
    with engine.connect() as conn:
        flags = dict(conn.execute(select(contacts.c.id, contacts.c.unsubscribed)).all())
        names = conn.execute(select(events.c.name).where(events.c.contact_id == 2)).scalars().all()
    assert flags == {1: False, 2: True}
    assert sorted(names) == ["email_sent", "unsubscribed"]
