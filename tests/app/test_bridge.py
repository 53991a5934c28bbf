"""The bridge: background tasks report progress, can be cancelled, and never freeze the window."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton, QWidget

from app.bridge import Cancelled, EngineBridge, TaskRunner, run_with_progress


def test_task_reports_progress_and_result_while_the_gui_keeps_running(qtbot):
    runner = TaskRunner()
    release = threading.Event()
    seen: list[tuple[int, object]] = []
    ticks: list[int] = []

    def work(progress):
        for i in range(5):
            progress(i + 1, 5)
        release.wait(10)
        return "done"

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    task = runner.submit(work, "count")
    task.progressed.connect(lambda d, t: seen.append((d, t)))
    # The GUI thread keeps processing timers while the work is blocked.
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5000)
    assert not task.done
    with qtbot.waitSignal(task.ended, timeout=5000):
        release.set()
    timer.stop()
    assert task.outcome == "succeeded"
    assert task.result == "done"
    qtbot.waitUntil(lambda: len(seen) == 5, timeout=2000)
    assert seen[-1] == (5, 5)


def test_cancel_raises_cancelled_inside_the_work(qtbot):
    runner = TaskRunner()
    started = threading.Event()
    reached: list[int] = []

    def work(progress):
        started.set()
        for i in range(10_000):
            progress(i, None)
            reached.append(i)
            time.sleep(0.001)
        return "finished"

    task = runner.submit(work)
    assert started.wait(5)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()
    assert task.outcome == "cancelled"
    assert len(reached) < 10_000


def test_a_failing_task_reports_its_error_as_a_sentence(qtbot):
    runner = TaskRunner()
    errors: list[str] = []

    def work(progress):
        raise ValueError("contacts.csv, line 3: not an email address")

    task = runner.submit(work, on_failure=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert task.outcome == "failed"
    assert errors == ["contacts.csv, line 3: not an email address"]


def test_progress_dialog_cancel_button_stops_the_work(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner()
    outcomes: list[str] = []

    def work(progress):
        for i in range(100_000):
            progress(i, 100_000)
            time.sleep(0.001)
        return "finished"

    task, dialog = run_with_progress(
        parent, runner, "Importing contacts", work, on_success=lambda r: outcomes.append(r)
    )
    dialog.show()
    qtbot.waitUntil(lambda: dialog.maximum() == 100_000, timeout=5000)
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, qtbot_button())
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert task.outcome == "cancelled"
    assert outcomes == []
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def test_cancelled_is_the_engine_exception():
    import engine.progress

    assert Cancelled is engine.progress.Cancelled


def test_engine_bridge_runs_a_pass_on_demand(qtbot, tmp_path):
    from engine.clock import VirtualClock
    from engine.db import open_database

    db = tmp_path / "bridge.db"
    open_database(db)
    bridge = EngineBridge(str(db), clock=VirtualClock())
    assert bridge.start(background=False)
    assert bridge.state == "manual"
    with qtbot.waitSignal(bridge.changed, timeout=5000):
        bridge.run_once()
    assert bridge.last_pass is not None
    bridge.shutdown()
    assert bridge.state == "stopped"


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_a_task_started_on_its_own_delivers_on_the_gui_thread_and_a_late_cancel_wins(qtbot):
    from PySide6.QtCore import QThread

    from app.bridge import Task

    threads: list[object] = []
    task = Task(lambda progress: progress(1) or "result")
    task.succeeded.connect(lambda _r: threads.append(QThread.currentThread()))
    with qtbot.waitSignal(task.succeeded, timeout=5000) as done:
        task.start()
    assert done.args == ["result"] and task.outcome == "succeeded"
    qtbot.waitUntil(lambda: bool(threads), timeout=2000)
    assert threads == [QThread.currentThread()]  # the slot ran on the GUI thread

    reported, release = threading.Event(), threading.Event()
    # The work's last report comes before the cancel: it finishes, yet ends as cancelled.
    late = Task(lambda progress: (progress(1), reported.set(), release.wait(10)))
    with qtbot.waitSignal(late.cancelled, timeout=5000):
        late.start()
        assert reported.wait(5)
        late.cancel()
        release.set()
    assert late.outcome == "cancelled" and late.result is None
