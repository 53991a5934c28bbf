"""One engine worker per SQLite file: a second one would move every contact twice (two
runners each claim the same due enrollments: score +1 +1, every step doubled). The worker
holds an OS lock on `<db>.worker.lock` while it runs; the kernel drops it when the process
ends, however it ends. PostgreSQL needs none (workers claim with FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from sqlalchemy import Engine


class WorkerLockError(RuntimeError):
    """Another worker runs on this SQLite file; the message says which and what to do."""


def lock_path(engine: Engine) -> Path | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).with_name(Path(url.database).name + ".worker.lock")


class WorkerLock:
    def __init__(self, engine: Engine) -> None:
        self.path = lock_path(engine)
        self.database = str(engine.url.database)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise WorkerLockError naming the worker that holds it."""
        if self.path is None or self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError:
            os.lseek(fd, 0, os.SEEK_SET)
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise WorkerLockError(
                f"another engine worker ({holder}) is already running on {self.database}; "
                "only one worker may run on a SQLite file (stop the other one, or use "
                "PostgreSQL to run several)"
            ) from None
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.ftruncate(fd, 0)
            os.close(fd)  # closing drops the lock


if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
