"""The rule language compiled to SQLAlchemy expressions over `schema.contacts`.

User values are always bound parameters, never SQL text. Every leaf is two-valued (never
NULL), so `not`, `ne` and `not_in` include contacts that lack the field, as marketers expect.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Float,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    not_,
    or_,
    select,
    true,
    type_coerce,
)

from engine.db.schema import contact_tags, contacts, events, segment_members, segments
from engine.durations import DurationError, parse_duration
from engine.rules import (
    All,
    Any_,
    EventTest,
    FieldTest,
    Not,
    Rule,
    RuleError,
    SegmentTest,
    TagTest,
    parse_rule,
)

__all__ = [
    "CORE_COLUMNS",
    "RuleCompileError",
    "compile_rule",
    "count_matching",
    "json_property_equals",
    "matching_ids",
    "segment_filter",
]


class RuleCompileError(RuleError):
    """A rule that cannot be turned into SQL: unknown segment, segment cycle, bad value."""


# Core fields a rule may test, by kind of value.
TEXT_COLUMNS = ("email", "phone", "first_name", "last_name", "timezone")
DATE_COLUMNS = ("created_at", "updated_at")
NUMBER_COLUMNS = ("score", "id")
BOOLEAN_COLUMNS = ("unsubscribed", "bounced")
CORE_COLUMNS = TEXT_COLUMNS + DATE_COLUMNS + NUMBER_COLUMNS + BOOLEAN_COLUMNS

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_RELATIVE = re.compile(r"^-?P[0-9YMWDTHS.,]+$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def compile_rule(rule: dict | Rule, conn: Connection, now: dt.datetime) -> ColumnElement[bool]:
    """A boolean expression over `contacts` true for the contacts the rule matches.

    Segments named inside are read through `conn` (dynamic ones compile their rule, static
    ones test membership). `now` (naive UTC) anchors `within` and relative dates like -P30D.
    """
    return _Compiler(conn, now).rule(_parsed(rule))


def segment_filter(name: str, conn: Connection, now: dt.datetime) -> ColumnElement[bool]:
    """The expression for membership of the segment called `name`."""
    return _Compiler(conn, now).segment(name)


def count_matching(
    conn: Connection, rule_or_segment_name: dict | Rule | str, now: dt.datetime
) -> int:
    """How many contacts match a rule, or are in the segment of that name."""
    query = select(func.count()).select_from(contacts)
    query = query.where(_filter(rule_or_segment_name, conn, now))
    return int(conn.execute(query).scalar_one())


def matching_ids(
    conn: Connection, rule_or_segment_name: dict | Rule | str, now: dt.datetime
) -> Select:
    """A SELECT of the ids of matching contacts (for INSERT ... SELECT in the runner)."""
    return select(contacts.c.id).where(_filter(rule_or_segment_name, conn, now))


def check_field(field: str, op: str, value: Any, now: dt.datetime | None = None) -> str | None:
    """None when a field comparison compiles (validation, before a campaign starts), else
    the sentence the runner would have failed with."""
    from sqlalchemy.exc import ArgumentError

    from engine.clock import utcnow

    test = FieldTest(field, op, tuple(value) if isinstance(value, list) else value)
    compiler = _Compiler.__new__(_Compiler)
    compiler.now, compiler.dialect, compiler.expanding = now or utcnow(), "sqlite", []
    try:
        compiler.field(test)
    except RuleError as exc:
        return str(exc)
    except (TypeError, ValueError, OverflowError, ArgumentError) as exc:
        return f"{field} {op} {value!r} cannot be compared ({str(exc).splitlines()[0]})"
    return None


def json_property_equals(column: Any, name: str, value: Any, dialect: str) -> ColumnElement[bool]:
    """`column[name] == value` for a JSON column (event properties), typed by the value."""
    view = _JsonField(column, name, dialect)
    return _compare_json(view, "eq", value, None)


def _filter(target: dict | Rule | str, conn: Connection, now: dt.datetime) -> ColumnElement[bool]:
    if isinstance(target, str):
        return segment_filter(target, conn, now)
    return compile_rule(target, conn, now)


def _parsed(rule: dict | Rule) -> Rule:
    if isinstance(rule, dict):
        try:
            return parse_rule(rule)
        except RuleCompileError:
            raise
        except RuleError as exc:
            raise RuleCompileError(str(exc)) from None
    return rule


class _Compiler:
    """One compilation: caches segment rows and tracks the segments being expanded."""

    def __init__(self, conn: Connection, now: dt.datetime) -> None:
        self.conn = conn
        self.now = now
        self.dialect = conn.dialect.name
        self.expanding: list[str] = []

    def rule(self, rule: Rule) -> ColumnElement[bool]:
        if isinstance(rule, All):
            return and_(true(), *(self.rule(r) for r in rule.rules))
        if isinstance(rule, Any_):
            return or_(false(), *(self.rule(r) for r in rule.rules))
        if isinstance(rule, Not):
            return not_(self.rule(rule.rule))
        if isinstance(rule, TagTest):
            return _has_tag(rule.tag)
        if isinstance(rule, SegmentTest):
            return self.segment(rule.segment)
        if isinstance(rule, EventTest):
            return self.event(rule)
        if isinstance(rule, FieldTest):
            return self.field(rule)
        raise RuleCompileError(f"not a rule: {rule!r}")

    # ---- segments ------------------------------------------------------------------

    def segment(self, name: str) -> ColumnElement[bool]:
        if name in self.expanding:
            loop = " → ".join([*self.expanding[self.expanding.index(name) :], name])
            raise RuleCompileError(f"segments refer to each other in a loop: {loop}")
        row = self.conn.execute(
            select(segments.c.id, segments.c.kind, segments.c.rule).where(segments.c.name == name)
        ).first()
        if row is None:
            raise RuleCompileError(f"unknown segment {name!r}")
        member = exists(
            select(segment_members.c.contact_id).where(
                segment_members.c.segment_id == row.id,
                segment_members.c.contact_id == contacts.c.id,
            )
        )
        if row.kind != "dynamic" or row.rule is None:
            return member
        self.expanding.append(name)
        try:
            try:
                rule = parse_rule(row.rule)
            except RuleError as exc:
                raise RuleCompileError(f"segment {name!r} has a faulty rule: {exc}") from None
            # Contacts added by hand (action.segment) stay in a dynamic segment too.
            return or_(self.rule(rule), member)
        finally:
            self.expanding.pop()

    # ---- events ----------------------------------------------------------------------

    def event(self, test: EventTest) -> ColumnElement[bool]:
        conditions = [
            events.c.contact_id == contacts.c.id,
            events.c.name == test.event,
            events.c.occurred_at <= self.now,  # events "in the future" (simulate) do not count
        ]
        if test.within:
            try:
                since = self.now - abs(parse_duration(test.within))
            except DurationError as exc:
                raise RuleCompileError(str(exc)) from None
            conditions.append(events.c.occurred_at >= since)
        for key, value in (test.where or {}).items():
            conditions.append(self.event_property(key, value))
        if test.min_count <= 0:
            return true()
        if test.min_count == 1:
            return exists(select(events.c.id).where(*conditions))
        counted = select(func.count(events.c.id)).where(*conditions).scalar_subquery()
        return counted >= test.min_count

    def event_property(self, key: str, value: Any) -> ColumnElement[bool]:
        if key in ("campaign_id", "campaign") and isinstance(value, int):
            return events.c.campaign_id == value
        if key in ("node_id", "node"):
            return events.c.node_id == str(value)
        return json_property_equals(events.c.properties, key, value, self.dialect)

    # ---- fields ----------------------------------------------------------------------

    def field(self, test: FieldTest) -> ColumnElement[bool]:
        name, op, value = test.field, test.op, test.value
        if name == "tags":
            return _tags_field(op, value)
        if name in CORE_COLUMNS:
            return _compare_core(name, op, value, self.now)
        if '"' in name or "\\" in name:
            raise RuleCompileError(f"attribute name {name!r} cannot contain quotes")
        return _compare_json(
            _JsonField(contacts.c.attributes, name, self.dialect), op, value, self.now
        )


# ---- tags --------------------------------------------------------------------------------


def _has_tag(tag: str) -> ColumnElement[bool]:
    return exists(
        select(contact_tags.c.contact_id).where(
            contact_tags.c.contact_id == contacts.c.id, contact_tags.c.tag == tag
        )
    )


def _tags_field(op: str, value: Any) -> ColumnElement[bool]:
    """`{"field": "tags", ...}`: the tag list as a field (eq/contains/in test one of the tags)."""
    if op in ("is_set", "not_set"):
        any_tag = exists(
            select(contact_tags.c.tag).where(contact_tags.c.contact_id == contacts.c.id)
        )
        return any_tag if op == "is_set" else not_(any_tag)
    values = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    if op in ("eq", "contains", "in"):
        return or_(false(), *(_has_tag(v) for v in values))
    if op in ("ne", "not_in"):
        return not_(or_(false(), *(_has_tag(v) for v in values)))
    raise RuleCompileError(f"operator {op!r} does not apply to tags (use contains or is_set)")


# ---- core columns -------------------------------------------------------------------------


def _compare_core(name: str, op: str, value: Any, now: dt.datetime) -> ColumnElement[bool]:
    column = contacts.c[name]
    if op in ("is_set", "not_set"):
        present = column.is_not(None)
        if name in TEXT_COLUMNS:
            present = and_(present, column != "")
        return present if op == "is_set" else not_(present)
    if op in ("ne", "not_in"):
        return not_(_compare_core(name, "eq" if op == "ne" else "in", value, now))
    if name in DATE_COLUMNS:
        return _compare_datetime_column(column, name, op, value, now)
    if name in NUMBER_COLUMNS:
        convert = _number_value
    elif name in BOOLEAN_COLUMNS:
        convert = _boolean_value
    else:
        convert = _text_value
    return _apply(column, op, value, lambda v: convert(v, name))


def _compare_datetime_column(column, name: str, op: str, value: Any, now: dt.datetime):
    """Dates compare as dates: `created_at eq 2024-05-01` is the whole day."""
    if op in ("contains", "starts_with"):
        raise RuleCompileError(f"operator {op!r} does not apply to the date {name}")
    if op == "in":
        return or_(false(), *(_compare_datetime_column(column, name, "eq", v, now) for v in value))
    start, whole_day = _datetime_value(value, name, now)
    try:
        end = start + dt.timedelta(days=1) if whole_day else start
    except OverflowError:  # 9999-12-31: the whole day runs to the end of time
        end = dt.datetime.max
    present = column.is_not(None)
    if op == "eq":
        return and_(present, column >= start, column < end) if whole_day else column == start
    if op == "lt":
        return and_(present, column < start)
    if op == "le":
        return and_(present, column < end) if whole_day else and_(present, column <= start)
    if op == "gt":
        return and_(present, column >= end) if whole_day else and_(present, column > start)
    if op == "ge":
        return and_(present, column >= start)
    raise RuleCompileError(f"unknown operator {op!r}")


def _apply(view, op: str, value: Any, convert) -> ColumnElement[bool]:
    """A positive comparison that is false (never NULL) when the view is NULL."""
    present = view.is_not(None)
    if op in ("contains", "starts_with"):
        text = str(value).lower()
        lowered = func.lower(type_coerce(view, String))
        like = (
            lowered.contains(text, autoescape=True)
            if op == "contains"
            else lowered.startswith(text, autoescape=True)
        )
        return and_(present, like)
    if op == "in":
        values = [convert(v) for v in value]
        return and_(present, view.in_(values)) if values else false()
    converted = convert(value)
    if (converted is None or isinstance(converted, bool)) and op != "eq":
        raise RuleCompileError(f"operator {op!r} does not apply to {value!r}; use eq or ne")
    comparison = {
        "eq": view.__eq__,
        "lt": view.__lt__,
        "le": view.__le__,
        "gt": view.__gt__,
        "ge": view.__ge__,
    }.get(op)
    if comparison is None:
        raise RuleCompileError(f"unknown operator {op!r}")
    return and_(present, comparison(converted))


# ---- JSON attributes -------------------------------------------------------------------------


class _JsonField:
    """Typed views of one key of a JSON column; each view is NULL unless the stored value
    has that JSON type, so a text never compares as a number (and PostgreSQL never fails a
    cast)."""

    def __init__(self, column, name: str, dialect: str) -> None:
        self.column, self.name, self.dialect = column, name, dialect
        if dialect == "sqlite":
            path = '$."' + name + '"'
            self.kind = func.json_type(column, path)
            self.raw = func.json_extract(column, path)
            self.kinds = {"number": ("integer", "real"), "text": ("text",), "null": ("null",)}
        elif dialect == "postgresql":
            self.kind = func.json_typeof(column[name])
            self.raw = column[name].as_string()
            self.kinds = {"number": ("number",), "text": ("string",), "null": ("null",)}
        else:  # other databases: no type guard, SQLAlchemy's generic JSON accessors
            self.kind = None
            self.raw = column[name].as_string()

    def text(self):
        if self.kind is None:
            return self.raw
        return type_coerce(case((self.kind.in_(self.kinds["text"]), self.raw)), String)

    def number(self):
        if self.kind is None:
            return self.column[self.name].as_float()
        value = self.raw if self.dialect == "sqlite" else cast(self.raw, Float)
        return type_coerce(case((self.kind.in_(self.kinds["number"]), value)), Float)

    def boolean(self):
        if self.dialect == "sqlite":
            return type_coerce(
                case((self.kind == "true", true()), (self.kind == "false", false())), Boolean
            )
        if self.dialect == "postgresql":
            return type_coerce(case((self.kind == "boolean", cast(self.raw, Boolean))), Boolean)
        return self.column[self.name].as_boolean()

    def text_in(self, values: list[str]) -> ColumnElement[bool]:
        """The value is one of these texts (never NULL). On SQLite one JSON read: a number or
        boolean read from JSON never equals a text there, so no type test is needed."""
        if self.dialect == "sqlite":
            test = type_coerce(self.raw, String).in_(values)
            return type_coerce(func.coalesce(test, false()), Boolean)
        return _apply(self.text(), "in", values, str)

    def present(self):
        if self.kind is None:
            return and_(self.raw.is_not(None), self.raw != "")
        text = self.text()
        return and_(
            self.kind.is_not(None),
            self.kind.not_in(self.kinds["null"]),
            or_(text.is_(None), text != ""),
        )


def _compare_json(view: _JsonField, op: str, value: Any, now: dt.datetime | None):
    if op in ("is_set", "not_set"):
        return view.present() if op == "is_set" else not_(view.present())
    if op in ("ne", "not_in"):
        return not_(_compare_json(view, "eq" if op == "ne" else "in", value, now))
    if op in ("contains", "starts_with"):
        return _apply(view.text(), op, value, str)
    if op == "in":
        values = list(value)
        if not values:
            return false()
        if all(_plain_text(v, now) for v in values):
            return view.text_in([str(v) for v in values])
        return or_(false(), *(_compare_json(view, "eq", v, now) for v in values))
    if value is None:
        if op == "eq":
            return not_(view.present())
        raise RuleCompileError(f"operator {op!r} needs a value")
    if isinstance(value, bool):
        return _apply(view.boolean(), op, value, bool)
    if isinstance(value, (int, float)):
        return _apply(view.number(), op, _number_value(value, view.name), float)
    text = str(value)
    date_value = _attribute_date(text, now)
    if date_value is not None:
        # Dates are stored as ISO text; compare the date (or date-time) prefix as text.
        width = len(date_value)
        prefix = func.substr(view.text(), 1, width)
        return _apply(type_coerce(prefix, String), op, date_value, str)
    if _NUMBER.match(text.strip()):
        # "90" typed in a form: compare as a number; for equality also accept the text.
        number = _apply(view.number(), op, float(text), float)
        return or_(number, _apply(view.text(), op, text, str)) if op == "eq" else number
    if text.lower() in ("true", "false") and op == "eq":
        flag = text.lower() == "true"
        return or_(_apply(view.boolean(), op, flag, bool), _apply(view.text(), op, text, str))
    if op == "eq":
        return view.text_in([text])
    return _apply(view.text(), op, text, str)


def _plain_text(value: Any, now: dt.datetime | None) -> bool:
    """Text that is neither a number, a date nor true/false (compared as text only)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    return not (_NUMBER.match(text) or text.lower() in ("true", "false")
                or _attribute_date(text, now) is not None)  # fmt: skip


