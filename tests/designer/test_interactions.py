"""Mouse gestures on the canvas, driven with real events on the view's viewport."""

from __future__ import annotations

from canvas_helpers import card_centre, click, drag, make_view, saved
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from designer.items.port_item import INPUT
from engine import fileformat
from engine.diagram import Annotation, Edge

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def test_drag_from_output_port_to_a_node_connects_them_with_one_undo_step(qtbot):
    scene, view = make_view(qtbot)
    before = saved(scene.diagram)
    port = scene.nodes["thanks"].port_scene_pos("out")
    drag(view, port, card_centre(scene, "done"))
    assert Edge("thanks", "done", "out") in scene.diagram.edges
    assert Edge("thanks", "done", "out") in scene.edges
    data = fileformat.to_data(scene.diagram)
    assert {"from": "thanks", "to": "done"} in data["edges"]
    assert scene.undo_stack.count() == 1
    scene.undo_stack.undo()
    assert saved(scene.diagram) == before
    assert Edge("thanks", "done", "out") not in scene.edges
    scene.undo_stack.redo()
    assert {"from": "thanks", "to": "done"} in fileformat.to_data(scene.diagram)["edges"]


def test_dropping_near_an_input_port_snaps_to_it(qtbot):
    scene, view = make_view(qtbot)
    port = scene.nodes["nudge"].port_scene_pos("out")
    near = scene.nodes["done"].port_scene_pos(INPUT) + QPointF(-20, 12)
    drag(view, port, near)
    assert Edge("nudge", "done", "out") in scene.diagram.edges


def test_dropping_on_empty_canvas_or_a_trigger_or_itself_connects_nothing(qtbot):
    scene, view = make_view(qtbot)
    before = saved(scene.diagram)
    port = scene.nodes["thanks"].port_scene_pos("out")
    drag(view, port, QPointF(700, 400))  # empty canvas
    drag(view, port, card_centre(scene, "start"))  # a trigger has no input
    drag(view, port, card_centre(scene, "thanks"))  # itself
    assert saved(scene.diagram) == before
    assert scene.undo_stack.count() == 0
    # the preview is gone too
    assert all(type(i).__name__ != "QGraphicsPathItem" for i in scene.items())


def test_dragging_from_a_connected_output_reroutes_its_edge(qtbot):
    scene, view = make_view(qtbot)
    port = scene.nodes["check"].port_scene_pos("yes")
    drag(view, port, card_centre(scene, "done"))
    assert Edge("check", "done", "yes") in scene.diagram.edges
    assert Edge("check", "thanks", "yes") not in scene.diagram.edges
    assert scene.undo_stack.count() == 1
    scene.undo_stack.undo()
    assert Edge("check", "thanks", "yes") in scene.diagram.edges
    assert Edge("check", "done", "yes") not in scene.diagram.edges
    assert scene.edges[Edge("check", "thanks", "yes")].isVisible()


def test_dragging_a_selected_edges_end_to_another_node_reroutes_it(qtbot):
    scene, view = make_view(qtbot)
    edge = Edge("check", "nudge", "no")
    item = scene.edges[edge]
    click(view, item.curve().pointAtPercent(0.5))
    assert scene.selected_edges() == [edge]
    end = item.p2 + QPointF(-8, 0)
    drag(view, end, card_centre(scene, "done"))
    assert Edge("check", "done", "no") in scene.diagram.edges
    assert edge not in scene.diagram.edges
    scene.undo_stack.undo()
    assert edge in scene.diagram.edges


def test_dropping_a_rerouted_edge_on_empty_canvas_keeps_it(qtbot):
    scene, view = make_view(qtbot)
    before = saved(scene.diagram)
    drag(view, scene.nodes["hello"].port_scene_pos("out"), QPointF(600, 500))
    assert saved(scene.diagram) == before
    assert scene.edges[Edge("hello", "check", "out")].isVisible()


def test_moving_a_node_snaps_to_the_grid_and_updates_its_edges(qtbot):
    scene, view = make_view(qtbot)
    start = card_centre(scene, "hello")
    drag(view, start, start + QPointF(47, 93))
    assert scene.diagram.nodes["hello"].position == (280, 100)
    assert scene.nodes["hello"].pos() == QPointF(280, 100)
    edge_item = scene.edges[Edge("start", "hello", "out")]
    assert edge_item.p2 == scene.nodes["hello"].port_scene_pos(INPUT)
    assert '"position": [\n        280,\n        100\n      ]' in saved(scene.diagram)
    assert scene.undo_stack.count() == 1
    scene.undo_stack.undo()
    assert scene.diagram.nodes["hello"].position == (240, 0)
    assert scene.nodes["hello"].pos() == QPointF(240, 0)
    assert edge_item.p2 == scene.nodes["hello"].port_scene_pos(INPUT)


def test_moving_several_selected_nodes_is_one_command(qtbot):
    scene, view = make_view(qtbot)
    click(view, card_centre(scene, "hello"))
    click(view, card_centre(scene, "check"), SHIFT)
    assert scene.selected_node_ids() == ["hello", "check"]
    start = card_centre(scene, "check")
    drag(view, start, start + QPointF(0, 200))
    assert scene.diagram.nodes["hello"].position == (240, 200)
    assert scene.diagram.nodes["check"].position == (480, 200)
    assert scene.undo_stack.count() == 1
    scene.undo_stack.undo()
    assert scene.diagram.nodes["check"].position == (480, 0)


def test_click_without_drag_on_a_selected_node_selects_only_it(qtbot):
    scene, view = make_view(qtbot)
    scene.select_nodes(["hello", "check"])
    click(view, card_centre(scene, "check"))
    assert scene.selected_node_ids() == ["check"]
    assert scene.undo_stack.count() == 0


