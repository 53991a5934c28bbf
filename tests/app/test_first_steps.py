"""The stumbles of a marketer's first campaign (issue 13), each with real clicks and keys:
templates reaching an open campaign, saving a new template, leaving unsaved work, imports."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from shell_helpers import (
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
    workspace,
)

from app.main_window import MainWindow
from designer.fields import NameField
from engine.clock import VirtualClock
from engine.diagram import Diagram, Edge, Node

LEFT = Qt.MouseButton.LeftButton


def make_window(qtbot, tmp_path):
    ws = workspace(tmp_path, clock=VirtualClock())
    window = MainWindow(ws, start_engine=False)
    qtbot.addWidget(window)
    window.show()
    return ws, window


def welcome_campaign(window) -> int:
    d = Diagram("First", {"entry": "once"})
    d.nodes["start"] = Node("start", "trigger.event", {"event": "signup"})
    d.nodes["hello"] = Node("hello", "action.send_email", {"template": "Welcome"})
    d.edges.append(Edge("start", "hello", "out"))
    from engine.campaigns import save_campaign

    return save_campaign(window.workspace.engine, d, note="test")


def new_template(qtbot, window, name: str) -> None:
    screen = window.show_screen("templates")
    screen.new_template("email")
    screen.editor.name.setFocus()
    qtbot.keyClicks(screen.editor.name, name)
    qtbot.mouseClick(screen.save_button, LEFT)


def template_problems(page) -> list[str]:
    page.editor.problems.refresh()
    return [p.message for p in page.editor.problems.problems if "emplate" in p.message]


def test_a_template_made_later_reaches_the_open_campaign_at_once(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    page = window.open_campaign(welcome_campaign(window))
    assert template_problems(page), "the missing template is not reported"
    new_template(qtbot, window, "Welcome")
    assert template_problems(page) == []
    page.editor.inspector.show_node("hello")
    fields = [f for f in page.editor.inspector.findChildren(NameField)]
    choices = [f.combo.itemText(i) for f in fields for i in range(f.combo.count())]
    assert "Welcome" in choices


def open_questions(window) -> list[str]:
    """Questions on screen (the screens ask window-modal, without blocking)."""
    return [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_saving_a_new_template_asks_nothing(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    for name in ("One", "Two", "Three"):
        new_template(qtbot, window, name)
        screen = window.screens["templates"]
        QApplication.processEvents()
        assert open_questions(window) == []
        assert screen.status.text() == f"Saved “{name}”"
        assert not screen.dirty
    assert window.screens["templates"].list.count() == 3
    assert window.screens["templates"].header.subtitle.text().startswith("3 templates")
