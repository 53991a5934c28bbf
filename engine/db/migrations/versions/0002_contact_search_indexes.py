"""Indexes for searching and sorting contacts by name (case-insensitive) and creation time.

Revision ID: 0002
Revises: 0001
Created: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "if not exists": databases made by create_all before migrations may have them already.
    op.create_index("ix_contacts_created_at", "contacts", ["created_at"], if_not_exists=True)
    op.create_index(
        "ix_contacts_first_name_lower",
        "contacts",
        [sa.func.lower(sa.column("first_name"))],
        if_not_exists=True,
    )
    op.create_index(
        "ix_contacts_last_name_lower",
        "contacts",
        [sa.func.lower(sa.column("last_name"))],
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_last_name_lower", table_name="contacts")
    op.drop_index("ix_contacts_first_name_lower", table_name="contacts")
    op.drop_index("ix_contacts_created_at", table_name="contacts")
