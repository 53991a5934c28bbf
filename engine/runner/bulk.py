"""Fast executemany for the hot path: a Core statement compiled once per shape, rows turned
into plain tuples with cheap converters, then one DBAPI executemany (SQLite). Other
databases take the ordinary Core executemany, which their drivers batch well."""

from __future__ import annotations

import datetime as dt
import json
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, DateTime

_CACHE: dict[tuple, tuple[str, list[str], list[Any]]] = {}


def _datetime(value):
    if value is None or isinstance(value, str):
        return value
    return value.isoformat(" ", "microseconds")


def _json(value):
    return None if value is None else json.dumps(value)


def _boolean(value):
    return None if value is None else int(bool(value))


def _converter(type_):
    if isinstance(type_, DateTime):
        return _datetime
    if isinstance(type_, JSON):
        return _json
    if isinstance(type_, Boolean):
        return _boolean
    return None


class Prepared:
    """Rows already turned into the DBAPI's SQL and tuples (`prepare`): what the runner
    hands to its writer process — smaller to send than dicts, and converted on the side
    that has the time."""

    __slots__ = ("links", "names", "sql", "tuples")

    def __init__(self, sql: str, tuples: list[tuple], names: list[str]) -> None:
        self.sql, self.tuples, self.names = sql, tuples, names
        self.links: list | None = None  # per row, what the writer fills in (core)

    def __len__(self) -> int:
        return len(self.tuples)


def prepare(conn: Connection, statement, rows, key: Any = None):
    """SQLite: `rows` as a Prepared for execute_many (other databases: `rows` as they are)."""
    if not rows or isinstance(rows, Prepared) or conn.dialect.name != "sqlite":
        return rows
    return Prepared(*_sql_and_tuples(conn, statement, rows, key))


def execute_many(conn: Connection, statement, rows, key: Any = None) -> int:
    """Run `statement` once per row (dicts, or a Prepared); the rows it changed. `key`
    names the statement's shape for the cache (the statement object itself when it is a
    module-level constant)."""
    if not rows:
        return 0
    if isinstance(rows, Prepared):
        return conn.exec_driver_sql(rows.sql, rows.tuples).rowcount
    if conn.dialect.name != "sqlite":
        return conn.execute(statement, rows).rowcount
    sql, tuples, _names = _sql_and_tuples(conn, statement, rows, key)
    return conn.exec_driver_sql(sql, tuples).rowcount


def _sql_and_tuples(
    conn: Connection, statement, rows, key: Any
) -> tuple[str, list[tuple], list[str]]:
    keys = tuple(rows[0])
    if statement.is_insert:  # rows may carry private keys ("_message_key"): not columns
        keys = tuple(k for k in keys if k in statement.table.c)
    cache_key = (key if key is not None else id(statement), keys)
    entry = _CACHE.get(cache_key)
    if entry is None:
        compiled = statement.compile(dialect=conn.dialect, column_keys=list(keys))
        names = list(compiled.positiontup or ())
        converters = [
            _converter(compiled.binds[name].type) if name in compiled.binds else None
            for name in names
        ]
        # Columns the rows leave out but the statement binds (a Python-side default such
        # as messages.in_doubt = 0) take that default.
        fill = {}
        if statement.is_insert:
            for name in names:
                column = statement.table.c.get(name)
                if name not in keys and column is not None and column.default is not None:
                    fill[name] = column.default.arg if column.default.is_scalar else None
        entry = (compiled.string, names, converters, fill)
        if key is not None:
            _CACHE[cache_key] = entry
    sql, names, converters, fill = entry
    if fill:
        rows = [{**fill, **row} for row in rows]
    get = itemgetter(*names)
    converted = [(i, convert) for i, convert in enumerate(converters) if convert is not None]
    if len(names) == 1:
        tuples = [(get(row),) for row in rows]
    else:
        tuples = [get(row) for row in rows]
    if converted:
        # Many rows share one time or one properties dict: convert each distinct value once.
        memo: dict[Any, Any] = {}
        out = []
        append = out.append
        for values in tuples:
            values = list(values)
            for i, convert in converted:
                value = values[i]
                if value is None:
                    continue
                token = (i, id(value)) if convert is _json else value
                done = memo.get(token)
                if done is None:
                    done = memo[token] = convert(value)
                values[i] = done
            append(tuple(values))
        tuples = out
    return sql, tuples, names


def parse_datetime(value) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)
