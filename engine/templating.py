"""Jinja2 in its sandbox: one environment for every message, compile checks and the
list of contact variables a template reads (for validation against the contact schema)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

# Names a template may use besides filters: the context the runner provides.
CONTEXT_NAMES = frozenset({"contact", "campaign", "unsubscribe_url", "node", "now", "message"})


class TemplateError(ValueError):
    """A template that does not compile or fails to render; `line` where known."""

    def __init__(self, message: str, line: int | None = None, where: str = "") -> None:
        self.line, self.where = line, where
        prefix = where + (f" line {line}" if line else "")
        super().__init__(f"{prefix}: {message}" if prefix else message)


def make_environment(strict: bool = False) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment: templates can read data but never run code or mutate it."""
    env = ImmutableSandboxedEnvironment(
        autoescape=False,
        undefined=StrictUndefined if strict else _undefined_class(),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_blank_none,  # a missing value prints nothing, never "None"
    )
    env.filters["plural"] = plural
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
        return compile_template(source, html).render(context)
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
