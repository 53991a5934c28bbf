"""PostgreSQL workers: messages/s of one `campaign-studio run` worker against three side by
side, on the same throwaway PostgreSQL cluster and the same local aiosmtpd server, in the
same run (report the ratio: the machine is shared). Needs Debian's postgresql binaries.

    .venv/bin/python benchmarks/postgres_workers.py [--contacts 1500] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "engine")]

from conftest_data import _free_port, _postgres_bin, new_postgres_database  # noqa: E402
from delivery_support import SmtpSink, make_database, smtp_settings  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from engine.db.schema import enrollments, messages  # noqa: E402

LAUNCH = [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


def start_cluster(folder: str) -> tuple[str, list[str], str]:
    bindir, data = _postgres_bin(), os.path.join(folder, "data")
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run([*run_as, f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust",
                    "--no-sync"], check=True, capture_output=True)  # fmt: skip
    options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off"
    log = os.path.join(folder, "log")
    subprocess.run([*run_as, f"{bindir}/pg_ctl", "-D", data, "-o", options, "-w", "-l", log,
                    "start"], check=True, capture_output=True)  # fmt: skip
    url = f"postgresql+psycopg://postgres@/{{db}}?host={folder}&port={port}"
    return url, [*run_as, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], folder


def campaign(engine) -> int:
    from engine import campaigns
    from engine.diagram import Diagram, Edge, Node

    diagram = Diagram("Bench", {"entry": "once"})
    diagram.nodes["start"] = Node("start", "trigger.manual",
                                  {"filter": {"field": "email", "op": "is_set"}})  # fmt: skip
    previous = "start"
    for index in (1, 2):
        diagram.nodes[f"mail{index}"] = Node(f"mail{index}", "action.send_email", {
            "subject": f"Mail {index} for {{{{ contact.first_name }}}}",
            "body": "<p>Hello {{ contact.first_name }}</p><a href='{{ unsubscribe_url }}'>x</a>",
            "sender": "Shop <shop@example.com>",
        })  # fmt: skip
        diagram.edges.append(Edge(previous, f"mail{index}", "out"))
        previous = f"mail{index}"
    return campaigns.save_campaign(engine, diagram)


def unfinished(engine) -> int:
    with engine.connect() as conn:
        queued = conn.scalar(select(func.count()).select_from(messages)
                             .where(messages.c.status.in_(("queued", "sending"))))  # fmt: skip
        active = conn.scalar(select(func.count()).select_from(enrollments)
                             .where(enrollments.c.status == "active"))  # fmt: skip
    return queued + active


def measure(server_url: str, workers: int, contacts: int, folder: Path) -> float:
    """Seconds from starting the campaign (workers already up) to everything sent."""
    from engine import campaigns

    url = new_postgres_database(server_url)
    sink = SmtpSink().start()
    engine = make_database(url, contacts)
    smtp_settings(engine, sink.port, batch_size=50)
    campaign_id = campaign(engine)
    logs = [folder / f"w{workers}-{n}.log" for n in range(workers)]
    procs = [subprocess.Popen([*LAUNCH, "run", "--db", url, "--interval", "0.3"],
                              stdout=subprocess.DEVNULL, stderr=log.open("wb"))
             for log in logs]  # fmt: skip
    try:
        while not all("engine running" in log.read_text() for log in logs):
            time.sleep(0.1)
        began = time.monotonic()
        campaigns.start(engine, campaign_id)
        while unfinished(engine) or len(sink.received) < contacts * 2:
            time.sleep(0.05)
        seconds = time.monotonic() - began
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()
        sink.stop()
        engine.dispose()
    assert len(sink.received) == contacts * 2, len(sink.received)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="cs-pg-bench-")
    server, stop, _ = start_cluster(folder)
    logs = Path(tempfile.mkdtemp(prefix="cs-pg-logs-"))
    total = args.contacts * 2
    try:
        for round_ in range(1, args.rounds + 1):
            rates = {}
            for workers in (1, 3):
                seconds = measure(server, workers, args.contacts, logs)
                rates[workers] = total / seconds
                print(f"round {round_}: {workers} worker(s): {total} messages in {seconds:.1f} s"
                      f" = {rates[workers]:.0f} messages/s", flush=True)  # fmt: skip
            print(f"round {round_}: 3 workers / 1 worker = {rates[3] / rates[1]:.2f}×")
    finally:
        subprocess.run(stop, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(logs, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
