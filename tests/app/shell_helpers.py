"""Helpers for the shell's GUI tests: answer modal dialogs with real clicks, a workspace on a
real SQLite file."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget


def when_modal(qtbot, handle: Callable[[QWidget], None], timeout_ms: int = 5000) -> list:
    """Call `handle(dialog)` as soon as a modal dialog is open (before `exec()` returns).

    Returns a list that receives the dialog, so the test can check it was seen."""
    seen: list = []
    waited = [0]

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and widget.isVisible():
            seen.append(widget)
            handle(widget)
            return
        waited[0] += 20
        if waited[0] < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def click_button(qtbot, dialog: QWidget, text: str) -> None:
    """Click the dialog's button whose text (without &) is `text`."""
    for button in dialog.findChildren(QAbstractButton):
        if button.text().replace("&", "") == text and button.isVisible():
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            return
    names = [b.text() for b in dialog.findChildren(QAbstractButton)]
    raise AssertionError(f"no button {text!r} in {dialog.windowTitle()!r}: {names}")


def workspace(tmp_path, clock=None, name: str = "studio.db"):
    from app.main_window import open_workspace

    return open_workspace(str(tmp_path / name), clock=clock)
