"""Editing the campaign from the canvas: every helper here pushes one undo command.

A mixin of CampaignScene (the scene mirrors, this file edits): add a node or the next node,
connect, delete, nudge, align, distribute, auto-layout, sticky notes and group frames.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QPointF, QTimer
from PySide6.QtGui import QUndoCommand

from designer import commands, layout
from designer.items.annotation_item import GROUP_TITLE_HEIGHT, AnnotationEditor
from designer.items.port_item import NODE_WIDTH, port_layout
from engine.catalog import CATALOG
from engine.diagram import Annotation, Edge, Node

GRID = 20


def snap(value: float, grid: int = GRID) -> float:
    return round(value / grid) * grid


class SceneEditing:
    """Command-pushing helpers; expects the CampaignScene attributes (diagram, nodes...)."""

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def can_connect(
        self, source: str, port: str, target: str, replacing: Edge | None = None
    ) -> bool:
        """Legal: another node, not a trigger, a real port, and the port still free."""
        diagram = self.diagram
        if source == target or source not in diagram.nodes or target not in diagram.nodes:
            return False
        spec = CATALOG.get(diagram.nodes[target].type)
        if spec is not None and spec.is_trigger:
            return False
        src = diagram.nodes[source]
        src_spec = CATALOG.get(src.type)
        if src_spec is not None and port not in src_spec.port_names(src.params):
            return False
        existing = diagram.edge_from(source, port)
        return existing is None or existing == replacing

    def connect_nodes(self, source: str, port: str, target: str) -> bool:
        if not self.can_connect(source, port, target):
            return False
        self.push(commands.Connect(self.diagram, Edge(source, target, port)))
        return True

    def add_node(
        self,
        type_name: str,
        position: QPointF | tuple[float, float],
        params: dict[str, Any] | None = None,
        label: str | None = None,
    ) -> str:
        """Add a node of `type_name` at a scene position (snapped to the grid); returns its id."""
        spec = CATALOG[type_name]
        x, y = (position.x(), position.y()) if isinstance(position, QPointF) else position
        node = Node(
            self.diagram.new_id(type_name),
            type_name,
            spec.defaults() if params is None else params,
            (snap(x), snap(y)),
            label,
        )
        self.push(commands.AddNode(self.diagram, node))
        self.select_nodes([node.id])
        return node.id

    def insert_on_edge(
        self,
        edge: Edge,
        type_name: str,
        position: QPointF,
        params: dict[str, Any] | None = None,
        label: str | None = None,
    ) -> str | None:
        """Put a new node between the ends of `edge` (a palette drop on a connection), as
        one undo step; None when the type cannot sit there (a trigger, or no way out)."""
        spec = CATALOG[type_name]
        params = spec.defaults() if params is None else params
        ports = spec.port_names(params)
        if spec.is_trigger or not ports or edge not in self.diagram.edges:
            return None
        node = Node(self.diagram.new_id(type_name), type_name, params,
                    (snap(position.x()), snap(position.y())), label)  # fmt: skip
        text = f"Insert {label or spec.title}"
        edges = [Edge(edge.source, node.id, edge.port), Edge(node.id, edge.target, ports[0])]
        self.undo_stack.beginMacro(text)  # one undo step (child commands would need owners)
        self.push(commands.Disconnect(self.diagram, edge))
        self.push(commands.AddItems(self.diagram, [node], edges, text=text))
        self.undo_stack.endMacro()
        self.select_nodes([node.id])
        return node.id

    def add_after(self, node_id: str, type_name: str) -> str:
        """Add a node after `node_id`, connected from its first free port, placed to the right."""
        diagram = self.diagram
        source = diagram.node(node_id)
        spec = CATALOG[type_name]
        src_spec = CATALOG.get(source.type)
        ports = src_spec.port_names(source.params) if src_spec else []
        free = [p for p in ports if diagram.edge_from(node_id, p) is None]
        port = free[0] if free else None
        x, y = source.position
        if port is not None:
            y += port_layout(source.type, source.params).output_pos(port).y() - 32
        x, y = layout.free_spot(diagram, (snap(x + NODE_WIDTH + 60), snap(y)))
        node = Node(diagram.new_id(type_name), type_name, spec.defaults(), (x, y))
        edges = []
        if port is not None and not spec.is_trigger:
            edges.append(Edge(node_id, node.id, port))
        self.push(commands.AddItems(diagram, [node], edges, text=f"Add {spec.title}"))
        self.select_nodes([node.id])
        self.walk_context = (node_id, port) if edges else None
        return node.id

    def delete_selection(self) -> None:
        nodes, edges = self.selected_node_ids(), self.selected_edges()
        annotations = self.selected_annotation_ids()
        if nodes or edges or annotations:
            self.push(commands.RemoveItems(self.diagram, nodes, edges, annotations))

    def move_selection(self, dx: float, dy: float, merge: bool = True) -> None:
        """Nudge the selected nodes and annotations (keyboard); repeated nudges merge."""
        moves = {
            n: (
                self.diagram.nodes[n].position,
                (self.diagram.nodes[n].position[0] + dx, self.diagram.nodes[n].position[1] + dy),
            )
            for n in self.selected_node_ids()
        }
        notes = {}
        for a in self.selected_annotation_ids():
            x, y, w, h = self.diagram.annotations[a].rect
            notes[a] = ((x, y, w, h), (x + dx, y + dy, w, h))
        if (moves or notes) and (dx or dy):
            self.push(commands.MoveNodes(self.diagram, moves, notes, "Nudge", merge=merge))

    def align(self, how: str) -> None:
        """Align the selected nodes: left, right, top, bottom, hcenter or vcenter."""
        ids = self.selected_node_ids()
        if len(ids) > 1:
            positions = layout.align(self._card_rects(ids), how)
            self._push_layout(positions, f"Align {how}")

    def distribute(self, axis: str) -> None:
        """Space the selected nodes evenly: 'horizontal' or 'vertical'."""
        ids = self.selected_node_ids()
        if len(ids) > 2:
            positions = layout.distribute(self._card_rects(ids), axis)
            self._push_layout(positions, "Distribute")

    def auto_layout(self, node_ids: Iterable[str] | None = None) -> None:
        """Left-to-right layered layout of the diagram (or of the given nodes) as one step."""
        heights = {n: item.card_rect().height() for n, item in self.nodes.items()}
        positions = layout.layered_positions(self.diagram, heights, node_ids)
        self._push_layout(positions, "Auto-layout")

    def _push_layout(self, positions: dict[str, tuple[float, float]], text: str) -> bool:
        command = commands.Layout(self.diagram, positions, text)
        if not command.moves:  # nothing would move: no empty step in the undo history
            return False
        self.push(command)
        return True

    def _card_rects(self, ids: list[str]) -> dict[str, tuple[float, float, float, float]]:
        out = {}
        for node_id in ids:
            r = self.nodes[node_id].scene_card_rect()
            out[node_id] = (r.x(), r.y(), r.width(), r.height())
        return out

    def walk(self, direction: str) -> str | None:
        """Keyboard navigation along edges; returns the node now selected."""
        from designer.navigation import walk

        return walk(self, direction)

    # ---- sticky notes and group frames ----
    def add_annotation(self, kind: str, position: QPointF | None = None, text: str = "") -> str:
        """Add a note at `position`, or a group frame around the selected nodes; returns its id."""
        if kind not in ("note", "group"):
            raise ValueError(f"unknown annotation kind {kind!r} (note or group)")
        rects = [self.nodes[n].scene_card_rect() for n in self.selected_node_ids()]
        if kind == "group" and rects:
            box = rects[0]
            for rect in rects[1:]:
                box = box.united(rect)
            box = box.adjusted(-30, -30 - GROUP_TITLE_HEIGHT + 10, 30, 30)
            rect = (snap(box.x()), snap(box.y()), snap(box.width()), snap(box.height()))
        else:
            at = position if position is not None else self.content_rect().bottomLeft()
            size = (200, 120) if kind == "note" else (480, 260)
            rect = (snap(at.x()), snap(at.y()), *size)
        annotation_id = self.diagram.new_id(kind)
        default = "Note" if kind == "note" else "Group"
        annotation = Annotation(annotation_id, kind, text or default, rect)
        self.push(commands.AddAnnotation(self.diagram, annotation))
        self.select_nodes([], [annotation_id])
        return annotation_id

    def edit_annotation(self, annotation_id: str) -> AnnotationEditor | None:
        """Edit a note's text (a frame's title) in place; one undo step when done."""
        item = self.annotations.get(annotation_id)
        if item is None:
            return None

        def done(editor: AnnotationEditor, text: str | None) -> None:
            editor.hide()
            # Removed later: `done` may run inside the editor's own focus-out handler.
            QTimer.singleShot(0, lambda: self._drop_editor(editor))
            current = self.diagram.annotations.get(annotation_id)
            if text is not None and current is not None and text != current.text:
                self.push(commands.UpdateAnnotation(self.diagram, annotation_id, text=text))

        if self._editor is not None:
            self._editor.finish(True)
        editor = AnnotationEditor(item, done)
        self._editor = editor  # keep the wrapper alive while it edits
        self.addItem(editor)
        editor.start()
        return editor

    def _drop_editor(self, editor: AnnotationEditor) -> None:
        if editor.scene() is self:
            self.removeItem(editor)
        if self._editor is editor:
            self._editor = None
