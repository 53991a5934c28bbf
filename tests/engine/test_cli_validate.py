"""`campaign-studio validate`, run as a user runs it: exit codes and what it prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SAMPLES = sorted((ROOT / "resources" / "campaigns").glob("*.campaign.json"))


def _cli(*args: str) -> subprocess.CompletedProcess:
    # The checkout's own script, never an installed package's copy found on PATH.
    exe = str(Path(sys.executable).with_name("campaign-studio"))
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_each_sample_is_valid(path):
    result = _cli("validate", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_broken_variant_exits_1_with_one_line_per_problem_naming_nodes(tmp_path):
    doc = json.loads((ROOT / "resources/campaigns/welcome_series.campaign.json").read_text())
    broken_wait = broken_type = None
    for node in doc["nodes"]:
        if node["type"] == "wait.delay":
            node["params"]["duration"] = "two days"
            broken_wait = node["id"]
        if node["type"] == "action.send_email":
            node["type"] = "action.send_fax"
            broken_type = node["id"]
    doc["edges"].append({"from": doc["nodes"][0]["id"], "to": "nowhere"})
    path = tmp_path / "broken.campaign.json"
    path.write_text(json.dumps(doc))
    result = _cli("validate", str(path))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith(f"{broken_wait}: ") and "ISO 8601" in line for line in lines)
    assert any(line.startswith(f"{broken_type}: ") and "unknown node type" in line
               for line in lines)  # fmt: skip
    assert any("nowhere" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_json_output_lists_problems(tmp_path):
    doc = json.loads(SAMPLES[0].read_text())
    doc["nodes"] = [n for n in doc["nodes"] if not n["type"].startswith("trigger.")]
    doc["edges"] = [e for e in doc["edges"] if e["from"] in {n["id"] for n in doc["nodes"]}]
    path = tmp_path / "t.campaign.json"
    path.write_text(json.dumps(doc))
    result = _cli("validate", str(path), "--json")
    assert result.returncode == 1
    out = json.loads(result.stdout)
    assert out["valid"] is False
    assert any("no trigger" in p["message"] for p in out["problems"])


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{"format": "campaign-studio/1",\n "nodes": [\n  {"id": "a",}\n ]}', ":3:"),
        ('{"format": "other/2", "nodes": []}', "unsupported format"),
        ("[1, 2]", "JSON object"),
        ("", "not valid JSON"),
    ],
)
def test_not_json_or_not_the_format_exits_2_with_file_and_line(tmp_path, content, needle):
    # Issue #2: exit 2 with file and line/column for a file that is not JSON or not the
    # format; exit 1 stays for campaigns with problems (one `NODE_ID: message` a line).
    path = tmp_path / "bad.campaign.json"
    path.write_text(content)
    result = _cli("validate", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr and needle in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_exits_2_cleanly(tmp_path):
    result = _cli("validate", str(tmp_path / "nope.campaign.json"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_main_py_help_works():
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--help"],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0
    assert "validate" in result.stdout and "simulate" in result.stdout
