"""An edge on the canvas: a bezier from an output port to a node's input, with an arrow.

The scene recomputes the path only when one of its two ends moves (`set_ends`).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyle, QStyleOptionGraphicsItem, QWidget

from designer.items.look import Look
from engine.diagram import Edge

ARROW = 7.0


def bezier(p1: QPointF, p2: QPointF) -> QPainterPath:
    """The left-to-right S-curve used for edges and the new-edge preview."""
    dx = abs(p2.x() - p1.x())
    pull = max(40.0, dx * 0.5)
    if p2.x() < p1.x() + 20:  # going backwards: loop out wider so the curve stays readable
        pull = max(80.0, min(200.0, dx * 0.6 + abs(p2.y() - p1.y()) * 0.3))
    path = QPainterPath(p1)
    path.cubicTo(QPointF(p1.x() + pull, p1.y()), QPointF(p2.x() - pull, p2.y()), p2)
    return path


class EdgeItem(QGraphicsItem):
    """Draws one edge; `edge` (source, target, port) links it to the model."""

    def __init__(self, edge: Edge, look: Look, p1: QPointF, p2: QPointF) -> None:
        super().__init__()
        self.edge = edge
        self.look = look
        self.label = ""
        self.hovered = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(5)
        self._shape: QPainterPath | None = None
        self.set_ends(p1, p2)

    def set_ends(self, p1: QPointF, p2: QPointF) -> None:
        self.prepareGeometryChange()
        self.p1, self.p2 = QPointF(p1), QPointF(p2)
        self._path = bezier(p1, p2)
        self._shape = None
        self._bounds = self._path.controlPointRect().adjusted(-ARROW, -ARROW, ARROW, ARROW)
        self._place_label()

    def set_label(self, text: str) -> None:
        self.prepareGeometryChange()
        self.label = text
        self._place_label()
        self.update()

    def _place_label(self) -> None:
        if not self.label:
            self._label_rect = None
            return
        width = self.look.badge_metrics.horizontalAdvance(self.label) + 12
        centre = self._path.pointAtPercent(0.5)
        self._label_rect = QRectF(centre.x() - width / 2, centre.y() - 9, width, 18)
        self._bounds = self._bounds.united(self._label_rect)

    def path(self) -> QPainterPath:
        return self._path

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:  # only needed for hit tests, so computed on demand
            stroker = QPainterPathStroker()
            stroker.setWidth(12)
            self._shape = stroker.createStroke(self._path)
        return self._shape

    def near_target(self, scene_pos: QPointF, distance: float = 16.0) -> bool:
        d = scene_pos - self.p2
        return d.x() * d.x() + d.y() * d.y() <= distance * distance

    def hoverEnterEvent(self, event) -> None:
        self.hovered = True
        self.update()

    def hoverLeaveEvent(self, event) -> None:
        self.hovered = False
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        theme = self.look.theme
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colour = theme.selection if selected else theme.edge_hover if self.hovered else theme.edge
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < 0.28:
            painter.setPen(QPen(colour, 1.5 / lod))
            painter.drawPath(self._path)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colour, 2.5 if selected else 1.6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        tip = QPointF(self.p2.x() - 5.5, self.p2.y())  # stop at the port's rim
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(
            QPolygonF(
                [
                    tip,
                    QPointF(tip.x() - ARROW, tip.y() - ARROW / 2),
                    QPointF(tip.x() - ARROW, tip.y() + ARROW / 2),
                ]
            )
        )
        if self._label_rect is not None and lod >= 0.45:
            painter.setBrush(theme.card)
            painter.setPen(QPen(theme.card_border, 1))
            painter.drawRoundedRect(self._label_rect, 9, 9)
            painter.setFont(self.look.badge_font)
            painter.setPen(theme.summary)
            painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self.label)
