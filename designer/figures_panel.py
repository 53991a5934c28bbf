"""A node's figures at the top of the inspector while statistics are shown on the canvas:
how many entered, wait there now and left by each way out, so the lines add up."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from engine.catalog import CATALOG
from engine.diagram import Diagram
from engine.node_names import adds_up, node_names, ways_out

SEND_LINES = (("sent", "Messages sent"), ("failed", "Messages failed"),
              ("suppressed", "Not sent (unsubscribed, bounced, capped)"),
              ("opened", "Opened"), ("clicked", "Clicked"),
              ("unsubscribed", "Unsubscribed"), ("bounced", "Bounced"),
              ("soft_bounced", "Soft bounces"), ("complained", "Complained (spam)"))  # fmt: skip


def figures_html(diagram: Diagram, node_id: str, figures: dict[str, Any], forecast: bool) -> str:
    """The panel's text: one line per figure, the ways out indented under 'Entered'."""
    node = diagram.nodes.get(node_id)
    spec = CATALOG.get(node.type) if node else None
    is_send = bool(spec and spec.is_send)
    names = node_names(diagram)
    targets = {e.port: names.get(e.target, e.target) for e in diagram.edges if e.source == node_id}
    rows = ways_out(figures, targets, is_send)
    title = "Forecast for this step" if forecast else "Figures for this step"
    lines = [f"<b>{title}</b>", f"{rows[0][0]}: <b>{rows[0][1]:,}</b>"]
    for what, count in rows[1:]:
        if count or not what.startswith(("Jumped", "Left", "Failed")):
            lines.append(f"&nbsp;&nbsp;{escape(what)}: {count:,}")
    if not adds_up(figures, is_send):
        lines.append("<i>Some contacts moved while the figures were read; refresh.</i>")
    if is_send:
        lines.append("")
        for key, what in SEND_LINES:
            if key in figures:
                lines.append(f"{what}: {int(figures.get(key) or 0):,}")
        links = figures.get("links") or {}
        if links:  # tracked clicks per link, most clicked first
            lines.append("")
            lines.append("<b>Clicks per link</b> (people · clicks)")
            ranked = sorted(links.items(), key=lambda kv: (-kv[1]["contacts"], kv[0]))
            for url, count in ranked[:10]:
                shown = url if len(url) <= 60 else url[:57] + "…"
                lines.append(f"{escape(shown)}: {count['contacts']:,} · {count['clicks']:,}")
    return "<br>".join(lines)


class FiguresPanel(QLabel):
    """Shown above the inspector's form when the canvas shows figures for the selected node."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figuresPanel")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setMargin(10)
        self.hide()

    def show_figures(
        self, diagram: Diagram | None, node_id: str | None, nodes: dict | None, forecast: bool
    ) -> None:
        if diagram is None or node_id is None or not nodes or node_id not in diagram.nodes:
            self.hide()
            return
        figures = nodes.get(node_id) or {"entered": 0, "waiting": 0, "ports": {}}
        self.setText(figures_html(diagram, node_id, figures, forecast))
        self.show()
