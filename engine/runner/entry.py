"""How contacts get in, and jump to goals: going live, the triggers checked each tick
(segment entries, events, date fields), goal events, and campaigns coming to an end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    update,
)

from engine.db.schema import (
    campaigns,
    contacts,
    enrollments,
    events,
    steps,
    trigger_members,
    trigger_state,
)
from engine.durations import parse_duration, parse_time_of_day
from engine.rules import CORE_FIELDS
from engine.runner.audience import audience, matches_properties
from engine.runner.messages import stable_fraction
from engine.runner.plan import Plan, make_plan
from engine.runner.timing import contact_zone, date_fire_times, parse_date

ENGAGEMENT = ("opened", "clicked", "unsubscribed", "bounced")


def live_campaigns(conn: Connection) -> list[tuple[int, int]]:
    rows = conn.execute(
        select(campaigns.c.id, campaigns.c.version)
        .where(campaigns.c.status == "live")
        .order_by(campaigns.c.id)
    )
    return [(r.id, r.version) for r in rows]


def scheduled_due(conn: Connection, now: dt.datetime) -> list[int]:
    """Scheduled campaigns whose start time has come (the runner makes each live in its
    own transaction, so one that fails to start holds back no other)."""
    return list(
        conn.scalars(
            select(campaigns.c.id)
            .where(campaigns.c.status == "scheduled", campaigns.c.start_at <= now)
            .order_by(campaigns.c.id)
        )
    )


def _plan(conn: Connection, campaign_id: int) -> Plan:
    row = conn.execute(
        select(
            campaigns.c.name, campaigns.c.version, campaigns.c.definition, campaigns.c.owner
        ).where(campaigns.c.id == campaign_id)
    ).one()
    return make_plan(campaign_id, row.name, row.version, row.definition, row.owner)


def go_live(
    conn: Connection, campaign_id: int, now: dt.datetime, assume: dict[str, float] | None = None
) -> int:
    """Make the campaign live: trigger.manual enrolls its audience now; segment_entry
    notes who is in the segment (enrolling them when include_existing); event and date
    triggers and goals start reading from now. Returns the contacts enrolled."""
    conn.execute(
        update(campaigns)
        .where(campaigns.c.id == campaign_id)
        .values(
            status="live", started_at=func.coalesce(campaigns.c.started_at, now), updated_at=now
        )
    )
    plan = _plan(conn, campaign_id)
    enrolled = 0
    for node in plan.nodes.values():
        if node.type in ("trigger.event", "goal"):
            _set_cursor(conn, plan, node.id, now, newest_event_id(conn))
        elif node.type == "trigger.date_field":
            _set_cursor(conn, plan, node.id, now)
        elif node.type == "trigger.manual":
            enrolled += enroll_matching(conn, plan, node.id, audience(conn, node.params, now), now)
        elif node.type == "trigger.segment_entry":
            expression = audience(conn, node.params, now)
            if node.params.get("include_existing", True):
                enrolled += enroll_matching(conn, plan, node.id, expression, now)
            _remember_members(conn, plan, node.id, expression)
    return enrolled


# ---- enrolling ----------------------------------------------------------------------


def _entry_allows(plan: Plan, now: dt.datetime):
    """The entry-frequency test over `contacts`, as an expression."""
    e = enrollments.c
    mine = and_(e.campaign_id == plan.campaign_id, e.contact_id == contacts.c.id)
    inside = exists().where(mine, e.status == "active")
    if plan.entry == "once":
        return not_(exists().where(mine))
    if plan.entry == "every_time":
        return not_(inside)
    return and_(not_(inside), not_(exists().where(mine, e.entered_at > now - plan.entry)))


def enroll_matching(
    conn: Connection, plan: Plan, node_id: str, expression, now: dt.datetime
) -> int:
    """INSERT … SELECT every contact matching `expression` that the entry rule lets in."""
    query = select(
        literal(plan.campaign_id),
        literal(plan.version),
        contacts.c.id,
        literal(node_id),
        literal("active"),
        literal(now),
        literal(now),
        literal(now),
        literal(node_id),
    ).where(expression, _entry_allows(plan, now))
    result = conn.execute(
        insert(enrollments).from_select(
            [
                "campaign_id",
                "version",
                "contact_id",
                "node_id",
                "status",
                "due_at",
                "arrived_at",
                "entered_at",
                "trigger_node",
            ],
            query,
        )
    )
    return max(result.rowcount or 0, 0)


def enroll_at(
    conn: Connection, plan: Plan, node_id: str, due: dict[int, dt.datetime], now: dt.datetime
) -> int:
    """Enroll given contacts, each at its own time (event and date triggers)."""
    if not due:
        return 0
    ids = sorted(due)
    allowed: set[int] = set()
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        allowed |= set(
            conn.scalars(
                select(contacts.c.id).where(contacts.c.id.in_(chunk), _entry_allows(plan, now))
            )
        )
    rows = [
        {
            "campaign_id": plan.campaign_id,
            "version": plan.version,
            "contact_id": cid,
            "node_id": node_id,
            "status": "active",
            "due_at": due[cid],
            "arrived_at": due[cid],
            "entered_at": due[cid],
            "trigger_node": node_id,
        }
        for cid in ids
        if cid in allowed
    ]
    if rows:
        conn.execute(insert(enrollments), rows)
    return len(rows)


def _remember_members(conn: Connection, plan: Plan, node_id: str, expression) -> None:
    t = trigger_members.c
    known = exists().where(
        t.campaign_id == plan.campaign_id, t.node_id == node_id, t.contact_id == contacts.c.id
    )
    conn.execute(
        insert(trigger_members).from_select(
            ["campaign_id", "node_id", "contact_id"],
            select(literal(plan.campaign_id), literal(node_id), contacts.c.id).where(
                expression, not_(known)
            ),
        )
    )
    conn.execute(
        delete(trigger_members).where(
            t.campaign_id == plan.campaign_id,
            t.node_id == node_id,
            t.contact_id.not_in(select(contacts.c.id).where(expression)),
        )
    )


def _cursor(conn: Connection, plan: Plan, node_id: str) -> dt.datetime | None:
    return conn.scalar(
        select(trigger_state.c.checked_until).where(
            trigger_state.c.campaign_id == plan.campaign_id, trigger_state.c.node_id == node_id
        )
    )


def _set_cursor(
    conn: Connection, plan: Plan, node_id: str, when: dt.datetime, event_id: int | None = None
) -> None:
    values: dict[str, Any] = {"checked_until": when}
    if event_id is not None:
        values["checked_event_id"] = event_id
    updated = conn.execute(
        update(trigger_state)
        .where(
            trigger_state.c.campaign_id == plan.campaign_id,
            trigger_state.c.node_id == node_id,
        )
        .values(**values)
    ).rowcount
    if not updated:
        conn.execute(
            insert(trigger_state).values(campaign_id=plan.campaign_id, node_id=node_id, **values)
        )


# ---- events by arrival ----------------------------------------------------------------
# Triggers and goals read events in the order they arrived (by id), not by occurred_at: an
# event imported or posted late still counts, unless it is older than `late_event_days`.
# An event whose time has not come yet (a simulation's future) counts when it comes.


def _event_cursor(conn: Connection, plan: Plan, node_id: str) -> tuple[Any, int | None]:
    row = conn.execute(
        select(trigger_state.c.checked_until, trigger_state.c.checked_event_id).where(
            trigger_state.c.campaign_id == plan.campaign_id, trigger_state.c.node_id == node_id
        )
    ).first()
    return (row.checked_until, row.checked_event_id) if row is not None else (None, None)


def newest_event_id(conn: Connection) -> int:
    return int(conn.scalar(select(func.max(events.c.id))) or 0)


def _late_cutoff(conn: Connection, now: dt.datetime) -> dt.datetime | None:
    from engine.settings import load_settings

    days = load_settings(conn).get("late_event_days")
    try:
        return now - dt.timedelta(days=float(days)) if days else None
    except (TypeError, ValueError, OverflowError):
        return None


def events_to_read(
    since: dt.datetime, seen_id: int | None, top_id: int, now: dt.datetime, cutoff
) -> Any:
    """The events a trigger or goal reads now: those that arrived since its last look (id
    above `seen_id`, up to `top_id`) and whose time has come, and those already there whose
    time came since `since`."""
    came_due = and_(events.c.occurred_at > since, events.c.occurred_at <= now)
    if seen_id is None:  # read by time only until the first look records an id
        return and_(came_due, events.c.id <= top_id)
    arrived = and_(events.c.id > seen_id, events.c.id <= top_id, events.c.occurred_at <= now)
    if cutoff is not None:
        arrived = and_(arrived, events.c.occurred_at >= cutoff)
    return or_(arrived, and_(events.c.id <= seen_id, came_due))


def run_triggers(runner, conn: Connection, plan: Plan, now: dt.datetime) -> int:
    """Enroll whoever a trigger fires for since the last tick. None after end_at."""
    end_at = conn.scalar(select(campaigns.c.end_at).where(campaigns.c.id == plan.campaign_id))
    if end_at is not None and end_at <= now:
        return 0
    enrolled = 0
    for node in plan.nodes.values():
        if node.type == "trigger.segment_entry":
            last = runner._last_entry_check.get((plan.campaign_id, node.id))
            if last is not None and now - last < runner.segment_check_every:
                continue
            runner._last_entry_check[(plan.campaign_id, node.id)] = now
            expression = audience(conn, node.params, now)
            t = trigger_members.c
            known = exists().where(
                t.campaign_id == plan.campaign_id,
                t.node_id == node.id,
                t.contact_id == contacts.c.id,
            )
            enrolled += enroll_matching(conn, plan, node.id, and_(expression, not_(known)), now)
            _remember_members(conn, plan, node.id, expression)
        elif node.type == "trigger.event":
            enrolled += _event_trigger(conn, plan, node, now)
        elif node.type == "trigger.date_field":
            enrolled += _date_trigger(conn, plan, node, now)
    return enrolled


def _event_trigger(conn: Connection, plan: Plan, node, now: dt.datetime) -> int:
    since, seen_id = _event_cursor(conn, plan, node.id)
    since = since or now
    top_id = newest_event_id(conn)
    rows = conn.execute(
        select(events.c.contact_id, events.c.occurred_at, events.c.properties)
        .where(
            events.c.name == node.params["event"],
            events_to_read(since, seen_id, top_id, now, _late_cutoff(conn, now)),
        )
        .order_by(events.c.occurred_at)
    )
    first: dict[int, dt.datetime] = {}
    rule = node.params.get("filter")
    for contact_id, occurred_at, properties in rows:
        if contact_id not in first and matches_properties(rule, properties):
            # A late event enrolls when it is learnt of, not in the past.
            first[contact_id] = max(occurred_at, since)
    _set_cursor(conn, plan, node.id, now, top_id)
    return enroll_at(conn, plan, node.id, first, now)


def _date_trigger(conn: Connection, plan: Plan, node, now: dt.datetime) -> int:
    since = _cursor(conn, plan, node.id) or now
    if since >= now:
        return 0
    field = node.params["field"]
    offset = parse_duration(node.params["offset"]) if node.params.get("offset") else dt.timedelta(0)
    at = parse_time_of_day(node.params.get("at", "09:00"))
    yearly = bool(node.params.get("yearly", False))
    column = contacts.c[field] if field in CORE_FIELDS else contacts.c.attributes[field]
    due: dict[int, dt.datetime] = {}
    query = select(contacts.c.id, contacts.c.timezone, column).where(column.is_not(None))
    for contact_id, tz_name, value in conn.execute(query.execution_options(yield_per=5000)):
        day = parse_date(value)
        if day is None:
            continue
        tz = contact_zone(tz_name, plan.tz)
        times = date_fire_times(day, offset, at, tz, yearly, since, now)
        if times:
            due[contact_id] = min(times)
    _set_cursor(conn, plan, node.id, now)
    return enroll_at(conn, plan, node.id, due, now)


# ---- goals and waits for events -------------------------------------------------------


def run_goals(conn: Connection, plan: Plan, now: dt.datetime) -> int:
    """Contacts inside who did a goal's event since the last look jump to that goal."""
    converted = 0
    e = enrollments.c
    cutoff = _late_cutoff(conn, now)
    top_id = newest_event_id(conn)
    for node in plan.of_type("goal"):
        since, seen_id = _event_cursor(conn, plan, node.id)
        since = since or now
        rows = conn.execute(
            select(e.id, e.contact_id, e.node_id, events.c.occurred_at, events.c.properties)
            .join(events, events.c.contact_id == e.contact_id)
            .where(
                e.campaign_id == plan.campaign_id,
                e.status == "active",
                e.converted_at.is_(None),
                events.c.name == node.params["event"],
                events_to_read(since, seen_id, top_id, now, cutoff),
                events.c.occurred_at >= e.entered_at,
            )
            .order_by(events.c.occurred_at)
        )
        jumps: dict[int, Any] = {}
        for row in rows:
            if row.id not in jumps and matches_properties(
                node.params.get("filter"), row.properties
            ):
                jumps[row.id] = row
        _set_cursor(conn, plan, node.id, now, top_id)
        if not jumps:
            continue
        conn.execute(
            insert(steps),
            [
                {
                    "enrollment_id": r.id,
                    "campaign_id": plan.campaign_id,
                    "contact_id": r.contact_id,
                    "node_id": r.node_id,
                    "port": None,
                    "at": r.occurred_at,
                    "outcome": "goal",
                    "detail": f"left for goal {node.id}",
                }
                for r in jumps.values()
            ],
        )
        conn.execute(
            update(enrollments)
            .where(e.id == bindparam("_id"))
            .values(
                node_id=node.id,
                due_at=bindparam("_at"),
                arrived_at=bindparam("_at"),
                converted_at=bindparam("_at"),
            ),
            [{"_id": r.id, "_at": r.occurred_at} for r in jumps.values()],
        )
        converted += len(jumps)
    return converted


