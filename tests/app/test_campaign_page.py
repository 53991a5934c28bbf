"""A campaign from a sample, started on demo data: figures appear on the canvas as the
engine's clock moves; pause and resume; a node's detail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from shell_helpers import (
    build_demo_db,
    click_button,
    copy_db,
    create_from_sample,
    main_window,
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
    when_modal,
)
from sqlalchemy import func, select

from app.campaign_page import CampaignPage
from engine.campaigns import get_campaign
from engine.clock import VirtualClock, utcnow
from engine.db.schema import enrollments, messages

LEFT = Qt.MouseButton.LeftButton
START = utcnow().replace(microsecond=0)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("demo"))


def tick(ws, clock, hours: float) -> None:
    clock.advance(timedelta(hours=hours))
    ws.service.run_once()


def test_start_tick_and_see_figures_then_pause_and_resume(qtbot, tmp_path, demo_db):
    clock = VirtualClock(START)
    ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), clock)
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    assert isinstance(page, CampaignPage)
    assert window.stack.currentWidget() is page
    assert page.campaign_id == campaign_id

    qtbot.mouseClick(page.lifecycle_buttons["start"], LEFT)
    assert get_campaign(ws.engine, campaign_id)["status"] == "live", page.message.text()
    assert page.stats_toggle.isChecked()
    tick(ws, clock, 1)
    tick(ws, clock, 1)

    scene = page.scene
    trigger = scene.nodes["start"]
    hello = scene.nodes["hello"]
    assert trigger.stats is not None and trigger.stats["entered"] > 0
    assert hello.stats["entered"] > 0
    with ws.engine.connect() as conn:
        enrolled = conn.scalar(
            select(func.count()).select_from(enrollments)
            .where(enrollments.c.campaign_id == campaign_id)
        )  # fmt: skip
        queued_or_sent = conn.scalar(
            select(func.count()).select_from(messages)
            .where(messages.c.campaign_id == campaign_id, messages.c.node_id == "hello")
        )  # fmt: skip
    assert trigger.stats["entered"] == enrolled
    assert queued_or_sent > 0
    assert hello.forecast is False

    # Pause: the buttons change and the database says paused.
    assert page.lifecycle_buttons["pause"].isVisible()
    qtbot.mouseClick(page.lifecycle_buttons["pause"], LEFT)
    assert get_campaign(ws.engine, campaign_id)["status"] == "paused"
    assert page.lifecycle_buttons["resume"].isVisible()
    assert not page.lifecycle_buttons["pause"].isVisible()
    waiting_before = scene.nodes["pause"].stats.get("waiting", 0)
    tick(ws, clock, 72)  # the 2-day wait is over, but nobody moves while paused
    assert scene.nodes["pause"].stats.get("waiting", 0) == waiting_before
    qtbot.mouseClick(page.lifecycle_buttons["resume"], LEFT)
    assert get_campaign(ws.engine, campaign_id)["status"] == "live"
    tick(ws, clock, 1)
    assert scene.nodes["opened"].stats["entered"] > 0

    # The campaigns list shows the figures too.
    window.show_screen("campaigns")
    row = next(r for r in window.campaigns.model.rows if r["id"] == campaign_id)
    assert row["enrolled"] == enrolled


def test_double_clicking_a_node_with_statistics_opens_its_detail(qtbot, tmp_path, demo_db):
    clock = VirtualClock(START)
    ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), clock)
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    qtbot.mouseClick(page.lifecycle_buttons["start"], LEFT)
    tick(ws, clock, 1)
    tick(ws, clock, 1)

    view = page.editor.view
    item = page.scene.nodes["hello"]
    view.centerOn(item)
    pos = view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseDClick(view.viewport(), LEFT, pos=pos)
    detail = page.node_detail
    assert detail.isVisible()
    assert detail.node_id == "hello" and detail.campaign_id == campaign_id
    with ws.engine.connect() as conn:
        sent_here = conn.scalar(
            select(func.count()).select_from(messages)
            .where(messages.c.campaign_id == campaign_id, messages.c.node_id == "hello")
        )  # fmt: skip
    assert detail.messages.model.total == sent_here > 0
    assert detail.messages.model.rowCount() == min(100, sent_here)
    statuses = {detail.messages.model.rows[i]["status"] for i in range(3)}
    assert statuses <= {"queued", "sent", "failed", "suppressed"}
    # Figures in words, every way out named by where it leads, never a port id.
    text = detail.figures.text()
    assert "Entered: " in text and "Went on to “" in text and "took" not in text
    assert "“hello”" not in detail.windowTitle()

    # The wait node holds contacts: the detail lists who is there now.
    item = page.scene.nodes["pause"]
    page.node_activated("pause")
    waiting = page.node_detail
    assert waiting.contacts.model.total == item.stats["waiting"] > 0
    assert "@" in waiting.contacts.model.rows[0]["email"]


def test_saving_stores_a_new_version(qtbot, tmp_path, demo_db):
    from engine.diagram import Node

    clock = VirtualClock(START)
    ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), clock)
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    before = get_campaign(ws.engine, campaign_id)["version"]
    from designer.commands import AddNode

    page.editor.undo_stack.push(AddNode(page.diagram, Node("bye", "exit", {}, (1400, 0))))
    assert page.is_modified()
    qtbot.mouseClick(page.save_button, LEFT)
    stored = get_campaign(ws.engine, campaign_id)
    assert stored["version"] == before + 1
    assert any(n["id"] == "bye" for n in stored["definition"]["nodes"])
    assert not page.is_modified()


def test_a_rename_in_the_inspector_is_an_undoable_edit_kept_on_save(qtbot, tmp_path, demo_db):
    clock = VirtualClock(START)
    ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), clock)
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    page.editor.scene.select_nodes([])  # nothing selected: the inspector shows the settings
    name = page.editor.inspector.rows["name"].editor.edit
    old_name = page.diagram.name
    name.selectAll()
    qtbot.keyClicks(name, "Welcome, renamed")
    assert page.diagram.name == "Welcome, renamed"
    assert page.is_modified()
    page.editor.undo_stack.undo()  # the whole typing session is one step
    assert page.diagram.name == old_name
    page.editor.undo_stack.redo()
    qtbot.mouseClick(page.save_button, LEFT)
    stored = get_campaign(ws.engine, campaign_id)  # found by id: the same campaign
    assert stored["name"] == "Welcome, renamed" and stored["version"] == 2
    assert stored["definition"]["name"] == "Welcome, renamed"
    assert not page.is_modified()
    assert any(r["name"] == "Welcome, renamed" for r in window.campaigns.model.rows)


def test_a_blank_campaign_with_problems_does_not_start_and_says_why(qtbot, tmp_path, demo_db):
    clock = VirtualClock(START)
    ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), clock)
    when_modal(qtbot, lambda d: click_button(qtbot, d, "Create"))
    qtbot.mouseClick(window.campaigns.new_button, LEFT)
    page = window.campaign_page
    assert page.record["name"] == "Untitled campaign"
    qtbot.mouseClick(page.lifecycle_buttons["start"], LEFT)
    assert page.message.isVisible()
    assert "problem" in page.message.text()
    assert get_campaign(ws.engine, page.campaign_id)["status"] == "draft"


def test_deleting_the_open_campaign_closes_its_page(qtbot, tmp_path, demo_db):
    _ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), VirtualClock(START))
    campaign_id = create_from_sample(qtbot, window, "Birthday greetings")
    qtbot.mouseClick(window.campaign_page.findChild(QPushButton, "backButton"), LEFT)
    assert window.stack.currentWidget() is window.campaigns
    window.campaigns.select(campaign_id)
    when_modal(qtbot, lambda d: click_button(qtbot, d, "Delete"))
    qtbot.mouseClick(window.campaigns.buttons["delete"], LEFT)
    assert window.campaign_page is None
    assert campaign_id not in {r["id"] for r in window.campaigns.model.rows}


@pytest.mark.slow  # restyling the whole application twice
def test_the_canvas_follows_the_dark_theme(qtbot, tmp_path, demo_db):
    from PySide6.QtWidgets import QApplication

    from designer.theme import DARK, LIGHT

    _ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), VirtualClock(START))
    create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    assert page.editor.theme is LIGHT
    window.actions["dark_theme"].trigger()
    try:
        assert page.editor.theme is DARK
        assert page.scene.theme is DARK
    finally:
        window.actions["dark_theme"].trigger()
    assert page.editor.theme is LIGHT
    assert QApplication.instance().property("campaignStudioTheme") == "light"


def test_figures_refresh_by_themselves_while_the_engine_runs_in_the_background(
    qtbot, tmp_path, demo_db
):
    from shell_helpers import keep_data_in

    from app.main_window import MainWindow, open_workspace
    from engine.settings import save_settings

    db = copy_db(demo_db, tmp_path)
    keep_data_in(tmp_path)
    ws = open_workspace(str(db), clock=VirtualClock(START))
    save_settings(ws.engine, {"tick_seconds": 0.2})
    window = MainWindow(ws, start_engine=True)
    qtbot.addWidget(window)
    window.show()
    assert ws.service.state == "running", ws.service.error
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    qtbot.mouseClick(page.lifecycle_buttons["start"], LEFT)
    # No manual pass: the scheduler's thread ticks, the page hears of it on the GUI thread.
    qtbot.waitUntil(lambda: (page.scene.nodes["hello"].stats or {}).get("entered", 0) > 0,
                    timeout=20_000)  # fmt: skip
    assert ws.service.passes > 0
    assert "last pass" in window.status_engine.text()
    row = next(r for r in window.campaigns.model.rows if r["id"] == campaign_id)
    assert row["status"] == "live"
    window.close()
    assert ws.service.state == "stopped"


def test_opening_a_campaign_builds_the_inspector_form_once(qtbot, tmp_path, demo_db):
    _ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), VirtualClock(START))
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    window.show_screen("campaigns")
    window.forget_campaign(campaign_id)
    page = window.open_campaign(campaign_id)
    qtbot.waitExposed(page)
    assert page.editor.inspector.builds == 1
    assert "name" in page.editor.inspector.rows  # the campaign settings form is there


def test_keyboard_undo_and_save_work_on_the_canvas_and_the_edit_menu_is_the_canvas(
    qtbot, tmp_path, demo_db
):
    from designer.commands import AddNode
    from engine.diagram import Node

    ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), VirtualClock(START))
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    before = get_campaign(ws.engine, campaign_id)["version"]
    view = page.editor.view
    window.activateWindow()
    qtbot.waitActive(window)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)

    page.editor.undo_stack.push(AddNode(page.diagram, Node("bye", "exit", {}, (1400, 0))))
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "bye" not in page.diagram.nodes
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert "bye" in page.diagram.nodes
    qtbot.keyClick(view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_campaign(ws.engine, campaign_id)["version"] == before + 1
    assert not page.is_modified()

    window.edit_menu.aboutToShow.emit()
    shown = window.edit_menu.actions()
    assert page.editor.actions["undo"] in shown
    assert page.editor.actions["auto_layout"] in shown
    # The editor's file actions and canvas-only theme switch are not built in the window:
    # its own Save (Ctrl+S, above) and View > Dark theme serve.
    assert not {"new", "open", "save", "save_as", "theme"} & set(page.editor.actions)
    window.show_screen("contacts")
    window.edit_menu.aboutToShow.emit()
    assert [a.isEnabled() for a in window.edit_menu.actions()] == [False]
