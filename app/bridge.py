"""The engine off the GUI thread: the in-process engine service and a background task runner.

Long work (imports, simulations, the demo build) runs on a worker thread and reports
progress through Qt signals; Cancel makes the progress callback raise `Cancelled`.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from engine.progress import Cancelled

Progress = Callable[[int, "int | None"], None]


class Task(QObject):
    """One piece of background work (the program's one job class): `work(progress)` runs on a
    worker thread, `progress(done, total)` raises Cancelled once `cancel()` was called, and
    the outcome arrives as a signal on the GUI thread. `start()` runs it on the global pool;
    TaskRunner runs several on its own."""

    progressed = Signal(int, object)  # done, total (None: unknown)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    ended = Signal()  # after any of the three outcomes

    def __init__(self, work: Callable[[Progress], Any], title: str = "") -> None:
        super().__init__()
        self.work = work
        self.title = title
        self.result: Any = None
        self.error: str | None = None
        self.outcome: str | None = None  # "succeeded" | "failed" | "cancelled"
        self._cancel = threading.Event()
        self._done = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancel.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def report(self, done: int, total: int | None = None) -> None:
        """The progress callback handed to the work (called on the worker thread)."""
        if self._cancel.is_set():
            raise Cancelled()
        self.progressed.emit(int(done), total)

    def run(self) -> None:
        """Run the work on the calling thread and emit the outcome."""
        try:
            result = self.work(self.report)
        except Cancelled:
            self.outcome = "cancelled"
            self._done.set()
            self.cancelled.emit()
        except Exception as exc:  # shown to the user as a sentence, logged in full
            traceback.print_exc()
            self.error = str(exc) or exc.__class__.__name__
            self.outcome = "failed"
            self._done.set()
            self.failed.emit(self.error)
        else:
            if self._cancel.is_set():  # cancelled after its last progress report
                self.outcome = "cancelled"
                self._done.set()
                self.cancelled.emit()
            else:
                self.result = result
                self.outcome = "succeeded"
                self._done.set()
                self.succeeded.emit(result)
        self.ended.emit()

    def start(self, pool: QThreadPool | None = None) -> Task:
        """Run on `pool` (default: Qt's global one); kept alive until it has ended."""
        _started.add(self)
        self.ended.connect(lambda: _started.discard(self), Qt.ConnectionType.QueuedConnection)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self))
        return self


_started: set[Task] = set()  # tasks started on their own, alive until they end


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task.run()


class TaskRunner(QObject):
    """Runs `Task`s on a thread pool; keeps them alive until they end."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._running: set[Task] = set()

    def submit(
        self,
        work: Callable[[Progress], Any],
        title: str = "",
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
    ) -> Task:
        task = Task(work, title)
        self._running.add(task)
        if on_success:
            task.succeeded.connect(on_success, Qt.ConnectionType.QueuedConnection)
        if on_failure:
            task.failed.connect(on_failure, Qt.ConnectionType.QueuedConnection)
        task.ended.connect(lambda: self._running.discard(task), Qt.ConnectionType.QueuedConnection)
        self.pool.start(_Runnable(task))
        return task

    @property
    def running(self) -> list[Task]:
        return [t for t in self._running if not t.done]

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)


def run_with_progress(
    parent: QWidget | None,
    runner: TaskRunner,
    title: str,
    work: Callable[[Progress], Any],
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
    label: str = "",
) -> tuple[Task, QProgressDialog]:
    """Run `work` in the background behind a progress dialog with a Cancel button.

    The window stays responsive; Cancel asks the work to stop at its next report.
    """
    dialog = QProgressDialog(label or title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(380)
    task = runner.submit(work, title)

    def on_progress(done: int, total: object) -> None:
        if isinstance(total, int) and total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
            dialog.setLabelText(f"{label or title}\n{done:,} of {total:,}")
        else:
            dialog.setMaximum(0)
            dialog.setLabelText(f"{label or title}\n{done:,} done")

    def on_cancel_clicked() -> None:
        task.cancel()
        dialog.setLabelText("Cancelling…")

    def on_end() -> None:
        dialog.canceled.disconnect(on_cancel_clicked)
        dialog.close()
        if task.outcome == "succeeded" and on_success:
            on_success(task.result)
        elif task.outcome == "failed" and on_failure:
            on_failure(task.error or "failed")

    task.progressed.connect(on_progress, Qt.ConnectionType.QueuedConnection)
    task.ended.connect(on_end, Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(on_cancel_clicked)
    return task, dialog


class EngineBridge(QObject):
    """The in-process engine service (APScheduler ticks + delivery), seen from the window.

    `changed` fires on the GUI thread after every engine pass, whether the scheduler's
    thread ran it or the window asked for it, so screens refresh their figures.
    """

    changed = Signal()
    stateChanged = Signal(str)
    _ticked = Signal()  # emitted on whichever thread ran the pass

    def __init__(self, db: Any, clock: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.clock = clock
        self.service: Any = None
        self.state = "stopped"
        self.error: str | None = None
        self.last_pass: datetime | None = None
        self.passes = 0
        self._ticked.connect(self._after_pass)

    def _make_service(self) -> Any:
        from engine.service import EngineService

        service = EngineService(self.db, clock=self.clock)
        service.listeners.append(lambda _result: self._ticked.emit())
        return service

    def start(self, background: bool = True) -> bool:
        """Create the service; with `background` its scheduler ticks on its own thread."""
        try:
            if self.service is None:
                self.service = self._make_service()
            if background:
                self.service.start()
        except Exception as exc:  # a bad database or settings: say so, keep the window
            self.error = str(exc) or exc.__class__.__name__
            self._set_state("unavailable")
            return False
        self.error = None
        self._set_state("running" if background else "manual")
        return True

    def run_once(self) -> Any:
        """One engine pass now (runner tick + delivery), on the calling thread."""
        if self.service is None:
            self.service = self._make_service()
        return self.service.run_once()

    @Slot()
    def _after_pass(self) -> None:
        self.last_pass = datetime.now()
        self.passes += 1
        self.changed.emit()

    def shutdown(self) -> None:
        if self.service is not None:
            try:
                self.service.shutdown()
            except Exception:
                traceback.print_exc()
            self.service = None
        self._set_state("stopped")

    def describe(self) -> str:
        """The status bar's sentence."""
        problem = getattr(self.service, "last_error", None) if self.service else None
        translate = QCoreApplication.translate
        if self.state == "running":
            if problem:
                return translate("bridge", "Engine running — last error: {error}").format(
                    error=problem
                )
            return translate("bridge", "Engine running")
        if self.state == "manual":
            return translate("bridge", "Engine ready (manual passes)")
        if self.state == "unavailable":
            return translate("bridge", "Engine unavailable: {error}").format(error=self.error)
        return translate("bridge", "Engine stopped")

    def _set_state(self, state: str) -> None:
        self.state = state
        self.stateChanged.emit(state)


class Workspace(QObject):
    """What every screen needs: the database, the clock, the engine service and the task runner."""

    campaignsChanged = Signal()
    # Templates, segments, contact fields or settings changed: open editors re-read them.
    referencesChanged = Signal()

    def __init__(self, db: str, engine: Any, clock: Any = None, parent: QObject | None = None):
        super().__init__(parent)
        from engine.clock import SystemClock

        self.db = db
        self.engine = engine
        self.clock = clock or SystemClock()
        self.tasks = TaskRunner(self)
        self.service = EngineBridge(engine, clock=clock, parent=self)
        self.service.changed.connect(self.campaignsChanged.emit)

    def now(self) -> datetime:
        return self.clock.now()
