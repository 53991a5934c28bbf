"""Campaigns in the database: saving (with version history), loading, listing and the
lifecycle draft → scheduled → live ⇄ paused → stopped/completed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, literal, select, update
from sqlalchemy import delete as sql_delete

from engine.clock import to_naive_utc, utcnow
from engine.db.schema import (
    campaign_versions,
    campaigns,
    enrollments,
    messages,
    steps,
    trigger_members,
    trigger_state,
)
from engine.diagram import Diagram
from engine.durations import DurationError, parse_datetime
from engine.fileformat import build, to_data

STATUSES = ("draft", "scheduled", "live", "paused", "stopped", "completed")
_ALLOWED = {
    "draft": {"start", "schedule", "edit", "duplicate", "delete"},
    "scheduled": {"start", "schedule", "stop", "edit", "duplicate", "delete"},
    "live": {"pause", "stop", "edit", "duplicate"},
    "paused": {"resume", "stop", "edit", "duplicate"},
    "stopped": {"duplicate", "delete"},
    "completed": {"duplicate", "delete"},
}


class CampaignError(ValueError):
    """A forbidden lifecycle step, an unknown campaign, or a diagram with errors.
    `problems` lists the validation problems when that is the reason."""

    def __init__(self, message: str, problems: list | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(message)


def allowed_actions(status: str) -> set[str]:
    """What a user may do with a campaign in this status (menus and buttons read this)."""
    return set(_ALLOWED.get(status, set()))


# ---- saving and loading ---------------------------------------------------------------


def _setting_time(diagram: Diagram, key: str) -> dt.datetime | None:
    value = diagram.settings.get(key)
    if not value:
        return None
    try:
        return to_naive_utc(parse_datetime(value))
    except (DurationError, OverflowError, TypeError):  # validation names it; not stored
        return None


def save_campaign(
    engine: Engine, diagram: Diagram, note: str | None = None, campaign_id: int | None = None
) -> int:
    """Create the campaign, or save a new version of it; returns its id.

    With `campaign_id` the campaign is found by id and takes the diagram's name (a rename is
    an ordinary edit); without, by the diagram's name. An unchanged definition saves nothing
    new. Contacts already inside keep the version they entered with (docs/semantics.md)."""
    definition = to_data(diagram)
    now = utcnow()
    columns = (campaigns.c.id, campaigns.c.version, campaigns.c.definition, campaigns.c.name)
    with engine.begin() as conn:
        if campaign_id is not None:
            row = conn.execute(select(*columns).where(campaigns.c.id == campaign_id)).first()
            if row is None:
                raise CampaignError(f"no campaign with id {campaign_id}")
            if row.name != diagram.name:
                _check_name_free(conn, diagram.name, campaign_id)
        else:
            row = conn.execute(select(*columns).where(campaigns.c.name == diagram.name)).first()
        parent_id = None
        parent = diagram.settings.get("parent")
        if isinstance(parent, str) and parent:
            parent_id = conn.scalar(select(campaigns.c.id).where(campaigns.c.name == parent))
        values = {
            "definition": definition,
            "owner": diagram.settings.get("owner"),
            "parent_id": parent_id,
            "start_at": _setting_time(diagram, "start_at"),
            "end_at": _setting_time(diagram, "end_at"),
            "updated_at": now,
        }
        if row is None:
            campaign_id = conn.execute(
                insert(campaigns).values(
                    name=diagram.name, status="draft", version=1, created_at=now, **values
                )
            ).inserted_primary_key[0]
            conn.execute(
                insert(campaign_versions).values(
                    campaign_id=campaign_id,
                    version=1,
                    definition=definition,
                    created_at=now,
                    note=note,
                )
            )
            return int(campaign_id)
        if row.definition == definition:
            return int(row.id)
        version = int(row.version) + 1
        conn.execute(
            update(campaigns)
            .where(campaigns.c.id == row.id)
            .values(version=version, name=diagram.name, **values)
        )
        conn.execute(
            insert(campaign_versions).values(
                campaign_id=row.id,
                version=version,
                definition=definition,
                created_at=now,
                note=note,
            )
        )
        return int(row.id)


def _check_name_free(conn: Connection, name: str, campaign_id: int | None = None) -> None:
    if not name.strip():
        raise CampaignError("a campaign needs a name")
    other = conn.scalar(select(campaigns.c.id).where(campaigns.c.name == name))
    if other is not None and other != campaign_id:
        raise CampaignError(
            f"campaign {other} is already named {name!r}: save a new version of that one, "
            "or give this one another name"
        )


def add_campaign(engine: Engine, diagram: Diagram, note: str | None = None) -> int:
    """Store a diagram as a new draft campaign; returns its id. Names are unique labels:
    a name already taken is refused (update that campaign instead)."""
    with engine.connect() as conn:
        _check_name_free(conn, diagram.name)
    return save_campaign(engine, diagram, note=note)


def update_campaign(
    engine: Engine, campaign_id: int | str, diagram: Diagram, note: str | None = None
) -> int:
    """Save `diagram` as the next version of this campaign (which keeps its id, and takes
    the diagram's name); returns the campaign's version afterwards."""
    with engine.connect() as conn:
        campaign = _require(conn, campaign_id, "edit")
    save_campaign(engine, diagram, note=note, campaign_id=campaign["id"])
    return int(get_campaign(engine, campaign["id"])["version"])


def restore_version(engine: Engine, campaign_id: int | str, version: int) -> int:
    """Save an earlier version's definition as a new version; returns the new version."""
    with engine.connect() as conn:
        campaign = _require(conn, campaign_id, "edit")
        diagram = load_diagram(conn, campaign["id"], version)
    return update_campaign(engine, campaign["id"], diagram, note=f"restored from version {version}")


def version_definition(conn: Connection, campaign_id: int | str, version: int) -> dict[str, Any]:
    """The stored file document of one version of a campaign."""
    campaign = get_campaign(conn, campaign_id)
    definition = conn.scalar(
        select(campaign_versions.c.definition).where(
            campaign_versions.c.campaign_id == campaign["id"],
            campaign_versions.c.version == version,
        )
    )
    if definition is None:
        raise CampaignError(
            f"campaign {campaign['id']} ({campaign['name']!r}) has no version {version}"
        )
    return definition


def get_campaign(conn: Connection | Engine, name_or_id: int | str) -> dict[str, Any]:
    """The campaign row as a dict, found by id (a number) or else by name (a label);
    CampaignError when there is none."""
    if isinstance(conn, Engine):
        with conn.connect() as c:
            return get_campaign(c, name_or_id)
    row = None
    if isinstance(name_or_id, int) or (isinstance(name_or_id, str) and name_or_id.isdigit()):
        row = conn.execute(select(campaigns).where(campaigns.c.id == int(name_or_id)))
        row = row.mappings().first()
    if row is None and isinstance(name_or_id, str):
        row = conn.execute(select(campaigns).where(campaigns.c.name == name_or_id))
        row = row.mappings().first()
    if row is None:
        if isinstance(name_or_id, int) or name_or_id.isdigit():
            raise CampaignError(f"no campaign with id {name_or_id}")
        raise CampaignError(f"no campaign named {name_or_id!r}")
    return dict(row)


def load_diagram(
    conn: Connection | Engine, name_or_id: int | str, version: int | None = None
) -> Diagram:
    """The campaign's diagram, the current version or a given one."""
    if isinstance(conn, Engine):
        with conn.connect() as c:
            return load_diagram(c, name_or_id, version)
    campaign = get_campaign(conn, name_or_id)
    definition = campaign["definition"]
    if version is not None and version != campaign["version"]:
        definition = conn.scalar(
            select(campaign_versions.c.definition).where(
                campaign_versions.c.campaign_id == campaign["id"],
                campaign_versions.c.version == version,
            )
        )
        if definition is None:
            raise CampaignError(f"campaign {campaign['name']!r} has no version {version}")
    diagram, _problems = build(definition)
    return diagram


def list_versions(conn: Connection, campaign_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            campaign_versions.c.version, campaign_versions.c.created_at, campaign_versions.c.note
        )
        .where(campaign_versions.c.campaign_id == campaign_id)
        .order_by(campaign_versions.c.version)
    ).mappings()
    return [dict(r) for r in rows]


