"""messages.in_doubt: how many times a message's fate was unknown (the connection was lost
after the whole message was sent, before the server's reply); such a message is retried.

Revision ID: 0005
Revises: 0004
Created: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    # A database made by create_all before migrations existed may have the column already.
    if "in_doubt" not in {c["name"] for c in sa.inspect(conn).get_columns("messages")}:
        op.add_column(
            "messages",
            sa.Column("in_doubt", sa.Integer(), nullable=False, server_default=sa.text("0")),
        )


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("in_doubt")
