"""Mouse gestures on the canvas, each a small state object (as in Orange's interactions).

`start(scene, event)` picks the gesture for a left-button press; the scene forwards the
moves and the release. A gesture changes the model only on release, with one command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem, QGraphicsSceneMouseEvent

from designer import commands
from designer.items.annotation_item import AnnotationItem
from designer.items.edge_item import EdgeItem, bezier
from designer.items.node_item import NodeItem
from designer.items.port_item import INPUT
from engine.diagram import Edge

if TYPE_CHECKING:
    from designer.scene import CampaignScene

SNAP_DISTANCE = 36.0  # how close to an input port the preview snaps
DRAG_START = 3.0


class Gesture:
    """Base: press happened in __init__; move/release/cancel follow."""

    def __init__(self, scene: CampaignScene, pos: QPointF) -> None:
        self.scene = scene
        self.press = QPointF(pos)

    def move(self, pos: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        pass

    def release(self, pos: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        pass

    def cancel(self) -> None:
        pass


def start(scene: CampaignScene, event: QGraphicsSceneMouseEvent) -> Gesture | None:
    """The gesture a left press at the event's position begins."""
    pos, mods = event.scenePos(), event.modifiers()
    additive = bool(
        mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
    )
    toggle = bool(mods & Qt.KeyboardModifier.ControlModifier)
    plus = scene.plus_at(pos)
    if plus is not None:  # the "+" on a hovered or selected edge: insert a node there
        scene.edgePlusClicked.emit(plus.edge, plus.plus_centre())
        return Gesture(scene, pos)
    item = scene.item_at(pos)
    diagram = scene.diagram
    if isinstance(item, NodeItem):
        port = item.port_at(pos)
        if port is not None and port != INPUT:
            existing = diagram.edge_from(item.node_id, port)
            if existing is not None:
                return RerouteEdge(scene, pos, existing)
            return NewEdge(scene, pos, item.node_id, port)
        if port == INPUT:
            incoming = diagram.in_edges(item.node_id)
            if incoming:
                return RerouteEdge(scene, pos, incoming[-1])
    if isinstance(item, EdgeItem):
        if item.selected and item.near_target(pos):
            return RerouteEdge(scene, pos, item.edge)
        if toggle:
            scene.select_edge(item.edge, not item.selected)
        else:
            scene.select_edge(item.edge, True, exclusive=not additive)
        return Gesture(scene, pos)
    if isinstance(item, (NodeItem, AnnotationItem)):
        was_selected = item.isSelected()
        _click_select(scene, item, additive, toggle)
        if isinstance(item, AnnotationItem) and item.on_resize_handle(pos):
            return ResizeAnnotation(scene, pos, item)
        if not item.isSelected():  # ctrl-click just unselected it
            return Gesture(scene, pos)
        return MoveSelection(scene, pos, item if was_selected and not additive else None)
    if not additive:
        scene.clear_selection()
    return RubberBand(scene, pos, additive)


def _click_select(scene: CampaignScene, item, additive: bool, toggle: bool) -> None:
    if toggle:
        item.setSelected(not item.isSelected())
    elif additive:
        item.setSelected(True)
    elif not item.isSelected():
        scene.clear_selection()
        item.setSelected(True)


