"""The node catalog: every node type declared once — category, ports, typed parameters.

The designer's palette and inspector, validation and the runner all read these
declarations; adding a node type touches this file plus its runner handler and tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.durations import (
    DurationError,
    humanize_duration,
    parse_datetime,
    parse_duration,
    parse_time_of_day,
)
from engine.i18n import N_, _, day_and_time
from engine.rule_words import plain_rule_error
from engine.rules import RuleError, describe_rule, parse_rule

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ENGINE_EVENTS = (
    "email_sent",
    "sms_sent",
    "message_sent",
    "email_opened",
    "email_clicked",
    "unsubscribed",
    "bounced",
)
# Which node type makes the engine emit each engine event.
EVENT_SOURCES = {
    "email_sent": ("action.send_email",),
    "email_opened": ("action.send_email",),
    "email_clicked": ("action.send_email",),
    "unsubscribed": ("action.send_email", "action.send_sms", "action.send_message"),
    "bounced": ("action.send_email",),
    "sms_sent": ("action.send_sms",),
    "message_sent": ("action.send_message",),
}
CATEGORIES = ("trigger", "wait", "condition", "action", "goal", "exit")
CATEGORY_LABELS = {
    "trigger": "Triggers",
    "wait": "Waits",
    "condition": "Conditions",
    "action": "Actions",
    "goal": "Goals",
    "exit": "Flow",
}

# Parameter kinds. The inspector picks an editor per kind; `check_value` validates them.
KINDS = (
    "text",  # one line of text
    "longtext",  # multi-line text, a Jinja2 template when `template=True`
    "int",
    "number",
    "bool",
    "duration",  # ISO 8601 duration
    "datetime",  # ISO 8601 date-time
    "time",  # HH:MM
    "weekdays",  # list of mon..sun
    "choice",
    "segment",  # a segment name
    "template",  # a template name
    "rule",  # a rule of the rule language
    "event",  # an event name
    "node",  # another node's id in the same diagram
    "field",  # a contact field or attribute name
    "strings",  # list of strings
    "branches",  # condition.split branches
    "url",
    "value",  # any JSON scalar
)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    label: str
    help: str = ""
    required: bool = False
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    template: bool = False  # the text is a Jinja2 template (checked for syntax)


@dataclass(frozen=True)
class Port:
    name: str
    label: str = ""
    # A required port left unconnected is an error; an optional one, a warning that
    # contacts taking it end their journey there.
    required: bool = False


@dataclass(frozen=True)
class NodeType:
    type: str
    title: str
    category: str
    description: str
    params: tuple[Param, ...] = ()
    ports: tuple[Port, ...] = (Port("out"),)
    # Groups of parameters of which exactly one group must be given, e.g.
    # (("segment",), ("filter",)) or (("template",), ("subject", "body")).
    one_of: tuple[tuple[str, ...], ...] = ()
    missing: str = ""  # what validation says when no group is given (default: their labels)
    icon: str = ""
    summary: Callable[[dict[str, Any]], str] | None = None

    @property
    def is_trigger(self) -> bool:
        return self.category == "trigger"

    @property
    def is_wait(self) -> bool:
        return self.category == "wait"

    @property
    def is_send(self) -> bool:
        return self.type in SEND_TYPES

    def param(self, name: str) -> Param | None:
        for param in self.params:
            if param.name == name:
                return param
        return None

    def port_names(self, params: dict[str, Any] | None = None) -> list[str]:
        """Output ports; condition.split's come from its branches."""
        if self.type == "condition.split":
            branches = (params or {}).get("branches")
            names: dict[str, None] = {}  # ordered and O(1) to test: 10,000 branches stay fast
            if isinstance(branches, list):
                for branch in branches:
                    port = branch.get("port") if isinstance(branch, dict) else None
                    if isinstance(port, str):
                        names[port] = None
            return list(names)
        return [port.name for port in self.ports]

    def port(self, name: str) -> Port:
        for port in self.ports:
            if port.name == name:
                return port
        return Port(name, name)

    def defaults(self) -> dict[str, Any]:
        """Parameters a new node of this type starts with."""
        return {p.name: _copy(p.default) for p in self.params if p.default is not None}

    def describe(self, params: dict[str, Any]) -> str:
        """A one-line summary of the parameters, e.g. 'Wait 2 days'."""
        if self.summary is None:
            return self.title
        try:
            return self.summary(params)
        except Exception:  # a half-edited node still gets a title
            return self.title


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


