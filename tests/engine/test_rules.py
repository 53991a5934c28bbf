"""The rule language as data: parse, print back, and clear errors with a path."""

from __future__ import annotations

import pytest

from engine.rules import (
    All,
    EventTest,
    FieldTest,
    Not,
    RuleError,
    describe_rule,
    parse_rule,
    referenced_segments,
    rule_to_json,
)

DESIGN_EXAMPLE = {"all": [
    {"field": "country", "op": "eq", "value": "DE"},
    {"any": [{"tag": "vip"}, {"field": "score", "op": "ge", "value": 50}]},
    {"event": "purchase", "within": "P30D", "min_count": 1},
    {"not": {"segment": "churned"}},
]}  # fmt: skip


def test_design_example_parses_and_round_trips():
    rule = parse_rule(DESIGN_EXAMPLE)
    assert isinstance(rule, All)
    assert rule.rules[0] == FieldTest("country", "eq", "DE")
    assert isinstance(rule.rules[2], EventTest) and rule.rules[2].within == "P30D"
    assert isinstance(rule.rules[3], Not)
    again = rule_to_json(rule)
    again["all"][2]["min_count"] = 1  # the default is dropped when printing
    assert again == DESIGN_EXAMPLE
    assert referenced_segments(rule) == {"churned"}
    assert "country is DE" in describe_rule(rule)


@pytest.mark.parametrize(
    ("rule", "needle"),
    [
        ({"field": "x", "op": "like", "value": 1}, "unknown operator"),
        ({"field": "x", "op": "eq"}, "needs a 'value'"),
        ({"field": "x", "op": "in", "value": "a"}, "needs a list"),
        ({"all": [{"tag": "a"}, {"bogus": 1}]}, "all[1]"),
        ({"event": "buy", "within": "a month"}, "within"),
        ({"any": "nope"}, "must be a list"),
        ("text", "must be an object"),
        ({"tag": ""}, "non-empty"),
    ],
)
def test_bad_rules_say_what_and_where(rule, needle):
    with pytest.raises(RuleError, match=__import__("re").escape(needle)):
        parse_rule(rule)


def test_unary_operators_need_no_value():
    assert parse_rule({"field": "phone", "op": "is_set"}) == FieldTest("phone", "is_set", None)