# ---- values ------------------------------------------------------------------------------------


def _text_value(value: Any, name: str) -> str:
    if isinstance(value, bool) or value is None:
        raise RuleCompileError(f"{name} is text; compare it with text, not {value!r}")
    text = str(value)
    return text.lower() if name == "email" else text


def _number_value(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise RuleCompileError(f"{name} is a number; compare it with a number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise RuleCompileError(f"{name} is a number; {value!r} is not a number") from None
    if not math.isfinite(number):
        raise RuleCompileError(f"{name} is a number; {value!r} is not a finite number")
    return number


def _boolean_value(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "1", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    raise RuleCompileError(f"{name} is yes/no; compare it with true or false, not {value!r}")


def _datetime_value(value: Any, name: str, now: dt.datetime) -> tuple[dt.datetime, bool]:
    """(moment, whole day?) for a date value: an ISO date, date-time, or a duration from now."""
    text = str(value).strip() if value is not None else ""
    try:
        if _RELATIVE.match(text):
            try:
                return now + parse_duration(text), False
            except DurationError:
                pass
        if _ISO_DATE.match(text):
            return dt.datetime.fromisoformat(text), True
        if _ISO_DATETIME.match(text):
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
            return moment, False
    except (ValueError, OverflowError):
        raise RuleCompileError(
            f"{name}: {text[:40]!r} is not a date this program can use (years 1 to 9999)"
        ) from None
    raise RuleCompileError(
        f"{name} is a date; {value!r} is not a date (use 2024-05-31 or a duration like -P30D)"
    )


def _attribute_date(text: str, now: dt.datetime | None) -> str | None:
    """An ISO date/date-time text for date-like values, else None."""
    text = text.strip()
    if _RELATIVE.match(text) and now is not None:
        try:
            return (now + parse_duration(text)).date().isoformat()
        except (DurationError, OverflowError):
            return None
    if _ISO_DATE.match(text):
        return text
    if _ISO_DATETIME.match(text):
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        except (ValueError, OverflowError):
            return None
        return moment.isoformat(timespec="seconds")
    return None
