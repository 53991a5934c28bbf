"""Jinja2 in its sandbox: one environment for every message, compile checks and the
list of contact variables a template reads (for validation against the contact schema)."""

from __future__ import annotations

import contextvars
import functools
import re
import time
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

# Names a template may use besides filters: the context the runner provides.
CONTEXT_NAMES = frozenset(
    {"contact", "campaign", "unsubscribe_url", "view_url", "node", "now", "message"}
)


class TemplateError(ValueError):
    """A template that does not compile or fails to render; `line` where known."""

    def __init__(self, message: str, line: int | None = None, where: str = "") -> None:
        self.line, self.where = line, where
        prefix = where + (f" line {line}" if line else "")
        super().__init__(f"{prefix}: {message}" if prefix else message)


# Bounds per render (issue 16): one message's template may fail, never the whole tick.
MAX_OUTPUT = 2_000_000  # characters one part (subject, HTML, text) may produce
MAX_SECONDS = 2.0  # time one render may take
MAX_STEPS = 200_000  # loop steps over range() and calls, per render
MAX_NUMBER = 100_000  # the largest width, count or repeat a filter or call may be given


class TemplateLimit(TemplateError):
    """A render stopped at one of the bounds above."""


class _Budget:
    __slots__ = ("deadline", "steps")

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.steps = 0


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("budget", default=None)


def _step(count: int = 1) -> None:
    budget = _BUDGET.get()
    if budget is None:
        return
    budget.steps += count
    if budget.steps > MAX_STEPS:
        raise TemplateLimit(f"the template loops or calls more than {MAX_STEPS:,} times")
    if budget.steps & 1023 == 0 and time.monotonic() > budget.deadline:
        raise TemplateLimit(f"the template took longer than {MAX_SECONDS:g} s")


def _check_numbers(args: tuple, kwargs: dict) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise TemplateLimit(f"the number {value} is too large for a template (at most "
                                f"{MAX_NUMBER:,})")  # fmt: skip


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple, bytes)) else 0


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with bounds: repeats and powers, calls and range() loops are counted
    against the render's budget, so a template cannot take the tick's time or memory."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            count = right if _size(left) else left
            size = max(_size(left), _size(right))
            if size and isinstance(count, int) and size * max(count, 0) > MAX_OUTPUT:
                raise TemplateLimit(f"a repeat makes more than {MAX_OUTPUT:,} characters")
        elif operator == "**" and isinstance(right, (int, float)) and abs(right) > 1000:
            raise TemplateLimit("a power above 1000 is too large for a template")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value):
        # "{:>999999999}".format(1): the sandbox wraps str.format when it is looked up
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_format(owner)
        return super().wrap_str_format(value)

    def call(__self, __context, __obj, *args, **kwargs):
        owner = getattr(__obj, "__self__", None)
        if owner is None:  # the sandbox's str.format wrapper keeps the method as __wrapped__
            owner = getattr(getattr(__obj, "__wrapped__", None), "__self__", None)
        if isinstance(owner, str):
            _check_numbers(args, kwargs)  # "x".center(10**9), "{:>{w}}".format(1, w=10**9)
            for mapping in (a for a in args if isinstance(a, dict)):  # .format_map({...})
                _check_numbers((), mapping)
        _step()
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, range):
            return _counted(result)
        return result


def _counted(values):
    for value in values:
        _step()
        yield value


# Filters whose numbers set the size of what they make (a width, a count, a repeat).
SIZING_FILTERS = frozenset({"center", "indent", "wordwrap", "batch", "slice", "format",
                            "replace", "truncate", "lipsum"})  # fmt: skip
_BIG_WIDTH = re.compile(r"\d{7,}")


def _check_format(text: Any) -> None:
    if isinstance(text, str) and _BIG_WIDTH.search(text):
        raise TemplateLimit("a format width that large is not allowed in a template")


def _bounded_filter(function, name: str):
    sizing = name in SIZING_FILTERS

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if sizing:
            _check_numbers(args, kwargs)
            if name == "format" and args:
                _check_format(args[-1] if not isinstance(args[0], str) else args[0])
        _step()
        return function(*args, **kwargs)

    return bounded


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    from jinja2.utils import generate_lorem_ipsum

    if not all(isinstance(v, int) for v in (n, min, max)) or n > 100 or max > 1000:
        raise TemplateLimit("lipsum() makes at most 100 paragraphs of at most 1000 words")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


def bounded_output(chunks) -> str:
    """Join a template's output, stopping at MAX_OUTPUT characters and at the deadline."""
    total, parts = 0, []
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_OUTPUT:
            raise TemplateLimit(f"the template makes more than {MAX_OUTPUT:,} characters")
        parts.append(chunk)
        if len(parts) & 255 == 0:
            budget = _BUDGET.get()
            if budget is not None and time.monotonic() > budget.deadline:
                raise TemplateLimit(f"the template took longer than {MAX_SECONDS:g} s")
    return "".join(parts)


def render_template(template, context: dict[str, Any]) -> str:
    """A compiled template rendered within the bounds (Template.render has none)."""
    with budget():
        return bounded_output(template.generate(context))


class budget:
    """`with budget():` — one render's bounds (time from now, a step count)."""

    def __enter__(self) -> None:
        self._token = _BUDGET.set(_Budget())

    def __exit__(self, *exc: object) -> None:
        _BUDGET.reset(self._token)


