"""Shared helpers for the canvas tests: a shown view on a sample campaign, and real mouse drags."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest

from designer.scene import CampaignScene
from designer.view import CampaignView
from engine import fileformat
from engine.diagram import Diagram, Edge, Node

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "campaigns"


def load_sample(name: str = "win_back") -> Diagram:
    diagram, _problems = fileformat.load(SAMPLES / f"{name}.campaign.json")
    return diagram


def small_diagram() -> Diagram:
    """trigger → email → wait, plus a condition with yes/no, a loose exit and a loose tag."""
    d = Diagram("Small")
    d.nodes = {
        "start": Node("start", "trigger.segment_entry", {"segment": "new"}, (0, 0)),
        "hello": Node("hello", "action.send_email", {"template": "welcome"}, (240, 0)),
        "check": Node("check", "condition.event", {"event": "email_opened"}, (480, 0)),
        "thanks": Node("thanks", "action.tag", {"add": ["engaged"]}, (720, -120)),
        "nudge": Node("nudge", "action.send_sms", {"template": "nudge"}, (720, 120)),
        "done": Node("done", "exit", {}, (960, 0)),
    }
    d.edges = [
        Edge("start", "hello", "out"),
        Edge("hello", "check", "out"),
        Edge("check", "thanks", "yes"),
        Edge("check", "nudge", "no"),
    ]
    return d


def make_view(qtbot, diagram: Diagram | None = None) -> tuple[CampaignScene, CampaignView]:
    """A shown 1200×800 view at 100% zoom, looking at the diagram's top-left area."""
    diagram = diagram if diagram is not None else small_diagram()
    scene = CampaignScene(diagram, QUndoStack())
    view = CampaignView(scene)
    qtbot.addWidget(view)
    # qtbot holds widgets weakly: without a strong reference the cyclic garbage collector
    # may free the view (and its scene) in the middle of a repaint after the test returns.
    qtbot.canvas_keep_alive = (scene, view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.resetTransform()
    content = scene.content_rect()
    view.centerOn(content.center())
    return scene, view


def vp(view: CampaignView, scene_pos: QPointF | tuple[float, float]) -> QPoint:
    if isinstance(scene_pos, tuple):
        scene_pos = QPointF(*scene_pos)
    return view.mapFromScene(scene_pos)


def drag(view: CampaignView, start, end, modifiers=Qt.KeyboardModifier.NoModifier,
         button=Qt.MouseButton.LeftButton, steps: int = 6) -> None:  # fmt: skip
    """Press at `start`, move in steps, release at `end` (scene coordinates), as a user would."""
    a, b = vp(view, start), vp(view, end)
    viewport = view.viewport()
    QTest.mousePress(viewport, button, modifiers, a)
    for i in range(1, steps + 1):
        p = QPoint(a.x() + (b.x() - a.x()) * i // steps, a.y() + (b.y() - a.y()) * i // steps)
        QTest.mouseMove(viewport, p)
    QTest.mouseRelease(viewport, button, modifiers, b)


def click(view: CampaignView, pos, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifiers, vp(view, pos))


def card_centre(scene: CampaignScene, node_id: str) -> QPointF:
    return scene.nodes[node_id].scene_card_rect().center()


def saved(diagram: Diagram) -> str:
    return fileformat.dumps(diagram)
