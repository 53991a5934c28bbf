"""JSON read strictly, for files and requests people hand us: duplicate keys, NaN/Infinity,
numbers too long to be numbers, lone surrogates and deep nesting are refused with a
sentence and the line, instead of last-wins, Infinity in the database or a bare Python
error."""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 200
MAX_NUMBER_CHARS = 100  # a longer number literal is a mistake (or an attack), not a value
_HIGH, _LOW = r"\\u[dD][89abAB][0-9a-fA-F]{2}", r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_MAYBE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_RAW_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE = re.compile(rf"{_HIGH}(?!{_LOW})|(?<![dD][89abAB][0-9a-fA-F]{{2}}){_LOW}")


class JsonProblem(ValueError):
    """Why the text is refused; `line` and `column` (1-based) say where, when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _Constant(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return data


def _constant(name: str) -> float:
    raise _Constant(name)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Constant(text)
    value = float(text)
    if not math.isfinite(value):
        raise _Constant(text)
    return value


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Constant(text)
    return int(text)


def loads(text: str) -> Any:
    """Parse `text`; raise JsonProblem with a sentence and the line."""
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant,
                          parse_float=_float, parse_int=_int)  # fmt: skip
    except json.JSONDecodeError as exc:
        raise JsonProblem(f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise JsonProblem(f"nested too deeply (more than {MAX_DEPTH} levels)") from None
    except _Duplicate as dup:
        line, column = _key_position(text, dup.key)
        raise JsonProblem(
            f"the key {dup.key!r} appears twice in one object (the second would silently "
            "replace the first)",
            line,
            column,
        ) from None
    except _Constant as bad:
        shown = bad.name if len(bad.name) <= 20 else bad.name[:17] + "..."
        line, column = _literal_position(text, bad.name)
        what = (f"a number with {len(bad.name)} characters" if len(bad.name) > MAX_NUMBER_CHARS
                else f"{shown} (not a finite number)")  # fmt: skip
        raise JsonProblem(f"{what} is not allowed", line, column) from None
    _check_depth_and_text(text)
    return data


def _check_depth_and_text(text: str) -> None:
    """Depth from the brackets outside strings; lone surrogates, escaped or raw."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text)) if "[" in text or "{" in text else ""
    if brackets:
        deepest = max(accumulate(map(_STEP.__getitem__, brackets)))
        if deepest > MAX_DEPTH:
            raise JsonProblem(f"nested too deeply ({deepest} levels, at most {MAX_DEPTH})")
    found = _SURROGATE.search(text) if _MAYBE_SURROGATE.search(text) else None
    if found is None:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            found = _RAW_SURROGATE.search(text, exc.start)
    if found:
        line, column = _position(text, found.start())
        raise JsonProblem("a lone surrogate (\\ud800…\\udfff) is not text", line, column)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _tokens(text: str):
    """(kind, start, end, depth) of the strings and bare literals, outside strings."""
    depth, i, n = 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            yield "string", i, j + 1, depth
            i = j + 1
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif not ch.isspace() and ch not in ",:":
            j = i
            while j < n and not text[j].isspace() and text[j] not in ",:]}":
                j += 1
            yield "literal", i, j, depth
            i = j
            continue
        i += 1


def _key_position(text: str, key: str) -> tuple[int | None, int | None]:
    """Where the second of two equal keys of one object is."""
    objects: list[set[str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if objects and text[j + 1 :].lstrip().startswith(":"):
                try:
                    name = json.loads(text[i : j + 1])
                except ValueError:
                    name = None
                if name == key and name in objects[-1]:
                    return _position(text, i)
                objects[-1].add(name)
            i = j + 1
            continue
        if ch == "{":
            objects.append(set())
        elif ch == "}" and objects:
            objects.pop()
        i += 1
    return None, None


def _literal_position(text: str, literal: str) -> tuple[int | None, int | None]:
    for kind, start, end, _depth in _tokens(text):
        if kind == "literal" and text[start:end] == literal:
            return _position(text, start)
    return None, None
