"""Engine throughput: N contacts through the welcome-series sample in simulate mode, every
message rendered, against two floors measured in the same run on the same machine:
(a) raw sqlite3 executemany of one row per step and per message, (b) Jinja2 rendering of
the same templates alone. Prints rates, ratios and peak memory.

    .venv/bin/python benchmarks/engine_throughput.py [--contacts 100000] [--memory]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.db import open_database  # noqa: E402
from engine.fileformat import load  # noqa: E402
from engine.runner import render_pool  # noqa: E402

START = dt.datetime(2026, 3, 2, 10, 0)
DAYS = 3
ASSUME = {"opened": 0.3, "clicked": 0.1}
WORDS = [
    "campaign",
    "studio",
    "helps",
    "you",
    "welcome",
    "every",
    "new",
    "customer",
    "with",
    "a",
    "message",
    "that",
    "feels",
    "personal",
    "and",
    "arrives",
    "at",
    "the",
    "right",
    "moment",
    "in",
    "their",
    "own",
    "time",
    "zone",
]


def _body(seed: int) -> str:
    rng = random.Random(seed)
    words = " ".join(rng.choice(WORDS) for _ in range(200))
    return (
        "<h1>Hello {{ contact.first_name }}!</h1><p>" + words + "</p>"
        "<p>Your plan: {{ contact.plan }} in {{ contact.city }}.</p>"
        "<p><a href='{{ unsubscribe_url }}'>Unsubscribe</a></p>"
    )


TEMPLATES = {
    name: {
        "subject": "{{ contact.first_name }}, " + name.replace("-", " "),
        "html": _body(i),
        "text": "Hi {{ contact.first_name }}, " + " ".join(WORDS),
    }
    for i, name in enumerate(("welcome", "getting-started", "welcome-reminder"))
}
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Europe/London")


def build_database(path: Path, contacts: int) -> None:
    """Contacts (written with raw sqlite3: set-up is not what we measure), the segment and
    the templates the welcome series uses."""
    engine = open_database(path)
    engine.dispose()
    conn = sqlite3.connect(path)
    created = START - dt.timedelta(days=30)
    rows = (
        (
            f"c{i}@example.com",
            f"First{i}",
            "Last",
            ZONES[i % len(ZONES)],
            created.isoformat(" "),
            json.dumps({"city": "Berlin", "plan": "free" if i % 3 else "pro"}),
        )
        for i in range(contacts)
    )
    conn.executemany(
        "INSERT INTO contacts (email, first_name, last_name, timezone, created_at, unsubscribed,"
        " bounced, score, attributes) VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?)",
        rows,
    )
    conn.execute(
        "INSERT INTO segments (name, kind, rule, description, created_at) VALUES "
        "('new-signups', 'dynamic', ?, '', ?)",
        (json.dumps({"field": "city", "op": "eq", "value": "Berlin"}), created.isoformat(" ")),
    )
    conn.executemany(
        "INSERT INTO templates (name, channel, subject, html, text, created_at) "
        "VALUES (?, 'email', ?, ?, ?, ?)",
        [
            (n, t["subject"], t["html"], t["text"], created.isoformat(" "))
            for n, t in TEMPLATES.items()
        ],
    )
    conn.commit()
    conn.close()


def run_engine(db: Path) -> dict:
    from engine.simulate import simulate

    diagram, _ = load(ROOT / "resources" / "campaigns" / "welcome_series.campaign.json")
    began = time.perf_counter()
    result = simulate(
        diagram, db, DAYS, start=START, assume=ASSUME, max_step=dt.timedelta(hours=12)
    )
    seconds = time.perf_counter() - began
    nodes = result["nodes"]
    sent = sum(n.get("sent", 0) for n in nodes.values())
    steps = sum(n["entered"] - n["waiting"] for n in nodes.values())
    return {
        "seconds": seconds,
        "messages": sent,
        "steps": steps,
        "contacts": result["campaign"]["enrolled"],
    }


def floor_inserts(steps: int, messages: int) -> float:
    """(a) Raw sqlite3 executemany of one row per step and per message, same schema."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "floor.db"
        engine = open_database(path)
        engine.dispose()
        conn = sqlite3.connect(path)
        # The same settings as the engine's simulation copy (engine.simulate._tune_copy).
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-65536")
        at = START.isoformat(" ")
        began = time.perf_counter()
        conn.executemany(
            "INSERT INTO steps (enrollment_id, campaign_id, contact_id, node_id, port, at) "
            "VALUES (?, 1, ?, 'hello', 'out', ?)",
            ((i, i, at) for i in range(steps)),
        )
        conn.executemany(
            "INSERT INTO messages (key, enrollment_id, campaign_id, node_id, contact_id, channel,"
            " to_address, subject, body_html, body_text, status, attempts, created_at) VALUES "
            "(?, ?, 1, 'hello', ?, 'email', ?, 'subject', ?, ?, 'simulated', 0, ?)",
            (
                (
                    f"{i}:hello:1",
                    i,
                    i,
                    f"c{i}@example.com",
                    TEMPLATES["welcome"]["html"],
                    TEMPLATES["welcome"]["text"],
                    at,
                )
                for i in range(messages)
            ),
        )
        conn.commit()
        seconds = time.perf_counter() - began
        conn.close()
    return seconds


