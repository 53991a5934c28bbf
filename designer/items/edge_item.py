"""An edge on the canvas: a bezier from an output port to a node's input, ending in a chevron.

Edges are plain QGraphicsPathItems painted by Qt itself (no Python paint call per edge,
which is what a 1,200-edge repaint would otherwise spend its time on). Their selection
is kept by the scene and shown by the pen, so Qt's dashed selection box never appears.
The scene recomputes the path only when one of the two ends moves (`set_ends`).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from designer.items.look import Look, diff_colour
from engine.diagram import Edge

ARROW = 6.0
PORT_RIM = 5.5  # the chevron's tip stops at the input port's rim
PLUS_RADIUS = 9.0  # the "+" on a hovered or selected edge
PLUS_HIT = 12.0  # clicks this close to its centre count


def _pull(p1: QPointF, p2: QPointF) -> float:
    dx = abs(p2.x() - p1.x())
    if p2.x() < p1.x() + 20:  # going backwards: loop out wider so the curve stays readable
        return max(80.0, min(200.0, dx * 0.6 + abs(p2.y() - p1.y()) * 0.3))
    return max(40.0, dx * 0.5)


def bezier(p1: QPointF, p2: QPointF) -> QPainterPath:
    """The left-to-right S-curve used for edges and the new-edge preview."""
    pull = _pull(p1, p2)
    path = QPainterPath(p1)
    path.cubicTo(QPointF(p1.x() + pull, p1.y()), QPointF(p2.x() - pull, p2.y()), p2)
    return path


def distance_to_bezier(p1: QPointF, p2: QPointF, point: QPointF, samples: int = 32) -> float:
    """How far `point` is from the edge curve between p1 and p2 (sampled polyline)."""
    pull = _pull(p1, p2)
    x0, y0, x3, y3 = p1.x(), p1.y(), p2.x(), p2.y()
    x1, x2 = x0 + pull, x3 - pull
    px, py = point.x(), point.y()
    best = float("inf")
    prev = (x0, y0)
    for i in range(1, samples + 1):
        t = i / samples
        u = 1 - t
        a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        cur = (a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y0 + c * y3 + d * y3)
        best = min(best, _segment_distance(px, py, prev, cur))
        prev = cur
    return best


def _segment_distance(px: float, py: float, a: tuple, b: tuple) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    ex, ey = ax + t * dx - px, ay + t * dy - py
    return (ex * ex + ey * ey) ** 0.5


def edge_path(p1: QPointF, p2: QPointF) -> QPainterPath:
    """The bezier plus an open chevron at the target, one path stroked in one call."""
    path = bezier(p1, p2)
    tip_x, tip_y = p2.x() - PORT_RIM, p2.y()
    path.moveTo(tip_x - ARROW, tip_y - ARROW * 0.75)
    path.lineTo(tip_x, tip_y)
    path.lineTo(tip_x - ARROW, tip_y + ARROW * 0.75)
    return path


class EdgeItem(QGraphicsPathItem):
    """Shows one edge; `edge` (source, target, port) links it to the model."""

    def __init__(self, edge: Edge, look: Look, p1: QPointF, p2: QPointF) -> None:
        super().__init__()
        self.edge = edge
        self.look = look
        self.selected = False
        self.hovered = False
        self.problem = False  # a validation problem names this edge
        self.diff: str | None = None  # "added" | "removed" (a version comparison)
        self.label_item: EdgeLabel | None = None
        self.plus_item: EdgePlus | None = None  # "+": insert a node here (hover or selection)
        self.setZValue(5)
        self.refresh_pen()
        self.set_ends(p1, p2)

    def set_ends(self, p1: QPointF, p2: QPointF) -> None:
        self.p1, self.p2 = QPointF(p1), QPointF(p2)
        self._curve = bezier(p1, p2)
        self.setPath(edge_path(p1, p2))
        if self.label_item is not None:
            self._place_label()
        if self.plus_item is not None:
            self.plus_item.setPos(self.plus_centre())

    def curve(self) -> QPainterPath:
        return self._curve

    def refresh_pen(self) -> None:
        theme = self.look.theme
        colour = (
            theme.selection
            if self.selected
            else theme.error
            if self.problem
            else theme.edge_hover
            if self.hovered
            else theme.edge
        )
        pen = QPen(colour, 2.4 if self.selected else 1.6)
        if self.diff and not self.selected:
            pen = QPen(diff_colour(self.diff, theme), 2.6)
            if self.diff == "removed":
                pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self.setPen(pen)
        self.setZValue(6 if self.selected else 5)

    def set_diff(self, mark: str | None) -> None:
        if mark != self.diff:
            self.diff = mark
            self.refresh_pen()

    def set_problem(self, problem: bool) -> None:
        if problem != self.problem:
            self.problem = problem
            self.refresh_pen()

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.refresh_pen()
            self._show_plus()

    def plus_centre(self) -> QPointF:
        """The middle of the curve; a third of the way when the figures' pill sits there."""
        return self._curve.pointAtPercent(0.3 if self.label_item is not None else 0.5)

    def _show_plus(self) -> None:
        shown = (self.hovered or self.selected) and self.diff != "removed"
        if shown and self.plus_item is None:
            self.plus_item = EdgePlus(self.look, self)
        if shown:
            self.plus_item.setPos(self.plus_centre())
        if self.plus_item is not None:
            self.plus_item.setVisible(shown)

    def on_plus(self, scene_pos: QPointF) -> bool:
        """Whether `scene_pos` is on the shown "+" (a click there inserts a node)."""
        if self.plus_item is None or not self.plus_item.isVisible():
            return False
        d = scene_pos - self.plus_centre()
        return d.x() * d.x() + d.y() * d.y() <= PLUS_HIT * PLUS_HIT

    def set_label(self, text: str, short: str | None = None) -> None:
        """Show `text` at the middle of the edge (`short` where the edge is too short)."""
        if not text:
            if self.label_item is not None:
                self.label_item.setParentItem(None)
                if self.label_item.scene() is not None:
                    self.label_item.scene().removeItem(self.label_item)
                self.label_item = None
            return
        if self.label_item is None:
            self.label_item = EdgeLabel(self.look, self)
        self._label_texts = (text, short or text)
        self._place_label()

    def _place_label(self) -> None:
        text, short = self._label_texts
        # The middle of a short, flat edge sits between two cards: only the count fits there.
        dx, dy = abs(self.p2.x() - self.p1.x()), abs(self.p2.y() - self.p1.y())
        fits = dy > 60 or self.look.badge_metrics.horizontalAdvance(text) + 30 <= dx
        self.label_item.set_text(text if fits else short)
        self.label_item.place(self._curve.pointAtPercent(0.5))

    @property
    def label(self) -> str:
        return self._label_texts[0] if self.label_item is not None else ""

    def shape(self) -> QPainterPath:
        # Qt asks for shapes when it collects items to paint; stroking 1,200 curves there
        # would double a repaint. Clicks use `hit` (a distance test) instead.
        return self._curve

    def hit(self, scene_pos: QPointF, tolerance: float = 6.0) -> bool:
        """Whether a click at `scene_pos` lands on this edge."""
        if not self.boundingRect().adjusted(-tolerance, -tolerance, tolerance,
                                            tolerance).contains(scene_pos):  # fmt: skip
            return False
        return distance_to_bezier(self.p1, self.p2, scene_pos) <= tolerance

    def near_target(self, scene_pos: QPointF, distance: float = 16.0) -> bool:
        d = scene_pos - self.p2
        return d.x() * d.x() + d.y() * d.y() <= distance * distance

    def set_hovered(self, hovered: bool) -> None:
        if hovered != self.hovered:
            self.hovered = hovered
            self.refresh_pen()
            self._show_plus()


