"""Undo commands change only the model, undo exactly, and keep ids and snapshots, not items."""

from __future__ import annotations

from canvas_helpers import load_sample, saved, small_diagram
from PySide6.QtGui import QUndoStack

from designer import commands
from engine.diagram import Annotation, Edge, Node


def test_add_node_keeps_a_snapshot_so_later_edits_do_not_leak_into_redo(qtbot):
    diagram, stack = small_diagram(), QUndoStack()
    node = Node("extra", "wait.delay", {"duration": "P1D"}, (100, 300))
    stack.push(commands.AddNode(diagram, node))
    node.params["duration"] = "P9D"  # the caller's object is not the model's
    assert diagram.nodes["extra"].params == {"duration": "P1D"}
    diagram.nodes["extra"].params["duration"] = "P5D"
    stack.undo()
    assert "extra" not in diagram.nodes
    stack.redo()
    assert diagram.nodes["extra"].params == {"duration": "P1D"}


def test_removing_nodes_removes_their_edges_and_undo_restores_the_exact_file(qtbot):
    diagram, stack = load_sample("win_back"), QUndoStack()
    before = saved(diagram)
    order_before = list(diagram.nodes)
    stack.push(commands.RemoveItems(diagram, ["wait_a", "ab"], [Edge("won", "thanks", "out")]))
    assert "ab" not in diagram.nodes and "wait_a" not in diagram.nodes
    assert not [e for e in diagram.edges if {"ab", "wait_a"} & {e.source, e.target}]
    assert Edge("won", "thanks", "out") not in diagram.edges
    stack.undo()
    assert saved(diagram) == before
    assert list(diagram.nodes) == order_before
    stack.redo()
    stack.undo()
    assert saved(diagram) == before


def test_remove_annotations_restores_their_order(qtbot):
    diagram, stack = small_diagram(), QUndoStack()
    for name in ("a", "b", "c"):
        diagram.annotations[name] = Annotation(name, "note", name.upper(), (0, 0, 100, 60))
    stack.push(commands.RemoveItems(diagram, annotation_ids=["b"]))
    assert list(diagram.annotations) == ["a", "c"]
    stack.undo()
    assert list(diagram.annotations) == ["a", "b", "c"]


def test_connect_disconnect_and_reconnect_undo(qtbot):
    diagram, stack = small_diagram(), QUndoStack()
    before = saved(diagram)
    stack.push(commands.Connect(diagram, Edge("nudge", "done", "out")))
    assert Edge("nudge", "done", "out") in diagram.edges
    stack.push(commands.Disconnect(diagram, Edge("hello", "check", "out")))
    stack.push(commands.Reconnect(diagram, Edge("check", "thanks", "yes"),
                                  Edge("check", "done", "yes")))  # fmt: skip
    assert diagram.edge_from("check", "yes").target == "done"
    for _ in range(3):
        stack.undo()
    assert saved(diagram) == before
    assert diagram.edges[1] == Edge("hello", "check", "out")  # back in its place


def test_keyboard_nudges_merge_into_one_step_but_drags_do_not(qtbot):
    diagram, stack = small_diagram(), QUndoStack()
    for _ in range(3):
        x, y = diagram.nodes["hello"].position
        stack.push(commands.MoveNodes(diagram, {"hello": ((x, y), (x + 20, y))}, merge=True))
    assert stack.count() == 1
    assert diagram.nodes["hello"].position == (300, 0)
    stack.push(commands.MoveNodes(diagram, {"hello": ((300, 0), (300, 40))}))
    stack.push(commands.MoveNodes(diagram, {"hello": ((300, 40), (300, 80))}))
    assert stack.count() == 3
    stack.undo()
    stack.undo()
    stack.undo()
    assert diagram.nodes["hello"].position == (240, 0)


def test_set_params_on_a_split_that_loses_a_branch_restores_its_edge_on_undo(qtbot):
    diagram, stack = load_sample("win_back"), QUndoStack()
    before = saved(diagram)
    stack.push(commands.SetParams(diagram, "ab", {"branches": [{"port": "A", "percent": 100}]}))
    assert diagram.edge_from("ab", "B") is None
    stack.undo()
    assert saved(diagram) == before
    stack.redo()
    assert diagram.edge_from("ab", "B") is None


def test_typing_into_one_field_merges_parameter_edits(qtbot):
    diagram, stack = small_diagram(), QUndoStack()
    for text in ("w", "we", "wel"):
        stack.push(commands.SetParams(diagram, "hello", {"template": text}, merge=True))
    stack.push(commands.SetParams(diagram, "nudge", {"template": "x"}, merge=True))
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert diagram.nodes["hello"].params == {"template": "welcome"}


def test_label_settings_and_name(qtbot):
    diagram, stack = small_diagram(), QUndoStack()
    stack.push(commands.SetLabel(diagram, "hello", "Welcome mail"))
    stack.push(commands.SetSettings(diagram, {"timezone": "Europe/Paris"}))
    stack.push(commands.SetName(diagram, "Renamed"))
    assert '"label": "Welcome mail"' in saved(diagram)
    assert diagram.settings == {"timezone": "Europe/Paris"} and diagram.name == "Renamed"
    for _ in range(3):
        stack.undo()
    assert diagram.nodes["hello"].label is None
    assert diagram.settings == {} and diagram.name == "Small"


def test_annotation_commands(qtbot):
    diagram, stack = small_diagram(), QUndoStack()
    stack.push(commands.AddAnnotation(diagram, Annotation("n", "note", "Hi", (0, 0, 100, 60))))
    stack.push(commands.UpdateAnnotation(diagram, "n", merge=True, text="Hi t"))
    stack.push(commands.UpdateAnnotation(diagram, "n", merge=True, text="Hi there"))
    assert stack.count() == 2
    assert '"text": "Hi there"' in saved(diagram)
    stack.undo()
    assert diagram.annotations["n"].text == "Hi"
    stack.undo()
    assert "annotations" not in saved(diagram)


def test_add_items_is_one_step(qtbot):
    diagram, stack = small_diagram(), QUndoStack()
    before = saved(diagram)
    node = Node("more", "exit", {}, (1200, 0))
    stack.push(commands.AddItems(diagram, [node], [Edge("nudge", "more", "out")],
                                 [Annotation("note", "note", "x", (0, 0, 50, 50))]))  # fmt: skip
    assert diagram.edge_from("nudge", "out") == Edge("nudge", "more", "out")
    stack.undo()
    assert saved(diagram) == before


def test_layout_command_records_only_real_moves(qtbot):
    diagram, stack = small_diagram(), QUndoStack()
    command = commands.Layout(diagram, {"hello": (240, 0), "check": (500, 20)}, "Align")
    assert set(command.moves) == {"check"}
    stack.push(command)
    assert stack.undoText() == "Align"
    stack.undo()
    assert diagram.nodes["check"].position == (480, 0)
