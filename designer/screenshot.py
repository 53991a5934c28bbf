"""Render a campaign on the canvas to PNG, as the docs screenshots (light and dark), and
the whole editor (palette, canvas, inspector with a node selected) as editor.png.

python -m designer.screenshot [CAMPAIGN] [--out docs] [--width 1600 --height 900]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dress(diagram) -> None:
    """For the win-back sample: a sticky note and a group frame, as a user would add them.

    Only the in-memory copy is changed; the sample file stays as it is.
    """
    from engine.diagram import Annotation

    if {"won", "thanks", "notify"} <= set(diagram.nodes):
        x, y = diagram.nodes["won"].position
        diagram.annotations["followup"] = Annotation(
            "followup", "group", "When they come back", (x - 30, y - 50, 760, 140)
        )
    if "ab" in diagram.nodes:
        x, y = diagram.nodes["ab"].position
        diagram.annotations["why"] = Annotation(
            "why",
            "note",
            "Which subject line wins them back? Half get the discount, half the news.",
            (x - 10, y + 110, 200, 84),
        )


def render(
    campaign: Path, out: Path, theme_name: str, width: int, height: int, dress: bool = True
) -> Path:
    """Open `campaign` in a view of width×height, fit it, and save a PNG of the view."""
    from PySide6.QtGui import QUndoStack

    from designer.scene import CampaignScene
    from designer.theme import theme_named
    from designer.view import CampaignView
    from engine import fileformat

    diagram, _problems = fileformat.load(campaign, strict=False)
    if dress:
        _dress(diagram)
    scene = CampaignScene(diagram, QUndoStack(), theme=theme_named(theme_name))
    view = CampaignView(scene)
    view.resize(width, height)
    view.show()
    view.zoom_to_fit()
    path = out / f"canvas-{theme_name}.png"
    view.grab().save(str(path))
    view.close()
    scene.detach()
    return path


def render_editor(campaign: Path, out: Path, node: str = "start") -> Path:
    """The editor as a user sees it: the campaign open and one node's settings shown."""
    from PySide6.QtWidgets import QApplication

    from designer.editor import CampaignEditor

    editor = CampaignEditor()
    editor.resize(1640, 940)
    editor.show()
    editor.open_file(campaign)
    QApplication.processEvents()
    editor.view.zoom_to_fit()
    if node in editor.diagram.nodes:
        editor.scene.select_nodes([node])
    for _ in range(5):
        QApplication.processEvents()
    path = out / "editor.png"
    editor.grab().save(str(path))
    editor.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "campaign", nargs="?", default=str(ROOT / "resources/campaigns/win_back.campaign.json")
    )
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=760)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("light", "dark"):
        print(render(Path(args.campaign), out, name, args.width, args.height))
    print(render_editor(Path(args.campaign), out))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
