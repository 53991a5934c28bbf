"""The settings screen: values round-trip through the database, the SMTP password goes to
the keychain only, and "Send test email" reaches a real local SMTP server."""

from __future__ import annotations

import json
import socket

import keyring
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings, Qt
from sqlalchemy import select

from app.settings_screen import SettingsScreen
from engine.db import open_database
from engine.db.schema import settings as settings_table


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps secrets in memory (the CI machine has no keychain)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def own_preferences(tmp_path):
    """Preferences (theme, database location) go to tmp_path, not the user's own."""
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(tmp_path / "preferences"))
    yield


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_settings_round_trip_and_the_password_stays_out_of_the_database(
    qtbot, tmp_path, memory_keyring
):
    engine = open_database(tmp_path / "s.db")
    screen = SettingsScreen(engine)
    qtbot.addWidget(screen)
    screen.show()
    screen.transport.setCurrentIndex(screen.transport.findData("smtp"))
    _type(qtbot, screen.smtp_host, "mail.example.com")
    screen.smtp_security.setCurrentIndex(screen.smtp_security.findData("ssl"))
    assert screen.smtp_port.value() == 465  # the port follows the security choice
    _type(qtbot, screen.smtp_user, "marketer")
    _type(qtbot, screen.smtp_password, "s3cret-pass")
    _type(qtbot, screen.gateway_url, "https://sms.example.com/send")
    screen.gateway_headers.setFocus()
    qtbot.keyClicks(screen.gateway_headers, "Authorization: Bearer abc")
    # The engine's default sender is listed; replace it with the team's identity.
    assert screen.senders.item(0, 1).text() == "campaigns@localhost"
    screen.senders.selectRow(0)
    qtbot.mouseClick(screen.remove_sender_button, Qt.MouseButton.LeftButton)
    assert screen.senders.rowCount() == 0
    screen._add_sender("Shop team", "team@example.com")
    qtbot.mouseClick(screen.quiet_enabled, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.cap_enabled, Qt.MouseButton.LeftButton)
    screen.cap_count.setValue(2)
    screen.cap_period.setCurrentIndex(screen.cap_period.findData("P7D"))
    screen.rate_limit.setValue(120)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert screen.status.text() == "Settings saved"

    again = SettingsScreen(engine)
    qtbot.addWidget(again)
    values = again.values()
    smtp = {k: values[k] for k in ("email_transport", "smtp_host", "smtp_port", "smtp_security",
                                   "smtp_username")}  # fmt: skip
    assert smtp == {"email_transport": "smtp", "smtp_host": "mail.example.com", "smtp_port": 465,
                    "smtp_security": "ssl", "smtp_username": "marketer"}  # fmt: skip
    assert values["sms_gateway"]["url"] == "https://sms.example.com/send"
    assert values["sms_gateway"]["headers"] == {"Authorization": "Bearer abc"}
    assert values["message_gateway"] is None
    assert values["senders"] == [{"name": "Shop team", "email": "team@example.com"}]
    assert values["sender"] == "Shop team <team@example.com>"
    assert values["quiet_hours"] == ["21:00", "08:00"]
    assert values["frequency_cap"] == {"count": 2, "per": "P7D"}
    assert values["rate_limit"] == 120
    assert again.smtp_password.text() == ""
    assert again.smtp_password.placeholderText() == "stored in the keychain"

    with engine.connect() as conn:
        stored = json.dumps([list(row) for row in conn.execute(select(settings_table))])
    assert "mail.example.com" in stored
    assert "s3cret-pass" not in stored
    assert "s3cret-pass" not in (tmp_path / "s.db").read_bytes().decode("latin-1")
    assert "s3cret-pass" in memory_keyring.secrets.values()


