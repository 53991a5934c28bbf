"""Run by test_delivery_faults (in a subprocess): the disk fills up right after a message
was handed over to the SMTP server, then space comes back. Prints a JSON summary.

usage: disk_full_scenario.py FOLDER SMTP_PORT MODE   (MODE: tmpfs — FOLDER is a small
tmpfs that a filler file fills up; fsize — RLIMIT_FSIZE is lowered to the journal's size)"""

from __future__ import annotations

import datetime as dt
import json
import resource
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from delivery_support import T0, make_database, queue_messages
from sqlalchemy import func, select

from engine.clock import VirtualClock
from engine.db.schema import messages
from engine.delivery.channels import SmtpChannel
from engine.delivery.dispatcher import Dispatcher

PAGE = 4096
COUNT = 200


class Disk:
    def __init__(self, folder: Path, mode: str) -> None:
        self.folder, self.mode, self.full = folder, mode, False
        self.filler = folder / "filler"

    def fill(self) -> None:
        self.full = True
        if self.mode == "fsize":
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
            journal = next(self.folder.glob("*.handover-*.log"))
            size = journal.stat().st_size
            hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
            return
        with open(self.filler, "wb") as out:  # until the tmpfs says ENOSPC
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError:
                pass
        try:  # the last partial page too
            with open(self.filler, "ab", buffering=0) as out:
                while True:
                    out.write(b"\0" * 512)
        except OSError:
            pass

    def free(self) -> None:
        if self.mode == "fsize":
            hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
            resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
        else:
            self.filler.unlink()
        self.full = False


class FillingChannel(SmtpChannel):
    """SMTP for real; the disk fills up at the hand-over of the first message whose
    journal line needs a new page (so that very journal write fails)."""

    def __init__(self, disk: Disk, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.disk = disk

    def send(self, message, handed_over=None):
        def hook() -> None:
            journals = list(self.disk.folder.glob("*.handover-*.log"))
            size = journals[0].stat().st_size if journals else 0
            if not self.disk.full and size // PAGE != (size + 40) // PAGE:
                self.disk.fill()
            handed_over()

        return super().send(message, hook)


def main() -> None:
    folder, port, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    engine = make_database(folder / "db.sqlite", COUNT)
    queue_messages(engine, range(1, COUNT + 1))
    disk = Disk(folder, mode)
    clock = VirtualClock(T0)
    channel = FillingChannel(disk, "127.0.0.1", port)
    dispatcher = Dispatcher(engine, {"email": channel}, clock, batch_size=COUNT)

    def one_round() -> dict:
        try:  # as the service does: a round that raises is logged, the next one runs
            report = dispatcher.dispatch()
        except Exception as exc:
            return {"sent": None, "stopped": f"raised {type(exc).__name__}: {exc}"[:200]}
        return {"sent": report.sent, "stopped": report.stopped_early}

    rounds = [one_round(), one_round()]  # the second: still full, sends nothing, says why
    disk.free()
    for _ in range(3):  # space is back: the rest goes out
        clock.advance(dt.timedelta(hours=1))
        rounds.append(one_round())
    with engine.connect() as conn:
        statuses = dict(
            conn.execute(select(messages.c.status, func.count()).group_by(messages.c.status)).all()
        )
    print(json.dumps({"rounds": rounds, "statuses": statuses}))


if __name__ == "__main__":
    main()
