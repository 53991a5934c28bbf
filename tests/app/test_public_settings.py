"""The settings fields for the public endpoint and the bounce mailbox, on a real form."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget

from app.public_settings import PublicEndpointFields
from engine.bounces import imap
from engine.delivery import secrets
from engine.settings import DEFAULTS


def test_fields_load_edit_and_check(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    fields = PublicEndpointFields(QFormLayout(host))
    fields.load(dict(DEFAULTS))
    assert fields.values()["public_url"] == "http://127.0.0.1:8765"
    assert "Only this computer" in fields.url_note.text()
    with qtbot.waitSignal(fields.changed):
        fields.public_url.setText("https://mail.example.com/")
    fields.track_clicks.setChecked(False)
    fields.imap_host.setText("imap.example.com")
    fields.imap_password.setText("pw")
    values = fields.values()
    assert values["public_url"] == "https://mail.example.com" and values["track_clicks"] is False
    assert fields.problems(values) == ["The bounce mailbox needs a user name."]
    fields.bounce_address.setText("bounces at example.com")
    assert any("plain address" in p for p in fields.problems(fields.values()))
    fields.bounce_address.setText("bounces@example.com")
    fields.imap_user.setText("bounces-test-public-settings")
    values = fields.values()
    assert fields.problems(values) == []
    try:
        assert fields.store_password(values) in ("keyring", "session")
        assert secrets.get_password(imap.account(values)) == "pw"
        assert fields.imap_password.text() == "" and fields.values() == values  # never a value
    finally:
        secrets.delete_password(imap.account(values))
    fields.public_url.setText("mail.example.com")
    assert "https://" in fields.problems(fields.values())[0]
    host.resize(640, 420)
    host.grab().save("/tmp/public_settings.png")


def test_the_settings_screen_saves_the_public_address(qtbot, tmp_path):
    from app.settings_screen import SettingsScreen
    from engine.db import open_database
    from engine.settings import load_settings

    engine = open_database(tmp_path / "db.sqlite")
    screen = SettingsScreen(engine)
    qtbot.addWidget(screen)
    screen.public.public_url.setText("https://mail.example.com")
    screen.public.late_days.setValue(7)
    assert screen.is_modified()
    assert screen.save()
    saved = load_settings(engine)
    assert (saved["public_url"], saved["late_event_days"]) == ("https://mail.example.com", 7)
    screen.public.public_url.setText("mail.example.com")
    assert not screen.save() and "https://" in screen.status.text()
