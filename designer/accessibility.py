"""What a screen reader sees of the canvas: the diagram as a list of nodes and connections.

Qt makes no accessible children for QGraphicsItems, so the view gets its own interface
(installed once through QAccessible.installFactory): one child per node (name = title and
type; state = selected, focused, problem; description = summary, problems and figures;
relations = the nodes it flows to and from), then one per connection. Moving the selection
with the keyboard moves the accessibility focus (`announce_focus`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRect
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget

from designer.navigation import reading_order
from engine.catalog import CATALOG

if TYPE_CHECKING:
    from designer.view import CampaignView

NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description


translate = QCoreApplication.translate


class _Part(QAccessibleInterface):
    """A node or a connection of the canvas: no QObject of its own, found by id."""

    def __init__(self, canvas: CanvasAccessible, key) -> None:
        super().__init__()
        self.canvas, self.key = canvas, key

    def isValid(self) -> bool:
        return self.canvas.index_of_key(self.key) >= 0

    def object(self):
        return None

    def window(self):
        return self.canvas.window()

    def parent(self):
        return self.canvas

    def child(self, index: int):
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child) -> int:
        return -1

    def childAt(self, x: int, y: int):
        return None

    def focusChild(self):
        return None

    def setText(self, kind, text: str) -> None:
        pass

    def _scene_rect_to_screen(self, rect) -> QRect:
        view = self.canvas.view
        polygon = view.mapFromScene(rect).boundingRect()
        top_left = view.viewport().mapToGlobal(polygon.topLeft())
        return QRect(top_left, polygon.size())


class NodeAccessible(_Part):
    def node(self):
        return self.canvas.scene().diagram.nodes.get(self.key)

    def item(self):
        return self.canvas.scene().nodes.get(self.key)

    def role(self):
        return QAccessible.Role.ListItem

    def text(self, kind) -> str:
        node, item = self.node(), self.item()
        if node is None or item is None:
            return ""
        spec = CATALOG.get(node.type)
        type_title = spec.title if spec else node.type
        if kind == NAME:
            if item.title == type_title:
                return item.title
            return translate("Canvas", "{title}, {type}").format(title=item.title, type=type_title)
        if kind == DESCRIPTION:
            return node_description(self.canvas.scene(), self.key)
        return ""

    def rect(self) -> QRect:
        item = self.item()
        return self._scene_rect_to_screen(item.scene_card_rect()) if item else QRect()

    def state(self):
        state = QAccessible.State()
        state.selectable = True
        state.focusable = True
        state.movable = True
        item = self.item()
        if item is None:
            state.invalid = True
            return state
        state.selected = item.isSelected()
        state.focused = state.selected and self.canvas.view.hasFocus()
        state.invalid = any(p.severity == "error" for p in item.problems)
        return state

    def relations(self, match=None):
        scene = self.canvas.scene()
        out = []
        for edge in scene.diagram.out_edges(self.key):
            out.append((self.canvas.node_interface(edge.target), QAccessible.Relation.FlowsTo))
        for edge in scene.diagram.in_edges(self.key):
            out.append((self.canvas.node_interface(edge.source), QAccessible.Relation.FlowsFrom))
        return [pair for pair in out if pair[0] is not None]


class EdgeAccessible(_Part):
    def role(self):
        return QAccessible.Role.ListItem

    def text(self, kind) -> str:
        scene = self.canvas.scene()
        edge = self.key
        if kind == NAME:
            source = scene.nodes.get(edge.source)
            target = scene.nodes.get(edge.target)
            if source is None or target is None:
                return ""
            if edge.port in ("out", ""):
                return translate("Canvas", "Connection from {source} to {target}").format(
                    source=source.title, target=target.title
                )
            return translate("Canvas", "Connection from {source} ({port}) to {target}").format(
                source=source.title, port=edge.port, target=target.title
            )
        if kind == DESCRIPTION:
            item = scene.edges.get(edge)
            label = getattr(item, "label", "") if item is not None else ""
            if not label:
                return ""
            return translate("Canvas", "{count} contacts went this way").format(count=label)
        return ""

    def rect(self) -> QRect:
        item = self.canvas.scene().edges.get(self.key)
        return self._scene_rect_to_screen(item.sceneBoundingRect()) if item else QRect()

    def state(self):
        state = QAccessible.State()
        state.selectable = True
        state.selected = self.key in self.canvas.scene().selected_edges()
        return state

    def relations(self, match=None):
        return []


def node_description(scene, node_id: str) -> str:
    """The node's summary, then its problems, then its figures: what the tooltip says."""
    from designer.items.node_item import stats_lines

    item = scene.nodes.get(node_id)
    if item is None:
        return ""
    parts = [item.summary] if item.summary else []
    for problem in item.problems:
        error = problem.severity == "error"
        word = translate("Canvas", "Error") if error else translate("Canvas", "Warning")
        parts.append(f"{word}: {problem.message}")
    if item.stats:
        parts += stats_lines(item.stats)
    return ". ".join(parts)


