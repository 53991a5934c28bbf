"""Pre-aggregated message figures (issue #15): `message_counts` holds, per (campaign, node,
channel, status), how many messages there are and their extra delivery attempts, kept by
database triggers in the same transaction as every insert, update and delete of `messages`.

Why triggers: every writer (the runner's batch writes, the dispatcher's status changes,
imports, retention, tests writing raw SQL) is covered without touching it, a crash rolls the
counter back with the write that moved it, and concurrent workers are serialised by the
database (SQLite's one writer; PostgreSQL's row lock taken by the upsert). `rebuild` recounts
from the messages table (the migration runs it for existing databases)."""

from __future__ import annotations

from sqlalchemy import Connection, text

_KEY = "campaign_id, node_id, channel, status"


def _sqlite_ddl() -> list[str]:
    def add(row: str, sign: str) -> str:
        extra = f"max({row}.attempts - 1, 0)"
        return (
            f"INSERT INTO message_counts ({_KEY}, n, retries) VALUES ({row}.campaign_id, "
            f"coalesce({row}.node_id, ''), {row}.channel, {row}.status, {sign}1, {sign}{extra}) "
            "ON CONFLICT (campaign_id, node_id, channel, status) DO UPDATE SET "
            "n = n + excluded.n, retries = retries + excluded.retries;"
        )

    return [
        "CREATE TRIGGER IF NOT EXISTS tr_message_counts_insert AFTER INSERT ON messages "
        f"WHEN NEW.campaign_id IS NOT NULL BEGIN {add('NEW', '')} END",
        "CREATE TRIGGER IF NOT EXISTS tr_message_counts_delete AFTER DELETE ON messages "
        f"WHEN OLD.campaign_id IS NOT NULL BEGIN {add('OLD', '-')} END",
        "CREATE TRIGGER IF NOT EXISTS tr_message_counts_update_old AFTER UPDATE OF "
        "campaign_id, node_id, channel, status, attempts ON messages "
        f"WHEN OLD.campaign_id IS NOT NULL BEGIN {add('OLD', '-')} END",
        "CREATE TRIGGER IF NOT EXISTS tr_message_counts_update_new AFTER UPDATE OF "
        "campaign_id, node_id, channel, status, attempts ON messages "
        f"WHEN NEW.campaign_id IS NOT NULL BEGIN {add('NEW', '')} END",
    ]


def _postgresql_ddl() -> list[str]:
    def add(row: str, sign: str) -> str:
        return (
            f"IF {row}.campaign_id IS NOT NULL THEN INSERT INTO message_counts ({_KEY}, n, "
            f"retries) VALUES ({row}.campaign_id, coalesce({row}.node_id, ''), {row}.channel, "
            f"{row}.status, {sign}1, {sign}greatest({row}.attempts - 1, 0)) "
            "ON CONFLICT (campaign_id, node_id, channel, status) DO UPDATE SET "
            "n = message_counts.n + excluded.n, "
            "retries = message_counts.retries + excluded.retries; END IF;"
        )

    return [
        "CREATE OR REPLACE FUNCTION message_counts_keep() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {add('OLD', '-')} END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {add('NEW', '')} END IF; "
        "RETURN NULL; END $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS tr_message_counts ON messages",
        "CREATE TRIGGER tr_message_counts AFTER INSERT OR DELETE OR UPDATE OF "
        "campaign_id, node_id, channel, status, attempts ON messages "
        "FOR EACH ROW EXECUTE FUNCTION message_counts_keep()",
    ]


def create_triggers(conn: Connection) -> None:
    """Install the triggers that keep `message_counts` (the table must exist)."""
    ddl = {"sqlite": _sqlite_ddl, "postgresql": _postgresql_ddl}.get(conn.dialect.name)
    for statement in ddl() if ddl else []:
        conn.exec_driver_sql(statement)


def rebuild(conn: Connection, campaign_id: int | None = None) -> None:
    """Recount `message_counts` from the messages table (all campaigns, or one)."""
    where = "" if campaign_id is None else " AND campaign_id = :c"
    params = {} if campaign_id is None else {"c": campaign_id}
    conn.execute(text("DELETE FROM message_counts WHERE 1 = 1" + where), params)
    conn.execute(
        text(
            f"INSERT INTO message_counts ({_KEY}, n, retries) SELECT campaign_id, "
            "coalesce(node_id, ''), channel, status, count(*), "
            "sum(CASE WHEN attempts > 1 THEN attempts - 1 ELSE 0 END) FROM messages "
            f"WHERE campaign_id IS NOT NULL{where} "
            "GROUP BY campaign_id, coalesce(node_id, ''), channel, status"
        ),
        params,
    )
