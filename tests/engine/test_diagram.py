"""The Diagram model: every change has an inverse and announces itself."""

from __future__ import annotations

import pytest

from engine.diagram import Diagram, DiagramError, Edge, Node
from engine.fileformat import dumps


def _diagram() -> Diagram:
    d = Diagram("Model")
    d.add_node(Node("start", "trigger.manual", {"segment": "all"}))
    d.add_node(Node("split", "condition.split", {"branches": [
        {"port": "A", "percent": 50}, {"port": "B", "percent": 50}]}))  # fmt: skip
    d.add_node(Node("a", "exit"))
    d.add_node(Node("b", "exit"))
    d.add_edge(Edge("start", "split"))
    d.add_edge(Edge("split", "a", "A"))
    d.add_edge(Edge("split", "b", "B"))
    return d


def test_remove_node_takes_its_edges_and_returns_what_undo_needs():
    d = _diagram()
    before = dumps(d)
    removed_events = []
    d.edge_removed.sub(removed_events.append)
    node, index, edges = d.remove_node("split")
    assert "split" not in d.nodes and d.edges == []
    assert len(removed_events) == 3
    d.add_node(node, index)
    for edge in edges:
        d.add_edge(edge)
    assert dumps(d) == before


def test_one_edge_per_output_port_and_no_dangling_edges():
    d = _diagram()
    with pytest.raises(DiagramError, match="already connected"):
        d.add_edge(Edge("split", "b", "A"))
    with pytest.raises(DiagramError, match="missing node"):
        d.add_edge(Edge("split", "nowhere", "C"))
    with pytest.raises(DiagramError, match="duplicate"):
        d.add_node(Node("a", "exit"))


def test_removing_a_split_branch_removes_its_edge():
    d = _diagram()
    d.set_params("split", {"branches": [{"port": "A", "percent": 100}]})
    assert [e.port for e in d.out_edges("split")] == ["A"]


def test_new_id_is_fresh_and_readable():
    d = _diagram()
    assert d.new_id("action.send_email") == "send_email"
    d.add_node(Node("send_email", "action.send_email", {"template": "x"}))
    assert d.new_id("action.send_email") == "send_email_2"


def test_changed_event_fires_for_each_change():
    d = _diagram()
    seen = []
    d.changed.sub(lambda: seen.append(1))
    d.move_node("a", (10, 10))
    d.set_label("a", "Done")
    d.set_settings({"entry": "every_time"})
    assert len(seen) == 3
    assert d.nodes["a"].label == "Done"
