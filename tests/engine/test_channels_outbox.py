"""The offline outbox: one file per message key, written atomically, re-delivery
overwrites instead of duplicating; emails are .eml files a mail program opens."""

from __future__ import annotations

import email
import email.policy
import json

from delivery_support import T0, make_database, queue_messages
from sqlalchemy import select

from engine.clock import VirtualClock
from engine.db.schema import messages
from engine.delivery.channels import OutboxChannel, OutgoingMessage, build_channels
from engine.delivery.channels.outbox import file_name
from engine.delivery.dispatcher import Dispatcher


def test_email_is_an_eml_file_named_by_its_key(tmp_path):
    outbox = OutboxChannel(tmp_path, default_sender="Shop <shop@example.com>")
    outbox.send(OutgoingMessage(key="12:hello:1", channel="email", to="a@example.com",
                                subject="Hi", html="<p>Hi</p>", text="Hi"))  # fmt: skip
    path = tmp_path / "email" / "12_hello_1.eml"
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert str(parsed["From"]) == "Shop <shop@example.com>" and str(parsed["To"]) == "a@example.com"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Hi</p>"


def test_redelivery_overwrites_and_leaves_no_temporary_files(tmp_path):
    outbox = OutboxChannel(tmp_path)
    for text in ("first", "second"):
        outbox.send(OutgoingMessage(key="3:sms:1", channel="sms", to="+49301", text=text))
    files = sorted(p.name for p in (tmp_path / "sms").iterdir())
    assert files == ["3_sms_1.json"]
    assert json.loads((tmp_path / "sms" / "3_sms_1.json").read_text())["text"] == "second"


def test_file_names_are_portable():
    assert file_name("7:node/../x:1", ".json").startswith("7_node_.._x_1~")
    assert "/" not in file_name("a/b\\c:d", ".eml")


def test_node_ids_that_look_alike_never_share_a_file(tmp_path):
    """Issue 16 #7: Grüße/Größe, a:b/a_b, Hello/hello, NFC/NFD spellings each get their own
    file (before: 15 of 42 messages overwritten while recorded as sent)."""
    ids = ["Grüße", "Größe", "a:b", "a_b", "a/b", "a?b", "Hello", "hello", "Café",
           "Cafe\u0301", "x" * 100, "x" * 99 + "y", "日本", "日本語"]  # fmt: skip
    keys = [f"{n}:{node}:1" for node in ids for n in (1, 2, 3)]
    outbox = OutboxChannel(tmp_path / "out", default_sender="shop@example.com", fsync=False)
    for key in keys:
        outbox.send(OutgoingMessage(key=key, channel="email", to="a@example.com", text=key))
    files = list((tmp_path / "out" / "email").iterdir())
    assert len(files) == len(keys) == 42
    assert {f.name for f in files} == {file_name(k, ".eml") for k in keys}
    assert "1_Grüße_1" in file_name("1:Grüße:1", ".eml")  # still readable


def test_dispatcher_delivers_to_the_outbox_by_default(tmp_path):
    engine = make_database(tmp_path / "db.sqlite", 4)
    queue_messages(engine, [1, 2])
    channels = build_channels({}, outbox=tmp_path / "outbox")
    report = Dispatcher(engine, channels, VirtualClock(T0)).dispatch()
    assert report.sent == 2
    names = sorted(p.name for p in (tmp_path / "outbox" / "email").iterdir())
    assert names == ["1_hello_1.eml", "2_hello_1.eml"]
    with engine.connect() as conn:
        assert set(conn.execute(select(messages.c.status)).scalars()) == {"sent"}


def test_notify_and_webhookless_channels_land_in_their_folders(tmp_path):
    engine = make_database(tmp_path / "db.sqlite", 2)
    queue_messages(
        engine,
        [1],
        channel="notify",
        key="1:tell:1",
        to_address="owner@example.com",
        subject="A VIP signed up",
        body_html=None,
        body_text="Contact 1 signed up",
        sender=None,
    )
    queue_messages(engine, [2], channel="message", key="2:push:1", to_address="contact:2",
                   headers={"channel": "push"}, body_text="Hi")  # fmt: skip
    channels = build_channels({"sender": "Studio <studio@example.com>"}, outbox=tmp_path / "out")
    settings = {"sender": "Studio <studio@example.com>"}
    assert Dispatcher(engine, channels, VirtualClock(T0), settings=settings).dispatch().sent == 2
    note = email.message_from_bytes((tmp_path / "out" / "notify" / "1_tell_1.eml").read_bytes(),
                                    policy=email.policy.default)  # fmt: skip
    assert str(note["To"]) == "owner@example.com" and note["List-Unsubscribe"] is None
    assert str(note["From"]) == "Studio <studio@example.com>" and note["Message-ID"]
    push = json.loads((tmp_path / "out" / "message" / "2_push_1.json").read_text())
    assert (push["to"], push["text"], push["headers"]) == ("contact:2", "Hi", {"channel": "push"})
