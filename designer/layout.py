"""Node placement: left-to-right layered auto-layout (networkx), align, distribute, free spots.

Pure functions from the model (and node heights) to positions; the scene pushes the
result as one Layout command so it undoes in one step.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from designer.items.port_item import NODE_MIN_HEIGHT, NODE_WIDTH, port_layout
from engine.catalog import CATALOG
from engine.diagram import Diagram

LAYER_GAP = 80.0  # horizontal space between columns, for edges and port names
ROW_GAP = 40.0
GRID = 20
Rect = tuple[float, float, float, float]


def _snap(value: float) -> float:
    return round(value / GRID) * GRID


def _port_rank(diagram: Diagram, source: str, port: str) -> float:
    """Where a port sits among its node's outputs, 0..1 (yes above no, A above B)."""
    node = diagram.nodes[source]
    spec = CATALOG.get(node.type)
    ports = spec.port_names(node.params) if spec else []
    if port not in ports or len(ports) < 2:
        return 0.5
    return ports.index(port) / (len(ports) - 1)


def layered_positions(
    diagram: Diagram, heights: dict[str, float] | None = None, node_ids: Iterable[str] | None = None
) -> dict[str, tuple[float, float]]:
    """Top-left positions for a left-to-right layered drawing of the (chosen) nodes.

    Layers are longest paths from the entry nodes (back edges of loops ignored); within a
    layer nodes are ordered by the barycentre of their neighbours, then each node is placed
    level with the ports that feed it, pushed down only as far as needed to avoid overlaps.
    """
    heights = heights or {}
    chosen = [n for n in diagram.nodes if node_ids is None or n in set(node_ids)]
    if not chosen:
        return {}
    chosen_set = set(chosen)
    graph = nx.DiGraph()
    graph.add_nodes_from(chosen)
    for edge in diagram.edges:
        if edge.source in chosen_set and edge.target in chosen_set and edge.source != edge.target:
            graph.add_edge(edge.source, edge.target, port=edge.port)
    xs = [diagram.nodes[n].position[0] for n in chosen]
    ys = [diagram.nodes[n].position[1] for n in chosen]
    left, top = _snap(min(xs)), _snap(min(ys))
    # Separate flows (a goal's follow-up, a second trigger's journey) are stacked, the
    # ones with triggers first, rather than interleaved column by column.
    order_of = {n: i for i, n in enumerate(chosen)}
    components = sorted(
        (sorted(c, key=order_of.__getitem__) for c in nx.weakly_connected_components(graph)),
        key=lambda c: (
            not any(diagram.nodes[n].type.startswith("trigger.") for n in c),
            order_of[c[0]],
        ),
    )
    positions: dict[str, tuple[float, float]] = {}
    for component in components:
        placed = _layout_component(
            diagram, graph.subgraph(component), component, heights, left, top
        )
        positions.update(placed)
        bottom = max(y + heights.get(n, NODE_MIN_HEIGHT) for n, (_x, y) in placed.items())
        top = _snap(bottom + ROW_GAP * 2)
    return positions


def _layout_component(
    diagram: Diagram,
    graph: nx.DiGraph,
    chosen: list[str],
    heights: dict[str, float],
    left: float,
    top: float,
) -> dict[str, tuple[float, float]]:
    dag = _without_back_edges(diagram, graph, chosen)
    layer: dict[str, int] = {}
    for node_id in nx.topological_sort(dag):  # longest path from the entry nodes
        layer[node_id] = max((layer[p] + 1 for p in dag.predecessors(node_id)), default=0)
    columns: dict[int, list[str]] = {}
    for node_id in chosen:  # document order as the first guess
        columns.setdefault(layer[node_id], []).append(node_id)
    order = _order_by_barycentre(diagram, dag, columns)
    positions: dict[str, tuple[float, float]] = {}
    for column in sorted(order):
        x = left + column * (NODE_WIDTH + LAYER_GAP)
        bottom = None
        for node_id in order[column]:
            height = heights.get(node_id, NODE_MIN_HEIGHT)
            wanted = _wanted_y(diagram, dag, node_id, positions, heights)
            y = top if wanted is None else max(top, wanted)
            if bottom is not None:
                y = max(y, bottom + ROW_GAP)
            y = _snap(y)
            if bottom is not None and y < bottom + ROW_GAP:
                y += GRID
            positions[node_id] = (x, y)
            bottom = y + height
    return positions


def _without_back_edges(diagram: Diagram, graph: nx.DiGraph, chosen: list[str]) -> nx.DiGraph:
    """The graph minus the edges that close loops, found by DFS from the entry nodes."""
    dag = graph.copy()
    roots = [n for n in chosen if graph.in_degree(n) == 0] + chosen
    state: dict[str, int] = {}
    for root in roots:
        if root in state:
            continue
        stack = [(root, iter(list(graph.successors(root))))]
        state[root] = 1
        while stack:
            node_id, successors = stack[-1]
            for succ in successors:
                if state.get(succ) == 1:
                    if dag.has_edge(node_id, succ):
                        dag.remove_edge(node_id, succ)
                elif succ not in state:
                    state[succ] = 1
                    stack.append((succ, iter(list(graph.successors(succ)))))
                    break
            else:
                state[node_id] = 2
                stack.pop()
    return dag


