"""A screen, dialog or button that fails shows the reason in a dialog instead of nothing.

Qt calls Python slots from C++: an exception raised in one (opening the dashboard, a node's
detail, the simulate dialog...) goes to `sys.excepthook`, which by default prints to stderr
only — and a program started from the menu has no terminal, so the user saw nothing happen.
`install(app)` replaces the hook: the traceback still goes to stderr, and a dialog names the
error; its "Show Details" holds the traceback for a bug report.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox

# Every error shown, newest last (the package test reads it to fail on any dialog).
shown: list[str] = []
_showing = False


def error_summary(exc: BaseException) -> str:
    """One line naming the error: 'No module named x' / 'ValueError: ...'."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    if isinstance(exc, ImportError) and text:
        return f"A part of the program is missing: {text}"
    return f"{name}: {text}" if text else name


def show_error(parent: Any, exc: BaseException, what: str = "") -> None:
    """The error dialog itself (also for callers that catch an exception on purpose)."""
    global _showing
    summary = error_summary(exc)
    shown.append(summary)
    if _showing:  # an error while the dialog is up: stderr only, never a pile of dialogs
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Campaign Studio")
    box.setText(f"{what or 'This action'} failed.")
    box.setInformativeText(summary)
    box.setDetailedText("".join(traceback.format_exception(exc)))
    box.setObjectName("errorDialog")
    _showing = True
    try:
        box.exec()
    finally:
        _showing = False


def install(app: QApplication) -> None:
    """Route uncaught exceptions on the GUI thread to `show_error` (and stderr)."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        previous(kind, exc, tb)
        if isinstance(exc, KeyboardInterrupt) or QThread.currentThread() is not app.thread():
            return
        parent = app.activeWindow()
        show_error(parent, exc, "Opening this screen or running this action")

    sys.excepthook = hook
