"""The SMTP channel and the MIME builder, against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy

import pytest
from delivery_support import SmtpSink

from engine.delivery.channels import (
    OutgoingMessage,
    PermanentFailure,
    SmtpChannel,
    TemporaryFailure,
)
from engine.delivery.mime import build_email, build_email_message, html_to_text


def mail(i: int = 1, **fields) -> OutgoingMessage:
    values = dict(key=f"{i}:hello:1", channel="email", to=f"user{i}@example.com",
                  sender="Shop <shop@example.com>", subject=f"Hello {i}",
                  html=f"<p>Hello <b>{i}</b></p>", text=f"Hello {i}",
                  headers={"Message-ID": f"<{i}@example.com>"})  # fmt: skip
    values.update(fields)
    return OutgoingMessage(**values)


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


def test_fast_builder_parses_like_email_message():
    message = mail(
        subject="Grüße, Zoë — ein sehr langer Betreff, der gefaltet werden muss " * 2,
        to="Zoë Ünger <zoe@example.com>",
        html="<p>Hallo Zoë</p>\n.\n<p>" + "x" * 300 + "</p>\ttab \n",
        text="Hallo Zoë\r\n.\nline with trailing space \n" + "y" * 200,
        headers={
            "Message-ID": "<a@b>",
            "List-Unsubscribe": "<https://x/u?token=t>",
            "X-Campaign": "Frühling",
        },
    )
    fast, reference = parse(build_email(message)), parse(build_email_message(message))
    for header in ("From", "To", "Subject", "Message-ID", "List-Unsubscribe", "X-Campaign"):
        assert str(fast[header]) == str(reference[header]), header
    for kind in ("plain", "html"):
        assert fast.get_body((kind,)).get_content() == reference.get_body((kind,)).get_content()
    assert fast.get_content_type() == "multipart/alternative"


def test_every_line_ends_in_crlf_and_is_short():
    data = build_email(mail(html="<p>" + "word " * 500 + "</p>\n\n\n", text="a\nb\rc\r\nd"))
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


def test_rendered_data_cannot_inject_headers():
    data = build_email(mail(subject="Hi\r\nBcc: victim@example.com", to="user1@example.com"))
    parsed = parse(data)
    assert parsed["Bcc"] is None and "Bcc: victim" in str(parsed["Subject"])


def test_html_only_email_gets_a_text_alternative():
    assert html_to_text("<p>Hello&nbsp;<b>you</b></p><p>Second</p><style>p{}</style>") == (
        "Hello you\n\nSecond\n"
    )
    parsed = parse(build_email(mail(text="", html="<p>Only <i>HTML</i></p>")))
    assert parsed.get_body(("plain",)).get_content().strip() == "Only HTML"


def test_text_only_email_is_a_single_part():
    parsed = parse(build_email(mail(html="", text="Just text")))
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content().strip() == "Just text"


def test_one_connection_for_many_messages_and_reconnect_after_the_server_restarts(sink):
    channel = SmtpChannel("127.0.0.1", sink.port)
    for i in range(5):
        channel.send(mail(i))
    assert channel.connections == 1
    sink.stop()
    sink.start()  # same port: the kept-open connection is dead now
    channel.send(mail(9))
    assert channel.connections == 2
    assert sorted(str(m["To"]) for m in sink.parsed()) == [
        "user0@example.com", "user1@example.com", "user2@example.com", "user3@example.com",
        "user4@example.com", "user9@example.com",
    ]  # fmt: skip
    channel.close()


def test_handed_over_is_called_once_at_the_servers_250(sink):
    """Issue 16 #2: accepted means the 250 to the final dot (RFC 5321), not the dot."""
    calls = []
    channel = SmtpChannel("127.0.0.1", sink.port)
    channel.send(mail(1), handed_over=lambda: calls.append(len(sink.received)))
    assert calls == [1]  # the server had stored it and said 250
    sink.refuse_data["user2@example.com"] = "554 5.7.1 spam"
    with pytest.raises(PermanentFailure):
        channel.send(mail(2), handed_over=lambda: calls.append("refused"))
    assert calls == [1]  # a refusal after the dot is never a hand-over
    channel.close()


def test_failures_map_to_temporary_and_permanent(sink):
    channel = SmtpChannel("127.0.0.1", sink.port)
    sink.refuse["busy@example.com"] = "451 4.7.1 greylisted"
    sink.refuse["gone@example.com"] = "550 5.1.1 user unknown"
    with pytest.raises(TemporaryFailure) as temporary:
        channel.send(mail(to="busy@example.com"))
    assert temporary.value.code == 451 and not temporary.value.unreachable
    with pytest.raises(PermanentFailure) as permanent:
        channel.send(mail(to="gone@example.com"))
    assert permanent.value.code == 550 and permanent.value.bounce
    assert "user unknown" in permanent.value.reason
    with pytest.raises(PermanentFailure):
        channel.send(mail(to="not an address"))
    with pytest.raises(PermanentFailure):
        channel.send(mail(to="a@example.com>\r\nRCPT TO:<b@example.com"))
    channel.send(mail(to="fine@example.com"))  # the connection is still usable
    assert [str(m["To"]) for m in sink.parsed()] == ["fine@example.com"]
    assert channel.connections == 1
    channel.close()


def test_server_down_is_temporary_and_unreachable(sink):
    port = sink.port
    sink.stop()
    channel = SmtpChannel("127.0.0.1", port, timeout=5)
    with pytest.raises(TemporaryFailure) as failure:
        channel.send(mail(1))
    assert failure.value.unreachable and "cannot reach" in failure.value.reason


def test_login_without_password_is_reported_not_crashed(sink):
    channel = SmtpChannel("127.0.0.1", sink.port, username="shop")
    with pytest.raises(TemporaryFailure, match="no password"):
        channel.send(mail(1))


def test_security_setting_is_checked():
    with pytest.raises(ValueError, match="starttls"):
        SmtpChannel("127.0.0.1", 25, security="tls1.3")