def test_ctrl_click_toggles_and_click_on_empty_canvas_clears(qtbot):
    scene, view = make_view(qtbot)
    click(view, card_centre(scene, "hello"))
    click(view, card_centre(scene, "nudge"), CTRL)
    assert scene.selected_node_ids() == ["hello", "nudge"]
    click(view, card_centre(scene, "hello"), CTRL)
    assert scene.selected_node_ids() == ["nudge"]
    click(view, QPointF(600, 500))
    assert scene.selected_node_ids() == []


def test_rubber_band_selects_the_nodes_it_touches(qtbot):
    scene, view = make_view(qtbot)
    spy = []
    scene.selectedNodesChanged.connect(spy.append)
    drag(view, QPointF(-40, -40), QPointF(500, 80))
    assert scene.selected_node_ids() == ["start", "hello", "check"]
    assert spy[-1] == ["start", "hello", "check"]
    assert not any(type(i).__name__ == "QGraphicsRectItem" for i in scene.items())
    # shift keeps the earlier selection
    drag(view, QPointF(700, 100), QPointF(930, 200), SHIFT)
    assert scene.selected_node_ids() == ["start", "hello", "check", "nudge"]


def test_delete_key_removes_node_and_its_edges_and_undo_restores_the_file(qtbot):
    scene, view = make_view(qtbot)
    before = saved(scene.diagram)
    click(view, card_centre(scene, "check"))
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert "check" not in scene.diagram.nodes
    assert "check" not in scene.nodes
    assert not [e for e in scene.diagram.edges if "check" in (e.source, e.target)]
    assert len(scene.edges) == len(scene.diagram.edges) == 1
    scene.undo_stack.undo()
    assert saved(scene.diagram) == before
    assert len(scene.edges) == 4
    scene.undo_stack.redo()
    assert "check" not in fileformat.dumps(scene.diagram)


def test_clicking_an_edge_selects_it_and_delete_removes_only_it(qtbot):
    scene, view = make_view(qtbot)
    edge = Edge("hello", "check", "out")
    click(view, scene.edges[edge].curve().pointAtPercent(0.5))
    assert scene.selected_edges() == [edge]
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert edge not in scene.diagram.edges
    assert set(scene.diagram.nodes) == {"start", "hello", "check", "thanks", "nudge", "done"}
    scene.undo_stack.undo()
    assert edge in scene.diagram.edges


def test_a_group_frame_carries_the_nodes_on_it(qtbot):
    diagram = make_view.__globals__["small_diagram"]()
    diagram.annotations["g"] = Annotation("g", "group", "Reminders", (680, 80, 260, 140))
    diagram.annotations["n"] = Annotation("n", "note", "Outside", (0, 200, 160, 80))
    scene, view = make_view(qtbot, diagram)
    title = QPointF(700, 95)  # the frame's title bar
    drag(view, title, title + QPointF(0, 100))
    assert diagram.annotations["g"].rect == (680, 180, 260, 140)
    assert diagram.nodes["nudge"].position == (720, 220)
    assert diagram.nodes["thanks"].position == (720, -120)  # not on the frame
    assert diagram.annotations["n"].rect == (0, 200, 160, 80)
    assert scene.undo_stack.count() == 1
    scene.undo_stack.undo()
    assert diagram.nodes["nudge"].position == (720, 120)
    assert scene.annotations["g"].pos() == QPointF(680, 80)


def test_resizing_a_note_by_its_corner(qtbot):
    diagram = make_view.__globals__["small_diagram"]()
    diagram.annotations["n"] = Annotation("n", "note", "Remember", (0, 200, 160, 80))
    scene, view = make_view(qtbot, diagram)
    drag(view, QPointF(155, 275), QPointF(235, 315))
    assert diagram.annotations["n"].rect == (0, 200, 240, 120)
    scene.undo_stack.undo()
    assert diagram.annotations["n"].rect == (0, 200, 160, 80)


def test_escape_cancels_a_drag_in_progress(qtbot):
    scene, view = make_view(qtbot)
    viewport = view.viewport()
    start = view.mapFromScene(card_centre(scene, "hello"))
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(
        viewport, start + view.mapFromScene(QPointF(100, 100)) - view.mapFromScene(QPointF(0, 0))
    )
    assert scene.nodes["hello"].pos() != QPointF(240, 0)
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert scene.nodes["hello"].pos() == QPointF(240, 0)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    assert scene.undo_stack.count() == 0


def test_the_preview_shows_where_an_edge_may_and_may_not_go(qtbot):
    scene, view = make_view(qtbot)
    viewport = view.viewport()
    start = view.mapFromScene(scene.nodes["thanks"].port_scene_pos("out"))
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)

    def preview():
        (item,) = [i for i in scene.items() if type(i).__name__ == "QGraphicsPathItem"]
        return item

    QTest.mouseMove(viewport, view.mapFromScene(card_centre(scene, "start")))
    assert preview().pen().color() == scene.theme.error  # a trigger takes no input
    QTest.mouseMove(viewport, view.mapFromScene(card_centre(scene, "done")))
    assert preview().pen().color() == scene.theme.selection
    assert preview().path().currentPosition() == scene.nodes["done"].port_scene_pos(INPUT)
    assert scene.nodes["done"].hover_port == INPUT
    QTest.mouseMove(viewport, view.mapFromScene(QPointF(600, 500)))
    assert scene.nodes["done"].hover_port is None
    QTest.mouseRelease(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.mapFromScene(QPointF(600, 500)),
    )
    assert scene.undo_stack.count() == 0
