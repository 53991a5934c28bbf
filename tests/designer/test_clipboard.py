"""Copy, cut, paste and duplicate through the system clipboard, across campaigns."""

from __future__ import annotations

import json

from canvas_helpers import load_sample, saved, small_diagram
from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication, QUndoStack

from designer import clipboard
from designer.scene import CampaignScene
from engine import fileformat
from engine.diagram import Edge


def test_copy_puts_a_campaign_fragment_on_the_clipboard(qtbot):
    scene = CampaignScene(load_sample("win_back"), QUndoStack())
    scene.select_nodes(["offer_a", "wait_a"])
    assert clipboard.copy_selection(scene)
    text = QGuiApplication.clipboard().text()
    data = json.loads(text)
    assert data["format"] == fileformat.FORMAT
    assert [n["id"] for n in data["nodes"]] == ["offer_a", "wait_a"]
    # only edges inside the selection travel with it
    assert data["edges"] == [{"from": "offer_a", "to": "wait_a"}]
    assert clipboard.clipboard_text() == text


def test_paste_into_another_campaign_gives_fresh_ids_and_repoints_references(qtbot):
    source = CampaignScene(load_sample("win_back"), QUndoStack())
    target_diagram = load_sample("win_back")  # same ids: every pasted id must change
    target = CampaignScene(target_diagram, QUndoStack())
    before = saved(target_diagram)
    source.select_nodes(["offer_a", "wait_a"])
    clipboard.copy_selection(source)
    new_ids = clipboard.paste(target)
    assert new_ids == ["offer_a_2", "wait_a_2"]
    assert target.selected_node_ids() == new_ids
    pasted = target_diagram.nodes["wait_a_2"]
    assert pasted.params["node"] == "offer_a_2"  # "wait for a click on *this* email"
    assert Edge("offer_a_2", "wait_a_2", "out") in target_diagram.edges
    assert pasted.position == (720 + 40, -120 + 40)
    assert target.undo_stack.count() == 1
    # pasting again steps further instead of stacking on the first copy
    again = clipboard.paste(target)
    assert target_diagram.nodes[again[0]].position == (480 + 80, -120 + 80)
    target.undo_stack.undo()
    target.undo_stack.undo()
    assert saved(target_diagram) == before
    # the source campaign is untouched
    assert source.undo_stack.count() == 0


def test_paste_at_a_point_and_references_outside_the_fragment_stay(qtbot):
    source = CampaignScene(load_sample("win_back"), QUndoStack())
    target = CampaignScene(small_diagram(), QUndoStack())
    source.select_nodes(["wait_b"])
    clipboard.copy_selection(source)
    (new,) = clipboard.paste(target, at=QPointF(1003, 497))
    node = target.diagram.nodes[new]
    assert new == "wait_b"  # free in this campaign: kept
    assert node.position == (1000, 500)
    assert node.params["node"] == "offer_b"  # not pasted along: left for validation to flag
    assert fileformat.loads(saved(target.diagram))[0].nodes[new].type == "wait.for_event"


def test_cut_then_undo_restores(qtbot):
    diagram = small_diagram()
    scene = CampaignScene(diagram, QUndoStack())
    before = saved(diagram)
    scene.select_nodes(["check"])
    assert clipboard.cut_selection(scene)
    assert "check" not in diagram.nodes
    assert scene.undo_stack.undoText() == "Cut"
    scene.undo_stack.undo()
    assert saved(diagram) == before
    # and what was cut pastes back
    scene.select_nodes([])
    assert clipboard.paste(scene) == ["check_2"]


def test_duplicate_leaves_the_clipboard_alone(qtbot):
    QGuiApplication.clipboard().setText("hello")
    diagram = small_diagram()
    scene = CampaignScene(diagram, QUndoStack())
    scene.select_nodes(["hello", "check"])
    new = clipboard.duplicate(scene)
    assert new == ["hello_2", "check_2"]
    assert Edge("hello_2", "check_2", "out") in diagram.edges
    assert QGuiApplication.clipboard().text() == "hello"
    assert clipboard.paste(scene) == []  # plain text is not a fragment: nothing happens


def test_notes_travel_with_the_selection(qtbot):
    from engine.diagram import Annotation

    diagram = small_diagram()
    diagram.annotations["note"] = Annotation("note", "note", "Why this wait", (0, 200, 160, 80))
    scene = CampaignScene(diagram, QUndoStack())
    scene.select_nodes(["hello"], ["note"])
    clipboard.copy_selection(scene)
    other = CampaignScene(small_diagram(), QUndoStack())
    clipboard.paste(other)
    assert [a.text for a in other.diagram.annotations.values()] == ["Why this wait"]
    assert "note" in other.annotations