def list_campaigns(conn: Connection | Engine, definitions: bool = False) -> list[dict[str, Any]]:
    """Every campaign with its enrolled, active and converted counts (one query); with
    `definitions`, each also has its current `definition` (the file document)."""
    if isinstance(conn, Engine):
        with conn.connect() as c:
            return list_campaigns(c, definitions)
    counts = (
        select(
            enrollments.c.campaign_id,
            func.count().label("enrolled"),
            func.count(enrollments.c.converted_at).label("converted"),
            func.sum((enrollments.c.status == "active").cast(_int())).label("active"),
        )
        .group_by(enrollments.c.campaign_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            campaigns.c.id,
            campaigns.c.name,
            campaigns.c.status,
            campaigns.c.error,  # why the engine paused it after a fault, or None
            campaigns.c.version,
            campaigns.c.owner,
            campaigns.c.start_at,
            campaigns.c.end_at,
            campaigns.c.started_at,
            campaigns.c.stopped_at,
            campaigns.c.parent_id,
            campaigns.c.created_at,
            campaigns.c.updated_at,
            func.coalesce(counts.c.enrolled, 0).label("enrolled"),
            func.coalesce(counts.c.active, 0).label("active"),
            func.coalesce(counts.c.converted, 0).label("converted"),
            *([campaigns.c.definition] if definitions else []),
        )
        .outerjoin(counts, counts.c.campaign_id == campaigns.c.id)
        .order_by(campaigns.c.name)
    ).mappings()
    return [dict(r) for r in rows]


