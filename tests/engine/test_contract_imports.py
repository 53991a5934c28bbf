"""Contract checks from outside: segment and template files in the shapes an outsider would
write (a list, an object keyed by name, one object on its own, `filter` like the campaign
file's inline rules), through the installed `campaign-studio import` command."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("campaign-studio"))  # the installed console script


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    (tmp_path / "people.csv").write_text(
        "email,tags\na@x.com,vip\nb@x.com,news\n", encoding="utf-8"
    )
    path = tmp_path / "w.db"
    assert cli("import", "contacts", "people.csv", "--db", str(path), cwd=tmp_path).returncode == 0
    return path


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_one_segment_object_on_its_own_is_one_segment(db, tmp_path):
    (tmp_path / "s.json").write_text(json.dumps({"name": "vips", "rule": {"tag": "vip"}}))
    result = cli("import", "segments", "s.json", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert rows(db, "SELECT name, kind FROM segments") == [("vips", "dynamic")]


@pytest.mark.parametrize("shape", ["list", "keyed"])
def test_a_segment_rule_may_be_called_filter_like_in_campaign_files(db, tmp_path, shape):
    item = {"filter": {"tag": "vip"}, "description": "the best"}
    data = [{"name": "vips", **item}] if shape == "list" else {"vips": item}
    (tmp_path / "s.json").write_text(json.dumps(data))
    result = cli("import", "segments", "s.json", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert rows(db, "SELECT name, kind, rule FROM segments") == [
        ("vips", "dynamic", '{"tag": "vip"}')
    ]


def test_a_segment_with_both_rule_and_filter_is_rejected(db, tmp_path):
    data = [{"name": "x", "rule": {"tag": "vip"}, "filter": {"tag": "news"}}]
    (tmp_path / "s.json").write_text(json.dumps(data))
    result = cli("import", "segments", "s.json", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert "item 1" in result.stdout and "filter" in result.stdout


def test_segments_in_a_loop_are_all_rejected(db, tmp_path):
    data = [
        {"name": "one", "rule": {"segment": "two"}},
        {"name": "two", "rule": {"segment": "one"}},
        {"name": "fine", "rule": {"tag": "vip"}},
    ]
    (tmp_path / "s.json").write_text(json.dumps(data))
    result = cli("import", "segments", "s.json", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # no segment is left naming one that was not imported
    assert rows(db, "SELECT name FROM segments") == [("fine",)]


def test_one_template_object_on_its_own_is_one_template(db, tmp_path):
    data = {"name": "hello", "subject": "Hi {{ contact.first_name }}", "html": "<p>Hi</p>"}
    (tmp_path / "t.json").write_text(json.dumps(data))
    result = cli("import", "templates", "t.json", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert rows(db, "SELECT name, channel, subject FROM templates") == [
        ("hello", "email", "Hi {{ contact.first_name }}")
    ]


@pytest.mark.parametrize("kind", ["contacts", "events", "segments", "templates"])
def test_a_folder_is_named_as_a_folder(db, tmp_path, kind):
    (tmp_path / "folder").mkdir()
    result = cli("import", kind, "folder", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and "folder" in result.stderr
    assert "no such file" not in result.stderr
