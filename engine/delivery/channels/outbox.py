"""The offline default: every message written to a folder (emails as .eml files, other
channels as JSON), one file per message key (`file_name`: readable and unique), written
atomically (temporary file, then rename), so a re-delivery of the same message replaces
its own file and never another's."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from engine.delivery.channels.base import Channel, HandedOver, OutgoingMessage, TemporaryFailure
from engine.delivery.mime import build_email

_UNSAFE = re.compile(r"[^\w.-]")  # letters and digits of any script stay readable


def file_name(key: str, suffix: str) -> str:
    """A portable, readable file name, unique per message key: "12:hello:1" →
    "12_hello_1.eml". When that form could stand for another key too (an "_" or a
    character replaced, capitals on a case-blind disk, a non-NFC spelling, a cut) a short
    hash of the exact key follows: "12_Grüße_1~3f2a9c1d0b.eml" — never overwritten by a
    different message."""
    spelled = unicodedata.normalize("NFC", key)
    readable = _UNSAFE.sub("_", spelled.replace(":", "_"))[:150]
    if readable.replace("_", ":") == key and key == key.lower():
        return readable + suffix
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()
    return f"{readable}~{digest}{suffix}"


def write_atomic(path: Path, data: bytes, fsync: bool = True) -> None:
    """Write to a temporary file in the same folder, flush, then rename over `path`: a reader
    (or a crash) never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            if fsync:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class OutboxChannel(Channel):
    """Writes messages under `folder/<channel>/`: `.eml` for email and notify, `.json`
    otherwise."""

    name = "outbox"

    def __init__(self, folder: str | Path, default_sender: str | None = None,
                 fsync: bool = True) -> None:  # fmt: skip
        self.folder = Path(folder)
        self.default_sender = default_sender
        self.fsync = fsync

    def path_for(self, message: OutgoingMessage) -> Path:
        email = message.channel in ("email", "notify")
        return self.folder / message.channel / file_name(message.key, ".eml" if email else ".json")

    def send(self, message: OutgoingMessage, handed_over: HandedOver | None = None) -> None:
        path = self.path_for(message)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if message.channel in ("email", "notify"):
                if not message.sender:
                    message.sender = self.default_sender
                data = build_email(message)
            else:
                data = json.dumps(message.as_json(), indent=2, sort_keys=True).encode()
            write_atomic(path, data, self.fsync)
        except OSError as exc:
            raise TemporaryFailure(f"cannot write to the outbox {self.folder}: {exc}",
                                   unreachable=True) from None  # fmt: skip