# ---- parameter declarations shared by several types ---------------------------------

SEGMENT = Param("segment", "segment", "Segment", "Contacts in this saved segment.")
FILTER = Param("filter", "rule", "Filter", "An inline rule, instead of a saved segment.")
TEMPLATE = Param("template", "template", "Template", "A saved message template.")
EVENT = Param("event", "event", "Event", "The event's name, e.g. purchase.", required=True)


def _audience(p: dict[str, Any]) -> str:
    if p.get("segment"):
        return _("segment {name}").format(name=p["segment"])
    if p.get("filter"):
        try:
            return describe_rule(parse_rule(p["filter"]))
        except RuleError:
            return _("filter")
    return _("(no audience)")


def _message(source: str) -> Callable[[dict[str, Any]], str]:
    def summary(p: dict[str, Any]) -> str:
        prefix = _(source)
        if p.get("template"):
            return f"{prefix}: {p['template']}"
        if p.get("subject"):
            return f"{prefix}: {p['subject']}"
        body = str(p.get("body") or "").strip().splitlines()
        return f"{prefix}: {body[0][:30]}" if body else prefix

    return summary


def _sentence(text: str) -> str:
    """Upper-case the first letter only ('country is DE' -> 'Country is DE')."""
    return text[:1].upper() + text[1:]


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _split_summary(p: dict[str, Any]) -> str:
    branches = p.get("branches") or []
    shares = " / ".join(f"{b.get('port')} {b.get('percent')}%" for b in branches)
    return _("Split {shares}").format(shares=shares)


def _window_summary(p: dict[str, Any]) -> str:
    days = p.get("days") or list(WEEKDAYS)
    day_text = _("every day") if len(days) == 7 else "–".join([days[0], days[-1]]) if (
        _contiguous(days)) else ", ".join(days)  # fmt: skip
    return _("Wait for {days} {start}–{end}").format(
        days=day_text, start=p.get("start", "09:00"), end=p.get("end", "17:00")
    )


def _contiguous(days: list[str]) -> bool:
    try:
        idx = [WEEKDAYS.index(d) for d in days]
    except ValueError:
        return False
    return len(idx) > 2 and idx == list(range(idx[0], idx[0] + len(idx)))


def _date_field_summary(p: dict[str, Any]) -> str:
    """'1 day before birthday, every year, at 09:00' — never '-1 day'."""
    field_name = p.get("field", "?")
    offset = str(p.get("offset") or "")
    if offset and offset.lstrip("-") not in ("P0D", "PT0S"):
        length = humanize_duration(offset.lstrip("-"))
        if offset.startswith("-"):
            text = _("{length} before {field}").format(length=length, field=field_name)
        else:
            text = _("{length} after {field}").format(length=length, field=field_name)
    else:
        text = _("On {field}").format(field=field_name)
    if p.get("yearly"):
        text += _(", every year,")
    return text + _(" at {time}").format(time=p.get("at", "09:00"))


def _until_summary(p: dict[str, Any]) -> str:
    """'3 days after the campaign starts' or 'Wait until 2026-12-07 09:00'."""
    after = p.get("after_start")
    if after:
        if parse_duration(after).total_seconds() == 0:
            return _("When the campaign starts")
        return _("{length} after the campaign starts").format(length=humanize_duration(after))
    at = p.get("at")
    try:
        when = day_and_time(parse_datetime(at)) if isinstance(at, str) else "?"
    except (DurationError, ValueError):
        when = str(at).replace("T", " ")
    return _("Wait until {when}").format(when=when)


def _tag_summary(p: dict[str, Any]) -> str:
    parts = []
    if p.get("add"):
        parts.append("+" + ", +".join(p["add"]))
    if p.get("remove"):
        parts.append("−" + ", −".join(p["remove"]))
    return _("Tag {changes}").format(changes=" ".join(parts)) if parts else _("Tag")


