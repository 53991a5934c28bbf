"""Rendering in the process pool gives exactly what rendering in the runner gives: the same
subjects, bodies, headers, failures with the same reasons, and the same steps."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest_data import new_postgres_database, postgres_server  # noqa: F401  (a fixture)
from runner_helpers import START, add_segment, diagram, launch, make_db
from sqlalchemy import insert, select

from engine.db.schema import messages, settings, steps
from engine.delivery.unsubscribe import SECRET_KEY
from engine.runner import render_pool

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path, name: str, pool_min: int, url: str | None = None):
    folder = tmp_path / name
    folder.mkdir()
    # Every seventh contact has n = 0: its message fails in the template (division by 0).
    engine = make_db(
        folder,
        60,
        url=url,
        phone=lambda i: f"+4915{i:08d}",
        attributes=lambda i: {"city": "Berlin", "n": i % 7},
    )
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    with engine.begin() as conn:  # one signing secret, so both runs sign alike
        conn.execute(insert(settings).values(key=SECRET_KEY, value="ab" * 32))
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
            (
                "ratio",
                "action.send_email",
                {"subject": "{{ contact.first_name }}", "body": "<p>{{ 100 // contact.n }}</p>"},
            ),
            ("sms", "action.send_sms", {"template": "sms"}),
        ],
        [("start", "hello"), ("hello", "ratio"), ("ratio", "sms")],
    )
    _cid, runner, _clock = launch(engine, d)
    runner.render_pool_min = pool_min
    runner.tick(START)
    with engine.connect() as conn:
        sent = conn.execute(
            select(
                messages.c.key,
                messages.c.status,
                messages.c.error,
                messages.c.subject,
                messages.c.body_html,
                messages.c.body_text,
                messages.c.headers,
            ).order_by(messages.c.key)
        ).all()
        taken = conn.execute(
            select(
                steps.c.enrollment_id,
                steps.c.node_id,
                steps.c.port,
                steps.c.outcome,
                steps.c.detail,
            ).order_by(steps.c.enrollment_id, steps.c.node_id)
        ).all()
    engine.dispose()
    return sent, taken


def test_pool_renders_what_the_runner_renders(tmp_path, monkeypatch):
    monkeypatch.setattr(render_pool, "WORKERS", 1)  # a pool even on a one-core machine
    # Half of each group is rendered by the pool while the runner goes on (collected when
    # the batch is written): failures there correct the steps already taken.
    monkeypatch.setattr(render_pool, "_later_share", 0.5)
    monkeypatch.setattr(render_pool, "LATER_STEP", 0.0)
    inline, inline_steps = _run(tmp_path, "inline", pool_min=10**9)
    assert render_pool._pool is None
    before = render_pool.RENDERED_IN_POOL
    pooled, pooled_steps = _run(tmp_path, "pooled", pool_min=1)
    assert render_pool._pool is not None
    assert len(inline) == 180
    assert pooled == inline
    assert pooled_steps == inline_steps
    failed_steps = [step for step in inline_steps if step.outcome == "failed"]
    assert len(failed_steps) == 9 and {step.node_id for step in failed_steps} == {"ratio"}
    assert all("ZeroDivisionError" in step.detail for step in failed_steps)
    assert render_pool.RENDERED_IN_POOL - before == 90  # half of each of the three groups
    failed = [row for row in inline if row.status == "failed"]
    assert len(failed) == 9  # n = 0 for contacts 0, 7, …, 56 on the node "ratio"
    assert all(
        row.error == "template error: ZeroDivisionError: integer division or modulo by zero"
        for row in failed
    )
    hello = next(row for row in inline if row.key.endswith(":hello:1"))
    assert hello.subject.startswith("Hi First") and "unsubscribe" in hello.body_html
    assert hello.headers["List-Unsubscribe"].startswith("<")


def test_pool_renders_what_the_runner_renders_on_postgresql(tmp_path, monkeypatch, request):
    """The same on PostgreSQL, where a failed render in the pool's share corrects its step
    with the runner's UPDATE (its counters by trigger)."""
    server = request.getfixturevalue("postgres_server")
    monkeypatch.setattr(render_pool, "WORKERS", 1)
    monkeypatch.setattr(render_pool, "_later_share", 0.5)
    monkeypatch.setattr(render_pool, "LATER_STEP", 0.0)
    inline = _run(tmp_path, "inline", 10**9, new_postgres_database(server))
    before = render_pool.RENDERED_IN_POOL
    pooled = _run(tmp_path, "pooled", 1, new_postgres_database(server))
    assert render_pool.RENDERED_IN_POOL - before == 90
    assert pooled == inline
    failed_steps = [step for step in pooled[1] if step.outcome == "failed"]
    assert len(failed_steps) == 9 and all("ZeroDivisionError" in s.detail for s in failed_steps)


