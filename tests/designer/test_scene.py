"""The scene mirrors the Diagram: items follow model events; problems and statistics are data."""

from __future__ import annotations

from canvas_helpers import load_sample, make_view, saved, small_diagram
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QPainter, QUndoStack
from PySide6.QtTest import QTest

from designer import commands
from designer.items.port_item import INPUT, NODE_WIDTH
from designer.scene import CampaignScene
from designer.theme import DARK, LIGHT
from engine.diagram import Edge, Node
from engine.problems import Problem


def test_loading_a_sample_builds_one_item_per_node_and_edge_at_the_model_positions(qtbot):
    diagram = load_sample("win_back")
    scene = CampaignScene(diagram, QUndoStack())
    assert set(scene.nodes) == set(diagram.nodes)
    assert set(scene.edges) == set(diagram.edges)
    for node_id, node in diagram.nodes.items():
        assert scene.nodes[node_id].pos() == QPointF(*node.position)
    edge = Edge("ab", "offer_b", "B")
    item = scene.edges[edge]
    assert item.p1 == scene.nodes["ab"].port_scene_pos("B")
    assert item.p2 == scene.nodes["offer_b"].port_scene_pos(INPUT)
    # ports: the split's two branches are named, the trigger has no input
    assert scene.nodes["ab"].layout.outputs == ("A", "B")
    assert scene.nodes["ab"].layout.named
    assert not scene.nodes["start"].layout.has_input
    assert scene.nodes["offer_a"].summary == "Email: winback-discount"
    assert scene.nodes["offer_a"].title == "10% off"
    assert scene.nodes["sms"].title == "Last chance SMS"


def test_model_changes_through_commands_reach_the_items(qtbot):
    diagram = load_sample("win_back")
    stack = QUndoStack()
    scene = CampaignScene(diagram, stack)
    split = scene.nodes["ab"]
    height = split.card_rect().height()
    three = [{"port": "A", "percent": 40}, {"port": "B", "percent": 30},
             {"port": "C", "percent": 30}]  # fmt: skip
    stack.push(commands.SetParams(diagram, "ab", {"branches": three}))
    assert split.layout.outputs == ("A", "B", "C")
    assert split.card_rect().height() > height
    assert split.summary == "Split A 40% / B 30% / C 30%"
    # the edges follow the moved ports
    assert scene.edges[Edge("ab", "offer_b", "B")].p1 == split.port_scene_pos("B")
    stack.push(commands.SetLabel(diagram, "ab", None))
    assert split.title == "A/B split"
    stack.push(commands.MoveNodes(diagram, {"sms": ((960, 0), (1000, 40))}))
    assert scene.nodes["sms"].pos() == QPointF(1000, 40)
    assert scene.edges[Edge("wait_a", "sms", "timeout")].p2 == scene.nodes["sms"].port_scene_pos(
        INPUT
    )
    stack.push(commands.RemoveItems(diagram, ["sms"]))
    assert "sms" not in scene.nodes
    assert not [e for e in scene.edges if e.target == "sms"]
    stack.undo()
    assert scene.nodes["sms"].pos() == QPointF(1000, 40)
    assert Edge("wait_b", "sms", "timeout") in scene.edges
    assert scene.nodes["wait_b"].connected == {"event", "timeout", INPUT}


def test_problems_mark_nodes_and_clear(qtbot):
    scene = CampaignScene(small_diagram(), QUndoStack())
    scene.set_problems({
        "hello": [Problem("hello", "Template 'welcome' does not exist")],
        "done": [Problem("done", "Nothing leads here", "warning")],
    })  # fmt: skip
    assert [p.message for p in scene.nodes["hello"].problems] == [
        "Template 'welcome' does not exist"
    ]
    assert "does not exist" in scene.nodes["hello"].toolTip()
    assert "Nothing leads here" in scene.nodes["done"].toolTip()
    loop = Edge("check", "thanks", "yes")
    scene.set_problems({"check": [Problem("check", "This edge loops", edge=loop)]})
    assert scene.edges[loop].pen().color() == scene.theme.error
    assert scene.edges[Edge("check", "nudge", "no")].pen().color() == scene.theme.edge
    scene.set_problems({"done": [Problem("done", "Nothing leads here", "warning")]})
    assert scene.edges[loop].pen().color() == scene.theme.edge
    assert scene.nodes["hello"].problems == []
    assert "does not exist" not in scene.nodes["hello"].toolTip()
    assert scene.nodes["done"].problems


