"""A node on the canvas: a rounded card with category strip, icon, title, summary and ports.

The item holds the node's id and a copy of what it shows; the scene updates it from the
model's events. Problems and statistics are plain data set by the scene, never saved.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPaintEngine, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem, QWidget

from designer import icons
from designer.items.look import Look, diff_colour
from designer.items.port_item import (
    INPUT,
    NODE_WIDTH,
    PORT_HIT_RADIUS,
    PORT_RADIUS,
    PortLayout,
    port_layout,
)
from engine.catalog import CATALOG
from engine.diagram import Node

MARGIN = 8.0  # room around the card for ports, shadow and the problem marker
BADGE_HEIGHT = 20.0
ICON_BOX = 28.0
LABEL_ROOM = 64.0
MAX_LABEL_ROOM = 170.0  # a longer port name is elided (the tooltip has it whole)
READABLE = 0.5  # zoom below which text, icons and shadows are left out
RADIUS = 8.0


def format_count(n: float) -> str:
    """1234 -> '1,234'; 12345 -> '12.3k'; keeps badges short."""
    n = float(n)
    if abs(n) >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if abs(n) >= 10_000:
        return f"{n / 1000:.1f}k"
    return f"{n:,.0f}"


_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
_NO_PEN = QPen(Qt.PenStyle.NoPen)


@lru_cache(maxsize=64)
def _strip_path(height: float) -> QPainterPath:
    """The 4-px category strip: the top of the rounded card, cut flat below."""
    card = QPainterPath()
    card.addRoundedRect(QRectF(0.5, 0.5, NODE_WIDTH - 1, height - 1), RADIUS, RADIUS)
    band = QPainterPath()
    band.addRect(QRectF(0, 0, NODE_WIDTH, 4.5))
    return card.intersected(band)


@lru_cache(maxsize=64)
def _card_shape(layout: PortLayout) -> QPainterPath:
    """The clickable outline: the card plus its output ports (shared by equal layouts)."""
    shape = QPainterPath()
    # Winding fill: where a port circle overlaps the card is inside (odd-even made the card's
    # edge under each port a hole, so a press there started a selection box).
    shape.setFillRule(Qt.FillRule.WindingFill)
    shape.addRoundedRect(layout.card_rect(), RADIUS, RADIUS)
    for port in layout.outputs:
        # As large as the port's hit circle: a press there is a port press, never a miss.
        shape.addEllipse(layout.output_pos(port), PORT_HIT_RADIUS, PORT_HIT_RADIUS)
    return shape.simplified()


class NodeItem(QGraphicsRectItem):
    """Draws one node; `node_id` links it to the model.

    A QGraphicsRectItem whose rect is the painted area: Qt answers boundingRect() in C++,
    which the scene's index asks for thousands of times on a large diagram.
    """

    def __init__(self, node: Node, look: Look) -> None:
        super().__init__()
        self.node_id = node.id
        self.look = look
        self.problems: list = []
        self.stats: dict[str, Any] | None = None
        self.forecast = False
        self.diff: str | None = None  # "added" | "removed" | "changed" (a version comparison)
        self.hover_port: str | None = None
        self.setFlag(_SELECTABLE)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(look.cache_mode)
        self.setZValue(10)
        self.setPen(_NO_PEN)
        self.update_from(node)
        self.setPos(node.position[0], node.position[1])

    # ---- model → item ----
    def update_from(self, node: Node) -> None:
        """Take the node's type, label and params (called on node_changed)."""
        spec = CATALOG.get(node.type)
        self.type_name = node.type
        self.category = spec.category if spec else "exit"
        self.icon = spec.icon if spec else ""
        self.title = node.label or (spec.title if spec else node.type or "Unknown type")
        self.summary = spec.describe(node.params) if spec else f"Unknown type {node.type!r}"
        if self.summary == self.title:
            self.summary = spec.description if spec else ""
        self.layout: PortLayout = port_layout(node.type, node.params)
        self.connected: set[str] = set()
        self._elided: tuple | None = None
        self._update_bounds()
        if self.problems:
            self.setToolTip(self.tooltip_text())

    def set_diff(self, mark: str | None) -> None:
        if mark != self.diff:
            self.diff = mark
            self.update()

    def set_connected_ports(self, ports: set[str]) -> None:
        if ports != self.connected:
            self.connected = ports
            self.update()

    def set_problems(self, problems: list) -> None:
        self.problems = list(problems)
        self.setToolTip(self.tooltip_text())
        self.update()

    def tooltip_text(self) -> str:
        """Title, summary and problems; set when the mouse arrives (cheap to load)."""
        lines = [f"<b>{escape(self.title)}</b>", escape(self.summary)]
        for p in self.problems:
            colour = "#dc2626" if p.severity == "error" else "#d97706"
            mark = "✖" if p.severity == "error" else "⚠"
            lines.append(f'<span style="color:{colour}">{mark} {escape(p.message)}</span>')
        if self.stats:
            lines.append("<i>Forecast</i>" if self.forecast else "<i>So far</i>")
            lines += stats_lines(self.stats)
        return "<br>".join(lines)

    def set_stats(self, stats: dict[str, Any] | None, forecast: bool = False) -> None:
        self.stats = stats
        self.forecast = forecast
        self._update_bounds()
        self.update()

    def _update_bounds(self) -> None:
        h = self.layout.height
        bottom = h + MARGIN + (BADGE_HEIGHT + 6 if self.stats is not None else 0)
        right = NODE_WIDTH + (self.label_room() if self.layout.named else PORT_HIT_RADIUS + 1)
        self.setRect(QRectF(-MARGIN, -MARGIN, right + MARGIN, bottom + MARGIN))
        self._card = self.layout.card_rect()

    def label_room(self) -> float:
        """Room right of the card for the port names: the longest name, within limits."""
        metrics = self.look.port_metrics
        widest = max((metrics.horizontalAdvance(p) for p in self.layout.outputs), default=0.0)
        return min(MAX_LABEL_ROOM, max(LABEL_ROOM, widest + 24))

    def port_label_text(self, port: str) -> str:
        """The port's name as painted: elided when it would not fit `label_room`."""
        metrics = self.look.port_metrics
        return metrics.elidedText(port, Qt.TextElideMode.ElideRight, self.label_room() - 24)

    # ---- geometry the scene and gestures use ----
    def card_rect(self) -> QRectF:
        return QRectF(self._card)

    def scene_card_rect(self) -> QRectF:
        return self._card.translated(self.pos())

    def port_scene_pos(self, port: str) -> QPointF:
        local = self.layout.input_pos() if port == INPUT else self.layout.output_pos(port)
        return self.pos() + local

    def port_at(self, scene_pos: QPointF) -> str | None:
        return self.layout.port_at(scene_pos - self.pos())

    def shape(self) -> QPainterPath:
        return _card_shape(self.layout)

    # ---- hover: highlight the port under the mouse, explain the node ----
    def hoverEnterEvent(self, event) -> None:
        self.setToolTip(self.tooltip_text())
        self.hoverMoveEvent(event)

    def hoverMoveEvent(self, event) -> None:
        port = self.layout.port_at(event.pos())
        if port != self.hover_port:
            self.hover_port = port
            self.update()

    def hoverLeaveEvent(self, event) -> None:
        if self.hover_port is not None:
            self.hover_port = None
            self.update()

    # ---- drawing ----
    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        theme = self.look.theme
        card = self._card
        selected = self.isSelected()
        colour = theme.category(self.category)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < 0.28:  # far away: a coloured block reads better than tiny text
            painter.setPen(QPen(theme.selection, 3 / lod) if selected else _NO_PEN)
            painter.setBrush(colour)
            painter.drawRect(card)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        readable = lod >= READABLE  # below this, text would be a grey smudge: skip it
        if readable:  # soft shadow: two translucent layers, far cheaper than a blur effect
            painter.setPen(_NO_PEN)
            painter.setBrush(theme.shadow)
            painter.drawRoundedRect(card.adjusted(-1, 1, 1, 3), RADIUS + 1, RADIUS + 1)
            painter.drawRoundedRect(card.adjusted(0, 0, 0, 1.5), RADIUS, RADIUS)
        # Card, tinted by the waiting share when statistics are shown.
        border = QPen(theme.selection, 2) if selected else QPen(theme.card_border, 1)
        painter.setPen(border)
        painter.setBrush(self._fill(theme))
        painter.drawRoundedRect(card, RADIUS, RADIUS)
        # Category strip along the top, following the card's rounded corners.
        painter.setPen(_NO_PEN)
        painter.setBrush(colour)
        painter.drawPath(_strip_path(self.layout.height))
        if readable:
            self._paint_icon(painter, colour, card, lod)
            self._paint_text(painter, theme, card)
        else:
            self._paint_icon_tile(painter, colour, card)
        if lod >= 0.4:
            self._paint_ports(painter, theme, lod)
        if self.problems:
            self._paint_problem_marker(painter, theme)
        if self.diff:
            self._paint_diff(painter, theme, card)
        if self.stats is not None and readable:
            self._paint_stats(painter, theme, card)

    def _fill(self, theme) -> QColor:
        if not self.stats:
            return theme.card
        entered = float(self.stats.get("entered") or 0)
        waiting = float(self.stats.get("waiting") or 0)
        share = min(1.0, waiting / entered) if entered else 0.0
        if share <= 0:
            return theme.card
        card, heat = theme.card, theme.heat
        k = 0.08 + 0.32 * share
        return QColor.fromRgbF(
            card.redF() * (1 - k) + heat.redF() * k,
            card.greenF() * (1 - k) + heat.greenF() * k,
            card.blueF() * (1 - k) + heat.blueF() * k,
        )

    def _paint_icon_tile(self, painter: QPainter, colour: QColor, card: QRectF) -> QRectF:
        box = QRectF(10, (card.height() - ICON_BOX) / 2 + 2, ICON_BOX, ICON_BOX)
        tint = QColor(colour)
        tint.setAlpha(34)
        painter.setPen(_NO_PEN)
        painter.setBrush(tint)
        painter.drawRoundedRect(box, 7, 7)
        return box

    def _paint_icon(self, painter: QPainter, colour: QColor, card: QRectF, lod: float) -> None:
        box = self._paint_icon_tile(painter, colour, card)
        size = 18
        target = QRectF(box.center().x() - size / 2, box.center().y() - size / 2, size, size)
        if painter.paintEngine().type() == QPaintEngine.Type.SVG:  # export: stay vector
            renderer = icons.icon_renderer(self.icon, colour)
            if renderer is not None:
                renderer.render(painter, target)
            return
        pixmap = icons.icon_pixmap(self.icon, colour, size, max(1.0, lod))
        if pixmap is not None:
            painter.drawPixmap(target, pixmap, QRectF(pixmap.rect()))

    def _paint_text(self, painter: QPainter, theme, card: QRectF) -> None:
        look = self.look
        left = 10 + ICON_BOX + 9
        width = NODE_WIDTH - left - 10
        if self._elided is None or self._elided[0] != width:
            title = look.title_metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, width)
            summary = look.summary_metrics.elidedText(
                self.summary, Qt.TextElideMode.ElideRight, width
            )
            self._elided = (width, title, summary)
        _, title, summary = self._elided
        middle = card.height() / 2 + 2
        painter.setFont(look.title_font)
        painter.setPen(theme.title)
        painter.drawText(QPointF(left, middle - 4), title)
        painter.setFont(look.summary_font)
        painter.setPen(theme.summary)
        painter.drawText(QPointF(left, middle + 13), summary)

    def _paint_ports(self, painter: QPainter, theme, lod: float) -> None:
        layout = self.layout
        painter.setBrush(theme.port)
        if layout.has_input:
            self._paint_port(painter, theme, layout.input_pos(), INPUT)
        for i, port in enumerate(layout.outputs):
            pos = QPointF(NODE_WIDTH, layout.output_y(i))
            self._paint_port(painter, theme, pos, port)
            if layout.named and lod >= READABLE:
                self._paint_port_label(painter, theme, pos, port)

    def _paint_port_label(self, painter: QPainter, theme, pos: QPointF, port: str) -> None:
        """The port's name just right of it, on a pill so edges passing under stay legible."""
        metrics = self.look.port_metrics
        port = self.port_label_text(port)
        width = metrics.horizontalAdvance(port) + 8
        pill = QRectF(NODE_WIDTH + 8, pos.y() - 15, width, 13)
        backdrop = QColor(theme.background)
        backdrop.setAlpha(225)
        painter.setPen(_NO_PEN)
        painter.setBrush(backdrop)
        painter.drawRoundedRect(pill, 6.5, 6.5)
        painter.setFont(self.look.port_font)
        painter.setPen(theme.port_label)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, port)

    def _paint_port(self, painter: QPainter, theme, pos: QPointF, port: str) -> None:
        hovered = port == self.hover_port
        radius = PORT_RADIUS + (1.5 if hovered else 0)
        border = theme.selection if hovered else theme.port_border
        painter.setPen(QPen(border, 1.5))
        filled = port in self.connected
        painter.setBrush(border if filled else theme.port)
        painter.drawEllipse(pos, radius, radius)

    def _paint_diff(self, painter: QPainter, theme, card: QRectF) -> None:
        """A version comparison's mark: a coloured outline (dashed when removed) and a tag
        naming the change on the card's top edge, so colour is never the only signal."""
        colour = diff_colour(self.diff or "", theme)
        if self.diff == "removed":  # faded: it is not in the newer version
            painter.setPen(_NO_PEN)
            veil = QColor(theme.card)
            veil.setAlpha(150)
            painter.setBrush(veil)
            painter.drawRoundedRect(card, RADIUS, RADIUS)
        pen = QPen(
            colour, 2.5, Qt.PenStyle.DashLine if self.diff == "removed" else Qt.PenStyle.SolidLine
        )
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(card.adjusted(-3, -3, 3, 3), RADIUS + 2, RADIUS + 2)
        text = {"added": "+ added", "removed": "− removed", "changed": "~ changed"}.get(
            self.diff or "", self.diff or ""
        )
        font = painter.font()
        font.setPointSizeF(7.5)
        font.setBold(True)
        painter.setFont(font)
        width = painter.fontMetrics().horizontalAdvance(text) + 10
        tag = QRectF(10, -8, width, 15)
        painter.setPen(_NO_PEN)
        painter.setBrush(colour)
        painter.drawRoundedRect(tag, 7, 7)
        painter.setPen(QColor("white"))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_problem_marker(self, painter: QPainter, theme) -> None:
        error = any(p.severity == "error" for p in self.problems)
        colour = theme.error if error else theme.warning
        centre = QPointF(NODE_WIDTH - 2, 2)
        painter.setPen(QPen(theme.card, 2))
        painter.setBrush(colour)
        painter.drawEllipse(centre, 8, 8)
        mark = QPen(theme.on_marker, 2)
        mark.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(mark)
        painter.drawLine(QPointF(centre.x(), centre.y() - 4), QPointF(centre.x(), centre.y() + 1))
        painter.drawPoint(QPointF(centre.x(), centre.y() + 4))

    def _paint_stats(self, painter: QPainter, theme, card: QRectF) -> None:
        text = stats_text(self.stats or {}, self.type_name)
        if self.forecast:
            text = "≈ " + text  # forecast figures: approximate, dashed, in the forecast colour
        look = self.look
        width = min(NODE_WIDTH, look.badge_metrics.horizontalAdvance(text) + 18)
        rect = QRectF(0.5, card.bottom() + 6, width, BADGE_HEIGHT)
        if self.forecast:
            fill = QColor(theme.forecast)
            fill.setAlpha(40)
            pen = QPen(theme.forecast, 1.2, Qt.PenStyle.DashLine)
            text_colour = theme.forecast
        else:
            fill, pen, text_colour = theme.badge, _NO_PEN, theme.badge_text
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, BADGE_HEIGHT / 2, BADGE_HEIGHT / 2)
        painter.setFont(look.badge_font)
        painter.setPen(text_colour)
        elided = look.badge_metrics.elidedText(text, Qt.TextElideMode.ElideRight, width - 14)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, elided)


