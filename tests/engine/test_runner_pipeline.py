"""The runner's pipeline (SQLite, issue #15): while the writer process writes a batch, the
runner claims and moves the next. It must leave exactly what the runner leaves batch by
batch: the same steps, messages and events, counters equal to a recount, every contact
once per node — also when the same contacts are in two campaigns at once (a batch then
waits for the write of the batch before it), and when the writer process dies."""

import datetime as dt

from runner_helpers import START, add_contacts, add_segment, diagram, launch, make_db, run_until
from sqlalchemy import func, select, update

from engine.db.schema import contacts, counting_paused, events, messages, steps
from engine.runner import writer

N = 240


def _campaign(name: str):
    return diagram(
        [
            ("start", "trigger.segment_entry", {"segment": "everyone"}),
            ("hello", "action.send_email", {"template": "welcome"}),
            ("pause", "wait.delay", {"duration": "PT6H"}),
            ("opened", "condition.event", {"event": "email_opened", "node": "hello"}),
            ("tips", "action.send_email", {"template": "welcome"}),
            ("nudge", "action.send_sms", {"template": "sms"}),
        ],
        [
            ("start", "hello"),
            ("hello", "pause"),
            ("pause", "opened"),
            ("opened", "yes", "tips"),
            ("opened", "no", "nudge"),
        ],
        name=name,
    )


def _run(tmp_path, pipelined: bool, kill_writer: bool = False, n: int = N, size: int = 32):
    folder = tmp_path / f"{'pipelined' if pipelined else 'sequential'}-{n}"
    folder.mkdir()
    engine = make_db(folder)
    ids = add_contacts(engine, n, phone=lambda i: f"+4915{i:08d}")
    add_segment(engine, "everyone", members=ids)
    with engine.begin() as conn:  # opted out: suppressed, in both runs alike
        conn.execute(update(contacts).where(contacts.c.id <= 12).values(unsubscribed=True))
    from engine import campaigns

    _first, runner, clock = launch(engine, _campaign("One"), assume={"opened": 0.5})
    second = campaigns.save_campaign(engine, _campaign("Two"))  # the same contacts again
    campaigns.start(engine, second, START)
    runner.batch_size = size  # many batches: the first of a tick is full, the rest overlap
    runner.pipelined = pipelined
    if kill_writer:
        runner.tick(clock.now())  # the writer process is started …
        for process in list(writer._pool._processes.values()):
            process.kill()  # … and dies: the runner writes its batches itself from then on
            process.join(10)
    run_until(runner, clock, START + dt.timedelta(days=1), dt.timedelta(hours=2))
    with engine.connect() as conn:
        taken = sorted(
            conn.execute(
                select(
                    steps.c.campaign_id,
                    steps.c.contact_id,
                    steps.c.node_id,
                    steps.c.port,
                    steps.c.outcome,
                    steps.c.at,
                )
            ).all()
        )
        sent = sorted(
            conn.execute(
                select(
                    messages.c.campaign_id,
                    messages.c.contact_id,
                    messages.c.node_id,
                    messages.c.status,
                    messages.c.subject,
                    messages.c.body_text,
                    messages.c.sent_at,
                )
            ).all()
        )
        recorded = sorted(
            conn.execute(
                select(
                    events.c.campaign_id,
                    events.c.contact_id,
                    events.c.node_id,
                    events.c.name,
                    events.c.occurred_at,
                )
            ).all()
        )
        paused = conn.scalar(select(func.count()).select_from(counting_paused))
        # Each engine event about a message points at that very message.
        pairs = conn.execute(
            select(
                events.c.contact_id,
                events.c.node_id,
                messages.c.contact_id,
                messages.c.node_id,
                messages.c.campaign_id,
                events.c.campaign_id,
            ).join(messages, messages.c.id == events.c.message_id)
        ).all()
        assert len(pairs) == len(recorded) > 2 * n
        assert all(p[0] == p[2] and p[1] == p[3] and p[4] == p[5] for p in pairs)
        from test_message_counts import kept, others, others_recounted, recount

        assert kept(conn) == recount(conn)
        assert others(conn) == others_recounted(conn)
    engine.dispose()
    return taken, sent, recorded, paused