def _int():
    from sqlalchemy import Integer

    return Integer


# ---- lifecycle ----------------------------------------------------------------------


def _require(conn: Connection, campaign_id: int | str, action: str) -> dict[str, Any]:
    campaign = get_campaign(conn, campaign_id)
    if action not in _ALLOWED.get(campaign["status"], ()):
        raise CampaignError(
            f"cannot {action} campaign {campaign['name']!r}: it is {campaign['status']}"
        )
    return campaign


def check_startable(engine: Engine, diagram: Diagram) -> None:
    """Raise CampaignError listing the errors when the diagram cannot run."""
    from engine.validation import validate
    from engine.workspace import validation_context

    problems = [p for p in validate(diagram, validation_context(engine)) if p.severity == "error"]
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise CampaignError(
            f"campaign {diagram.name!r} has {len(problems)} problem(s) to fix before it can "
            f"start:\n{lines}",
            problems,
        )


def start(engine: Engine, campaign_id: int | str, now: dt.datetime | None = None) -> None:
    """Go live now (or become scheduled when the campaign's start_at is still ahead).

    Starting fires trigger.manual and snapshots segment_entry audiences (runner.entry)."""
    now = to_naive_utc(now) if now is not None else utcnow()
    with engine.connect() as conn:
        campaign = _require(conn, campaign_id, "start")
        diagram = load_diagram(conn, campaign["id"])
    check_startable(engine, diagram)
    if campaign["start_at"] is not None and campaign["start_at"] > now:
        with engine.begin() as conn:
            conn.execute(
                update(campaigns)
                .where(campaigns.c.id == campaign["id"])
                .values(status="scheduled", updated_at=now)
            )
        return
    from engine.runner.entry import go_live

    with engine.begin() as conn:
        go_live(conn, campaign["id"], now)


def schedule(
    engine: Engine, campaign_id: int | str, start_at: dt.datetime, end_at: dt.datetime | None = None
) -> None:
    """Set the start (and end) time; the runner makes the campaign live at start_at."""
    start_at = to_naive_utc(start_at)
    end_at = to_naive_utc(end_at) if end_at is not None else None
    if end_at is not None and end_at <= start_at:
        raise CampaignError("the end must come after the start")
    with engine.connect() as conn:
        campaign = _require(conn, campaign_id, "schedule")
        diagram = load_diagram(conn, campaign["id"])
    check_startable(engine, diagram)
    with engine.begin() as conn:
        conn.execute(
            update(campaigns)
            .where(campaigns.c.id == campaign["id"])
            .values(status="scheduled", start_at=start_at, end_at=end_at, updated_at=utcnow())
        )


def pause(engine: Engine, campaign_id: int | str, now: dt.datetime | None = None) -> None:
    """Hold everyone where they are; nobody enters, waits keep their due times."""
    _set_status(engine, campaign_id, "pause", "paused", now)


def resume(engine: Engine, campaign_id: int | str, now: dt.datetime | None = None) -> None:
    """Go on: overdue contacts move at the next tick; events during the pause do not
    enroll (trigger cursors jump to now)."""
    now = to_naive_utc(now) if now is not None else utcnow()
    with engine.begin() as conn:
        campaign = _require(conn, campaign_id, "resume")
        conn.execute(
            update(campaigns)
            .where(campaigns.c.id == campaign["id"])
            .values(status="live", error=None, updated_at=now)
        )
        conn.execute(
            update(trigger_state)
            .where(trigger_state.c.campaign_id == campaign["id"])
            .values(checked_until=now)
        )


