"""The public endpoint's other routes over real HTTP to an in-process uvicorn server: web
forms (upsert, honeypot, rate limit), view in browser, the events API's checks, and a client
that goes away mid-request (no traceback anywhere)."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import time
import urllib.parse

import pytest
from delivery_support import T0, make_database
from sqlalchemy import insert, select, update

from engine.db.schema import contact_tags, contacts, events, messages
from engine.delivery.unsubscribe import engine_secret
from engine.public import tokens
from engine.public.keys import create_key, revoke_key
from engine.public.server import PublicServer
from engine.settings import save_settings


def _call(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def served(tmp_path):
    engine = make_database(tmp_path / "db.sqlite", 2)
    save_settings(engine, {
        "forms": {"newsletter": {"redirect": "https://example.com/thanks", "tags": ["news"]}},
        "form_rate_limit": 4, "public_timeout": 1,
    })  # fmt: skip
    server = PublicServer(engine).start()
    yield engine, server
    server.stop()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_a_form_post_upserts_the_contact_and_records_the_submission(served):
    engine, server = served
    body = urllib.parse.urlencode({"email": "New@Example.com", "first_name": "Ada",
                                   "plan": "pro", "website": ""}).encode()  # fmt: skip
    status, headers, _ = _call(server, "POST", "/f/newsletter", body, FORM)
    assert status == 303 and headers["location"] == "https://example.com/thanks"
    with engine.begin() as conn:
        row = conn.execute(select(contacts).where(contacts.c.email == "new@example.com")).one()
        assert row.first_name == "Ada" and row.attributes == {"plan": "pro"}
        tags = conn.scalars(select(contact_tags.c.tag).where(contact_tags.c.contact_id == row.id))
        assert list(tags) == ["news"]
        event = conn.execute(select(events).where(events.c.name == "form_submitted")).one()
        assert event.properties["form"] == "newsletter"
        assert event.properties["fields"]["plan"] == "pro"
        conn.execute(update(contacts).where(contacts.c.id == 1).values(unsubscribed=True))
    again = urllib.parse.urlencode({"email": "user1@example.com", "first_name": "Zed"}).encode()
    assert _call(server, "POST", "/f/newsletter", again, FORM)[0] == 303
    with engine.connect() as conn:
        row = conn.execute(select(contacts).where(contacts.c.id == 1)).one()
    assert row.first_name == "Zed" and row.unsubscribed is True  # a form never resubscribes
    # a name is one line; other control characters refuse the submission
    lines = urllib.parse.urlencode({"email": "user1@example.com", "first_name": "Zed\r\nBcc"})
    assert _call(server, "POST", "/f/newsletter", lines.encode(), FORM)[0] == 303
    nul = urllib.parse.urlencode({"email": "user1@example.com", "last_name": "Li\x00"})
    assert _call(server, "POST", "/f/newsletter", nul.encode(), FORM)[0] == 400
    with engine.connect() as conn:
        row = conn.execute(select(contacts).where(contacts.c.id == 1)).one()
    assert (row.first_name, row.last_name) == ("Zed Bcc", None)


def test_forms_refuse_robots_floods_and_nonsense(served):
    engine, server = served
    robot = urllib.parse.urlencode({"email": "bot@example.com", "website": "http://spam"})
    assert _call(server, "POST", "/f/newsletter", robot.encode(), FORM)[0] == 303  # looks fine
    bad = urllib.parse.urlencode({"email": "not an address"}).encode()
    assert _call(server, "POST", "/f/newsletter", bad, FORM)[0] == 400
    assert _call(server, "POST", "/f/newsletter", b"{}", {"Content-Type": "text/json"})[0] == 415
    assert _call(server, "POST", "/f/other", b"email=a%40b.com", FORM)[0] == 404
    ok = urllib.parse.urlencode({"email": "late@example.com"}).encode()
    assert _call(server, "POST", "/f/newsletter", ok, FORM)[0] == 303  # the 4th this minute
    assert _call(server, "POST", "/f/newsletter", ok, FORM)[0] == 429
    with engine.connect() as conn:
        emails = set(conn.scalars(select(contacts.c.email)))
    assert "bot@example.com" not in emails and "late@example.com" in emails
    assert server.endpoint.refused["honeypot"] == 1 and server.endpoint.refused["rate limit"] == 1


def test_view_in_browser_shows_the_message_with_scripts_disabled(served):
    engine, server = served
    with engine.begin() as conn:
        conn.execute(insert(messages).values(
            key="1:hello:1", contact_id=1, node_id="hello", channel="email", status="sent",
            body_html="<p>Hello</p><script>alert(1)</script>", created_at=T0, attempts=1,
        ))  # fmt: skip
    secret = engine_secret(engine)
    token = tokens.make(secret, "v", tokens.MessageToken(1, None, "hello", "1:hello:1"))
    status, headers, body = _call(server, "GET", f"/v/{token}")
    assert status == 200 and b"<p>Hello</p>" in body
    assert "sandbox" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]  # default-src 'none' rules
    other = tokens.make(secret, "v", tokens.MessageToken(2, None, "hello", "1:hello:1"))
    assert _call(server, "GET", f"/v/{other}")[0] == 404  # another contact's token
    opened = tokens.make(secret, "o", tokens.MessageToken(1, None, "hello", "1:hello:1"))
    assert _call(server, "GET", f"/v/{opened}")[0] == 404  # a pixel token is not a view token


def test_the_events_api_checks_each_event(served):
    engine, server = served
    key = create_key(engine, "shop")
    auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    payload = {"events": [
        {"email": "user1@example.com", "event": "visit", "occurred_at": "2020-01-01T00:00:00Z"},
        {"email": "user1@example.com", "event": "visit", "properties": {"note": "a\x00b"}},
        {"email": "user2@example.com", "event": "x" * 101},
        {"email": "user2@example.com", "event": "visit", "colour": "red"},
        {"email": "user2@example.com", "event": "visit", "occurred_at": "2999-01-01T00:00:00"},
    ]}  # fmt: skip
    status, _, body = _call(server, "POST", "/api/events", json.dumps(payload).encode(), auth)
    answer = json.loads(body)
    assert status == 200 and answer["accepted"] == 1 and answer["late"] == [0]
    reasons = {r["index"]: r["reason"] for r in answer["rejected"]}
    assert set(reasons) == {1, 2, 3, 4}
    assert "control" in reasons[1] and "longer" in reasons[2] and "colour" in reasons[3]
    assert "future" in reasons[4]
    status, _, body = _call(server, "POST", "/api/events", b'{"events": [{"x": NaN}]}', auth)
    assert status == 400 and b"NaN" in body
    assert _call(server, "POST", "/api/events", b"[]", auth)[0] == 400
    revoke_key(engine, "shop")
    assert _call(server, "POST", "/api/events", json.dumps(payload).encode(), auth)[0] == 401
    with engine.connect() as conn:
        assert len(conn.scalars(select(events.c.id)).all()) == 1


def test_a_client_that_goes_away_leaves_no_traceback(served, caplog):
    engine, server = served
    caplog.set_level(logging.DEBUG)
    key = create_key(engine, "shop")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as client:
        auth = b"Authorization: Bearer " + key.encode()
        client.sendall(b"POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                       + auth + b"\r\n\r\n{\"events\"")  # fmt: skip
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as client:
        client.sendall(b"GET /o/abc HTTP/1.1\r\n")  # never finishes its headers
        assert client.recv(100) in (
            b"",
            b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )  # after public_timeout (1 s)
    deadline = time.monotonic() + 10
    refused = server.endpoint.refused
    while refused.get("aborted", 0) < 1 or refused.get("too slow", 0) < 1:
        assert time.monotonic() < deadline, refused
        time.sleep(0.05)
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


def test_a_click_to_a_non_ascii_link_redirects_to_it_encoded(served):
    engine, server = served
    secret = engine_secret(engine)
    url = "https://shop.example/café?q=ä ö\r\nX-Evil: 1"
    token = tokens.make(secret, "c", tokens.MessageToken(1, None, "hello", "1:hello:1", url))
    status, headers, _ = _call(server, "GET", f"/c/{token}")
    assert status == 302 and "x-evil" not in {h.lower() for h in headers}
    assert (
        headers["location"] == "https://shop.example/caf%C3%A9?q=%C3%A4%20%C3%B6%0D%0AX-Evil:%201"
    )
