"""Copy, cut, paste and duplicate as campaign-file JSON fragments on the system clipboard.

A fragment is a small `.campaign.json` document (the same serializer as saving), so it
pastes into another campaign, another window, or a text editor. Pasting gives fresh ids
and re-points node references (e.g. "wait for a click on *this* email") inside the fragment.
"""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication

from designer import commands
from engine import fileformat
from engine.catalog import CATALOG
from engine.diagram import Annotation, Diagram, Edge, Node

if TYPE_CHECKING:
    from designer.scene import CampaignScene

PASTE_OFFSET = 40.0


def fragment(diagram: Diagram, node_ids: list[str], annotation_ids: list[str] = ()) -> dict:
    """The chosen nodes, the edges between them and the annotations, as campaign data."""
    chosen = set(node_ids)
    part = Diagram(diagram.name)
    part.nodes = {n: diagram.nodes[n].copy() for n in diagram.nodes if n in chosen}
    part.edges = [e for e in diagram.edges if e.source in chosen and e.target in chosen]
    part.annotations = {
        a: diagram.annotations[a].copy() for a in annotation_ids if a in diagram.annotations
    }
    data = fileformat.to_data(part)
    data.pop("settings", None)
    return data


def fragment_text(diagram: Diagram, node_ids: list[str], annotation_ids: list[str] = ()) -> str:
    return json.dumps(fragment(diagram, node_ids, annotation_ids), indent=2, ensure_ascii=False)


def read_fragment(text: str) -> Diagram | None:
    """A fragment's nodes/edges/annotations, or None when the text is not one."""
    try:
        data = fileformat.parse_text(text, "clipboard")
    except fileformat.FormatError:
        return None
    data = dict(data)
    data["settings"] = {}
    diagram, _problems = fileformat.build(data)
    if not diagram.nodes and not diagram.annotations:
        return None
    return diagram


def with_fresh_ids(
    target: Diagram,
    part: Diagram,
    dx: float,
    dy: float,
) -> tuple[list[Node], list[Edge], list[Annotation]]:
    """Copies of `part`'s items renamed so none clashes with `target`, shifted by (dx, dy)."""
    taken = set(target.nodes) | set(target.annotations)
    renamed: dict[str, str] = {}

    def fresh(old: str) -> str:
        new = old
        if old in taken:  # "email" -> "email_2"; "email_2" -> "email_3"
            base, i = re.sub(r"_\d+$", "", old) or "node", 2
            while f"{base}_{i}" in taken:
                i += 1
            new = f"{base}_{i}"
        taken.add(new)
        return new

    for old in part.nodes:
        renamed[old] = fresh(old)
    nodes = []
    for old, node in part.nodes.items():
        params = _repoint(node, renamed)
        x, y = node.position
        nodes.append(Node(renamed[old], node.type, params, (x + dx, y + dy), node.label))
    edges = [Edge(renamed[e.source], renamed[e.target], e.port) for e in part.edges]
    annotations = []
    for old, note in part.annotations.items():
        x, y, w, h = note.rect
        annotations.append(
            Annotation(fresh(old), note.kind, note.text, (x + dx, y + dy, w, h), note.color)
        )
    return nodes, edges, annotations


def _repoint(node: Node, renamed: dict[str, str]) -> dict[str, Any]:
    """Parameters naming another pasted node follow it to its new id."""
    params = copy.deepcopy(node.params)
    spec = CATALOG.get(node.type)
    if spec is None:
        return params
    for param in spec.params:
        if param.kind == "node" and params.get(param.name) in renamed:
            params[param.name] = renamed[params[param.name]]
    return params


# ---- scene-level actions (what Ctrl+C / Ctrl+X / Ctrl+V / Ctrl+D do) ----


def copy_selection(scene: CampaignScene) -> bool:
    """Put the selected nodes and notes on the system clipboard; False if nothing selected."""
    nodes, notes = scene.selected_node_ids(), scene.selected_annotation_ids()
    if not nodes and not notes:
        return False
    # Plain text only: it pastes anywhere, and a QMimeData handed to the clipboard from
    # Python crashes PySide6 6.11 when the application exits (double delete).
    QGuiApplication.clipboard().setText(fragment_text(scene.diagram, nodes, notes))
    scene.paste_count = 0
    return True


def cut_selection(scene: CampaignScene) -> bool:
    """Copy, then delete the selection (one undo step for the delete)."""
    if not copy_selection(scene):
        return False
    nodes, notes = scene.selected_node_ids(), scene.selected_annotation_ids()
    scene.push(commands.RemoveItems(scene.diagram, nodes, (), notes, text="Cut"))
    return True


def clipboard_text() -> str:
    return QGuiApplication.clipboard().text()


def paste(scene: CampaignScene, at: QPointF | None = None) -> list[str]:
    """Paste the clipboard's fragment (at `at`, or offset from the original); new node ids."""
    part = read_fragment(clipboard_text())
    if part is None:
        return []
    scene.paste_count += 1
    return paste_diagram(scene, part, at, PASTE_OFFSET * scene.paste_count, "Paste")


def duplicate(scene: CampaignScene) -> list[str]:
    """Copy the selection next to itself without touching the clipboard."""
    nodes, notes = scene.selected_node_ids(), scene.selected_annotation_ids()
    if not nodes and not notes:
        return []
    part = read_fragment(fragment_text(scene.diagram, nodes, notes))
    return paste_diagram(scene, part, None, PASTE_OFFSET, "Duplicate")


def paste_diagram(
    scene: CampaignScene, part: Diagram, at: QPointF | None, offset: float, text: str
) -> list[str]:
    """Add `part` to the scene's diagram with fresh ids as one undo step; selects it."""
    if at is not None:
        xs = [n.position[0] for n in part.nodes.values()] + [
            a.rect[0] for a in part.annotations.values()
        ]
        ys = [n.position[1] for n in part.nodes.values()] + [
            a.rect[1] for a in part.annotations.values()
        ]
        dx = _snap(at.x() - min(xs), scene.grid)
        dy = _snap(at.y() - min(ys), scene.grid)
    else:
        dx = dy = offset
    nodes, edges, annotations = with_fresh_ids(scene.diagram, part, dx, dy)
    scene.push(commands.Paste(scene.diagram, nodes, edges, annotations, text=text))
    scene.select_nodes([n.id for n in nodes], [a.id for a in annotations])
    return [n.id for n in nodes]


def _snap(value: float, grid: int) -> float:
    return round(value / grid) * grid