def test_the_pipeline_leaves_what_batch_by_batch_leaves(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "available", lambda: True)  # even on a one-core machine
    submitted = []
    real = writer.submit
    monkeypatch.setattr(writer, "submit", lambda *a: submitted.append(1) or real(*a))
    sequential = _run(tmp_path, pipelined=False)
    assert not submitted
    pipelined = _run(tmp_path, pipelined=True)
    assert len(submitted) >= 10  # most batches were written by the writer process
    assert pipelined == sequential
    taken, sent, recorded, paused = pipelined
    assert paused == 0
    # Every contact passed each node of its path once per campaign, 2 campaigns.
    hello = [row for row in taken if row.node_id == "hello"]
    assert len(hello) == 2 * N and len(set((r.campaign_id, r.contact_id) for r in hello)) == 2 * N
    assert len([m for m in sent if m.node_id == "hello"]) == 2 * N
    assert {m.status for m in sent} == {"simulated", "suppressed"}
    assert any(row.node_id == "tips" for row in taken) and any(r.node_id == "nudge" for r in taken)
    assert len([e for e in recorded if e.name == "email_opened"]) > N / 2


def test_a_writer_process_that_dies_costs_nothing_but_speed(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "available", lambda: not writer._broken)
    monkeypatch.setattr(writer, "_broken", False)
    writer.shutdown()
    sequential = _run(tmp_path, pipelined=False)
    survived = _run(tmp_path, pipelined=True, kill_writer=True)
    assert survived == sequential
    assert writer._broken and writer._pool is None


def test_a_batch_with_contacts_of_the_batch_being_written_waits_for_that_write(
    tmp_path, monkeypatch
):
    from engine.runner import core

    monkeypatch.setattr(writer, "available", lambda: True)
    monkeypatch.setattr(writer, "_broken", False)
    # 60 contacts in two campaigns, batches of 40: the second batch holds campaign One's
    # last 20 and Two's first 20; the third, Two's last 40 — the same people as the second.
    sequential = _run(tmp_path, pipelined=False, n=60, size=40)
    waits = core.PIPELINE_WAITS
    pipelined = _run(tmp_path, pipelined=True, n=60, size=40)
    assert waits < core.PIPELINE_WAITS
    assert pipelined == sequential


def test_a_batch_whose_runner_was_killed_is_not_written(tmp_path):
    """A runner killed while its batch waits in the writer process: the batch is rolled
    back, since a runner started again may already have claimed the same enrollments."""
    import subprocess

    import pytest

    from engine.runner.core import BatchWrites

    engine = make_db(tmp_path)
    engine.dispose()
    gone = subprocess.Popen(["true"])
    gone.wait()
    url = f"sqlite:///{tmp_path / 'test.db'}"
    step = {
        "enrollment_id": 1,
        "campaign_id": 1,
        "contact_id": 1,
        "node_id": "hello",
        "port": "out",
        "at": START,
        "outcome": None,
        "detail": None,
    }
    for pid, written in ((gone.pid, 0), (None, 1)):
        writes = BatchWrites()
        writes.steps.append(dict(step))
        if written:
            writer.write_batch(url, (), "simulate", [], START, writes, pid)
        else:
            with pytest.raises(RuntimeError, match="runner is gone"):
                writer.write_batch(url, (), "simulate", [], START, writes, pid)
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(steps)) == written


def test_a_simulation_leaves_no_connection_to_its_deleted_copy(tmp_path, monkeypatch):
    """The writer process outlives a simulation (the next one reuses it): it must not keep
    the simulation's copy — deleted afterwards, gigabytes at a million contacts — open."""
    import os
    from pathlib import Path

    from engine.simulate import simulate

    monkeypatch.setattr(writer, "available", lambda: True)
    monkeypatch.setattr(writer, "_broken", False)
    engine = make_db(tmp_path)
    ids = add_contacts(engine, 200)
    add_segment(engine, "everyone", members=ids)
    engine.dispose()
    submitted = []
    real = writer.submit
    monkeypatch.setattr(writer, "submit", lambda *a: submitted.append(1) or real(*a))
    result = simulate(_campaign("Sim"), tmp_path / "test.db", 1, start=START, batch_size=16)
    assert result["campaign"]["enrolled"] == 200 and submitted
    pid = next(iter(writer._pool._processes))
    fds = Path(f"/proc/{pid}/fd")
    held = [os.readlink(fd) for fd in fds.iterdir() if fd.exists()]
    assert not [path for path in held if "campaign-studio-simulate" in path], held
