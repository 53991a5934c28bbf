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


def hover(viewport, pos) -> None:
    """A mouse move with no button held, as the window system sends it (QTest's mouseMove
    only moves the cursor on the offscreen platform)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent

    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(viewport.mapToGlobal(pos)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(viewport, event)


def test_the_plus_on_a_hovered_connection_inserts_the_chosen_node(qtbot, tmp_path):
    from PySide6.QtCore import QPoint

    editor = CampaignEditor()
    qtbot.addWidget(editor)
    editor.set_diagram(small_diagram())
    editor.resize(1024, 700)
    editor.show()
    qtbot.waitExposed(editor)
    edge = Edge("hello", "check", "out")
    item = editor.scene.edges[edge]
    assert item.plus_item is None or not item.plus_item.isVisible()  # not until hovered
    viewport = editor.view.viewport()
    middle = editor.view.mapFromScene(item.plus_centre())
    hover(viewport, middle + QPoint(0, 40))
    assert item.plus_item is None or not item.plus_item.isVisible()
    hover(viewport, middle)
    qtbot.waitUntil(lambda: item.plus_item is not None and item.plus_item.isVisible())
    editor.grab().save(str(tmp_path / "plus.png"))
    before = editor.undo_stack.count()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=middle)
    popup = editor.quick_add.popup
    assert popup.isVisible()
    assert edge in editor.diagram.edges  # nothing changed until a type is chosen
    qtbot.keyClicks(popup.search, "delay")
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert not popup.isVisible()
    (new,) = set(editor.diagram.nodes) - set(small_diagram().nodes)
    assert editor.diagram.nodes[new].type == "wait.delay"
    assert edge not in editor.diagram.edges
    assert {Edge("hello", new, "out"), Edge(new, "check", "out")} <= set(editor.diagram.edges)
    assert editor.undo_stack.count() == before + 1  # one undo step
    editor.undo_stack.undo()
    assert edge in editor.diagram.edges and new not in editor.diagram.nodes


def test_the_plus_shows_on_a_selected_connection_and_escape_changes_nothing(qtbot):
    editor = CampaignEditor()
    qtbot.addWidget(editor)
    editor.set_diagram(small_diagram())
    editor.resize(1024, 700)
    editor.show()
    qtbot.waitExposed(editor)
    edge = Edge("hello", "check", "out")
    item = editor.scene.edges[edge]
    viewport = editor.view.viewport()
    on_line = editor.view.mapFromScene(item.curve().pointAtPercent(0.25))
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=on_line)  # select the edge
    assert item.selected and item.plus_item.isVisible()
    hover(viewport, on_line + on_line)  # away: still shown while selected
    assert item.plus_item.isVisible()
    qtbot.mouseClick(
        viewport, Qt.MouseButton.LeftButton, pos=editor.view.mapFromScene(item.plus_centre())
    )
    popup = editor.quick_add.popup
    assert popup.isVisible()
    qtbot.keyClick(popup.search, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert set(editor.diagram.nodes) == set(small_diagram().nodes)
    assert edge in editor.diagram.edges