def make_environment(strict: bool = False) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment: templates can read data but never run code or mutate it,
    and stay within the bounds above."""
    env = _BoundedSandbox(
        autoescape=False,
        undefined=StrictUndefined if strict else _undefined_class(),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_blank_none,  # a missing value prints nothing, never "None"
    )
    env.filters["plural"] = plural
    env.filters = {name: _bounded_filter(f, name) for name, f in env.filters.items()}
    env.globals["lipsum"] = _lipsum
    return env


def _blank_none(value: Any) -> Any:
    return "" if value is None else value


def plural(count: Any, singular: str, many: str | None = None) -> str:
    """`{{ days | plural("day") }}` → "1 day", "3 days" (`many` for irregular words)."""
    try:
        number = float(count)
    except (TypeError, ValueError):
        return f"{count} {many or singular + 's'}"
    shown = int(number) if number.is_integer() else number
    return f"{shown} {singular if number == 1 else (many or singular + 's')}"


def _undefined_class():
    from jinja2 import ChainableUndefined

    return ChainableUndefined


ENVIRONMENT = make_environment()
HTML_ENVIRONMENT = make_environment()
HTML_ENVIRONMENT.autoescape = True


@lru_cache(maxsize=4096)
def compile_template(source: str, html: bool = False):
    """Compile once per distinct source (cached); raise TemplateError with the line."""
    env = HTML_ENVIRONMENT if html else ENVIRONMENT
    try:
        return env.from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateError(exc.message or "syntax error", exc.lineno) from None


def check_syntax(source: str) -> TemplateError | None:
    try:
        compile_template(source)
    except TemplateError as exc:
        return exc
    return None


def render(source: str, context: dict[str, Any], html: bool = False, where: str = "") -> str:
    """Render in the sandbox; any failure becomes a TemplateError (never escapes raw)."""
    try:
        template = compile_template(source, html)
        with budget():
            return bounded_output(template.generate(context))
    except TemplateError as exc:
        raise TemplateError(str(exc).split(": ", 1)[-1], exc.line, where) from None
    except Exception as exc:  # SecurityError, TypeError in a filter, ...
        raise TemplateError(f"{type(exc).__name__}: {exc}", None, where) from None


@lru_cache(maxsize=4096)
def contact_variables(source: str) -> frozenset[str]:
    """Contact fields a template reads: `contact.first_name`, `contact['plan']`,
    `contact.attributes.plan` → {"first_name", "plan"}. Empty on syntax errors."""
    try:
        tree = ENVIRONMENT.parse(source)
    except TemplateSyntaxError:
        return frozenset()
    found: set[str] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        target = node.node
        name = node.attr if isinstance(node, nodes.Getattr) else _const(node.arg)
        if name is None:
            continue
        if isinstance(target, nodes.Name) and target.name == "contact":
            if name != "attributes":
                found.add(name)
        elif (
            isinstance(target, (nodes.Getattr, nodes.Getitem))
            and isinstance(target.node, nodes.Name)
            and target.node.name == "contact"
            and (target.attr if isinstance(target, nodes.Getattr) else _const(target.arg))
            == "attributes"
        ):
            found.add(name)
    return frozenset(found)


def unknown_names(source: str) -> set[str]:
    """Top-level names a template uses that the runner does not provide."""
    from jinja2 import meta

    try:
        tree = ENVIRONMENT.parse(source)
    except TemplateSyntaxError:
        return set()
    return set(meta.find_undeclared_variables(tree)) - CONTEXT_NAMES


def _const(node: Any) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None


@lru_cache(maxsize=4096)
def unguarded_contact_variables(source: str) -> frozenset[str]:
    """Contact fields a template prints with no fallback (`or`, `if`, `| default`, a test):
    a contact without the field gets a gap in the sentence ("Hello ,")."""
    try:
        tree = ENVIRONMENT.parse(source)
    except TemplateSyntaxError:
        return frozenset()
    guarded: set[str] = set()
    for node in tree.find_all((nodes.Or, nodes.CondExpr, nodes.If, nodes.Filter, nodes.Test)):
        if isinstance(node, nodes.Or):
            part = node.left
        elif isinstance(node, (nodes.CondExpr, nodes.If)):
            part = node.test
        elif isinstance(node, nodes.Test) or node.name in ("default", "d"):
            part = node.node
        else:
            continue
        for found in [part, *part.find_all((nodes.Getattr, nodes.Getitem))]:
            name = _contact_field(found)
            if name:
                guarded.add(name)
    return contact_variables(source) - guarded


def _contact_field(node: Any) -> str | None:
    """'first_name' for contact.first_name, contact['x'] or contact.attributes.x."""
    if not isinstance(node, (nodes.Getattr, nodes.Getitem)):
        return None
    name = node.attr if isinstance(node, nodes.Getattr) else _const(node.arg)
    target = node.node
    if isinstance(target, nodes.Name) and target.name == "contact":
        return None if name == "attributes" else name
    if (
        isinstance(target, (nodes.Getattr, nodes.Getitem))
        and _contact_field(target) is None
        and isinstance(target.node, nodes.Name)
        and target.node.name == "contact"
    ):
        return name  # contact.attributes.<name>
    return None
