"""The window as assistive technology sees it (QAccessible.queryAccessibleInterface) and a
keyboard-only walk: open a campaign with Return, visit every node (goals too), edit, save
(announced), and leave every table with one Tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QLineEdit
from shell_helpers import (
    create_from_sample,
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
    workspace,
)

from app.accessibility import announcer
from app.main_window import SCREENS, MainWindow
from designer.fields import FieldRow
from engine.clock import VirtualClock

NAME = QAccessible.Text.Name


def make_window(qtbot, tmp_path):
    ws = workspace(tmp_path, clock=VirtualClock())
    window = MainWindow(ws, start_engine=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return ws, window


def focus(qtbot, widget) -> None:
    """Give `widget` the keyboard (the window first: a closed dialog may still be active)."""
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def test_the_sidebar_is_a_list_of_pages(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    sidebar = window.nav_buttons["campaigns"].parentWidget()
    iface = QAccessible.queryAccessibleInterface(sidebar)
    assert iface.role() == QAccessible.Role.PageTabList
    assert iface.text(NAME) == "Pages"
    tabs = [
        iface.child(i)
        for i in range(iface.childCount())
        if iface.child(i).role() == QAccessible.Role.PageTab
    ]
    assert [t.text(NAME) for t in tabs] == [s.title for s in SCREENS]
    window.show_screen(SCREENS[1].key)
    assert [t.state().selected for t in tabs] == [i == 1 for i in range(len(SCREENS))]


def test_every_table_and_list_on_every_screen_has_a_name_and_one_tab_stop(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    create_from_sample(qtbot, window, "Welcome series")
    views = list(window.campaign_page.findChildren(QAbstractItemView))
    for spec in SCREENS:
        window.show_screen(spec.key)
        views += window.screens[spec.key].findChildren(QAbstractItemView)
    # the window's own views (a combo box's or date picker's popup list is Qt's)
    views = [v for v in views if v.window() is window and not isinstance(v, QHeaderView)]
    assert len(views) >= 6
    unnamed = [f"{type(v).__name__} {v.objectName()}" for v in views if not v.accessibleName()]
    assert unnamed == []
    for view in views:
        iface = QAccessible.queryAccessibleInterface(view)
        assert iface.text(NAME) == view.accessibleName()
        assert not view.tabKeyNavigation(), view.accessibleName()


def test_inspector_fields_are_labelled_by_their_labels(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    page.editor.scene.select_nodes(["hello"])
    page.editor.open_inspector()
    rows = page.editor.inspector.findChildren(FieldRow)
    assert len(rows) >= 2
    for row in rows:
        target = row.editor.focus_target()
        iface = QAccessible.queryAccessibleInterface(target)
        assert iface.text(NAME).startswith(row.param.label), row.param.name
        labels = [
            other.text(NAME) for other, _relation in iface.relations(QAccessible.Relation.Label)
        ]
        if row.label.isVisibleTo(row):
            assert labels and labels[0].startswith(row.param.label), row.param.name
        assert "required" not in iface.text(QAccessible.Text.Description)


def test_keyboard_only_open_walk_every_node_edit_and_save(qtbot, tmp_path):
    heard: list[str] = []
    announcer.announced.connect(heard.append)
    _ws, window = make_window(qtbot, tmp_path)
    create_from_sample(qtbot, window, "Welcome series")
    window.show_screen("campaigns")
    table = window.campaigns.table
    focus(qtbot, table)
    QTest.keyClick(table, Qt.Key.Key_Home)
    QTest.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.campaign_page is not None and window.campaign_page.isVisible())
    page = window.campaign_page
    view = page.editor.view
    focus(qtbot, view)
    scene = page.editor.scene
    visited = set()
    for _ in scene.diagram.nodes:
        QTest.keyClick(view, Qt.Key.Key_PageDown)
        visited.update(scene.selected_node_ids())
    assert visited == set(scene.diagram.nodes)
    assert any(scene.diagram.nodes[n].type == "goal" for n in visited)
    while scene.selected_node_ids() != ["hello"]:
        QTest.keyClick(view, Qt.Key.Key_PageDown)
    QTest.keyClick(view, Qt.Key.Key_Return)
    label = page.editor.inspector.findChild(QLineEdit, "nodeLabel")
    label.setFocus()
    QTest.keyClicks(label, "Hi there")
    assert scene.diagram.nodes["hello"].label == "Hi there"
    QTest.keySequence(window, "Ctrl+S")
    qtbot.waitUntil(lambda: any(h.startswith("Saved as version") for h in heard))
    announcer.announced.disconnect(heard.append)


def test_tab_leaves_a_table_at_once(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    create_from_sample(qtbot, window, "Welcome series")
    window.show_screen("campaigns")
    table = window.campaigns.table
    focus(qtbot, table)
    QTest.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table


def test_a_refresh_keeps_the_keyboard_on_its_row_and_column(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    create_from_sample(qtbot, window, "Welcome series")
    window.show_screen("campaigns")
    create_from_sample(qtbot, window, "Birthday greetings")
    window.show_screen("campaigns")
    table = window.campaigns.table
    focus(qtbot, table)
    QTest.keyClick(table, Qt.Key.Key_Home)
    QTest.keyClick(table, Qt.Key.Key_Down)
    for _ in range(3):
        QTest.keyClick(table, Qt.Key.Key_Right)
    before = table.currentIndex()
    assert (before.row(), before.column()) == (1, 3)
    window.campaigns.refresh()  # what the engine's campaignsChanged does
    after = table.currentIndex()
    assert (after.row(), after.column()) == (1, 3)
    assert table.hasFocus()


def test_every_button_on_every_screen_says_what_it_does(qtbot, tmp_path):
    from PySide6.QtWidgets import QAbstractButton

    _ws, window = make_window(qtbot, tmp_path)
    create_from_sample(qtbot, window, "Welcome series")

    def shown(root) -> list:
        return [b for b in root.findChildren(QAbstractButton) if b.isVisible()]

    buttons = shown(window.campaign_page)
    for spec in SCREENS:
        window.show_screen(spec.key)
        buttons += shown(window.screens[spec.key])
    assert len(buttons) > 40
    silent = [
        f"{type(b).__name__} {b.objectName()}"
        for b in buttons
        if not QAccessible.queryAccessibleInterface(b).text(NAME).strip()
    ]
    assert silent == []


def test_every_input_on_every_screen_has_a_name(qtbot, tmp_path):
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QPlainTextEdit, QTextEdit

    _ws, window = make_window(qtbot, tmp_path)
    create_from_sample(qtbot, window, "Welcome series")
    kinds = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit)

    def shown(root) -> list:
        return [
            w
            for kind in kinds
            for w in root.findChildren(kind)
            if w.isVisible() and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox))
        ]

    inputs = shown(window.campaign_page)
    for spec in SCREENS:
        window.show_screen(spec.key)
        inputs += shown(window.screens[spec.key])
    assert len(inputs) > 40
    unnamed = [
        f"{type(w).__name__} {w.objectName()} {getattr(w, 'placeholderText', str)()!r}"
        for w in inputs
        if not QAccessible.queryAccessibleInterface(w).text(NAME).strip()
    ]
    assert unnamed == []
