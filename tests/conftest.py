"""Test-wide settings: Qt runs offscreen, so the suite needs no display; and the user's own
data folder is never touched — the default database and outbox (and every subprocess's)
live in a throwaway folder for the run."""

import os
import sys
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="campaign-studio-tests-data-")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="campaign-studio-tests-config-")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """While pytest-qt closes a test's windows, a dialog they open ("Save the changes?")
    is answered with Cancel instead of blocking the run for ever in its exec()."""
    timer = _dismiss_modal_dialogs()
    yield
    if timer is not None:
        timer.stop()
        timer.deleteLater()


def _dismiss_modal_dialogs():
    if "PySide6.QtWidgets" not in sys.modules:
        return None  # an engine test: no Qt here
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return None

    def dismiss() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and hasattr(dialog, "reject"):
            dialog.reject()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(dismiss)
    timer.start()
    return timer
