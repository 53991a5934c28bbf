"""A campaign paused by a fault keeps its reason (campaigns.error); numbers that are not
finite (Infinity, NaN: SQLite's JSON functions reject them) are removed from contact
attributes and event properties.

Revision ID: 0003
Revises: 0002
Created: 2026-12-05
"""

from __future__ import annotations

import json
import math

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _finite(value):
    """The value with every non-finite number replaced by None (JSON null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _repair(conn, table: str, column: str) -> None:
    rows = conn.execute(
        sa.text(
            f"SELECT id, CAST({column} AS TEXT) FROM {table} "
            f"WHERE CAST({column} AS TEXT) LIKE '%Infinity%' OR CAST({column} AS TEXT) LIKE '%NaN%'"
        )
    ).all()
    for row_id, raw in rows:
        try:
            value = json.loads(raw)
        except (TypeError, ValueError):
            continue
        fixed = _finite(value)
        if fixed != value or "Infinity" in raw or "NaN" in raw:
            conn.execute(
                sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :id"),
                {"v": json.dumps(fixed, allow_nan=False), "id": row_id},
            )


def upgrade() -> None:
    conn = op.get_bind()
    # A database made by create_all before migrations existed may have the column already.
    if "error" not in {c["name"] for c in sa.inspect(conn).get_columns("campaigns")}:
        op.add_column("campaigns", sa.Column("error", sa.Text(), nullable=True))
    _repair(conn, "contacts", "attributes")
    _repair(conn, "events", "properties")


def downgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("error")
