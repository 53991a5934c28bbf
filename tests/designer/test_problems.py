"""Live validation in the problems list: it follows the model, marks the nodes on the
canvas, and clicking a problem selects and centres its node."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from designer.commands import Connect, SetParams
from designer.editor import CampaignEditor
from designer.problems import ProblemsList
from engine.diagram import Diagram, Edge, Node
from engine.validation import ValidationContext

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "campaigns"


def rows(problems: ProblemsList) -> list[tuple[str, str]]:
    tree = problems.tree
    return [
        (tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1))
        for i in range(tree.topLevelItemCount())
    ]


def small_diagram() -> Diagram:
    diagram = Diagram("Small")
    diagram.nodes["start"] = Node("start", "trigger.event", {"event": "signup"}, (0, 0))
    diagram.nodes["pause"] = Node("pause", "wait.delay", {"duration": "P1D"}, (2000, 1400))
    return diagram


@pytest.fixture
def editor(qtbot):
    widget = CampaignEditor()
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_diagram(small_diagram())
    return widget


def test_lists_problems_with_node_and_message(editor):
    found = rows(editor.problems)
    # Steps by the names users see, problems in plain sentences (no ids, no port names).
    assert ("Event", "nothing is connected after this step") in found
    assert ("Delay", "no trigger reaches this node") in found
    assert editor.problems.summary.text().startswith("2 errors")
    assert not editor.problems.tree.topLevelItem(0).icon(0).isNull()


def test_follows_model_changes_after_a_short_pause(editor, qtbot):
    editor.undo_stack.push(Connect(editor.diagram, Edge("start", "pause")))
    qtbot.waitUntil(lambda: rows(editor.problems) == [])
    assert "No problems" in editor.problems.summary.text()
    assert editor.problems.all_clear.isVisibleTo(editor.problems)
    assert not editor.problems.tree.isVisibleTo(editor.problems)
    editor.undo_stack.undo()
    qtbot.waitUntil(lambda: len(rows(editor.problems)) == 2)


def test_many_changes_in_a_burst_validate_once(editor, qtbot):
    runs = []
    editor.problems.problemsChanged.connect(runs.append)
    for days in range(2, 12):
        editor.undo_stack.push(SetParams(editor.diagram, "pause", {"duration": f"P{days}D"}))
    assert runs == []  # nothing yet: debounced
    qtbot.waitUntil(lambda: len(runs) == 1)
    qtbot.wait(10)
    assert len(runs) == 1


def test_problems_are_marked_on_the_canvas(editor, qtbot):
    editor.problems.refresh()
    assert [p.message for p in editor.scene.nodes["pause"].problems] == [
        "no trigger reaches this node"
    ]
    editor.undo_stack.push(Connect(editor.diagram, Edge("start", "pause")))
    editor.problems.refresh()
    assert editor.scene.nodes["pause"].problems == []


def test_clicking_a_problem_selects_and_centres_the_node(editor, qtbot):
    tree = editor.problems.tree
    item = editor.problems.row_of("pause")
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.scene.selected_node_ids() == ["pause"]
    assert editor.inspector.node_id == "pause"
    card = editor.scene.nodes["pause"].scene_card_rect()
    visible = editor.view.visible_scene_rect()
    assert visible.contains(card)
    assert abs(visible.center().x() - card.center().x()) < 40
    assert abs(visible.center().y() - card.center().y()) < 40


def test_campaign_wide_problems_name_no_node(editor, qtbot):
    editor.set_diagram(Diagram("Empty"))
    assert rows(editor.problems)[0][0] == "campaign"
    tree = editor.problems.tree
    rect = tree.visualItemRect(tree.topLevelItem(0))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.scene.selected_node_ids() == []


def test_context_adds_database_checks(qtbot):
    editor = CampaignEditor()
    qtbot.addWidget(editor)
    editor.open_file(SAMPLES / "win_back.campaign.json")
    assert rows(editor.problems) == []
    editor.set_context(ValidationContext(templates={}, segments=set()))
    messages = [message for _node, message in rows(editor.problems)]
    assert "template 'winback-discount' does not exist" in messages


def test_the_inspector_lists_the_selected_nodes_problems(editor, qtbot):
    editor.scene.select_nodes(["pause"])
    banner = editor.inspector.banner
    assert banner.isVisibleTo(editor.inspector)
    assert "no trigger reaches this node" in banner.text()
    editor.undo_stack.push(Connect(editor.diagram, Edge("start", "pause")))
    qtbot.waitUntil(lambda: not banner.isVisibleTo(editor.inspector))
    editor.scene.select_nodes([])
    assert not editor.inspector.banner.isVisibleTo(editor.inspector)


def test_clicking_a_problem_that_names_an_edge_selects_the_edge(editor, qtbot):
    diagram = Diagram("Loop")
    diagram.nodes["start"] = Node("start", "trigger.event", {"event": "signup"}, (0, 0))
    diagram.nodes["pause"] = Node("pause", "wait.delay", {"duration": "P1D"}, (400, 0))
    diagram.edges.append(Edge("start", "pause"))
    diagram.edges.append(Edge("pause", "start"))  # into a trigger: an error naming the edge
    editor.set_diagram(diagram)
    tree = editor.problems.tree
    row = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if "connects into the trigger" in tree.topLevelItem(i).text(1)
    )
    rect = tree.visualItemRect(row)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.scene.selected_edges() == [Edge("pause", "start")]
    assert editor.scene.selected_node_ids() == []
    # Delete removes the edge the problem named, and the problem goes away.
    editor.view.setFocus()
    editor.delete_selection()
    assert Edge("pause", "start") not in editor.diagram.edges
    editor.problems.refresh()
    assert not any("connects into trigger" in m for _n, m in rows(editor.problems))
