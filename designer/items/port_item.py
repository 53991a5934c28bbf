"""Port geometry and drawing, shared by node items, hit tests and the new-edge gesture.

Ports are drawn by their node (not separate QGraphicsItems): a thousand-node diagram
then costs one item per node, and port hits are a cheap distance test in node coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF

from engine.catalog import CATALOG, NodeType

NODE_WIDTH = 180.0
NODE_MIN_HEIGHT = 64.0
PORT_SPACING = 20.0
PORT_RADIUS = 5.0
PORT_HIT_RADIUS = 14.0  # an output: generous, so a drag from it never starts a selection box
INPUT_HIT_RADIUS = 11.0  # the input sits on the card, where a press mostly means "move"
INPUT = "in"  # the name used for a node's (single) input port


@dataclass(frozen=True)
class PortLayout:
    """Where a node's ports are, in node coordinates (origin = the card's top-left)."""

    height: float
    has_input: bool
    outputs: tuple[str, ...]
    named: bool  # show port names (several outputs, or a single non-"out" one)

    def input_pos(self) -> QPointF:
        return QPointF(0.0, self.height / 2)

    def output_pos(self, port: str) -> QPointF:
        try:
            i = self.outputs.index(port)
        except ValueError:
            return QPointF(NODE_WIDTH, self.height / 2)
        return QPointF(NODE_WIDTH, self.output_y(i))

    def output_y(self, i: int) -> float:
        n = len(self.outputs)
        return self.height / 2 + (i - (n - 1) / 2) * PORT_SPACING

    def port_at(self, pos: QPointF, radius: float = PORT_HIT_RADIUS) -> str | None:
        """The port under `pos` (node coordinates): an output's name, INPUT, or None."""
        r2 = radius * radius
        for i, port in enumerate(self.outputs):
            dx, dy = pos.x() - NODE_WIDTH, pos.y() - self.output_y(i)
            if dx * dx + dy * dy <= r2:
                return port
        if self.has_input:
            dx, dy = pos.x(), pos.y() - self.height / 2
            if dx * dx + dy * dy <= min(r2, INPUT_HIT_RADIUS * INPUT_HIT_RADIUS):
                return INPUT
        return None

    def card_rect(self) -> QRectF:
        return QRectF(0.0, 0.0, NODE_WIDTH, self.height)


def port_layout(type_name: str, params: dict) -> PortLayout:
    """The ports of a node of `type_name` with `params` (a split's come from its branches)."""
    spec: NodeType | None = CATALOG.get(type_name)
    if spec is None:
        return PortLayout(NODE_MIN_HEIGHT, True, ("out",), False)
    return _layout(spec.type, tuple(spec.port_names(params)))


@lru_cache(maxsize=256)
def _layout(type_name: str, outputs: tuple[str, ...]) -> PortLayout:
    spec = CATALOG[type_name]
    height = max(NODE_MIN_HEIGHT, PORT_SPACING * len(outputs) + 24.0)
    named = len(outputs) > 1 or (len(outputs) == 1 and outputs[0] != "out")
    return PortLayout(height, not spec.is_trigger, outputs, named)