def test_bad_values_are_refused_with_a_sentence(qtbot, tmp_path, memory_keyring):
    engine = open_database(tmp_path / "s.db")
    screen = SettingsScreen(engine)
    qtbot.addWidget(screen)
    _type(qtbot, screen.gateway_url, "sms.example.com")
    screen._add_sender("", "not-an-address")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert "not an email address" in screen.status.text()
    assert "http://" in screen.status.text()
    with engine.connect() as conn:
        assert conn.execute(select(settings_table)).first() is None


def test_send_test_email_reaches_a_local_smtp_server(qtbot, tmp_path, memory_keyring):
    inbox = Inbox()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"pw-123"
        return AuthResult(success=ok)

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            authenticator=authenticate, auth_require_tls=False)  # fmt: skip
    controller.start()
    try:
        engine = open_database(tmp_path / "s.db")
        screen = SettingsScreen(engine)
        qtbot.addWidget(screen)
        screen.show()
        screen.transport.setCurrentIndex(screen.transport.findData("smtp"))
        _type(qtbot, screen.smtp_host, "127.0.0.1")
        screen.smtp_security.setCurrentIndex(screen.smtp_security.findData("none"))
        screen.smtp_port.setValue(port)
        _type(qtbot, screen.smtp_user, "marketer")
        _type(qtbot, screen.smtp_password, "pw-123")
        _type(qtbot, screen.test_to, "boss@example.com")
        qtbot.mouseClick(screen.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: screen.test_button.isEnabled(), timeout=15000)
        assert screen.test_result.text().startswith("Sent to boss@example.com")
        assert len(inbox.messages) == 1
        assert inbox.messages[0][1] == ["boss@example.com"]
        assert b"Campaign Studio test email" in inbox.messages[0][2]

    finally:
        controller.stop()

    # With the server gone, the failure is reported as a sentence, not a traceback.
    qtbot.mouseClick(screen.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.test_button.isEnabled(), timeout=15000)
    assert screen.test_result.text().startswith("Failed: cannot reach SMTP server 127.0.0.1")
    assert len(inbox.messages) == 1


def test_switching_the_database_asks_first_and_is_remembered(qtbot, tmp_path, memory_keyring):
    engine = open_database(tmp_path / "s.db")
    screen = SettingsScreen(engine)
    screen.restart_on_switch = False  # the test process must not restart itself
    qtbot.addWidget(screen)
    screen.show()
    other = str(tmp_path / "other.db")
    _type(qtbot, screen.database_edit, other)
    box = screen.confirm_switch_database()
    qtbot.waitUntil(box.isVisible)
    cancel = next(b for b in box.buttons() if b.text() != "Switch and restart")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert QSettings("campaign-studio", "campaign-studio").value("database") in (None, "")

    box = screen.confirm_switch_database()
    qtbot.waitUntil(box.isVisible)
    switch = next(b for b in box.buttons() if b.text() == "Switch and restart")
    with qtbot.waitSignal(screen.databaseChangeRequested) as asked:
        qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert asked.args == [other]
    assert QSettings("campaign-studio", "campaign-studio").value("database") == other


def test_without_a_keyring_the_field_does_not_claim_the_keychain(qtbot, tmp_path):
    """No keyring backend: the password is kept for this session only, and the field says so."""
    from keyring.backends import fail

    from engine.delivery import secrets

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        engine = open_database(str(tmp_path / "w.db"))
        screen = SettingsScreen(engine)
        qtbot.addWidget(screen)
        screen.transport.setCurrentIndex(screen.transport.findData("smtp"))
        screen.smtp_host.setText("mail.example.com")
        screen.smtp_user.setText("marketer")
        screen.smtp_password.setText("only-in-memory")
        assert screen.save()
        placeholder = screen.smtp_password.placeholderText()
        again = SettingsScreen(engine)
        qtbot.addWidget(again)
        placeholder_again = again.smtp_password.placeholderText()
    finally:
        keyring.set_keyring(previous)
        secrets._session.clear()
    assert "keychain" not in placeholder.replace("no keychain", "")
    assert placeholder == "kept in memory until the program closes (no keychain)"
    assert placeholder_again == placeholder