class EdgePlus(QGraphicsItem):
    """The small "+" at an edge's middle: clicking it offers node types to put in between."""

    def __init__(self, look: Look, parent: EdgeItem) -> None:
        super().__init__(parent)
        self.look = look
        self.setZValue(2)

    def boundingRect(self) -> QRectF:
        return QRectF(-PLUS_RADIUS - 2, -PLUS_RADIUS - 2, 2 * PLUS_RADIUS + 4, 2 * PLUS_RADIUS + 4)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:  # fmt: skip
        theme = self.look.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(theme.card)
        painter.setPen(QPen(theme.selection, 1.6))
        painter.drawEllipse(QPointF(0, 0), PLUS_RADIUS, PLUS_RADIUS)
        arm = PLUS_RADIUS * 0.5
        pen = QPen(theme.selection, 2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(-arm, 0), QPointF(arm, 0))
        painter.drawLine(QPointF(0, -arm), QPointF(0, arm))


class EdgeLabel(QGraphicsItem):
    """A small pill at an edge's middle with its count and share (statistics only)."""

    def __init__(self, look: Look, parent: EdgeItem) -> None:
        super().__init__(parent)
        self.look = look
        self.text = ""
        self._rect = QRectF()
        self.setZValue(1)

    def set_text(self, text: str) -> None:
        self.prepareGeometryChange()
        self.text = text
        width = self.look.badge_metrics.horizontalAdvance(text) + 12
        self._rect = QRectF(-width / 2, -9, width, 18)
        self.update()

    def place(self, centre: QPointF) -> None:
        self.setPos(centre)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:  # fmt: skip
        if painter.worldTransform().m11() < 0.45:
            return
        theme = self.look.theme
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(theme.card)
        painter.setPen(QPen(theme.card_border, 1))
        painter.drawRoundedRect(self._rect, 9, 9)
        painter.setFont(self.look.badge_font)
        painter.setPen(theme.summary)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.text)
