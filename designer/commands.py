"""Undo commands: every change to a campaign diagram, each calling one model method.

Commands hold ids and snapshots (copies of nodes, edges, annotations), never scene
items, so they survive the scene being rebuilt. `redo()` calls the Diagram method,
`undo()` its inverse (Orange's document/commands.py, QtNodes' UndoCommands).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any

from PySide6.QtGui import QUndoCommand

from engine.diagram import Annotation, Diagram, Edge, Node

Point = tuple[float, float]
Rect = tuple[float, float, float, float]

# Ids for QUndoCommand.mergeWith: consecutive commands with the same id may merge.
# The inspector's typed edits merge only within one field's typing session (their `key`).
MERGE_MOVE = 1
MERGE_PARAMS = 2
MERGE_ANNOTATION = 3
MERGE_FIELD_EDIT = 4  # EditParams
MERGE_LABEL_EDIT = 5  # EditLabel
MERGE_SETTINGS_EDIT = 6  # EditSettings
MERGE_NAME_EDIT = 7  # EditName


class DiagramCommand(QUndoCommand):
    """Base: knows its diagram; subclasses snapshot what they need in __init__."""

    def __init__(self, diagram: Diagram, text: str, parent: QUndoCommand | None = None) -> None:
        super().__init__(text, parent)
        self.diagram = diagram


class AddNode(DiagramCommand):
    """Add one node (a snapshot is kept, so later edits never leak into undo)."""

    def __init__(
        self,
        diagram: Diagram,
        node: Node,
        index: int | None = None,
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(diagram, f"Add {node.label or node.type}", parent)
        self.node = node.copy()
        self.index = index

    @property
    def node_id(self) -> str:
        return self.node.id

    def redo(self) -> None:
        self.diagram.add_node(self.node.copy(), self.index)

    def undo(self) -> None:
        self.diagram.remove_node(self.node.id)


class Connect(DiagramCommand):
    """Add an edge from a node's output port to another node."""

    def __init__(self, diagram: Diagram, edge: Edge, parent: QUndoCommand | None = None) -> None:
        super().__init__(diagram, f"Connect {edge.source} → {edge.target}", parent)
        self.edge = edge

    def redo(self) -> None:
        self.diagram.add_edge(self.edge)

    def undo(self) -> None:
        self.diagram.remove_edge(self.edge)


class Disconnect(DiagramCommand):
    """Remove one edge; undo puts it back at the same place in the edge list."""

    def __init__(self, diagram: Diagram, edge: Edge, parent: QUndoCommand | None = None) -> None:
        super().__init__(diagram, f"Disconnect {edge.source} → {edge.target}", parent)
        self.edge = edge
        self.index: int | None = None

    def redo(self) -> None:
        self.index = self.diagram.remove_edge(self.edge)

    def undo(self) -> None:
        self.diagram.add_edge(self.edge, self.index)


class Reconnect(DiagramCommand):
    """Re-route an edge: drag its end to another node (or its start to another port)."""

    def __init__(
        self, diagram: Diagram, old: Edge, new: Edge, parent: QUndoCommand | None = None
    ) -> None:
        super().__init__(diagram, f"Re-route {old.source} → {new.target}", parent)
        self.old, self.new = old, new
        self.index: int | None = None

    def redo(self) -> None:
        self.index = self.diagram.remove_edge(self.old)
        self.diagram.add_edge(self.new, self.index)

    def undo(self) -> None:
        self.diagram.remove_edge(self.new)
        self.diagram.add_edge(self.old, self.index)


