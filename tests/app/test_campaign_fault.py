"""A campaign the engine paused after a fault says why, in the list and on its page;
Resume (a real click) clears the reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from shell_helpers import (
    build_demo_db,
    copy_db,
    create_from_sample,
    main_window,
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
)

from engine.campaigns import get_campaign
from engine.clock import VirtualClock, utcnow
from engine.runner.core import pause_for_fault

LEFT = Qt.MouseButton.LeftButton


def test_the_fault_shows_in_the_list_and_on_the_page_and_resume_clears_it(qtbot, tmp_path):
    clock = VirtualClock(utcnow().replace(microsecond=0))
    (tmp_path / "demo").mkdir()
    db = copy_db(build_demo_db(tmp_path / "demo", contacts=20), tmp_path)
    ws, window = main_window(qtbot, db, clock)
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    qtbot.mouseClick(page.lifecycle_buttons["start"], LEFT)
    assert get_campaign(ws.engine, campaign_id)["status"] == "live"
    assert not page.fault.isVisible()

    # The engine's own path: a node that raises pauses its campaign with the reason.
    pause_for_fault(ws.engine, campaign_id, clock.now(), "node “hello”", OSError("disk full"))
    ws.campaignsChanged.emit()
    qtbot.waitUntil(page.fault.isVisible, timeout=3000)
    assert "disk full" in page.fault.text()
    assert "Welcome series" in page.fault.text()
    assert "paused by the engine" not in page.fault.text()  # said once, in words
    page.grab().save(str(tmp_path / "page.png"))

    screen = window.campaigns
    assert "disk full" in screen.faults.text()
    row = screen.model.row_of(campaign_id)
    tip = screen.model.data(screen.model.index(row, 1), Qt.ItemDataRole.ToolTipRole)
    assert "disk full" in tip

    qtbot.mouseClick(page.lifecycle_buttons["resume"], LEFT)
    record = get_campaign(ws.engine, campaign_id)
    assert record["status"] == "live" and record["error"] is None
    assert not page.fault.isVisible() and page.fault.text() == ""
    assert not screen.faults.isVisible() and screen.faults.text() == ""
