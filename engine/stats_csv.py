"""Campaign statistics as CSV for spreadsheets: every cell formula-safe (engine.csv_safe) and
each node named by its label (the marketer's name for it, else what it does), its id kept
in a second column so the figures can still be joined to the diagram."""

from __future__ import annotations

from typing import IO, Any

from engine.catalog import CATALOG
from engine.csv_safe import safe_writer
from engine.diagram import Diagram, Node

NODE_COLUMNS = ("entered", "waiting", "converted", "exited", "failed", "sent", "suppressed",
                "opened", "clicked", "bounced", "unsubscribed")  # fmt: skip


def node_label(node: Node) -> str:
    """The label a marketer gave the node, else its one-line description."""
    if node.label:
        return node.label
    spec = CATALOG.get(node.type)
    try:
        return spec.describe(node.params) if spec is not None else node.id
    except Exception:  # a malformed parameter must not break an export
        return spec.title if spec is not None else node.id


def write_stats_csv(document: dict[str, Any], diagram: Diagram | None, out: IO[str],
                    columns: tuple[str, ...] = NODE_COLUMNS) -> None:  # fmt: skip
    """Three tables one after another, each with its header: nodes, edges, days."""
    labels = {n.id: node_label(n) for n in diagram.nodes.values()} if diagram else {}
    writer = safe_writer(out, lineterminator="\n")
    writer.writerow(["node", "node id", *columns, "ports"])
    for node_id, figures in document["nodes"].items():
        ports = ";".join(f"{p}={n}" for p, n in (figures.get("ports") or {}).items())
        writer.writerow([labels.get(node_id, node_id), node_id,
                         *(figures.get(k, "") for k in columns), ports])  # fmt: skip
    writer.writerow([])
    writer.writerow(["from", "from id", "port", "contacts"])
    for key, count in (document.get("campaign", {}).get("edges") or {}).items():
        source, _, port = key.rpartition(".")
        writer.writerow([labels.get(source, source), source, port, count])
    writer.writerow([])
    days = document.get("campaign", {}).get("days") or []
    names = ["date", "entered", "sent", "opened", "clicked", "converted"]
    writer.writerow(names)
    for day in days:
        writer.writerow([day.get(c, "") for c in names])
