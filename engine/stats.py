"""Campaign statistics from the step log, the outbox and the event history: per node, per
edge, per campaign and per day, each with a few GROUP BY queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Integer, func, select

from engine.catalog import CATALOG, SEND_TYPES
from engine.db.schema import (
    campaigns,
    daily_counts,
    engaged_contacts,
    enrollments,
    events,
    message_counts,
    messages,
    step_counts,
    steps,
)
from engine.fileformat import build

SENT_STATUSES = ("sent", "simulated")
ENGAGEMENT = {"email_opened": "opened", "email_clicked": "clicked", "unsubscribed": "unsubscribed"}
# Bounce mail and complaints (engine/bounces): hard bounces (or soft ones past the limit) are
# `bounced`; each soft bounce is `soft_bounced`; a spam complaint is `complained`.
ENGAGEMENT.update(bounced="bounced", soft_bounced="soft_bounced", complained="complained")


def _node_types(conn: Connection, campaign_id: int) -> dict[str, str]:
    definition = conn.scalar(select(campaigns.c.definition).where(campaigns.c.id == campaign_id))
    if not definition:
        return {}
    diagram, _ = build(definition)
    return {n.id: n.type for n in diagram.nodes.values()}


def _way_out(outcome: str | None, is_send: bool) -> str:
    """Which figure a step that took no port adds to: the goal jump, a failure, or an exit."""
    if outcome == "goal":
        return "converted"
    if outcome == "failed" and not is_send:
        return "failed"
    return "exited"


def _message_counts(
    conn: Connection, campaign_id: int, now: dt.datetime | None
) -> list[tuple[str | None, str, str, int, int]]:
    """[(node, channel, status, messages, extra attempts)]: from `message_counts` (kept by
    triggers, engine/db/counters.py) for today's figures, from the messages themselves when
    looking back to `now`."""
    if now is None:
        c = message_counts.c
        rows = conn.execute(
            select(c.node_id, c.channel, c.status, c.n, c.retries).where(
                c.campaign_id == campaign_id, c.n != 0
            )
        )
        return [(node or None, ch, status, n, extra) for node, ch, status, n, extra in rows]
    m = messages.c
    rows = conn.execute(
        select(
            m.node_id,
            m.channel,
            m.status,
            func.count(),
            func.sum((m.attempts > 1).cast(Integer) * (m.attempts - 1)),
        )
        .where(m.campaign_id == campaign_id, m.created_at <= now)
        .group_by(m.node_id, m.channel, m.status)
    )
    return [(node, channel, status, n, int(extra or 0)) for node, channel, status, n, extra in rows]


def _step_counts(
    conn: Connection, campaign_id: int, now: dt.datetime | None, ports_only: bool = False
) -> list[tuple[str, str | None, str | None, int]]:
    """[(node, port, outcome, steps)]: from `step_counts` (kept by triggers) for today's
    figures, from the step log when looking back to `now`."""
    if now is None:
        c = step_counts.c
        where = [c.campaign_id == campaign_id, c.n != 0]
        if ports_only:
            where.append(c.port != "")
        rows = conn.execute(select(c.node_id, c.port, c.outcome, c.n).where(*where))
        return [(node, port or None, outcome or None, n) for node, port, outcome, n in rows]
    s = steps.c
    where = [s.campaign_id == campaign_id, s.at <= now]
    if ports_only:
        where.append(s.port.is_not(None))
    rows = conn.execute(
        select(s.node_id, s.port, s.outcome, func.count())
        .where(*where)
        .group_by(s.node_id, s.port, s.outcome)
    )
    return [tuple(row) for row in rows]


def node_stats(
    conn: Connection, campaign_id: int, now: dt.datetime | None = None
) -> dict[str, dict[str, Any]]:
    """{node_id: {entered, waiting, ports: {port: n}, converted, exited, failed} + sent,
    suppressed, opened, clicked, unsubscribed on send nodes}. `entered` counts arrivals:
    every step recorded on leaving the node plus the contacts there now, so on every node
    entered = waiting + sum(ports) + converted + exited + failed (`converted`: jumped to a
    goal; `exited`: an exit node, the campaign stopped, the node removed; `failed`: the
    journey failed here). A send node's `failed` counts its failed messages instead (those
    contacts go on through `out`), so a journey failing there counts as exited."""
    types = _node_types(conn, campaign_id)
    out: dict[str, dict[str, Any]] = {}

    def entry(node_id: str) -> dict[str, Any]:
        if node_id not in out:
            spec = CATALOG.get(types.get(node_id, ""))
            ports = {p: 0 for p in spec.port_names({})} if spec else {}
            out[node_id] = {"entered": 0, "waiting": 0, "ports": ports}
            out[node_id].update(converted=0, exited=0, failed=0)
            if types.get(node_id) in SEND_TYPES:
                out[node_id].update(sent=0, suppressed=0, opened=0, clicked=0, unsubscribed=0)
                out[node_id].update(bounced=0, soft_bounced=0, complained=0)
        return out[node_id]

    for node_id in types:
        entry(node_id)
    # Split ports come from the node's branches.
    definition = conn.scalar(select(campaigns.c.definition).where(campaigns.c.id == campaign_id))
    for node in (definition or {}).get("nodes", []):
        if node.get("type") == "condition.split":
            for branch in node.get("params", {}).get("branches", []):
                entry(node["id"])["ports"].setdefault(branch.get("port"), 0)
    for node_id, port, outcome, count in _step_counts(conn, campaign_id, now):
        item = entry(node_id)
        item["entered"] += count
        if port is not None:
            item["ports"][port] = item["ports"].get(port, 0) + count
        else:
            item[_way_out(outcome, "sent" in item)] += count
    rows = conn.execute(
        select(enrollments.c.node_id, func.count())
        .where(enrollments.c.campaign_id == campaign_id, enrollments.c.status == "active")
        .group_by(enrollments.c.node_id)
    )
    for node_id, count in rows:
        item = entry(node_id)
        item["waiting"] += count
        item["entered"] += count
    for node_id, _channel, status, count, _extra in _message_counts(conn, campaign_id, now):
        if not node_id:  # a message sent for the campaign, not by a step (e.g. a test send)
            continue
        item = entry(node_id)
        if "sent" not in item:
            continue
        if status in SENT_STATUSES:
            item["sent"] += count
        elif status in ("failed", "suppressed"):
            item[status] += count
    if now is None:  # unique contacts per node and event, kept by triggers (engine/db/counters)
        g = engaged_contacts.c
        rows = conn.execute(
            select(g.node_id, g.name, func.count())
            .where(g.campaign_id == campaign_id, g.name.in_(list(ENGAGEMENT)))
            .group_by(g.node_id, g.name)
        )
    else:
        e = events.c
        rows = conn.execute(
            select(e.node_id, e.name, func.count(func.distinct(e.contact_id)))
            .where(e.campaign_id == campaign_id, e.name.in_(list(ENGAGEMENT)), e.occurred_at <= now)
            .group_by(e.node_id, e.name)
        )
    for node_id, name, count in rows:
        if node_id is None:
            continue
        item = entry(node_id)
        if "sent" in item:
            item[ENGAGEMENT[name]] += count
    for node_id, links in link_clicks(conn, campaign_id).items():  # tracked clicks per link
        if "sent" in out.get(node_id, {}):
            out[node_id]["links"] = links
    return out


def edge_stats(
    conn: Connection, campaign_id: int, now: dt.datetime | None = None
) -> dict[tuple[str, str], int]:
    """{(source node, port): contacts who took it}."""
    out: dict[tuple[str, str], int] = {}
    for node_id, port, _outcome, count in _step_counts(conn, campaign_id, now, ports_only=True):
        out[(node_id, port)] = out.get((node_id, port), 0) + count
    return out


def campaign_stats(
    conn: Connection, campaign_id: int, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Enrolled, active, completed, exited, converted, conversion rate, messages by
    channel and status, and retries (extra delivery attempts)."""
    row = conn.execute(
        select(campaigns.c.name, campaigns.c.status, campaigns.c.version).where(
            campaigns.c.id == campaign_id
        )
    ).first()
    e = enrollments.c
    counts = conn.execute(
        select(
            func.count(),
            func.sum((e.status == "active").cast(Integer)),
            func.sum((e.status == "completed").cast(Integer)),
            func.sum((e.status == "exited").cast(Integer)),
            func.sum((e.status == "failed").cast(Integer)),
            func.count(e.converted_at),
        ).where(e.campaign_id == campaign_id)
    ).one()
    enrolled, active, completed, exited, failed, converted = (int(v or 0) for v in counts)
    by_channel: dict[str, dict[str, int]] = defaultdict(dict)
    retries = 0
    for _node_id, channel, status, count, extra in _message_counts(conn, campaign_id, now):
        by_channel[channel][status] = by_channel[channel].get(status, 0) + count
        retries += extra
    return {
        "id": campaign_id,
        "name": row.name if row else None,
        "status": row.status if row else None,
        "version": row.version if row else None,
        "enrolled": enrolled,
        "active": active,
        "completed": completed,
        "exited": exited,
        "failed": failed,
        "converted": converted,
        "conversion_rate": round(converted / enrolled, 4) if enrolled else 0.0,
        "messages": dict(by_channel),
        "retries": retries,
    }