class RemoveItems(DiagramCommand):
    """Delete nodes (with their edges), loose edges and annotations as one step."""

    def __init__(
        self,
        diagram: Diagram,
        node_ids: Iterable[str] = (),
        edges: Iterable[Edge] = (),
        annotation_ids: Iterable[str] = (),
        text: str | None = None,
        parent: QUndoCommand | None = None,
    ) -> None:
        node_ids = [n for n in diagram.nodes if n in set(node_ids)]  # document order
        super().__init__(diagram, text or _delete_text(node_ids, edges, annotation_ids), parent)
        self.node_ids = node_ids
        self.annotation_ids = [a for a in annotation_ids if a in diagram.annotations]
        gone = set(node_ids)
        # Edges of deleted nodes are owned by the node removal; keep only the others.
        self.loose_edges = [e for e in edges if e.source not in gone and e.target not in gone]
        self._removed_nodes: list[tuple[Node, int]] = []
        self._removed_edges: list[tuple[Edge, int]] = []
        self._removed_annotations: list[tuple[Annotation, int]] = []

    def redo(self) -> None:
        self._removed_edges, self._removed_nodes, self._removed_annotations = [], [], []
        edge_index = {e: i for i, e in enumerate(self.diagram.edges)}
        doomed = set(self.node_ids)
        node_edges = [e for e in self.diagram.edges if e.source in doomed or e.target in doomed]
        # Remember every edge's original index (ascending) so undo restores the order.
        for edge in sorted(set(self.loose_edges) | set(node_edges), key=edge_index.__getitem__):
            self._removed_edges.append((edge, edge_index[edge]))
        for edge in self.loose_edges:
            self.diagram.remove_edge(edge)
        node_index = {n: i for i, n in enumerate(self.diagram.nodes)}
        for node_id in self.node_ids:
            self._removed_nodes.append((self.diagram.nodes[node_id].copy(), node_index[node_id]))
        for node_id in reversed(self.node_ids):
            self.diagram.remove_node(node_id)
        order = list(self.diagram.annotations)
        for annotation_id in self.annotation_ids:
            index = order.index(annotation_id)
            self._removed_annotations.append((self.diagram.annotations[annotation_id], index))
        for annotation_id in self.annotation_ids:
            self.diagram.remove_annotation(annotation_id)

    def undo(self) -> None:
        for node, index in self._removed_nodes:  # ascending indices: each lands in place
            self.diagram.add_node(node.copy(), index)
        for edge, index in self._removed_edges:
            self.diagram.add_edge(edge, index)
        for annotation, index in self._removed_annotations:
            _insert_annotation(self.diagram, annotation.copy(), index)


class MoveNodes(DiagramCommand):
    """Move nodes (and annotations) from old to new positions: one gesture, one step.

    Consecutive keyboard nudges of the same selection merge into one step.
    """

    def __init__(
        self,
        diagram: Diagram,
        moves: dict[str, tuple[Point, Point]],
        annotation_moves: dict[str, tuple[Rect, Rect]] | None = None,
        text: str = "Move",
        merge: bool = False,
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(diagram, text, parent)
        self.moves = {k: (tuple(a), tuple(b)) for k, (a, b) in moves.items()}
        self.annotation_moves = {
            k: (tuple(a), tuple(b)) for k, (a, b) in (annotation_moves or {}).items()
        }
        self.merge = merge

    def id(self) -> int:
        return MERGE_MOVE if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MoveNodes) or not other.merge:
            return False
        if set(other.moves) != set(self.moves) or set(other.annotation_moves) != set(
            self.annotation_moves
        ):
            return False
        for key, (_, new) in other.moves.items():
            self.moves[key] = (self.moves[key][0], new)
        for key, (_, new) in other.annotation_moves.items():
            self.annotation_moves[key] = (self.annotation_moves[key][0], new)
        return True

    def redo(self) -> None:
        self._apply(1)

    def undo(self) -> None:
        self._apply(0)

    def _apply(self, which: int) -> None:
        for node_id, positions in self.moves.items():
            self.diagram.move_node(node_id, positions[which])
        for annotation_id, rects in self.annotation_moves.items():
            self.diagram.update_annotation(annotation_id, rect=rects[which])


class Layout(MoveNodes):
    """Auto-layout, align or distribute: a MoveNodes with its own name in the Edit menu."""

    def __init__(
        self,
        diagram: Diagram,
        positions: dict[str, Point],
        text: str = "Auto-layout",
        parent: QUndoCommand | None = None,
    ) -> None:
        moves = {
            node_id: (tuple(diagram.nodes[node_id].position), tuple(pos))
            for node_id, pos in positions.items()
            if tuple(diagram.nodes[node_id].position) != tuple(pos)
        }
        super().__init__(diagram, moves, text=text, parent=parent)


