"""Shared set-up for the runner tests: a real SQLite file with contacts, templates and
segments inserted directly, and small diagrams built in code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert

from engine import campaigns
from engine.clock import VirtualClock
from engine.db import open_database
from engine.db.schema import contact_tags, contacts, events, segment_members, segments, templates
from engine.diagram import Diagram, Edge, Node
from engine.runner import Runner

START = dt.datetime(2026, 3, 2, 10, 0)  # a Monday, 10:00 UTC


def make_db(tmp_path, n: int = 0, url: str | None = None, **contact_fields: Any):
    """`url`: another database than tmp_path/test.db (a PostgreSQL one)."""
    engine = open_database(url or tmp_path / "test.db")
    if n:
        add_contacts(engine, n, **contact_fields)
    with engine.begin() as conn:
        conn.execute(
            insert(templates),
            [
                {
                    "name": "welcome",
                    "channel": "email",
                    "subject": "Hi {{ contact.first_name }}",
                    "html": "<p>Hello {{ contact.first_name }} from {{ contact.city }}</p>"
                    "<a href='{{ unsubscribe_url }}'>unsubscribe</a>",
                    "text": "Hello {{ contact.first_name }}",
                    "created_at": START,
                },
                {
                    "name": "broken",
                    "channel": "email",
                    "subject": "Hi",
                    "html": "{{ contact.first_name | nosuchfilter }}",
                    "text": "x",
                    "created_at": START,
                },
                {
                    "name": "sms",
                    "channel": "sms",
                    "subject": "",
                    "html": "",
                    "text": "Hi {{ contact.first_name }}",
                    "created_at": START,
                },
            ],
        )
    return engine


def add_contacts(engine, n: int, start: int = 0, **fields: Any) -> list[int]:
    rows = []
    for i in range(start, start + n):
        row = {
            "email": f"c{i}@example.com",
            "first_name": f"First{i}",
            "last_name": "Last",
            "timezone": "UTC",
            "created_at": START - dt.timedelta(days=10),
            "attributes": {"city": "Berlin", "n": i},
        }
        row.update({k: (v(i) if callable(v) else v) for k, v in fields.items()})
        rows.append(row)
    with engine.begin() as conn:
        result = conn.execute(insert(contacts).returning(contacts.c.id), rows)
        return [r[0] for r in result]


def add_segment(engine, name: str, rule: dict | None = None, members: list[int] | None = None):
    with engine.begin() as conn:
        kind = "static" if rule is None else "dynamic"
        sid = conn.execute(
            insert(segments).values(name=name, kind=kind, rule=rule, created_at=START)
        ).inserted_primary_key[0]
        if members:
            conn.execute(
                insert(segment_members), [{"segment_id": sid, "contact_id": c} for c in members]
            )
        return sid


def add_event(engine, contact_id: int, name: str, at: dt.datetime, **props: Any) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(events).values(
                contact_id=contact_id,
                name=name,
                occurred_at=at,
                properties=props,
                campaign_id=props.pop("_cid", None),
                node_id=props.pop("_node", None),
            )
        )


def tag(engine, contact_id: int, name: str) -> None:
    with engine.begin() as conn:
        conn.execute(insert(contact_tags).values(contact_id=contact_id, tag=name))


def diagram(nodes: list[tuple], edges: list[tuple], name: str = "Test", **settings: Any):
    """nodes: (id, type, params); edges: (from, to) or (from, port, to)."""
    d = Diagram(name, settings)
    for node_id, node_type, params in nodes:
        d.nodes[node_id] = Node(node_id, node_type, params)
    for edge in edges:
        source, port, target = (edge[0], "out", edge[1]) if len(edge) == 2 else edge
        d.edges.append(Edge(source, target, port))
    return d


def launch(
    engine, d: Diagram, at: dt.datetime = START, mode: str = "simulate", assume: dict | None = None
) -> tuple[int, Runner, VirtualClock]:
    campaign_id = campaigns.save_campaign(engine, d)
    campaigns.start(engine, campaign_id, at)
    clock = VirtualClock(at)
    return campaign_id, Runner(engine, clock, mode=mode, assume=assume), clock


def run_until(
    runner: Runner,
    clock: VirtualClock,
    until: dt.datetime,
    step: dt.timedelta = dt.timedelta(hours=1),
) -> None:
    runner.tick(clock.now())
    while clock.now() < until:
        clock.advance(min(step, until - clock.now()))
        runner.tick(clock.now())
