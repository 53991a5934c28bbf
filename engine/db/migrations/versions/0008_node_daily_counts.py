"""Node detail at scale (issue #15): `node_daily_counts` per (campaign, node, day, figure)
— steps taken at the node ('passed', by `at`) and its messages sent ('sent', by
`sent_at`) — kept by triggers on steps and messages (engine/db/counters.py) and counted
once here from the rows already in the database.

Revision ID: 0008
Revises: 0007
Created: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("node_daily_counts",)


def upgrade() -> None:
    from engine.db import counters

    conn = op.get_bind()
    # A database made by create_all before migrations existed has the table and triggers.
    if "node_daily_counts" not in sa.inspect(conn).get_table_names():
        op.create_table(
            "node_daily_counts",
            sa.Column("campaign_id", sa.Integer(), primary_key=True),
            sa.Column("node_id", sa.String(100), primary_key=True),
            sa.Column("day", sa.String(10), primary_key=True),
            sa.Column("figure", sa.String(20), primary_key=True),
            sa.Column("n", sa.Integer(), nullable=False, server_default=sa.text("0")),
        )
    counters.create_triggers(conn, TABLES)
    counters.rebuild(conn, tables=TABLES)


def downgrade() -> None:
    from engine.db import counters

    counters.drop_triggers(op.get_bind(), TABLES)
    op.drop_table("node_daily_counts")
