"""Progress reports for long work (imports, the demo, simulate): a callable
`progress(done, total)` that may raise `Cancelled`, and a terminal bar that stays quiet
when the output is piped."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Progress = Callable[[int, "int | None"], None]


class Cancelled(Exception):
    """Raised from a progress callback when the user cancels (the GUI's Cancel button)."""


def no_progress(done: int, total: int | None = None) -> None:
    """The progress callback that reports nothing."""


def report(progress: Progress | None, done: int, total: int | None = None) -> None:
    """Call `progress` if there is one (a Cancelled it raises propagates)."""
    if progress is not None:
        progress(done, total)


def stages(progress: Progress | None, weights: list[float]) -> list[Progress]:
    """Split one progress bar into consecutive stages (e.g. read the file, then import),
    each reporting its own done/total; the whole runs 0 → 1000."""
    if progress is None:
        return [no_progress for _ in weights]
    scale = 1000 / (sum(weights) or 1)
    starts = [sum(weights[:i]) * scale for i in range(len(weights))]

    def stage(start: float, width: float) -> Progress:
        def part(done: int, total: int | None = None) -> None:
            fraction = min(1.0, done / total) if total else 0.0
            progress(int(start + fraction * width), 1000)

        return part

    return [stage(start, w * scale) for start, w in zip(starts, weights, strict=True)]


@contextmanager
def terminal_progress(
    description: str, unit: str = "rows", stream: TextIO | None = None, force: bool | None = None
) -> Iterator[Progress]:
    """A progress callable drawing a tqdm bar on a terminal, and doing nothing when `stream`
    (default stderr) is not a terminal, so piped output stays clean."""
    stream = stream or sys.stderr
    show = force if force is not None else _is_terminal(stream)
    if not show:
        yield no_progress
        return
    from tqdm import tqdm

    bar = tqdm(desc=description, unit=unit, file=stream, dynamic_ncols=True, leave=False)
    last = [0.0]

    def progress(done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if total is not None and bar.total != total:
            bar.total = total
        if now - last[0] >= 0.1 or (total is not None and done >= total):
            last[0] = now
            bar.n = done
            bar.refresh()

    try:
        yield progress
    finally:
        bar.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
