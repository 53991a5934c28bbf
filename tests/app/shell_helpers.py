"""Helpers for the shell's GUI tests: answer modal dialogs with real clicks, a workspace on a
real SQLite file."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
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
            try:
                handle(widget)  # pytest-qt reports what it raises
            finally:  # never leave a modal open: exec() would block the test for ever
                QTimer.singleShot(0, lambda: _close_if_open(widget))
            return
        waited[0] += 20
        if waited[0] < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def _close_if_open(widget: QWidget) -> None:
    from shiboken6 import isValid

    if isValid(widget) and widget.isVisible() and hasattr(widget, "reject"):
        widget.reject()


def click_button(qtbot, dialog: QWidget, text: str) -> None:
    """Click the dialog's button whose text (without &) is `text`."""
    for button in dialog.findChildren(QAbstractButton):
        if button.text().replace("&", "") == text and button.isVisible():
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            return
    names = [b.text() for b in dialog.findChildren(QAbstractButton)]
    raise AssertionError(f"no button {text!r} in {dialog.windowTitle()!r}: {names}")


def keep_data_in(folder) -> None:
    """The engine's outbox and user data go to the test's folder, never the user's."""
    os.environ["CAMPAIGN_STUDIO_DATA_DIR"] = str(folder)


def workspace(tmp_path, clock=None, name: str = "studio.db"):
    from app.main_window import open_workspace

    keep_data_in(tmp_path)

    return open_workspace(str(tmp_path / name), clock=clock)


def build_demo_db(folder, contacts: int = 200):
    """A demo database built once (engine.demo.build_demo with few contacts)."""
    from engine.db import open_database
    from engine.demo import build_demo

    path = folder / "demo.db"
    engine = open_database(path)
    # No history: each test starts its campaigns itself, on a clock that starts now.
    build_demo(engine, contacts=contacts, history=False)
    engine.dispose()
    return path


def copy_db(source, target_folder, name: str = "studio.db"):
    """Copy a SQLite database file (WAL checkpointed first) for one test."""
    import sqlite3

    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    target = target_folder / name
    backup_source = sqlite3.connect(source)
    backup_target = sqlite3.connect(target)
    backup_source.backup(backup_target)
    backup_source.close()
    backup_target.close()
    return target


def main_window(qtbot, db_path, clock):
    """The main window on `db_path` with a virtual clock and the engine ticked by hand."""
    from app.main_window import MainWindow, open_workspace

    keep_data_in(db_path.parent)
    ws = open_workspace(str(db_path), clock=clock)
    window = MainWindow(ws, start_engine=False)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    assert ws.service.start(background=False), ws.service.error
    return ws, window


def create_from_sample(qtbot, window, sample_name: str) -> int:
    """Click New campaign, pick the sample, click Create; returns the new campaign's id."""
    screen = window.campaigns
    before = {r["id"] for r in screen.model.rows}

    def choose(dialog):
        items = dialog.choices
        row = next(i for i in range(items.count()) if sample_name in items.item(i).text())
        rect = items.visualItemRect(items.item(row))
        qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        click_button(qtbot, dialog, "Create")

    seen = when_modal(qtbot, choose)
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    assert seen, "the New campaign dialog did not open"
    new = [r["id"] for r in screen.model.rows if r["id"] not in before]
    assert len(new) == 1, screen.message.text()
    return new[0]


@pytest.fixture(autouse=True)
def own_preferences(tmp_path):
    """Preferences (theme, database location) go to tmp_path, never the user's own.
    Import this fixture into a test module to use it there."""
    from PySide6.QtCore import QSettings

    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(tmp_path / "preferences"))
    yield
