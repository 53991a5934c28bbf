"""A campaign's dashboard as plain data: its totals with its children's (campaigns whose
`parent` it is), figures per node, per day and per channel. The window's dashboard draws it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, func, select

from engine.campaigns import get_campaign, list_campaigns, load_diagram
from engine.db.schema import campaigns, message_counts
from engine.stats import campaign_stats, daily_stats, node_stats


def number(value: Any) -> float:
    """A figure as a float; missing or not a number is 0."""
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _day_key(row: dict) -> str:
    return str(row.get("day") or row.get("date") or "")


class DashboardData:
    """Everything the dashboard shows, read once from the database (plain data)."""

    def __init__(self, engine: Engine, campaign_id: int) -> None:
        self.campaign = get_campaign(engine, campaign_id)
        with engine.connect() as conn:
            self.children = [
                dict(r)
                for r in conn.execute(
                    select(campaigns.c.id, campaigns.c.name, campaigns.c.status).where(
                        campaigns.c.parent_id == campaign_id
                    )
                ).mappings()
            ]
            family = [campaign_id] + [c["id"] for c in self.children]
            listed = {r["id"]: r for r in list_campaigns(conn)}
            self.own = self._totals(conn, campaign_id, listed)
            self.child_totals = [
                {**child, **self._totals(conn, child["id"], listed)} for child in self.children
            ]
            self.nodes = node_stats(conn, campaign_id)
            self.daily = self._merge_daily([daily_stats(conn, cid) for cid in family])
            self.channels = self._channels(conn, family)
        self.diagram = load_diagram(engine, campaign_id)
        self.totals = dict(self.own)
        for child in self.child_totals:
            for key, value in child.items():
                if key in self.own and isinstance(self.own[key], (int, float)):
                    self.totals[key] = number(self.totals.get(key)) + number(value)
        enrolled = number(self.totals.get("enrolled"))
        self.totals["conversion_rate"] = (
            number(self.totals.get("converted")) / enrolled if enrolled else 0.0
        )

    @staticmethod
    def _totals(conn: Connection, campaign_id: int, listed: dict) -> dict:
        totals: dict[str, Any] = {}
        row = listed.get(campaign_id) or {}
        for key in ("enrolled", "active", "converted"):
            totals[key] = int(row.get(key) or 0)
        stats = campaign_stats(conn, campaign_id) or {}
        for key, value in stats.items():
            if key in ("id", "version", "conversion_rate"):
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                totals[key] = value
        return totals

    @staticmethod
    def _merge_daily(series: list[list[dict]]) -> list[dict]:
        days: dict[str, dict[str, float]] = {}
        for rows in series:
            for row in rows or []:
                day = _day_key(row)
                if not day:
                    continue
                target = days.setdefault(day, {})
                for key, value in row.items():
                    if key in ("day", "date") or isinstance(value, bool):
                        continue
                    if isinstance(value, (int, float)):
                        target[key] = target.get(key, 0) + value
        return [{"day": day, **values} for day, values in sorted(days.items())]

    @staticmethod
    def _channels(conn: Connection, family: list[int]) -> dict[str, dict[str, int]]:
        c = message_counts.c  # kept by triggers on messages (engine/db/counters.py)
        rows = conn.execute(
            select(c.channel, c.status, func.sum(c.n))
            .where(c.campaign_id.in_(family))
            .group_by(c.channel, c.status)
            .having(func.sum(c.n) != 0)
        ).all()
        out: dict[str, dict[str, int]] = {}
        for channel, status, count in rows:
            out.setdefault(channel, {})[status] = int(count)
        return out

    def series_keys(self) -> list[str]:
        keys: list[str] = []
        for row in self.daily:
            for key in row:
                if key != "day" and key not in keys:
                    keys.append(key)
        return keys
