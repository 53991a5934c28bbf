"""Pre-aggregated analyst figures (issue #15), kept by database triggers in the same
transaction as every insert, update and delete of the rows they count:

- `message_counts`: messages and their extra delivery attempts per (campaign, node, channel,
  status) — the canvas, the cards, `stats`, the dashboard's channel table;
- `engaged_contacts`: one row per (campaign, node, engagement event, contact) — the unique
  openers, clickers, unsubscribers, bounces per send node;
- `step_counts`: steps per (campaign, node, port, outcome), '' for none — the per-node
  figures and the edges of the canvas and `stats`;
- `daily_counts`: per (campaign, day, figure) the enrollments entered and converted, the
  messages sent and the opens and clicks — the daily series;
- `node_daily_counts`: per (campaign, node, day, figure) the steps taken at the node
  ('passed', by `at`) and its messages sent ('sent', by `sent_at`) — node detail's chart.

Why triggers: every writer (the runner's batch writes, the dispatcher's status changes, the
event recorder, imports, retention, raw SQL) is covered without touching it; a crash rolls
the counter back with the write that moved it; concurrent workers are serialised by the
database (SQLite's one writer; PostgreSQL's row lock taken by the upsert). `rebuild` counts
everything again from the rows (migrations 0007 and 0008 run it for existing databases)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, text

ENGAGEMENT_EVENTS = (
    "email_opened",
    "email_clicked",
    "unsubscribed",
    "bounced",
    "soft_bounced",
    "complained",
)
SENT_STATUSES = ("sent", "simulated")
TABLES = ("message_counts", "engaged_contacts", "daily_counts", "step_counts", "node_daily_counts")


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class _Counter:
    """Rows of `source` matching `when` add `values` to the `target` row at `keys`."""

    name: str
    source: str
    target: str
    keys: tuple[tuple[str, str], ...]  # (target column, expression over {r})
    values: tuple[tuple[str, str], ...]  # (target column, expression over {r}); () = presence
    when: str
    watched: tuple[str, ...]


def _day(dialect: str) -> Callable[[str], str]:
    if dialect == "postgresql":
        return lambda column: f"to_char({column}, 'YYYY-MM-DD')"
    return lambda column: f"date({column})"


def _counters(dialect: str) -> list[_Counter]:
    greatest = "greatest" if dialect == "postgresql" else "max"
    day = _day(dialect)
    daily = [
        ("entered", "enrollments", "{r}.entered_at", "{r}.entered_at IS NOT NULL"),
        ("converted", "enrollments", "{r}.converted_at", "{r}.converted_at IS NOT NULL"),
        (
            "sent",
            "messages",
            "{r}.sent_at",
            f"{{r}}.sent_at IS NOT NULL AND {{r}}.status IN {_in(SENT_STATUSES)}",
        ),
        ("opened", "events", "{r}.occurred_at", "{r}.name = 'email_opened'"),
        ("clicked", "events", "{r}.occurred_at", "{r}.name = 'email_clicked'"),
    ]
    watched = {
        "enrollments": ("campaign_id", "entered_at", "converted_at"),
        "messages": ("campaign_id", "status", "sent_at"),
        "events": ("campaign_id", "name", "occurred_at"),
    }
    out = [
        _Counter(
            "step_counts",
            "steps",
            "step_counts",
            (
                ("campaign_id", "{r}.campaign_id"),
                ("node_id", "{r}.node_id"),
                ("port", "coalesce({r}.port, '')"),
                ("outcome", "coalesce({r}.outcome, '')"),
            ),
            (("n", "1"),),
            "{r}.campaign_id IS NOT NULL",
            ("campaign_id", "node_id", "port", "outcome"),
        ),
        _Counter(
            "message_counts",
            "messages",
            "message_counts",
            (
                ("campaign_id", "{r}.campaign_id"),
                ("node_id", "coalesce({r}.node_id, '')"),
                ("channel", "{r}.channel"),
                ("status", "{r}.status"),
            ),
            (("n", "1"), ("retries", f"{greatest}({{r}}.attempts - 1, 0)")),
            "{r}.campaign_id IS NOT NULL",
            ("campaign_id", "node_id", "channel", "status", "attempts"),
        ),
        _Counter(
            "engaged_contacts",
            "events",
            "engaged_contacts",
            (
                ("campaign_id", "{r}.campaign_id"),
                ("node_id", "{r}.node_id"),
                ("name", "{r}.name"),
                ("contact_id", "{r}.contact_id"),
            ),
            (),
            "{r}.campaign_id IS NOT NULL AND {r}.node_id IS NOT NULL AND "
            f"{{r}}.contact_id IS NOT NULL AND {{r}}.name IN {_in(ENGAGEMENT_EVENTS)}",
            ("campaign_id", "node_id", "name", "contact_id"),
        ),
    ]
    # Per node and day: every step at the node; every message of the node with a sent_at
    # (whatever its status: what node detail always counted).
    node_daily = [
        ("passed", "steps", "{r}.at", "{r}.at IS NOT NULL", ("campaign_id", "node_id", "at")),
        (
            "sent",
            "messages",
            "{r}.sent_at",
            "{r}.sent_at IS NOT NULL",
            ("campaign_id", "node_id", "sent_at"),
        ),
    ]
    for figure, source, column, when, columns in node_daily:
        out.append(
            _Counter(
                f"node_daily_{figure}",
                source,
                "node_daily_counts",
                (
                    ("campaign_id", "{r}.campaign_id"),
                    ("node_id", "{r}.node_id"),
                    ("day", day(column)),
                    ("figure", f"'{figure}'"),
                ),
                (("n", "1"),),
                f"{{r}}.campaign_id IS NOT NULL AND {{r}}.node_id IS NOT NULL AND {when}",
                columns,
            )
        )
    for figure, source, column, when in daily:
        out.append(
            _Counter(
                f"daily_{figure}",
                source,
                "daily_counts",
                (
                    ("campaign_id", "{r}.campaign_id"),
                    ("day", day(column)),
                    ("figure", f"'{figure}'"),
                ),
                (("n", "1"),),
                f"{{r}}.campaign_id IS NOT NULL AND {when}",
                watched[source],
            )
        )
    return out


def _add(counter: _Counter, row: str, sign: str) -> str:
    """The statement that adds (sign '') or takes away (sign '-') `row`'s contribution."""
    keys = [k for k, _ in counter.keys]
    key_values = [e.format(r=row) for _, e in counter.keys]
    if not counter.values:  # presence: a row while any source row matches
        if sign == "":
            return (
                f"INSERT INTO {counter.target} ({', '.join(keys)}) VALUES "
                f"({', '.join(key_values)}) ON CONFLICT DO NOTHING;"
            )
        same = " AND ".join(f"{k} = {v}" for k, v in zip(keys, key_values, strict=True))
        still = " AND ".join(f"s.{k} = {v}" for k, v in zip(keys, key_values, strict=True))
        return (
            f"DELETE FROM {counter.target} WHERE {same} AND NOT EXISTS "
            f"(SELECT 1 FROM {counter.source} s WHERE {still});"
        )
    columns = keys + [c for c, _ in counter.values]
    values = key_values + [f"{sign}({e.format(r=row)})" for _, e in counter.values]
    updates = ", ".join(f"{c} = {counter.target}.{c} + excluded.{c}" for c, _ in counter.values)
    return (
        f"INSERT INTO {counter.target} ({', '.join(columns)}) VALUES ({', '.join(values)}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates};"
    )


