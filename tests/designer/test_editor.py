"""CampaignEditor as a document: open, edit, save, reopen; the title's unsaved mark;
broken files refused with a message naming file and line, losing nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from designer.editor import CampaignEditor
from designer.window import DesignerWindow
from engine import fileformat

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "campaigns"


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "win_back.campaign.json"
    shutil.copy(SAMPLES / "win_back.campaign.json", path)
    win = DesignerWindow(path)
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Closing a window with unsaved changes asks the user; these tests answer by discarding.
    win.editor.undo_stack.setClean()
    win.close()
    win.deleteLater()


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.campaign.json")))
def test_open_and_save_as_keeps_every_byte(qtbot, tmp_path, name):
    editor = CampaignEditor()
    qtbot.addWidget(editor)
    assert editor.open_file(SAMPLES / name)
    out = tmp_path / name
    assert editor.save_as(out)
    assert out.read_bytes() == (SAMPLES / name).read_bytes()
    other = CampaignEditor()
    qtbot.addWidget(other)
    assert other.open_file(out)
    assert fileformat.dumps(other.diagram) == fileformat.dumps(editor.diagram)


def test_edit_save_reopen(window, qtbot, tmp_path):
    editor = window.editor
    editor.scene.select_nodes(["wait_b"])
    amount = editor.inspector.rows["timeout"].editor.amount
    amount.selectAll()
    qtbot.keyClicks(amount, "8")
    assert editor.save()
    text = editor.path.read_text(encoding="utf-8")
    assert '"timeout": "P8D"' in text
    assert text == fileformat.dumps(editor.diagram)
    again = CampaignEditor()
    qtbot.addWidget(again)
    assert again.open_file(editor.path)
    assert again.diagram.nodes["wait_b"].params["timeout"] == "P8D"
    assert again.path.read_bytes() == text.encode("utf-8")


def test_title_shows_unsaved_mark_until_saved(window, qtbot):
    editor = window.editor
    titles = []
    editor.titleChanged.connect(titles.append)
    assert editor.title() == "Win back inactive customers • win_back.campaign.json"
    assert not window.isWindowModified()
    editor.scene.select_nodes(["score"])
    qtbot.keyClicks(editor.inspector.label_edit, "Clicked")
    assert titles[-1] == "Win back inactive customers • win_back.campaign.json*"
    assert window.isWindowModified()
    assert window.windowTitle().endswith("[*] — Campaign Studio")
    assert "unsaved" in editor.title_label.text()
    editor.save()
    assert titles[-1] == "Win back inactive customers • win_back.campaign.json"
    assert not window.isWindowModified()
    assert "unsaved" not in editor.title_label.text()
    editor.undo_stack.undo()  # back before the save point: unsaved again
    assert titles[-1].endswith("*")
    editor.undo_stack.redo()
    assert not titles[-1].endswith("*")


def test_renaming_the_campaign_updates_the_title(window, qtbot):
    editor = window.editor
    editor.scene.select_nodes([])
    line = editor.inspector.rows["name"].editor.edit
    line.selectAll()
    qtbot.keyClicks(line, "Come back")
    assert editor.title() == "Come back • win_back.campaign.json*"
    assert window.windowTitle().startswith("Come back")


def test_broken_json_is_refused_with_file_and_line(window, qtbot, tmp_path):
    editor = window.editor
    before = fileformat.dumps(editor.diagram)
    broken = tmp_path / "broken.campaign.json"
    broken.write_text('{\n  "format": "campaign-studio/1",\n  "nodes": [\n    {"id": }\n]}\n')
    assert not editor.open_file(broken)
    box = editor.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert f"{broken}:4:" in box.text()
    assert "not valid JSON" in box.text()
    assert fileformat.dumps(editor.diagram) == before  # nothing lost
    assert editor.path.name == "win_back.campaign.json"
    box.done(0)


def test_file_with_bad_nodes_is_refused_naming_them(window, tmp_path):
    editor = window.editor
    bad = tmp_path / "bad.campaign.json"
    bad.write_text(
        '{"format": "campaign-studio/1", "name": "x", "nodes": '
        '[{"id": "a", "type": "wait.forever"}], "edges": []}'
    )
    assert not editor.open_file(bad)
    assert "unknown node type 'wait.forever'" in editor.message_box.text()
    assert str(bad) in editor.message_box.text()
    assert "wait_a" in editor.diagram.nodes


def test_missing_file_gives_a_message(window, tmp_path):
    assert not window.editor.open_file(tmp_path / "nope.campaign.json")
    assert "cannot read" in window.editor.message_box.text()


def test_set_diagram_starts_a_clean_history(window, qtbot):
    editor = window.editor
    editor.scene.select_nodes(["score"])
    qtbot.keyClicks(editor.inspector.label_edit, "X")
    assert editor.is_dirty
    editor.undo_stack.setClean()  # a dirty editor would ask first (a modal question)
    editor.new_campaign()
    assert editor.diagram.nodes == {}
    assert editor.path is None
    assert not editor.undo_stack.canUndo()
    assert editor.title() == "Untitled campaign • not saved"


def test_layout_has_palette_canvas_inspector_and_problems(window):
    editor = window.editor
    widths = editor.splitter.sizes()
    assert editor.splitter.widget(0) is editor.palette
    assert editor.splitter.widget(2) is editor.inspector
    assert editor.centre.widget(1) is editor.problems
    assert widths[1] > widths[0] and widths[1] > widths[2]
    assert editor.view.hasFocus() or editor.view.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_export_png_and_svg(window, tmp_path):
    from PySide6.QtGui import QImage

    png = window.editor.export_image(tmp_path / "diagram.png")
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 400
    svg = window.editor.export_image(tmp_path / "diagram.svg")
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "Win back inactive customers" in text


def test_export_to_a_missing_folder_gives_a_message(window, tmp_path):
    assert window.editor.export_image(tmp_path / "no" / "such" / "diagram.svg") is None
    assert "no folder" in window.editor.message_box.text()


def test_dark_panels_write_light_text_in_lists_and_fields(qtbot):
    """Style sheets do not pass the panel's text colour down: lists and fields get their own."""
    from PySide6.QtGui import QPalette

    from designer.theme import DARK

    editor = CampaignEditor(theme=DARK)
    qtbot.addWidget(editor)
    editor.resize(1200, 800)
    editor.show()
    qtbot.waitExposed(editor)
    text = QPalette.ColorRole.Text
    assert editor.palette.tree.palette().color(text).lightness() > 150
    name = editor.inspector.rows["name"].editor.focus_target()
    assert name.palette().color(text).lightness() > 150
    assert name.palette().color(QPalette.ColorRole.Base).lightness() < 80