def compact_count(n: float) -> str:
    """Short counts for tight spots: 950, 2.5k, 12k, 1.2M."""
    n = float(n)
    if abs(n) >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if abs(n) >= 10_000:
        return f"{n / 1000:.0f}k"
    if abs(n) >= 1000:
        return f"{n / 1000:.1f}k"
    return f"{n:.0f}"


def stats_text(stats: dict[str, Any], type_name: str) -> str:
    """The badge: '1,204 in · 32 waiting', or for a send '1,100 sent · 36% open'."""
    entered = stats.get("entered") or 0
    spec = CATALOG.get(type_name)
    if spec is not None and spec.is_send:
        sent = stats.get("sent") or 0
        parts = [f"{format_count(sent)} sent"]
        opened = stats.get("opened") or 0
        if opened and sent:
            parts.append(f"{100 * opened / sent:.0f}% open")
        elif stats.get("failed"):
            parts.append(f"{format_count(stats['failed'])} failed")
        return " · ".join(parts)
    parts = [f"{format_count(entered)} in"]
    waiting = stats.get("waiting") or 0
    if waiting:
        parts.append(f"{format_count(waiting)} waiting")
    return " · ".join(parts)


def stats_lines(stats: dict[str, Any]) -> list[str]:
    """Every figure of a node, for its tooltip: entered, then waiting and each way out
    (they add up to entered), then a send's message figures."""
    from engine.node_names import ways_out

    is_send = "sent" in stats
    entered = stats.get("entered") or 0
    lines = []
    for what, value in ways_out(stats, is_send=is_send):
        if value or what == "Entered":
            share = f" ({100 * value / entered:.0f}%)" if entered and what != "Entered" else ""
            lines.append(f"{what}: {format_count(value)}{share}")
    names = ("sent", "failed", "suppressed", "opened", "clicked", "unsubscribed", "bounced",
             "complained") if is_send else ()  # fmt: skip
    for name in names:
        value = stats.get(name)
        if value:
            what = "Messages failed" if name == "failed" else name.capitalize()
            share = f" ({100 * value / entered:.0f}%)" if entered else ""
            lines.append(f"{what}: {format_count(value)}{share}")
    return lines