def _kept(dialect: str, tables: tuple[str, ...]) -> list[_Counter]:
    return [c for c in _counters(dialect) if c.target in tables]


PAUSED = "counting_paused"
# First in each SQLite trigger's WHEN: one look at an (almost always) empty table.
_NOT_PAUSED = f"NOT EXISTS (SELECT 1 FROM {PAUSED}) AND "


def _sqlite_ddl(tables: tuple[str, ...], pausable: bool) -> list[str]:
    out = []
    for c in _kept("sqlite", tables):
        watched = ", ".join(c.watched)
        paused = _NOT_PAUSED if pausable else ""
        for suffix, timing, row, sign in (
            ("insert", "INSERT", "NEW", ""),
            ("delete", "DELETE", "OLD", "-"),
            ("update_old", f"UPDATE OF {watched}", "OLD", "-"),
            ("update_new", f"UPDATE OF {watched}", "NEW", ""),
        ):
            out.append(
                f"CREATE TRIGGER IF NOT EXISTS tr_{c.name}_{suffix} AFTER {timing} ON "
                f"{c.source} WHEN {paused}{c.when.format(r=row)} BEGIN {_add(c, row, sign)} END"
            )
    return out


def _postgresql_ddl(tables: tuple[str, ...]) -> list[str]:
    out = []
    for c in _kept("postgresql", tables):

        def block(row: str, sign: str, c: _Counter = c) -> str:
            return f"IF {c.when.format(r=row)} THEN {_add(c, row, sign)} END IF;"

        out += [
            f"CREATE OR REPLACE FUNCTION {c.name}_keep() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {block('OLD', '-')} END IF; "
            f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {block('NEW', '')} END IF; "
            "RETURN NULL; END $$ LANGUAGE plpgsql",
            f"DROP TRIGGER IF EXISTS tr_{c.name} ON {c.source}",
            f"CREATE TRIGGER tr_{c.name} AFTER INSERT OR DELETE OR UPDATE OF "
            f"{', '.join(c.watched)} ON {c.source} FOR EACH ROW EXECUTE FUNCTION {c.name}_keep()",
        ]
    return out


