"""A campaign version made ready to run: nodes, where each port leads, parsed settings
(time zone, quiet hours, frequency cap, entry frequency) and the templates it sends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from engine.catalog import CATALOG
from engine.db.schema import campaign_versions, campaigns, templates
from engine.diagram import Diagram, Node
from engine.durations import DurationError, parse_duration, parse_time_of_day
from engine.fileformat import build
from engine.runner.timing import UTC, zone


@dataclass
class Plan:
    campaign_id: int
    name: str
    version: int
    diagram: Diagram
    next: dict[tuple[str, str], str]
    settings: dict[str, Any]
    tz: dt.tzinfo
    quiet: tuple[dt.time, dt.time] | None
    cap: tuple[int, dt.timedelta] | None
    entry: str | dt.timedelta
    owner: str | None
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def nodes(self) -> dict[str, Node]:
        return self.diagram.nodes

    def target(self, node_id: str, port: str) -> str | None:
        return self.next.get((node_id, port))

    def of_type(self, *types: str) -> list[Node]:
        return [n for n in self.diagram.nodes.values() if n.type in types]


def make_plan(
    campaign_id: int,
    name: str,
    version: int,
    definition: dict[str, Any],
    owner: str | None = None,
    workspace_defaults: dict[str, Any] | None = None,
) -> Plan:
    """`workspace_defaults` (quiet hours, frequency cap from the Settings screen) apply
    where the campaign sets none of its own."""
    diagram, _problems = build(definition)
    settings = {**(workspace_defaults or {}), **diagram.settings}
    quiet = None
    raw_quiet = settings.get("quiet_hours")
    if isinstance(raw_quiet, list) and len(raw_quiet) == 2:
        try:
            quiet = (parse_time_of_day(raw_quiet[0]), parse_time_of_day(raw_quiet[1]))
        except DurationError:
            quiet = None
    cap = None
    raw_cap = settings.get("frequency_cap")
    if isinstance(raw_cap, dict) and isinstance(raw_cap.get("count"), int):
        try:
            cap = (raw_cap["count"], parse_duration(raw_cap.get("per", "P1D")))
        except DurationError:
            cap = None
    entry: str | dt.timedelta = settings.get("entry", "once")
    if entry not in ("once", "every_time"):
        try:
            entry = parse_duration(entry)
        except DurationError:
            entry = "once"
    next_map = {(e.source, e.port): e.target for e in diagram.edges}
    return Plan(
        campaign_id=campaign_id,
        name=name,
        version=version,
        diagram=diagram,
        next=next_map,
        settings=settings,
        tz=zone(settings.get("timezone")) or UTC,
        quiet=quiet,
        cap=cap,
        entry=entry,
        owner=owner or settings.get("owner"),
    )


WORKSPACE_DEFAULT_KEYS = ("quiet_hours", "frequency_cap")


def workspace_defaults(conn: Connection) -> dict[str, Any]:
    """The workspace's default quiet hours and frequency cap (engine.settings), if set."""
    from engine.settings import load_settings

    values = load_settings(conn)
    return {key: values[key] for key in WORKSPACE_DEFAULT_KEYS if values.get(key)}


class Plans:
    """Plans cached per (campaign, version) for the life of a runner; templates per tick."""

    def __init__(self) -> None:
        self._plans: dict[tuple[int, int], Plan] = {}

    def get(self, conn: Connection, campaign_id: int, version: int) -> Plan:
        key = (campaign_id, version)
        plan = self._plans.get(key)
        if plan is None:
            row = conn.execute(
                select(
                    campaigns.c.name, campaigns.c.version, campaigns.c.definition, campaigns.c.owner
                ).where(campaigns.c.id == campaign_id)
            ).one()
            definition = row.definition
            if row.version != version:
                definition = (
                    conn.scalar(
                        select(campaign_versions.c.definition).where(
                            campaign_versions.c.campaign_id == campaign_id,
                            campaign_versions.c.version == version,
                        )
                    )
                    or row.definition
                )
            plan = make_plan(
                campaign_id, row.name, version, definition, row.owner, workspace_defaults(conn)
            )
            plan.templates = load_templates(conn, plan)
            self._plans[key] = plan
        return plan


def load_templates(conn: Connection, plan: Plan) -> dict[str, dict[str, Any]]:
    names = {
        n.params["template"]
        for n in plan.nodes.values()
        if CATALOG.get(n.type) and CATALOG[n.type].is_send and n.params.get("template")
    }
    if not names:
        return {}
    rows = conn.execute(select(templates).where(templates.c.name.in_(sorted(names)))).mappings()
    return {row["name"]: dict(row) for row in rows}
