"""The inspector's figures for a send node show bounces, complaints and clicks per link."""

from __future__ import annotations

from designer.figures_panel import FiguresPanel, figures_html
from engine.diagram import Diagram, Edge, Node


def _diagram() -> Diagram:
    d = Diagram("Sale", {})
    d.nodes["start"] = Node("start", "trigger.manual", {"segment": "all"})
    d.nodes["hello"] = Node("hello", "action.send_email", {"subject": "Hi", "body": "x"})
    d.edges.append(Edge("start", "hello", "out"))
    return d


FIGURES = {
    "entered": 100, "waiting": 0, "ports": {"out": 100}, "converted": 0, "exited": 0,
    "failed": 2, "sent": 98, "suppressed": 0, "opened": 40, "clicked": 12, "unsubscribed": 1,
    "bounced": 3, "soft_bounced": 5, "complained": 1,
    "links": {"https://shop.example/sale?utm_source=campaign-studio": {"contacts": 9, "clicks": 15},
              "https://shop.example/<b>": {"contacts": 3, "clicks": 3}},
}  # fmt: skip


def test_send_node_figures_show_bounces_complaints_and_links(qtbot):
    text = figures_html(_diagram(), "hello", FIGURES, forecast=False)
    assert "Bounced: 3" in text and "Soft bounces: 5" in text and "Complained (spam): 1" in text
    assert text.index("shop.example/sale") < text.index("shop.example/&lt;b&gt;")  # escaped
    assert "9 · 15" in text
    panel = FiguresPanel()
    qtbot.addWidget(panel)
    panel.resize(320, 600)
    panel.show_figures(_diagram(), "hello", {"hello": FIGURES}, False)
    assert panel.isVisible() and "Clicks per link" in panel.text()
