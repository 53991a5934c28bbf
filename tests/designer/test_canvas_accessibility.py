"""The canvas as a screen reader sees it (QAccessible.queryAccessibleInterface), the keyboard
walk reaching every node, goals included, and a focus ring that is really drawn."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtTest import QTest

from designer.accessibility import CanvasAccessible
from designer.contrast import NON_TEXT, contrast_ratio
from engine.problems import Problem
from tests.designer.canvas_helpers import load_sample, make_view

NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description


def test_the_canvas_exposes_every_node_and_connection(qtbot):
    scene, view = make_view(qtbot, load_sample("win_back"))
    diagram = scene.diagram
    iface = QAccessible.queryAccessibleInterface(view)
    assert isinstance(iface, CanvasAccessible)
    assert iface.role() == QAccessible.Role.List
    assert iface.text(NAME) == "Campaign diagram"
    assert iface.childCount() == len(diagram.nodes) + len(diagram.edges) > 8
    names = []
    for i in range(iface.childCount()):
        child = iface.child(i)
        assert child.isValid()
        assert child.role() == QAccessible.Role.ListItem
        assert child.parent() is iface
        assert iface.indexOfChild(child) == i
        assert child.rect().width() > 0
        names.append(child.text(NAME))
    assert all(names), names
    goal = next(n for n in diagram.nodes.values() if n.type == "goal")
    goal_title = scene.nodes[goal.id].title
    assert any(name.startswith(goal_title) for name in names[: len(diagram.nodes)])
    edge = diagram.edges[0]
    source, target = scene.nodes[edge.source].title, scene.nodes[edge.target].title
    assert any(source in n and target in n and n.startswith("Connection") for n in names)


def test_a_node_says_its_summary_problems_state_and_where_it_leads(qtbot):
    scene, view = make_view(qtbot, load_sample("win_back"))
    iface = QAccessible.queryAccessibleInterface(view)
    edge = scene.diagram.edges[0]
    node = iface.node_interface(edge.source)
    scene.set_problems({edge.source: [Problem(edge.source, "No template chosen", "error")]})
    assert "Error: No template chosen" in node.text(DESCRIPTION)
    assert node.state().invalid
    assert not node.state().selected
    scene.select_nodes([edge.source])
    assert node.state().selected
    assert iface.focusChild() is node
    flows_to = [
        other.text(NAME)
        for other, relation in node.relations()
        if relation == QAccessible.Relation.FlowsTo
    ]
    assert iface.node_interface(edge.target).text(NAME) in flows_to


def test_page_down_visits_every_node_including_goals(qtbot):
    scene, view = make_view(qtbot, load_sample("win_back"))
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    iface = QAccessible.queryAccessibleInterface(view)
    seen = []
    for _ in scene.diagram.nodes:
        QTest.keyClick(view, Qt.Key.Key_PageDown)
        (selected,) = scene.selected_node_ids()
        seen.append(selected)
        assert iface.focusChild().key == selected
        assert iface.focusChild().state().focused
    assert sorted(seen) == sorted(scene.diagram.nodes)
    assert any(scene.diagram.nodes[n].type == "goal" for n in seen)
    QTest.keyClick(view, Qt.Key.Key_PageUp)
    assert scene.selected_node_ids() == [seen[-2]]
    QTest.keyClick(view, Qt.Key.Key_Home)
    assert scene.selected_node_ids() == [seen[0]]


def test_the_canvas_draws_a_focus_ring_with_enough_contrast(qtbot):
    scene, view = make_view(qtbot)
    view.clearFocus()
    qtbot.waitUntil(lambda: not view.hasFocus())
    before = view.viewport().grab().toImage()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    after = view.viewport().grab().toImage()
    y = after.height() // 2
    changed = sum(1 for x in range(6) if before.pixel(x, y) != after.pixel(x, y))
    assert changed >= 2
    ring = QColor(after.pixel(1, y)).name()
    assert contrast_ratio(ring, scene.theme.background.name()) >= NON_TEXT


def test_a_folded_panel_leaves_the_tab_order(qtbot):
    from PySide6.QtWidgets import QApplication

    from designer.editor import CampaignEditor

    editor = CampaignEditor()
    qtbot.addWidget(editor)
    editor.resize(1300, 800)
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.waitUntil(lambda: editor.inspector.width() > 0)
    total = sum(editor.splitter.sizes())
    editor.splitter.setSizes([0, total - 300, 300])  # the palette folded away
    qtbot.waitUntil(lambda: not editor.palette.isEnabled())
    editor.palette.search.setFocus()
    assert not editor.palette.search.hasFocus()
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    for _ in range(12):  # Tab around the editor: never into the folded palette
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert not editor.palette.isAncestorOf(QApplication.focusWidget())
    editor.splitter.setSizes([200, total - 500, 300])
    qtbot.waitUntil(editor.palette.isEnabled)


def test_the_add_node_popup_is_named_for_screen_readers(qtbot):
    from designer.palette import QuickAdd

    popup = QuickAdd()
    qtbot.addWidget(popup)
    popup.show()
    qtbot.waitExposed(popup)
    iface = QAccessible.queryAccessibleInterface(popup)
    assert iface.text(NAME) == "Add a node"
    assert "Return adds it" in iface.text(DESCRIPTION)
    children = {iface.child(i).text(NAME) for i in range(iface.childCount())}
    assert {"Search node types", "Matching nodes"} <= children
    popup.close()
