"""A whole campaign life through the installed command line only (DESIGN.md's contract):
import, validate, add, start, run, pause, update (version 2), resume, stop, stats, versions,
diff, export — then settings, segments and contacts export, and bad arguments."""

from __future__ import annotations

import csv
import email
import io
import json
import subprocess
import sys
from pathlib import Path

import networkx
import pytest

SCRIPT = str(Path(sys.executable).with_name("campaign-studio"))  # the installed console script

CAMPAIGN = {
    "format": "campaign-studio/1",
    "name": "Lifecycle blast",
    "settings": {},
    "nodes": [
        {"id": "start", "type": "trigger.manual", "params": {"segment": "germans"},
         "position": [0, 0]},
        {"id": "hello", "type": "action.send_email",
         "params": {"subject": "Hello {{ contact.first_name }}", "body": "Welcome"},
         "position": [220, 0]},
        {"id": "later", "type": "wait.delay", "params": {"duration": "P1D"}, "position": [440, 0]},
    ],
    "edges": [{"from": "start", "to": "hello"}, {"from": "hello", "to": "later"}],
}  # fmt: skip
PEOPLE = "email,first_name,country\nada@example.com,Ada,DE\nbob@example.com,Bob,DE\n"
PEOPLE += "cy@example.com,=HYPERLINK(1),FR\n"
SEGMENTS = [{"name": "germans", "rule": {"field": "country", "op": "eq", "value": "DE"}}]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "v1.campaign.json").write_text(json.dumps(CAMPAIGN), encoding="utf-8")
    second = json.loads(json.dumps(CAMPAIGN))
    second["nodes"][1]["params"]["subject"] = "Hi again {{ contact.first_name }}"
    second["nodes"].append({"id": "done", "type": "action.tag",
                            "params": {"add": ["greeted"]}, "position": [660, 0]})  # fmt: skip
    second["edges"].append({"from": "later", "to": "done"})
    (tmp_path / "v2.campaign.json").write_text(json.dumps(second), encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "segments.json").write_text(json.dumps(SEGMENTS), encoding="utf-8")
    return tmp_path


