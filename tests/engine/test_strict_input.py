"""Hostile input becomes a sentence with its line, never a bare Python error, and
non-finite numbers never reach the database (issue 16, items 6, 12 and 14)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError

from engine.cli import main
from engine.db import open_database
from engine.db.migrate import upgrade
from engine.db.schema import contacts
from engine.importer import import_contacts
from engine.rule_sql import count_matching
from engine.strict_json import JsonProblem, loads

GOOD = {
    "format": "campaign-studio/1",
    "name": "x",
    "nodes": [{"id": "t", "type": "trigger.manual", "params": {"filter": {"all": []}}}],
    "edges": [],
}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('{"a": 1,\n "b": {"a": 2},\n "a": 3}', 3, "appears twice"),
        ('{"a": [1,\n NaN]}', 2, "not a finite number"),
        ('{"a":\n 1e999}', 2, "not a finite number"),
        ('{"a": ' + "9" * 5000 + "}", 1, "5000 characters"),
        ('"\\ud800"', 1, "lone surrogate"),
        ("[" * 100000 + "]" * 100000, None, "nested too deeply"),
    ],
)
def test_strict_json_names_the_problem_and_the_line(text, line, words):
    with pytest.raises(JsonProblem) as caught:
        loads(text)
    assert words in caught.value.message
    assert caught.value.line == line


def test_validate_refuses_duplicate_keys_with_the_line(tmp_path, capsys):
    body = json.dumps(GOOD, indent=1).replace('"name": "x"', '"name": "x",\n "name": "y"')
    path = tmp_path / "dup.campaign.json"
    path.write_text(body)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    line = body.splitlines().index(' "name": "y",') + 1
    assert f"dup.campaign.json:{line}:" in err and "'name' appears twice" in err


def test_an_infinite_cell_never_becomes_infinity(tmp_path):
    db = open_database(tmp_path / "db.sqlite")
    path = tmp_path / "c.csv"
    path.write_text("email,size,ratio\na@example.com,1e999,0.5\nb@example.com,3,-1e999\n")
    import_contacts(db, path)
    with db.connect() as conn:
        bags = conn.execute(select(contacts.c.email, contacts.c.attributes)).all()
        assert conn.scalar(text("SELECT count(*) FROM contacts WHERE json_valid(attributes)")) == 2
        # The JSON functions work on every row: segments and campaigns can be checked.
        rule = {"field": "ratio", "op": "eq", "value": "0.5"}  # the column is text now
        assert count_matching(conn, rule, dt.datetime(2026, 1, 1)) == 1
    stored = json.dumps(dict(bags))
    assert "Infinity" not in stored and "NaN" not in stored


def test_the_database_refuses_infinity_whatever_the_entry_point(tmp_path):
    db = open_database(tmp_path / "db.sqlite")
    with pytest.raises(StatementError, match="not JSON compliant"), db.begin() as conn:
        conn.execute(
            contacts.insert().values(
                email="x@example.com", created_at=func.now(), attributes={"n": float("inf")}
            )
        )


def test_migration_repairs_infinity_already_stored(tmp_path):
    db = open_database(tmp_path / "db.sqlite", create=False)
    upgrade(db, "0002")
    with db.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO contacts (email, created_at, unsubscribed, bounced, score, "
                "attributes) VALUES ('a@example.com', '2026-01-01', 0, 0, 0, "
                '\'{"size": Infinity, "keep": 2, "deep": [NaN]}\')'
            )
        )
    upgrade(db)
    with db.connect() as conn:
        raw = conn.scalar(text("SELECT attributes FROM contacts"))
        assert conn.scalar(text("SELECT json_valid(attributes) FROM contacts")) == 1
    assert json.loads(raw) == {"size": None, "keep": 2, "deep": [None]}


def test_settings_set_refuses_a_non_finite_number(tmp_path, capsys):
    db = tmp_path / "db.sqlite"
    assert main(["settings", "--db", str(db), "set", "tick_seconds", "1e999"]) == 2
    assert "not a finite number" in capsys.readouterr().err