def floor_rendering(messages: int) -> float:
    """(b) Jinja2 (the same sandboxed environment) rendering subject, HTML and text alone."""
    from engine.templating import compile_template

    parts = [
        (
            compile_template(t["subject"]),
            compile_template(t["html"], True),
            compile_template(t["text"]),
        )
        for t in TEMPLATES.values()
    ]
    began = time.perf_counter()
    for i in range(messages):
        contact = {"first_name": f"First{i}", "city": "Berlin", "plan": "free"}
        context = {"contact": contact, "unsubscribe_url": f"https://x/u?t={i}"}
        for template in parts[i % 3]:
            template.render(context)
    return time.perf_counter() - began


_PARTS: list = []


def _render_share(jobs: list[tuple[int, int]]) -> tuple[float, float, list[tuple[str, ...]]]:
    """Render (message number, template) jobs here as floor (b) does (templates compiled
    once, then only render calls); the strings go back to the caller with this process's
    wall and CPU seconds, so a second core busy with something else shows."""
    from engine.templating import compile_template

    if not _PARTS:
        _PARTS.extend(
            (
                compile_template(t["subject"]),
                compile_template(t["html"], True),
                compile_template(t["text"]),
            )
            for t in TEMPLATES.values()
        )
    wall, cpu = time.perf_counter(), time.process_time()
    out = []
    for i, which in jobs:
        contact = {"first_name": f"First{i}", "city": "Berlin", "plan": "free"}
        context = {"contact": contact, "unsubscribe_url": f"https://x/u?t={i}"}
        out.append(tuple(template.render(context) for template in _PARTS[which]))
    return time.perf_counter() - wall, time.process_time() - cpu, out


SECOND_CPU: list[float] = []  # per floor b2 run: CPU seconds / wall seconds of the helper


def floor_rendering_two_cores(messages: int, chunk: int = 5_000) -> float:
    """(b') The same rendering on two cores: a process pool started (and warmed) before the
    clock starts; per chunk of 5,000 messages it renders a share and sends the strings back
    while this process renders the rest. The share follows both sides' rates as the
    engine's does (render_pool.next_share). Records the helper's CPU share."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        pool.submit(_render_share, [(0, 0), (1, 1), (2, 2)]).result()  # started and warm
        _render_share([(0, 0), (1, 1), (2, 2)])
        began = time.perf_counter()
        wall = cpu = 0.0
        share = render_pool.POOL_SHARE
        for start in range(0, messages, chunk):
            jobs = [(i, i % 3) for i in range(start, min(start + chunk, messages))]
            cut = int(len(jobs) * (1 - share))
            remote = pool.submit(_render_share, jobs[cut:])
            here_s = _render_share(jobs[:cut])[0]
            remote_wall, remote_cpu, _out = remote.result()
            wall, cpu = wall + remote_wall, cpu + remote_cpu
            share = render_pool.next_share(share, cut, here_s, len(jobs) - cut, remote_wall)
        SECOND_CPU.append(cpu / wall if wall else 0.0)
        return time.perf_counter() - began


def _expected_rows(contacts: int) -> tuple[int, int]:
    """Steps and messages the welcome series makes per contact (measured: 5.3 and 2)."""
    return int(contacts * 5.3), contacts * 2


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def helper_peaks() -> dict[str, float]:
    """Peak RSS (MB) of the runner's helper processes: the writer and the render process."""
    from engine.runner import writer

    peaks = {}
    for name, pool in (("writer", writer._pool), ("render", render_pool._pool)):
        for pid in list(getattr(pool, "_processes", None) or {}):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks[name] = int(line.split()[1]) / 1024
    return peaks


