"""The repository itself: no tracked text file grows past 256 KB (a scripted replace once
turned a 12 KB README into 6 MB, twice), and no text file is binary-garbled."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 256 * 1024
BINARY_SUFFIXES = {".png", ".ico", ".icns", ".jpg", ".gif", ".qm", ".mo", ".gz", ".xz", ".db"}


def tracked_text_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    files = [ROOT / name.decode() for name in names if name]
    return [f for f in files if f.is_file() and f.suffix.lower() not in BINARY_SUFFIXES]


def test_repository_lists_its_text_files():
    files = {f.relative_to(ROOT).as_posix() for f in tracked_text_files()}
    assert {"README.md", "pyproject.toml", "benchmarks/README.md"} <= files


def test_no_tracked_text_file_is_over_256_kb():
    too_big = [
        f"{f.relative_to(ROOT)}: {f.stat().st_size:,} bytes"
        for f in tracked_text_files()
        if f.stat().st_size > LIMIT
    ]
    assert not too_big, "text files over 256 KB (a runaway edit?): " + "; ".join(too_big)
