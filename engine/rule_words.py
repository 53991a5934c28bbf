"""A RuleError as a sentence for people: the condition named in words ("The second condition
inside the first condition") and what is wrong with it, without paths like all[0]."""

from __future__ import annotations

import re

from engine.i18n import N_, _
from engine.rules import OPERATOR_LABELS, RuleError

ORDINALS = (N_("first"), N_("second"), N_("third"), N_("fourth"), N_("fifth"), N_("sixth"),
            N_("seventh"), N_("eighth"), N_("ninth"), N_("tenth"))  # fmt: skip
_STEP = re.compile(r"(all|any)\[(\d+)\]")

# kind → what is wrong, after "The first condition …"; {detail} is the error's detail.
PROBLEMS = {
    "missing_name": {
        "field": N_("has no field chosen"),
        "tag": N_("has no tag chosen"),
        "segment": N_("has no segment chosen"),
        "event": N_("has no event chosen"),
    },
    "needs_value": N_("needs a value to compare with"),
    "needs_list": N_("needs a list of values, separated by commas"),
    "bad_value": N_("compares with something that is not a number, a text, yes/no or a list"),
    "unknown_operator": N_("uses a comparison the program does not know ({detail})"),
    "bad_field_name": N_("names a field with quotes, backslashes or control characters"),
    "bad_within": N_("has a time span that is not valid: {detail}"),
    "bad_count": N_("needs a number of times that is a whole number, 0 or more"),
    "count_too_big": N_("needs a number of times of at most {detail}"),
    "bad_where": N_("has event details that are not a list of property values"),
    "unexpected_keys": N_("has settings that do not belong to it ({detail})"),
    "empty": N_("is empty: choose a field, a tag, a segment or an event"),
    "not_a_list": N_("must hold a list of conditions"),
    "not_a_rule": N_("is not a condition"),
}


def _condition(index: int) -> str:
    if index < len(ORDINALS):
        return _("the {ordinal} condition").format(ordinal=_(ORDINALS[index]))
    return _("condition number {n}").format(n=index + 1)


def condition_words(path: str) -> str:
    """ "all[1].any[0]" → "The first condition inside the second condition"; "" → "The rule"."""
    steps = [int(index) for _key, index in _STEP.findall(path or "")]
    if not steps:
        return _("The condition") if "not" in (path or "") else _("The rule")
    words = [_condition(i) for i in reversed(steps)]
    sentence = _(" inside ").join(words)
    return sentence[:1].upper() + sentence[1:]


def plain_rule_error(error: RuleError, subject: str | None = None) -> str:
    """The error as a sentence naming the condition in words, e.g. "The first condition has no
    field chosen." Errors the parser did not classify keep their own words after the name.
    `subject` names the condition another way (a screen's one filter: "The field filter")."""
    subject = subject or condition_words(error.path)
    problem = PROBLEMS.get(error.kind)
    if isinstance(problem, dict):
        problem = problem.get(error.detail)
    if problem is None:
        text = str(error)
        reason = text[len(error.path) + 2 :] if error.path and text.startswith(error.path) else text
        return _("{subject}: {reason}.").format(subject=subject, reason=reason.rstrip("."))
    detail = error.detail
    if error.kind in ("needs_value", "needs_list", "unknown_operator"):
        detail = _(OPERATOR_LABELS[detail]) if detail in OPERATOR_LABELS else detail
    return f"{subject} {_(problem).format(detail=detail)}."
