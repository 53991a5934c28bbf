"""Garbage is collected on the GUI thread by a timer, never by a background thread."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject

from app.gui_gc import collect_on_gui_thread


def test_cycles_are_collected_by_the_gui_timer_not_by_other_threads(qtbot):
    owner = QObject()
    collected_in: list[str] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            collected_in.append(threading.current_thread().name)

    timer = collect_on_gui_thread(owner, interval_ms=20)
    try:
        assert not gc.isenabled()

        def churn() -> None:  # allocations in a worker would trigger automatic collection
            for _ in range(50_000):
                Cycle()
                [[] for _ in range(3)]

        worker = threading.Thread(target=churn, name="worker")
        worker.start()
        worker.join()
        assert "worker" not in collected_in
        qtbot.waitUntil(lambda: len(collected_in) > 1000, timeout=5000)
        assert set(collected_in) == {threading.main_thread().name}
    finally:
        timer.stop()
        gc.collect()
