"""File ▸ Export campaign: the open (or selected) campaign as a campaign file, GraphML, GEXF
or Graphviz DOT, through engine.graph_export (the same bytes as `campaigns export`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from engine.graph_export import EXTENSIONS, export_diagram

FILTERS = {
    "campaign": "Campaign file (*.campaign.json)",
    "graphml": "GraphML (*.graphml)",
    "gexf": "GEXF (*.gexf)",
    "dot": "Graphviz DOT (*.dot)",
}


def format_of(path: str, chosen_filter: str = "") -> tuple[str, str]:
    """(format, path with its extension) from the file name, else from the chosen filter."""
    for fmt, extension in EXTENSIONS.items():
        if path.lower().endswith(extension):
            return fmt, path
    fmt = next((f for f, text in FILTERS.items() if text == chosen_filter), "campaign")
    return fmt, path + EXTENSIONS[fmt]


def export_campaign(window: Any, path: str | None = None) -> Path | None:
    """Ask where (unless `path`), write the file, say so in the status bar."""
    page = window.campaign_page
    on_page = page is not None and window.stack.currentWidget() is page
    campaign_id = page.campaign_id if on_page else window.campaigns.selected_id()
    if campaign_id is None:
        window.statusBar().showMessage("Open or select a campaign to export it.", 6000)
        return None
    if on_page:
        diagram = page.diagram
    else:
        from engine.campaigns import load_diagram

        diagram = load_diagram(window.workspace.engine, campaign_id)
    chosen = ""
    if path is None:
        stem = re.sub(r"[^\w\- ]+", "", diagram.name).strip().replace(" ", "_") or "campaign"
        path, chosen = QFileDialog.getSaveFileName(
            window, "Export campaign", f"{stem}.campaign.json", ";;".join(FILTERS.values())
        )
        if not path:
            return None
    fmt, path = format_of(path, chosen)
    try:
        Path(path).write_bytes(export_diagram(diagram, fmt))
    except OSError as exc:
        window.statusBar().showMessage(f"Cannot export to {path}: {exc.strerror or exc}", 8000)
        return None
    window.statusBar().showMessage(f"Exported {Path(path).name}", 6000)
    return Path(path)
