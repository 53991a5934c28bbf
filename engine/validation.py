"""Validation: every problem a marketer must fix before a campaign can start.

`validate(diagram, context)` returns `Problem`s naming a node or edge. The optional
`ValidationContext` brings what only the database knows (templates, segments, the
contact schema, events seen); without it those checks are skipped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine.catalog import CATALOG, ENGINE_EVENTS, EVENT_SOURCES, check_value
from engine.diagram import Diagram, Node
from engine.durations import DurationError, parse_duration
from engine.i18n import _
from engine.node_names import node_names, port_words
from engine.problems import Problem
from engine.rules import CORE_FIELDS, RuleError, parse_rule, referenced_fields
from engine.templating import check_syntax, contact_variables, unguarded_contact_variables

ENTRY_CHOICES = ("once", "every_time")
CONTACT_BUILTINS = frozenset(CORE_FIELDS) | {"id", "score", "tags", "unsubscribed", "name"}


@dataclass
class ValidationContext:
    """What the database knows. None means "unknown: skip that check"."""

    templates: dict[str, list[str]] | None = None  # name -> template sources (subject, body…)
    segments: set[str] | None = None
    contact_fields: set[str] | None = None  # attribute names seen on contacts
    known_events: set[str] | None = None
    # The share (0..1) of contacts without a field, or None when unknown (no contacts).
    missing_share: Callable[[str], float | None] | None = None
    # The workspace's settings a campaign's own may override ({"track_opens": True, …}).
    workspace_defaults: dict[str, Any] | None = None
    # A hook for extra checks (e.g. the engine's template compiler), called per node.
    extra: list[Callable[[Diagram, Node], list[Problem]]] = field(default_factory=list)


def validate(diagram: Diagram, context: ValidationContext | None = None) -> list[Problem]:
    """All problems in the diagram, errors first, in document order."""
    problems: list[Problem] = []
    context = context or ValidationContext()
    problems += _check_settings(diagram)
    for node in diagram.nodes.values():
        problems += _check_node(diagram, node, context)
    problems += _check_graph(diagram)
    order = {node_id: i for i, node_id in enumerate(diagram.nodes)}
    problems.sort(key=lambda p: (p.severity != "error", order.get(p.node or "", -1)))
    return problems


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


# ---- settings -----------------------------------------------------------------------


def _check_settings(diagram: Diagram) -> list[Problem]:
    out = []
    s = diagram.settings
    entry = s.get("entry", "once")
    if entry not in ENTRY_CHOICES:
        try:
            parse_duration(entry)
        except DurationError:
            out.append(Problem(None, _("entry must be once, every_time or a duration like P30D "
                                     "(got {entry})").format(entry=repr(entry))))  # fmt: skip
    tz = s.get("timezone")
    if tz is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(str(tz))
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long
            out.append(
                Problem(
                    None, _("unknown time zone {zone} (e.g. Europe/Berlin)").format(zone=repr(tz))
                )
            )
    quiet = s.get("quiet_hours")
    if quiet is not None:
        from engine.durations import parse_time_of_day

        try:
            if not isinstance(quiet, list) or len(quiet) != 2:
                raise DurationError("quiet_hours must be [start, end]")
            for value in quiet:
                parse_time_of_day(value)
        except DurationError as exc:
            out.append(Problem(None, f"quiet_hours: {exc}"))
    for key in ("start_at", "end_at"):
        if s.get(key) is not None:
            from engine.clock import to_naive_utc
            from engine.durations import parse_datetime

            try:
                to_naive_utc(parse_datetime(s[key]))
            except (DurationError, OverflowError, TypeError):
                out.append(Problem(None, _("{key} must be an ISO date-time between the years 1 "
                                         "and 9999 (got {value})").format(
                                             key=key, value=repr(str(s[key])[:40]))))  # fmt: skip
    cap = s.get("frequency_cap")
    if cap is not None:
        ok = isinstance(cap, dict) and isinstance(cap.get("count"), int) and cap["count"] > 0
        try:
            ok = ok and parse_duration(cap.get("per", "")) is not None
        except DurationError:
            ok = False
        if not ok:
            out.append(Problem(None, 'frequency_cap must be {"count": 3, "per": "P1D"}'))
    return out


# ---- one node -----------------------------------------------------------------------


def _check_node(diagram: Diagram, node: Node, context: ValidationContext) -> list[Problem]:
    spec = CATALOG.get(node.type)
    if spec is None:
        return [
            Problem(
                node.id,
                _("unknown node type {type}").format(type=repr(node.type)),
                code="unknown_type",
            )
        ]
    out: list[Problem] = []
    params = node.params
    for name in params:
        if spec.param(name) is None:
            out.append(
                Problem(
                    node.id,
                    _("unknown parameter {name} for {node}").format(
                        name=repr(name), node=spec.title
                    ),
                    "warning",
                )
            )
    present = {k for k, v in params.items() if v not in (None, "", [])}
    for param in spec.params:
        if param.name in present:
            message = check_value(param, params[param.name])
            if message:
                out.append(Problem(node.id, message, code="bad_param"))
            elif param.template and isinstance(params[param.name], str):
                error = check_syntax(params[param.name])
                if error:
                    out.append(Problem(node.id, _("{field}: template error{line}: {error}").format(
                        field=param.label, line=_line(error), error=str(error).split(": ", 1)[-1]),
                                       code="template_syntax"))  # fmt: skip
        elif param.required:
            out.append(
                Problem(
                    node.id,
                    _("{field} is required").format(field=param.label),
                    code="missing_param",
                )
            )
    if spec.one_of:
        given = [g for g in spec.one_of if all(n in present for n in g)]
        partial = [g for g in spec.one_of if any(n in present for n in g)]
        labels = {p.name: p.label.lower() for p in spec.params}
        names = _(" or ").join(_(" and ").join(labels.get(n, n) for n in g) for g in spec.one_of)
        if not given:
            out.append(
                Problem(
                    node.id,
                    _(spec.missing) if spec.missing else _("needs a {names}").format(names=names),
                    code="missing_param",
                )
            )
        elif len(partial) > 1:
            out.append(
                Problem(
                    node.id,
                    _("give either {names}, not both").format(names=names),
                    code="bad_param",
                )
            )
    out += _check_references(diagram, node, context)
    out += _check_field_values(node)
    for hook in context.extra:
        out += hook(diagram, node)
    return out


def _check_field_values(node: Node) -> list[Problem]:
    """Values the runner would fail on: a far date, a text where a number goes, a field a
    campaign may not write (the opt-out flags)."""
    from engine.contact_values import ContactValueError, contact_value, field_name_problem
    from engine.rule_sql import check_field

    p = node.params
    out: list[Problem] = []
    tests: list[tuple] = []
    if node.type == "condition.attribute" and isinstance(p.get("field"), str):
        tests.append((p["field"], p.get("op", "eq"), p.get("value")))
    elif isinstance(p.get("filter"), dict) and node.type not in ("trigger.event", "goal"):
        with contextlib.suppress(RuleError):  # reported by check_value
            tests += [(t.field, t.op, t.value) for t in _field_tests(parse_rule(p["filter"]))]
    for field_name, op, value in tests:
        if op in ("is_set", "not_set") or not isinstance(field_name, str):
            continue
        if isinstance(value, (list, tuple)) and op not in ("in", "not_in"):
            continue  # reported by check_value
        message = check_field(field_name, op, list(value) if isinstance(value, tuple) else value)
        if message:
            out.append(Problem(node.id, message, code="bad_param"))
    if node.type == "action.update_contact" and isinstance(p.get("field"), str):
        value = p.get("value")
        if isinstance(value, str) and "{" in value:  # a template: checked per contact
            message = field_name_problem(p["field"])
        else:
            try:
                contact_value(p["field"], value)
                message = None
            except ContactValueError as exc:
                message = str(exc)
        if message:
            out.append(Problem(node.id, message, code="bad_param"))
    return out


def _field_tests(rule) -> list:
    from engine.rules import All, Any_, FieldTest, Not

    if isinstance(rule, FieldTest):
        return [rule]
    if isinstance(rule, (All, Any_)):
        return [t for r in rule.rules for t in _field_tests(r)]
    if isinstance(rule, Not):
        return _field_tests(rule.rule)
    return []


def _line(error) -> str:
    return _(" at line {line}").format(line=error.line) if getattr(error, "line", None) else ""


def _check_references(diagram: Diagram, node: Node, context: ValidationContext) -> list[Problem]:
    out = []
    p = node.params
    ref = p.get("node")
    if isinstance(ref, str) and ref and ref not in diagram.nodes:
        out.append(Problem(node.id, _("refers to a step that is no longer in this campaign")))
    elif isinstance(ref, str) and ref and node.type in ("condition.event", "wait.for_event"):
        target = diagram.nodes[ref]
        if not CATALOG.get(target.type) or not CATALOG[target.type].is_send:
            out.append(Problem(node.id, _("“{node}” sends no message to have events about").format(
                node=node_names(diagram)[ref]), "warning"))  # fmt: skip
    # Segments.
    segment = p.get("segment")
    known_segments = context.segments
    if known_segments is not None and isinstance(segment, str) and segment not in known_segments:
        out.append(Problem(node.id, _("segment {name} does not exist").format(name=repr(segment)),
                           code="unknown_segment"))  # fmt: skip
    rule_fields: set[str] = set()
    if isinstance(p.get("filter"), dict) and node.type != "trigger.event" and node.type != "goal":
        try:
            rule = parse_rule(p["filter"])
            rule_fields = referenced_fields(rule)
            if context.segments is not None:
                from engine.rules import referenced_segments

                for name in sorted(referenced_segments(rule) - context.segments):
                    out.append(
                        Problem(
                            node.id,
                            _("filter uses segment {name}, which does not exist").format(
                                name=repr(name)
                            ),
                        )
                    )
        except RuleError:
            pass  # reported by check_value
    # Templates: existence, syntax and contact variables.
    sources: list[str] = []
    template = p.get("template")
    if isinstance(template, str) and template and context.templates is not None:
        if template not in context.templates:
            out.append(
                Problem(
                    node.id,
                    _("template {name} does not exist").format(name=repr(template)),
                    code="unknown_template",
                )
            )
        else:
            for source in context.templates[template]:
                error = check_syntax(source)
                if error:
                    out.append(
                        Problem(
                            node.id,
                            _("template {name} does not compile{line}: {error}").format(
                                name=repr(template),
                                line=_line(error),
                                error=str(error).split(": ", 1)[-1],
                            ),
                            code="template_syntax",
                        )
                    )
                else:
                    sources.append(source)
    spec = CATALOG[node.type]
    for param in spec.params:
        value = p.get(param.name)
        if param.template and isinstance(value, str):
            sources.append(value)
    if context.contact_fields is not None:
        known = CONTACT_BUILTINS | context.contact_fields
        missing: set[str] = set()
        for source in sources:
            missing |= set(contact_variables(source)) - known
        if node.type == "condition.attribute" and isinstance(p.get("field"), str):
            rule_fields.add(p["field"])
        if node.type == "trigger.date_field" and isinstance(p.get("field"), str):
            rule_fields.add(p["field"])
        for name in sorted(missing):
            out.append(
                Problem(
                    node.id,
                    _("template uses contact.{name}, which no contact has").format(name=name),
                    code="unknown_variable",
                )
            )
        if context.missing_share is not None:
            gaps: set[str] = set()
            for source in sources:
                gaps |= unguarded_contact_variables(source)
            for name in sorted(gaps - missing - {"email", "id", "name"}):
                share = context.missing_share(name)
                if share:
                    out.append(
                        Problem(
                            node.id,
                            _(
                                "template prints contact.{name}, which {share} of contacts lack: "
                                "they read a gap there. Add a fallback, e.g. {example}"
                            ).format(
                                name=name,
                                share=_percent(share),
                                example=f"{{{{ contact.{name} or '…' }}}}",
                            ),
                            "warning",
                            code="sometimes_missing",
                        )
                    )
        for name in sorted(rule_fields - known):
            out.append(
                Problem(
                    node.id,
                    _("field {name} is not a contact field or attribute").format(name=repr(name)),
                    "warning",
                )
            )
    return out


# ---- the graph ----------------------------------------------------------------------


def _check_graph(diagram: Diagram) -> list[Problem]:
    out: list[Problem] = []
    nodes = diagram.nodes
    triggers = [n for n in nodes.values() if n.type.startswith("trigger.")]
    if not triggers:
        out.append(Problem(None, _("the campaign has no trigger: add one so contacts can enter"),
                           code="no_trigger"))  # fmt: skip
    # Edges: into triggers, ports that exist, one edge per port.
    for edge in diagram.edges:
        target = nodes.get(edge.target)
        if target is not None and target.type.startswith("trigger."):
            out.append(
                Problem(
                    edge.source,
                    _("connects into the trigger “{node}”; nothing can lead into a trigger").format(
                        node=node_names(diagram)[edge.target]
                    ),
                    edge=edge,
                )
            )
        if edge.source == edge.target:
            out.append(Problem(edge.source, _("connects to itself"), edge=edge))
    # Ports left unconnected.
    connected_ports: dict[str, set[str]] = {}
    for edge in diagram.edges:
        connected_ports.setdefault(edge.source, set()).add(edge.port)
    for node in nodes.values():
        spec = CATALOG.get(node.type)
        if spec is None:
            continue
        connected = connected_ports.get(node.id, set())
        names = spec.port_names(node.params)
        for port in names:
            if port in connected:
                continue
            way = port_words(port)
            if spec.port(port).required:
                text = (
                    _("nothing is connected after this step")
                    if port == "out"
                    else _("nothing is connected to its “{way}” way").format(way=way)
                )
                out.append(Problem(node.id, text, code="unconnected_port"))
            elif len(names) > 1:
                text = _("nothing follows its “{way}” way: contacts taking it leave here").format(
                    way=way
                )
                out.append(Problem(node.id, text, "warning"))
    # Reachability: from triggers, and from goals (reached by their event).
    successors: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for edge in diagram.edges:
        if edge.source in successors and edge.target in successors:
            successors[edge.source].append(edge.target)
    roots = [n.id for n in nodes.values() if n.type.startswith("trigger.") or n.type == "goal"]
    reached = _reachable(successors, roots)  # one walk from all roots: linear
    if triggers:
        for node in nodes.values():
            if node.id not in reached:
                out.append(Problem(node.id, _("no trigger reaches this node"),
                                   code="unreachable"))  # fmt: skip
    # Loops with no wait in them would spin forever.
    waits = {n.id for n in nodes.values() if n.type.startswith("wait.")}
    no_waits = {n: [t for t in targets if t not in waits]
                for n, targets in successors.items() if n not in waits}  # fmt: skip
    order = {node_id: i for i, node_id in enumerate(nodes)}
    for component in _strongly_connected(no_waits):
        if len(component) > 1 or any(n in no_waits[n] for n in component):
            in_order = sorted(component, key=order.__getitem__)
            names = node_names(diagram)
            first, members = in_order[0], ", ".join(f"“{names[n]}”" for n in in_order)
            out.append(
                Problem(
                    first,
                    _(
                        "loop with no wait in it ({members}): contacts would go round forever"
                    ).format(members=members),
                    code="loop",
                )
            )
    # Goals whose event no one can emit.
    types = {n.type for n in nodes.values()}
    for node in nodes.values():
        event = node.params.get("event")
        if not isinstance(event, str) or event not in ENGINE_EVENTS:
            continue
        if node.type in ("goal", "trigger.event", "wait.for_event", "condition.event"):
            sources = EVENT_SOURCES.get(event, ())
            if sources and not any(t in types for t in sources):
                msg = (
                    _(
                        "goal waits for {event}, but no node in this campaign sends the message "
                        "that emits it"
                    )
                    if node.type == "goal"
                    else _(
                        "node waits for {event}, but no node in this campaign sends the "
                        "message that emits it"
                    )
                )
                out.append(Problem(node.id, msg.format(event=repr(event)),
                                   code="unreachable_event"))  # fmt: skip
    return out


def _reachable(successors: dict[str, list[str]], roots: list[str]) -> set[str]:
    reached, stack = set(roots), list(roots)
    while stack:
        for target in successors.get(stack.pop(), ()):
            if target not in reached:
                reached.add(target)
                stack.append(target)
    return reached


def _strongly_connected(successors: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's algorithm without recursion (a 10,000-node chain must not overflow)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for start in successors:
        if start in index:
            continue
        work = [(start, iter(successors[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in successors:
                    continue
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(successors[target])))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def _percent(share: float) -> str:
    """0.004 → "under 1 %", 0.37 → "37 %"."""
    return _("under 1 %") if share < 0.01 else _("{percent} %").format(percent=round(share * 100))
