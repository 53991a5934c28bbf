"""A contact's page: profile, tags and attributes are edited and saved through the store;
the journey lists the campaigns, messages and events that reached the contact."""

from __future__ import annotations

from PySide6.QtCore import Qt
from screen_data import make_database
from sqlalchemy import select

from app.contact_page import ContactPage, TimelineRole
from engine.db.schema import contact_tags, contacts


def _page(qtbot, tmp_path, contact_id: int = 1) -> ContactPage:
    engine = make_database(tmp_path / "c.db", n=20)
    page = ContactPage(engine)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.load(contact_id)
    return page


def _retype(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_the_journey_shows_campaigns_messages_and_events(qtbot, tmp_path):
    page = _page(qtbot, tmp_path)
    assert page.name_label.text() == "Anna Schmidt"
    entries = [page.timeline.item(i).data(TimelineRole) for i in range(page.timeline.count())]
    kinds = [entry["kind"] for entry in entries]
    assert kinds.count("event") == 3 and kinds.count("message") == 1 and kinds.count("step") == 2
    # Newest first: the purchase two days after the welcome email, the signup last.
    assert entries[0]["title"] == "purchase"
    assert entries[-1]["title"] == "signup"
    message = next(e for e in entries if e["kind"] == "message")
    assert message["campaign"] == "Welcome series"
    assert "Welcome, Anna!" in message["title"]
    assert page.campaigns_table.item(0, 0).text() == "Welcome series"
    assert page.campaigns_table.item(0, 2).text() == "pause"
    assert page.messages_table.item(0, 2).text() == "sent"
    assert page.tabs.tabText(3) == "Events (3)"
    opened = next(e for e in entries if e["title"] == "email_opened")
    assert opened["campaign"] == "Welcome series"


def test_editing_fields_tags_and_attributes_saves_them(qtbot, tmp_path):
    page = _page(qtbot, tmp_path, contact_id=2)
    assert not page.save_button.isEnabled()
    _retype(qtbot, page.fields["last_name"], "Baker")
    assert page.save_button.isEnabled()
    _retype(qtbot, page.tags_edit, "vip; beta-tester")
    qtbot.mouseClick(page.unsubscribed_box, Qt.MouseButton.LeftButton)
    # Change the plan attribute in place; its number-ness is kept for numbers.
    plan_row = next(r for r in range(page.attributes_table.rowCount())
                    if page.attributes_table.item(r, 0).text() == "plan")  # fmt: skip
    page.attributes_table.item(plan_row, 1).setText("team")
    page.attributes_table.setFocus()
    page._append_attribute("seats", "")
    page.attributes_table.item(page.attributes_table.rowCount() - 1, 1).setText("12")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.status_label.text() == "Saved"

    with page.engine.connect() as conn:
        row = conn.execute(select(contacts).where(contacts.c.id == 2)).one()
        tags = set(conn.scalars(select(contact_tags.c.tag).where(contact_tags.c.contact_id == 2)))
    assert row.last_name == "Baker"
    assert row.unsubscribed is True
    assert row.attributes == {"country": "FR", "plan": "team", "seats": 12}
    assert tags == {"vip", "beta-tester"}
    assert page.name_label.text() == "Ben Baker"
    assert not page.save_button.isEnabled()


def test_a_bad_email_is_refused_with_a_sentence(qtbot, tmp_path):
    page = _page(qtbot, tmp_path, contact_id=3)
    _retype(qtbot, page.fields["email"], "not an email")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "is not an email address" in page.status_label.text()
    _retype(qtbot, page.fields["email"], "person000001@example.com")  # Anna's address
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.status_label.text() == "Another contact already uses person000001@example.com."
    with page.engine.connect() as conn:
        email = conn.scalar(select(contacts.c.email).where(contacts.c.id == 3))
    assert email == "person000003@example.com"


def test_new_contact_then_delete_it(qtbot, tmp_path):
    from app.contacts import ContactsScreen, NewContactDialog

    engine = make_database(tmp_path / "c.db", n=5)
    screen = ContactsScreen(engine)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.mouseClick(screen.table.new_button, Qt.MouseButton.LeftButton)
    dialog = screen.findChild(NewContactDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.fields["email"], "person000002@example.com")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "already exists" in dialog.problem.text()
    dialog.fields["email"].clear()
    qtbot.keyClicks(dialog.fields["email"], "Nadia@Example.com")
    qtbot.keyClicks(dialog.fields["first_name"], "Nadia")
    with qtbot.waitSignal(screen.contactOpened) as opened:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    new_id = opened.args[0]
    assert screen.stack.currentWidget() is screen.page
    assert screen.page.fields["email"].text() == "nadia@example.com"
    assert screen.model.rowCount() == 6

    box = screen.page.confirm_delete()
    qtbot.waitUntil(box.isVisible)
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert screen.stack.currentWidget() is screen.table
    assert screen.model.rowCount() == 5
    with engine.connect() as conn:
        assert conn.scalar(select(contacts.c.id).where(contacts.c.id == new_id)) is None


def test_going_back_with_unsaved_edits_asks_first(qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    page = _page(qtbot, tmp_path, contact_id=4)
    _retype(qtbot, page.fields["first_name"], "Changed")
    with qtbot.assertNotEmitted(page.backRequested):
        box = page.go_back()
        qtbot.waitUntil(box.isVisible)
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() != "Discard changes"),
                         Qt.MouseButton.LeftButton)  # fmt: skip
    assert page.fields["first_name"].text() == "Changed"
    with qtbot.waitSignal(page.backRequested):
        qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
        box = page.findChildren(QMessageBox, "confirmBox")[-1]
        qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "Discard changes"),
                         Qt.MouseButton.LeftButton)  # fmt: skip
    with page.engine.connect() as conn:
        assert conn.scalar(select(contacts.c.first_name).where(contacts.c.id == 4)) == "Dmitri"


