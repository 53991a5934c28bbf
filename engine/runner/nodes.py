"""What each node type does to a group of contacts standing on it: every handler takes the
whole group and sets, per contact, the port taken, a time to hold until, or the end."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Connection, select

from engine.catalog import SEND_TYPES
from engine.clock import to_naive_utc
from engine.db.schema import campaigns, contacts, events
from engine.diagram import Node
from engine.durations import parse_datetime, parse_duration, parse_time_of_day
from engine.runner import effects, messages
from engine.runner.audience import audience
from engine.runner.plan import Plan
from engine.runner.timing import WEEKDAY_INDEX, contact_zone, next_window

if TYPE_CHECKING:  # the runner imports this module: types only
    from engine.runner.core import BatchWrites, Enrollment, Runner


class Handler(Protocol):
    """What a node type does, as the runner calls it: the group of enrollments standing on
    the node moves on together; the handler sets each one's port, hold time or end, and
    adds to `writes` what the batch writes at its end."""

    def __call__(
        self,
        runner: Runner,
        conn: Connection,
        plan: Plan,
        node: Node,
        items: list[Enrollment],
        now: dt.datetime,
        writes: BatchWrites,
        /,
    ) -> None: ...


def handle(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    """Run the node type's handler on the group (an unknown type fails everyone)."""
    handler = HANDLERS.get(node.type)
    if handler is None:
        for item in items:
            item.ended, item.outcome = "failed", "failed"
            item.detail = f"unknown node type {node.type!r}"
        return
    handler(runner, conn, plan, node, items, now, writes)


def _out(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    for item in items:
        item.port = "out"


def _exit(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    for item in items:
        item.ended = "exited"


def _goal(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    for item in items:
        item.port = "out"
        if item.converted_at is not None:
            item.outcome = "converted"


# ---- waits ----------------------------------------------------------------------------


def _leave_at(item, when: dt.datetime, now: dt.datetime, port: str = "out") -> None:
    if when <= now:
        item.at = max(item.at, when)
        item.port = port
    else:
        item.hold = when


def _delay(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    duration = parse_duration(node.params.get("duration", "P1D"))
    for item in items:
        _leave_at(item, item.arrived_at + duration, now)


def _until(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    if node.params.get("after_start"):
        # "Day 3 of the drip": the campaign's first start plus the duration; a contact
        # arriving after that moment goes on at once (_leave_at).
        started = conn.scalar(
            select(campaigns.c.started_at).where(campaigns.c.id == plan.campaign_id)
        )
        at = (started or now) + parse_duration(node.params["after_start"])
    else:
        at = to_naive_utc(parse_datetime(node.params["at"]))
    for item in items:
        _leave_at(item, at, now)


def _window(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    params = node.params
    days = frozenset(
        WEEKDAY_INDEX[d] for d in params.get("days", ("mon", "tue", "wed", "thu", "fri"))
    )
    start = parse_time_of_day(params.get("start", "09:00"))
    end = parse_time_of_day(params.get("end", "17:00"))
    for item in items:
        tz = contact_zone(item.contact.get("timezone"), plan.tz)
        _leave_at(item, next_window(item.at, tz, days, start, end), now)


def event_times(
    conn: Connection,
    plan: Plan,
    params: dict,
    contact_ids: list[int],
    since: dt.datetime,
    now: dt.datetime,
) -> dict[int, list[dt.datetime]]:
    """Times of the node's event per contact in [since, now], restricted to events about
    another node's message when `node` is given."""
    query = select(events.c.contact_id, events.c.occurred_at).where(
        events.c.contact_id.in_(contact_ids),
        events.c.name == params["event"],
        events.c.occurred_at >= since,
        events.c.occurred_at <= now,
    )
    if params.get("node"):
        query = query.where(
            events.c.campaign_id == plan.campaign_id, events.c.node_id == params["node"]
        )
    found: dict[int, list[dt.datetime]] = defaultdict(list)
    for contact_id, occurred_at in conn.execute(query):
        found[contact_id].append(occurred_at)
    return found


def _for_event(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    timeout = parse_duration(node.params.get("timeout", "P3D"))
    since = min(item.arrived_at for item in items)
    found = event_times(conn, plan, node.params, [i.contact_id for i in items], since, now)
    for item in items:
        deadline = item.arrived_at + timeout
        hits = [t for t in found.get(item.contact_id, ()) if item.arrived_at <= t <= deadline]
        if hits:
            item.at = max(item.at, min(hits))
            item.port = "event"
        else:
            _leave_at(item, deadline, now, "timeout")


# ---- conditions -----------------------------------------------------------------------


def _matching(conn: Connection, expression, items: list) -> set[int]:
    ids = [item.contact_id for item in items]
    return set(conn.scalars(select(contacts.c.id).where(contacts.c.id.in_(ids), expression)))


def _attribute(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    p = node.params
    rule = {"field": p["field"], "op": p.get("op", "eq")}
    if rule["op"] not in ("is_set", "not_set"):
        rule["value"] = p.get("value")
    yes = _matching(conn, audience(conn, {"filter": rule}, now), items)
    for item in items:
        item.port = "yes" if item.contact_id in yes else "no"


def _segment(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    yes = _matching(conn, audience(conn, node.params, now), items)
    for item in items:
        item.port = "yes" if item.contact_id in yes else "no"


def _event(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    within = node.params.get("within")
    window = parse_duration(within) if within else None
    starts = {item.id: (item.at - window if window else item.entered_at) for item in items}
    found = event_times(
        conn, plan, node.params, [i.contact_id for i in items], min(starts.values()), now
    )
    for item in items:
        since = starts[item.id]
        hit = any(since <= t <= item.at for t in found.get(item.contact_id, ()))
        item.port = "yes" if hit else "no"


def split_port(campaign: str, node_id: str, contact_id: int, branches: list[dict]) -> str:
    """The branch a contact takes: a stable hash of (campaign, node, contact) against the
    cumulative percentages."""
    u = messages.stable_fraction(campaign, node_id, contact_id) * 100
    total = 0.0
    for branch in branches:
        total += float(branch["percent"])
        if u < total:
            return branch["port"]
    return branches[-1]["port"]


def _split(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    branches = node.params.get("branches") or []
    for item in items:
        item.port = split_port(plan.name, node.id, item.contact_id, branches)


HANDLERS: dict[str, Handler] = {
    "trigger.manual": _out,
    "trigger.segment_entry": _out,
    "trigger.event": _out,
    "trigger.date_field": _out,
    "wait.delay": _delay,
    "wait.until": _until,
    "wait.window": _window,
    "wait.for_event": _for_event,
    "condition.attribute": _attribute,
    "condition.segment": _segment,
    "condition.event": _event,
    "condition.split": _split,
    "action.webhook": messages.webhook,
    "action.update_contact": effects.update_contact,
    "action.tag": effects.tag,
    "action.segment": effects.segment,
    "action.score": effects.score,
    "action.notify": messages.notify,
    "goal": _goal,
    "exit": _exit,
}
HANDLERS.update({name: messages.send for name in SEND_TYPES})
