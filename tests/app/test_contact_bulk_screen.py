"""The contacts screen's filters and bulk actions, with real clicks and keys, on a real
SQLite file of 3,000 contacts; every outcome checked in the database (and the CSV file)."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox
from screen_data import make_database
from shell_helpers import click_button, when_modal
from sqlalchemy import func, select

from app.contacts import EMAIL, ContactsScreen
from engine import store
from engine.db.schema import contact_tags, contacts, events, segment_members

LEFT = Qt.MouseButton.LeftButton
N = 3000


@pytest.fixture
def screen(qtbot, tmp_path):
    engine = make_database(tmp_path / "studio.db", n=N)
    with engine.begin() as conn:
        store.save_segment(conn, "Hand picked", kind="static", members=[])
    screen = ContactsScreen(engine)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    yield screen
    engine.dispose()


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an entry the way a keyboard user does: focus the box and type its start."""
    combo.setFocus()
    qtbot.keyClicks(combo, text)
    qtbot.waitUntil(lambda: combo.currentText() == text)


def scalar(screen, query):
    with screen.engine.connect() as conn:
        return conn.scalar(query)


def click_row(qtbot, view, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    rect = view.visualRect(view.model().index(row, EMAIL))
    qtbot.mouseClick(view.viewport(), LEFT, modifier, rect.center())


def test_filters_narrow_the_list_as_the_engine_counts(qtbot, screen):
    table, model = screen.table, screen.model
    assert model.rowCount() == N
    choose(qtbot, table.filters.tag, "vip")
    vip = scalar(screen, select(func.count()).select_from(contact_tags)
                 .where(contact_tags.c.tag == "vip"))  # fmt: skip
    qtbot.waitUntil(lambda: model.rowCount() == vip)
    choose(qtbot, table.filters.status, "Unsubscribed")
    expected = scalar(
        screen,
        select(func.count()).select_from(contacts.join(contact_tags))
        .where(contact_tags.c.tag == "vip", contacts.c.unsubscribed.is_(True)),
    )  # fmt: skip
    qtbot.waitUntil(lambda: model.rowCount() == expected)
    assert 0 < expected < vip
    qtbot.mouseClick(table.filters.clear_button, LEFT)
    qtbot.waitUntil(lambda: model.rowCount() == N)

    choose(qtbot, table.filters.field, "plan")
    qtbot.keyClicks(table.filters.value, "pro")
    qtbot.keyClick(table.filters.value, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.rowCount() == N // 3)  # free, pro, team in turn
    qtbot.waitUntil(lambda: model.is_loaded(0))
    assert model.contact_at(0)["attributes"]["plan"] == "pro"
    assert not table.filters.problem.isVisible()
    table.grab().save("/tmp/contacts_filtered.png")


def test_tag_a_shift_click_range_and_add_it_to_a_static_segment(qtbot, screen):
    table, view = screen.table, screen.view
    qtbot.waitUntil(lambda: screen.model.is_loaded(0))
    click_row(qtbot, view, 0)
    click_row(qtbot, view, 4, Qt.KeyboardModifier.ShiftModifier)
    assert "5 selected" in table.bulk_bar.count.text()

    def name_the_tag(dialog):
        edit = dialog.findChild(QComboBox).lineEdit()
        qtbot.keyClicks(edit, "spring")
        click_button(qtbot, dialog, "OK")

    seen = when_modal(qtbot, name_the_tag)
    qtbot.mouseClick(table.bulk_bar.buttons["tag"], LEFT)
    assert seen
    qtbot.waitUntil(lambda: "Tagged" in table.message.text(), timeout=5000)
    tagged = scalar(screen, select(func.count()).select_from(contact_tags)
                    .where(contact_tags.c.tag == "spring"))  # fmt: skip
    assert tagged == 5
    assert table.filters.tag.findData("spring") >= 0  # offered as a filter at once

    qtbot.waitUntil(lambda: screen.model.is_loaded(0))
    click_row(qtbot, view, 1)
    click_row(qtbot, view, 3, Qt.KeyboardModifier.ControlModifier)

    def pick_segment(dialog):
        assert dialog.findChild(QComboBox).currentText() == "Hand picked"
        click_button(qtbot, dialog, "OK")

    seen = when_modal(qtbot, pick_segment)
    qtbot.mouseClick(table.bulk_bar.buttons["segment"], LEFT)
    assert seen
    qtbot.waitUntil(lambda: "Hand picked" in table.message.text(), timeout=5000)
    members = select(segment_members.c.contact_id).order_by(segment_members.c.contact_id)
    with screen.engine.connect() as conn:
        assert list(conn.scalars(members)) == [2, 4]


def test_select_all_unsubscribe_is_confirmed_with_the_count_and_logged(qtbot, screen):
    table, view = screen.table, screen.view
    choose(qtbot, table.filters.tag, "trial")
    trial = scalar(screen, select(func.count()).select_from(contact_tags)
                   .where(contact_tags.c.tag == "trial"))  # fmt: skip
    qtbot.waitUntil(lambda: screen.model.rowCount() == trial)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert f"{trial:,} selected" in table.bulk_bar.count.text()
    already = scalar(
        screen,
        select(func.count()).select_from(contacts.join(contact_tags))
        .where(contact_tags.c.tag == "trial", contacts.c.unsubscribed.is_(True)),
    )  # fmt: skip
    texts: list[str] = []

    def confirm(box):
        texts.append(box.text())
        click_button(qtbot, box, f"Unsubscribe {trial:,} contacts")

    seen = when_modal(qtbot, confirm)
    qtbot.mouseClick(table.bulk_bar.buttons["unsubscribe"], LEFT)
    assert seen and f"Unsubscribe {trial:,} contacts?" in texts[0]
    qtbot.waitUntil(lambda: "Unsubscribed" in table.message.text(), timeout=5000)
    now_unsubscribed = scalar(
        screen,
        select(func.count()).select_from(contacts.join(contact_tags))
        .where(contact_tags.c.tag == "trial", contacts.c.unsubscribed.is_(True)),
    )  # fmt: skip
    assert now_unsubscribed == trial
    logged = scalar(screen, select(func.count()).select_from(events)
                    .where(events.c.name == "unsubscribed"))  # fmt: skip
    assert logged == trial - already


def test_delete_asks_with_the_count_and_cancel_keeps_everyone(qtbot, screen):
    table, view = screen.table, screen.view
    qtbot.waitUntil(lambda: screen.model.is_loaded(0))
    click_row(qtbot, view, 0)
    click_row(qtbot, view, 2, Qt.KeyboardModifier.ShiftModifier)
    texts: list[str] = []

    def cancel(box):
        texts.append(box.text())
        click_button(qtbot, box, "Cancel")

    seen = when_modal(qtbot, cancel)
    qtbot.mouseClick(table.bulk_bar.buttons["delete"], LEFT)
    assert seen and texts[0].startswith("Delete 3 contacts")
    assert scalar(screen, select(func.count()).select_from(contacts)) == N

    seen = when_modal(qtbot, lambda box: click_button(qtbot, box, "Delete 3 contacts"))
    qtbot.mouseClick(table.bulk_bar.buttons["delete"], LEFT)
    assert seen
    qtbot.waitUntil(lambda: screen.model.rowCount() == N - 3, timeout=5000)
    assert scalar(screen, select(func.count()).select_from(contacts)) == N - 3
    assert scalar(screen, select(func.min(contacts.c.id))) == 4


def test_export_the_selection_as_csv(qtbot, screen, tmp_path):
    table, view = screen.table, screen.view
    with screen.engine.begin() as conn:
        store.update_contact(conn, 2, first_name="=cmd|' /C calc'!A0")
    screen.model.reload()
    qtbot.waitUntil(lambda: screen.model.is_loaded(0))
    click_row(qtbot, view, 1)
    click_row(qtbot, view, 2, Qt.KeyboardModifier.ControlModifier)
    target = tmp_path / "chosen.csv"

    def save_as(dialog):
        dialog.selectFile(str(target))
        dialog.accept()

    seen = when_modal(qtbot, save_as)
    qtbot.mouseClick(table.bulk_bar.buttons["export"], LEFT)
    assert seen
    qtbot.waitUntil(lambda: "Exported" in table.message.text(), timeout=5000)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["email"] for r in rows] == ["person000002@example.com", "person000003@example.com"]
    assert rows[0]["first_name"].startswith("'=")
    assert QApplication.activeModalWidget() is None


def test_a_range_over_pages_never_shown_acts_on_every_row_in_it(qtbot, screen):
    table, view, model = screen.table, screen.view, screen.model
    qtbot.waitUntil(lambda: model.is_loaded(0))
    click_row(qtbot, view, 0)
    view.scrollTo(model.index(650, EMAIL))
    qtbot.waitUntil(lambda: model.is_loaded(650))
    click_row(qtbot, view, 650, Qt.KeyboardModifier.ShiftModifier)
    assert "651 selected" in table.bulk_bar.count.text()
    assert not model.is_loaded(300)  # a page between the two clicks was never read

    def name_the_tag(dialog):
        qtbot.keyClicks(dialog.findChild(QComboBox).lineEdit(), "range")
        click_button(qtbot, dialog, "OK")

    seen = when_modal(qtbot, name_the_tag)
    qtbot.mouseClick(table.bulk_bar.buttons["tag"], LEFT)
    assert seen
    qtbot.waitUntil(lambda: "Tagged" in table.message.text(), timeout=5000)
    with screen.engine.connect() as conn:
        tagged = list(conn.scalars(select(contact_tags.c.contact_id)
                                   .where(contact_tags.c.tag == "range")
                                   .order_by(contact_tags.c.contact_id)))  # fmt: skip
    assert tagged == list(range(1, 652))


def test_a_field_test_that_cannot_compare_says_why_under_the_filters(qtbot, screen):
    filters, model = screen.table.filters, screen.model
    choose(qtbot, filters.field, "score")
    choose(qtbot, filters.op, "<")
    qtbot.keyClicks(filters.value, "abc")
    qtbot.keyClick(filters.value, Qt.Key.Key_Return)
    qtbot.waitUntil(filters.problem.isVisible)
    assert filters.problem.text() == "Score is a number; 'abc' is not a number."
    assert model.rowCount() == 0
    filters.value.clear()
    qtbot.keyClicks(filters.value, "10")
    qtbot.keyClick(filters.value, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not filters.problem.isVisible())
    assert model.rowCount() == N // 10  # scores are (i * 37) % 100: ten of each
