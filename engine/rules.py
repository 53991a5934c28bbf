"""The rule language shared by segments, triggers and conditions, as plain data types.

A rule is JSON (see DESIGN.md, "Rules"). `parse_rule` turns it into these types or
raises `RuleError` naming the path of the faulty part; compiling to SQL lives in
`engine.rule_sql`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.durations import DurationError, parse_duration
from engine.i18n import N_, _

CORE_FIELDS = ("email", "phone", "first_name", "last_name", "timezone", "created_at")
OPERATORS = (
    "eq", "ne", "lt", "le", "gt", "ge", "in", "not_in",
    "contains", "starts_with", "is_set", "not_set",
)  # fmt: skip
# English; shown through _() (N_ marks them for translation)
OPERATOR_LABELS = {
    "eq": N_("is"),
    "ne": N_("is not"),
    "lt": "<",
    "le": "≤",
    "gt": ">",
    "ge": "≥",
    "in": N_("is one of"),
    "not_in": N_("is not one of"),
    "contains": N_("contains"),
    "starts_with": N_("starts with"),
    "is_set": N_("is set"),
    "not_set": N_("is not set"),
}
UNARY_OPERATORS = ("is_set", "not_set")
LIST_OPERATORS = ("in", "not_in")


class RuleError(ValueError):
    """A rule that does not follow the rule language; `path` says where (e.g. all[1].any[0]),
    `kind` what is wrong (engine.rule_words turns both into a sentence for people)."""

    def __init__(self, message: str, path: str = "", kind: str = "", detail: str = "") -> None:
        self.path = path
        self.kind = kind  # e.g. "missing_name", "needs_value"; "" when not classified
        self.detail = detail  # the key, operator or names the kind is about
        super().__init__(f"{path}: {message}" if path else message)


@dataclass(frozen=True)
class All:
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Any_:
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Not:
    rule: Rule


@dataclass(frozen=True)
class FieldTest:
    field: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class TagTest:
    tag: str


@dataclass(frozen=True)
class SegmentTest:
    segment: str


@dataclass(frozen=True)
class EventTest:
    event: str
    within: str | None = None  # ISO duration, counted back from now
    min_count: int = 1
    where: dict[str, Any] | None = None  # property equality, e.g. {"campaign": "x"}


Rule = All | Any_ | Not | FieldTest | TagTest | SegmentTest | EventTest


MAX_COUNT = 1_000_000_000  # an event count beyond any real history (and any database int)


def parse_rule(data: Any, path: str = "") -> Rule:
    """Parse a JSON rule into rule types; raise RuleError naming where it is wrong."""
    if not isinstance(data, dict):
        raise RuleError(f"a rule must be an object, not {type(data).__name__}", path, "not_a_rule")
    here = path or "rule"
    if "all" in data or "any" in data:
        key = "all" if "all" in data else "any"
        _only(data, {key}, here)
        items = data[key]
        if not isinstance(items, list):
            raise RuleError(f"'{key}' must be a list of rules", here, "not_a_list")
        rules = tuple(parse_rule(item, f"{path}{'.' if path else ''}{key}[{i}]")
                      for i, item in enumerate(items))  # fmt: skip
        return All(rules) if key == "all" else Any_(rules)
    if "not" in data:
        _only(data, {"not"}, here)
        return Not(parse_rule(data["not"], f"{path}{'.' if path else ''}not"))
    if "tag" in data:
        _only(data, {"tag"}, here)
        return TagTest(_name(data["tag"], "tag", here))
    if "segment" in data:
        _only(data, {"segment"}, here)
        return SegmentTest(_name(data["segment"], "segment", here))
    if "event" in data:
        _only(data, {"event", "within", "min_count", "where"}, here)
        within = data.get("within")
        if within is not None:
            try:
                parse_duration(within)
            except DurationError as exc:
                raise RuleError(f"'within': {exc}", here, "bad_within", str(exc)) from None
        min_count = data.get("min_count", 1)
        if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 0:
            raise RuleError("'min_count' must be a whole number ≥ 0", here, "bad_count")
        if min_count > MAX_COUNT:
            most = f"{MAX_COUNT:,}"
            raise RuleError(f"'min_count' must be at most {most}", here, "count_too_big", most)
        where = data.get("where")
        if where is not None and not isinstance(where, dict):
            raise RuleError("'where' must be an object of property values", here, "bad_where")
        return EventTest(_name(data["event"], "event", here), within, min_count, where)
    if "field" in data:
        _only(data, {"field", "op", "value"}, here)
        field = _name(data["field"], "field", here)
        if any(c in field for c in '"\\') or any(ord(c) < 32 for c in field):
            raise RuleError(f"field name {field!r} cannot contain quotes, backslashes or "
                            "control characters", here, "bad_field_name")  # fmt: skip
        op = data.get("op", "eq")
        if op not in OPERATORS:
            raise RuleError(f"unknown operator {op!r} (use one of {', '.join(OPERATORS)})", here,
                            "unknown_operator", str(op))  # fmt: skip
        value = data.get("value")
        if op not in UNARY_OPERATORS and "value" not in data:
            raise RuleError(f"operator {op!r} needs a 'value'", here, "needs_value", op)
        if op in LIST_OPERATORS and not isinstance(value, list):
            raise RuleError(f"operator {op!r} needs a list as 'value'", here, "needs_list", op)
        if isinstance(value, (dict,)):
            raise RuleError("'value' must be a number, text, boolean or list", here, "bad_value")
        return FieldTest(field, op, tuple(value) if isinstance(value, list) else value)
    raise RuleError(
        "a rule needs one of: all, any, not, field, tag, segment, event "
        f"(found {', '.join(sorted(map(str, data))) or 'nothing'})",
        here,
        "empty",
    )


def rule_to_json(rule: Rule) -> dict[str, Any]:
    """The inverse of parse_rule."""
    if isinstance(rule, All):
        return {"all": [rule_to_json(r) for r in rule.rules]}
    if isinstance(rule, Any_):
        return {"any": [rule_to_json(r) for r in rule.rules]}
    if isinstance(rule, Not):
        return {"not": rule_to_json(rule.rule)}
    if isinstance(rule, TagTest):
        return {"tag": rule.tag}
    if isinstance(rule, SegmentTest):
        return {"segment": rule.segment}
    if isinstance(rule, EventTest):
        out: dict[str, Any] = {"event": rule.event}
        if rule.within is not None:
            out["within"] = rule.within
        if rule.min_count != 1:
            out["min_count"] = rule.min_count
        if rule.where:
            out["where"] = dict(rule.where)
        return out
    out = {"field": rule.field, "op": rule.op}
    if rule.op not in UNARY_OPERATORS:
        out["value"] = list(rule.value) if isinstance(rule.value, tuple) else rule.value
    return out


def referenced_segments(rule: Rule) -> set[str]:
    """Names of segments a rule refers to (for validation and cycle checks)."""
    if isinstance(rule, (All, Any_)):
        return set().union(*(referenced_segments(r) for r in rule.rules)) if rule.rules else set()
    if isinstance(rule, Not):
        return referenced_segments(rule.rule)
    if isinstance(rule, SegmentTest):
        return {rule.segment}
    return set()


def referenced_fields(rule: Rule) -> set[str]:
    """Contact fields and attributes a rule reads."""
    if isinstance(rule, (All, Any_)):
        return set().union(*(referenced_fields(r) for r in rule.rules)) if rule.rules else set()
    if isinstance(rule, Not):
        return referenced_fields(rule.rule)
    if isinstance(rule, FieldTest):
        return {rule.field}
    return set()


def describe_rule(rule: Rule) -> str:
    """A short sentence for node summaries: 'country is DE and tag vip' (in the current
    language; English on the command line)."""
    if isinstance(rule, All):
        return _(" and ").join(describe_rule(r) for r in rule.rules) or _("everyone")
    if isinstance(rule, Any_):
        return _(" or ").join(describe_rule(r) for r in rule.rules) or _("no one")
    if isinstance(rule, Not):
        return _("not ({rule})").format(rule=describe_rule(rule.rule))
    if isinstance(rule, TagTest):
        return _("tagged {tag}").format(tag=rule.tag)
    if isinstance(rule, SegmentTest):
        return _("in {segment}").format(segment=rule.segment)
    if isinstance(rule, EventTest):
        if rule.within:
            return _("did {event} within {span}").format(event=rule.event, span=rule.within)
        return _("did {event}").format(event=rule.event)
    label = _(OPERATOR_LABELS[rule.op]) if rule.op in OPERATOR_LABELS else rule.op
    if rule.op in UNARY_OPERATORS:
        return f"{rule.field} {label}"
    value = ", ".join(map(str, rule.value)) if isinstance(rule.value, tuple) else rule.value
    return f"{rule.field} {label} {value}"


def _only(data: dict, allowed: set[str], path: str) -> None:
    extra = set(data) - allowed
    if extra:
        names = ", ".join(sorted(map(str, extra)))
        raise RuleError(f"unexpected key(s) {names}", path, "unexpected_keys", names)


def _name(value: Any, key: str, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RuleError(f"'{key}' must be a non-empty name", path, "missing_name", key)
    return value