def cli(folder: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    env = {"CAMPAIGN_STUDIO_DATA_DIR": str(folder / "data"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([SCRIPT, *args, "--db", str(folder / "team.db")], cwd=folder,
                            env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    if ok:
        assert result.returncode == 0, (args, result.returncode, result.stderr)
    return result


def status(folder: Path, campaign_id: int) -> str:
    shown = json.loads(cli(folder, "campaigns", "show", str(campaign_id), "--json").stdout)
    return shown["status"]


def test_a_whole_campaign_life_on_the_command_line(folder):
    outbox = folder / "outbox"
    cli(folder, "import", "contacts", "people.csv")
    cli(folder, "import", "segments", "segments.json")
    cli(folder, "settings", "set", "outbox_path", str(outbox))
    assert subprocess.run([SCRIPT, "validate", "v1.campaign.json"], cwd=folder).returncode == 0

    added = json.loads(cli(folder, "campaigns", "add", "v1.campaign.json", "--json").stdout)
    cid = str(added["id"])
    listed = json.loads(cli(folder, "campaigns", "list", "--json").stdout)
    assert [(c["id"], c["name"], c["status"]) for c in listed] == [
        (added["id"], "Lifecycle blast", "draft")
    ]
    cli(folder, "campaigns", "start", cid)
    assert status(folder, cid) == "live"
    ran = cli(folder, "run", "--once", "--quiet")
    assert "sent 2" in ran.stdout, ran.stdout
    sent = sorted(email.message_from_bytes(p.read_bytes())["Subject"]
                  for p in outbox.rglob("*.eml"))  # fmt: skip
    assert sent == ["Hello Ada", "Hello Bob"]

    cli(folder, "campaigns", "pause", cid)
    assert status(folder, cid) == "paused"
    assert cli(folder, "campaigns", "update", cid, "v2.campaign.json").stdout.strip() == "2"
    cli(folder, "campaigns", "resume", cid)
    assert status(folder, cid) == "live"
    cli(folder, "campaigns", "stop", cid)
    assert status(folder, cid) == "stopped"
    again = cli(folder, "campaigns", "start", cid, ok=False)
    assert again.returncode == 2 and "it is stopped" in again.stderr

    stats = json.loads(cli(folder, "stats", cid, "--json").stdout)
    assert stats["nodes"]["hello"]["sent"] == 2
    assert stats["nodes"]["start"]["entered"] == 2

    versions = json.loads(cli(folder, "campaigns", "versions", cid, "--json").stdout)
    assert [(v["version"], v["current"]) for v in versions] == [(1, False), (2, True)]
    diff = json.loads(cli(folder, "campaigns", "diff", cid, "1", "2", "--json").stdout)
    assert [n["id"] for n in diff["nodes"]["added"]] == ["done"]
    assert diff["nodes"]["removed"] == []
    [changed] = diff["nodes"]["changed"]
    assert changed["id"] == "hello" and changed["params"] == {
        "subject": ["Hello {{ contact.first_name }}", "Hi again {{ contact.first_name }}"]
    }
    assert diff["edges"]["added"] == [{"from": "later", "port": "out", "to": "done"}]
    text = cli(folder, "campaigns", "diff", cid, "1", "2").stdout
    assert "+ node done (action.tag)" in text and "~ node hello: subject:" in text

    cli(folder, "campaigns", "export", cid, "-o", "exported.campaign.json")
    exported = json.loads((folder / "exported.campaign.json").read_text(encoding="utf-8"))
    assert exported["nodes"][1]["params"]["subject"].startswith("Hi again")
    assert (
        subprocess.run([SCRIPT, "validate", "exported.campaign.json"], cwd=folder).returncode == 0
    )
    first = json.loads(cli(folder, "campaigns", "export", cid, "--version", "1").stdout)
    assert first["nodes"][1]["params"]["subject"].startswith("Hello")
    cli(folder, "campaigns", "export", cid, "--format", "graphml", "-o", "c.graphml")
    graph = networkx.read_graphml(folder / "c.graphml")  # a reader we did not write
    assert set(graph.nodes) == {"start", "hello", "later", "done"}
    assert graph.number_of_edges() == 3


def test_settings_segments_contacts_and_copies_on_the_command_line(folder):
    cli(folder, "import", "contacts", "people.csv")
    cli(folder, "import", "segments", "segments.json")
    assert cli(folder, "segments", "count", "germans").stdout.strip() == "2"

    cli(folder, "settings", "set", "smtp_port", "2525")
    cli(folder, "settings", "set", "smtp_host", "mail.example.com")
    cli(folder, "settings", "set", "smtp_username", "1234")  # text stays text
    cli(folder, "settings", "set", "quiet_hours", '["21:00", "08:00"]')
    assert cli(folder, "settings", "get", "smtp_port").stdout.strip() == "2525"
    assert cli(folder, "settings", "get", "smtp_host").stdout.strip() == "mail.example.com"
    values = json.loads(cli(folder, "settings", "list", "--json").stdout)
    assert values["smtp_username"] == "1234" and values["quiet_hours"] == ["21:00", "08:00"]
    refused = cli(folder, "settings", "set", "smtp_password", "hunter2", ok=False)
    assert refused.returncode == 2 and "keyring" in refused.stderr
    assert "hunter2" not in cli(folder, "settings", "list").stdout
    wrong = cli(folder, "settings", "set", "smtp_port", '"many"', ok=False)
    assert wrong.returncode == 2 and "smtp_port" in wrong.stderr
    unknown = cli(folder, "settings", "get", "no_such_key", ok=False)
    assert unknown.returncode == 2 and "no_such_key" in unknown.stderr

    exported = cli(folder, "contacts", "export", "--segment", "germans").stdout
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert sorted(r["email"] for r in rows) == ["ada@example.com", "bob@example.com"]
    cli(folder, "contacts", "export", "-o", "all.csv")
    everyone = list(csv.DictReader((folder / "all.csv").open(encoding="utf-8")))
    assert len(everyone) == 3 and {r["country"] for r in everyone} == {"DE", "FR"}
    cy = next(r for r in everyone if r["email"] == "cy@example.com")
    assert cy["first_name"] == "'=HYPERLINK(1)"  # formula-safe
    # What export writes, import reads back: the same contacts in a second database.
    copy_db = str(folder / "copy.db")
    for args in (["import", "contacts", "all.csv"], ["contacts", "export", "-o", "again.csv"]):
        result = subprocess.run([SCRIPT, *args, "--db", copy_db], cwd=folder, capture_output=True,
                                text=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stderr
    again = list(csv.DictReader((folder / "again.csv").open(encoding="utf-8")))
    assert again == everyone

    first = cli(folder, "campaigns", "add", "v1.campaign.json").stdout.strip()
    copy = cli(folder, "campaigns", "duplicate", first).stdout.strip()
    names = {
        c["id"]: c["name"] for c in json.loads(cli(folder, "campaigns", "list", "--json").stdout)
    }
    assert names == {int(first): "Lifecycle blast", int(copy): "Lifecycle blast (copy)"}
    cli(folder, "campaigns", "schedule", copy, "--start", "2099-01-01T09:00:00Z")
    assert status(folder, copy) == "scheduled"
    cli(folder, "campaigns", "delete", copy)
    assert len(json.loads(cli(folder, "campaigns", "list", "--json").stdout)) == 1


BAD_ARGUMENTS = [
    (["campaigns", "show", "99"], "no campaign with id 99"),
    (["campaigns", "start", "No such name"], "no campaign named"),
    (["campaigns", "add", "missing.json"], "missing.json"),
    (["campaigns", "add", "people.csv"], "people.csv"),
    (["campaigns", "add", "v1.campaign.json"], "already named"),
    (["campaigns", "diff", "1", "1", "7"], "no version 7"),
    (["campaigns", "diff", "1", "one", "2"], "not a version number"),
    (["campaigns", "schedule", "1", "--start", "soon"], "not an ISO 8601 date-time"),
    (["campaigns", "export", "1", "--format", "pdf"], "invalid choice"),
    (["campaigns", "export", "1", "-o", "no/such/folder/x.json"], "does not exist"),
    (["segments", "count", "nobody"], "no segment named 'nobody'"),
    (["contacts", "export", "--segment", "nobody"], "no segment named 'nobody'"),
    (["stats", "99"], "no campaign with id 99"),
]


def test_bad_arguments_are_a_sentence_and_exit_2(folder):
    cli(folder, "campaigns", "add", "v1.campaign.json")
    for args, says in BAD_ARGUMENTS:
        result = cli(folder, *args, ok=False)
        assert result.returncode == 2, (args, result.returncode, result.stderr)
        assert says in result.stderr, (args, result.stderr)
        assert result.stderr.strip().splitlines()[-1].count("error:") == 1, result.stderr
    # A campaign with problems is stored, but does not start: exit 1, the problems named.
    broken = json.loads(json.dumps(CAMPAIGN))
    broken["name"] = "Broken"
    broken["nodes"][1]["params"] = {"template": "no-such-template"}
    (folder / "broken.campaign.json").write_text(json.dumps(broken), encoding="utf-8")
    added = cli(folder, "campaigns", "add", "broken.campaign.json").stdout.strip()
    refused = cli(folder, "campaigns", "start", added, ok=False)
    assert refused.returncode == 1 and "no-such-template" in refused.stderr, refused.stderr
    assert status(folder, added) == "draft"


def test_an_explicit_database_that_does_not_exist_is_not_created(folder):
    result = subprocess.run([SCRIPT, "campaigns", "list", "--db", str(folder / "typo.db")],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert not (folder / "typo.db").exists()


def test_without_db_every_command_uses_the_users_database(folder):
    env = {"CAMPAIGN_STUDIO_DATA_DIR": str(folder / "user"), "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([SCRIPT, *args], cwd=folder, env=env, capture_output=True,
                                text=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, (args, result.stderr)
        return result

    run("import", "contacts", "people.csv")
    run("campaigns", "add", "v1.campaign.json")
    assert (folder / "user" / "campaign-studio.db").is_file()  # the window's database
    listed = json.loads(run("campaigns", "list", "--json").stdout)
    assert [c["name"] for c in listed] == ["Lifecycle blast"]
    assert len(run("contacts", "export").stdout.strip().splitlines()) == 4  # header + 3