class CanvasAccessible(QAccessibleWidget):
    """The canvas as a list: its nodes (in reading order), then its connections."""

    def __init__(self, view: CampaignView) -> None:
        super().__init__(view, QAccessible.Role.List, translate("Canvas", "Campaign diagram"))
        self.view = view
        self._parts: dict = {}  # id/edge → interface: Qt's cache keeps pointers to them

    def scene(self):
        return self.view.campaign_scene()

    def keys(self) -> list:
        scene = self.scene()
        return [*reading_order(scene), *scene.diagram.edges]

    def index_of_key(self, key) -> int:
        try:
            return self.keys().index(key)
        except ValueError:
            return -1

    def _part(self, key):
        part = self._parts.get(key)
        if part is None:
            part = NodeAccessible(self, key) if isinstance(key, str) else EdgeAccessible(self, key)
            self._parts[key] = part
        return part

    def node_interface(self, node_id: str):
        return self._part(node_id) if node_id in self.scene().nodes else None

    def childCount(self) -> int:
        scene = self.scene()
        return len(scene.nodes) + len(scene.diagram.edges)

    def child(self, index: int):
        keys = self.keys()
        return self._part(keys[index]) if 0 <= index < len(keys) else None

    def indexOfChild(self, child) -> int:
        key = getattr(child, "key", None)
        return self.index_of_key(key) if key is not None else -1

    def focusChild(self):
        selected = self.scene().selected_node_ids()
        return self._part(selected[0]) if selected else None

    def childAt(self, x: int, y: int):
        for key in reading_order(self.scene()):
            if self._part(key).rect().contains(x, y):
                return self._part(key)
        return None

    def text(self, kind) -> str:
        if kind == NAME:
            return translate("Canvas", "Campaign diagram")
        if kind == DESCRIPTION:
            scene = self.scene()
            text = translate(
                "Canvas",
                "{nodes} nodes and {edges} connections. Arrow keys follow connections; "
                "Page Down and Page Up visit every node; Return opens the node.",
            )
            return text.format(nodes=len(scene.nodes), edges=len(scene.diagram.edges))
        return super().text(kind)


def announce_focus(view: CampaignView, node_id: str) -> None:
    """Tell assistive technology that the keyboard moved to `node_id`."""
    if not QAccessible.isActive():
        return
    iface = QAccessible.queryAccessibleInterface(view)
    if not isinstance(iface, CanvasAccessible):
        return
    index = iface.index_of_key(node_id)
    if index < 0:
        return
    for kind in (QAccessible.Event.Selection, QAccessible.Event.Focus):
        event = QAccessibleEvent(view, kind)
        event.setChild(index)
        QAccessible.updateAccessibility(event)


_factories: list = []


def _factory(class_name: str, obj: QObject):
    from designer.view import CampaignView

    if isinstance(obj, CampaignView):
        return CanvasAccessible(obj)
    return None


def install() -> None:
    """Register the canvas' interface with Qt (once per process)."""
    if not _factories:
        _factories.append(_factory)
        QAccessible.installFactory(_factory)