def stop(engine: Engine, campaign_id: int | str, now: dt.datetime | None = None) -> None:
    """End the campaign: everyone inside leaves (status exited); queued messages are
    cancelled (status suppressed, error 'campaign stopped')."""
    now = to_naive_utc(now) if now is not None else utcnow()
    with engine.begin() as conn:
        campaign = _require(conn, campaign_id, "stop")
        e = enrollments.c
        # Everyone inside leaves where they stand: a step without a port says so.
        conn.execute(
            insert(steps).from_select(
                ["enrollment_id", "campaign_id", "contact_id", "node_id", "port", "at",
                 "outcome", "detail"],
                select(e.id, e.campaign_id, e.contact_id, e.node_id, literal(None),
                       literal(now), literal("stopped"), literal("campaign stopped"))
                .where(e.campaign_id == campaign["id"], e.status == "active"),
            )
        )  # fmt: skip
        conn.execute(
            update(enrollments)
            .where(enrollments.c.campaign_id == campaign["id"], enrollments.c.status == "active")
            .values(status="exited", ended_at=now, due_at=None)
        )
        conn.execute(
            update(messages)
            .where(messages.c.campaign_id == campaign["id"], messages.c.status == "queued")
            .values(status="suppressed", error="campaign stopped")
        )
        conn.execute(
            update(campaigns)
            .where(campaigns.c.id == campaign["id"])
            .values(status="stopped", stopped_at=now, updated_at=now)
        )


def _set_status(
    engine: Engine, campaign_id: int | str, action: str, status: str, now: dt.datetime | None
) -> None:
    now = to_naive_utc(now) if now is not None else utcnow()
    with engine.begin() as conn:
        campaign = _require(conn, campaign_id, action)
        conn.execute(
            update(campaigns)
            .where(campaigns.c.id == campaign["id"])
            .values(status=status, updated_at=now)
        )


def copy_name(conn: Connection, name: str) -> str:
    """A free name for a copy: "NAME (copy)", else "NAME (copy 2)", "NAME (copy 3)"…"""
    taken = {n.lower() for n in conn.scalars(select(campaigns.c.name))}
    candidate, i = f"{name} (copy)", 2
    while candidate.lower() in taken:
        candidate, i = f"{name} (copy {i})", i + 1
    return candidate


def free_name(conn: Connection, name: str) -> str:
    """`name` when no campaign has it (ignoring case), else "NAME (2)", "NAME (3)"…"""
    taken = {n.lower() for n in conn.scalars(select(campaigns.c.name))}
    candidate, i = name, 2
    while candidate.lower() in taken:
        candidate, i = f"{name} ({i})", i + 1
    return candidate


def campaigns_using(conn: Connection | Engine, key: str, name: str) -> list[str]:
    """Names of campaigns whose current diagram refers to the template or segment `name`
    (`key` is "template" or "segment"), in node parameters or inside rules."""
    if isinstance(conn, Engine):
        with conn.connect() as c:
            return campaigns_using(c, key, name)

    def refers(value: Any) -> bool:
        if isinstance(value, dict):
            return value.get(key) == name or any(refers(v) for v in value.values())
        if isinstance(value, list):
            return any(refers(v) for v in value)
        return False

    rows = conn.execute(select(campaigns.c.name, campaigns.c.definition)).all()
    return sorted(
        row.name
        for row in rows
        if any(refers(node.get("params")) for node in (row.definition or {}).get("nodes", []))
    )


def duplicate(engine: Engine, campaign_id: int | str, new_name: str | None = None) -> int:
    """A new draft with the same diagram under another name (no history, no contacts);
    without a name, "NAME (copy)" or the next free one. Returns the new id."""
    with engine.connect() as conn:
        diagram = load_diagram(conn, campaign_id)
        if new_name is None:
            new_name = copy_name(conn, diagram.name)
    new_name = new_name.strip()
    if not new_name:
        raise CampaignError("the copy needs a name")
    with engine.connect() as conn:
        if conn.scalar(select(campaigns.c.id).where(campaigns.c.name == new_name)) is not None:
            raise CampaignError(f"a campaign named {new_name!r} already exists")
    diagram.name = new_name
    return save_campaign(engine, diagram, note=f"copied from campaign {campaign_id}")


def delete(engine: Engine, campaign_id: int | str) -> None:
    """Remove a campaign with its history, enrollments, steps and unsent messages."""
    with engine.begin() as conn:
        campaign = _require(conn, campaign_id, "delete")
        cid = campaign["id"]
        for table in (
            steps,
            messages,
            enrollments,
            trigger_members,
            trigger_state,
            campaign_versions,
        ):
            conn.execute(sql_delete(table).where(table.c.campaign_id == cid))
        conn.execute(update(campaigns).where(campaigns.c.parent_id == cid).values(parent_id=None))
        conn.execute(sql_delete(campaigns).where(campaigns.c.id == cid))