def test_statistics_are_shown_and_never_saved(qtbot):
    diagram = small_diagram()
    scene = CampaignScene(diagram, QUndoStack())
    before = saved(diagram)
    nodes = {
        "start": {"entered": 1000, "waiting": 0},
        "hello": {"entered": 1000, "waiting": 0, "sent": 950, "opened": 400},
        "check": {"entered": 950, "waiting": 300},
    }
    edges = {("start", "out"): 1000, ("check", "yes"): 400, ("check", "no"): 250}
    scene.set_statistics(nodes, edges, forecast=True)
    assert scene.nodes["hello"].stats["sent"] == 950
    assert scene.nodes["hello"].forecast
    assert scene.edges[Edge("check", "thanks", "yes")].label == "400 · 42%"
    assert scene.edges[Edge("hello", "check", "out")].label == "0"
    assert scene.edges[Edge("start", "hello", "out")].label == "1.0k · 100%"
    assert "Opened: 400 (40%)" in scene.nodes["hello"].tooltip_text()
    assert scene.statistics_shown == (True, True)
    assert scene.nodes["check"]._fill(LIGHT) != LIGHT.card  # tinted: 300 of 950 waiting
    assert scene.nodes["start"]._fill(LIGHT) == LIGHT.card
    image = QImage(800, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    scene.render(painter)  # badges and labels paint without error
    painter.end()
    assert saved(diagram) == before
    scene.clear_statistics()
    assert scene.statistics_shown == (False, False)
    assert scene.nodes["hello"].stats is None
    assert scene.edges[Edge("check", "thanks", "yes")].label == ""
    assert saved(diagram) == before


def test_add_after_connects_from_the_first_free_port_and_places_to_the_right(qtbot):
    diagram = small_diagram()
    stack = QUndoStack()
    scene = CampaignScene(diagram, stack)
    before = saved(diagram)
    new = scene.add_after("nudge", "wait.delay")
    assert diagram.nodes[new].type == "wait.delay"
    assert Edge("nudge", new, "out") in diagram.edges
    assert diagram.nodes[new].position[0] >= 720 + NODE_WIDTH
    assert scene.selected_node_ids() == [new]
    assert stack.count() == 1
    # a condition with "yes" taken gets the next node on "no"
    diagram.edges.remove(Edge("check", "nudge", "no"))
    scene.set_diagram(diagram)
    other = scene.add_after("check", "exit")
    assert Edge("check", other, "no") in diagram.edges
    # no overlap with the node already on the right
    a = scene.nodes[other].scene_card_rect()
    assert not any(a.intersects(i.scene_card_rect()) for n, i in scene.nodes.items() if n != other)
    stack.undo()
    stack.undo()
    assert new not in diagram.nodes and other not in diagram.nodes
    diagram.edges.insert(3, Edge("check", "nudge", "no"))
    assert saved(diagram) == before


def test_add_node_snaps_to_the_grid_with_the_types_defaults(qtbot):
    diagram = small_diagram()
    scene = CampaignScene(diagram, QUndoStack())
    node_id = scene.add_node("condition.split", QPointF(333, 151))
    node = diagram.nodes[node_id]
    assert node.position == (340, 160)
    assert node.params["branches"][0] == {"port": "A", "percent": 50}
    assert scene.selected_node_ids() == [node_id]


def test_keyboard_walk_follows_edges_and_enter_activates(qtbot):
    scene, view = make_view(qtbot)
    activated = []
    scene.nodeActivated.connect(activated.append)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Right)  # nothing selected: start at the trigger
    assert scene.selected_node_ids() == ["start"]
    QTest.keyClick(view, Qt.Key.Key_Right)
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert scene.selected_node_ids() == ["check"]
    QTest.keyClick(view, Qt.Key.Key_Right)  # first port: yes
    assert scene.selected_node_ids() == ["thanks"]
    QTest.keyClick(view, Qt.Key.Key_Down)  # sibling branch: no
    assert scene.selected_node_ids() == ["nudge"]
    QTest.keyClick(view, Qt.Key.Key_Down)  # no further sibling
    assert scene.selected_node_ids() == ["nudge"]
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert scene.selected_node_ids() == ["thanks"]
    QTest.keyClick(view, Qt.Key.Key_Left)
    assert scene.selected_node_ids() == ["check"]
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert activated == ["check"]
    assert scene.undo_stack.count() == 0  # walking never edits


def test_ctrl_arrows_nudge_the_selection_as_one_merged_step(qtbot):
    scene, view = make_view(qtbot)
    scene.select_nodes(["hello"])
    view.setFocus()
    for _ in range(3):
        QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert scene.diagram.nodes["hello"].position == (300, 0)
    assert scene.undo_stack.count() == 1
    scene.undo_stack.undo()
    assert scene.diagram.nodes["hello"].position == (240, 0)


def test_double_click_activates_a_node_and_reports_empty_canvas(qtbot):
    scene, view = make_view(qtbot)
    activated, empty = [], []
    scene.nodeActivated.connect(activated.append)
    scene.canvasDoubleClicked.connect(empty.append)
    centre = scene.nodes["hello"].scene_card_rect().center()
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(centre))
    assert activated == ["hello"]
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=view.mapFromScene(QPointF(600, 400)))  # fmt: skip
    assert len(empty) == 1 and abs(empty[0].x() - 600) < 2