def detect_waited_events(conn: Connection, plan: Plan, now: dt.datetime) -> None:
    """wait.for_event: pull a waiting contact's due time to the event that happened."""
    e = enrollments.c
    for node in plan.of_type("wait.for_event"):
        found = select(func.min(events.c.occurred_at)).where(
            events.c.contact_id == e.contact_id,
            events.c.name == node.params["event"],
            events.c.occurred_at >= e.arrived_at,
            events.c.occurred_at <= now,
        )
        if node.params.get("node"):
            found = found.where(
                events.c.campaign_id == plan.campaign_id, events.c.node_id == node.params["node"]
            )
        found = found.scalar_subquery()
        conn.execute(
            update(enrollments)
            .where(
                e.campaign_id == plan.campaign_id,
                e.node_id == node.id,
                e.status == "active",
                e.due_at > now,
                found.is_not(None),
            )
            .values(due_at=found)
        )


def finish_campaigns(conn: Connection, now: dt.datetime) -> list[int]:
    """Live campaigns with nobody inside that can take no one new become completed: past
    their end_at, or started with only trigger.manual."""
    done = []
    e = enrollments.c
    rows = conn.execute(
        select(campaigns.c.id, campaigns.c.end_at, campaigns.c.definition).where(
            campaigns.c.status == "live"
        )
    )
    for row in rows.all():
        types = {n.get("type") for n in (row.definition or {}).get("nodes", [])}
        triggers = {t for t in types if t and t.startswith("trigger.")}
        ended = row.end_at is not None and row.end_at <= now
        if not ended and triggers != {"trigger.manual"}:
            continue
        inside = conn.scalar(
            select(func.count())
            .select_from(enrollments)
            .where(e.campaign_id == row.id, e.status == "active")
        )
        if inside == 0:
            conn.execute(
                update(campaigns)
                .where(campaigns.c.id == row.id)
                .values(status="completed", stopped_at=now, updated_at=now)
            )
            done.append(row.id)
    return done


