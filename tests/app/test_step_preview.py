"""The send step's live preview and Send test in the inspector, in the real window: the
message rendered off the GUI thread for a chosen contact, inline or from a template, and a
test email to a local SMTP server reported in a sentence."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from PySide6.QtCore import Qt, QThreadPool
from shell_helpers import (
    build_demo_db,
    copy_db,
    create_from_sample,
    main_window,
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
)

from engine import store
from engine.clock import VirtualClock, utcnow
from engine.settings import save_settings

LEFT = Qt.MouseButton.LeftButton


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("demo"), contacts=20)


def test_preview_follows_the_step_and_the_contact_and_sends_a_test(qtbot, tmp_path, demo_db):
    ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), VirtualClock(utcnow()))
    create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    page.editor.scene.select_nodes(["hello"])
    inspector = page.editor.inspector
    preview = inspector.step_preview
    assert preview is not None
    with ws.engine.connect() as conn:
        welcome = store.get_template(conn, "welcome")
        first = store.list_contacts(conn, limit=1)[0]
    # the first real contact is chosen once the list arrives; its message is rendered
    qtbot.waitUntil(lambda: preview.contact_picker.count() > 1, timeout=10000)
    qtbot.waitUntil(lambda: (preview.rendered or {}).get("to") == first["email"], timeout=10000)
    assert preview.rendered["error"] is None
    assert welcome["subject"].split("{{")[0].strip() in preview.envelope.text()

    # write the message in the step instead: the preview follows the typing
    qtbot.mouseClick(inspector.group_buttons[1], LEFT)
    preview = inspector.step_preview
    qtbot.keyClicks(inspector.rows["subject"].editor.edit, "Day 3, {{ contact.first_name }}")
    qtbot.keyClicks(inspector.rows["body"].editor.edit, "<p>Hello {{ contact.email }}</p>")
    expected = f"Day 3, {first['first_name']}"
    qtbot.waitUntil(lambda: expected in preview.envelope.text(), timeout=10000)
    assert first["email"] in preview.browser.toPlainText()
    # another contact from the list
    preview.contact_picker.setCurrentIndex(2)
    other = preview.contact_picker.itemData(2)
    with ws.engine.connect() as conn:
        second = store.get_contact(conn, other)
    qtbot.waitUntil(lambda: second["email"] in preview.browser.toPlainText(), timeout=10000)
    window.resize(1024, 700)
    qtbot.wait(50)
    inspector.scroll.ensureWidgetVisible(preview)
    inspector.grab().save(str(tmp_path / "step_preview.png"))

    # Send test: through the workspace's SMTP settings to a local server
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        save_settings(ws.engine, {"email_transport": "smtp", "smtp_host": "127.0.0.1",
                                  "smtp_port": port, "smtp_security": "none",
                                  "sender": "Team <team@example.com>"})  # fmt: skip
        qtbot.mouseClick(preview.send_button, LEFT)
        assert "address" in preview.result.text()  # nothing typed yet: a sentence, not a send
        qtbot.keyClicks(preview.address, "boss@example.com")
        qtbot.keyClick(preview.address, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: preview.send_button.isEnabled(), timeout=15000)
        assert preview.result.text() == f"Sent to boss@example.com through 127.0.0.1:{port}"
        [sent] = inbox.messages
        assert sent["To"] == "boss@example.com"
        assert sent["Subject"] == f"Day 3, {second['first_name']}"
        # a template error is said in a sentence, and nothing is sent
        inspector.rows["subject"].editor.edit.setFocus()
        qtbot.keyClicks(inspector.rows["subject"].editor.edit, "{{ 1 / 0 }}")
        qtbot.waitUntil(lambda: preview.rendered and preview.rendered.get("error"), timeout=10000)
        qtbot.mouseClick(preview.send_button, LEFT)
        qtbot.waitUntil(lambda: preview.send_button.isEnabled(), timeout=15000)
        assert preview.result.text().startswith("Not sent: The subject does not render")
        assert len(inbox.messages) == 1
    finally:
        # no render or send left running on a worker thread when the test's window goes
        qtbot.waitUntil(lambda: not preview._debounce.isActive(), timeout=5000)
        assert QThreadPool.globalInstance().waitForDone(15000)
        controller.stop()
