"""The segment editor says what is missing in a sentence naming the condition in words,
never a path like all[0]; typing the missing name moves the sentence on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from screen_data import make_database

from app.segments import SegmentsScreen


def test_an_incomplete_rule_names_the_condition_in_words(qtbot, tmp_path):
    screen = SegmentsScreen(make_database(tmp_path / "seg.db", n=50))
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    root = screen.rule_editor.root
    tag_row = root.add_leaf("tag")
    qtbot.mouseClick(root.add_group_button, Qt.MouseButton.LeftButton)
    group = root.items[-1]
    group.add_leaf("field")
    qtbot.waitUntil(lambda: "first condition" in screen.rule_problem.text())
    assert screen.rule_problem.text() == (
        "Not a complete rule yet: The first condition has no tag chosen."
    )
    tag_row.tag.lineEdit().setFocus()
    qtbot.keyClicks(tag_row.tag.lineEdit(), "vip")
    qtbot.waitUntil(lambda: "inside" in screen.rule_problem.text())
    assert screen.rule_problem.text() == (
        "Not a complete rule yet: "
        "The first condition inside the second condition has no field chosen."
    )
    assert "[" not in screen.rule_problem.text()