def daily_stats(
    conn: Connection, campaign_id: int, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """[{date, entered, sent, opened, clicked, converted}] for every date with activity."""
    days: dict[str, dict[str, Any]] = {}

    def add(rows, key: str) -> None:
        for day, count in rows:
            if day is None:
                continue
            day = str(day)[:10]
            days.setdefault(
                day,
                {"date": day, "entered": 0, "sent": 0, "opened": 0, "clicked": 0, "converted": 0},
            )[key] += count

    def per_day(column, *where):
        conditions = list(where)
        if now is not None:
            conditions.append(column <= now)
        day = func.date(column)
        return conn.execute(select(day, func.count()).where(*conditions).group_by(day))

    if now is None:  # the daily series kept by triggers (engine/db/counters.py)
        d = daily_counts.c
        rows = conn.execute(
            select(d.day, d.figure, d.n).where(d.campaign_id == campaign_id, d.n != 0)
        )
        for day, figure, count in rows:
            add([(day, count)], figure)
        return [days[d] for d in sorted(days)]
    e = enrollments.c
    add(per_day(e.entered_at, e.campaign_id == campaign_id), "entered")
    add(
        per_day(
            messages.c.sent_at,
            messages.c.campaign_id == campaign_id,
            messages.c.status.in_(SENT_STATUSES),
        ),
        "sent",
    )
    for name, key in (("email_opened", "opened"), ("email_clicked", "clicked")):
        add(
            per_day(
                events.c.occurred_at, events.c.campaign_id == campaign_id, events.c.name == name
            ),
            key,
        )
    add(
        per_day(e.converted_at, e.campaign_id == campaign_id, e.converted_at.is_not(None)),
        "converted",
    )
    return [days[d] for d in sorted(days)]


def report(conn: Connection, campaign_id: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """The `stats --json` document: {"nodes": …, "campaign": {…, "edges", "days"}}."""
    campaign = campaign_stats(conn, campaign_id, now)
    campaign["edges"] = {
        f"{source}.{port}": n
        for (source, port), n in sorted(edge_stats(conn, campaign_id, now).items())
    }
    campaign["days"] = daily_stats(conn, campaign_id, now)
    return {"nodes": node_stats(conn, campaign_id, now), "campaign": campaign}


def link_clicks(
    conn: Connection, campaign_id: int, node_id: str | None = None
) -> dict[str, dict[str, dict[str, int]]]:
    """{node_id: {url: {"contacts": unique clickers, "clicks": all clicks}}} from tracked
    clicks (the public endpoint's `email_clicked` events), for node detail."""
    where = [events.c.campaign_id == campaign_id, events.c.name == "email_clicked"]
    if node_id is not None:
        where.append(events.c.node_id == node_id)
    url = events.c.properties["url"].as_string()
    rows = conn.execute(
        select(events.c.node_id, url, func.count(func.distinct(events.c.contact_id)), func.count())
        .where(*where)
        .group_by(events.c.node_id, url)
    )
    out: dict[str, dict[str, dict[str, int]]] = {}
    for node, link, contacts_count, clicks in rows:
        if node is not None and link:
            out.setdefault(node, {})[link] = {"contacts": contacts_count, "clicks": clicks}
    return out