class MoveSelection(Gesture):
    """Drag the selection, snapping to the grid; a group frame carries the nodes on it."""

    def __init__(self, scene: CampaignScene, pos: QPointF, clicked=None) -> None:
        super().__init__(scene, pos)
        self.clicked = clicked  # an already-selected item: a click without drag selects it alone
        self.moved = False
        diagram = scene.diagram
        node_ids = set(scene.selected_node_ids())
        annotation_ids = set(scene.selected_annotation_ids())
        for annotation_id in list(annotation_ids):
            item = scene.annotations[annotation_id]
            if item.is_group:
                frame = item.scene_rect()
                node_ids |= {
                    n for n, it in scene.nodes.items() if frame.contains(it.scene_card_rect())
                }
                annotation_ids |= {
                    a
                    for a, it in scene.annotations.items()
                    if a != annotation_id and frame.contains(it.scene_rect())
                }
        self.nodes = {n: diagram.nodes[n].position for n in node_ids}
        self.notes = {a: diagram.annotations[a].rect for a in annotation_ids}

    def _delta(self, pos: QPointF) -> tuple[float, float]:
        grid = self.scene.grid
        dx, dy = pos.x() - self.press.x(), pos.y() - self.press.y()
        return round(dx / grid) * grid, round(dy / grid) * grid

    def move(self, pos: QPointF, modifiers) -> None:
        if not self.moved and (pos - self.press).manhattanLength() < DRAG_START:
            return
        self.moved = True
        dx, dy = self._delta(pos)
        scene = self.scene
        for node_id, (x, y) in self.nodes.items():
            item = scene.nodes.get(node_id)
            if item is not None:
                item.setPos(_snap(x + dx, scene.grid), _snap(y + dy, scene.grid))
                scene.update_edges_of(node_id)
        for annotation_id, (x, y, _w, _h) in self.notes.items():
            item = scene.annotations.get(annotation_id)
            if item is not None:
                item.setPos(x + dx, y + dy)
        scene.changed_geometry()

    def release(self, pos: QPointF, modifiers) -> None:
        scene = self.scene
        if not self.moved:
            if self.clicked is not None:
                scene.clear_selection()
                self.clicked.setSelected(True)
            return
        dx, dy = self._delta(pos)
        moves = {}
        for node_id, (x, y) in self.nodes.items():
            new = (_snap(x + dx, scene.grid), _snap(y + dy, scene.grid))
            if new != (x, y):
                moves[node_id] = ((x, y), new)
        notes = {
            a: (r, (r[0] + dx, r[1] + dy, r[2], r[3])) for a, r in self.notes.items() if dx or dy
        }
        if moves or notes:
            count = len(moves)
            text = f"Move {count} nodes" if count > 1 else "Move"
            scene.push(commands.MoveNodes(scene.diagram, moves, notes, text))
        else:
            self.cancel()

    def cancel(self) -> None:
        scene = self.scene
        for node_id, (x, y) in self.nodes.items():
            if node_id in scene.nodes:
                scene.nodes[node_id].setPos(x, y)
                scene.update_edges_of(node_id)
        for annotation_id, (x, y, _w, _h) in self.notes.items():
            if annotation_id in scene.annotations:
                scene.annotations[annotation_id].setPos(x, y)


def _snap(value: float, grid: int) -> float:
    return round(value / grid) * grid


class RubberBand(Gesture):
    """Drag on empty canvas: select what the rectangle touches (Shift/Ctrl adds)."""

    def __init__(self, scene: CampaignScene, pos: QPointF, additive: bool) -> None:
        super().__init__(scene, pos)
        self.keep = list(scene.selectedItems()) if additive else []
        self.band: QGraphicsRectItem | None = None

    def move(self, pos: QPointF, modifiers) -> None:
        scene = self.scene
        if self.band is None:
            if (pos - self.press).manhattanLength() < DRAG_START:
                return
            colour = QColor(scene.theme.rubber_band)
            self.band = QGraphicsRectItem()
            self.band.setPen(QPen(colour, 0))
            colour.setAlpha(36)
            self.band.setBrush(colour)
            self.band.setZValue(1000)
            scene.addItem(self.band)
        rect = QRectF(self.press, pos).normalized()
        self.band.setRect(rect)
        path = QPainterPath()
        path.addRect(rect)
        scene.blockSignals(True)
        scene.setSelectionArea(
            path,
            Qt.ItemSelectionOperation.ReplaceSelection,
            Qt.ItemSelectionMode.IntersectsItemShape,
        )
        for item in self.keep:
            item.setSelected(True)
        if self.band.isSelected():
            self.band.setSelected(False)
        scene.blockSignals(False)

    def release(self, pos: QPointF, modifiers) -> None:
        self.cancel()
        self.scene._on_selection_changed()

    def cancel(self) -> None:
        if self.band is not None:
            self.scene.removeItem(self.band)
            self.band = None


