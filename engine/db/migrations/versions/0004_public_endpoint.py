"""The public endpoint: events-API keys (only a hash stored), the API's idempotency keys,
and the triggers' read position by event id (events are read in the order they arrived).

Revision ID: 0004
Revises: 0003
Created: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("prefix", sa.String(20), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
        sa.Column("last_used_at", sa.DateTime),
        sa.UniqueConstraint("name", name="uq_api_keys_name"),
        sa.UniqueConstraint("hash", name="uq_api_keys_hash"),
    )
    op.create_table(
        "api_event_ids",
        sa.Column("key_id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    with op.batch_alter_table("trigger_state") as batch:
        batch.add_column(sa.Column("checked_event_id", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("trigger_state") as batch:
        batch.drop_column("checked_event_id")
    op.drop_table("api_event_ids")
    op.drop_table("api_keys")
