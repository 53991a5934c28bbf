"""The campaigns screen, driven with real clicks, checked against the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from shell_helpers import click_button, when_modal, workspace
from sqlalchemy import select

from app.campaigns import CampaignsScreen
from engine.campaigns import get_campaign, list_campaigns, load_diagram
from engine.db.schema import campaign_versions, campaigns

LEFT = Qt.MouseButton.LeftButton


def make_screen(qtbot, tmp_path):
    ws = workspace(tmp_path)
    screen = CampaignsScreen(ws)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    return ws, screen


def select_row(qtbot, screen: CampaignsScreen, name: str) -> None:
    for row in range(screen.proxy.rowCount()):
        index = screen.proxy.index(row, 0)
        if index.data() == name:
            rect = screen.table.visualRect(index)
            qtbot.mouseClick(screen.table.viewport(), LEFT, pos=rect.center())
            assert screen.selected()["name"] == name
            return
    raise AssertionError(f"{name!r} is not listed")


def test_new_campaign_from_a_sample_is_stored_as_a_draft(qtbot, tmp_path):
    ws, screen = make_screen(qtbot, tmp_path)
    opened: list[int] = []
    screen.openRequested.connect(opened.append)

    def choose_sample(dialog):
        items = dialog.choices
        row = next(i for i in range(items.count()) if "Welcome series" in items.item(i).text())
        rect = items.visualItemRect(items.item(row))
        qtbot.mouseClick(items.viewport(), LEFT, pos=rect.center())
        assert dialog.name.text() == "Welcome series"
        click_button(qtbot, dialog, "Create")

    seen = when_modal(qtbot, choose_sample)
    qtbot.mouseClick(screen.new_button, LEFT)
    assert seen, "the New campaign dialog did not open"
    with ws.engine.connect() as conn:
        stored = get_campaign(conn, "Welcome series")
        diagram = load_diagram(conn, stored["id"])
    assert stored["status"] == "draft"
    assert {"start", "hello", "opened", "purchased"} <= set(diagram.nodes)
    assert opened == [stored["id"]]
    assert screen.model.rowCount() == 1
    assert screen.selected()["name"] == "Welcome series"


def test_blank_campaign_gets_a_unique_name(qtbot, tmp_path):
    ws, screen = make_screen(qtbot, tmp_path)
    for _ in range(2):
        when_modal(qtbot, lambda d: click_button(qtbot, d, "Create"))
        qtbot.mouseClick(screen.new_button, LEFT)
    with ws.engine.connect() as conn:
        names = sorted(r["name"] for r in list_campaigns(conn))
    assert names == ["Untitled campaign", "Untitled campaign (2)"]


def test_buttons_follow_the_allowed_actions(qtbot, tmp_path):
    _ws, screen = make_screen(qtbot, tmp_path)
    assert not screen.buttons["start"].isEnabled()  # nothing selected
    screen.create("Spring sale")
    select_row(qtbot, screen, "Spring sale")
    enabled = {name for name, b in screen.buttons.items() if b.isEnabled()}
    assert {"open", "duplicate", "delete", "start", "schedule"} <= enabled
    assert not ({"pause", "resume", "stop"} & enabled)


def test_a_campaign_with_problems_cannot_start_and_says_why(qtbot, tmp_path):
    ws, screen = make_screen(qtbot, tmp_path)
    screen.create("Empty canvas")
    select_row(qtbot, screen, "Empty canvas")
    qtbot.mouseClick(screen.buttons["start"], LEFT)
    assert screen.message.isVisible()
    assert "Empty canvas" in screen.message.text()
    assert "problem" in screen.message.text()
    assert get_campaign(ws.engine, "Empty canvas")["status"] == "draft"


def test_duplicate_and_delete_with_confirmation(qtbot, tmp_path):
    ws, screen = make_screen(qtbot, tmp_path)
    screen.create("Newsletter")
    select_row(qtbot, screen, "Newsletter")
    qtbot.mouseClick(screen.buttons["duplicate"], LEFT)
    copy = get_campaign(ws.engine, "Newsletter (copy)")
    assert copy["status"] == "draft"
    assert screen.selected()["name"] == "Newsletter (copy)"

    # Cancel keeps it.
    when_modal(qtbot, lambda d: click_button(qtbot, d, "Cancel"))
    qtbot.mouseClick(screen.buttons["delete"], LEFT)
    assert get_campaign(ws.engine, "Newsletter (copy)")["id"] == copy["id"]

    when_modal(qtbot, lambda d: click_button(qtbot, d, "Delete"))
    qtbot.mouseClick(screen.buttons["delete"], LEFT)
    with ws.engine.connect() as conn:
        names = [r.name for r in conn.execute(select(campaigns.c.name))]
        versions = conn.execute(
            select(campaign_versions).where(campaign_versions.c.campaign_id == copy["id"])
        ).all()
    assert names == ["Newsletter"]
    assert versions == []
    assert [r["name"] for r in screen.model.rows] == ["Newsletter"]


def test_search_and_status_filter(qtbot, tmp_path):
    _ws, screen = make_screen(qtbot, tmp_path)
    for name in ("Spring sale", "Summer sale", "Welcome"):
        screen.create(name)
    qtbot.keyClicks(screen.search, "sale")
    assert screen.proxy.rowCount() == 2
    screen.search.clear()
    assert screen.proxy.rowCount() == 3
    screen.status.setCurrentIndex(screen.status.findData("live"))
    assert screen.proxy.rowCount() == 0
    screen.status.setCurrentIndex(screen.status.findData("draft"))
    assert screen.proxy.rowCount() == 3
    # Sorting by name through the header.
    screen.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [screen.proxy.index(r, 0).data() for r in range(3)] == [
        "Spring sale", "Summer sale", "Welcome"
    ]  # fmt: skip


def blast(name: str):
    """A small valid campaign that needs nothing from the database."""
    from engine.diagram import Diagram, Edge, Node

    diagram = Diagram(name, {"entry": "once"})
    rule = {"field": "email", "op": "is_set"}
    diagram.add_node(Node("start", "trigger.manual", {"filter": rule}, (0, 0)))
    diagram.add_node(Node("vip", "action.tag", {"add": ["vip"]}, (240, 0)))
    diagram.add_edge(Edge("start", "vip"))
    return diagram


def test_schedule_dialog_stores_start_and_end_in_utc(qtbot, tmp_path):
    from datetime import datetime, timedelta

    from PySide6.QtCore import QDateTime

    from engine.campaigns import save_campaign

    ws, screen = make_screen(qtbot, tmp_path)
    save_campaign(ws.engine, blast("Black Friday"))
    screen.refresh()
    select_row(qtbot, screen, "Black Friday")
    start_local = QDateTime.currentDateTime().addDays(3)
    end_local = start_local.addDays(7)

    def fill(dialog):
        dialog.start.setDateTime(start_local)
        dialog.has_end.setChecked(True)
        dialog.end.setDateTime(end_local)
        click_button(qtbot, dialog, "Schedule")

    seen = when_modal(qtbot, fill)
    qtbot.mouseClick(screen.buttons["schedule"], LEFT)
    assert seen
    stored = get_campaign(ws.engine, "Black Friday")
    assert stored["status"] == "scheduled", screen.message.text()
    expected = start_local.toUTC().toPython().replace(tzinfo=None, second=0, microsecond=0)
    assert stored["start_at"] == expected
    assert stored["end_at"] - stored["start_at"] == timedelta(days=7)
    assert stored["start_at"] > datetime.now() - timedelta(days=1)
    # A scheduled campaign can be stopped or started now, not paused.
    assert screen.buttons["stop"].isEnabled() and screen.buttons["start"].isEnabled()
    assert not screen.buttons["pause"].isEnabled()


def test_schedule_refuses_an_end_before_the_start(qtbot, tmp_path):
    from PySide6.QtCore import QDateTime

    from engine.campaigns import save_campaign

    ws, screen = make_screen(qtbot, tmp_path)
    save_campaign(ws.engine, blast("Flash sale"))
    screen.refresh()
    select_row(qtbot, screen, "Flash sale")
    problems: list[str] = []

    def fill(dialog):
        dialog.start.setDateTime(QDateTime.currentDateTime().addDays(3))
        dialog.has_end.setChecked(True)
        dialog.end.setDateTime(QDateTime.currentDateTime().addDays(1))
        click_button(qtbot, dialog, "Schedule")
        problems.append(dialog.problem.text())
        click_button(qtbot, dialog, "Cancel")

    when_modal(qtbot, fill)
    qtbot.mouseClick(screen.buttons["schedule"], LEFT)
    assert problems == ["The end must come after the start."]
    assert get_campaign(ws.engine, "Flash sale")["status"] == "draft"


def test_start_and_stop_from_the_list(qtbot, tmp_path):
    from engine.campaigns import save_campaign

    ws, screen = make_screen(qtbot, tmp_path)
    save_campaign(ws.engine, blast("Launch"))
    screen.refresh()
    select_row(qtbot, screen, "Launch")
    qtbot.mouseClick(screen.buttons["start"], LEFT)
    assert get_campaign(ws.engine, "Launch")["status"] == "live", screen.message.text()
    assert screen.buttons["pause"].isEnabled() and not screen.buttons["start"].isEnabled()
    when_modal(qtbot, lambda d: click_button(qtbot, d, "Stop campaign"))
    qtbot.mouseClick(screen.buttons["stop"], LEFT)
    assert get_campaign(ws.engine, "Launch")["status"] == "stopped"
    assert screen.buttons["delete"].isEnabled() and not screen.buttons["resume"].isEnabled()


def test_importing_a_file_never_overwrites_a_campaign_of_the_same_name(qtbot, tmp_path):
    from app.main_window import MainWindow
    from engine.campaigns import save_campaign
    from engine.paths import resource

    ws = workspace(tmp_path)
    original = save_campaign(ws.engine, blast("Welcome series"))
    window = MainWindow(ws, start_engine=False)
    qtbot.addWidget(window)
    new_id = window.import_campaign_file(str(resource("campaigns", "welcome_series.campaign.json")))
    assert new_id != original
    assert get_campaign(ws.engine, original)["version"] == 1
    assert get_campaign(ws.engine, new_id)["name"] == "Welcome series (2)"
    assert "hello" in load_diagram(ws.engine, new_id).nodes
