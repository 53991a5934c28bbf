"""Contract checks from outside: `campaign-studio validate FILE [--json]` exits 0 when valid
and 1 with one problem a line for every malformed file DESIGN.md lists (unknown type, unknown
port, missing parameter, duplicate id, dangling edge, wrong format version)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("campaign-studio"))  # the installed console script


def good() -> dict:
    return {
        "format": "campaign-studio/1",
        "name": "Contract",
        "settings": {"entry": "every_time", "quiet_hours": ["21:00", "08:00"],
                     "frequency_cap": {"count": 3, "per": "P1D"}},
        "nodes": [
            {"id": "start", "type": "trigger.manual", "params": {"filter": {"tag": "vip"}},
             "position": [0, 0]},
            {"id": "ab", "type": "condition.split", "params": {"branches": [
                {"port": "A", "percent": 50}, {"port": "B", "percent": 50}]},
             "position": [200, 0]},
            {"id": "mail", "type": "action.send_email",
             "params": {"subject": "Hi {{ contact.first_name }}", "body": "<p>Hello</p>"},
             "position": [400, 0]},
            {"id": "end", "type": "exit", "params": {}, "position": [600, 0]},
        ],
        "edges": [
            {"from": "start", "to": "ab"},
            {"from": "ab", "port": "A", "to": "mail"},
            {"from": "ab", "port": "B", "to": "end"},
            {"from": "mail", "port": "out", "to": "end"},
        ],
    }  # fmt: skip


def validate(tmp_path: Path, data: dict | str, *extra: str) -> subprocess.CompletedProcess:
    path = tmp_path / "x.campaign.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return subprocess.run(
        [SCRIPT, "validate", str(path), *extra], capture_output=True, text=True, timeout=120
    )


def test_the_good_file_is_valid(tmp_path):
    result = validate(tmp_path, good())
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(validate(tmp_path, good(), "--json").stdout)["valid"] is True


def _unknown_type(d):
    d["nodes"][1]["type"] = "condition.bogus"


def _unknown_port(d):
    d["edges"][1]["port"] = "Z"


def _missing_param(d):
    del d["nodes"][2]["params"]["subject"]


def _duplicate_id(d):
    d["nodes"][3]["id"] = "mail"


def _dangling_edge(d):
    d["edges"].append({"from": "mail", "to": "ghost"})


def _wrong_version(d):
    d["format"] = "campaign-studio/99"


@pytest.mark.parametrize(
    ("spoil", "needle"),
    [
        (_unknown_type, "ab"),
        (_unknown_port, "ab"),
        (_missing_param, "mail"),
        (_duplicate_id, "mail"),
        (_dangling_edge, "ghost"),
    ],
)
def test_each_malformed_file_exits_1_with_a_problem_line(tmp_path, spoil, needle):
    data = good()
    spoil(data)
    result = validate(tmp_path, data)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert result.stdout.strip(), "problems go to standard output, one a line"
    assert any(needle in line for line in result.stdout.splitlines()), result.stdout
    assert "Traceback" not in result.stderr
    document = json.loads(validate(tmp_path, data, "--json").stdout)
    assert document["valid"] is False
    assert any(needle in p["message"] or needle == p.get("node") for p in document["problems"])


def test_not_json_exits_2_naming_the_file_and_line(tmp_path):
    result = validate(tmp_path, '{"format": "campaign-studio/1",\n "nodes": [,]}')
    assert result.returncode == 2
    assert ":2:" in result.stderr and "Traceback" not in result.stderr


def test_wrong_format_version_exits_2_naming_it(tmp_path):
    data = good()
    _wrong_version(data)
    result = validate(tmp_path, data)
    assert result.returncode == 2
    assert "campaign-studio/99" in result.stderr and "Traceback" not in result.stderr
