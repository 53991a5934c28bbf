"""A campaign diagram exported for other tools: the campaign file itself, GraphML, GEXF and
Graphviz DOT (`export_diagram`), and networkx's node-link JSON (`node_link`).

Every format keeps each node's type and label, its parameters as one JSON string (graph
formats hold only scalars), its position and each edge's port. Sticky notes and groups go
with the graph (a JSON string in GraphML; note nodes and clusters in DOT). A goal is reached
by its event, not by an edge: DOT draws that link dashed from an event marker.
"""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

from engine.diagram import Diagram

FORMATS = ("campaign", "graphml", "gexf", "dot")
EXTENSIONS = {"campaign": ".campaign.json", "graphml": ".graphml", "gexf": ".gexf", "dot": ".dot"}


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def node_link(diagram: Diagram) -> dict[str, Any]:
    """networkx's node-link data of the diagram (notes and groups in `graph.annotations`);
    `json.dumps` accepts it and `Diagram.from_networkx(nx.node_link_graph(...))` reads it."""
    return nx.node_link_data(diagram.to_networkx(), edges="edges")


def flat_graph(diagram: Diagram) -> nx.MultiDiGraph:
    """The diagram with scalar attributes only, as GraphML and GEXF need (key = port)."""
    graph = nx.MultiDiGraph()
    graph.graph["name"] = diagram.name
    graph.graph["settings"] = _json(diagram.settings)
    graph.graph["annotations"] = _json(
        [
            {"id": a.id, "kind": a.kind, "text": a.text, "rect": list(a.rect), "color": a.color}
            for a in diagram.annotations.values()
        ]
    )
    for node in diagram.nodes.values():
        graph.add_node(
            node.id,
            label=node.label or node.id,
            type=node.type,
            params=_json(node.params),
            x=float(node.position[0]),
            y=float(node.position[1]),
        )
    for edge in diagram.edges:
        graph.add_edge(edge.source, edge.target, key=edge.port, port=edge.port)
    return graph


def _graphml(diagram: Diagram) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(flat_graph(diagram), buffer, encoding="utf-8")
    return buffer.getvalue()


def _gexf(diagram: Diagram) -> bytes:
    graph = flat_graph(diagram)
    # GEXF keeps only the graph's mode: settings and notes do not fit in it.
    graph.graph = {"mode": "static"}
    for _node, data in graph.nodes(data=True):
        data["viz"] = {"position": {"x": data["x"], "y": -data["y"], "z": 0.0}}
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def _dot_id(text: str) -> str:
    """A DOT double-quoted string (any text: quotes, backslashes and line breaks escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n") + '"'


def _inside(rect: tuple[float, float, float, float], position: tuple[float, float]) -> bool:
    x, y, width, height = rect
    return x <= position[0] <= x + width and y <= position[1] <= y + height


def _dot(diagram: Diagram) -> bytes:
    lines = [
        f"digraph {_dot_id(diagram.name)} {{",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded"];',
        f"  label={_dot_id(diagram.name)};",
    ]
    grouped: set[str] = set()
    for annotation in diagram.annotations.values():
        if annotation.kind != "group":
            continue
        members = [
            n.id
            for n in diagram.nodes.values()
            if n.id not in grouped and _inside(annotation.rect, n.position)
        ]
        grouped.update(members)
        lines.append(f"  subgraph {_dot_id('cluster_' + annotation.id)} {{")
        lines.append(f"    label={_dot_id(annotation.text or annotation.id)}; style=dashed;")
        lines += [f"    {_dot_id(m)};" for m in members]
        lines.append("  }")
    for node in diagram.nodes.values():
        label = f"{node.label or node.id}\n{node.type}"
        x, y = float(node.position[0]), -float(node.position[1])
        attributes = [f"label={_dot_id(label)}", f"params={_dot_id(_json(node.params))}",
                      f'pos="{x:g},{y:g}"']  # fmt: skip
        if node.type == "goal":
            attributes.append("peripheries=2")
        lines.append(f"  {_dot_id(node.id)} [{', '.join(attributes)}];")
    for edge in diagram.edges:
        label = "" if edge.port == "out" else f", label={_dot_id(edge.port)}"
        lines.append(
            f"  {_dot_id(edge.source)} -> {_dot_id(edge.target)} "
            f"[port={_dot_id(edge.port)}{label}];"
        )
    for node in diagram.nodes.values():
        event = node.params.get("event") if node.type == "goal" else None
        if isinstance(event, str) and event:
            marker = _dot_id(f"event:{node.id}")
            lines.append(f"  {marker} [label={_dot_id(event)}, shape=plaintext];")
            lines.append(
                f"  {marker} -> {_dot_id(node.id)} [style=dashed, label={_dot_id('when')}];"
            )
    for annotation in diagram.annotations.values():
        if annotation.kind == "note":
            lines.append(
                f"  {_dot_id('note:' + annotation.id)} "
                f"[label={_dot_id(annotation.text)}, shape=note, style=filled, "
                f'fillcolor="#fef3c7"];'
            )
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def export_diagram(diagram: Diagram, fmt: str) -> bytes:
    """The diagram in `fmt` (one of FORMATS) as the bytes of a file."""
    if fmt == "campaign":
        from engine.fileformat import dumps

        return dumps(diagram).encode("utf-8")
    writers = {"graphml": _graphml, "gexf": _gexf, "dot": _dot}
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    return writers[fmt](diagram)
