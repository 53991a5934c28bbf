"""The view: wheel and key zoom, pan by middle-drag and space-drag, F to fit, the minimap."""

from __future__ import annotations

import pytest
from canvas_helpers import drag, make_view
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from designer.view import MAX_ZOOM, MIN_ZOOM
from engine.diagram import Diagram, Edge, Node


def _wheel(view, steps: int, at: QPoint) -> None:
    global_at = view.viewport().mapToGlobal(at)
    event = QWheelEvent(QPointF(at), QPointF(global_at), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(view.viewport(), event)


def test_wheel_zooms_around_the_cursor(qtbot):
    _scene, view = make_view(qtbot)
    at = view.mapFromScene(QPointF(480, 30))
    before = view.mapToScene(at)
    _wheel(view, 2, at)
    assert view.zoom() > 1.3
    after = view.mapToScene(at)
    assert abs(after.x() - before.x()) < 2 and abs(after.y() - before.y()) < 2
    _wheel(view, -50, at)
    assert view.zoom() == pytest.approx(MIN_ZOOM)
    _wheel(view, 50, at)
    assert view.zoom() == pytest.approx(MAX_ZOOM)


def test_plus_minus_and_f_keys(qtbot):
    scene, view = make_view(qtbot)
    zooms = []
    view.zoomChanged.connect(zooms.append)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom() > 1.1
    QTest.keyClick(view, Qt.Key.Key_Minus)
    QTest.keyClick(view, Qt.Key.Key_Minus)
    assert view.zoom() < 1.0
    view.set_zoom(3.0)
    QTest.keyClick(view, Qt.Key.Key_F)
    visible = view.visible_scene_rect()
    assert visible.contains(scene.content_rect())
    assert view.zoom() <= 1.0
    assert len(zooms) == 5


def test_zoom_to_fit_a_wide_diagram_zooms_out(qtbot):
    diagram = Diagram("Wide")
    for i in range(30):
        diagram.nodes[f"n{i}"] = Node(f"n{i}", "action.tag", {}, (i * 240, (i % 3) * 100))
    diagram.nodes["n0"].type = "trigger.event"
    diagram.edges = [Edge(f"n{i}", f"n{i + 1}", "out") for i in range(29)]
    scene, view = make_view(qtbot, diagram)
    view.zoom_to_fit()
    assert view.zoom() < 0.25
    assert view.visible_scene_rect().contains(scene.content_rect())
    assert not view.minimap.isVisible()  # everything fits: no overview needed


def test_opening_a_wide_diagram_keeps_the_cards_readable_from_the_trigger(qtbot):
    from designer.editor import CampaignEditor
    from designer.items.node_item import READABLE

    diagram = Diagram("Wide")
    for i in range(12):
        diagram.nodes[f"n{i}"] = Node(f"n{i}", "action.tag", {}, (i * 240, 0))
    diagram.nodes["n0"].type = "trigger.event"
    diagram.edges = [Edge(f"n{i}", f"n{i + 1}", "out") for i in range(11)]
    editor = CampaignEditor()
    qtbot.addWidget(editor)
    editor.resize(1100, 700)  # a canvas of ~500 px between palette and inspector
    editor.show()
    qtbot.waitExposed(editor)
    editor.set_diagram(diagram)
    qtbot.waitUntil(lambda: not editor._fit_pending)
    view = editor.view
    assert view.zoom() == pytest.approx(READABLE)  # an exact fit would blank the cards
    assert view.visible_scene_rect().contains(editor.scene.nodes["n0"].scene_card_rect())
    assert view.minimap.isVisible()  # the rest is a glance away
    editor.fit()  # asking for a fit still shows everything
    assert view.zoom() < READABLE
    assert view.visible_scene_rect().contains(editor.scene.content_rect())


def test_middle_drag_and_space_drag_pan_without_editing(qtbot):
    scene, view = make_view(qtbot)
    start = view.visible_scene_rect().center()
    centre = scene.nodes["hello"].scene_card_rect().center()
    drag(view, centre, centre + QPointF(-200, 0), button=Qt.MouseButton.MiddleButton)
    moved = view.visible_scene_rect().center()
    assert abs(moved.x() - (start.x() + 200)) < 3
    assert scene.diagram.nodes["hello"].position == (240, 0)  # the node stayed
    view.setFocus()
    QTest.keyPress(view, Qt.Key.Key_Space)
    drag(view, centre, centre + QPointF(0, -100))
    QTest.keyRelease(view, Qt.Key.Key_Space)
    assert abs(view.visible_scene_rect().center().y() - (moved.y() + 100)) < 3
    assert scene.diagram.nodes["hello"].position == (240, 0)
    assert scene.undo_stack.count() == 0


def test_minimap_appears_for_diagrams_larger_than_the_viewport_and_moves_the_view(qtbot):
    scene, view = make_view(qtbot)
    view.set_zoom(3.0)
    QApplication.processEvents()
    assert view.minimap.isVisible()
    minimap = view.minimap
    assert minimap.geometry().right() <= view.viewport().width()
    target = scene.nodes["done"].scene_card_rect().center()
    # the minimap maps its pixels to scene points; a click there centres the view
    local = None
    for x in range(minimap.width()):
        for y in range(minimap.height()):
            p = minimap.scene_point(QPointF(x, y))
            if abs(p.x() - target.x()) < 20 and abs(p.y() - target.y()) < 20:
                local = QPoint(x, y)
                break
        if local:
            break
    assert local is not None
    QTest.mouseClick(minimap, Qt.MouseButton.LeftButton, pos=local)
    centre = view.visible_scene_rect().center()
    assert abs(centre.x() - target.x()) < 30 and abs(centre.y() - target.y()) < 30
    view.zoom_to_fit()
    QApplication.processEvents()
    assert not minimap.isVisible()
    grab = minimap.grab()  # paints without error when shown again
    assert not grab.isNull()


def test_forecast_figures_are_labelled_on_the_view(qtbot):
    scene, view = make_view(qtbot)
    scene.set_statistics({"start": {"entered": 10}}, {}, forecast=True)
    assert view.forecast_banner.isVisible()
    assert "Forecast" in view.forecast_banner.text()
    scene.set_statistics({"start": {"entered": 10}}, {}, forecast=False)
    assert not view.forecast_banner.isVisible()
    scene.set_statistics({"start": {"entered": 10}}, {}, forecast=True)
    scene.clear_statistics()
    assert not view.forecast_banner.isVisible()


def test_the_forecast_label_takes_the_new_theme_colours(qtbot):
    from designer.theme import DARK, LIGHT

    scene, view = make_view(qtbot)
    scene.set_theme(LIGHT)
    scene.set_statistics({"start": {"entered": 10}}, {}, forecast=True)
    assert LIGHT.card.name() in view.forecast_banner.styleSheet()
    scene.set_theme(DARK)
    assert DARK.card.name() in view.forecast_banner.styleSheet()
    assert LIGHT.card.name() not in view.forecast_banner.styleSheet()
    assert view.forecast_banner.isVisible()


def test_a_theme_change_repaints_the_cached_canvas_background(qtbot):
    from designer.theme import DARK, LIGHT

    scene, view = make_view(qtbot)
    scene.set_theme(LIGHT)
    empty = QPoint(12, view.viewport().height() - 12)  # bare canvas, away from the minimap
    qtbot.wait(20)
    assert view.grab().toImage().pixelColor(empty).lightness() > 200
    scene.set_theme(DARK)
    qtbot.wait(20)
    colour = view.grab().toImage().pixelColor(empty)
    assert colour.lightness() < 80, colour.name()
