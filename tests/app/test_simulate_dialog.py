"""Simulate from the window: the forecast is drawn on the canvas, marked as a forecast, and
the real campaign is untouched."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from shell_helpers import build_demo_db, copy_db, create_from_sample, main_window
from sqlalchemy import func, select

from app.simulate_dialog import SimulateDialog
from engine.campaigns import get_campaign
from engine.clock import VirtualClock, utcnow
from engine.db.schema import enrollments, messages

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("demo"))


def test_simulate_draws_a_forecast_on_the_canvas(qtbot, tmp_path, demo_db):
    ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), VirtualClock(utcnow()))
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    qtbot.mouseClick(page.simulate_button, LEFT)
    dialog = page.simulate_dialog
    assert isinstance(dialog, SimulateDialog) and dialog.isVisible()
    dialog.days.setValue(10)
    dialog.rates["opened"].setValue(40)
    assert dialog.assume()["opened"] == 0.4
    with qtbot.waitSignal(dialog.forecastReady, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.run_button, LEFT)
    result = blocker.args[0]
    assert result["nodes"]["start"]["entered"] > 0

    hello = page.scene.nodes["hello"]
    assert hello.forecast is True
    assert hello.stats["entered"] == result["nodes"]["hello"]["entered"]
    assert page.forecast_banner.isVisible()
    assert "FORECAST" in page.forecast_text.text()
    assert "10 days" in page.forecast_text.text()

    # Nothing real happened: no enrollments, no messages, still a draft.
    with ws.engine.connect() as conn:
        for table in (enrollments, messages):
            count = conn.scalar(
                select(func.count()).select_from(table).where(table.c.campaign_id == campaign_id)
            )
            assert count == 0
    assert get_campaign(ws.engine, campaign_id)["status"] == "draft"

    qtbot.mouseClick(page.forecast_banner.findChild(type(page.simulate_button),
                                                    "clearForecastButton"), LEFT)  # fmt: skip
    assert not page.forecast_banner.isVisible()
    assert page.scene.nodes["hello"].stats is None


def test_cancel_stops_a_running_forecast(qtbot, tmp_path, demo_db):
    _ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), VirtualClock(utcnow()))
    create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    qtbot.mouseClick(page.simulate_button, LEFT)
    dialog = page.simulate_dialog
    dialog.days.setValue(365)
    forecasts: list = []
    dialog.forecastReady.connect(lambda *a: forecasts.append(a))
    qtbot.mouseClick(dialog.run_button, LEFT)
    task = dialog.task
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    qtbot.waitUntil(lambda: "cancelled" in dialog.status.text(), timeout=60_000)
    assert task.outcome == "cancelled", task.error
    assert forecasts == []
    assert not page.forecast_banner.isVisible()


def test_closing_the_dialog_during_a_forecast_stops_it_quietly(qtbot, tmp_path, demo_db):
    _ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), VirtualClock(utcnow()))
    create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    qtbot.mouseClick(page.simulate_button, LEFT)
    dialog = page.simulate_dialog
    dialog.days.setValue(365)
    qtbot.mouseClick(dialog.run_button, LEFT)
    task = dialog.task
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the dialog closes and is deleted
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    assert task.outcome == "cancelled", task.error
    qtbot.wait(50)  # the task's end reaches no deleted widget (pytest-qt fails on errors)
    assert page.forecast is None
