"""Version history in the window: versions listed, two compared on a canvas with the changes
marked and parameters side by side, and an old version restored as a new one (on the page)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from shell_helpers import (
    build_demo_db,
    copy_db,
    create_from_sample,
    main_window,
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
)

from app.version_history import VersionHistoryDialog
from designer.commands import SetLabel
from engine import campaigns
from engine.clock import VirtualClock, utcnow
from engine.db import open_database
from engine.diagram import Diagram, Edge, Node


def _two_versions(tmp_path):
    engine = open_database(tmp_path / "history.db")
    d = Diagram("History", {})
    d.add_node(Node("start", "trigger.manual", {"filter": {"all": []}}, (0, 0)))
    d.add_node(Node("hello", "action.send_email", {"subject": "Hi", "body": "Hello"}, (240, 0)))
    d.add_node(Node("bye", "exit", {}, (480, 0)))
    d.add_edge(Edge("start", "hello"))
    d.add_edge(Edge("hello", "bye"))
    cid = campaigns.add_campaign(engine, d)
    d.set_params("hello", {"subject": "Hi again", "body": "Hello"})
    d.remove_node("bye")
    d.add_node(Node("tag", "action.tag", {"add": ["greeted"]}, (480, 120)))
    d.add_edge(Edge("hello", "tag"))
    campaigns.update_campaign(engine, cid, d)
    return engine, cid


def test_two_versions_compared_on_the_canvas_and_an_old_one_restored(qtbot, tmp_path):
    engine, cid = _two_versions(tmp_path)
    dialog = VersionHistoryDialog(engine, cid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.versions.count() == 2
    assert "current" in dialog.versions.item(0).text()
    # The newest is chosen: compared with the one before it.
    assert (dialog.old_combo.currentData(), dialog.new_combo.currentData()) == (1, 2)
    marks = {node_id: item.diff for node_id, item in dialog.scene.nodes.items()}
    assert marks == {"start": None, "hello": "changed", "bye": "removed", "tag": "added"}
    edge_marks = {(e.source, e.target): item.diff for e, item in dialog.scene.edges.items()}
    assert edge_marks == {("start", "hello"): None, ("hello", "bye"): "removed",
                          ("hello", "tag"): "added"}  # fmt: skip
    assert "1 node(s) added, 1 removed, 1 changed" in dialog.summary.text()
    texts = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    row = texts.index("~ hello (changed)")
    dialog.changes.setCurrentRow(row)
    cells = [[dialog.params.item(r, c).text() for c in range(3)]
             for r in range(dialog.params.rowCount())]  # fmt: skip
    assert cells == [["subject", "Hi", "Hi again"]]
    assert dialog.params.horizontalHeaderItem(1).text() == "Version 1"
    dialog.changes.setCurrentRow(texts.index("+ tag (added)"))
    assert dialog.params.item(0, 2).text() == "action.tag"
    dialog.grab().save(str(tmp_path / "history.png"))

    # The current version cannot be restored; version 1 can, as version 3.
    assert not dialog.restore_button.isEnabled()
    dialog.versions.setCurrentRow(1)
    assert dialog.restore_button.isEnabled() and "version 1" in dialog.restore_button.text()
    with qtbot.waitSignal(dialog.restored) as restored:
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert restored.args == [3]
    assert dialog.versions.count() == 3
    current = campaigns.load_diagram(engine, cid)
    assert set(current.nodes) == {"start", "hello", "bye"}
    assert current.nodes["hello"].params["subject"] == "Hi"


def test_the_page_opens_the_history_and_loads_a_restored_version(qtbot, tmp_path):
    (tmp_path / "demo").mkdir()
    demo = build_demo_db(tmp_path / "demo", contacts=20)
    ws, window = main_window(qtbot, copy_db(demo, tmp_path), VirtualClock(utcnow()))
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    stack = page.editor.undo_stack
    stack.push(SetLabel(page.diagram, "hello", "First mail"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)  # version 2
    stack.push(SetLabel(page.diagram, "hello", "Changed, unsaved"))
    dialog = page.show_history()
    dialog.versions.setCurrentRow(1)  # version 1; the canvas has unsaved changes
    assert not dialog.restore_button.isEnabled()
    dialog.close()
    stack.undo()
    assert not page.is_modified()
    qtbot.mouseClick(page.history_button, Qt.MouseButton.LeftButton)
    dialog = page.history_dialog
    dialog.versions.setCurrentRow(1)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert campaigns.get_campaign(ws.engine, campaign_id)["version"] == 3
    assert page.diagram.nodes["hello"].label is None  # the page shows version 3 (= 1)
    assert "Restored as version 3" in page.message.text()
