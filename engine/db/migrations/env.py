"""Alembic environment: always given a live connection by engine.db.migrate (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from engine.db.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through engine.db.migrate
    raise RuntimeError("run migrations through engine.db.migrate, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
