"""Naming a node from the keyboard (issue 13): F2 and Enter put the keyboard in the node's
name; letters typed on the canvas never open quick-add or insert a node."""

from __future__ import annotations

from canvas_helpers import click, small_diagram
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from designer.editor import CampaignEditor


def shown_editor(qtbot) -> CampaignEditor:
    editor = CampaignEditor()
    qtbot.addWidget(editor)
    editor.set_diagram(small_diagram())
    editor.resize(1300, 800)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def select_by_click(qtbot, editor, node_id: str) -> None:
    click(editor.view, editor.scene.nodes[node_id].scene_card_rect().center())
    assert editor.scene.selected_node_ids() == [node_id]
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)


def test_f2_renames_the_selected_node_and_enter_returns_to_the_canvas(qtbot):
    editor = shown_editor(qtbot)
    select_by_click(qtbot, editor, "hello")
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)
    label = editor.inspector.findChild(QLineEdit, "nodeLabel")
    assert QApplication.focusWidget() is label
    qtbot.keyClicks(label, "Welcome mail")
    qtbot.keyClick(label, Qt.Key.Key_Return)
    assert editor.diagram.nodes["hello"].label == "Welcome mail"
    assert editor.view.hasFocus()
    # Enter on a node: its name again, all selected, so typing replaces it.
    qtbot.keyClick(editor.view, Qt.Key.Key_Return)
    label = editor.inspector.findChild(QLineEdit, "nodeLabel")
    assert QApplication.focusWidget() is label and label.selectedText() == "Welcome mail"
    qtbot.keyClicks(label, "Hello")
    assert editor.diagram.nodes["hello"].label == "Hello"
    editor.undo_stack.undo()
    assert editor.diagram.nodes["hello"].label == "Welcome mail"


def test_typing_letters_on_the_canvas_adds_nothing(qtbot):
    editor = shown_editor(qtbot)
    select_by_click(qtbot, editor, "hello")
    before = set(editor.diagram.nodes)
    for key in (Qt.Key.Key_N, Qt.Key.Key_E, Qt.Key.Key_W, Qt.Key.Key_Return):
        qtbot.keyClick(editor.view, key)
    qtbot.keyClick(editor.view, Qt.Key.Key_Escape)
    qtbot.keyClick(editor.view, Qt.Key.Key_Return)
    assert set(editor.diagram.nodes) == before