class SetParams(DiagramCommand):
    """Change a node's parameters. A split losing a branch loses its edge; undo restores it.

    With merge=True (typing in one field), consecutive edits of one node merge.
    """

    def __init__(
        self,
        diagram: Diagram,
        node_id: str,
        params: dict[str, Any],
        merge: bool = False,
        text: str | None = None,
        parent: QUndoCommand | None = None,
    ) -> None:
        node = diagram.node(node_id)
        super().__init__(diagram, text or f"Edit {node.label or node_id}", parent)
        self.node_id = node_id
        self.old = copy.deepcopy(node.params)
        self.new = copy.deepcopy(params)
        self.merge = merge
        self._lost_edges: list[tuple[Edge, int]] = []

    def id(self) -> int:
        return MERGE_PARAMS if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetParams) or not other.merge or other.node_id != self.node_id:
            return False
        if other._lost_edges:  # an edit that dropped an edge stays its own step
            return False
        self.new = copy.deepcopy(other.new)
        return True

    def redo(self) -> None:
        before = list(self.diagram.edges)
        self.diagram.set_params(self.node_id, self.new)
        after = set(self.diagram.edges)
        self._lost_edges = [(e, i) for i, e in enumerate(before) if e not in after]

    def undo(self) -> None:
        self.diagram.set_params(self.node_id, self.old)
        for edge, index in self._lost_edges:
            self.diagram.add_edge(edge, index)


class SetLabel(DiagramCommand):
    """Rename a node (its label; None or "" shows the type's title)."""

    def __init__(
        self, diagram: Diagram, node_id: str, label: str | None, parent: QUndoCommand | None = None
    ) -> None:
        super().__init__(diagram, f"Rename {node_id}", parent)
        self.node_id = node_id
        self.old = diagram.node(node_id).label
        self.new = label or None

    def redo(self) -> None:
        self.diagram.set_label(self.node_id, self.new)

    def undo(self) -> None:
        self.diagram.set_label(self.node_id, self.old)


class SetSettings(DiagramCommand):
    """Change campaign settings (entry rule, frequency cap, quiet hours...)."""

    def __init__(
        self, diagram: Diagram, settings: dict[str, Any], parent: QUndoCommand | None = None
    ) -> None:
        super().__init__(diagram, "Campaign settings", parent)
        self.old = copy.deepcopy(diagram.settings)
        self.new = copy.deepcopy(settings)

    def redo(self) -> None:
        self.diagram.set_settings(self.new)

    def undo(self) -> None:
        self.diagram.set_settings(self.old)


class SetName(DiagramCommand):
    """Rename the campaign."""

    def __init__(self, diagram: Diagram, name: str, parent: QUndoCommand | None = None) -> None:
        super().__init__(diagram, "Rename campaign", parent)
        self.old, self.new = diagram.name, name

    def redo(self) -> None:
        self.diagram.set_name(self.new)

    def undo(self) -> None:
        self.diagram.set_name(self.old)


class AddAnnotation(DiagramCommand):
    """Add a sticky note or a group frame."""

    def __init__(
        self, diagram: Diagram, annotation: Annotation, parent: QUndoCommand | None = None
    ) -> None:
        kind = "note" if annotation.kind == "note" else "group"
        super().__init__(diagram, f"Add {kind}", parent)
        self.annotation = annotation.copy()

    def redo(self) -> None:
        self.diagram.add_annotation(self.annotation.copy())

    def undo(self) -> None:
        self.diagram.remove_annotation(self.annotation.id)


class UpdateAnnotation(DiagramCommand):
    """Change a note's text, colour or rect; typing into one note merges."""

    def __init__(
        self,
        diagram: Diagram,
        annotation_id: str,
        merge: bool = False,
        parent: QUndoCommand | None = None,
        **changes: Any,
    ) -> None:
        super().__init__(diagram, "Edit note", parent)
        current = diagram.annotations[annotation_id]
        self.annotation_id = annotation_id
        self.old = {key: getattr(current, key) for key in changes}
        self.new = dict(changes)
        self.merge = merge

    def id(self) -> int:
        return MERGE_ANNOTATION if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, UpdateAnnotation)
            or not other.merge
            or other.annotation_id != self.annotation_id
        ):
            return False
        for key, value in other.new.items():
            self.old.setdefault(key, other.old[key])
            self.new[key] = value
        return True

    def redo(self) -> None:
        self.diagram.update_annotation(self.annotation_id, **self.new)

    def undo(self) -> None:
        self.diagram.update_annotation(self.annotation_id, **self.old)