NODE_TYPES: tuple[NodeType, ...] = (
    # ---- triggers ----
    NodeType(
        "trigger.manual",
        "Blast",
        "trigger",
        "Enrolls every matching contact once, when the campaign starts.",
        params=(SEGMENT, FILTER),
        ports=(Port("out", required=True),),
        one_of=(("segment",), ("filter",)),
        icon="send",
        summary=lambda p: _("Blast to {audience}").format(audience=_audience(p)),
    ),
    NodeType(
        "trigger.segment_entry",
        "Segment entry",
        "trigger",
        "Enrolls contacts as they enter the segment.",
        params=(
            SEGMENT,
            FILTER,
            Param(
                "include_existing",
                "bool",
                "Include existing",
                "Also enroll contacts already in the segment when the campaign starts.",
                default=True,
            ),
        ),
        ports=(Port("out", required=True),),
        one_of=(("segment",), ("filter",)),
        icon="segment",
        summary=lambda p: _("Enters {audience}").format(audience=_audience(p)),
    ),
    NodeType(
        "trigger.event",
        "Event",
        "trigger",
        "Enrolls a contact when the event happens after the campaign starts.",
        params=(EVENT, Param("filter", "rule", "Filter", "A rule on the event's properties.")),
        ports=(Port("out", required=True),),
        icon="bolt",
        summary=lambda p: _("When {event}").format(event=p.get("event", "?")),
    ),
    NodeType(
        "trigger.date_field",
        "Date field",
        "trigger",
        "Enrolls a contact on the date in one of their fields (birthday, renewal).",
        params=(
            Param("field", "field", "Date field", "A contact field holding a date.", True),
            Param("offset", "duration", "Offset", "Before (negative) or after the date."),
            Param("yearly", "bool", "Every year", "Repeat on the anniversary.", default=False),
            Param("at", "time", "At", "Time of day, in the contact's time zone.", default="09:00"),
        ),
        ports=(Port("out", required=True),),
        icon="calendar",
        summary=_date_field_summary,
    ),
    # ---- waits ----
    NodeType(
        "wait.delay",
        "Delay",
        "wait",
        "Holds the contact for a fixed time.",
        params=(
            Param("duration", "duration", "Duration", "ISO 8601, e.g. P2D or PT3H.", True, "P1D"),
        ),
        icon="clock",
        summary=lambda p: _("Wait {length}").format(
            length=humanize_duration(p.get("duration", "?"))
        ),
    ),
    NodeType(
        "wait.until",
        "Until date",
        "wait",
        "Holds the contact until a date and time, or until some time after the campaign starts.",
        params=(
            Param("at", "datetime", "Until", "ISO 8601 date-time."),
            Param(
                "after_start",
                "duration",
                "After the start",
                "How long after the campaign starts, e.g. P3D for day 3 of a drip; "
                "a contact arriving later goes on at once.",
                minimum=0,
            ),
        ),
        one_of=(("at",), ("after_start",)),
        missing=N_("needs a date, or a time after the campaign starts"),
        icon="calendar",
        summary=_until_summary,
    ),
    NodeType(
        "wait.window",
        "Time window",
        "wait",
        "Holds the contact until the next allowed day and hours, in their time zone.",
        params=(
            Param("days", "weekdays", "Days", "Allowed days.", default=list(WEEKDAYS[:5])),
            Param("start", "time", "From", "Start of the window.", default="09:00"),
            Param("end", "time", "To", "End of the window.", default="17:00"),
        ),
        icon="clock",
        summary=_window_summary,
    ),
    NodeType(
        "wait.for_event",
        "Wait for event",
        "wait",
        "Waits until the contact does the event, or the timeout passes.",
        params=(
            EVENT,
            Param("timeout", "duration", "Timeout", "Give up after this long.", True, "P3D"),
            Param("node", "node", "Which message", "Only events about the message this step sent."),
        ),
        ports=(Port("event", "event"), Port("timeout", "timeout")),
        icon="hourglass",
        summary=lambda p: _("Wait for {event} ≤ {length}").format(
            event=p.get("event", "?"), length=humanize_duration(p.get("timeout", "?"))
        ),
    ),
    # ---- conditions ----
    NodeType(
        "condition.attribute",
        "Field check",
        "condition",
        "Branches on a contact field or attribute.",
        params=(
            Param("field", "field", "Field", "Core field or attribute.", True),
            Param(
                "op",
                "choice",
                "Operator",
                "How to compare.",
                True,
                "eq",
                choices=(
                    "eq",
                    "ne",
                    "lt",
                    "le",
                    "gt",
                    "ge",
                    "in",
                    "not_in",
                    "contains",
                    "starts_with",
                    "is_set",
                    "not_set",
                ),
            ),
            Param("value", "value", "Value", "What to compare with."),
        ),
        ports=(Port("yes", "yes"), Port("no", "no")),
        icon="filter",
        summary=lambda p: _sentence(
            describe_rule(
                parse_rule({"field": p["field"], "op": p.get("op", "eq"), "value": p.get("value")})
            )
        ),
    ),
    NodeType(
        "condition.segment",
        "In segment?",
        "condition",
        "Branches on membership of a segment or a rule.",
        params=(SEGMENT, FILTER),
        ports=(Port("yes", "yes"), Port("no", "no")),
        one_of=(("segment",), ("filter",)),
        icon="segment",
        summary=lambda p: _("Is {audience}?").format(audience=_audience(p)),
    ),
    NodeType(
        "condition.event",
        "Did event?",
        "condition",
        "Branches on whether the contact did an event.",
        params=(
            EVENT,
            Param("node", "node", "Which message", "Only events about the message this step sent."),
            Param("within", "duration", "Within", "Look back this long (default: since entry)."),
        ),
        ports=(Port("yes", "yes"), Port("no", "no")),
        icon="bolt",
        summary=lambda p: f"{event_words(p.get('event'))}?",
    ),
    NodeType(
        "condition.split",
        "A/B split",
        "condition",
        "Assigns contacts to branches by percentage, stably per contact.",
        params=(
            Param(
                "branches",
                "branches",
                "Branches",
                "Ports and percentages; they must add up to 100.",
                True,
                [{"port": "A", "percent": 50}, {"port": "B", "percent": 50}],
            ),
        ),
        ports=(),
        icon="split",
        summary=_split_summary,
    ),
    # ---- actions ----
    NodeType(
        "action.send_email",
        "Send email",
        "action",
        "Sends an email.",
        params=(
            TEMPLATE,
            Param("subject", "text", "Subject", "Inline subject line.", template=True),
            Param("body", "longtext", "HTML body", "Inline HTML body.", template=True),
            Param("text", "longtext", "Text body", "Plain-text alternative.", template=True),
            Param("sender", "text", "Sender", "A sender identity or address."),
        ),
        one_of=(("template",), ("subject", "body")),
        icon="mail",
        summary=_message(N_("Email")),
    ),
    NodeType(
        "action.send_sms",
        "Send SMS",
        "action",
        "Sends a text message.",
        params=(TEMPLATE, Param("body", "longtext", "Text", "Inline SMS text.", template=True)),
        one_of=(("template",), ("body",)),
        icon="sms",
        summary=_message(N_("SMS")),
    ),
    NodeType(
        "action.send_message",
        "Send message",
        "action",
        "Sends a messenger, push or in-app message.",
        params=(
            TEMPLATE,
            Param("body", "longtext", "Text", "Inline message text.", template=True),
            Param(
                "channel",
                "choice",
                "Channel",
                "Where to deliver.",
                True,
                "push",
                choices=("push", "in_app", "messenger", "whatsapp", "telegram", "slack"),
            ),
        ),
        one_of=(("template",), ("body",)),
        icon="chat",
        summary=_message(N_("Message")),
    ),
    NodeType(
        "action.webhook",
        "Webhook",
        "action",
        "Calls a URL with the contact's data.",
        params=(
            Param("url", "url", "URL", "http:// or https:// address.", True, template=True),
            Param(
                "method",
                "choice",
                "Method",
                "HTTP method.",
                default="POST",
                choices=("POST", "PUT", "PATCH", "GET", "DELETE"),
            ),
            Param("body", "longtext", "Body", "Request body (a template).", template=True),
        ),
        icon="globe",
        summary=lambda p: f"{p.get('method', 'POST')} {p.get('url', '?')}",
    ),
    NodeType(
        "action.update_contact",
        "Update field",
        "action",
        "Sets a contact field or attribute.",
        params=(
            Param("field", "field", "Field", "Core field or attribute.", True),
            Param("value", "value", "Value", "The new value (may be a template)."),
        ),
        icon="edit",
        summary=lambda p: _("Set {field} = {value}").format(
            field=p.get("field", "?"), value=_value(p.get("value", ""))
        ),
    ),
    NodeType(
        "action.tag",
        "Tag",
        "action",
        "Adds or removes tags.",
        params=(
            Param("add", "strings", "Add tags", "Tags to add."),
            Param("remove", "strings", "Remove tags", "Tags to remove."),
        ),
        icon="tag",
        summary=_tag_summary,
    ),
    NodeType(
        "action.segment",
        "Segment list",
        "action",
        "Adds the contact to, or removes them from, a static segment.",
        params=(
            Param("segment", "segment", "Segment", "A static segment.", True),
            Param(
                "action",
                "choice",
                "Action",
                "Add or remove.",
                True,
                "add",
                choices=("add", "remove"),
            ),
        ),
        icon="segment",
        summary=lambda p: (
            (
                _("Add to {segment}")
                if p.get("action", "add") == "add"
                else _("Remove from {segment}")
            ).format(segment=p.get("segment", "?"))
            if p.get("action", "add") in ("add", "remove")
            else (f"{str(p.get('action', 'add')).capitalize()} from {p.get('segment', '?')}")
        ),
    ),
    NodeType(
        "action.score",
        "Score",
        "action",
        "Adds points to the contact's score (negative to subtract).",
        params=(Param("points", "int", "Points", "Points to add.", True, 10, -1000000, 1000000),),
        icon="star",
        summary=lambda p: _("Score {points}").format(points=f"{int(p.get('points', 0)):+d}"),
    ),
    NodeType(
        "action.notify",
        "Notify owner",
        "action",
        "Tells the campaign owner (or someone else) by email.",
        params=(
            Param("to", "text", "To", "Email address.", True, template=True),
            Param("subject", "text", "Subject", "Subject line.", True, template=True),
            Param("body", "longtext", "Body", "Message.", True, template=True),
        ),
        icon="bell",
        summary=lambda p: _("Notify {to}").format(to=p.get("to", "?")),
    ),
    # ---- goal and exit ----
    NodeType(
        "goal",
        "Goal",
        "goal",
        "A conversion: contacts who do the event jump here from anywhere in the campaign.",
        params=(EVENT, Param("filter", "rule", "Filter", "A rule on the event's properties.")),
        icon="flag",
        summary=lambda p: _("Goal: {event}").format(event=p.get("event", "?")),
    ),
    NodeType(
        "exit",
        "Exit",
        "exit",
        "Ends the contact's journey.",
        ports=(),
        icon="exit",
        summary=lambda p: _("Exit"),
    ),
)

