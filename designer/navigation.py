"""Walking the canvas with arrow keys, along the edges rather than across the screen.

Right follows the first (or the remembered) output port, Up/Down switch between sibling
branches of the same parent (yes/no, A/B/C), Left goes back to the predecessor. "next" and
"previous" (Page Down/Up) visit every node in reading order, goals and loose nodes included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.catalog import CATALOG

if TYPE_CHECKING:
    from designer.scene import CampaignScene


def _ports(scene: CampaignScene, node_id: str) -> list[str]:
    node = scene.diagram.nodes[node_id]
    spec = CATALOG.get(node.type)
    return spec.port_names(node.params) if spec else []


def _branches(scene: CampaignScene, parent: str) -> list[tuple[str, str]]:
    """(port, target) of a node's connected outputs, in port order."""
    out = []
    for port in _ports(scene, parent):
        edge = scene.diagram.edge_from(parent, port)
        if edge is not None:
            out.append((port, edge.target))
    known = {p for p, _ in out}
    out += [(e.port, e.target) for e in scene.diagram.out_edges(parent) if e.port not in known]
    return out


def reading_order(scene: CampaignScene) -> list[str]:
    """Every node, left to right then top to bottom: goals and unconnected nodes included."""
    nodes = scene.diagram.nodes
    return sorted(nodes, key=lambda n: (round(nodes[n].position[0]), nodes[n].position[1], n))


def walk(scene: CampaignScene, direction: str) -> str | None:
    """Move the selection one step ('left', 'right', 'up', 'down', 'next', 'previous', 'first',
    'last'); returns the new node."""
    diagram = scene.diagram
    if not diagram.nodes:
        return None
    selected = scene.selected_node_ids()
    if direction in ("next", "previous", "first", "last"):
        order = reading_order(scene)
        if direction == "first" or (direction == "next" and not selected):
            return _go(scene, order[0], None)
        if direction == "last" or not selected:
            return _go(scene, order[-1], None)
        step = 1 if direction == "next" else -1
        return _go(scene, order[(order.index(selected[0]) + step) % len(order)], None)
    if not selected:
        start = diagram.triggers() or list(diagram.nodes.values())
        return _go(scene, start[0].id, None)
    current = selected[0]
    context = scene.walk_context
    if (
        context is not None
        and diagram.edge_from(*context) is not None
        and (diagram.edge_from(*context).target != current)
    ):
        context = None
    if context is None:
        incoming = diagram.in_edges(current)
        context = (incoming[0].source, incoming[0].port) if incoming else None
    if direction == "right":
        branches = _branches(scene, current)
        if not branches:
            return current
        port, target = branches[0]
        return _go(scene, target, (current, port))
    if direction == "left":
        if context is None:
            return current
        parent = context[0]
        incoming = diagram.in_edges(parent)
        return _go(scene, parent, (incoming[0].source, incoming[0].port) if incoming else None)
    if direction in ("up", "down") and context is not None:
        parent, port = context
        branches = _branches(scene, parent)
        ports = [p for p, _ in branches]
        if port not in ports:
            return current
        i = ports.index(port) + (-1 if direction == "up" else 1)
        if 0 <= i < len(branches):
            return _go(scene, branches[i][1], (parent, branches[i][0]))
    return current


def _go(scene: CampaignScene, node_id: str, context: tuple[str, str] | None) -> str:
    scene.select_nodes([node_id])
    scene.walk_context = context
    item = scene.nodes.get(node_id)
    if item is not None:
        for view in scene.views():
            view.ensureVisible(item.scene_card_rect(), 60, 60)
    return node_id