def create_triggers(conn: Connection, tables: tuple[str, ...] = TABLES) -> None:
    """Install the triggers that keep the counter tables (the tables must exist; a migration
    names the tables it knows)."""
    if conn.dialect.name == "sqlite":
        statements = _sqlite_ddl(tables, _pausable(conn))
    elif conn.dialect.name == "postgresql":
        statements = _postgresql_ddl(tables)
    else:
        statements = []
    for statement in statements:
        conn.exec_driver_sql(statement)


def _pausable(conn: Connection) -> bool:
    """SQLite with the pause table (migration 0009 on)."""
    if conn.dialect.name != "sqlite":
        return False
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (PAUSED,)
    )
    return found.first() is not None


@contextmanager
def inserted_in_bulk(conn: Connection, source: str) -> Iterator[None]:
    """`with inserted_in_bulk(conn, "steps"): <executemany INSERT INTO steps>` — on SQLite
    the rows inserted in the block are counted afterwards with one grouped statement per
    counter instead of one trigger upsert per row (the triggers were 40 % of the runner's
    write time). SQLite has one writer at a time, so the rows above the table's highest id
    when the block starts are exactly the block's; the pause row is never committed and no
    other connection sees it. Only for inserts, inside a transaction that rolls back when
    the block raises (the runner's batch). PostgreSQL keeps its per-row triggers: several
    workers there write the same tables at once."""
    if not _pausable(conn):
        yield
        return
    before = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {source}").scalar()
    conn.exec_driver_sql(f"INSERT INTO {PAUSED} (paused) VALUES (1)")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"DELETE FROM {PAUSED}")
    for c in _kept(conn.dialect.name, TABLES):
        if c.source == source:
            # NOT INDEXED: the rows are read by rowid range, never through an index that
            # matches the counter's condition (a scan of the whole table per batch).
            query = _count_rows(c, f"{source}.id > :after", source=f"{source} NOT INDEXED")
            conn.execute(text(query), {"after": before})


def drop_triggers(conn: Connection, tables: tuple[str, ...] = TABLES) -> None:
    for c in _kept(conn.dialect.name, tables):
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS tr_{c.name} ON {c.source}")
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {c.name}_keep()")
        else:
            for suffix in ("insert", "delete", "update_old", "update_new"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS tr_{c.name}_{suffix}")


def rebuild(
    conn: Connection, campaign_id: int | None = None, tables: tuple[str, ...] = TABLES
) -> None:
    """Count the counter tables (all, or those named) again from the rows (all campaigns,
    or one)."""
    only = "" if campaign_id is None else " AND campaign_id = :c"
    params = {} if campaign_id is None else {"c": campaign_id}
    for target in tables:
        conn.execute(text(f"DELETE FROM {target} WHERE 1 = 1{only}"), params)
    for c in _kept(conn.dialect.name, tables):
        where = only.replace("campaign_id", f"{c.source}.campaign_id").removeprefix(" AND ")
        conn.execute(text(_count_rows(c, where or None, add=False)), params)


def _count_rows(c: _Counter, where: str | None, add: bool = True, source: str = "") -> str:
    """INSERT … SELECT of `c`'s figures over the source rows matching `where`; `add` adds
    them to the counter rows already there (an upsert) instead of filling an empty table."""
    keys = [k for k, _ in c.keys]
    exprs = [e.format(r=c.source) for _, e in c.keys]
    condition = c.when.format(r=c.source) + (f" AND {where}" if where else "")
    if not c.values:
        select_ = f"SELECT DISTINCT {', '.join(exprs)} FROM {source or c.source} WHERE {condition}"
        columns = keys
        conflict = " ON CONFLICT DO NOTHING"
    else:
        sums = [f"sum({e.format(r=c.source)})" for _, e in c.values]
        columns = keys + [col for col, _ in c.values]
        select_ = (
            f"SELECT {', '.join(exprs + sums)} FROM {source or c.source} WHERE {condition} "
            f"GROUP BY {', '.join(str(i + 1) for i in range(len(exprs)))}"
        )
        updates = ", ".join(f"{col} = {c.target}.{col} + excluded.{col}" for col, _ in c.values)
        conflict = f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    return f"INSERT INTO {c.target} ({', '.join(columns)}) {select_}{conflict if add else ''}"