CATALOG: dict[str, NodeType] = {t.type: t for t in NODE_TYPES}
SEND_TYPES = ("action.send_email", "action.send_sms", "action.send_message")
CHANNEL_OF = {
    "action.send_email": "email",
    "action.send_sms": "sms",
    "action.send_message": "message",
}


def node_type(type_name: str) -> NodeType | None:
    return CATALOG.get(type_name)


# The engine's own events as a marketer says them (other events keep their names).
EVENT_WORDS = {"email_opened": N_("Opened the email"), "email_clicked": N_("Clicked a link"),
               "email_sent": N_("Was sent an email"), "sms_sent": N_("Was sent an SMS"),
               "unsubscribed": N_("Unsubscribed"), "bounced": N_("Bounced")}  # fmt: skip


def event_words(event: str | None) -> str:
    """'Opened the email' for email_opened; 'Did purchase' for a custom event."""
    if not event:
        return _("Did the event")
    if event in EVENT_WORDS:
        return _(EVENT_WORDS[event])
    return _("Did {event}").format(event=event)


def types_in(category: str) -> list[NodeType]:
    # from CATALOG: in the user's language once engine.i18n.set_language has run
    return [CATALOG[t.type] for t in NODE_TYPES if t.category == category]


def check_value(param: Param, value: Any) -> str | None:
    """None when `value` suits `param`, otherwise a sentence saying what is wrong (in the
    current language; English on the command line)."""
    kind = param.kind
    label = param.label
    if kind in ("text", "longtext", "segment", "template", "event", "node", "field", "url"):
        if not isinstance(value, str):
            return _("{label} must be text").format(label=label)
        if param.required and not value.strip():
            return _("{label} is empty").format(label=label)
        if kind == "url" and value and not value.startswith(("http://", "https://", "{{")):
            return _("{label} must start with http:// or https://").format(label=label)
        return None
    if kind in ("int", "number"):
        ok_type = int if kind == "int" else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok_type):
            if kind == "int":
                return _("{label} must be a whole number").format(label=label)
            return _("{label} must be a number").format(label=label)
        if param.minimum is not None and value < param.minimum:
            return _("{label} must be at least {minimum:g}").format(
                label=label, minimum=param.minimum
            )
        if param.maximum is not None and value > param.maximum:
            return _("{label} must be at most {maximum:g}").format(
                label=label, maximum=param.maximum
            )
        return None
    if kind == "bool":
        if isinstance(value, bool):
            return None
        return _("{label} must be true or false").format(label=label)
    try:
        if kind == "duration":
            length = parse_duration(value)
            if param.minimum is not None and length.total_seconds() < param.minimum:
                return _("{label} must not be negative").format(label=label)
        elif kind == "datetime":
            parse_datetime(value)
        elif kind == "time":
            parse_time_of_day(value)
    except DurationError as exc:
        return _("{label}: {error}").format(label=label, error=exc)
    if kind == "weekdays":
        if not isinstance(value, list) or not value:
            return _("{label} must list at least one day (mon … sun)").format(label=label)
        bad = [d for d in value if d not in WEEKDAYS]
        if bad:
            return _("{label}: unknown day {day} (use mon, tue, wed, thu, fri, sat, sun)").format(
                label=label, day=repr(bad[0])
            )
    elif kind == "choice":
        if value not in param.choices:
            return _("{label} must be one of {choices}").format(
                label=label, choices=", ".join(param.choices)
            )
    elif kind == "rule":
        try:
            parse_rule(value)
        except RuleError as exc:
            return _("{label}: {error}").format(label=label, error=plain_rule_error(exc))
    elif kind == "strings":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            return _("{label} must be a list of names").format(label=label)
    elif kind == "branches":
        return _check_branches(value)
    elif kind == "value" and isinstance(value, dict):
        return _("{label} must be a number, text, boolean or list").format(label=label)
    return None


def _check_branches(value: Any) -> str | None:
    if not isinstance(value, list) or len(value) < 2:
        return _("A split needs at least two branches")
    seen = set()
    for i, branch in enumerate(value):
        if not isinstance(branch, dict) or set(branch) - {"port", "percent"}:
            return _("Branch {n} must be {{'port': name, 'percent': number}}").format(n=i + 1)
        port, percent = branch.get("port"), branch.get("percent")
        if not isinstance(port, str) or not port.strip():
            return _("Branch {n} needs a port name").format(n=i + 1)
        if port in seen:
            return _("Branch name {port} is used twice").format(port=repr(port))
        seen.add(port)
        if isinstance(percent, bool) or not isinstance(percent, (int, float)) or percent < 0:
            return _("Branch {port} needs a percentage ≥ 0").format(port=repr(port))
    total = sum(b["percent"] for b in value)
    if abs(total - 100) > 1e-9:
        return _("The split's percentages add up to {total:g}, not 100").format(total=total)
    return None