class NewEdge(Gesture):
    """Drag from an output port: a live bezier follows; only legal targets snap."""

    def __init__(self, scene: CampaignScene, pos: QPointF, source: str, port: str) -> None:
        super().__init__(scene, pos)
        self.source, self.port = source, port
        self.start = scene.nodes[source].port_scene_pos(port)
        self.target: str | None = None
        self.preview = QGraphicsPathItem()
        self.preview.setZValue(999)
        scene.addItem(self.preview)
        self._draw(pos, "free")

    def _legal(self, target: str) -> bool:
        return self.scene.can_connect(self.source, self.port, target)

    def _draw(self, end: QPointF, state: str) -> None:
        """state: 'snapped' (legal target), 'refused' (over a node it cannot go to), 'free'."""
        theme = self.scene.theme
        colour = {"snapped": theme.selection, "refused": theme.error}.get(state, theme.edge_hover)
        pen = QPen(colour, 2)
        if state != "snapped":
            pen.setStyle(Qt.PenStyle.DashLine)
        self.preview.setPen(pen)
        self.preview.setPath(bezier(self.start, end))

    def find_target(self, pos: QPointF) -> str | None:
        """The node under the cursor, or whose input port is near it, if the edge is legal."""
        scene = self.scene
        item = scene.item_at(pos, (NodeItem,))
        if isinstance(item, NodeItem) and self._legal(item.node_id):
            return item.node_id
        r = SNAP_DISTANCE
        near = scene.items(QRectF(pos.x() - r, pos.y() - r, 2 * r, 2 * r))
        best, best_d = None, r * r
        for node_item in near:  # only cards around the cursor, not the whole diagram
            if not isinstance(node_item, NodeItem) or not node_item.layout.has_input:
                continue
            d = node_item.port_scene_pos(INPUT) - pos
            dist = d.x() * d.x() + d.y() * d.y()
            if dist < best_d and self._legal(node_item.node_id):
                best, best_d = node_item.node_id, dist
        return best

    def move(self, pos: QPointF, modifiers) -> None:
        target = self.find_target(pos)
        self._mark(target)
        if target is not None:
            self._draw(self.scene.nodes[target].port_scene_pos(INPUT), "snapped")
        else:
            over = self.scene.item_at(pos, (NodeItem,))
            refused = isinstance(over, NodeItem) and over.node_id != self.source
            self._draw(pos, "refused" if refused else "free")

    def _mark(self, target: str | None) -> None:
        """Light up the input port the edge would land on."""
        if target == self.target:
            return
        for node_id, port in ((self.target, None), (target, INPUT)):
            item = self.scene.nodes.get(node_id) if node_id is not None else None
            if item is not None:
                item.hover_port = port
                item.update()
        self.target = target

    def release(self, pos: QPointF, modifiers) -> None:
        target = self.find_target(pos)
        self.cancel()
        if target is not None:
            self.commit(target)

    def commit(self, target: str) -> None:
        self.scene.push(commands.Connect(self.scene.diagram, Edge(self.source, target, self.port)))

    def cancel(self) -> None:
        self._mark(None)
        if self.preview.scene() is not None:
            self.scene.removeItem(self.preview)


class RerouteEdge(NewEdge):
    """Drag an edge's end to another node: one Reconnect command; empty canvas cancels."""

    def __init__(self, scene: CampaignScene, pos: QPointF, edge: Edge) -> None:
        self.edge = edge
        self.hidden = scene.edges.get(edge)
        if self.hidden is not None:
            self.hidden.setVisible(False)
        super().__init__(scene, pos, edge.source, edge.port)

    def _legal(self, target: str) -> bool:
        return self.scene.can_connect(self.source, self.port, target, replacing=self.edge)

    def commit(self, target: str) -> None:
        if target != self.edge.target:
            new = Edge(self.source, target, self.port)
            self.scene.push(commands.Reconnect(self.scene.diagram, self.edge, new))

    def cancel(self) -> None:
        super().cancel()
        if self.hidden is not None and self.hidden.scene() is not None:
            self.hidden.setVisible(True)


class ResizeAnnotation(Gesture):
    """Drag a note's or frame's corner grip; one UpdateAnnotation on release."""

    def __init__(self, scene: CampaignScene, pos: QPointF, item: AnnotationItem) -> None:
        super().__init__(scene, pos)
        self.item = item
        self.old = tuple(scene.diagram.annotations[item.annotation_id].rect)

    def _rect(self, pos: QPointF) -> tuple[float, float, float, float]:
        x, y, w, h = self.old
        grid = self.scene.grid
        w = max(80.0, _snap(w + pos.x() - self.press.x(), grid))
        h = max(60.0, _snap(h + pos.y() - self.press.y(), grid))
        return (x, y, w, h)

    def move(self, pos: QPointF, modifiers) -> None:
        _x, _y, w, h = self._rect(pos)
        self.item.prepareGeometryChange()
        self.item._rect = QRectF(0, 0, w, h)
        self.item.update()

    def release(self, pos: QPointF, modifiers) -> None:
        rect = self._rect(pos)
        if rect != self.old:
            self.scene.push(
                commands.UpdateAnnotation(self.scene.diagram, self.item.annotation_id, rect=rect)
            )
        else:
            self.cancel()

    def cancel(self) -> None:
        _x, _y, w, h = self.old
        self.item.prepareGeometryChange()
        self.item._rect = QRectF(0, 0, w, h)
        self.item.update()
