"""The templates screen: the preview follows edits, syntax errors point at their line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox
from screen_data import make_database
from sqlalchemy import select

from app.templates import TemplatesScreen
from engine.db.schema import templates


def _screen(qtbot, tmp_path) -> TemplatesScreen:
    engine = make_database(tmp_path / "t.db", n=20)
    screen = TemplatesScreen(engine)
    qtbot.addWidget(screen)
    screen.resize(1280, 780)
    screen.show()
    qtbot.waitUntil(screen.isVisible)
    screen.open_template("welcome")
    return screen


def _type_at_end(qtbot, editor, text: str) -> None:
    """Real key presses; QTest types ASCII only, so a newline is a Return key."""
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(editor, line)


def test_editing_updates_the_preview_for_the_chosen_contact(qtbot, tmp_path):
    screen = _screen(qtbot, tmp_path)
    preview = screen.preview
    # The first contact in the database is chosen: Anna, plan "free".
    assert "Welcome, Anna!" in preview.envelope.text()
    assert "Your plan: free" in preview.browser.toPlainText()

    _type_at_end(
        qtbot, screen.editor.html, "\n<p>Score {{ contact.score }} in {{ contact.plan }}</p>"
    )
    qtbot.waitUntil(lambda: "Score 0 in free" in preview.browser.toPlainText())

    screen.choose_contact(2)  # Ben, score 37, plan "pro"
    assert "Welcome, Ben!" in preview.envelope.text()
    assert "Score 37 in pro" in preview.browser.toPlainText()

    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    with screen.engine.connect() as conn:
        html = conn.scalar(select(templates.c.html).where(templates.c.name == "welcome"))
    assert "{{ contact.score }}" in html


def test_a_syntax_error_is_shown_at_its_line_and_blocks_saving(qtbot, tmp_path):
    screen = _screen(qtbot, tmp_path)
    editor = screen.editor
    _type_at_end(qtbot, editor.html, "\n<p>ok</p>\n<p>{{ contact.first_name </p>")
    qtbot.waitUntil(lambda: screen.last_error is not None)
    # The HTML had 3 lines; the broken tag is on line 5.
    assert editor.html.error_line == 5
    assert editor.html.error_line_text() == "<p>{{ contact.first_name </p>"
    assert editor.body_error.isVisible()
    assert editor.body_error.text().startswith("HTML, line 5:")
    assert "Cannot render" in screen.preview.envelope.text()

    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert "fix the marked line" in screen.status.text()
    with screen.engine.connect() as conn:
        html = conn.scalar(select(templates.c.html).where(templates.c.name == "welcome"))
    assert "{{ contact.first_name </p>" not in html

    # Fixing the line clears the mark and the preview comes back.
    editor.html.moveCursor(QTextCursor.MoveOperation.End)
    editor.html.moveCursor(QTextCursor.MoveOperation.Left)
    for _ in range(len("</p>")):
        editor.html.moveCursor(QTextCursor.MoveOperation.Left)
    qtbot.keyClicks(editor.html, "}}")
    qtbot.waitUntil(lambda: screen.last_error is None)
    assert editor.html.error_line is None
    assert not editor.body_error.isVisible()
    assert "Anna" in screen.preview.browser.toPlainText()


def test_a_subject_error_is_shown_under_the_subject(qtbot, tmp_path):
    screen = _screen(qtbot, tmp_path)
    screen.editor.subject.setFocus()
    qtbot.keyClicks(screen.editor.subject, " {% for %}")
    qtbot.waitUntil(lambda: screen.last_error is not None)
    assert screen.editor.subject_error.isVisible()
    assert screen.editor.subject_error.text().startswith("Subject, line 1:")


def test_new_sms_template_is_saved_and_deleted_after_confirmation(qtbot, tmp_path):
    screen = _screen(qtbot, tmp_path)
    screen.new_template("sms")
    screen.editor.name.setFocus()
    qtbot.keyClicks(screen.editor.name, "flash-sale")
    screen.editor.text.setFocus()
    screen.editor.text.selectAll()
    qtbot.keyClicks(screen.editor.text, "Sale ends tonight, {{ contact.first_name }}!")
    qtbot.waitUntil(lambda: "Sale ends tonight, Anna!" in screen.preview.text_view.toPlainText())
    assert "1 SMS" in screen.preview.status.text()
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    names = [screen.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(screen.list.count())]
    assert "flash-sale" in names
    with screen.engine.connect() as conn:
        row = conn.execute(select(templates).where(templates.c.name == "flash-sale")).one()
    assert (row.channel, row.text) == ("sms", "Sale ends tonight, {{ contact.first_name }}!")

    box = screen.confirm_delete()
    qtbot.waitUntil(box.isVisible)
    delete_button = next(b for b in box.buttons() if b.text() == "Delete")
    qtbot.mouseClick(delete_button, Qt.MouseButton.LeftButton)
    with screen.engine.connect() as conn:
        assert conn.scalar(select(templates.c.id).where(templates.c.name == "flash-sale")) is None
    assert isinstance(box, QMessageBox)


def test_templates_added_elsewhere_appear_when_the_screen_is_shown_again(qtbot, tmp_path):
    from engine import store

    screen = _screen(qtbot, tmp_path)
    screen.hide()
    with screen.engine.begin() as conn:
        store.save_template(conn, "imported", "sms", text="Hi {{ contact.first_name }}")
    screen.show()
    names = [screen.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(screen.list.count())]
    assert "imported" in names
    assert screen.editor.name.text() == "welcome"  # the open template stays open


def test_switching_away_from_unsaved_edits_asks_first(qtbot, tmp_path):
    screen = _screen(qtbot, tmp_path)
    screen.editor.subject.setFocus()
    qtbot.keyClicks(screen.editor.subject, " (edited)")
    assert screen.dirty
    names = [screen.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(screen.list.count())]
    other = names.index("reminder-sms")
    rect = screen.list.visualItemRect(screen.list.item(other))
    qtbot.mouseClick(screen.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    box = screen.findChild(QMessageBox, "confirmBox")
    qtbot.waitUntil(box.isVisible)
    assert screen.editor.name.text() == "welcome"  # still here while asking
    cancel = next(b for b in box.buttons() if b.text() != "Discard changes")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert "(edited)" in screen.editor.subject.text()
    assert screen.list.currentItem().data(Qt.ItemDataRole.UserRole) == "welcome"

    qtbot.mouseClick(screen.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    boxes = [b for b in screen.findChildren(QMessageBox, "confirmBox") if b.isVisible()]
    discard = next(b for b in boxes[-1].buttons() if b.text() == "Discard changes")
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert screen.editor.name.text() == "reminder-sms"
    assert not screen.dirty


def test_a_misspelt_field_is_pointed_out(qtbot, tmp_path):
    screen = _screen(qtbot, tmp_path)
    _type_at_end(qtbot, screen.editor.text, " {{ contact.plann }} {{ campain.name }}")
    qtbot.waitUntil(lambda: screen.editor.notice.isVisible())
    notice = screen.editor.notice.text()
    assert "No contact has plann" in notice
    assert "campain: not provided when sending" in notice
    assert screen.last_error is None  # it renders (empty), so it is a warning, not an error


def test_send_test_from_the_template_editor_reaches_a_local_server(qtbot, tmp_path):
    """The template as it stands (unsaved edits included), rendered for the chosen contact."""
    import email
    import socket
    from email import policy

    from aiosmtpd.controller import Controller
    from PySide6.QtCore import QThreadPool

    from engine.settings import save_settings

    class Inbox:
        def __init__(self) -> None:
            self.messages: list = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        screen = _screen(qtbot, tmp_path)
        save_settings(screen.engine, {"email_transport": "smtp", "smtp_host": "127.0.0.1",
                                      "smtp_port": port, "smtp_security": "none",
                                      "sender": "team@example.com"})  # fmt: skip
        screen.choose_contact(2)  # Ben
        _type_at_end(
            qtbot, screen.editor.html, "\n<p>Unsaved line for {{ contact.first_name }}</p>"
        )
        row = screen.test_row
        assert row.isVisible()
        qtbot.keyClicks(row.address, "me@example.com")
        qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(row.button.isEnabled, timeout=15000)
        assert row.result.text() == f"Sent to me@example.com through 127.0.0.1:{port}"
        [sent] = inbox.messages
        assert sent["To"] == "me@example.com" and "Welcome, Ben!" in sent["Subject"]
        assert "Unsaved line for Ben" in sent.get_body(("html",)).get_content()
        controller.stop()  # the server is gone: the failure is said in a sentence
        qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(row.button.isEnabled, timeout=15000)
        assert row.result.text().startswith("Not sent: ")
        assert len(inbox.messages) == 1
        screen.grab().save(str(tmp_path / "templates.png"))
        screen.new_template("sms")
        assert not row.isVisible()  # an SMS is not sent as a test email
    finally:
        assert QThreadPool.globalInstance().waitForDone(15000)
        if controller.loop.is_running():
            controller.stop()
