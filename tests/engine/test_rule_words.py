"""Rule errors for people: the condition named in words, the path kept for programs."""

from __future__ import annotations

import pytest

from engine.rule_words import condition_words, plain_rule_error
from engine.rules import RuleError, parse_rule


def error_of(rule) -> RuleError:
    with pytest.raises(RuleError) as caught:
        parse_rule(rule)
    return caught.value


@pytest.mark.parametrize(
    ("rule", "path", "sentence"),
    [
        ({"all": [{"field": ""}]}, "all[0]", "The first condition has no field chosen."),
        (
            {"all": [{"tag": "a"}, {"any": [{"tag": "b"}, {"segment": " "}]}]},
            "all[1].any[1]",
            "The second condition inside the second condition has no segment chosen.",
        ),
        (
            {"any": [{"field": "country", "op": "eq"}]},
            "any[0]",
            "The first condition needs a value to compare with.",
        ),
        (
            {"all": [{"field": "country", "op": "in", "value": "DE"}]},
            "all[0]",
            "The first condition needs a list of values, separated by commas.",
        ),
        (
            {"all": [{"tag": "a"}, {"tag": "b"}, {}]},
            "all[2]",
            "The third condition is empty: choose a field, a tag, a segment or an event.",
        ),
        (
            {"all": [{"event": "purchase", "within": "soon"}]},
            "all[0]",
            "The first condition has a time span that is not valid",
        ),
        ({"field": "x", "op": "about", "value": 1}, "rule", "The rule uses a comparison"),
        ({"all": [{"not": {"event": ""}}]}, "all[0].not", "The first condition has no event"),
    ],
)
def test_each_error_names_the_condition_in_words(rule, path, sentence):
    error = error_of(rule)
    assert error.path == path  # the structured error is unchanged
    assert str(error).startswith(f"{path}: ")
    text = plain_rule_error(error)
    assert text.startswith(sentence)
    assert "[0]" not in text and "[1]" not in text and "[2]" not in text


def test_ordinals_beyond_ten_and_the_whole_rule():
    assert condition_words("all[11]") == "Condition number 12"
    assert condition_words("") == "The rule"


def test_validation_of_a_filter_parameter_uses_the_sentence():
    from engine.catalog import CATALOG, check_value

    param = next(p for p in CATALOG["trigger.manual"].params if p.name == "filter")
    problem = check_value(param, {"all": [{"field": ""}]})
    assert problem.endswith("The first condition has no field chosen.")
