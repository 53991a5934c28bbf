"""The one action table: every action has a handler, menus come from it, and the keys
users expect do their job (and single keys never steal typing from the inspector)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from designer.actions import ACTIONS, MENUS, specs_of
from designer.editor import CampaignEditor
from designer.theme import DARK, LIGHT
from designer.window import DesignerWindow
from engine import fileformat

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "campaigns"


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "win_back.campaign.json"
    shutil.copy(SAMPLES / "win_back.campaign.json", path)
    win = DesignerWindow(path)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    win.editor.undo_stack.setClean()  # closing would ask about unsaved changes
    win.close()
    win.deleteLater()


def focus_canvas(qtbot, editor: CampaignEditor) -> None:
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)


def test_table_is_complete_and_consistent():
    from app.main_window import MainWindow

    names = [spec.name for spec in ACTIONS]
    assert len(names) == len(set(names))
    # Actions that live together never share a key: the editor with its file actions (alone,
    # python -m designer), or the editor inside the window's shell.
    for together in (("editor", "document"), ("editor", "window")):
        specs = specs_of(*together)
        keys = [QKeySequence(k).toString() for spec in specs for k in spec.shortcuts]
        assert len(keys) == len(set(keys)), f"one key, one action ({together})"
    for spec in ACTIONS:
        target = MainWindow if spec.owner == "window" else CampaignEditor
        assert callable(getattr(target, spec.handler, None)), spec.handler
        assert spec.owner in ("editor", "document", "window")
        assert spec.menu in MENUS or spec.owner == "window"
        assert spec.scope in ("window", "canvas")
    keys = [QKeySequence(k).toString() for spec in specs_of("editor", "document")
            for k in spec.shortcuts]  # fmt: skip
    expected = {"Delete", "Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z", "Ctrl+C", "Ctrl+X", "Ctrl+V",
                "Ctrl+D", "Ctrl+A", "F", "Ctrl+S", "Ctrl+Shift+S", "Ctrl+O", "Ctrl+N",
                "Ctrl+L", "+", "-", "Tab", "F2", "Return"}  # fmt: skip
    assert {QKeySequence(k).toString() for k in expected} <= set(keys)


def test_window_menus_hold_every_action(window):
    titles = [menu.title().replace("&", "") for menu in window.menus.values()]
    assert titles == list(MENUS)
    in_menus = {a.objectName() for m in window.menus.values() for a in m.actions()}
    assert {f"action_{spec.name}" for spec in specs_of("editor", "document")} <= in_menus


def test_undo_redo_keys(window, qtbot):
    editor = window.editor
    editor.scene.select_nodes(["score"])
    qtbot.keyClicks(editor.inspector.label_edit, "Hot")
    focus_canvas(qtbot, editor)
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.diagram.nodes["score"].label is None
    qtbot.keyClick(editor.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.diagram.nodes["score"].label == "Hot"
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(
        editor.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.diagram.nodes["score"].label == "Hot"


def test_delete_and_duplicate_keys_on_the_canvas(window, qtbot):
    editor = window.editor
    focus_canvas(qtbot, editor)
    editor.scene.select_nodes(["sms"])
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert "sms" not in editor.diagram.nodes
    assert all("sms" not in (e.source, e.target) for e in editor.diagram.edges)
    qtbot.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "sms" in editor.diagram.nodes
    count = len(editor.diagram.nodes)
    editor.scene.select_nodes(["score"])
    qtbot.keyClick(editor.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.diagram.nodes) == count + 1


def test_save_key_works_while_typing_in_the_inspector(window, qtbot):
    editor = window.editor
    editor.scene.select_nodes(["score"])
    line = editor.inspector.label_edit
    line.setFocus()
    qtbot.keyClicks(line, "Fans")  # F is "fit" on the canvas, but here it is a letter
    assert editor.diagram.nodes["score"].label == "Fans"
    assert editor.is_dirty
    qtbot.keyClick(line, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not editor.is_dirty
    assert fileformat.load(editor.path)[0].nodes["score"].label == "Fans"


def test_tab_adds_the_next_node_after_the_selection(window, qtbot):
    editor = window.editor
    focus_canvas(qtbot, editor)
    editor.scene.select_nodes(["notify"])
    qtbot.keyClick(editor.view, Qt.Key.Key_Tab)
    popup = editor.quick_add.popup
    assert popup.isVisible()
    qtbot.keyClicks(popup.search, "exit")
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    added = editor.scene.selected_node_ids()
    assert len(added) == 1 and editor.diagram.nodes[added[0]].type == "exit"
    assert editor.diagram.edge_from("notify", "out").target == added[0]
    editor.undo_stack.undo()
    assert added[0] not in editor.diagram.nodes
    assert editor.diagram.edge_from("notify", "out") is None


def test_layout_zoom_and_theme_keys(window, qtbot):
    editor = window.editor
    focus_canvas(qtbot, editor)
    before = {n: node.position for n, node in editor.diagram.nodes.items()}
    depth = editor.undo_stack.count()
    qtbot.keyClick(editor.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    after = {n: node.position for n, node in editor.diagram.nodes.items()}
    assert after != before  # the sample is not laid out the way auto-layout would
    assert editor.undo_stack.count() == depth + 1
    editor.undo_stack.undo()
    assert {n: node.position for n, node in editor.diagram.nodes.items()} == before
    zoom = editor.view.zoom()
    qtbot.keyClick(editor.view, Qt.Key.Key_Plus)
    assert editor.view.zoom() > zoom
    assert editor.zoom_label.text() == f"{editor.view.zoom() * 100:.0f}%"
    qtbot.keyClick(editor.view, Qt.Key.Key_Minus)
    assert editor.view.zoom() == pytest.approx(zoom)
    editor.actions["theme"].trigger()
    assert editor.scene.theme is DARK and editor.actions["theme"].isChecked()
    editor.actions["theme"].trigger()
    assert editor.scene.theme is LIGHT


def test_enter_on_a_node_opens_its_form(window, qtbot):
    editor = window.editor
    focus_canvas(qtbot, editor)
    editor.scene.select_nodes(["wait_a"])
    qtbot.keyClick(editor.view, Qt.Key.Key_Return)
    assert editor.inspector.node_id == "wait_a"
    # Its name first (issue 13: Enter on a node focuses its label); Tab goes on to the fields.
    assert window.focusWidget() is editor.inspector.label_edit


def test_copy_paste_keys(window, qtbot):
    editor = window.editor
    focus_canvas(qtbot, editor)
    editor.scene.select_nodes(["offer_a", "wait_a"])
    count = len(editor.diagram.nodes)
    qtbot.keyClick(editor.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.diagram.nodes) == count + 2
    pasted = editor.scene.selected_node_ids()
    assert len(pasted) == 2 and not {"offer_a", "wait_a"} & set(pasted)
    qtbot.keyClick(editor.view, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.diagram.nodes) == count


def test_notes_and_frames_are_reachable_from_the_menu_and_ctrl_g(window, qtbot):
    editor = window.editor
    edit_menu = window.menus["Edit"]
    assert editor.actions["add_note"] in edit_menu.actions()
    assert editor.actions["add_group"] in edit_menu.actions()
    editor.actions["add_note"].trigger()
    notes = [a for a in editor.diagram.annotations.values() if a.kind == "note"]
    assert len(notes) == 1
    nx, ny, nw, nh = notes[0].rect
    from PySide6.QtCore import QRectF

    note = QRectF(nx, ny, nw, nh)
    assert not any(note.intersects(i.scene_card_rect()) for i in editor.scene.nodes.values())
    assert editor.scene._editor is not None  # its text is ready to type
    editor.scene._editor.finish(True)
    focus_canvas(qtbot, editor)
    editor.scene.select_nodes(["won", "thanks"])
    qtbot.keyClick(editor.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    groups = [a for a in editor.diagram.annotations.values() if a.kind == "group"]
    assert len(groups) == 1
    x, y, w, h = groups[0].rect
    for node_id in ("won", "thanks"):
        card = editor.scene.nodes[node_id].scene_card_rect()
        assert x <= card.left() and card.right() <= x + w
        assert y <= card.top() and card.bottom() <= y + h
    editor.undo_stack.undo()
    assert not [a for a in editor.diagram.annotations.values() if a.kind == "group"]