def test_a_group_is_split_between_the_runner_and_the_pool(monkeypatch):
    monkeypatch.setattr(render_pool, "WORKERS", 1)
    monkeypatch.setattr(render_pool, "_share", 0.5)  # not what earlier groups taught it
    before = render_pool.RENDERED_IN_POOL
    jobs = [({"first_name": f"F{i}", "attributes": {}}, f"u{i}", None) for i in range(50)]
    parts = {
        "subject": "{{ contact.first_name }}",
        "html": "<b>{{ unsubscribe_url }}</b>",
        "text": "",
    }
    out = render_pool.render_group("email", parts, {}, jobs, min_for_pool=1)
    assert [row[1] for row in out] == [f"F{i}" for i in range(50)]
    assert out[49] == ("ok", "F49", "<b>u49</b>", "", "u49")
    assert render_pool.RENDERED_IN_POOL - before == 25  # half; the runner rendered the rest


def test_the_pool_share_follows_both_sides_render_rates():
    # The render process rendered 500 in 2 s while the runner rendered 500 in 1 s (its core
    # is busy with another program): it gets a third next time, reached half-way.
    assert render_pool.next_share(0.5, 500, 1.0, 500, 2.0) == pytest.approx((0.5 + 1 / 3) / 2)
    assert render_pool.next_share(0.5, 500, 1.0, 500, 1.0) == 0.5  # equal rates: halves
    assert render_pool.next_share(0.1, 500, 1.0, 500, 100.0) == 0.1  # never below a tenth
    assert render_pool.next_share(0.9, 500, 100.0, 500, 1.0) == 0.9  # nor above nine tenths
    assert render_pool.next_share(0.4, 0, 0.0, 500, 1.0) == 0.4  # nothing measured: kept


def test_a_killed_render_process_costs_nothing_but_speed(monkeypatch):
    monkeypatch.setattr(render_pool, "WORKERS", 1)
    monkeypatch.setattr(render_pool, "_broken", False)
    render_pool.shutdown()
    jobs = [({"first_name": f"F{i}", "attributes": {}}, "", None) for i in range(20)]
    parts = {"subject": "{{ contact.first_name }}", "html": "", "text": ""}
    assert render_pool.render_group("email", parts, {}, jobs, min_for_pool=1)[19][1] == "F19"
    for process in list(render_pool._pool._processes.values()):  # the pool this test started
        process.kill()
        process.join(10)
    out = render_pool.render_group("email", parts, {}, jobs, min_for_pool=1)
    assert [row[1] for row in out] == [f"F{i}" for i in range(20)]
    assert render_pool._pool is None and render_pool._broken  # renders alone from now on
    out = render_pool.render_group("email", parts, {}, jobs, min_for_pool=1)
    assert out[0] == ("ok", "F0", "", "", "")


RUNNER_SCRIPT = """
import time
from engine.runner import render_pool
if __name__ == "__main__":
    render_pool.WORKERS = 1
    jobs = [({"first_name": "x", "attributes": {}}, "", None)] * 10
    render_pool.render_group("email", {"subject": "a", "html": "", "text": ""}, {}, jobs, 1)
    print(*render_pool._pool._processes, flush=True)
    time.sleep(120)
"""


def test_render_processes_leave_when_the_runner_is_killed(tmp_path):
    script = tmp_path / "runner.py"
    script.write_text(RUNNER_SCRIPT)
    runner = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        workers = [int(pid) for pid in runner.stdout.readline().split()]
        assert workers and all(_alive(pid) for pid in workers)
    finally:
        runner.kill()  # no goodbye: as a crash or kill -9
        runner.wait(10)
        runner.stdout.close()
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")  # a zombie is gone, only not yet reaped
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")
