"""Bounces and complaints, tested on real mail other people collected (see
tests/engine/data/bounces/README.md): the flufl.bounce corpus with the expected recipients
from flufl.bounce's own test table, and a Hotmail complaint from the Sisimai corpus."""

from __future__ import annotations

import json
import mailbox
import subprocess
import sys
from pathlib import Path

import pytest
from delivery_support import T0, make_database
from sqlalchemy import insert, select

from engine.bounces.classify import classify
from engine.bounces.record import BounceSourceError, import_bounces
from engine.db.schema import contacts, events, messages
from engine.delivery.channels import SmtpChannel  # before mime: they import each other
from engine.delivery.mime import message_id
from engine.delivery.unsubscribe import engine_secret

DATA = Path(__file__).parent / "data" / "bounces"
FLUFL = DATA / "flufl"
EXPECTED = json.loads((FLUFL / "expected.json").read_text())
LAUNCH = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


def _expected(name: str) -> tuple[str, set[str]]:
    found = EXPECTED[name]
    if name == "simple_42.txt":
        # flufl's table lists this one for its SimpleMatch detector only (which finds
        # nothing); the full scan finds the (obfuscated) address in the same real bounce.
        return "hard", {"david...@gmail.com"}
    if found["temporary"]:
        return "soft", set(found["temporary"])
    if found["permanent"]:
        return "hard", set(found["permanent"])
    return "not a bounce", set()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_bounces_are_classified_as_their_corpus_says(name):
    verdict = classify((FLUFL / name).read_bytes())
    kind, addresses = _expected(name)
    if kind == "not a bounce":
        assert verdict.kind in ("other", "autoreply") and verdict.addresses == []
    else:
        assert (verdict.kind, set(verdict.addresses)) == (kind, addresses)


def test_the_corpus_covers_many_servers_and_every_outcome():
    kinds = [_expected(name)[0] for name in EXPECTED]
    assert len(EXPECTED) >= 110
    assert kinds.count("hard") >= 90 and kinds.count("soft") >= 10
    assert kinds.count("not a bounce") >= 4
    servers = {name.split("_")[0] for name in EXPECTED}
    assert {"postfix", "exim", "sendmail", "qmail", "microsoft", "yahoo", "aol", "dsn"} <= servers


def test_an_auto_reply_is_recognised_and_ignored():
    verdict = classify((FLUFL / "qmail_08.txt").read_bytes())  # "Precedence: auto_reply"
    assert verdict.kind == "autoreply"


def test_a_hotmail_complaint_names_the_complainer():
    verdict = classify((DATA / "sisimai" / "arf-22.eml").read_bytes())
    assert verdict.kind == "complaint" and verdict.addresses == ["kijitora@example.com"]
    assert verdict.original_message_id == "<0000000000fffffffff0000000000000@example.com>"


def test_an_arf_feedback_report_is_a_complaint():
    # RFC 5965's structure (written here: the public corpora above hold no standard ARF).
    report = (
        b"From: feedback@isp.example\r\nTo: fbl@shop.example\r\nSubject: FW: Sale\r\n"
        b"Message-ID: <fbl-1@isp.example>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=feedback-report; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nThis is an email abuse report.\r\n"
        b"--B\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n"
        b"User-Agent: ISP-FBL/1.0\r\nVersion: 1\r\nOriginal-Rcpt-To: <Reader@ISP.example>\r\n"
        b"\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: shop@shop.example\r\n"
        b"To: reader@isp.example\r\nMessage-ID: <abc@shop.example>\r\n\r\n--B--\r\n"
    )
    verdict = classify(report)
    assert (verdict.kind, verdict.addresses) == ("complaint", ["reader@isp.example"])
    assert verdict.original_message_id == "<abc@shop.example>"


def _database(tmp_path, addresses: list[str]):
    engine = make_database(tmp_path / "db.sqlite", 0)
    with engine.begin() as conn:
        conn.execute(insert(contacts), [
            {"id": i, "email": address, "created_at": T0, "attributes": {}}
            for i, address in enumerate(addresses, 1)
        ])  # fmt: skip
    return engine


def _sent(engine, contact_id: int, address: str, key: str, node: str, campaign_id=None) -> int:
    with engine.begin() as conn:
        return conn.execute(insert(messages).values(
            key=key, enrollment_id=1, campaign_id=campaign_id, node_id=node,
            contact_id=contact_id, channel="email", to_address=address,
            sender="Shop <shop@example.com>", status="sent", attempts=1, created_at=T0,
            sent_at=T0,
        )).inserted_primary_key[0]  # fmt: skip


def test_import_marks_hard_bounces_and_complaints_and_counts_once(tmp_path):
    engine = _database(tmp_path, ["xxxxx@local.ie", "kijitora@example.com", "userx@example.cz"])
    folder = tmp_path / "in"
    folder.mkdir()
    names = ("postfix_01.txt", "dsn_05.txt", "qmail_08.txt", "dumbass_01.txt")
    for source in (DATA / "sisimai" / "arf-22.eml", *(FLUFL / name for name in names)):
        (folder / source.name).write_bytes(source.read_bytes())
    report = import_bounces(engine, folder, now=T0)
    assert (report.read, report.hard, report.soft, report.complaints) == (5, 1, 1, 1)
    assert (report.autoreplies, report.ignored, report.bounced, report.unsubscribed) == (1, 1, 1, 1)
    with engine.connect() as conn:
        flags = conn.execute(select(contacts.c.id, contacts.c.bounced, contacts.c.unsubscribed)
                             .order_by(contacts.c.id)).all()  # fmt: skip
        names = sorted(conn.scalars(select(events.c.name)))
    assert [tuple(f) for f in flags] == [(1, True, False), (2, False, True), (3, False, False)]
    assert names == ["bounced", "complained", "soft_bounced"]
    again = import_bounces(engine, folder, now=T0)  # the same mail read again
    assert again.duplicates == 3 and again.bounced == 0
    with engine.connect() as conn:
        assert len(conn.scalars(select(events.c.id)).all()) == 3


