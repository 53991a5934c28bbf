"""Analyst figures and bounded messages: the step log's campaign/node index also holds the
port and outcome (the canvas's per-node figures come from the index alone), and
messages.dropped_at says when a delivered message's rendered body was dropped after the
retention period.

Revision ID: 0006
Revises: 0005
Created: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ix_steps_campaign_node", table_name="steps", if_exists=True)
    op.create_index(
        "ix_steps_campaign_node", "steps", ["campaign_id", "node_id", "port", "outcome", "at"]
    )
    # A database made by create_all before migrations existed may have the column already.
    if "dropped_at" not in {c["name"] for c in sa.inspect(conn).get_columns("messages")}:
        op.add_column("messages", sa.Column("dropped_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("dropped_at")
    op.drop_index("ix_steps_campaign_node", table_name="steps")
    op.create_index("ix_steps_campaign_node", "steps", ["campaign_id", "node_id", "at"])
