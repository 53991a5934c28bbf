"""The Settings screen's test email from the engine alone: through a real SMTP server on
127.0.0.1 with the saved settings, and a refusal reported with the server's reason."""

import pytest
from delivery_support import SmtpSink

from engine.delivery.channels import DeliveryError
from engine.delivery.test_email import SUBJECT, send_test_email
from engine.settings import DEFAULTS


def test_the_test_email_arrives_through_the_settings_server():
    sink = SmtpSink().start()
    try:
        settings = {**DEFAULTS, "email_transport": "smtp", "smtp_host": "127.0.0.1",
                    "smtp_port": sink.port, "sender": "Team <team@example.com>"}  # fmt: skip
        said = send_test_email(settings, "me@example.com")
        [message] = sink.parsed()
        assert message["Subject"] == SUBJECT and message["To"] == "me@example.com"
        assert "team@example.com" in message["From"]
        assert str(message["Message-ID"]).endswith("@example.com>")  # SpamAssassin: MISSING_MID
        assert said == f"Sent to me@example.com through 127.0.0.1:{sink.port}"
        sink.refuse["no@example.com"] = "550 no such user"
        with pytest.raises(DeliveryError, match=r"550|no such user"):
            send_test_email(settings, "no@example.com")
    finally:
        sink.stop()
