"""Real servers for the delivery tests: an aiosmtpd SMTP server and an http.server on
127.0.0.1 that record what they receive, plus a database with queued messages."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import Engine, insert

from engine.db import open_database
from engine.db.schema import contacts, messages

T0 = dt.datetime(2026, 3, 2, 10, 0, 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """An SMTP server on 127.0.0.1 keeping every message it accepted. `refuse` maps an
    address to a reply code returned at RCPT ("550 no such user", "451 try later")."""

    def __init__(self, port: int | None = None, smtputf8: bool = False) -> None:
        self.port = port or free_port()
        self.smtputf8 = smtputf8  # offer SMTPUTF8 (internationalised addresses, RFC 6531)
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refuse: dict[str, str] = {}
        self.refuse_data: dict[str, str] = {}
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.refuse.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if address in self.refuse_data:  # refused after the whole message arrived
                return self.refuse_data[address]
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def start(self) -> SmtpSink:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port,
                                     enable_SMTPUTF8=self.smtputf8)  # fmt: skip
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def parsed(self) -> list[email.message.EmailMessage]:
        with self.lock:
            return [email.message_from_bytes(c, policy=email.policy.default)
                    for _, _, c in self.received]  # fmt: skip

    def counts(self, header: str = "Message-ID") -> Counter:
        return Counter(str(m[header]) for m in self.parsed())


class HttpSink:
    """An HTTP server on 127.0.0.1 recording requests; `status` is what it answers."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                sink.requests.append({"method": self.command, "path": self.path,
                                      "headers": dict(self.headers), "body": body})  # fmt: skip
                self.send_response(sink.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def json_bodies(self) -> list[Any]:
        return [json.loads(r["body"]) for r in self.requests]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def make_database(path: Path, contacts_count: int = 10) -> Engine:
    engine = open_database(path)
    if not contacts_count:
        return engine
    with engine.begin() as conn:
        conn.execute(insert(contacts), [
            {"id": i, "email": f"user{i}@example.com", "phone": f"+4930{i:06d}",
             "first_name": f"User{i}", "created_at": T0, "attributes": {}}
            for i in range(1, contacts_count + 1)
        ])  # fmt: skip
    return engine


def queue_messages(engine: Engine, contact_ids, channel: str = "email", **fields: Any) -> None:
    rows = []
    for cid in contact_ids:
        row = {
            "key": f"{cid}:hello:1", "enrollment_id": cid, "campaign_id": None,
            "node_id": "hello", "contact_id": cid, "channel": channel,
            "to_address": f"user{cid}@example.com" if channel == "email" else f"+4930{cid:06d}",
            "sender": "Shop <shop@example.com>", "subject": f"Hello User{cid}",
            "body_html": f"<p>Hello <b>User{cid}</b></p>", "body_text": f"Hello User{cid}",
            "headers": None, "status": "queued", "attempts": 0, "next_attempt_at": None,
            "created_at": T0,
        }  # fmt: skip
        row.update(fields)
        rows.append(row)
    with engine.begin() as conn:
        conn.execute(insert(messages), rows)


def email_campaign(engine: Engine, name: str = "Kill test", nodes: int = 2) -> int:
    """A live campaign: every contact with an email gets `nodes` inline emails in a row."""
    from engine import campaigns
    from engine.diagram import Diagram, Edge, Node

    diagram = Diagram(name, {"entry": "once"})
    diagram.nodes["start"] = Node("start", "trigger.manual",
                                  {"filter": {"field": "email", "op": "is_set"}})  # fmt: skip
    previous = "start"
    for index in range(1, nodes + 1):
        node_id = f"mail{index}"
        diagram.nodes[node_id] = Node(node_id, "action.send_email", {
            "subject": f"Mail {index} for {{{{ contact.first_name }}}}",
            "body": f"<p>Hello {{{{ contact.first_name }}}}, mail {index}</p>"
                    "<a href='{{ unsubscribe_url }}'>unsubscribe</a>",
            "text": f"Hello {{{{ contact.first_name }}}}, mail {index}",
            "sender": "Shop <shop@example.com>",
        })  # fmt: skip
        diagram.edges.append(Edge(previous, node_id, "out"))
        previous = node_id
    campaign_id = campaigns.save_campaign(engine, diagram)
    campaigns.start(engine, campaign_id)
    return campaign_id


def smtp_settings(engine: Engine, port: int, **extra: Any) -> None:
    from engine.settings import save_settings

    save_settings(engine, {"email_transport": "smtp", "smtp_host": "127.0.0.1",
                           "smtp_port": port, "smtp_security": "none", **extra})  # fmt: skip
