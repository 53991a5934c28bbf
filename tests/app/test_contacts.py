"""The contacts screen over a real SQLite file: 100,000 rows stay cheap, search filters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt, QThreadPool
from screen_data import make_database

from app.contacts import EMAIL, NAME, ContactIdRole, ContactsScreen


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("contacts") / "big.db"
    engine = make_database(path, n=100_000)
    yield engine
    engine.dispose()


def test_scrolling_to_the_end_reads_only_the_pages_it_shows(qtbot, big_db):
    screen = ContactsScreen(big_db)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitUntil(screen.isVisible)
    model, view = screen.model, screen.view
    assert model.rowCount() == 100_000
    assert screen.table.count_label.text() == "100,000 contacts"

    view.setFocus()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, 10))
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.currentIndex().row() == 99_999)
    qtbot.wait(50)  # let the view paint the last page

    bottom = view.indexAt(QPoint(10, view.viewport().height() - 5))
    last_row = bottom.row() if bottom.isValid() else view.currentIndex().row()
    assert last_row == 99_999
    # The page arrives from a worker thread; until then the row says "Loading…".
    qtbot.waitUntil(lambda: model.is_loaded(99_999))
    assert model.index(99_999, EMAIL).data() == "person100000@example.com"
    # Only a handful of pages were read, never the whole table.
    assert model.queries <= 8
    assert model.rows_fetched <= 6 * model.block_size
    assert model.cached_rows() <= model.max_blocks * model.block_size


def test_search_filters_after_typing_pauses(qtbot, big_db):
    screen = ContactsScreen(big_db)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.keyClicks(screen.search_box, "person09999")
    # Debounced: one query after typing stops, not one per key.
    qtbot.waitUntil(lambda: screen.model.search == "person09999")
    assert screen.model.rowCount() == 10  # person099990 … person099999
    screen.model.index(0, EMAIL).data()
    qtbot.waitUntil(lambda: screen.model.is_loaded(0))
    emails = {screen.model.index(r, EMAIL).data() for r in range(10)}
    assert emails == {f"person0{99990 + i}@example.com" for i in range(10)}
    assert "10 contacts match" in screen.table.count_label.text()

    screen.search_box.clear()
    qtbot.keyClicks(screen.search_box, "Chlo")
    qtbot.keyClick(screen.search_box, Qt.Key.Key_Return)
    assert screen.model.rowCount() == 10_000
    screen.model.index(0, NAME).data()
    qtbot.waitUntil(lambda: screen.model.is_loaded(0))
    assert screen.model.index(0, NAME).data().startswith("Chloé")


def test_sorting_by_score_reads_from_the_database(qtbot, tmp_path):
    engine = make_database(tmp_path / "small.db", n=300)
    screen = ContactsScreen(engine)
    qtbot.addWidget(screen)
    screen.show()
    header = screen.view.horizontalHeader()
    score_section = 5
    x = header.sectionViewportPosition(score_section) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: screen.model.order_by in ("score", "-score"))
    for row in (0, 299):
        screen.model.index(row, score_section).data()  # asks for the page
        qtbot.waitUntil(lambda row=row: screen.model.is_loaded(row))
    scores = [int(screen.model.index(r, score_section).data()) for r in range(300)]
    assert scores == sorted(scores, reverse=screen.model.order_by.startswith("-"))


def test_double_click_opens_the_contact_page(qtbot, tmp_path):
    engine = make_database(tmp_path / "small.db", n=50)
    screen = ContactsScreen(engine)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitUntil(screen.isVisible)
    view = screen.view
    qtbot.waitUntil(lambda: screen.model.is_loaded(0))
    rect = view.visualRect(screen.model.index(0, EMAIL))
    # A real double-click is a press/release followed by a double-click event.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(screen.contactOpened) as opened:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [screen.model.index(0, EMAIL).data(ContactIdRole)]
    assert screen.stack.currentWidget() is screen.page


def test_pages_load_off_the_gui_thread_with_a_placeholder(qtbot, tmp_path):
    from app.contacts import ContactsModel

    engine = make_database(tmp_path / "small.db", n=500)
    model = ContactsModel(engine, block_size=100)
    model.sort(5, Qt.SortOrder.DescendingOrder)  # by score, highest first
    assert model.index(450, EMAIL).data() == "Loading…"  # asked; the worker is on it
    with qtbot.waitSignal(model.dataChanged) as changed:
        pass
    first, last = changed.args[0], changed.args[1]
    assert (first.row(), last.row()) == (400, 499)
    assert model.is_loaded(450) and not model.is_loaded(0)
    scores = [int(model.index(r, 5).data()) for r in range(400, 500)]
    assert scores == sorted(scores, reverse=True)
    # A reload (new search) drops answers to the old question, even one arriving late.
    model.index(0, EMAIL).data()  # asked under the old sort, no search
    model.set_search("person00001")
    model.index(0, EMAIL).data()  # asked again under the search
    qtbot.waitUntil(lambda: model.is_loaded(0))
    assert model.index(0, EMAIL).data().startswith("person00001")
    assert QThreadPool.globalInstance().waitForDone(10_000)  # every answer has come back
    QCoreApplication.processEvents()  # and been delivered
    assert model.is_loaded(0)
    assert model.index(0, EMAIL).data().startswith("person00001")
