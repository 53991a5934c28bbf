"""Dragging from an output port always draws a connection (issue 13: 3 of 7 tries drew a
selection box): every press within the port's generous hit circle starts the new edge."""

from __future__ import annotations

import math

import pytest
from canvas_helpers import drag, make_view
from PySide6.QtCore import QPointF

from designer.items.port_item import PORT_HIT_RADIUS
from engine.diagram import Diagram, Node


def two_nodes() -> Diagram:
    d = Diagram("Ports")
    d.nodes = {
        "start": Node("start", "trigger.segment_entry", {"segment": "new"}, (0, 0)),
        "score": Node("score", "action.score", {"points": 1}, (320, 0)),
    }
    return d


@pytest.mark.parametrize("angle", range(0, 360, 45))
def test_a_press_anywhere_on_the_port_circle_starts_a_connection(qtbot, angle):
    scene, view = make_view(qtbot, two_nodes())
    source = scene.nodes["start"]
    port = source.mapToScene(source.layout.output_pos("out"))
    offset = PORT_HIT_RADIUS - 2  # near the rim, where the misses were
    press = QPointF(
        port.x() + offset * math.cos(math.radians(angle)),
        port.y() + offset * math.sin(math.radians(angle)),
    )
    target = scene.nodes["score"].scene_card_rect().center()
    drag(view, press, target)
    assert [(e.source, e.target) for e in scene.diagram.edges] == [("start", "score")]
    assert not scene.selectedItems() or all(
        getattr(i, "node_id", None) != "score" for i in scene.selectedItems()
    )
