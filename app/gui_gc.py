"""Garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate: the engine's
scheduler thread or a worker of the task pool. If it frees a Qt object there (a widget or
timer owned by Python and caught in a reference cycle), Qt's timer list on the GUI thread
is left pointing at freed memory and the program crashes later in
QTimerInfoList::activateTimers. So automatic collection is switched off and the GUI thread
collects on a timer instead (the approach pyqtgraph's GarbageCollector takes).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


def collect_now() -> None:
    """Collect the generations that are due, as the automatic collector would."""
    count0, count1, count2 = gc.get_count()
    limit0, limit1, limit2 = gc.get_threshold()
    if count2 > limit2:
        gc.collect(2)
    elif count1 > limit1:
        gc.collect(1)
    elif count0 > limit0:
        gc.collect(0)


def collect_on_gui_thread(owner: QObject, interval_ms: int = 500) -> QTimer:
    """Disable automatic collection and collect from a timer owned by `owner`."""
    gc.disable()
    timer = QTimer(owner)
    timer.setObjectName("guiThreadGarbageCollector")
    timer.timeout.connect(collect_now)
    timer.start(interval_ms)
    return timer
