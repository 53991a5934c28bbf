"""Dropping a palette entry on a connection puts the node in between (issue 13), in one
undo step; a trigger dropped there is just added beside it."""

from __future__ import annotations

from canvas_helpers import small_diagram
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from designer.editor import CampaignEditor
from designer.palette import node_type_mime
from engine.diagram import Edge


def dropped(qtbot, type_name: str):
    editor = CampaignEditor()
    qtbot.addWidget(editor)
    editor.set_diagram(small_diagram())
    editor.resize(1300, 800)
    editor.show()
    qtbot.waitExposed(editor)
    edge = Edge("hello", "check", "out")
    middle = editor.scene.edges[edge].path().pointAtPercent(0.5)
    at = editor.view.mapFromScene(editor.scene.edges[edge].mapToScene(middle))
    mime = node_type_mime(type_name)
    viewport = editor.view.viewport()
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(viewport, QDragEnterEvent(at, *args))
    QApplication.sendEvent(viewport, QDragMoveEvent(at, *args))
    QApplication.sendEvent(viewport, QDropEvent(QPointF(at), *args))
    return editor, edge


def test_a_node_dropped_on_a_connection_goes_in_between(qtbot):
    editor, edge = dropped(qtbot, "wait.delay")
    (new,) = set(editor.diagram.nodes) - set(small_diagram().nodes)
    edges = set(editor.diagram.edges)
    assert edge not in edges
    assert {Edge("hello", new, "out"), Edge(new, "check", "out")} <= edges
    editor.undo_stack.undo()  # one step back: the connection as it was
    assert edge in editor.diagram.edges and new not in editor.diagram.nodes


def test_a_trigger_dropped_on_a_connection_leaves_it_alone(qtbot):
    editor, edge = dropped(qtbot, "trigger.event")
    assert edge in editor.diagram.edges
    assert len(editor.diagram.nodes) == len(small_diagram().nodes) + 1
