"""Where the engine gets the time: the real clock for live campaigns, a virtual one for
simulate and tests. Times are naive UTC datetimes, like everything in the database."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable


def utcnow() -> dt.datetime:
    """Now, as a naive UTC datetime (the engine's one time convention)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def to_naive_utc(value: dt.datetime) -> dt.datetime:
    """An aware datetime converted to naive UTC; a naive one is taken as UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


@runtime_checkable
class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    """The wall clock, in naive UTC."""

    def now(self) -> dt.datetime:
        return utcnow()

    def __repr__(self) -> str:
        return "SystemClock()"


class VirtualClock:
    """A clock that only moves when told to: simulate runs 90 days in seconds with it."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._now = to_naive_utc(start) if start is not None else utcnow()

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        if delta < dt.timedelta(0):
            raise ValueError("a virtual clock never goes back")
        self._now += delta
        return self._now

    def set(self, when: dt.datetime) -> dt.datetime:
        when = to_naive_utc(when)
        if when < self._now:
            raise ValueError("a virtual clock never goes back")
        self._now = when
        return self._now

    def __repr__(self) -> str:
        return f"VirtualClock({self._now.isoformat()})"
