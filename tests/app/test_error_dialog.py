"""A slot that raises (a screen that cannot open) shows an error dialog naming the reason."""

from __future__ import annotations

import sys
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from app import error_dialog


def wait_for_error_box(qapp: QApplication, deadline: float = 5.0) -> list[str]:
    """Close the first error dialog that appears; returns its texts."""
    seen: list[str] = []

    def poll() -> None:
        for widget in qapp.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.extend([widget.text(), widget.informativeText(), widget.detailedText()])
                widget.done(0)
                return
        if time.monotonic() < end:
            QTimer.singleShot(20, poll)

    end = time.monotonic() + deadline
    QTimer.singleShot(20, poll)
    return seen


@pytest.mark.qt_no_exception_capture
def test_a_failing_slot_shows_the_reason(qapp: QApplication) -> None:
    previous = sys.excepthook
    error_dialog.install(qapp)
    try:
        button = QPushButton("Dashboard")

        def open_screen() -> None:
            raise ModuleNotFoundError("No module named 'PySide6.QtOpenGL'")

        button.clicked.connect(open_screen)
        seen = wait_for_error_box(qapp)
        button.click()  # the hook runs the dialog modally; poll() closes it
    finally:
        sys.excepthook = previous
    assert seen, "no error dialog appeared"
    assert seen[0].endswith("failed.")
    assert seen[1] == "A part of the program is missing: No module named 'PySide6.QtOpenGL'"
    assert "Traceback" in seen[2] and "open_screen" in seen[2]
    assert error_dialog.shown[-1] == seen[1]


def test_summary_names_the_error() -> None:
    assert error_dialog.error_summary(ValueError("bad\nmore")) == "ValueError: bad"
    assert error_dialog.error_summary(RuntimeError()) == "RuntimeError"
