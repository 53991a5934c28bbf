"""SMTP throughput: queued rows → sent through the Dispatcher (MIME building, Message-ID,
signed unsubscribe headers, hand-over journal, database updates and events) over one
reused connection, against the floor of bare smtplib.sendmail of pre-built messages to the
same local aiosmtpd server in the same run. Also: building MIME with email.message.

    .venv/bin/python benchmarks/smtp_throughput.py [--messages 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import smtplib
import socket
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.clock import VirtualClock
from engine.db import open_database
from engine.db.schema import contacts, messages
from engine.delivery.channels import OutgoingMessage, SmtpChannel
from engine.delivery.dispatcher import Dispatcher
from engine.delivery.mime import build_email, build_email_message

T0 = dt.datetime(2026, 3, 2, 10, 0)
HTML = (
    "<html><body><h1>Hello {name}</h1><p>Our spring offers are here. "
    + "Lorem ipsum " * 40
    + ("</p><a href='https://example.com/unsubscribe'>unsubscribe</a></body></html>")
)
TEXT = "Hello {name}\n\nOur spring offers are here. " + "Lorem ipsum " * 40


class Counting:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def message(i: int) -> OutgoingMessage:
    return OutgoingMessage(
        key=f"{i}:mail:1", channel="email", to=f"user{i}@example.com",
        sender="Shop <shop@example.com>", subject=f"Spring offers for User{i}",
        html=HTML.format(name=f"User{i}"), text=TEXT.format(name=f"User{i}"),
        headers={"Message-ID": f"<{i}@example.com>",
                 "List-Unsubscribe": f"<https://example.com/u?token={i:032d}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )  # fmt: skip


def floor(port: int, n: int) -> float:
    built = [(m.to, build_email(m)) for m in map(message, range(n))]
    conn = smtplib.SMTP("127.0.0.1", port)
    start = time.perf_counter()
    for to, data in built:
        conn.sendmail("shop@example.com", [to], data)
    elapsed = time.perf_counter() - start
    conn.quit()
    return n / elapsed


def dispatcher(port: int, n: int, folder: Path, journal: bool = True) -> tuple[float, int]:
    engine = open_database(folder / f"bench-{journal}.db")
    with engine.begin() as conn:
        conn.execute(insert(contacts), [
            {"id": i, "email": f"user{i}@example.com", "first_name": f"User{i}",
             "created_at": T0, "attributes": {}} for i in range(1, n + 1)
        ])  # fmt: skip
        conn.execute(insert(messages), [
            {"key": f"{i}:mail:1", "enrollment_id": i, "campaign_id": 1, "node_id": "mail",
             "contact_id": i, "channel": "email", "to_address": f"user{i}@example.com",
             "sender": "Shop <shop@example.com>", "subject": f"Spring offers for User{i}",
             "body_html": HTML.format(name=f"User{i}"), "body_text": TEXT.format(name=f"User{i}"),
             "status": "queued", "attempts": 0, "created_at": T0} for i in range(1, n + 1)
        ])  # fmt: skip
    channel = SmtpChannel("127.0.0.1", port)
    sender = Dispatcher(engine, {"email": channel}, VirtualClock(T0))
    if not journal:  # what PostgreSQL does: commit each hand-over to the database
        sender.journal = None
    start = time.perf_counter()
    report = sender.dispatch()
    elapsed = time.perf_counter() - start
    assert report.sent == n, report
    engine.dispose()
    return n / elapsed, channel.connections


def building(n: int) -> tuple[float, float]:
    items = [message(i) for i in range(n)]
    start = time.perf_counter()
    for m in items:
        build_email(m)
    fast = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for m in items:
        build_email_message(m)
    slow = n / (time.perf_counter() - start)
    return fast, slow


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    n = args.messages
    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            floor(port, min(200, n))  # warm up
            bare = floor(port, n)
            ours, connections = dispatcher(port, n, Path(folder))
            committing, _ = dispatcher(port, n, Path(folder), journal=False)
            bare_again = floor(port, n)
        fast, slow = building(min(n, 1000))
    finally:
        controller.stop()
    base = (bare + bare_again) / 2
    print(f"messages per run           {n}")
    print(f"floor: bare smtplib.sendmail of pre-built messages  {base:8.0f} msg/s "
          f"(before {bare:.0f}, after {bare_again:.0f})")  # fmt: skip
    print(f"Dispatcher (queued rows → sent, {connections} connection)  {ours:8.0f} msg/s")
    print(f"ratio Dispatcher / floor   {ours / base:.2f}  (target ≥ 0.50)")
    print(f"Dispatcher committing each hand-over (no journal, as on PostgreSQL) "
          f"{committing:8.0f} msg/s, ratio {committing / base:.2f}")  # fmt: skip
    print(f"MIME building: engine.delivery.mime {fast:8.0f} msg/s, email.message {slow:8.0f} msg/s "
          f"({fast / slow:.1f}×)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