def test_keyboard_find_open_and_escape_back(qtbot, tmp_path):
    from app.contacts import ContactsScreen

    engine = make_database(tmp_path / "c.db", n=30)
    screen = ContactsScreen(engine)
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)  # shortcuts reach the active window only
    screen.view.setFocus()
    qtbot.keyClick(screen.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert screen.search_box.hasFocus()
    qtbot.keyClicks(screen.search_box, "person000007")
    qtbot.keyClick(screen.search_box, Qt.Key.Key_Return)
    assert screen.model.rowCount() == 1
    screen.model.index(0, 0).data()
    qtbot.waitUntil(lambda: screen.model.is_loaded(0))
    screen.view.setFocus()
    screen.view.setCurrentIndex(screen.model.index(0, 0))
    with qtbot.waitSignal(screen.contactOpened) as opened:
        qtbot.keyClick(screen.view, Qt.Key.Key_Return)
    assert opened.args == [7]
    screen.page.fields["first_name"].setFocus()
    qtbot.keyClick(screen.page.fields["first_name"], Qt.Key.Key_Escape)
    assert screen.stack.currentWidget() is screen.table


def test_a_message_whose_text_was_dropped_says_so(qtbot, tmp_path):
    """After the retention period (engine.retention) the subject is gone: the Messages tab
    and the journey say the text was removed, as the view-in-browser page does."""
    import datetime as dt

    from engine.retention import drop_expired_bodies
    from engine.settings import save_settings

    page = _page(qtbot, tmp_path)
    assert "Welcome, Anna!" in page.messages_table.item(0, 3).text()
    save_settings(page.engine, {"message_retention_days": 7})
    assert drop_expired_bodies(page.engine, dt.datetime(2100, 1, 1)) > 0
    page.load(1)
    assert page.messages_table.item(0, 3).text() == "(text removed after 7 days)"
    assert page.messages_table.item(0, 2).text() == "sent"
    titles = [page.timeline.item(i).data(TimelineRole)["title"]
              for i in range(page.timeline.count())]  # fmt: skip
    assert "email sent: (text removed after 7 days)" in titles
