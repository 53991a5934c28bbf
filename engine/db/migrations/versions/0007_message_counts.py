"""Pre-aggregated message figures (issue #15): the table `message_counts` per (campaign,
node, channel, status), kept by triggers on `messages` (engine/db/counters.py) and counted
once here from the messages already in the database.

Revision ID: 0007
Revises: 0006
Created: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from engine.db import counters

    conn = op.get_bind()
    # A database made by create_all before migrations existed has the table and triggers.
    if "message_counts" not in sa.inspect(conn).get_table_names():
        _create_table()
    counters.create_triggers(conn)
    counters.rebuild(conn)


def _create_table() -> None:
    op.create_table(
        "message_counts",
        sa.Column("campaign_id", sa.Integer(), primary_key=True),
        sa.Column("node_id", sa.String(100), primary_key=True),
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("status", sa.String(20), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("retries", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS tr_message_counts ON messages")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS message_counts_keep()")
    else:
        for suffix in ("insert", "delete", "update_old", "update_new"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS tr_message_counts_{suffix}")
    op.drop_table("message_counts")
