"""The campaign diagram model: nodes, edges, settings and annotations, the only truth.

Views (the designer's scene) subscribe to the `Diagram`'s events and mirror it; every
change goes through one of its methods so that undo commands can call the inverse.
Converts losslessly to and from a `networkx.MultiDiGraph` (edge key = port).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from engine.catalog import CATALOG
from engine.observer import Event

# Any readable name up to 100 characters (the database's column width): no control
# characters and not blank. DESIGN.md sets no stricter rule, so none is imposed.
ID_PATTERN = re.compile(r"^(?=.*\S)[^\x00-\x1f\x7f]{1,100}\Z")


@dataclass
class Node:
    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    position: tuple[float, float] = (0, 0)
    label: str | None = None

    def copy(self) -> Node:
        return Node(self.id, self.type, copy.deepcopy(self.params), self.position, self.label)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    port: str = "out"


@dataclass
class Annotation:
    """A sticky note or a labelled group frame; rect is (x, y, width, height)."""

    id: str
    kind: str  # "note" | "group"
    text: str = ""
    rect: tuple[float, float, float, float] = (0, 0, 200, 120)
    color: str | None = None

    def copy(self) -> Annotation:
        return Annotation(self.id, self.kind, self.text, self.rect, self.color)


class DiagramError(ValueError):
    """A change that would break the model (duplicate id, unknown node...)."""


class Diagram:
    """A campaign: name, settings, nodes (in document order), edges and annotations."""

    def __init__(self, name: str = "Untitled campaign", settings: dict | None = None) -> None:
        self.name = name
        self.settings: dict[str, Any] = dict(settings or {})
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.annotations: dict[str, Annotation] = {}
        # Events for views: each carries what changed.
        self.node_added = Event()  # (node)
        self.node_removed = Event()  # (node)
        self.node_changed = Event()  # (node) params, label or type changed
        self.node_moved = Event()  # (node)
        self.edge_added = Event()  # (edge)
        self.edge_removed = Event()  # (edge)
        self.annotation_added = Event()  # (annotation)
        self.annotation_removed = Event()  # (annotation)
        self.annotation_changed = Event()  # (annotation)
        self.settings_changed = Event()  # ()
        self.changed = Event()  # () after any change, for "unsaved" marks and validation

    # ---- queries ----
    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise DiagramError(f"no node {node_id!r}") from None

    def out_edges(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.source == node_id]

    def in_edges(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.target == node_id]

    def edge_from(self, node_id: str, port: str) -> Edge | None:
        for edge in self.edges:
            if edge.source == node_id and edge.port == port:
                return edge
        return None

    def triggers(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.type.startswith("trigger.")]

    def new_id(self, base: str) -> str:
        """A fresh node/annotation id derived from `base` ("email" -> "email_2")."""
        base = re.sub(r"[^A-Za-z0-9_]+", "_", base.split(".")[-1]).strip("_") or "node"
        taken = set(self.nodes) | set(self.annotations)
        if base not in taken:
            return base
        i = 2
        while f"{base}_{i}" in taken:
            i += 1
        return f"{base}_{i}"

    # ---- changes (each has an inverse, for undo) ----
    def add_node(self, node: Node, index: int | None = None) -> None:
        if node.id in self.nodes or node.id in self.annotations:
            raise DiagramError(f"duplicate id {node.id!r}")
        if index is None or index >= len(self.nodes):
            self.nodes[node.id] = node
        else:
            items = list(self.nodes.items())
            items.insert(index, (node.id, node))
            self.nodes = dict(items)
        self.node_added.emit(node)
        self.changed.emit()

    def remove_node(self, node_id: str) -> tuple[Node, int, list[Edge]]:
        """Remove a node and its edges; returns what undo needs to put them back."""
        node = self.node(node_id)
        index = list(self.nodes).index(node_id)
        removed = [e for e in self.edges if node_id in (e.source, e.target)]
        for edge in removed:
            self.remove_edge(edge, _notify=False)
        del self.nodes[node_id]
        self.node_removed.emit(node)
        self.changed.emit()
        return node, index, removed

    def set_params(self, node_id: str, params: dict[str, Any]) -> None:
        node = self.node(node_id)
        node.params = copy.deepcopy(params)
        if node.type == "condition.split":
            # Edges from branches that no longer exist go with them.
            ports = set(CATALOG[node.type].port_names(node.params))
            for edge in [e for e in self.edges if e.source == node_id and e.port not in ports]:
                self.remove_edge(edge, _notify=False)
        self.node_changed.emit(node)
        self.changed.emit()

    def set_label(self, node_id: str, label: str | None) -> None:
        node = self.node(node_id)
        node.label = label or None
        self.node_changed.emit(node)
        self.changed.emit()

    def move_node(self, node_id: str, position: tuple[float, float]) -> None:
        node = self.node(node_id)
        node.position = (_num(position[0]), _num(position[1]))
        self.node_moved.emit(node)
        self.changed.emit()

    def add_edge(self, edge: Edge, index: int | None = None) -> None:
        if edge.source not in self.nodes or edge.target not in self.nodes:
            raise DiagramError(f"edge {edge.source}->{edge.target} names a missing node")
        if self.edge_from(edge.source, edge.port) is not None:
            raise DiagramError(f"port {edge.port!r} of {edge.source!r} is already connected")
        if index is None:
            self.edges.append(edge)
        else:
            self.edges.insert(index, edge)
        self.edge_added.emit(edge)
        self.changed.emit()

    def remove_edge(self, edge: Edge, _notify: bool = True) -> int:
        index = self.edges.index(edge)
        del self.edges[index]
        self.edge_removed.emit(edge)
        if _notify:
            self.changed.emit()
        return index

    def set_settings(self, settings: dict[str, Any]) -> None:
        self.settings = copy.deepcopy(settings)
        self.settings_changed.emit()
        self.changed.emit()

    def set_name(self, name: str) -> None:
        self.name = name
        self.settings_changed.emit()
        self.changed.emit()

    def add_annotation(self, annotation: Annotation) -> None:
        if annotation.id in self.annotations or annotation.id in self.nodes:
            raise DiagramError(f"duplicate id {annotation.id!r}")
        self.annotations[annotation.id] = annotation
        self.annotation_added.emit(annotation)
        self.changed.emit()

    def remove_annotation(self, annotation_id: str) -> Annotation:
        annotation = self.annotations.pop(annotation_id)
        self.annotation_removed.emit(annotation)
        self.changed.emit()
        return annotation

    def update_annotation(self, annotation_id: str, **changes: Any) -> None:
        annotation = self.annotations[annotation_id]
        for key, value in changes.items():
            if key == "rect":
                value = tuple(_num(v) for v in value)
            setattr(annotation, key, value)
        self.annotation_changed.emit(annotation)
        self.changed.emit()

    # ---- whole-diagram conversions ----
    def copy(self) -> Diagram:
        other = Diagram(self.name, copy.deepcopy(self.settings))
        other.nodes = {k: n.copy() for k, n in self.nodes.items()}
        other.edges = list(self.edges)
        other.annotations = {k: a.copy() for k, a in self.annotations.items()}
        return other

    def to_networkx(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph(
            name=self.name,
            settings=copy.deepcopy(self.settings),
            # Plain dicts, so node_link_data of the graph is JSON-serialisable.
            annotations=[
                {"id": a.id, "kind": a.kind, "text": a.text, "rect": list(a.rect), "color": a.color}
                for a in self.annotations.values()
            ],
        )
        for node in self.nodes.values():
            graph.add_node(
                node.id,
                type=node.type,
                params=copy.deepcopy(node.params),
                position=tuple(node.position),
                label=node.label,
            )
        for edge in self.edges:
            graph.add_edge(edge.source, edge.target, key=edge.port)
        return graph

    @classmethod
    def from_networkx(cls, graph: nx.MultiDiGraph) -> Diagram:
        diagram = cls(graph.graph.get("name", "Untitled campaign"), graph.graph.get("settings"))
        for node_id, data in graph.nodes(data=True):
            diagram.nodes[node_id] = Node(
                node_id,
                data["type"],
                copy.deepcopy(data.get("params") or {}),
                tuple(data.get("position") or (0, 0)),
                data.get("label"),
            )
        for source, target, port in graph.edges(keys=True):
            diagram.edges.append(Edge(source, target, port))
        for item in graph.graph.get("annotations") or []:
            if isinstance(item, Annotation):
                annotation = item.copy()
            else:
                annotation = Annotation(item["id"], item["kind"], item.get("text", ""),
                                        tuple(item["rect"]), item.get("color"))  # fmt: skip
            diagram.annotations[annotation.id] = annotation
        diagram.sort_edges()
        return diagram

    def sort_edges(self) -> None:
        """Put edges in the one canonical order: by source node, then port, then target."""
        order = {node_id: i for i, node_id in enumerate(self.nodes)}
        port_order: dict[str, dict[str, int]] = {}  # per node, once: linear in the edges

        def key(edge: Edge) -> tuple:
            ports = port_order.get(edge.source)
            if ports is None:
                node = self.nodes.get(edge.source)
                names = CATALOG[node.type].port_names(node.params) if (
                    node and node.type in CATALOG) else []  # fmt: skip
                ports = port_order[edge.source] = {p: i for i, p in enumerate(names)}
            port_index = ports.get(edge.port, len(ports))
            return (order.get(edge.source, 1 << 30), port_index, edge.port,
                    order.get(edge.target, 1 << 30), edge.target)  # fmt: skip

        self.edges.sort(key=key)


def _num(value: float) -> float:
    """Positions are stored as ints when whole, so files stay tidy and stable."""
    value = float(value)
    return int(value) if value.is_integer() else round(value, 2)
