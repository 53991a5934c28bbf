"""A tiny observer: the model announces changes, views subscribe (no Qt here)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any


class Event:
    """A list of callbacks called in subscription order when the event is emitted."""

    __slots__ = ("_subscribers",)

    def __init__(self) -> None:
        self._subscribers: list[Callable[..., Any]] = []

    def sub(self, callback: Callable[..., Any]) -> None:
        self._subscribers.append(callback)

    def unsub(self, callback: Callable[..., Any]) -> None:
        with contextlib.suppress(ValueError):
            self._subscribers.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._subscribers):
            callback(*args)
