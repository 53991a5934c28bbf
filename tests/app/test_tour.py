"""The package test's tour fails a step on an exception and on an error dialog (the whole
tour runs inside the installed package: packaging/package_test.sh)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from app import error_dialog
from app.tour import Tour


@pytest.mark.qt_no_exception_capture
def test_steps_pass_fail_on_exception_and_on_error_dialog(qapp: QApplication, tmp_path, capsys):
    previous = sys.excepthook
    error_dialog.install(qapp)
    window = QLabel("a window")
    window.show()
    tour = Tour(tmp_path)
    tour.window = window

    def broken_slot() -> None:
        raise ModuleNotFoundError("No module named 'PySide6.QtOpenGL'")

    def opens_with_error_dialog() -> str:
        QTimer.singleShot(0, broken_slot)  # a slot that fails, as a screen's would
        tour.wait(5, lambda: bool(tour.dialog_texts))
        return ""

    def raises() -> str:
        raise RuntimeError("the dashboard shows no chart")

    try:
        tour.step("fine", lambda: "all there")
        tour.step("dialog", opens_with_error_dialog)
        tour.step("raises", raises)
    finally:
        sys.excepthook = previous
        tour.watch.stop()
        window.close()
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("tour:")]
    assert lines[0].startswith("tour: ok   fine") and lines[0].endswith("all there")
    dialog_line = next(line for line in lines if line.startswith("tour: FAIL dialog:"))
    assert "No module named 'PySide6.QtOpenGL'" in dialog_line
    assert lines[-1] == "tour: FAIL raises: RuntimeError: the dashboard shows no chart"
    assert tour.failures == 2
    assert (tmp_path / "01-fine.png").stat().st_size > 0
