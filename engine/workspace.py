"""What a database knows that validation needs: template sources, segment names, fields."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from engine.db import open_database
from engine.db.schema import campaigns, contacts, segments, templates
from engine.validation import ValidationContext


def validation_context(db: str | Path | Engine, sample: int = 2000) -> ValidationContext:
    """Templates, segments and the attribute names of all contacts (`sample` is unused,
    kept for callers)."""
    engine = db if isinstance(db, Engine) else open_database(db)
    with engine.connect() as conn:
        template_sources = {
            row.name: [s for s in (row.subject, row.html, row.text) if s]
            for row in conn.execute(
                select(templates.c.name, templates.c.subject, templates.c.html, templates.c.text)
            )
        }
        segment_names = set(conn.scalars(select(segments.c.name)))
        # Every attribute any contact has (in SQL): a column imported only onto newer
        # contacts must not make a template "use a field no contact has".
        from engine.store import contact_fields

        fields = contact_fields(conn)
        from engine.settings import load_settings

        workspace = load_settings(conn)
    defaults = {key: workspace.get(key) for key in ("track_opens", "track_clicks")}
    return ValidationContext(
        templates=template_sources, segments=segment_names, contact_fields=fields,
        missing_share=_missing_share(engine), workspace_defaults=defaults,
    )  # fmt: skip


def _missing_share(engine: Engine):
    """share(field) → the part of all contacts without it (rule `not_set`), or None with
    no contacts; asked only for the fields templates print without a fallback."""
    import datetime as dt
    from functools import lru_cache

    from engine.rule_sql import count_matching

    @lru_cache(maxsize=256)
    def share(name: str) -> float | None:
        with engine.connect() as conn:
            total = conn.scalar(select(func.count()).select_from(contacts)) or 0
            if not total:
                return None
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            try:
                lacking = count_matching(conn, {"field": name, "op": "not_set"}, now)
            except Exception:  # a name the rule language refuses: no warning
                return None
        return lacking / total

    return share


def is_empty(engine: Engine) -> bool:
    """True when the database has neither contacts nor campaigns (a first start)."""
    with engine.connect() as conn:
        for table in (contacts, campaigns):
            if conn.scalar(select(func.count()).select_from(table)):
                return False
    return True
