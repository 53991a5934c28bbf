"""The canvas view: zoom (wheel, +/-), pan (middle-drag, space-drag), fit (F), minimap, keys.

Keys that work without a mouse: arrows walk along edges, Page Down/Up (Home/End) visit every
node in reading order, Ctrl+arrows nudge, Enter opens the node (nodeActivated), Delete
deletes, Ctrl+A selects all, F fits, +/- zoom, Esc cancels.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QLabel, QWidget

from designer import accessibility
from designer.accessibility import announce_focus
from designer.heat_legend import HeatLegend
from designer.items.node_item import READABLE
from designer.scene import CampaignScene

MIN_ZOOM = 0.1
MAX_ZOOM = 3.0
KEY_ZOOM_STEP = 1.2
FIT_MARGIN = 40.0
FOCUS_RING = 3.0  # px, the canvas' focus ring

ARROWS = {
    Qt.Key.Key_Left: "left",
    Qt.Key.Key_Right: "right",
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
}
# Every node in reading order, goals and unconnected nodes included (arrows follow edges).
ORDER_KEYS = {
    Qt.Key.Key_PageDown: "next",
    Qt.Key.Key_PageUp: "previous",
    Qt.Key.Key_Home: "first",
    Qt.Key.Key_End: "last",
}


class CampaignView(QGraphicsView):
    """Shows a CampaignScene; emits zoomChanged(scale) after every zoom."""

    zoomChanged = Signal(float)

    def __init__(self, scene: CampaignScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Pan with middle-drag, space-drag or the minimap; scroll bars only take room.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        accessibility.install()
        self.setAccessibleName(accessibility.translate("Canvas", "Campaign diagram"))
        self._pan_from: QPoint | None = None
        self._space = False
        self.minimap = Minimap(self)
        self.forecast_banner = QLabel("Forecast — simulated figures, not real sends", self)
        self.forecast_banner.hide()
        self.heat_legend = HeatLegend(scene.theme, self)  # shown with the figures
        scene.statisticsChanged.connect(self._statistics_changed)
        self._statistics_changed(*scene.statistics_shown)
        scene.set_detail_caching(self.zoom() >= READABLE)
        scene.changed.connect(self._scene_changed)
        self.horizontalScrollBar().valueChanged.connect(self._view_moved)
        self.verticalScrollBar().valueChanged.connect(self._view_moved)

    def campaign_scene(self) -> CampaignScene:
        return self.scene()

    # ---- zoom ----
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, scale: float, anchor: QPointF | None = None) -> None:
        """Zoom to `scale` (clamped), keeping the scene point under `anchor` (view coords)."""
        scale = max(MIN_ZOOM, min(MAX_ZOOM, scale))
        factor = scale / self.zoom()
        if abs(factor - 1) < 1e-6:
            return
        if anchor is not None:
            before = self.mapToScene(anchor.toPoint())
            old_anchor = self.transformationAnchor()
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
            self.scale(factor, factor)
            after = self.mapToScene(anchor.toPoint())
            delta = after - before
            self.translate(delta.x(), delta.y())
            self.setTransformationAnchor(old_anchor)
        else:
            old_anchor = self.transformationAnchor()
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            self.scale(factor, factor)
            self.setTransformationAnchor(old_anchor)
        self._zoomed()

    def _zoomed(self) -> None:
        scene = self.campaign_scene()
        if scene is not None:
            scene.set_detail_caching(self.zoom() >= READABLE)
        self.zoomChanged.emit(self.zoom())
        self._view_moved()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * KEY_ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / KEY_ZOOM_STEP)

    def zoom_reset(self) -> None:
        self.set_zoom(1.0)

    def zoom_to_fit(self, max_zoom: float = 1.0) -> None:
        """Show the whole diagram (never magnified beyond `max_zoom`)."""
        content = self.campaign_scene().content_rect()
        if content.isNull():
            return
        content = content.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        view = self.viewport().rect()
        scale = min(view.width() / content.width(), view.height() / content.height())
        scale = max(MIN_ZOOM, min(max_zoom, scale))
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(content.center())
        self._zoomed()

    def zoom_to_fit_readable(self, least: float = READABLE) -> None:
        """Fit the diagram, but never so small that the cards lose their text: a diagram
        too wide for the canvas is shown from its start (the triggers, on the left)."""
        self.zoom_to_fit()
        if self.zoom() >= least:
            return
        content = self.campaign_scene().content_rect()
        content = content.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        self.resetTransform()
        self.scale(least, least)
        seen = self.viewport().width() / least
        self.centerOn(QPointF(content.left() + seen / 2, content.center().y()))
        self._zoomed()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if not delta:
            super().wheelEvent(event)
            return
        self.set_zoom(self.zoom() * (1.0015**delta), event.position())
        event.accept()

    # ---- pan: middle-drag, or space held + left-drag ----
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            self._space and event.button() == Qt.MouseButton.LeftButton
        ):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            here = event.position().toPoint()
            delta = here - self._pan_from
            self._pan_from = here
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self.viewport().setCursor(
                Qt.CursorShape.OpenHandCursor if self._space else Qt.CursorShape.ArrowCursor
            )
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # ---- keyboard ----
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        scene = self.campaign_scene()
        if scene.focusItem() is not None:  # typing into a note: keys are text, not commands
            return False
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_Space and not ctrl:
            if not event.isAutoRepeat():
                self._space = True
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return True
        if key in ARROWS:
            if ctrl:
                dx = {"left": -1, "right": 1}.get(ARROWS[key], 0) * scene.grid
                dy = {"up": -1, "down": 1}.get(ARROWS[key], 0) * scene.grid
                scene.move_selection(dx, dy)
            else:
                self._walk(ARROWS[key])
            return True
        if key in ORDER_KEYS and not ctrl:
            self._walk(ORDER_KEYS[key])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            selected = scene.selected_node_ids()
            if len(selected) == 1:
                scene.nodeActivated.emit(selected[0])
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            scene.delete_selection()
            return True
        if key == Qt.Key.Key_A and ctrl:
            scene.select_all()
            return True
        if key == Qt.Key.Key_Escape:
            if not scene.cancel_gesture():
                scene.clear_selection()
            return True
        if ctrl:
            if key == Qt.Key.Key_0:
                self.zoom_reset()
                return True
            return False
        if key == Qt.Key.Key_F:
            self.zoom_to_fit()
            return True
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
            return True
        if key == Qt.Key.Key_Minus:
            self.zoom_out()
            return True
        return False

    def _walk(self, direction: str) -> None:
        node_id = self.campaign_scene().walk(direction)
        if node_id is not None:
            announce_focus(self, node_id)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            if self._pan_from is None:
                self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event) -> None:
        self._space = False
        super().focusOutEvent(event)
        self.viewport().update()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if self.hasFocus():  # the ring is fixed to the viewport: a scroll must not drag it
            self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        """A focus ring inside the canvas' edge while it has the keyboard (≥ 3:1, contrast.py)."""
        super().drawForeground(painter, rect)
        if not self.hasFocus():
            return
        painter.save()
        painter.resetTransform()
        pen = QPen(self.campaign_scene().theme.selection, FOCUS_RING)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = FOCUS_RING / 2
        painter.drawRect(QRectF(self.viewport().rect()).adjusted(half, half, -half, -half))
        painter.restore()

    # ---- overlays: minimap, forecast banner ----
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.minimap.place()
        self._place_banner()
        self._view_moved()

    def _statistics_changed(self, shown: bool, forecast: bool) -> None:
        theme = self.campaign_scene().theme
        colour = theme.forecast
        self.forecast_banner.setStyleSheet(
            f"QLabel {{ color: {colour.name()}; background: {theme.card.name()};"
            f" border: 1px dashed {colour.name()}; border-radius: 11px; padding: 3px 12px;"
            " font-weight: 600; }"
        )
        self.forecast_banner.adjustSize()
        self.forecast_banner.setVisible(shown and forecast)
        self.heat_legend.theme = theme
        self.heat_legend.setVisible(shown and self._room_for_legend())
        self._place_banner()

    def _place_banner(self) -> None:
        banner = self.forecast_banner
        banner.move((self.viewport().width() - banner.width()) // 2, 12)
        legend = self.heat_legend
        legend.move(12, self.viewport().height() - legend.height() - 12)
        if self.campaign_scene().statistics_shown[0]:
            legend.setVisible(self._room_for_legend())

    def _room_for_legend(self) -> bool:
        """Only where it leaves the diagram room (not on a tiny canvas)."""
        size = self.viewport().size()
        return size.width() >= self.heat_legend.width() + 120 and size.height() >= 240

    def _scene_changed(self, _regions) -> None:
        self.minimap.refresh()

    def _view_moved(self, *_args) -> None:
        self.minimap.refresh()

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()


class Minimap(QWidget):
    """A small overview in the view's corner, shown when the diagram outgrows the viewport.

    Drawn from the node items' rectangles (not by re-rendering the scene), so it stays
    cheap for large diagrams; clicking or dragging in it moves the view.
    """

    SIZE = (200, 130)

    def __init__(self, view: CampaignView) -> None:
        super().__init__(view)
        self.view = view
        self.resize(*self.SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()

    def place(self) -> None:
        viewport = self.view.viewport().geometry()
        self.move(viewport.right() - self.width() - 12, viewport.bottom() - self.height() - 12)

    def refresh(self) -> None:
        scene = self.view.campaign_scene()
        if scene is None:
            return
        content = scene.content_rect()
        visible = self.view.visible_scene_rect()
        wanted = not content.isNull() and not visible.contains(content)
        room = self.view.viewport().size()  # on a small canvas it would hide the diagram
        wanted = wanted and room.width() >= 3 * self.width() and room.height() >= 3 * self.height()
        if wanted != self.isVisible():
            self.setVisible(wanted)
            self.place()
        if wanted:
            self.update()

    def _mapping(self) -> tuple[QRectF, float, QPointF]:
        content = self.view.campaign_scene().content_rect().adjusted(-40, -40, 40, 40)
        inner = QRectF(self.rect()).adjusted(6, 6, -6, -6)
        scale = min(inner.width() / content.width(), inner.height() / content.height())
        offset = QPointF(
            inner.x() + (inner.width() - content.width() * scale) / 2 - content.x() * scale,
            inner.y() + (inner.height() - content.height() * scale) / 2 - content.y() * scale,
        )
        return content, scale, offset

    def paintEvent(self, event) -> None:
        scene = self.view.campaign_scene()
        if scene is None:
            return
        theme = scene.theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.card_border, 1))
        painter.setBrush(theme.minimap_background)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        _content, scale, offset = self._mapping()
        painter.setPen(Qt.PenStyle.NoPen)
        for item in scene.annotations.values():
            r = item.scene_rect()
            colour = QColor(theme.group if item.is_group else theme.note)
            painter.setBrush(colour)
            painter.drawRect(self._map(r, scale, offset))
        for item in scene.nodes.values():
            painter.setBrush(theme.category(item.category))
            painter.drawRect(self._map(item.scene_card_rect(), scale, offset))
        frame = self._map(self.view.visible_scene_rect(), scale, offset)
        fill = QColor(theme.selection)
        fill.setAlpha(28)
        painter.setBrush(fill)
        painter.setPen(QPen(theme.selection, 1.2))
        painter.drawRect(frame.intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1)))
        painter.end()

    @staticmethod
    def _map(rect: QRectF, scale: float, offset: QPointF) -> QRectF:
        return QRectF(
            rect.x() * scale + offset.x(),
            rect.y() * scale + offset.y(),
            max(1.5, rect.width() * scale),
            max(1.5, rect.height() * scale),
        )

    def scene_point(self, pos: QPointF) -> QPointF:
        _content, scale, offset = self._mapping()
        return QPointF((pos.x() - offset.x()) / scale, (pos.y() - offset.y()) / scale)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.view.centerOn(self.scene_point(event.position()))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.view.centerOn(self.scene_point(event.position()))
        event.accept()
