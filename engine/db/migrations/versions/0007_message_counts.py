"""Pre-aggregated analyst figures (issue #15): `message_counts` per (campaign, node, channel,
status), `step_counts` per (campaign, node, port, outcome), `engaged_contacts` per
(campaign, node, event, contact) and `daily_counts` per
(campaign, day, figure), kept by triggers on messages, events and enrollments
(engine/db/counters.py) and counted once here from the rows already in the database.

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

# The counter tables of this revision (later revisions add their own and their triggers).
TABLES = ("message_counts", "engaged_contacts", "daily_counts", "step_counts")


def upgrade() -> None:
    from engine.db import counters

    conn = op.get_bind()
    # A database made by create_all before migrations existed has the tables and triggers.
    if "message_counts" not in sa.inspect(conn).get_table_names():
        _create_tables()
    counters.create_triggers(conn, TABLES)
    counters.rebuild(conn, tables=TABLES)


def _create_tables() -> None:
    op.create_table(
        "message_counts",
        sa.Column("campaign_id", sa.Integer(), primary_key=True),
        sa.Column("node_id", sa.String(100), primary_key=True),
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("status", sa.String(20), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("retries", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.create_table(
        "step_counts",
        sa.Column("campaign_id", sa.Integer(), primary_key=True),
        sa.Column("node_id", sa.String(100), primary_key=True),
        sa.Column("port", sa.String(50), primary_key=True),
        sa.Column("outcome", sa.String(20), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.create_table(
        "engaged_contacts",
        sa.Column("campaign_id", sa.Integer(), primary_key=True),
        sa.Column("node_id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("contact_id", sa.Integer(), primary_key=True),
    )
    op.create_table(
        "daily_counts",
        sa.Column("campaign_id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("figure", sa.String(20), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    from engine.db import counters

    counters.drop_triggers(op.get_bind(), TABLES)
    for table in TABLES:
        op.drop_table(table)
