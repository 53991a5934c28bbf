"""Time zones, windows and quiet hours for the runner: local wall-clock rules turned into
naive UTC instants (the engine's one convention)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.UTC
WEEKDAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@lru_cache(maxsize=1024)
def zone(name: str | None) -> dt.tzinfo | None:
    """A ZoneInfo for a name, None when the name is empty or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long
        return None


def contact_zone(contact_tz: str | None, campaign_zone: dt.tzinfo | None) -> dt.tzinfo:
    """The contact's zone, else the campaign's, else UTC."""
    return zone(contact_tz) or campaign_zone or UTC


def to_local(instant: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    return instant.replace(tzinfo=UTC).astimezone(tz)


def to_utc(local: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """A naive local wall-clock time in `tz` to naive UTC (DST gaps move forward)."""
    return local.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def next_window(
    instant: dt.datetime, tz: dt.tzinfo, days: frozenset[int], start: dt.time, end: dt.time
) -> dt.datetime:
    """`instant` when it falls inside the window, else the window's next opening (UTC).

    The window is open on the listed weekdays from start to end local time; when end is
    not after start it runs past midnight and belongs to the day it opens on."""
    local = to_local(instant, tz).replace(tzinfo=None)
    overnight = end <= start
    for back in (1, 0):  # an overnight window opened yesterday may still be open
        day = local.date() - dt.timedelta(days=back)
        if day.weekday() not in days:
            continue
        opens = dt.datetime.combine(day, start)
        closes = dt.datetime.combine(day + dt.timedelta(days=1 if overnight else 0), end)
        if opens <= local < closes:
            return instant
    for ahead in range(0, 8):
        day = local.date() + dt.timedelta(days=ahead)
        if day.weekday() not in days:
            continue
        opens = dt.datetime.combine(day, start)
        if opens > local:
            return to_utc(opens, tz)
    return instant  # no day allowed: validation prevents this; never hold forever


def quiet_until(
    instant: dt.datetime, tz: dt.tzinfo, start: dt.time, end: dt.time
) -> dt.datetime | None:
    """When `instant` falls in quiet hours (e.g. 21:00 → 08:00 local), the UTC instant they
    end; None when sending is allowed now."""
    local = to_local(instant, tz).replace(tzinfo=None)
    t = local.time()
    if start == end:
        return None
    if start < end:  # quiet inside one day, e.g. 12:00-14:00
        if start <= t < end:
            return to_utc(dt.datetime.combine(local.date(), end), tz)
        return None
    if t >= start:  # evening part: quiet ends tomorrow morning
        return to_utc(dt.datetime.combine(local.date() + dt.timedelta(days=1), end), tz)
    if t < end:  # early morning part
        return to_utc(dt.datetime.combine(local.date(), end), tz)
    return None


def parse_date(value) -> dt.date | None:
    """A contact's date field (date, datetime or ISO text) as a date; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_fire_times(
    date: dt.date,
    offset: dt.timedelta,
    at: dt.time,
    tz: dt.tzinfo,
    yearly: bool,
    after: dt.datetime,
    until: dt.datetime,
) -> list[dt.datetime]:
    """The UTC instants in (after, until] at which a date-field trigger fires for one date:
    date + offset at `at` local time; every year on the anniversary when `yearly`."""
    if not yearly:
        candidates = [date]
    else:
        first = to_local(after, tz).year - 1
        last = to_local(until, tz).year + 1
        candidates = []
        for year in range(first, last + 1):
            try:
                candidates.append(date.replace(year=year))
            except ValueError:  # 29 February in a common year: the 28th
                candidates.append(date.replace(year=year, day=28))
    out = []
    for day in candidates:
        local = dt.datetime.combine(day, at) + offset
        instant = to_utc(local, tz)
        if after < instant <= until:
            out.append(instant)
    return out
