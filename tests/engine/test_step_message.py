"""A send step's message for one contact (the inspector's preview) and "Send test" through a
real SMTP server on 127.0.0.1: template or inline subject/body, rendered as the runner does."""

import pytest
from delivery_support import SmtpSink, smtp_settings
from runner_helpers import make_db
from sqlalchemy import select

from engine.db.schema import contacts
from engine.delivery.channels import DeliveryError
from engine.step_message import (
    StepMessageError,
    preview_contacts,
    render_step_message,
    send_step_test,
)


def first_id(engine):
    with engine.connect() as conn:
        return conn.scalar(select(contacts.c.id).order_by(contacts.c.id))


def test_preview_renders_template_or_inline_message_for_a_contact(tmp_path):
    engine = make_db(tmp_path, 2, attributes={"city": "Köln"})
    cid = first_id(engine)
    assert preview_contacts(engine)[0][1] == "First0 Last <c0@example.com>"
    saved = render_step_message(engine, "action.send_email", {"template": "welcome"}, cid)
    assert saved["error"] is None and saved["subject"] == "Hi First0"
    assert "Hello First0 from Köln" in saved["html"] and saved["to"] == "c0@example.com"
    inline = render_step_message(
        engine, "action.send_email",
        {"subject": "Day {{ 1 + 2 }}, {{ contact.first_name }}",
         "body": "<b>{{ contact.city }}</b>"},
        cid,
    )  # fmt: skip
    assert inline["subject"] == "Day 3, First0" and inline["html"] == "<b>Köln</b>"
    sample = render_step_message(engine, "action.send_email", {"subject": "Hi {{ contact.name }}",
                                                               "body": "x"})  # fmt: skip
    assert sample["subject"] == "Hi Alex Sample"
    assert "does not exist" in render_step_message(engine, "action.send_email",
                                                   {"template": "nope"}, cid)["error"]  # fmt: skip
    assert "HTML body" in render_step_message(engine, "action.send_email",
                                              {"template": "broken"}, cid)["error"]  # fmt: skip
    assert "Pick a template" in render_step_message(engine, "action.send_email", {}, cid)["error"]
    # the sandbox holds: no attribute walking to Python internals
    escape = render_step_message(
        engine,
        "action.send_email",
        {"subject": "{{ contact.__class__.__mro__ }}", "body": "x"},
        cid,
    )
    assert escape["error"] or "object" not in escape["subject"]


def test_send_test_delivers_the_rendered_step(tmp_path):
    engine = make_db(tmp_path, 1)
    cid = first_id(engine)
    sink = SmtpSink().start()
    try:
        smtp_settings(engine, sink.port, sender="Team <team@example.com>")
        said = send_step_test(engine, "me@example.com", "action.send_email",
                              {"template": "welcome"}, cid)  # fmt: skip
        assert said == f"Sent to me@example.com through 127.0.0.1:{sink.port}"
        [message] = sink.parsed()
        assert message["Subject"] == "Hi First0" and message["To"] == "me@example.com"
        assert "team@example.com" in message["From"]
        html = message.get_body(("html",)).get_content()
        assert "Hello First0" in html
        with pytest.raises(StepMessageError, match="address"):
            send_step_test(engine, "nobody", "action.send_email", {"template": "welcome"}, cid)
        with pytest.raises(StepMessageError, match="does not render"):
            send_step_test(engine, "me@example.com", "action.send_email", {"template": "broken"})
        sink.refuse["no@example.com"] = "550 no such user"
        with pytest.raises(DeliveryError, match=r"550|no such user"):
            send_step_test(engine, "no@example.com", "action.send_email", {"template": "welcome"})
    finally:
        sink.stop()
