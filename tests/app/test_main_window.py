"""The main window: navigation, the action table, the engine's state in the status bar."""

from __future__ import annotations

import importlib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from shell_helpers import (
    click_button,
    keep_data_in,
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
    when_modal,
    workspace,
)

from app.campaigns import CampaignsScreen
from app.main_window import SCREENS, MainWindow, is_empty
from designer.actions import specs_of
from engine.clock import VirtualClock

LEFT = Qt.MouseButton.LeftButton


def make_window(qtbot, tmp_path, start_engine=False):
    ws = workspace(tmp_path, clock=VirtualClock())
    window = MainWindow(ws, start_engine=start_engine)
    qtbot.addWidget(window)
    window.show()
    return ws, window


def test_navigation_shows_each_screen(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    assert isinstance(window.stack.currentWidget(), CampaignsScreen)
    for spec in SCREENS:
        qtbot.mouseClick(window.nav_buttons[spec.key], LEFT)
        assert window.stack.currentWidget() is window.screens[spec.key]
        assert window.nav_buttons[spec.key].isChecked()
        # The screen itself, not the "not available" label a failed build falls back to.
        built = getattr(importlib.import_module(spec.module), spec.cls)
        assert isinstance(window.screens[spec.key], built), window.screens[spec.key]
    # Every screen was built once and is kept.
    assert set(window.screens) == {s.key for s in SCREENS}


def test_every_action_in_the_table_is_in_a_menu_with_its_shortcut(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    menu_actions = {
        a.objectName(): a for menu in window.menuBar().actions() for a in menu.menu().actions()
    }
    for spec in specs_of("window"):
        action = menu_actions[f"action_{spec.name}"]
        assert action.shortcuts() == [QKeySequence(k) for k in spec.shortcuts]
    # The window's own, its screens' and the open canvas's (editor) shortcuts live together.
    shortcuts = [QKeySequence(k).toString() for spec in specs_of("window", "editor")
                 for k in spec.shortcuts]  # fmt: skip
    shortcuts += [QKeySequence(s.shortcut).toString() for s in SCREENS]
    assert len(shortcuts) == len(set(shortcuts)), "two actions share a shortcut"


def test_campaign_actions_need_an_open_campaign(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    assert not window.actions["save_campaign"].isEnabled()
    assert not window.actions["simulate"].isEnabled()


def test_status_bar_shows_the_engine_state(qtbot, tmp_path):
    ws, window = make_window(qtbot, tmp_path)
    assert "stopped" in window.status_engine.text().lower()
    ws.service.start(background=False)
    assert "ready" in window.status_engine.text().lower()
    ws.service.run_once()
    assert "last pass" in window.status_engine.text()


def test_the_engine_starts_with_the_window_and_stops_with_it(qtbot, tmp_path):
    ws = workspace(tmp_path, clock=VirtualClock())
    window = MainWindow(ws, start_engine=True)
    qtbot.addWidget(window)
    assert ws.service.state == "running", ws.service.error
    assert "running" in window.status_engine.text().lower()
    window.close()
    assert ws.service.state == "stopped"


def test_dark_theme_toggle_restyles_the_application(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    app = QApplication.instance()
    window.actions["dark_theme"].trigger()
    assert app.property("campaignStudioTheme") == "dark"
    assert "#14161f" in app.styleSheet()
    window.actions["dark_theme"].trigger()
    assert app.property("campaignStudioTheme") == "light"


def test_empty_database_is_detected(tmp_path):
    ws = workspace(tmp_path)
    assert is_empty(ws.engine)


@pytest.mark.slow  # builds a (small) demo workspace
def test_an_empty_database_offers_the_demo_and_builds_it_in_the_background(qtbot, tmp_path):
    from sqlalchemy import func, select

    from engine.db.schema import contacts

    ws, window = make_window(qtbot, tmp_path)
    assert is_empty(ws.engine)
    when_modal(qtbot, lambda box: click_button(qtbot, box, "Yes"))
    task = window.offer_demo(contacts=150)
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=120_000)
    assert task.outcome == "succeeded", task.error
    qtbot.waitUntil(lambda: window.campaigns.model.rowCount() > 0, timeout=10_000)
    with ws.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(contacts)) > 0
    assert not is_empty(ws.engine)


def test_run_window_opens_the_database_chosen_in_settings(qtbot, tmp_path):
    from PySide6.QtCore import QTimer

    from app.main_window import preferences, run_window
    from engine.campaigns import save_campaign
    from engine.db import open_database
    from engine.diagram import Diagram

    keep_data_in(tmp_path)
    chosen = tmp_path / "chosen.db"
    save_campaign(open_database(chosen), Diagram("Already here"))
    preferences().setValue("database", str(chosen))
    preferences().setValue("theme", "dark")
    seen: list = []

    def look_and_close():
        app = QApplication.instance()
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(windows)
        for window in windows:
            seen.append([r["name"] for r in window.campaigns.model.rows])
            seen.append(window.workspace.service.state)
            window.close()

    QTimer.singleShot(300, look_and_close)
    assert run_window(None) == 0
    window, names, state = seen
    assert names == ["Already here"]
    assert state == "running"
    assert window.workspace.db == str(chosen)
    assert window.workspace.service.state == "stopped"
    assert QApplication.instance().property("campaignStudioTheme") == "dark"
    from app.style import apply_style

    apply_style(QApplication.instance(), "light")
