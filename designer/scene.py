"""The campaign scene: mirrors an engine Diagram as node, edge and annotation items.

The Diagram is the only truth. The scene subscribes to its events and keeps id → item
tables; user gestures (designer.interactions) and editing helpers push undo commands
(designer.commands), whose model changes come back here as events.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QPainter, QPixmap, QTransform, QUndoStack
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneMouseEvent

from designer import interactions
from designer.editing import GRID, SceneEditing
from designer.items.annotation_item import AnnotationItem
from designer.items.edge_item import EdgeItem
from designer.items.look import Look
from designer.items.node_item import NodeItem, compact_count
from designer.items.port_item import INPUT
from designer.theme import LIGHT, Theme
from engine.diagram import Annotation, Diagram, Edge, Node

NO_INDEX_ABOVE = 4000  # items; beyond this the BSP index costs more than it saves
SCENE_MARGIN = 1500.0


def _grid_tile(theme: Theme, grid: int) -> QPixmap:
    """A 5×5-cell tile of grid dots, with a stronger dot at every fifth line."""
    scale = 2  # drawn at 2× so the dots stay round when zoomed in a little
    size = grid * 5
    tile = QPixmap(size * scale, size * scale)
    tile.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tile)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(scale, scale)
    painter.setPen(Qt.PenStyle.NoPen)
    for i in range(6):  # 0..5 inclusive: the dots on the tile's far edges wrap around
        for j in range(6):
            major = i % 5 == 0 and j % 5 == 0
            painter.setBrush(theme.grid_major if major else theme.grid_minor)
            r = 1.3 if major else 0.9
            painter.drawEllipse(QPointF(i * grid, j * grid), r, r)
    painter.end()
    tile.setDevicePixelRatio(scale)
    return tile


class CampaignScene(SceneEditing, QGraphicsScene):
    """The canvas' model mirror. Signals: nodeActivated(id), selectedNodesChanged(ids)."""

    nodeActivated = Signal(str)
    selectedNodesChanged = Signal(list)
    canvasDoubleClicked = Signal(QPointF)  # empty canvas: the editor offers "add node here"
    annotationActivated = Signal(str)
    statisticsChanged = Signal(bool, bool)  # (shown, forecast): the view labels forecasts
    edgePlusClicked = Signal(object, QPointF)  # (edge, scene point): insert a node there

    def __init__(
        self,
        diagram: Diagram,
        undo_stack: QUndoStack | None = None,
        theme: Theme = LIGHT,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.look = Look(theme)
        self.grid = GRID
        self.show_grid = True
        self.diagram: Diagram | None = None
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[Edge, EdgeItem] = {}
        self.annotations: dict[str, AnnotationItem] = {}
        self._edges_of: dict[str, set[Edge]] = {}
        self._problems: dict[str, list] = {}
        self._selected_edges: set[Edge] = set()  # edges aren't QGraphicsItem-selectable
        self._hovered_edge: EdgeItem | None = None
        self._gesture: interactions.Gesture | None = None
        self._content: QRectF | None = None
        self.paste_count = 0
        self._editor = None
        self.node_figures: dict[str, dict] = {}
        self.statistics_shown = (False, False)
        self._grid_brush: tuple[Theme, QBrush] | None = (
            None  # repeated pastes step further from the original
        )
        self.walk_context: tuple[str, str] | None = None  # (parent id, port) of the last walk
        self.selectionChanged.connect(self._on_selection_changed)
        self.set_diagram(diagram)

    # ---- the model ----
    def set_diagram(self, diagram: Diagram) -> None:
        """Show another diagram: unsubscribe from the old one and rebuild in one batch."""
        if getattr(self, "_gesture", None) is not None:
            self.cancel_gesture()
        self.detach()
        self.diagram = diagram
        for name, handler in self._handlers():
            getattr(diagram, name).sub(handler)
        self._rebuild()

    def detach(self) -> None:
        """Stop listening to the diagram (call before dropping the scene)."""
        if self.diagram is not None:
            for name, handler in self._handlers():
                getattr(self.diagram, name).unsub(handler)

    def _handlers(self):
        return (
            ("node_added", self._on_node_added),
            ("node_removed", self._on_node_removed),
            ("node_changed", self._on_node_changed),
            ("node_moved", self._on_node_moved),
            ("edge_added", self._on_edge_added),
            ("edge_removed", self._on_edge_removed),
            ("annotation_added", self._on_annotation_added),
            ("annotation_removed", self._on_annotation_removed),
            ("annotation_changed", self._on_annotation_changed),
        )

    def _rebuild(self) -> None:
        if getattr(self, "_editor", None) is not None:
            self._editor.finished = True  # the diagram is being replaced: drop the edit
        self.blockSignals(True)
        self.clear()
        self.nodes, self.edges, self.annotations, self._edges_of = {}, {}, {}, {}
        self._problems = {}
        if getattr(self, "statistics_shown", (False,))[0]:
            self.statistics_shown = (False, False)
            self.statisticsChanged.emit(False, False)
        self._selected_edges = set()
        self._hovered_edge = None
        self._editor = None
        self._content = None
        self.walk_context = None
        diagram = self.diagram
        count = len(diagram.nodes) + len(diagram.edges) + len(diagram.annotations)
        self.setItemIndexMethod(
            QGraphicsScene.ItemIndexMethod.NoIndex
            if count > NO_INDEX_ABOVE
            else QGraphicsScene.ItemIndexMethod.BspTreeIndex
        )
        # Batch: build every item first, then add them; no per-item signals or scene-rect math.
        look = self.look
        for annotation in diagram.annotations.values():
            self.annotations[annotation.id] = AnnotationItem(annotation, look)
        for node in diagram.nodes.values():
            self.nodes[node.id] = NodeItem(node, look)
            self._edges_of[node.id] = set()
        for edge in diagram.edges:
            self._make_edge(edge)
        for item in self.annotations.values():
            self.addItem(item)
        for item in self.nodes.values():
            self.addItem(item)
        for item in self.edges.values():
            self.addItem(item)
        for node_id in self.nodes:
            self._update_connected(node_id)
        self.blockSignals(False)
        self.update_scene_rect()

    def _make_edge(self, edge: Edge) -> EdgeItem | None:
        source, target = self.nodes.get(edge.source), self.nodes.get(edge.target)
        if source is None or target is None:
            return None
        item = EdgeItem(
            edge, self.look, source.port_scene_pos(edge.port), target.port_scene_pos(INPUT)
        )
        self.edges[edge] = item
        self._edges_of.setdefault(edge.source, set()).add(edge)
        self._edges_of.setdefault(edge.target, set()).add(edge)
        return item

    def _update_connected(self, node_id: str) -> None:
        item = self.nodes.get(node_id)
        if item is not None:
            item.set_connected_ports(
                {e.port for e in self._edges_of.get(node_id, ()) if e.source == node_id}
                | (
                    {INPUT}
                    if any(e.target == node_id for e in self._edges_of.get(node_id, ()))
                    else set()
                )
            )

    # ---- model events → items ----
    def _on_node_added(self, node: Node) -> None:
        self._content = None
        item = NodeItem(node, self.look)
        self.nodes[node.id] = item
        self._edges_of.setdefault(node.id, set())
        if node.id in self._problems:
            item.set_problems(self._problems[node.id])
        self.addItem(item)
        self.update_scene_rect()

    def _on_node_removed(self, node: Node) -> None:
        self._content = None
        item = self.nodes.pop(node.id, None)
        self._edges_of.pop(node.id, None)
        if item is not None:
            self.removeItem(item)

    def _on_node_changed(self, node: Node) -> None:
        self._content = None
        item = self.nodes.get(node.id)
        if item is None:
            return
        item.update_from(node)
        self._update_connected(node.id)
        self.update_edges_of(node.id)
        item.update()

    def _on_node_moved(self, node: Node) -> None:
        self._content = None
        item = self.nodes.get(node.id)
        if item is not None:
            item.setPos(node.position[0], node.position[1])
            self.update_edges_of(node.id)
            self._grow_scene_rect(item.scene_card_rect())

    def _on_edge_added(self, edge: Edge) -> None:
        item = self._make_edge(edge)
        if item is not None:
            self.addItem(item)
            self._update_connected(edge.source)
            self._update_connected(edge.target)

    def _on_edge_removed(self, edge: Edge) -> None:
        item = self.edges.pop(edge, None)
        self._selected_edges.discard(edge)
        for node_id in (edge.source, edge.target):
            self._edges_of.get(node_id, set()).discard(edge)
        if item is not None:
            self.removeItem(item)
        self._update_connected(edge.source)
        self._update_connected(edge.target)

    def _on_annotation_added(self, annotation: Annotation) -> None:
        self._content = None
        item = AnnotationItem(annotation, self.look)
        self.annotations[annotation.id] = item
        self.addItem(item)

    def _on_annotation_removed(self, annotation: Annotation) -> None:
        self._content = None
        item = self.annotations.pop(annotation.id, None)
        if item is not None:
            self.removeItem(item)

    def _on_annotation_changed(self, annotation: Annotation) -> None:
        self._content = None
        item = self.annotations.get(annotation.id)
        if item is not None:
            item.update_from(annotation)

    def update_edges_of(self, node_id: str) -> None:
        """Recompute the paths of the edges touching one node (its position changed)."""
        self._content = None
        nodes = self.nodes
        for edge in self._edges_of.get(node_id, ()):
            item = self.edges.get(edge)
            if item is not None:
                item.set_ends(
                    nodes[edge.source].port_scene_pos(edge.port),
                    nodes[edge.target].port_scene_pos(INPUT),
                )

    # ---- geometry ----
    def content_rect(self) -> QRectF:
        """The bounding box of the cards and annotations (cached until something moves)."""
        if self._content is None:
            rect = QRectF()
            for item in self.nodes.values():
                rect = rect.united(item.scene_card_rect())
            for item in self.annotations.values():
                rect = rect.united(item.scene_rect())
            self._content = rect
        return QRectF(self._content)

    def changed_geometry(self) -> None:
        """Forget the cached content rect (an item moved, appeared or went)."""
        self._content = None

    def update_scene_rect(self) -> None:
        content = self.content_rect()
        if content.isNull():
            content = QRectF(0, 0, 800, 600)
        m = SCENE_MARGIN
        self.setSceneRect(content.adjusted(-m, -m, m, m))

    def _grow_scene_rect(self, rect: QRectF) -> None:
        inner = self.sceneRect().adjusted(
            SCENE_MARGIN / 2, SCENE_MARGIN / 2, -SCENE_MARGIN / 2, -SCENE_MARGIN / 2
        )
        if not inner.contains(rect):
            m = SCENE_MARGIN
            self.setSceneRect(self.sceneRect().united(rect.adjusted(-m, -m, m, m)))

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        theme = self.look.theme
        painter.fillRect(rect, theme.background)
        if not self.show_grid or painter.worldTransform().m11() < 0.35:
            return
        # One texture tile of 5×5 grid cells: the grid costs a single fill, not thousands
        # of points drawn from Python.
        if self._grid_brush is None or self._grid_brush[0] is not theme:
            self._grid_brush = (theme, QBrush(_grid_tile(theme, self.grid)))
        painter.fillRect(rect, self._grid_brush[1])

    # ---- looks and run-time data ----
    def set_theme(self, theme: Theme) -> None:
        self.look.theme = theme
        for item in self.edges.values():
            item.refresh_pen()
        for item in self.items():
            item.update()
        for view in self.views():  # views cache the background (the grid): redraw it
            view.resetCachedContent()
        self.update()
        # Overlays drawn by the view (the forecast label) take the new colours too.
        self.statisticsChanged.emit(*self.statistics_shown)

    def set_detail_caching(self, on: bool) -> None:
        """Cache node pictures in device pixels (the view turns this on when zoomed in)."""
        mode = (
            QGraphicsItem.CacheMode.DeviceCoordinateCache if on else QGraphicsItem.CacheMode.NoCache
        )
        if mode != self.look.cache_mode:
            self.look.cache_mode = mode
            for item in self.nodes.values():
                item.setCacheMode(mode)

    @property
    def theme(self) -> Theme:
        return self.look.theme

    def set_problems(self, problems: dict[str, list]) -> None:
        """Mark nodes with problems ({node_id: [Problem]}); others are cleared."""
        self._problems = {k: list(v) for k, v in problems.items() if v}
        for node_id, item in self.nodes.items():
            wanted = self._problems.get(node_id, [])
            if wanted or item.problems:
                item.set_problems(wanted)
        bad_edges = {
            p.edge
            for found in self._problems.values()
            for p in found
            if getattr(p, "edge", None) is not None and p.severity == "error"
        }
        for edge, item in self.edges.items():
            item.set_problem(edge in bad_edges)

    def set_diff_marks(
        self, nodes: dict[str, str], edges: dict[tuple[str, str, str], str] | None = None
    ) -> None:
        """Mark a version comparison: {node id: "added" | "removed" | "changed"} and
        {(from, port, to): "added" | "removed"}; unnamed items are cleared (data items read,
        never saved, like problems and statistics)."""
        for node_id, item in self.nodes.items():
            item.set_diff(nodes.get(node_id))
        for edge, item in self.edges.items():
            item.set_diff((edges or {}).get((edge.source, edge.port, edge.target)))

    def set_statistics(
        self, nodes: dict[str, dict], edges: dict[tuple[str, str], int], forecast: bool = False
    ) -> None:
        """Show per-node badges, edge counts with shares and a waiting heat tint."""
        for node_id, item in self.nodes.items():
            item.set_stats(nodes.get(node_id, {"entered": 0}), forecast)
        for edge, item in self.edges.items():
            count = edges.get((edge.source, edge.port), 0)
            entered = (nodes.get(edge.source) or {}).get("entered") or 0
            share = f" · {100 * count / entered:.0f}%" if entered and count else ""
            item.set_label(f"{compact_count(count)}{share}", compact_count(count))
        self.node_figures = nodes  # read by the inspector's figures panel
        self.statistics_shown = (True, forecast)
        self.statisticsChanged.emit(True, forecast)

    def clear_statistics(self) -> None:
        self.node_figures = {}
        self.statistics_shown = (False, False)
        self.statisticsChanged.emit(False, False)
        for item in self.nodes.values():
            if item.stats is not None:
                item.set_stats(None)
        for item in self.edges.values():
            if item.label:
                item.set_label("")

    # ---- selection (not on the undo stack) ----
    def selected_node_ids(self) -> list[str]:
        chosen = {i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)}
        return [n for n in self.diagram.nodes if n in chosen]

    def selected_edges(self) -> list[Edge]:
        return [e for e in self.diagram.edges if e in self._selected_edges]

    def select_edge(self, edge: Edge, selected: bool = True, exclusive: bool = False) -> None:
        """Select (or unselect) one edge; exclusive clears everything else first."""
        if exclusive:
            self.clear_selection()
        item = self.edges.get(edge)
        if item is None:
            return
        item.set_selected(selected)
        if selected:
            self._selected_edges.add(edge)
        else:
            self._selected_edges.discard(edge)

    def clear_selection(self) -> None:
        """Unselect nodes, notes and edges."""
        for edge in list(self._selected_edges):
            if edge in self.edges:
                self.edges[edge].set_selected(False)
        self._selected_edges.clear()
        self.clearSelection()

    def selected_annotation_ids(self) -> list[str]:
        return [i.annotation_id for i in self.selectedItems() if isinstance(i, AnnotationItem)]

    def select_nodes(self, node_ids: Iterable[str], annotation_ids: Iterable[str] = ()) -> None:
        self.blockSignals(True)
        self.clear_selection()
        for node_id in node_ids:
            if node_id in self.nodes:
                self.nodes[node_id].setSelected(True)
        for annotation_id in annotation_ids:
            if annotation_id in self.annotations:
                self.annotations[annotation_id].setSelected(True)
        self.blockSignals(False)
        self._on_selection_changed()

    def select_all(self) -> None:
        self.select_nodes(list(self.nodes), list(self.annotations))

    def _on_selection_changed(self) -> None:
        self.selectedNodesChanged.emit(self.selected_node_ids())

    # ---- mouse: each gesture is a small state object (designer.interactions) ----
    def item_at(self, pos: QPointF, kinds: tuple[type, ...] = (NodeItem, EdgeItem, AnnotationItem)):
        """The topmost node, edge or annotation under a scene point (edges within 6 px)."""
        transform = self.views()[0].transform() if self.views() else QTransform()
        area = QRectF(pos.x() - 6, pos.y() - 6, 12, 12)
        for item in self.items(
            area,
            Qt.ItemSelectionMode.IntersectsItemBoundingRect,
            Qt.SortOrder.DescendingOrder,
            transform,
        ):
            if not isinstance(item, kinds) or not item.isVisible():
                continue
            if isinstance(item, EdgeItem):
                if item.hit(pos):
                    return item
            elif item.shape().contains(item.mapFromScene(pos)):
                return item
        return None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._gesture is None and event.button() == Qt.MouseButton.LeftButton:
            self._gesture = interactions.start(self, event)
            if self._gesture is not None:
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._gesture is not None:
            self._gesture.move(event.scenePos(), event.modifiers())
            event.accept()
            return
        self._hover_edge(event.scenePos())
        super().mouseMoveEvent(event)

    def plus_at(self, pos: QPointF) -> EdgeItem | None:
        """The edge whose "+" (shown while hovered or selected) is under `pos`."""
        hovered = self._hovered_edge
        candidates = [hovered] if hovered is not None and hovered.scene() is self else []
        candidates += [self.edges[e] for e in self._selected_edges if e in self.edges]
        return next((item for item in candidates if item.on_plus(pos)), None)

    def _hover_edge(self, pos: QPointF) -> None:
        """Edges light up under the mouse (they take no hover events themselves: speed)."""
        item = self.item_at(pos, (NodeItem, EdgeItem))
        edge = item if isinstance(item, EdgeItem) else None
        if edge is None and self.plus_at(pos) is self._hovered_edge:
            edge = self._hovered_edge  # on its "+", a little wider than the line: keep it
        if edge is not self._hovered_edge:
            if self._hovered_edge is not None and self._hovered_edge.scene() is self:
                self._hovered_edge.set_hovered(False)
            if edge is not None:
                edge.set_hovered(True)
            self._hovered_edge = edge

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._gesture is not None and event.button() == Qt.MouseButton.LeftButton:
            gesture, self._gesture = self._gesture, None
            gesture.release(event.scenePos(), event.modifiers())
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def cancel_gesture(self) -> bool:
        if self._gesture is None:
            return False
        gesture, self._gesture = self._gesture, None
        gesture.cancel()
        return True

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        item = self.item_at(event.scenePos())
        if isinstance(item, NodeItem):
            self.nodeActivated.emit(item.node_id)
        elif isinstance(item, AnnotationItem):
            self.annotationActivated.emit(item.annotation_id)
            self.edit_annotation(item.annotation_id)
        elif item is None:
            self.canvasDoubleClicked.emit(event.scenePos())
        event.accept()
