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


def _campaign(path, nodes, settings=None):
    document = {**GOOD, "nodes": nodes, "settings": settings or {}}
    path.write_text(json.dumps(document))
    return str(path)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"filter": {"event": "x", "within": "P9999999999D"}}, "too long"),
        ({"filter": {"event": "x", "min_count": 10**30}}, "at most 1,000,000,000"),
        ({"filter": {"field": "created_at", "op": "gt", "value": "-P99999999999Y"}}, "not a date"),
    ],
)
def test_far_values_are_sentences_naming_the_node(tmp_path, capsys, params, words):
    path = _campaign(tmp_path / "c.campaign.json", [{"id": "t", "type": "trigger.manual",
                                                    "params": params}])  # fmt: skip
    assert main(["validate", path]) == 1
    out = capsys.readouterr()
    assert "Error" not in out.err  # no bare Python error
    assert any(line.startswith("t: ") and words in line for line in out.out.splitlines())


def test_a_far_duration_is_a_sentence(tmp_path, capsys):
    nodes = [
        GOOD["nodes"][0],
        {"id": "w", "type": "wait.delay", "params": {"duration": "P99999999999Y"}},
    ]
    path = _campaign(tmp_path / "c.campaign.json", nodes, {"entry": "P99999999999Y"})
    assert main(["validate", path]) == 1
    out = capsys.readouterr()
    assert "OverflowError" not in out.err + out.out
    assert "w: Duration: 'P99999999999Y' is too long (at most 1000 years)" in out.out


def test_import_dates_out_of_range_reject_their_line_only(tmp_path, capsys):
    db = str(tmp_path / "db.sqlite")
    contacts_csv = tmp_path / "c.csv"
    contacts_csv.write_text("email\na@example.com\n")
    assert main(["--db", db, "import", "contacts", str(contacts_csv)]) == 0
    events_csv = tmp_path / "e.csv"
    events_csv.write_text(
        "email,event,occurred_at,amount\n"
        "a@example.com,buy,9999-12-31T23:59:59-05:00,inf\n"
        "a@example.com,buy,0001-01-01T00:00:00+05:00,1e30\n"
        "a@example.com,buy,2020-01-01,1e999\n"
    )
    assert main(["--db", db, "import", "events", str(events_csv)]) in (0, 1)
    out = capsys.readouterr()
    assert "OverflowError" not in out.err + out.out
    assert "line 2: date/time '9999-12-31T23:59:59-05:00' is out of range" in out.err + out.out
    assert "1 added" in out.err + out.out


@pytest.mark.parametrize(
    ("version", "words"),
    [("9999_future", "made by a newer version of Campaign Studio"), ("", "empty schema version")],
)
def test_a_database_from_a_newer_program_is_a_sentence(tmp_path, capsys, version, words):
    path = tmp_path / "db.sqlite"
    open_database(path).dispose()
    import sqlite3

    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = ?", (version,))
    assert main(["--db", str(path), "stats", "1"]) == 2
    err = capsys.readouterr().err
    assert words in err and str(path) in err
    assert "Can't locate revision" not in err and "AssertionError" not in err


def test_a_start_or_end_out_of_range_is_a_problem_not_an_overflow(tmp_path, capsys):
    nodes = GOOD["nodes"]
    path = _campaign(tmp_path / "c.campaign.json", nodes, {"start_at": "9999-12-31T23:59:59-05:00"})
    assert main(["validate", path]) == 1
    assert (
        "start_at must be an ISO date-time between the years 1 and 9999" in capsys.readouterr().out
    )
    db = str(tmp_path / "db.sqlite")
    assert main(["--db", db, "campaigns", "add", path]) == 0  # stored as a draft, no overflow
    assert "Error" not in capsys.readouterr().err
