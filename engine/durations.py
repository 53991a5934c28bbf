"""ISO 8601 durations ("P2D", "PT3H", "-P1D") and clock times ("09:00"), parsed with isodate."""

from __future__ import annotations

import datetime as dt
import decimal

import isodate

MAX_YEARS = 1000
MAX_DURATION = dt.timedelta(days=365 * MAX_YEARS)


class DurationError(ValueError):
    """A duration or time of day that does not parse."""


def parse_duration(text: str) -> dt.timedelta:
    """Parse an ISO 8601 duration to a timedelta; months count as 30 days, years as 365."""
    if not isinstance(text, str) or not text.strip():
        raise DurationError(f"{text!r} is not an ISO 8601 duration (try P2D or PT3H)")
    too_long = DurationError(f"{text[:40]!r} is too long (at most {MAX_YEARS} years)")
    if len(text) > 60:
        raise too_long
    try:
        value = isodate.parse_duration(text.strip())
        if isinstance(value, isodate.Duration):
            # Calendar parts: months and years have no fixed length; use the usual
            # marketing approximation rather than refusing them.
            days = float(value.years) * 365 + float(value.months) * 30
            value = value.tdelta + dt.timedelta(days=days)
    except (OverflowError, decimal.InvalidOperation):
        raise too_long from None
    except (isodate.ISO8601Error, ValueError, TypeError) as exc:
        raise DurationError(f"{text!r} is not an ISO 8601 duration (try P2D or PT3H)") from exc
    if abs(value) > MAX_DURATION:  # now ± it stays a date this program can store
        raise too_long
    return value


def format_duration(delta: dt.timedelta) -> str:
    """Format a timedelta as an ISO 8601 duration string."""
    return isodate.duration_isoformat(delta)


def humanize_duration(text: str) -> str:
    """'P2D' -> '2 days', 'PT3H' -> '3 hours', for node summaries."""
    try:
        delta = parse_duration(text)
    except DurationError:
        return str(text)
    sign = "-" if delta < dt.timedelta(0) else ""
    seconds = int(abs(delta).total_seconds())
    from engine.i18n import ngettext

    units = (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
    words = {
        "week": lambda n: ngettext("{n} week", "{n} weeks", n),
        "day": lambda n: ngettext("{n} day", "{n} days", n),
        "hour": lambda n: ngettext("{n} hour", "{n} hours", n),
        "minute": lambda n: ngettext("{n} minute", "{n} minutes", n),
        "second": lambda n: ngettext("{n} second", "{n} seconds", n),
    }
    parts = []
    for name, size in units:
        if seconds >= size:
            count, seconds = divmod(seconds, size)
            if name == "week" and seconds:
                # "10 days" reads better than "1 week 3 days"
                seconds += count * size
                continue
            parts.append(words[name](count).format(n=count))
    return sign + (" ".join(parts[:2]) if parts else words["second"](0).format(n=0))


def parse_time_of_day(text: str) -> dt.time:
    """Parse "HH:MM" (or "HH:MM:SS") to a time."""
    try:
        return dt.time.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise DurationError(f"{text!r} is not a time of day (use HH:MM, e.g. 09:00)") from exc


def parse_datetime(text: str) -> dt.datetime:
    """Parse an ISO 8601 date-time; without a zone it is UTC. Returns an aware datetime."""
    try:
        value = dt.datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise DurationError(f"{text!r} is not an ISO 8601 date-time") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value
