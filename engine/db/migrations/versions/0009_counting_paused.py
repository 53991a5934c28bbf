"""Bulk counting (issue #15): `counting_paused`, a table that is only ever written inside
the runner's own transaction, and the SQLite counter triggers re-created to stand aside
while it holds a row — the runner then counts its bulk inserts with one grouped statement
per counter (engine.db.counters.inserted_in_bulk). PostgreSQL's triggers are unchanged.

Revision ID: 0009
Revises: 0008
Created: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from engine.db import counters

    conn = op.get_bind()
    if counters.PAUSED not in sa.inspect(conn).get_table_names():
        op.create_table(counters.PAUSED, sa.Column("paused", sa.Integer(), nullable=False))
    if conn.dialect.name == "sqlite":
        counters.drop_triggers(conn)
        counters.create_triggers(conn)


def downgrade() -> None:
    from engine.db import counters

    conn = op.get_bind()
    op.drop_table(counters.PAUSED)
    if conn.dialect.name == "sqlite":
        counters.drop_triggers(conn)
        counters.create_triggers(conn)
