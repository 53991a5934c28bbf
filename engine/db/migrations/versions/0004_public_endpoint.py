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
    # A database made by create_all before migrations (then stamped 0001) has these already.
    inspector = sa.inspect(op.get_bind())
    tables = set(inspector.get_table_names())
    if "api_keys" not in tables:
        _create_api_keys()
    if "api_event_ids" not in tables:
        _create_api_event_ids()
    if "checked_event_id" not in {c["name"] for c in inspector.get_columns("trigger_state")}:
        with op.batch_alter_table("trigger_state") as batch:
            batch.add_column(sa.Column("checked_event_id", sa.Integer))


def _create_api_keys() -> None:
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


def _create_api_event_ids() -> None:
    op.create_table(
        "api_event_ids",
        sa.Column("key_id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("trigger_state") as batch:
        batch.drop_column("checked_event_id")
    op.drop_table("api_event_ids")
    op.drop_table("api_keys")
