"""The inspector, driven as a user would: select a node, type into its form, and check
the Diagram, the saved text and undo/redo after each edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from designer.editor import CampaignEditor
from designer.rule_editor import RuleField
from engine import fileformat
from engine.diagram import Diagram, Node
from engine.validation import ValidationContext

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "campaigns"


@pytest.fixture
def editor(qtbot):
    widget = CampaignEditor()
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    assert widget.open_file(SAMPLES / "win_back.campaign.json")
    return widget


def saved(editor: CampaignEditor) -> dict:
    return json.loads(fileformat.dumps(editor.diagram))


def saved_node(editor: CampaignEditor, node_id: str) -> dict:
    return next(n for n in saved(editor)["nodes"] if n["id"] == node_id)


def select(editor: CampaignEditor, node_id: str) -> None:
    editor.scene.select_nodes([node_id])
    assert editor.inspector.node_id == node_id


def retype(qtbot, line, text: str) -> None:
    line.selectAll()
    qtbot.keyClicks(line, text)


def test_selecting_a_node_shows_its_form(editor):
    select(editor, "wait_a")
    rows = editor.inspector.rows
    assert set(rows) == {"event", "timeout", "node"}
    assert rows["event"].editor.combo.currentText() == "email_clicked"
    assert rows["timeout"].editor.amount.text() == "5"
    assert rows["timeout"].editor.unit.currentText() == "days"
    node_choices = rows["node"].editor.combo
    # The send steps by the name users see; the value kept is the step's id.
    assert {node_choices.itemData(i) for i in range(node_choices.count())} >= {"offer_a", "offer_b"}
    shown = {node_choices.itemText(i) for i in range(node_choices.count())}
    assert "offer_a" not in shown and "10% off" in shown
    assert rows["node"].editor.combo.currentText() in shown
    editor.scene.select_nodes([])
    assert editor.inspector.node_id is None
    assert "name" in editor.inspector.rows  # the campaign settings


def test_typing_a_duration_is_one_undo_step(editor, qtbot):
    select(editor, "wait_a")
    amount = editor.inspector.rows["timeout"].editor.amount
    before = fileformat.dumps(editor.diagram)
    depth = editor.undo_stack.count()
    retype(qtbot, amount, "12")
    assert editor.diagram.nodes["wait_a"].params["timeout"] == "P12D"
    assert saved_node(editor, "wait_a")["params"]["timeout"] == "P12D"
    assert editor.undo_stack.count() == depth + 1  # "1" then "12": merged
    editor.inspector.rows["timeout"].editor.unit.setCurrentText("hours")
    assert editor.diagram.nodes["wait_a"].params["timeout"] == "PT12H"
    editor.undo_stack.undo()
    assert editor.diagram.nodes["wait_a"].params["timeout"] == "P5D"
    assert fileformat.dumps(editor.diagram) == before
    # The form follows undo and redo.
    assert editor.inspector.rows["timeout"].editor.amount.text() == "5"
    editor.undo_stack.redo()
    assert editor.diagram.nodes["wait_a"].params["timeout"] == "PT12H"
    assert editor.inspector.rows["timeout"].editor.unit.currentText() == "hours"


def test_edits_in_two_fields_are_two_steps(editor, qtbot):
    select(editor, "wait_a")
    depth = editor.undo_stack.count()
    retype(qtbot, editor.inspector.rows["timeout"].editor.amount, "7")
    retype(qtbot, editor.inspector.rows["event"].editor.combo.lineEdit(), "purchase")
    assert editor.undo_stack.count() == depth + 2
    editor.undo_stack.undo()
    assert editor.diagram.nodes["wait_a"].params == {
        "event": "email_clicked",
        "node": "offer_a",
        "timeout": "P7D",
    }


def test_invalid_duration_shows_message_and_leaves_the_model(editor, qtbot):
    select(editor, "wait_a")
    row = editor.inspector.rows["timeout"]
    before = fileformat.dumps(editor.diagram)
    depth = editor.undo_stack.count()
    retype(qtbot, row.editor.amount, "soon")
    assert row.message.isVisible()
    assert row.message.text() == "Timeout: 'soon' is not a number (e.g. 2, or P2D)"
    assert fileformat.dumps(editor.diagram) == before
    assert editor.undo_stack.count() == depth
    assert not editor.is_dirty


def test_label_edit_and_undo(editor, qtbot):
    select(editor, "score")
    qtbot.keyClicks(editor.inspector.label_edit, "Engaged")
    assert editor.diagram.nodes["score"].label == "Engaged"
    assert saved_node(editor, "score")["label"] == "Engaged"
    editor.undo_stack.undo()
    assert editor.diagram.nodes["score"].label is None
    assert "label" not in saved_node(editor, "score")


def test_number_with_limits(editor, qtbot):
    select(editor, "score")
    spin = editor.inspector.rows["points"].editor.spin
    assert spin.minimum() == -1000000 and spin.maximum() == 1000000
    spin.selectAll()
    qtbot.keyClicks(spin, "25")
    assert editor.diagram.nodes["score"].params == {"points": 25}
    editor.undo_stack.undo()
    assert editor.diagram.nodes["score"].params == {"points": 5}


def test_one_of_toggle_switches_template_and_inline_message(editor, qtbot):
    select(editor, "thanks")
    inspector = editor.inspector
    assert inspector.group_buttons[0].isChecked()
    assert not inspector.rows["template"].isHidden()
    assert inspector.rows["subject"].isHidden()
    qtbot.mouseClick(inspector.group_buttons[1], Qt.MouseButton.LeftButton)
    assert "template" not in editor.diagram.nodes["thanks"].params
    assert inspector.rows["template"].isHidden() and not inspector.rows["subject"].isHidden()
    qtbot.keyClicks(inspector.rows["subject"].editor.edit, "Thank you")
    qtbot.keyClicks(inspector.rows["body"].editor.edit, "<p>Hi {{ contact.first_name }}</p>")
    assert editor.diagram.nodes["thanks"].params == {
        "subject": "Thank you",
        "body": "<p>Hi {{ contact.first_name }}</p>",
    }
    # Switching back brings the template back; the inline text waits in case of return.
    qtbot.mouseClick(inspector.group_buttons[0], Qt.MouseButton.LeftButton)
    assert editor.diagram.nodes["thanks"].params == {"template": "thank-you"}
    qtbot.mouseClick(inspector.group_buttons[1], Qt.MouseButton.LeftButton)
    assert editor.diagram.nodes["thanks"].params["subject"] == "Thank you"
    for _ in range(5):
        editor.undo_stack.undo()
    assert editor.diagram.nodes["thanks"].params == {"template": "thank-you"}


def test_segment_or_filter_with_the_rule_editor(editor, qtbot):
    select(editor, "start")
    inspector = editor.inspector
    assert inspector.group_buttons[1].isChecked()  # the sample uses a filter
    rule_field = inspector.rows["filter"].editor
    assert isinstance(rule_field, RuleField)
    rules = rule_field.rule_editor
    assert rules.rule() == editor.diagram.nodes["start"].params["filter"]
    rules.root.add_button.menu().actions()[1].trigger()  # + Tag
    message = inspector.rows["filter"].message.text()
    assert message == "Filter: The third condition has no tag chosen."
    qtbot.keyClicks(rules.root.items[-1].tag.lineEdit(), "newsletter")
    assert editor.diagram.nodes["start"].params["filter"]["all"][-1] == {"tag": "newsletter"}
    qtbot.mouseClick(inspector.group_buttons[0], Qt.MouseButton.LeftButton)
    assert "filter" not in editor.diagram.nodes["start"].params
    qtbot.keyClicks(inspector.rows["segment"].editor.combo.lineEdit(), "lapsed")
    assert editor.diagram.nodes["start"].params == {"segment": "lapsed"}
    assert saved_node(editor, "start")["params"] == {"segment": "lapsed"}


def test_condition_operator_changes_the_value_kind(qtbot):
    editor = CampaignEditor()
    qtbot.addWidget(editor)
    diagram = Diagram("Check")
    diagram.nodes["check"] = Node(
        "check", "condition.attribute", {"field": "country", "op": "eq", "value": "DE"}
    )
    editor.set_diagram(diagram)
    editor.show()
    select(editor, "check")
    rows = editor.inspector.rows
    rows["op"].editor.combo.setCurrentIndex(rows["op"].editor.combo.findData("in"))
    assert diagram.nodes["check"].params == {"field": "country", "op": "in", "value": ["DE"]}
    qtbot.keyClicks(rows["value"].editor.edit, ", AT")
    assert diagram.nodes["check"].params["value"] == ["DE", "AT"]
    rows["op"].editor.combo.setCurrentIndex(rows["op"].editor.combo.findData("is_set"))
    assert diagram.nodes["check"].params == {"field": "country", "op": "is_set"}
    assert rows["value"].isHidden()
    retype(qtbot, rows["field"].editor.combo.lineEdit(), "plan")
    assert diagram.nodes["check"].params["field"] == "plan"


def test_split_branches_edit_moves_edges_with_undo(editor, qtbot):
    select(editor, "ab")
    table = editor.inspector.rows["branches"].editor
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    assert [b["port"] for b in editor.diagram.nodes["ab"].params["branches"]] == ["A", "B", "C"]
    table = editor.inspector.rows["branches"].editor
    table.table.selectRow(1)
    edges_before = list(editor.diagram.edges)
    qtbot.mouseClick(table.remove_button, Qt.MouseButton.LeftButton)
    assert editor.inspector.rows["branches"].message.isVisible()  # 50 + 0: not 100
    table.table.item(1, 1).setText("50")  # C takes B's half
    assert editor.diagram.nodes["ab"].params["branches"] == [
        {"port": "A", "percent": 50},
        {"port": "C", "percent": 50},
    ]
    assert all(e.port != "B" for e in editor.diagram.out_edges("ab"))
    editor.undo_stack.undo()
    assert editor.diagram.edges == edges_before


def test_settings_form_when_nothing_is_selected(editor, qtbot):
    editor.scene.select_nodes([])
    rows = editor.inspector.rows
    retype(qtbot, rows["name"].editor.edit, "Win back 2")
    assert editor.diagram.name == "Win back 2"
    retype(qtbot, rows["timezone"].editor.combo.lineEdit(), "Mars/Olympus")
    assert "Unknown time zone" in rows["timezone"].message.text()
    assert editor.diagram.settings["timezone"] == "Europe/Berlin"
    retype(qtbot, rows["timezone"].editor.combo.lineEdit(), "Europe/Paris")
    assert editor.diagram.settings["timezone"] == "Europe/Paris"
    quiet = rows["quiet_hours"].editor
    qtbot.mouseClick(quiet.enabled, Qt.MouseButton.LeftButton)
    assert editor.diagram.settings["quiet_hours"] == ["21:00", "08:00"]
    retype(qtbot, quiet.end.edit, "7:30")  # read as 07:30
    assert editor.diagram.settings["quiet_hours"] == ["21:00", "07:30"]
    cap = rows["frequency_cap"].editor
    assert cap.enabled.isChecked() and cap.count.value() == 3
    retype(qtbot, cap.per.amount, "1")
    assert editor.diagram.settings["frequency_cap"] == {"count": 3, "per": "P1D"}
    entry = rows["entry"].editor
    assert entry.combo.currentData() == "after" and entry.after.amount.text() == "90"
    entry.combo.setCurrentIndex(entry.combo.findData("every_time"))
    assert editor.diagram.settings["entry"] == "every_time"
    retype(qtbot, rows["start_at"].editor.edit, "2026-12-01 09:00")
    assert editor.diagram.settings["start_at"] == "2026-12-01T09:00"
    retype(qtbot, rows["end_at"].editor.edit, "next week")
    assert "end_at" not in editor.diagram.settings
    assert "not an ISO 8601 date-time" in rows["end_at"].message.text()
    data = saved(editor)
    assert data["name"] == "Win back 2" and data["settings"]["timezone"] == "Europe/Paris"
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    assert fileformat.dumps(editor.diagram) == (SAMPLES / "win_back.campaign.json").read_text()


def test_context_fills_pickers(editor):
    editor.set_context(
        ValidationContext(
            templates={"thank-you": ["Hi"], "winback-sms": ["x"]},
            segments={"lapsed", "vip"},
            contact_fields={"plan"},
            known_events={"purchase"},
        )
    )
    select(editor, "thanks")
    combo = editor.inspector.rows["template"].editor.combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["thank-you", "winback-sms"]
    select(editor, "won")
    combo = editor.inspector.rows["event"].editor.combo
    assert "purchase" in [combo.itemText(i) for i in range(combo.count())]


def test_enter_moves_the_keyboard_into_the_form(editor, qtbot):
    select(editor, "wait_a")
    editor.scene.nodeActivated.emit("wait_a")
    label = editor.inspector.label_edit  # the node's name first, then Tab to its fields
    assert label.hasFocus() or label is editor.focusWidget()


def test_several_selected_nodes_offer_arranging(editor, qtbot):
    editor.scene.select_nodes(["offer_a", "offer_b", "sms"])
    inspector = editor.inspector
    assert inspector.node_id is None and inspector.rows == {}
    button = inspector.form.findChild(QPushButton, "arrange_align_left")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    xs = {editor.diagram.nodes[n].position[0] for n in ("offer_a", "offer_b", "sms")}
    assert len(xs) == 1
    editor.undo_stack.undo()
    assert editor.diagram.nodes["sms"].position == (960, 0)


def test_every_node_form_and_the_settings_fit_the_inspector_width(editor):
    """No field wider than the inspector (the form would be cut off at the right)."""
    from PySide6.QtCore import QPointF

    from engine.catalog import CATALOG

    room = 330  # the inspector's default width, less its scroll bar
    editor.scene.select_nodes([])
    assert editor.inspector.form.minimumSizeHint().width() <= room, "campaign settings"
    for type_name in CATALOG:
        node_id = editor.add_node_at(type_name, QPointF(0, 2000))
        editor.scene.select_nodes([node_id])
        assert editor.inspector.node_id == node_id
        assert editor.inspector.form.minimumSizeHint().width() <= room, type_name


def test_wait_until_days_after_the_campaign_starts(qtbot):
    editor = CampaignEditor()
    qtbot.addWidget(editor)
    diagram = Diagram("Drip")
    diagram.nodes["day3"] = Node("day3", "wait.until", {"at": "2026-12-07T09:00:00"})
    editor.set_diagram(diagram)
    editor.resize(1024, 700)
    editor.show()
    select(editor, "day3")
    inspector = editor.inspector
    on_date, after_start = inspector.group_buttons
    assert on_date.isChecked() and after_start.text() == "After the start"
    assert inspector.rows["after_start"].isHidden()
    qtbot.mouseClick(after_start, Qt.MouseButton.LeftButton)
    assert diagram.nodes["day3"].params == {}
    amount = inspector.rows["after_start"].editor.amount
    assert not inspector.rows["after_start"].isHidden() and inspector.rows["at"].isHidden()
    qtbot.keyClicks(amount, "3")
    assert diagram.nodes["day3"].params == {"after_start": "P3D"}
    assert saved_node(editor, "day3")["params"] == {"after_start": "P3D"}
    item = editor.scene.nodes["day3"]
    assert item.summary == "3 days after the campaign starts"
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert diagram.nodes["day3"].params == {"at": "2026-12-07T09:00:00"}
