"""What users call a node: its label, else its type's title ("Send email"), numbered when
two nodes would read the same ("Send email 2") — never the file's internal id."""

from __future__ import annotations

from typing import Any

from engine.catalog import CATALOG

# Port names as sentences ("out" is simply "next").
PORT_WORDS = {"out": "next", "yes": "yes", "no": "no", "event": "event happened",
              "timeout": "timed out"}  # fmt: skip


def _nodes(diagram: Any) -> list[tuple[str, str, str | None]]:
    """(id, type, label) of each node, from a Diagram or a file-format dict."""
    nodes = diagram.get("nodes", []) if isinstance(diagram, dict) else diagram.nodes.values()
    out = []
    for node in nodes:
        if isinstance(node, dict):
            out.append((str(node.get("id")), str(node.get("type")), node.get("label")))
        else:
            out.append((node.id, node.type, node.label))
    return out


def node_names(diagram: Any) -> dict[str, str]:
    """{node id: the name users see} for every node of a Diagram or a campaign dict."""
    names: dict[str, str] = {}
    for node_id, type_name, label in _nodes(diagram):
        spec = CATALOG.get(type_name)
        names[node_id] = (label or "").strip() or (spec.title if spec else "Unknown step")
    seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    for node_id, name in names.items():
        if counts[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            names[node_id] = f"{name} {seen[name]}"
    return names


def port_words(port: str) -> str:
    """A port as users read it: 'next', 'yes', 'timed out', or a split's branch name."""
    return PORT_WORDS.get(port, port)


def ways_out(
    figures: dict[str, Any], targets: dict[str, str] | None = None, is_send: bool = False
) -> list[tuple[str, int]]:
    """A node's figures as (what, count) lines that add up: entered, then waiting here and
    every way out — each port (named by where it leads), to a goal, exited, failed.
    `targets`: {port: name of the node it leads to}; a port without one ended the journey."""
    targets = targets or {}
    rows = [("Entered", int(figures.get("entered") or 0)),
            ("Waiting here now", int(figures.get("waiting") or 0))]  # fmt: skip
    for port, count in (figures.get("ports") or {}).items():
        words = port_words(port)
        target = targets.get(port)
        if target:
            what = (
                f"Went on to “{target}”" if port == "out" else f"{words.capitalize()} → “{target}”"
            )
        else:
            what = (
                "Finished here"
                if port == "out"
                else f"{words.capitalize()} (not connected: finished)"
            )
        rows.append((what, int(count or 0)))
    rows.append(("Jumped to a goal", int(figures.get("converted") or 0)))
    rows.append(("Left the campaign (exit or stop)", int(figures.get("exited") or 0)))
    if not is_send:
        rows.append(("Failed here", int(figures.get("failed") or 0)))
    return rows


def adds_up(figures: dict[str, Any], is_send: bool = False) -> bool:
    """entered == waiting + every way out."""
    rows = ways_out(figures, is_send=is_send)
    return rows[0][1] == sum(n for _what, n in rows[1:])