# ---- simulate: assumed outcomes ------------------------------------------------------


def assume_outcomes(
    conn: Connection, plan: Plan, assume: dict[str, float], now: dt.datetime
) -> None:
    """For each new enrollment, an event named by an --assume key other than the email
    engagement ones (`converted` stands for every goal's event) at its rate, by stable
    hash, some time in the week after entry."""
    names: dict[str, float] = {}
    for key, rate in assume.items():
        if key in ENGAGEMENT:
            continue
        if key == "converted":
            for goal in plan.of_type("goal"):
                names[goal.params["event"]] = rate
        else:
            names[key] = rate
    if not names:
        return
    e = enrollments.c
    earlier = enrollments.alias("earlier")
    visit = (  # this contact's n-th entry: the hash must not hang on the start's second
        select(func.count())
        .where(earlier.c.campaign_id == e.campaign_id, earlier.c.contact_id == e.contact_id,
               earlier.c.id <= e.id)
        .scalar_subquery()
    )  # fmt: skip
    new = conn.execute(
        select(e.id, e.contact_id, e.entered_at, visit).where(
            e.campaign_id == plan.campaign_id,
            e.status == "active",
            e.entered_at <= now,
            e.arrived_at == e.entered_at,
            e.node_id == e.trigger_node,
            ~exists().where(steps.c.enrollment_id == e.id),
        )
    )
    rows = []
    for _enrollment_id, contact_id, entered_at, nth in new:
        for name, rate in names.items():
            if stable_fraction(plan.name, contact_id, name, nth) < rate:
                delay = stable_fraction(plan.name, contact_id, name, "when")
                rows.append(
                    {
                        "contact_id": contact_id,
                        "name": name,
                        "properties": {"assumed": True},
                        "occurred_at": entered_at + dt.timedelta(hours=1 + 167 * delay),
                    }
                )
    if rows:
        conn.execute(insert(events), rows)