class AddItems(DiagramCommand):
    """Add several nodes, edges and annotations at once (paste, duplicate, add-after)."""

    def __init__(
        self,
        diagram: Diagram,
        nodes: Iterable[Node] = (),
        edges: Iterable[Edge] = (),
        annotations: Iterable[Annotation] = (),
        text: str = "Paste",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(diagram, text, parent)
        self.nodes = [n.copy() for n in nodes]
        self.edges = list(edges)
        self.annotations = [a.copy() for a in annotations]

    @property
    def node_ids(self) -> list[str]:
        return [n.id for n in self.nodes]

    def redo(self) -> None:
        for node in self.nodes:
            self.diagram.add_node(node.copy())
        for edge in self.edges:
            self.diagram.add_edge(edge)
        for annotation in self.annotations:
            self.diagram.add_annotation(annotation.copy())

    def undo(self) -> None:
        for annotation in reversed(self.annotations):
            self.diagram.remove_annotation(annotation.id)
        for edge in reversed(self.edges):
            self.diagram.remove_edge(edge)
        for node in reversed(self.nodes):
            self.diagram.remove_node(node.id)


class Paste(AddItems):
    """Paste or duplicate: the fragment already carries fresh ids (see clipboard.py)."""


def _insert_annotation(diagram: Diagram, annotation: Annotation, index: int) -> None:
    """Put an annotation back at its place in the document order (paint order)."""
    diagram.add_annotation(annotation)
    if index < len(diagram.annotations) - 1:
        items = list(diagram.annotations.items())
        items.insert(index, items.pop())
        diagram.annotations = dict(items)


def _delete_text(node_ids: list[str], edges: Iterable[Edge], annotation_ids: Iterable[str]) -> str:
    count = len(node_ids)
    if count == 1:
        return f"Delete {node_ids[0]}"
    if count:
        return f"Delete {count} nodes"
    if list(annotation_ids):
        return "Delete note"
    return "Delete connection"


# ---- the inspector's typed edits (one undo step per field per typing session) ----------


def same_value(a: Any, b: Any) -> bool:
    """Equal as JSON (1 and 1.0, key order): an edit that changes nothing is no step."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


class EditParams(SetParams):
    """SetParams that merges only with edits of the same field in the same typing session."""

    def __init__(
        self,
        diagram: Diagram,
        node_id: str,
        params: dict[str, Any],
        key: tuple,
        text: str | None = None,
    ) -> None:
        super().__init__(diagram, node_id, params, merge=True, text=text)
        self.key = key

    def id(self) -> int:
        return MERGE_FIELD_EDIT

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditParams) or other.key != self.key:
            return False
        if not super().mergeWith(other):
            return False
        self.setObsolete(same_value(self.new, self.old) and not self._lost_edges)
        return True


class EditLabel(SetLabel):
    """SetLabel that merges while the user types the label."""

    def __init__(self, diagram: Diagram, node_id: str, label: str | None, key: tuple) -> None:
        super().__init__(diagram, node_id, label)
        self.key = key

    def id(self) -> int:
        return MERGE_LABEL_EDIT

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditLabel) or other.key != self.key:
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True


class EditSettings(SetSettings):
    """SetSettings that merges consecutive edits of one settings field (typing)."""

    def __init__(self, diagram: Diagram, settings: dict[str, Any], key: tuple) -> None:
        super().__init__(diagram, settings)
        self.key = key

    def id(self) -> int:
        return MERGE_SETTINGS_EDIT

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditSettings) or other.key != self.key:
            return False
        self.new = copy.deepcopy(other.new)
        self.setObsolete(self.new == self.old)
        return True


class EditName(SetName):
    """SetName that merges while the user types the name."""

    def __init__(self, diagram: Diagram, name: str, key: tuple) -> None:
        super().__init__(diagram, name)
        self.key = key

    def id(self) -> int:
        return MERGE_NAME_EDIT

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditName) or other.key != self.key:
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True
