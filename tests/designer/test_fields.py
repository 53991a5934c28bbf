"""Parameter editors: values typed by a user become the JSON the file stores, and bad
input shows a message under the field instead of reaching the model."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from designer.branches_field import BranchesField
from designer.fields import (
    DurationField,
    FieldRow,
    StringsField,
    TimeField,
    ValueField,
    WeekdaysField,
    make_editor,
)
from designer.values import (
    format_list,
    format_scalar,
    join_duration,
    parse_list,
    parse_scalar,
    split_duration,
)
from engine.catalog import CATALOG, KINDS, Param
from engine.durations import parse_duration

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=12),
)


def same(a, b) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@given(SCALARS)
@settings(max_examples=200)
def test_scalar_text_round_trips_with_types(value):
    assert same(parse_scalar(format_scalar(value)), value)


@given(st.lists(SCALARS, max_size=5))
@settings(max_examples=150)
def test_list_text_round_trips(values):
    assert same(parse_list(format_list(values)), values)


def test_scalars_read_the_way_a_marketer_types_them():
    assert parse_scalar("DE") == "DE"
    assert parse_scalar("90") == 90 and parse_scalar("true") is True
    assert parse_scalar('"90"') == "90"
    assert format_scalar("90") == '"90"' and format_scalar("DE") == "DE"
    assert parse_list("DE, FR, 3") == ["DE", "FR", 3]


@pytest.mark.parametrize(
    ("iso", "amount", "unit"),
    [
        ("P2D", "2", "days"),
        ("PT3H", "3", "hours"),
        ("PT15M", "15", "minutes"),
        ("P2W", "2", "weeks"),
        ("P1M", "1", "months"),
        ("-P3D", "-3", "days"),
        ("P1.5D", "1.5", "days"),
    ],
)
def test_durations_split_into_amount_and_unit_and_back(iso, amount, unit):
    assert split_duration(iso) == (amount, unit)
    joined, error = join_duration(amount, unit)
    assert error is None
    assert parse_duration(joined) == parse_duration(iso)


def test_duration_text_that_fits_no_unit_stays_as_typed():
    assert split_duration("PT90S") == ("PT90S", None)
    assert split_duration("P1DT3H") == ("P1DT3H", None)
    assert join_duration("pt90s", "days") == ("PT90S", None)
    assert join_duration("", "days") == (None, None)
    value, error = join_duration("abc", "days")
    assert value is None and "'abc' is not a number" in error


def test_every_parameter_kind_has_an_editor(qtbot):
    for kind in KINDS:
        if kind in ("rule", "branches"):
            continue  # RuleField and BranchesField, in modules of their own
        editor = make_editor(Param("x", kind, "X", choices=("a", "b")))
        qtbot.addWidget(editor)
        assert editor.focus_target() is not None


def test_typing_a_duration_commits_iso_8601(qtbot):
    row = FieldRow(CATALOG["wait.delay"].param("duration"))
    qtbot.addWidget(row)
    row.set_value("P2D")
    editor = row.editor
    assert isinstance(editor, DurationField)
    assert editor.amount.text() == "2" and editor.unit.currentText() == "days"
    committed = []
    row.committed.connect(lambda name, value: committed.append((name, value)))
    editor.amount.clear()
    qtbot.keyClicks(editor.amount, "36")
    editor.unit.setCurrentText("hours")
    assert committed[-1] == ("duration", "PT36H")
    assert committed[0] == ("duration", "P3D")  # "3" days, before the second digit


def test_invalid_duration_shows_message_and_commits_nothing(qtbot):
    row = FieldRow(CATALOG["wait.delay"].param("duration"))
    qtbot.addWidget(row)
    row.show()
    row.set_value("P2D")
    row.editor.amount.clear()
    with qtbot.assertNotEmitted(row.committed):
        qtbot.keyClicks(row.editor.amount, "two")
    assert row.message.isVisible()
    assert "'two' is not a number" in row.message.text()
    assert row.editor.amount.property("invalid") is True
    row.editor.amount.clear()
    with qtbot.waitSignal(row.committed) as signal:
        qtbot.keyClicks(row.editor.amount, "4")
    assert signal.args == ["duration", "P4D"]
    assert not row.message.isVisible()


def test_required_field_emptied_is_an_error(qtbot):
    row = FieldRow(CATALOG["wait.for_event"].param("event"))
    qtbot.addWidget(row)
    row.show()
    row.set_value("purchase")
    line = row.editor.focus_target()
    line.selectAll()
    with qtbot.assertNotEmitted(row.committed):
        qtbot.keyClick(line, Qt.Key.Key_Backspace)
    assert row.message.text() == "Event is required"


def test_time_of_day_is_checked(qtbot):
    row = FieldRow(Param("at", "time", "At"))
    qtbot.addWidget(row)
    row.show()
    assert isinstance(row.editor, TimeField)
    qtbot.keyClicks(row.editor.edit, "25:00")
    assert "not a time of day" in row.message.text()


def test_template_text_with_a_syntax_error_is_reported(qtbot):
    row = FieldRow(CATALOG["action.send_email"].param("subject"))
    qtbot.addWidget(row)
    row.show()
    qtbot.keyClicks(row.editor.focus_target(), "Hi {{ contact.first_nam")
    with qtbot.assertNotEmitted(row.committed):
        qtbot.keyClicks(row.editor.focus_target(), "e")
    assert "template error" in row.message.text()
    with qtbot.waitSignal(row.committed) as signal:
        qtbot.keyClicks(row.editor.focus_target(), " }}")
    assert signal.args[1] == "Hi {{ contact.first_name }}"


def test_weekdays_toggle(qtbot):
    row = FieldRow(CATALOG["wait.window"].param("days"))
    qtbot.addWidget(row)
    row.set_value(["mon", "tue"])
    assert isinstance(row.editor, WeekdaysField)
    with qtbot.waitSignal(row.committed) as signal:
        qtbot.mouseClick(row.editor.buttons["sat"], Qt.MouseButton.LeftButton)
    assert signal.args[1] == ["mon", "tue", "sat"]
    for day in ("mon", "tue", "sat"):
        row.editor.buttons[day].setChecked(False)
    assert "at least one day" in row.message.text()


def test_tags_are_a_comma_separated_list(qtbot):
    row = FieldRow(CATALOG["action.tag"].param("add"))
    qtbot.addWidget(row)
    assert isinstance(row.editor, StringsField)
    committed = []
    row.committed.connect(lambda _name, value: committed.append(value))
    qtbot.keyClicks(row.editor.edit, "vip, winback")
    assert committed[-1] == ["vip", "winback"]
    assert ["vip"] in committed  # "vip, " while typing is just vip
    row.editor.edit.clear()
    qtbot.keyClicks(row.editor.edit, " ")
    assert committed[-1] is None  # nothing left: the parameter is removed


def test_value_field_switches_to_lists(qtbot):
    editor = ValueField(Param("value", "value", "Value"))
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.edit, "DE, FR")
    assert editor.read() == ("DE, FR", None)
    editor.set_list_mode(True)
    assert editor.read() == (["DE", "FR"], None)


def test_split_branches_table(qtbot):
    param = CATALOG["condition.split"].param("branches")
    row = FieldRow(param, BranchesField(param))
    qtbot.addWidget(row)
    row.show()
    row.set_value([{"port": "A", "percent": 50}, {"port": "B", "percent": 50}])
    table = row.editor
    assert isinstance(table, BranchesField)
    assert table.total.text() == "Total 100%"
    with qtbot.waitSignal(row.committed) as signal:
        qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    assert signal.args[1][2] == {"port": "C", "percent": 0}
    with qtbot.assertNotEmitted(row.committed):
        table.table.item(0, 1).setText("30")
    assert "add up to 80" in row.message.text()
    assert table.total.text() == "Total 80%"
    with qtbot.waitSignal(row.committed) as signal:
        table.table.item(2, 1).setText("20")
    assert signal.args[1] == [
        {"port": "A", "percent": 30},
        {"port": "B", "percent": 50},
        {"port": "C", "percent": 20},
    ]
    table.table.item(1, 1).setText("half")
    assert "'half' is not a percentage" in row.message.text()
    table.table.selectRow(2)
    table.table.item(1, 1).setText("70")
    with qtbot.waitSignal(row.committed) as signal:
        qtbot.mouseClick(table.remove_button, Qt.MouseButton.LeftButton)
    assert signal.args[1] == [{"port": "A", "percent": 30}, {"port": "B", "percent": 70}]
