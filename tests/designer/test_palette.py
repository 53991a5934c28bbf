"""The palette and the ways to add a node: drop a palette drag on the canvas, double-click
the empty canvas and pick from the quick-add popup, or double-click a palette entry."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from designer.editor import CampaignEditor
from designer.palette import (
    MIME_TYPE,
    Palette,
    node_type_mime,
    ranked_types,
    type_from_mime,
)
from designer.presets import BY_KEY
from engine import fileformat
from engine.catalog import CATALOG, CATEGORIES


@pytest.fixture
def editor(qtbot):
    widget = CampaignEditor()
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_every_node_type_is_in_the_palette_by_category(qtbot):
    palette = Palette()
    qtbot.addWidget(palette)
    # Every catalog type, plus the ready-made conditions ("Opened email?", "Clicked link?").
    assert set(palette.items) == set(CATALOG) | set(BY_KEY)
    for type_name, item in palette.items.items():
        category = (BY_KEY[type_name].spec if type_name in BY_KEY else CATALOG[type_name]).category
        assert item.parent() is palette.categories[category]
        assert not item.icon(0).isNull()
    order = [c for c in CATEGORIES if c in palette.categories]
    tree_order = [palette.tree.topLevelItem(i) for i in range(palette.tree.topLevelItemCount())]
    assert tree_order == [palette.categories[c] for c in order]


def test_search_filters_types_and_hides_empty_categories(qtbot):
    palette = Palette()
    qtbot.addWidget(palette)
    qtbot.keyClicks(palette.search, "email")
    visible = palette.visible_types()
    assert "action.send_email" in visible
    assert "wait.delay" not in visible
    assert palette.categories["wait"].isHidden()
    palette.search.clear()
    assert set(palette.visible_types()) == set(CATALOG) | set(BY_KEY)


def test_opened_email_is_a_condition_of_its_own(qtbot):
    """Dropped from the palette it is a condition.event on email_opened, named in words."""
    from designer.editor import CampaignEditor

    editor = CampaignEditor()
    qtbot.addWidget(editor)
    palette = editor.palette
    qtbot.keyClicks(palette.search, "opened")
    assert palette.visible_types() == ["condition.opened_email"]
    mime = palette.tree.mimeData([palette.items["condition.opened_email"]])
    node_id = editor.add_node_at(type_from_mime(mime), editor.view.mapToScene(200, 200))
    node = editor.diagram.nodes[node_id]
    assert (node.type, node.params["event"], node.label) == (
        "condition.event",
        "email_opened",
        "Opened email?",
    )


def test_quick_add_ranks_title_matches_first():
    assert ranked_types("del")[0].type == "wait.delay"
    assert ranked_types("sms")[0].type == "action.send_sms"
    assert len(ranked_types("")) == len(CATALOG)


def test_drag_data_carries_the_type_name(qtbot):
    palette = Palette()
    qtbot.addWidget(palette)
    mime = palette.tree.mimeData([palette.items["wait.delay"]])
    assert mime.hasFormat(MIME_TYPE)
    assert type_from_mime(mime) == "wait.delay"
    assert type_from_mime(node_type_mime("no.such")) is None
    plain = QMimeData()
    plain.setText("wait.delay")
    assert type_from_mime(plain) is None


def send_drop(editor: CampaignEditor, mime: QMimeData, pos: QPoint) -> tuple:
    viewport = editor.view.viewport()
    actions = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(pos, actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(QPointF(pos), actions, mime, buttons, mods)
    QApplication.sendEvent(viewport, drop)
    return enter, move, drop


def test_dropping_a_palette_type_adds_a_node_where_it_lands(editor):
    pos = QPoint(400, 300)
    enter, move, drop = send_drop(editor, node_type_mime("wait.delay"), pos)
    assert enter.isAccepted() and move.isAccepted() and drop.isAccepted()
    assert list(editor.diagram.nodes) == ["delay"]
    node = editor.diagram.nodes["delay"]
    assert node.params == {"duration": "P1D"}
    card = editor.scene.nodes["delay"].scene_card_rect()
    landed = editor.view.mapToScene(pos)
    assert card.contains(landed)  # the card sits under the cursor
    assert editor.scene.selected_node_ids() == ["delay"]
    assert editor.inspector.node_id == "delay"
    data = json.loads(fileformat.dumps(editor.diagram))
    assert [n["type"] for n in data["nodes"]] == ["wait.delay"]
    editor.undo_stack.undo()
    assert editor.diagram.nodes == {}
    editor.undo_stack.redo()
    assert list(editor.diagram.nodes) == ["delay"]


def test_foreign_drags_are_ignored(editor):
    mime = QMimeData()
    mime.setText("hello")
    _enter, move, _drop = send_drop(editor, mime, QPoint(300, 300))
    assert not move.isAccepted()  # the cursor says "no drop here"
    assert editor.diagram.nodes == {}


def test_double_click_on_empty_canvas_offers_quick_add(editor, qtbot):
    viewport = editor.view.viewport()
    pos = QPoint(500, 350)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    popup = editor.quick_add.popup
    assert popup.isVisible()
    qtbot.keyClicks(popup.search, "send sms")
    assert popup.list.currentItem().text() == "Send SMS"
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert [n.type for n in editor.diagram.nodes.values()] == ["action.send_sms"]
    node_id = next(iter(editor.diagram.nodes))
    assert editor.scene.nodes[node_id].scene_card_rect().contains(editor.view.mapToScene(pos))
    editor.undo_stack.undo()
    assert editor.diagram.nodes == {}


def test_quick_add_escape_adds_nothing(editor, qtbot):
    qtbot.mouseDClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    popup = editor.quick_add.popup
    qtbot.keyClick(popup.search, Qt.Key.Key_Down)
    qtbot.keyClick(popup.search, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert editor.diagram.nodes == {}


def double_click(widget, pos: QPoint) -> None:
    """Press, release, double-click, release: what a mouse sends (QTest's mouseDClick skips
    the first press, which item views need to recognise the double-click)."""
    point = QPointF(pos)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, left),
        (QEvent.Type.MouseButtonRelease, none),
        (QEvent.Type.MouseButtonDblClick, left),
        (QEvent.Type.MouseButtonRelease, none),
    ):
        event = QMouseEvent(
            kind, point, widget.mapToGlobal(point), left, buttons, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(widget, event)


def test_double_click_on_a_palette_entry_adds_in_view(editor, qtbot):
    tree = editor.palette.tree
    item = editor.palette.items["goal"]
    tree.scrollToItem(item)
    double_click(tree.viewport(), tree.visualItemRect(item).center())
    assert [n.type for n in editor.diagram.nodes.values()] == ["goal"]
    card = editor.scene.nodes["goal"].scene_card_rect()
    assert editor.view.visible_scene_rect().contains(card.center())


def test_enter_on_a_palette_entry_adds_in_view(editor, qtbot):
    tree = editor.palette.tree
    tree.setFocus()
    tree.setCurrentItem(editor.palette.items["wait.delay"])
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert [n.type for n in editor.diagram.nodes.values()] == ["wait.delay"]
