"""Contract checks from outside: small cases of DESIGN.md's "How a contact moves", worked out
by hand, run through the installed `campaign-studio simulate --json` on a database built
with `campaign-studio import` (entry once / every_time / a duration, a 50/50 split, a wait
for an event with a timeout, a goal jump, an unsubscribed contact, quiet hours, --assume)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("campaign-studio"))  # the installed console script

CONTACTS = """email,first_name,timezone,unsubscribed,tags,age
c01@x.com,Ann,UTC,false,vip,30
c02@x.com,Bob,Europe/Berlin,false,,41
c03@x.com,Cid,America/New_York,false,,25
c04@x.com,Dan,UTC,false,vip,52
c05@x.com,Eve,UTC,true,vip,33
c06@x.com,Fay,Asia/Tokyo,false,,28
c07@x.com,Gus,UTC,false,,60
c08@x.com,Hal,UTC,false,,19
c09@x.com,Ivy,UTC,false,vip,45
c10@x.com,Jon,UTC,false,,37
"""
EVENTS = """email,event,occurred_at,plan
c01@x.com,signup,2026-03-05T10:00:00Z,
c01@x.com,signup,2026-03-05T12:00:00Z,
c02@x.com,signup,2026-03-05T11:00:00+01:00,
c02@x.com,upgrade,2026-03-05T11:00:00,pro
c05@x.com,signup,2026-03-05T10:00:00,
c03@x.com,signup,2026-03-06T10:00:00+01:00,
c01@x.com,signup,2026-03-07T10:00:00Z,
c07@x.com,visit,2026-03-05T10:00:00Z,
c07@x.com,visit,2026-03-05T12:00:00Z,
c07@x.com,visit,2026-03-06T10:00:00Z,
c07@x.com,visit,2026-03-08T10:00:00Z,
c07@x.com,visit,2026-03-14T10:00:00Z,
"""


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("contract")
    (folder / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (folder / "events.csv").write_text(EVENTS, encoding="utf-8")
    for kind in ("contacts", "events"):
        result = cli("import", kind, f"{kind}.csv", "--db", "w.db", cwd=folder)
        assert result.returncode == 0, result.stdout + result.stderr
    return folder


def node(id_: str, type_: str, **params) -> dict:
    return {"id": id_, "type": type_, "params": params, "position": [0, 0]}


def simulate(folder: Path, name: str, nodes, edges, settings=None, *extra: str) -> dict:
    document = {
        "format": "campaign-studio/1",
        "name": name,
        "settings": settings or {},
        "nodes": nodes,
        "edges": edges,
    }
    path = folder / f"{name}.campaign.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = cli("simulate", path.name, "--db", "w.db", "--json", *extra, cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"nodes", "campaign"}
    assert set(out["nodes"]) == {n["id"] for n in nodes}
    for figures in out["nodes"].values():
        assert {"entered", "waiting", "ports"} <= set(figures)
    return out


SEND_KEYS = {"sent", "failed", "suppressed", "opened", "clicked", "unsubscribed"}


def test_a_split_puts_everyone_in_one_branch_the_same_way_twice(workspace):
    nodes = [
        node("start", "trigger.manual", filter={"field": "email", "op": "is_set"}),
        node(
            "ab",
            "condition.split",
            branches=[{"port": "A", "percent": 50}, {"port": "B", "percent": 50}],
        ),
        node("mail", "action.send_email", subject="Hi {{ contact.first_name }}", body="x"),
    ]
    edges = [{"from": "start", "to": "ab"}, {"from": "ab", "port": "A", "to": "mail"}]
    before = hashlib.sha256((workspace / "w.db").read_bytes()).hexdigest()
    runs = [
        simulate(
            workspace, "Split", nodes, edges, None, "--days", "1", "--start", "2026-03-05T10:00:00"
        )
        for _ in range(2)
    ]
    assert runs[0]["nodes"] == runs[1]["nodes"]
    ab = runs[0]["nodes"]["ab"]
    assert ab["entered"] == 10 and ab["ports"]["A"] + ab["ports"]["B"] == 10
    mail = runs[0]["nodes"]["mail"]
    assert set(mail) >= SEND_KEYS
    assert mail["entered"] == ab["ports"]["A"]
    # the unsubscribed contact (c05) is suppressed if it took A, never sent
    assert mail["sent"] + mail["suppressed"] == ab["ports"]["A"]
    assert hashlib.sha256((workspace / "w.db").read_bytes()).hexdigest() == before


@pytest.mark.parametrize(("entry", "expected"), [("once", 1), ("every_time", 4), ("P7D", 2)])
def test_entry_frequency(workspace, entry, expected):
    # c07 visits at 5th 10:00, 5th 12:00 (still inside: a 4 h wait), 6th, 8th and 14th.
    nodes = [node("t", "trigger.event", event="visit"), node("w", "wait.delay", duration="PT4H")]
    out = simulate(
        workspace,
        f"Entry {entry}",
        nodes,
        [{"from": "t", "to": "w"}],
        {"entry": entry},
        "--days",
        "12",
        "--start",
        "2026-03-05T00:00:00",
    )
    assert out["nodes"]["t"]["entered"] == expected
    assert out["campaign"]["enrolled"] == expected


def _signup_flow(timeout: str) -> tuple[list, list]:
    nodes = [
        node("t", "trigger.event", event="signup"),
        node("mail", "action.send_email", subject="Welcome", body="Hi"),
        node("w", "wait.for_event", event="email_clicked", node="mail", timeout=timeout),
        node("tagc", "action.tag", add=["clicker"]),
        node("later", "wait.delay", duration="P1D"),
        node("bye", "exit"),
        node("g", "goal", event="upgrade"),
        node("sc", "action.score", points=10),
    ]
    edges = [
        {"from": "t", "to": "mail"},
        {"from": "mail", "to": "w"},
        {"from": "w", "port": "event", "to": "tagc"},
        {"from": "w", "port": "timeout", "to": "later"},
        {"from": "later", "to": "bye"},
        {"from": "g", "to": "sc"},
    ]
    return nodes, edges


def test_wait_for_event_timeout_goal_jump_and_suppression(workspace):
    # every_time: c01 10:00 (12:00 ignored: inside), c02 10:00 then upgrades at 11:00 (goal),
    # c05 10:00 (unsubscribed: suppressed), c03 on the 6th, c01 again on the 7th.
    nodes, edges = _signup_flow("PT6H")
    out = simulate(
        workspace,
        "Signup",
        nodes,
        edges,
        {"entry": "every_time"},
        "--days",
        "5",
        "--start",
        "2026-03-05T00:00:00",
    )
    n = out["nodes"]
    assert n["t"]["entered"] == 5
    assert (n["mail"]["sent"], n["mail"]["suppressed"], n["mail"]["failed"]) == (4, 1, 0)
    assert n["w"]["ports"].get("timeout") == 4 and n["w"]["ports"].get("event", 0) == 0
    assert n["later"]["entered"] == 4 and n["bye"]["entered"] == 4
    assert n["g"]["entered"] == 1 and n["sc"]["entered"] == 1
    assert out["campaign"]["converted"] == 1


def test_assumed_clicks_leave_the_wait_through_event(workspace):
    # Everyone sent to opens and clicks (rate 1) within 48 h, before a 3-day timeout; c02
    # has left for the goal already, c05 was not sent to.
    nodes, edges = _signup_flow("P3D")
    out = simulate(
        workspace,
        "Signup clicks",
        nodes,
        edges,
        {"entry": "every_time"},
        "--days",
        "8",
        "--start",
        "2026-03-05T00:00:00",
        "--assume",
        "opened=1,clicked=1",
    )
    n = out["nodes"]
    assert n["w"]["ports"].get("event") == 3 and n["w"]["ports"].get("timeout") == 1
    assert n["mail"]["opened"] == 3 and n["mail"]["clicked"] == 3  # distinct contacts


@pytest.mark.parametrize(
    ("days", "sent", "waiting"), [("0.04", 1, 2), ("0.09", 2, 1), ("0.5", 3, 0)]
)
def test_quiet_hours_defer_in_each_contacts_zone(workspace, days, sent, waiting):
    # 22:00 UTC: New York (17:00) sends at once; Tokyo (07:00) at 08:00 local = 23:00 UTC;
    # UTC waits until 08:00.
    nodes = [
        node(
            "s",
            "trigger.manual",
            filter={"field": "email", "op": "in", "value": ["c01@x.com", "c03@x.com", "c06@x.com"]},
        ),
        node("m", "action.send_email", subject="Hi", body="Hello"),
    ]
    out = simulate(
        workspace,
        "Quiet",
        nodes,
        [{"from": "s", "to": "m"}],
        {"quiet_hours": ["21:00", "08:00"]},
        "--days",
        days,
        "--start",
        "2026-03-05T22:00:00",
    )
    m = out["nodes"]["m"]
    assert (m["entered"], m["sent"], m["waiting"]) == (3, sent, waiting)


def test_assumed_events_do_not_depend_on_the_start_second(tmp_path):
    # "by stable hash, so two runs agree": forecasts started a few seconds (or a day) apart
    # pick the same contacts for an assumed purchase.
    rows = "\n".join(f"p{i:03d}@x.com" for i in range(200))
    (tmp_path / "people.csv").write_text(f"email\n{rows}\n", encoding="utf-8")
    assert cli("import", "contacts", "people.csv", "--db", "w.db", cwd=tmp_path).returncode == 0
    nodes = [
        node("s", "trigger.manual", filter={"field": "email", "op": "is_set"}),
        node("w", "wait.delay", duration="P10D"),
        node("g", "goal", event="purchase"),
    ]
    figures = []
    for start in ("2026-03-05T10:00:00", "2026-03-05T10:00:07", "2026-03-06T10:00:00"):
        out = simulate(
            tmp_path, "Buyers", nodes, [{"from": "s", "to": "w"}], None,
            "--days", "9", "--start", start, "--assume", "purchase=0.3",
        )  # fmt: skip
        figures.append(out["nodes"]["g"]["entered"])
    assert figures[0] == figures[1] == figures[2]
    assert 40 <= figures[0] <= 80  # about 30% of 200


def test_the_text_summary_adds_up_when_contacts_leave_by_an_exit(workspace):
    document = {"format": "campaign-studio/1", "name": "Out", "settings": {},
                "nodes": [node("s", "trigger.manual", filter={"tag": "vip"}), node("x", "exit")],
                "edges": [{"from": "s", "to": "x"}]}  # fmt: skip
    (workspace / "out.campaign.json").write_text(json.dumps(document), encoding="utf-8")
    result = cli("simulate", "out.campaign.json", "--db", "w.db", "--days", "1", cwd=workspace)
    assert result.returncode == 0, result.stderr
    assert "enrolled 4, active 0, completed 0, exited 4" in result.stdout, result.stdout
