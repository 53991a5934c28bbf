"""Alembic migrations of the database schema (script location shipped inside the package)."""
