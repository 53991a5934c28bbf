"""Auto-layout: left to right along the edges, no overlaps, one undo step; align, distribute."""

from __future__ import annotations

import random

from canvas_helpers import load_sample
from PySide6.QtGui import QUndoStack

from designer import layout
from designer.scene import CampaignScene
from engine.diagram import Diagram, Edge, Node


def _cards(scene: CampaignScene) -> dict:
    return {n: item.scene_card_rect() for n, item in scene.nodes.items()}


def _assert_no_overlap(cards: dict) -> None:
    names = list(cards)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not cards[a].intersects(cards[b]), (a, b)


def test_auto_layout_of_each_sample_is_left_to_right_without_overlaps(qtbot):
    for name in ("win_back", "welcome_series", "birthday"):
        diagram = load_sample(name)
        scene = CampaignScene(diagram, QUndoStack())
        scene.auto_layout()
        cards = _cards(scene)
        _assert_no_overlap(cards)
        for edge in diagram.edges:
            assert cards[edge.source].right() < cards[edge.target].left(), (name, edge)
        for node in diagram.nodes.values():
            assert node.position[0] % 20 == 0 and node.position[1] % 20 == 0
        assert scene.undo_stack.count() == 1


def test_auto_layout_puts_yes_above_no_and_undoes_in_one_step(qtbot):
    diagram = Diagram("Branches")
    diagram.nodes = {
        "t": Node("t", "trigger.event", {"event": "signup"}, (500, 500)),
        "c": Node("c", "condition.segment", {"segment": "vip"}, (0, 0)),
        "no": Node("no", "action.tag", {"add": ["x"]}, (0, 0)),
        "yes": Node("yes", "action.tag", {"add": ["y"]}, (0, 0)),
    }
    diagram.edges = [Edge("t", "c", "out"), Edge("c", "no", "no"), Edge("c", "yes", "yes")]
    stack = QUndoStack()
    scene = CampaignScene(diagram, stack)
    scene.auto_layout()
    assert diagram.nodes["yes"].position[1] < diagram.nodes["no"].position[1]
    assert diagram.nodes["t"].position[0] < diagram.nodes["c"].position[0]
    stack.undo()
    assert diagram.nodes["t"].position == (500, 500)
    assert diagram.nodes["yes"].position == (0, 0)


def test_loops_and_larger_random_graphs_lay_out(qtbot):
    rng = random.Random(3)
    diagram = Diagram("Random")
    diagram.nodes["n0"] = Node("n0", "trigger.event", {"event": "x"}, (0, 0))
    for i in range(1, 60):
        kind = rng.choice(["action.tag", "condition.segment"])
        diagram.nodes[f"n{i}"] = Node(f"n{i}", kind, {}, (0, 0))
    for i in range(1, 60):
        source = f"n{rng.randrange(0, i)}"
        node = diagram.nodes[source]
        ports = ["yes", "no"] if node.type == "condition.segment" else ["out"]
        free = [p for p in ports if diagram.edge_from(source, p) is None]
        if free:
            diagram.edges.append(Edge(source, f"n{i}", free[0]))
    diagram.edges.append(
        Edge("n59", "n1", "out" if diagram.nodes["n59"].type == "action.tag" else "yes")
    )  # a loop back
    scene = CampaignScene(diagram, QUndoStack())
    scene.auto_layout()
    cards = _cards(scene)
    _assert_no_overlap(cards)
    for edge in diagram.edges[:-1]:
        assert cards[edge.source].left() < cards[edge.target].left()


def test_align_and_distribute():
    rects = {"a": (0, 0, 180, 64), "b": (100, 200, 180, 84), "c": (500, 50, 180, 64)}
    assert layout.align(rects, "left") == {"a": (0, 0), "b": (0, 200), "c": (0, 50)}
    assert layout.align(rects, "top") == {"a": (0, 0), "b": (100, 0), "c": (500, 0)}
    assert layout.align(rects, "bottom")["a"] == (0, 220)
    assert layout.align(rects, "right")["a"] == (500, 0)
    centre = layout.align(rects, "vcenter")
    middles = {centre[k][1] + rects[k][3] / 2 for k in rects}
    assert len(middles) == 1
    spread = layout.distribute(rects, "horizontal")
    assert spread == {"a": (0, 0), "b": (250.0, 200), "c": (500, 50)}
    try:
        layout.align(rects, "diagonal")
    except ValueError as exc:
        assert "diagonal" in str(exc)
    else:
        raise AssertionError("an unknown alignment must be refused")


def test_free_spot_avoids_existing_nodes():
    diagram = Diagram("Spots")
    diagram.nodes["a"] = Node("a", "exit", {}, (200, 0))
    assert layout.free_spot(diagram, (200, 0)) != (200, 0)
    x, y = layout.free_spot(diagram, (200, 0))
    assert x == 200 and y >= 64 + 20
    assert layout.free_spot(diagram, (800, 0)) == (800, 0)


def test_separate_flows_are_stacked_with_the_trigger_flow_first(qtbot):
    diagram = load_sample("win_back")  # the goal's follow-up (won → thanks → notify) stands apart
    scene = CampaignScene(diagram, QUndoStack())
    scene.auto_layout()
    cards = _cards(scene)
    main = [n for n in diagram.nodes if n not in ("won", "thanks", "notify")]
    main_bottom = max(cards[n].bottom() for n in main)
    assert all(cards[n].top() > main_bottom for n in ("won", "thanks", "notify"))
    assert cards["won"].left() == cards["start"].left()
