"""The hand-over journal: one line appended (no fsync) the instant a message leaves us,
before the database records it in bulk. A worker killed in between leaves the journal;
the next one reads it and records those messages as sent instead of sending them again."""

from __future__ import annotations

import datetime as dt
import errno
import os
import socket
import time
from pathlib import Path

from sqlalchemy import Engine


def journal_folder(engine: Engine) -> tuple[Path, str] | None:
    """(folder, file-name stem) of the journals of a SQLite file database; None for other
    databases (there the dispatcher commits each hand-over to the database instead)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    return path.parent, path.name


class HandoverJournal:
    """This worker's journal: `<db>.handover-<host>-<pid>-<tag>.log`, lines "+id iso-time"
    (handed over) and "-id" (taken back: the server refused after all)."""

    def __init__(self, folder: Path, stem: str, tag: str) -> None:
        self.host, self.pid = socket.gethostname(), os.getpid()
        self.path = folder / f"{stem}.handover-{self.host}-{self.pid}-{tag}.log"
        self._fd: int | None = None
        self._torn = False  # the last line was cut short (disk full)
        self.entries = 0

    def open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return self._fd

    def handed_over(self, message_id: int, when: dt.datetime) -> None:
        self.write(self.line(message_id, when))

    @staticmethod
    def in_flight(message_id: int) -> bytes:
        """Written before the send: a crash before the "+" line leaves the message in doubt."""
        return f"?{message_id}\n".encode()

    @staticmethod
    def line(message_id: int, when: dt.datetime) -> bytes:
        """The entry, prepared before the send so that the instant after it is one syscall."""
        return f"+{message_id} {when.isoformat()}\n".encode()

    def write(self, line: bytes) -> None:
        self._append(line)
        self.entries += 1

    def taken_back(self, message_id: int) -> None:
        self._append(f"-{message_id}\n".encode())

    def _append(self, line: bytes) -> None:
        """All of the line or an OSError: a full disk can take part of a line (a short
        write); the rest is tried, and a line left torn is ended before the next one."""
        fd = self.open()
        if self._torn:
            os.write(fd, b"\n")
            self._torn = False
        written = os.write(fd, line)
        while written < len(line):
            self._torn = True
            more = os.write(fd, line[written:])  # raises ENOSPC when there is no room
            if more == 0:
                raise OSError(errno.ENOSPC, "no space left for the hand-over journal")
            written += more
        self._torn = False

    def clear(self) -> None:
        """Everything in it is now in the database."""
        if self._fd is not None and self.entries:
            os.ftruncate(self._fd, 0)
        self.entries = 0

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self.entries == 0:
            self.path.unlink(missing_ok=True)

    @staticmethod
    def read(path: Path) -> dict[int, dt.datetime]:
        """Message id → hand-over time, for the entries not taken back."""
        return HandoverJournal.read_all(path)[0]

    @staticmethod
    def read_all(path: Path) -> tuple[dict[int, dt.datetime], set[int]]:
        """(message id → hand-over time, ids whose send began but never ended: in doubt)."""
        found: dict[int, dt.datetime] = {}
        begun: set[int] = set()
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return found, begun
        for line in text.splitlines():
            try:
                if line.startswith("+"):
                    number, _, when = line[1:].partition(" ")
                    found[int(number)] = dt.datetime.fromisoformat(when)
                    begun.discard(int(number))
                elif line.startswith("-"):
                    found.pop(int(line[1:]), None)
                    begun.discard(int(line[1:]))
                elif line.startswith("?"):
                    begun.add(int(line[1:]))
            except ValueError:
                continue  # a line cut by the crash: that message was not handed over yet
        return found, begun - set(found)

    @staticmethod
    def orphans(folder: Path, stem: str, alive, stale_after: float = 600.0) -> list[Path]:
        """Journals left by dead workers: on this host, those whose process is gone
        (`alive(pid)`); on any host, those untouched for `stale_after` seconds (a working
        dispatcher writes its journal or removes it at the end of every round)."""
        host = socket.gethostname()
        found = []
        now = time.time()
        for path in folder.glob(f"{stem}.handover-*.log"):
            rest = path.name[len(stem) + len(".handover-") : -len(".log")]
            parts = rest.rsplit("-", 2)
            if len(parts) != 3 or not parts[1].isdigit():
                continue
            pid = int(parts[1])
            if parts[0] == host and pid == os.getpid():
                continue
            try:
                idle = now - path.stat().st_mtime
            except OSError:
                continue
            if (parts[0] == host and not alive(pid)) or idle > stale_after:
                found.append(path)
        return found