def measure(contacts: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        build_database(db, contacts)
        base = peak_rss_mb()
        figures = run_engine(db)
        figures["peak_rss_mb"] = peak_rss_mb()
        figures["rendered_in_pool"] = render_pool.RENDERED_IN_POOL
        figures["rss_before_mb"] = base
        figures["helpers_mb"] = helper_peaks()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument(
        "--memory",
        action="store_true",
        help="only compare peak memory: the engine at N/10 and N, each in a fresh process",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.contacts)))
        return 0
    n = args.contacts
    if args.memory:
        for size in (max(n // 10, 1000), n):
            done = subprocess.run(
                [sys.executable, __file__, "--contacts", str(size), "--child"],
                capture_output=True,
                text=True,
                check=True,
            )
            child = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"  memory at {size:>9,} contacts: peak RSS {child['peak_rss_mb']:.0f} MB "
                f"(before the engine {child['rss_before_mb']:.0f} MB; "
                + ", ".join(f"{k} process {v:.0f} MB" for k, v in child["helpers_mb"].items())
                + f"), engine "
                f"{child['seconds']:.1f} s, {size / child['seconds']:,.0f} contacts/s",
                flush=True,
            )
        return 0
    print(
        f"engine throughput: {n:,} contacts through 'Welcome series', simulate mode, "
        f"{DAYS} days, assume {ASSUME}"
    )
    # The machine is shared: measure the floors before and after the engine and take the
    # mean, so a change of load during the run weighs on both sides alike.
    print(f"  load average before: {_load()}", flush=True)
    steps, messages = _expected_rows(n)
    insert_before, render_before = floor_inserts(steps, messages), floor_rendering(messages)
    render2_before = floor_rendering_two_cores(messages)
    print(
        f"  (floors before: {insert_before:.2f} s + {render_before:.2f} s, "
        f"two cores {render2_before:.2f} s)",
        flush=True,
    )
    figures = measure(n)
    print(f"  (engine: {figures['seconds']:.2f} s; load average {_load()})", flush=True)
    seconds, messages, steps = figures["seconds"], figures["messages"], figures["steps"]
    insert_s = (insert_before + floor_inserts(steps, messages)) / 2
    render_s = (render_before + floor_rendering(messages)) / 2
    render2_s = (render2_before + floor_rendering_two_cores(messages)) / 2
    floor_s = insert_s + render_s
    floor2_s = insert_s + render2_s
    print(
        f"  engine : {seconds:8.2f} s  {n / seconds:10,.0f} contacts/s  "
        f"{messages / seconds:10,.0f} rendered messages/s  ({steps:,} steps, "
        f"{messages:,} messages)"
    )
    print(f"  floor a: {insert_s:8.2f} s  raw sqlite3 executemany of {steps + messages:,} rows")
    print(
        f"  floor b: {render_s:8.2f} s  Jinja2 rendering of {messages:,} messages "
        f"({messages / render_s:,.0f}/s)"
    )
    print(
        f"  floor b2:{render2_s:8.2f} s  the same rendering shared by two processes "
        f"({render_s / render2_s:.2f}x; the helper process got "
        f"{min(SECOND_CPU):.0%}-{max(SECOND_CPU):.0%} of a core while rendering)"
    )
    print(f"  floor  : {floor_s:8.2f} s  {n / floor_s:10,.0f} contacts/s (one core)")
    print(f"  floor 2: {floor2_s:8.2f} s  {n / floor2_s:10,.0f} contacts/s (a + b2, two cores)")
    print(
        f"  ratio  : engine runs at {floor2_s / seconds:.2f} of the two-core floor's rate "
        f"(target >= 0.5), {floor_s / seconds:.2f} of the one-core floor's"
    )
    print(
        f"  pool   : {figures['rendered_in_pool']:,} of {messages:,} messages rendered in the "
        "second process"
    )
    helpers = ", ".join(f"{k} process {v:.0f} MB" for k, v in figures["helpers_mb"].items())
    print(
        f"  memory : peak RSS {figures['peak_rss_mb']:.0f} MB "
        f"(before the run {figures['rss_before_mb']:.0f} MB; {helpers or 'no helper processes'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
