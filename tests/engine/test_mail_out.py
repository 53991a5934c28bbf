"""Messages as recipients get them: a campaign renders and sends through a real SMTP
server on 127.0.0.1 (aiosmtpd) and Python's email parser reads what arrived. A missing
first name prints nothing, the text part keeps every link, both parts carry the unsubscribe
link, To: has the contact's name, internationalised addresses go with SMTPUTF8 or fail
once with a clear reason."""

from __future__ import annotations

import email
import email.policy
import re
from html import unescape

import pytest
from delivery_support import SmtpSink
from runner_helpers import START, diagram, launch, make_db
from sqlalchemy import insert, select

from engine.db.schema import contacts, messages
from engine.delivery.channels import SmtpChannel
from engine.delivery.dispatcher import Dispatcher
from engine.templating import render

BODY = (
    "<html><body><p>Hello {{ contact.first_name }},</p>"
    "<p>Your {{ contact.days_left | plural('day') }} left. "
    "<a href='https://shop.example/offer?id=7&amp;x=1'>See the offer</a></p>"
    "<table><tr><td><a href='https://shop.example/help'>Help</a></td></tr></table>"
    "<p><a href='{{ unsubscribe_url }}'>Unsubscribe</a></p></body></html>"
)
PEOPLE = [
    # email, first, last
    ("nofirst@example.com", None, None),
    ("chloé@exämple.de", "Chloé", "Dubois"),
    ("ann@exämple.de", "Ann", "O'Neil, Jr."),
]


def _run(tmp_path, smtputf8: bool):
    engine = make_db(tmp_path)
    with engine.begin() as conn:
        conn.execute(insert(contacts), [
            {"email": e, "first_name": f, "last_name": last, "created_at": START,
             "attributes": {"days_left": 1 if f else 3}}
            for e, f, last in PEOPLE
        ])  # fmt: skip
    d = diagram(
        [("start", "trigger.manual", {"filter": {"field": "email", "op": "is_set"}}),
         ("mail", "action.send_email", {"subject": "Hi {{ contact.first_name }}", "body": BODY,
                                        "sender": "Shop <shop@example.com>"})],
        [("start", "mail")],
    )  # fmt: skip
    _, runner, clock = launch(engine, d, mode="live")
    runner.tick(clock.now())
    sink = SmtpSink(smtputf8=smtputf8).start()
    try:
        channel = SmtpChannel("127.0.0.1", sink.port)
        Dispatcher(engine, {"email": channel}, clock).dispatch()
        channel.close()
    finally:
        sink.stop()
    with engine.connect() as conn:
        rows = conn.execute(select(messages.c.to_address, messages.c.status, messages.c.error,
                                   messages.c.attempts)).all()  # fmt: skip
    engine.dispose()
    by_to = {}
    for _, _, content in sink.received:
        # RFC 6532: an SMTPUTF8 message's headers are UTF-8 text.
        mail = email.message_from_string(content.decode("utf-8"), policy=email.policy.default)
        by_to[mail["To"].addresses[0].addr_spec] = mail
    return by_to, {r.to_address: r for r in rows}, sink


def test_missing_name_links_unsubscribe_and_to_name_over_smtputf8(tmp_path):
    got, rows, sink = _run(tmp_path, smtputf8=True)
    assert {a: r.status for a, r in rows.items()} == {e: "sent" for e, _, _ in PEOPLE}
    plain = got["nofirst@example.com"]
    text = plain.get_body(("plain",)).get_content()
    html = plain.get_body(("html",)).get_content()
    assert "None" not in text + html + str(plain["Subject"])
    assert text.startswith("Hello ,") and str(plain["Subject"]).strip() == "Hi"
    assert "3 days left" in text
    # Every link of the HTML (click-tracked or not) is in the text part, after its label;
    # the unsubscribe link is in both parts.
    links = [unescape(h) for h in re.findall(r"href=['\"]([^'\"]+)", html)]
    assert len(links) == 3 and all(f"({url})" in text for url in links)
    assert "See the offer (http" in text and "Help (http" in text
    unsubscribe = str(plain["List-Unsubscribe"]).strip("<>")
    assert f"Unsubscribe ({unsubscribe})" in text and unsubscribe in html
    assert str(plain["To"]) == "nofirst@example.com"
    # The internationalised address went with SMTPUTF8, the name in To:.
    chloe = got["chloé@exämple.de"]
    assert chloe["To"].addresses[0].display_name == "Chloé Dubois"
    assert "1 day left" in chloe.get_body(("plain",)).get_content()
    smtputf8_rcpts = [rcpts for _, rcpts, _ in sink.received if "chloé@exämple.de" in rcpts]
    assert smtputf8_rcpts == [["chloé@exämple.de"]]
    # A domain alone in Unicode travels as IDNA; a name with a comma is quoted.
    assert any(rcpts == ["ann@xn--exmple-cua.de"] for _, rcpts, _ in sink.received)
    ann = got["ann@xn--exmple-cua.de"]
    assert ann["To"].addresses[0].display_name == "Ann O'Neil, Jr."


def test_without_smtputf8_the_internationalised_address_fails_once_with_the_reason(tmp_path):
    got, rows, _ = _run(tmp_path, smtputf8=False)
    failed = rows["chloé@exämple.de"]
    assert failed.status == "failed" and failed.attempts == 1
    assert "does not offer SMTPUTF8" in failed.error and "chloé@exämple.de" in failed.error
    assert rows["nofirst@example.com"].status == "sent"
    assert rows["ann@exämple.de"].status == "sent" and "ann@xn--exmple-cua.de" in got


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("Hello {{ contact.first_name }},", {"contact": {"first_name": None}}, "Hello ,"),
        ("Hi {{ contact.first_name or 'there' }}", {"contact": {"first_name": None}},
         "Hi there"),
        ("{{ contact.missing.deeper }}|", {"contact": {}}, "|"),
        ("{{ n | plural('day') }}, {{ m | plural('day') }}, {{ k | plural('child', 'children') }}",
         {"n": 1, "m": 2, "k": 3}, "1 day, 2 days, 3 children"),
    ],
)  # fmt: skip
def test_templates_never_print_none_and_plurals_read_right(source, context, expected):
    assert render(source, context) == expected
    assert render(source, context, html=True) == expected.replace("'", "&#39;")