def _order_by_barycentre(
    diagram: Diagram, dag: nx.DiGraph, columns: dict[int, list[str]]
) -> dict[int, list[str]]:
    order = {c: list(nodes) for c, nodes in columns.items()}
    keys = sorted(order)
    for _ in range(4):
        for c in keys[1:]:  # sweep right: follow the predecessors (and their ports)
            index = {n: i for i, n in enumerate(order[c - 1])} if c - 1 in order else {}
            order[c].sort(key=lambda n: _bary(diagram, dag, n, index, True))
        for c in reversed(keys[:-1]):  # sweep left: follow the successors
            index = {n: i for i, n in enumerate(order[c + 1])} if c + 1 in order else {}
            order[c].sort(key=lambda n: _bary(diagram, dag, n, index, False))
    return order


def _bary(
    diagram: Diagram, dag: nx.DiGraph, node_id: str, index: dict[str, int], forward: bool
) -> float:
    values = []
    if forward:
        for pred in dag.predecessors(node_id):
            if pred in index:
                port = dag.edges[pred, node_id]["port"]
                values.append(index[pred] + 0.9 * _port_rank(diagram, pred, port))
    else:
        for succ in dag.successors(node_id):
            if succ in index:
                values.append(index[succ])
    if not values:
        return float("inf") if not forward else 1e9
    return sum(values) / len(values)


def _wanted_y(
    diagram: Diagram,
    dag: nx.DiGraph,
    node_id: str,
    positions: dict[str, tuple[float, float]],
    heights: dict[str, float],
) -> float | None:
    """The y that puts a node's input level with the ports feeding it."""
    ys = []
    for pred in dag.predecessors(node_id):
        if pred in positions:
            node = diagram.nodes[pred]
            port = dag.edges[pred, node_id]["port"]
            port_y = port_layout(node.type, node.params).output_pos(port).y()
            ys.append(positions[pred][1] + port_y)
    if not ys:
        return None
    return sum(ys) / len(ys) - heights.get(node_id, NODE_MIN_HEIGHT) / 2


def align(rects: dict[str, Rect], how: str) -> dict[str, tuple[float, float]]:
    """Align card rects: left, right, top, bottom, hcenter (same x centre), vcenter."""
    out = {}
    if how == "left":
        x = min(r[0] for r in rects.values())
        out = {k: (x, r[1]) for k, r in rects.items()}
    elif how == "right":
        x = max(r[0] + r[2] for r in rects.values())
        out = {k: (x - r[2], r[1]) for k, r in rects.items()}
    elif how == "top":
        y = min(r[1] for r in rects.values())
        out = {k: (r[0], y) for k, r in rects.items()}
    elif how == "bottom":
        y = max(r[1] + r[3] for r in rects.values())
        out = {k: (r[0], y - r[3]) for k, r in rects.items()}
    elif how == "hcenter":
        cx = sum(r[0] + r[2] / 2 for r in rects.values()) / len(rects)
        out = {k: (cx - r[2] / 2, r[1]) for k, r in rects.items()}
    elif how == "vcenter":
        cy = sum(r[1] + r[3] / 2 for r in rects.values()) / len(rects)
        out = {k: (r[0], cy - r[3] / 2) for k, r in rects.items()}
    else:
        raise ValueError(f"unknown alignment {how!r}")
    return {k: (round(x, 2), round(y, 2)) for k, (x, y) in out.items()}


def distribute(rects: dict[str, Rect], axis: str) -> dict[str, tuple[float, float]]:
    """Equal gaps between cards along 'horizontal' or 'vertical', ends kept in place."""
    if axis not in ("horizontal", "vertical"):
        raise ValueError(f"unknown axis {axis!r}")
    i = 0 if axis == "horizontal" else 1
    items = sorted(rects.items(), key=lambda kv: kv[1][i])
    first, last = items[0][1], items[-1][1]
    span = last[i] + last[i + 2] - first[i]
    gap = (span - sum(r[i + 2] for _, r in items)) / (len(items) - 1)
    out, cursor = {}, first[i]
    for key, r in items:
        out[key] = (round(cursor, 2), r[1]) if i == 0 else (r[0], round(cursor, 2))
        cursor += r[i + 2] + gap
    return out


def free_spot(
    diagram: Diagram, position: tuple[float, float], height: float = NODE_MIN_HEIGHT
) -> tuple[float, float]:
    """`position`, or the first spot below it where a new card overlaps no node."""
    x, y = position
    for _ in range(200):
        clash = any(
            abs(n.position[0] - x) < NODE_WIDTH + 20 and abs(n.position[1] - y) < height + 20
            for n in diagram.nodes.values()
        )
        if not clash:
            return (x, y)
        y += _snap(height + ROW_GAP)
    return (x, y)
