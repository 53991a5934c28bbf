"""The visual rule builder: every valid rule shown and read back unchanged, and rules
built by clicking and typing come out as the rule language."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from designer.rule_editor import GroupItem, LeafRow, RuleEditor
from engine.rules import LIST_OPERATORS, OPERATORS, UNARY_OPERATORS, RuleError, parse_rule

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_ -", min_size=1, max_size=8).filter(
    lambda s: s.strip()
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=6), st.floats(-5, 5)
)


def field_rules():
    def build(field, op, value, values):
        if op in UNARY_OPERATORS:
            return {"field": field, "op": op}
        if op in LIST_OPERATORS:
            return {"field": field, "op": op, "value": values}
        return {"field": field, "op": op, "value": value}

    return st.builds(build, NAMES, st.sampled_from(OPERATORS), SCALARS, st.lists(SCALARS))


def event_rules():
    def build(event, within, min_count, where):
        out = {"event": event}
        if within is not None:
            out["within"] = within
        if min_count is not None:
            out["min_count"] = min_count
        if where:
            out["where"] = where
        return out

    return st.builds(
        build,
        NAMES,
        st.sampled_from([None, "P30D", "PT3H", "P1DT2H", "P2W"]),
        st.one_of(st.none(), st.integers(0, 9)),
        st.dictionaries(st.sampled_from(["campaign", "node", "plan"]), SCALARS, max_size=2),
    )


LEAVES = st.one_of(
    field_rules(),
    st.builds(lambda t: {"tag": t}, NAMES),
    st.builds(lambda s: {"segment": s}, NAMES),
    event_rules(),
)
RULES = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.builds(lambda r: {"all": r}, st.lists(children, max_size=3)),
        st.builds(lambda r: {"any": r}, st.lists(children, max_size=3)),
        st.builds(lambda r: {"not": r}, children),
    ),
    max_leaves=6,
)


def canonical(rule) -> str:
    return json.dumps(rule, sort_keys=True)


@pytest.fixture
def editor(qtbot):
    widget = RuleEditor()
    qtbot.addWidget(widget)
    return widget


SAMPLES = [
    {
        "all": [
            {"field": "country", "op": "eq", "value": "DE"},
            {"any": [{"tag": "vip"}, {"field": "score", "op": "ge", "value": 50}]},
            {"event": "purchase", "within": "P30D", "min_count": 1},
            {"not": {"segment": "churned"}},
        ]
    },
    {"tag": "vip"},
    {"not": {"not": {"tag": "vip"}}},
    {"not": {"any": []}},
    {"all": []},
    {"field": "plan", "op": "in", "value": ["pro", "1", 1, True, "a,b"]},
    {"field": "phone", "op": "is_set"},
    {"field": "zip", "op": "eq", "value": "01234"},
    {"event": "opened", "min_count": 3, "where": {"campaign": "w", "n": 2}},
]


@pytest.mark.parametrize("rule", SAMPLES)
def test_samples_round_trip(editor, rule):
    editor.set_rule(rule)
    assert canonical(editor.rule()) == canonical(rule)
    assert editor.error() is None


@given(RULES)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_valid_rule_round_trips(editor, rule):
    parse_rule(rule)  # the strategy only makes valid rules
    editor.set_rule(rule)
    assert canonical(editor.rule()) == canonical(rule)


def test_nested_rule_is_shown_as_nested_groups(editor):
    editor.set_rule(SAMPLES[0])
    root = editor.root
    assert root.mode.currentData() == "all"
    assert [type(i) for i in root.items] == [LeafRow, GroupItem, LeafRow, LeafRow]
    inner = root.items[1]
    assert inner.mode.currentData() == "any" and len(inner.items) == 2
    assert root.items[3].not_button.isChecked()
    assert root.items[0].field_name.currentText() == "country"
    assert root.items[2].within.amount.text() == "30"


def test_invalid_rule_is_refused(editor):
    with pytest.raises(RuleError):
        editor.set_rule({"field": "x", "op": "between", "value": 1})


def test_building_a_rule_by_clicking_and_typing(editor, qtbot):
    editor.show()
    changes = []
    editor.ruleChanged.connect(lambda: changes.append(editor.rule()))
    menu = editor.root.add_button.menu()
    menu.actions()[0].trigger()  # + Condition ▸ Field
    row = editor.root.items[0]
    qtbot.keyClicks(row.field_name.lineEdit(), "country")
    row.op.setCurrentIndex(row.op.findData("in"))
    qtbot.keyClicks(row.value, "DE, AT")
    assert editor.rule() == {"all": [{"field": "country", "op": "in", "value": ["DE", "AT"]}]}
    qtbot.mouseClick(editor.root.add_group_button, Qt.MouseButton.LeftButton)
    group = editor.root.items[1]
    group.add_button.menu().actions()[1].trigger()  # Tag
    qtbot.keyClicks(group.items[0].tag.lineEdit(), "vip")
    group.add_button.menu().actions()[3].trigger()  # Event
    event = group.items[1]
    qtbot.keyClicks(event.event.lineEdit(), "purchase")
    qtbot.keyClicks(event.within.amount, "30")
    event.min_count.setValue(2)
    qtbot.mouseClick(group.not_button, Qt.MouseButton.LeftButton)
    expected = {
        "all": [
            {"field": "country", "op": "in", "value": ["DE", "AT"]},
            {
                "not": {
                    "any": [
                        {"tag": "vip"},
                        {"event": "purchase", "within": "P30D", "min_count": 2},
                    ]
                }
            },
        ]
    }
    assert canonical(editor.rule()) == canonical(expected)
    assert canonical(changes[-1]) == canonical(expected)
    assert editor.error() is None
    qtbot.mouseClick(group.items[0].remove_button, Qt.MouseButton.LeftButton)
    assert editor.rule()["all"][1] == {
        "not": {"any": [{"event": "purchase", "within": "P30D", "min_count": 2}]}
    }


def test_unary_operator_hides_the_value(editor, qtbot):
    editor.show()
    editor.set_rule({"field": "phone", "op": "eq", "value": "1"})
    row = editor.root.items[0]
    assert not row.value.isHidden()
    row.op.setCurrentIndex(row.op.findData("is_set"))
    assert row.value.isHidden()
    assert editor.rule() == {"field": "phone", "op": "is_set"}


def test_an_empty_name_is_reported(editor):
    editor.root.add_leaf("tag")
    assert editor.error() == "The first condition has no tag chosen."  # words, not all[0]


def test_switching_a_row_kind(editor, qtbot):
    editor.set_rule({"tag": "vip"})
    row = editor.root.items[0]
    row.kind.setCurrentIndex(row.kind.findData("segment"))
    qtbot.keyClicks(row.segment.lineEdit(), "buyers")
    assert editor.rule() == {"segment": "buyers"}


def test_suggestions_fill_the_pickers(editor):
    editor.set_rule({"all": [{"segment": "a"}]})
    editor.set_suggestions(fields=["plan"], segments=["buyers", "churned"])
    row = editor.root.items[0]
    names = [row.segment.itemText(i) for i in range(row.segment.count())]
    assert names == ["buyers", "churned"]
    assert row.segment.currentText() == "a"
    fields = [row.field_name.itemText(i) for i in range(row.field_name.count())]
    assert "plan" in fields and "email" in fields
