"""The world answers, end to end: a campaign is sent over SMTP to a real local server, the
delivered messages are parsed, and real HTTP requests to a running `campaign-studio serve`
load the pixel, follow a click, unsubscribe in one click and post an event; `stats --json`
shows each on the right node. Forged tokens, a wrong key, an open-redirect attempt, oversized
bodies and a slow client are refused, and counted."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest
from delivery_support import SmtpSink, free_port, make_database, smtp_settings
from sqlalchemy import func, select

from engine import campaigns
from engine.db.schema import contacts, events
from engine.diagram import Diagram, Edge, Node
from engine.public import tokens
from engine.service import EngineService
from engine.settings import save_settings

LAUNCH = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]
SALE = "https://shop.example/sale?x=1"


def _campaign(engine) -> int:
    diagram = Diagram("Spring sale", {"entry": "once", "utm_campaign": "spring"})
    diagram.nodes["start"] = Node("start", "trigger.manual",
                                  {"filter": {"field": "email", "op": "is_set"}})  # fmt: skip
    diagram.nodes["hello"] = Node("hello", "action.send_email", {
        "subject": "Sale for {{ contact.first_name }}",
        "body": f"<html><body><p>Hi {{{{ contact.first_name }}}}</p><a href=\"{SALE}\">Sale</a> "
                "<a href='mailto:help@shop.example'>help</a> "
                "<a href='{{ unsubscribe_url }}'>unsubscribe</a> "
                "<a href='{{ view_url }}'>view in browser</a></body></html>",
        "sender": "Shop <shop@example.com>",
    })  # fmt: skip
    diagram.edges.append(Edge("start", "hello", "out"))
    campaign_id = campaigns.save_campaign(engine, diagram)
    campaigns.start(engine, campaign_id)
    return campaign_id


def _request(port: int, method: str, path: str, body: bytes | None = None,
             headers: dict | None = None) -> tuple[int, dict, bytes]:  # fmt: skip
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        chunked = (headers or {}).get("Transfer-Encoding") == "chunked"
        connection.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _wait(condition, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*LAUNCH, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def world(tmp_path):
    db = tmp_path / "world.db"
    engine = make_database(db, 3)
    sink = SmtpSink().start()
    port = free_port()
    smtp_settings(engine, sink.port)
    save_settings(engine, {"public_url": f"http://127.0.0.1:{port}", "public_timeout": 1,
                           "public_max_body": 4096})  # fmt: skip
    server = subprocess.Popen([*LAUNCH, "serve", "--db", str(db), "--listen", f"127.0.0.1:{port}"],
                              stderr=subprocess.PIPE, text=True)  # fmt: skip

    def up():
        assert server.poll() is None, server.stderr.read()
        try:
            return _request(port, "GET", "/healthz")[0] == 204
        except OSError:
            return False

    _wait(up, 60, "serve to listen")
    yield engine, db, sink, port, server
    sink.stop()
    server.terminate()
    server.wait(timeout=30)
    server.stderr.close()


def test_opens_clicks_unsubscribes_and_api_events_reach_the_right_node(world):
    engine, db, sink, port, server = world
    campaign_id = _campaign(engine)
    result = EngineService(engine).run_once()
    assert result["delivery"].sent == 3
    mails = {m["To"].addresses[0].addr_spec: m for m in sink.parsed()}
    assert set(mails) == {f"user{i}@example.com" for i in (1, 2, 3)}, list(mails)
    html = {to: m.get_body(("html",)).get_content() for to, m in mails.items()}
    base = f"http://127.0.0.1:{port}"

    # The open pixel: a 1×1 GIF that is never cached; two loads = 2 opens, 1 unique.
    pixel = re.search(r'<img src="([^"]+/o/[^"]+)"', html["user1@example.com"]).group(1)
    assert pixel.startswith(base + "/o/")
    path = urllib.parse.urlsplit(pixel).path
    for _ in range(2):
        status, headers, body = _request(port, "GET", path)
        assert status == 200 and headers["content-type"] == "image/gif" and body[:6] == b"GIF89a"
        assert "no-store" in headers["cache-control"]

    # The click: the link was rewritten; it redirects to the original with UTM parameters.
    links = re.findall(r'href="([^"]+)"', html["user1@example.com"])
    click = next(link for link in links if "/c/" in link)
    assert "mailto:help@shop.example" in html["user1@example.com"]  # not a web link: kept
    status, headers, _ = _request(port, "GET", urllib.parse.urlsplit(click).path)
    assert status == 302
    target = urllib.parse.urlsplit(headers["location"])
    query = dict(urllib.parse.parse_qsl(target.query))
    assert (target.netloc, target.path) == ("shop.example", "/sale")
    assert query == {"x": "1", "utm_source": "campaign-studio", "utm_medium": "email",
                     "utm_campaign": "spring"}  # fmt: skip

    # View in browser: the message as sent, from its own signed link.
    view = re.search(r"href='([^']+/v/[^']+)'", html["user3@example.com"]).group(1)
    status, headers, body = _request(port, "GET", urllib.parse.urlsplit(view).path)
    assert status == 200 and b"Hi User3" in body and "sandbox" in headers["content-security-policy"]

    # RFC 8058 one-click unsubscribe, as a mail program's button sends it (user 2).
    unsubscribe_url = str(mails["user2@example.com"]["List-Unsubscribe"]).strip("<>")
    assert unsubscribe_url.startswith(base + "/u/")
    status, _, _ = _request(port, "POST", urllib.parse.urlsplit(unsubscribe_url).path,
                            b"List-Unsubscribe=One-Click",
                            {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert status == 200

    # The events API, with a key made by `keys create` (printed last).
    made = _cli("keys", "create", "shop", "--db", str(db))
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    payload = json.dumps({"events": [
        {"email": "USER3@example.com", "event": "purchase", "id": "order-1",
         "properties": {"total": 42.5}},
        {"email": "nobody@example.com", "event": "purchase"},
        {"event": "purchase"},
    ]}).encode()  # fmt: skip
    auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    status, _, body = _request(port, "POST", "/api/events", payload, auth)
    answer = json.loads(body)
    assert status == 200 and answer["accepted"] == 1 and answer["duplicates"] == 0
    assert [r["index"] for r in answer["rejected"]] == [1, 2]
    assert "no contact" in answer["rejected"][0]["reason"]
    status, _, body = _request(port, "POST", "/api/events", payload, auth)  # a retry
    assert status == 200 and json.loads(body)["accepted"] == 0
    assert json.loads(body)["duplicates"] == 1

    # Refused, and counted: each refusal below must come back 4xx and record nothing.
    refused = 0
    token = click.rsplit("/c/", 1)[1]
    body_part, signature = token.split(".")
    forged = body_part[:-2] + ("AA" if body_part[-2:] != "AA" else "BB") + "." + signature
    evil = tokens.make(b"x" * 32, "c", tokens.MessageToken(1, campaign_id, "hello", "1:hello:1",
                                                           "https://evil.example/"))  # fmt: skip
    for path in (f"/c/{forged}", f"/c/{evil}", f"/o/{token}",  # altered, foreign, wrong kind
                 f"/c/{pixel.rsplit('/o/', 1)[1]}", "/c/" + "A" * 5000, "/u/bad.token",
                 "/c/https%3A%2F%2Fevil.example%2F"):  # fmt: skip
        status, headers, _ = _request(port, "GET", path)
        assert 400 <= status < 500 and "location" not in {h.lower() for h in headers}, path
        refused += 1
    wrong = {"Authorization": "Bearer cs_wrong", "Content-Type": "application/json"}
    status, _, _ = _request(port, "POST", "/api/events", payload, wrong)
    assert status == 401
    refused += 1
    status, _, _ = _request(port, "POST", "/api/events", b"{" + b" " * 10_000 + b"}", auth)
    assert status == 413  # declared too large
    refused += 1
    chunks = {**auth, "Transfer-Encoding": "chunked"}
    status, _, _ = _request(port, "POST", "/api/events", iter([b" " * 3000] * 4), chunks)
    assert status == 413  # no Content-Length: counted while it arrives
    refused += 1
    # A slow client: half a request line, then nothing. The server gives up (1 s here).
    with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        answer = slow.recv(1024)
        assert answer.startswith(b"HTTP/1.1 408") or answer == b""
        assert time.monotonic() - started < 5
        refused += 1
    assert refused == 11

    # The figures, per node, from `stats --json` (opens are written in batches: wait).
    def figures():
        done = _cli("stats", str(campaign_id), "--db", str(db), "--json")
        assert done.returncode == 0, done.stderr
        node = json.loads(done.stdout)["nodes"]["hello"]
        return node if node["opened"] == 1 and node["clicked"] == 1 else None

    node = _wait(figures, 30, "opens and clicks in stats")
    assert (node["sent"], node["opened"], node["clicked"], node["unsubscribed"]) == (3, 1, 1, 1)
    ((link, count),) = node["links"].items()  # clicks per link, for node detail
    assert link.startswith(SALE) and count == {"contacts": 1, "clicks": 1}
    with engine.connect() as conn:
        query = select(events.c.name, func.count()).group_by(events.c.name)
        counts = dict(conn.execute(query).all())
        clicked = conn.execute(select(events).where(events.c.name == "email_clicked")).one()
        flags = dict(conn.execute(select(contacts.c.id, contacts.c.unsubscribed)).all())
    assert counts["email_opened"] == 2 and counts["email_clicked"] == 1  # refusals: nothing
    assert counts["purchase"] == 1 and counts["unsubscribed"] == 1
    assert clicked.contact_id == 1 and clicked.node_id == "hello"
    assert clicked.properties["url"].startswith(SALE) and clicked.message_id is not None
    assert flags == {1: False, 2: True, 3: False}
    assert "Traceback" not in _drain(server)


def _drain(server: subprocess.Popen) -> str:
    server.terminate()
    try:
        _, err = server.communicate(timeout=30)
    except ValueError:  # already read
        return ""
    return err or ""