def test_select_all_delete_and_align(qtbot):
    scene, view = make_view(qtbot)
    view.setFocus()
    scene.select_nodes(["hello", "nudge"])
    scene.align("top")
    assert scene.undo_stack.undoText() == "Align top"
    assert scene.diagram.nodes["nudge"].position == (720, 0)
    scene.select_nodes(["hello", "check", "done"])
    scene.align("top")  # all already at y=0: no empty undo step
    scene.move_selection(0, 0)
    assert scene.undo_stack.count() == 1
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert scene.selected_node_ids() == list(scene.diagram.nodes)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert scene.diagram.nodes == {} and scene.nodes == {} and scene.edges == {}
    scene.undo_stack.undo()
    assert len(scene.nodes) == 6 and len(scene.edges) == 4


def test_set_diagram_stops_listening_to_the_old_one(qtbot):
    old, new = small_diagram(), load_sample("birthday")
    scene = CampaignScene(old, QUndoStack())
    scene.set_diagram(new)
    old.add_node(Node("ghost", "exit", {}, (0, 0)))
    assert "ghost" not in scene.nodes
    assert set(scene.nodes) == set(new.nodes)


def test_theme_switch_repaints_with_the_new_colours(qtbot):
    scene = CampaignScene(small_diagram(), QUndoStack())
    scene.set_theme(DARK)
    assert scene.theme is DARK
    image = QImage(200, 200, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    scene.render(painter, source=scene.content_rect())
    painter.end()
    assert image.pixelColor(2, 2).lightness() < 60
    assert scene.edges[Edge("start", "hello", "out")].pen().color() == DARK.edge


def test_notes_and_group_frames_are_added_and_edited_in_place(qtbot):
    scene, view = make_view(qtbot)
    scene.select_nodes(["thanks", "nudge"])
    group = scene.add_annotation("group")
    for node_id in ("thanks", "nudge"):  # the frame surrounds the selection
        assert (
            scene.annotations[group].scene_rect().contains(scene.nodes[node_id].scene_card_rect())
        )
    note = scene.add_annotation("note", QPointF(0, 200))
    assert scene.diagram.annotations[note].rect == (0, 200, 200, 120)
    assert scene.undo_stack.count() == 2
    # double-click the note, type, click away: one undo step with the new text
    centre = scene.annotations[note].scene_rect().center()
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(centre))
    assert scene.focusItem() is not None
    QTest.keyClicks(view.viewport(), "Call them")
    QTest.keyClick(view.viewport(), Qt.Key.Key_Delete)  # text editing, not deleting the note
    assert note in scene.diagram.annotations
    QTest.keyClick(view.viewport(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert scene.diagram.annotations[note].text == "Call them"
    assert scene.undo_stack.count() == 3
    assert '"text": "Call them"' in saved(scene.diagram)
    scene.undo_stack.undo()
    assert scene.diagram.annotations[note].text == "Note"
    # Escape leaves the text as it was
    scene.edit_annotation(group)
    QTest.keyClicks(view.viewport(), "Reminders")
    QTest.keyClick(view.viewport(), Qt.Key.Key_Escape)
    assert scene.diagram.annotations[group].text == "Group"


def test_replacing_the_diagram_mid_edit_or_mid_drag_is_safe(qtbot):
    scene, view = make_view(qtbot)
    from engine.diagram import Annotation

    scene.diagram.annotations["n"] = Annotation("n", "note", "x", (0, 200, 160, 80))
    scene.set_diagram(scene.diagram)
    scene.edit_annotation("n")
    QTest.keyClicks(view.viewport(), "typed")
    other = load_sample("birthday")
    scene.set_diagram(other)
    qtbot.wait(10)
    assert set(scene.nodes) == set(other.nodes)
    assert scene.undo_stack.count() == 0
    start = view.mapFromScene(next(iter(scene.nodes.values())).scene_card_rect().center())
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(view.viewport(), start + QPoint(60, 60))
    scene.set_diagram(small_diagram())
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(60, 60))
    assert scene.undo_stack.count() == 0
    assert len(scene.nodes) == 6


def test_long_branch_names_get_room_beside_the_card_and_are_elided_only_past_a_limit(qtbot):
    from designer.items.node_item import LABEL_ROOM, MAX_LABEL_ROOM
    from engine.diagram import Diagram

    middle = "Discount subject"
    huge = "What's new this season at Northwind, with a long story behind it"
    diagram = Diagram("Split")
    diagram.nodes["ab"] = Node(
        "ab",
        "condition.split",
        {"branches": [{"port": middle, "percent": 50}, {"port": huge, "percent": 50}]},
        (0, 0),
    )
    scene = CampaignScene(diagram, QUndoStack())
    item = scene.nodes["ab"]
    metrics = item.look.port_metrics
    assert item.port_label_text(middle) == middle  # whole, in a wider room than the default
    assert item.label_room() > LABEL_ROOM
    assert item.rect().right() >= NODE_WIDTH + 8 + metrics.horizontalAdvance(middle)
    assert item.label_room() == MAX_LABEL_ROOM
    shown = item.port_label_text(huge)
    assert shown != huge and shown.endswith("…")
    assert "with a long story behind it" in item.tooltip_text()  # whole, a hover away
    scene.detach()