def test_the_bounce_counts_on_the_message_it_quotes(tmp_path):
    engine = _database(tmp_path, ["userx@example.com"])
    older = _sent(engine, 1, "userx@example.com", "7:welcome:1", "welcome")
    _sent(engine, 1, "userx@example.com", "7:reminder:1", "reminder")  # the latest
    ours = message_id(engine_secret(engine), "7:welcome:1", "Shop <shop@example.com>")
    data = (FLUFL / "dsn_06.txt").read_bytes()  # a real delay DSN quoting the original
    data = data.replace(b"<j4d77kvs79.fsf@informatik.hu-berlin.de>", ours.encode())
    path = tmp_path / "dsn.eml"
    path.write_bytes(data)
    import_bounces(engine, path, now=T0)
    with engine.connect() as conn:
        row = conn.execute(select(events)).one()
    assert (row.name, row.node_id, row.message_id) == ("soft_bounced", "welcome", older)


def test_soft_bounces_make_a_contact_bounced_past_the_limit(tmp_path):
    engine = _database(tmp_path, ["userx@example.com"])
    _sent(engine, 1, "userx@example.com", "1:hello:1", "hello")
    settings = {"soft_bounce_limit": 3, "soft_bounce_days": 30}
    data = (FLUFL / "dsn_06.txt").read_bytes()
    for n in range(3):  # three different delay notices (each its own Message-ID)
        path = tmp_path / f"{n}.eml"
        path.write_bytes(data.replace(b"<3B3CE20D0000503F@", f"<delay{n}-".encode() + b"@"))
        report = import_bounces(engine, path, now=T0, settings=settings)
        with engine.connect() as conn:
            bounced = conn.scalar(select(contacts.c.bounced))
        assert bounced is (n == 2), n
    assert report.bounced == 1


def test_maildir_and_mbox_are_read(tmp_path):
    engine = _database(tmp_path, ["xxxxx@local.ie", "userx@its.example.nl"])
    box = mailbox.Maildir(str(tmp_path / "Maildir"), create=True)
    box.add((FLUFL / "postfix_01.txt").read_bytes())
    box.add((FLUFL / "exim_01.txt").read_bytes())
    assert import_bounces(engine, tmp_path / "Maildir", now=T0).hard == 2
    mbox = mailbox.mbox(str(tmp_path / "bounces.mbox"))
    mbox.add((FLUFL / "postfix_02.txt").read_bytes())
    mbox.add((FLUFL / "qmail_01.txt").read_bytes())
    mbox.flush()
    assert import_bounces(engine, tmp_path / "bounces.mbox", now=T0).read == 2
    with pytest.raises(BounceSourceError):
        import_bounces(engine, tmp_path / "missing")


def test_import_bounces_command(tmp_path):
    engine = _database(tmp_path, ["xxxxx@local.ie"])
    engine.dispose()
    db = str(tmp_path / "db.sqlite")
    done = subprocess.run([*LAUNCH, "import", "bounces", str(FLUFL / "postfix_01.txt"), "--db", db,
                           "--json"], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["hard"], report["bounced"]) == (1, 1)
    assert report["items"][0]["results"][0]["result"] == "bounced"
    missing = subprocess.run([*LAUNCH, "import", "bounces", str(tmp_path / "nope"), "--db", db],
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_verp_names_the_message_a_bounce_answers(tmp_path):
    from delivery_support import SmtpSink, queue_messages

    from engine.clock import VirtualClock
    from engine.delivery.dispatcher import Dispatcher

    engine = _database(tmp_path, ["xxxxx@local.ie"])
    queue_messages(engine, [1], key="1:welcome:1", node_id="welcome", to_address="xxxxx@local.ie")
    queue_messages(engine, [1], key="1:later:1", node_id="later", to_address="xxxxx@local.ie")
    sink = SmtpSink().start()
    try:
        settings = {"bounce_address": "bounces@shop.example"}
        channel = SmtpChannel("127.0.0.1", sink.port)
        Dispatcher(engine, {"email": channel}, VirtualClock(T0), settings=settings).dispatch()
        envelopes = [mail_from for mail_from, _, _ in sink.received]
    finally:
        sink.stop()
    assert len(envelopes) == 2 and all(e.startswith("bounces+") for e in envelopes)
    assert all(e.endswith("@shop.example") for e in envelopes) and len(set(envelopes)) == 2
    with engine.connect() as conn:
        first = conn.scalar(select(messages.c.id).where(messages.c.node_id == "welcome"))
    welcome = next(e for e in envelopes if e.startswith(f"bounces+{first}-"))
    # A real Postfix bounce (it quotes nothing of ours), delivered to the first one's envelope.
    data = (FLUFL / "postfix_01.txt").read_bytes()
    data = data.replace(b"Delivered-To: zzzzz@mail.wooz.org", f"Delivered-To: {welcome}".encode())
    (tmp_path / "bounce.eml").write_bytes(data)
    import_bounces(engine, tmp_path / "bounce.eml", now=T0)
    forged = data.replace(welcome.encode(), welcome.replace("-", "-0", 1)[:-1].encode())
    with engine.connect() as conn:
        row = conn.execute(select(events).where(events.c.name == "bounced")).one()
    assert row.node_id == "welcome"  # not the latest ("later")
    from engine.bounces.classify import classify as read
    from engine.bounces.verp import verified

    assert verified(engine_secret(engine), read(forged).verp) is None  # a made-up envelope
