"""The dashboard: totals from the database, per-day chart, child roll-up, CSV and PNG export."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QScrollArea
from shell_helpers import build_demo_db, copy_db, create_from_sample, main_window

from app.dashboard import DashboardPage
from engine.campaigns import get_campaign, list_campaigns, load_diagram, save_campaign
from engine.clock import VirtualClock, utcnow

LEFT = Qt.MouseButton.LeftButton
START = utcnow().replace(microsecond=0)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("demo"))


def run_days(ws, clock, days: int) -> None:
    for _ in range(days * 4):
        clock.advance(timedelta(hours=6))
        ws.service.run_once()


def test_dashboard_totals_chart_and_exports(qtbot, tmp_path, demo_db):
    clock = VirtualClock(START)
    ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), clock)
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    page = window.campaign_page
    qtbot.mouseClick(page.lifecycle_buttons["start"], LEFT)
    run_days(ws, clock, 4)

    window.show_screen("campaigns")
    window.campaigns.select(campaign_id)
    qtbot.mouseClick(window.campaigns.buttons["dashboard"], LEFT)
    dashboard = window.dashboard_page
    assert isinstance(dashboard, DashboardPage)
    assert window.stack.currentWidget() is dashboard

    row = next(r for r in list_campaigns(ws.engine) if r["id"] == campaign_id)
    assert row["enrolled"] > 0
    cards = dashboard.card_widgets
    assert cards["Enrolled"].value.text() == f"{row['enrolled']:,}"
    assert cards["Converted"].value.text() == f"{row['converted']:,}"
    # Messages by channel: the welcome series sends email.
    channels = [dashboard.channel_table.item(r, 0).text()
                for r in range(dashboard.channel_table.rowCount())]  # fmt: skip
    assert "Email" in channels
    # One row per node of the diagram in the node table.
    diagram = load_diagram(ws.engine, campaign_id)
    assert dashboard.node_table.rowCount() == len(diagram.nodes)
    # The per-day chart has data (several days of activity).
    assert len(dashboard.data.daily) >= 2
    assert dashboard.chart.plotItem.listDataItems()

    # Double-clicking a node's row opens its detail.
    row = list(diagram.nodes).index("hello")
    scroll = dashboard.findChild(QScrollArea)
    scroll.ensureWidgetVisible(dashboard.node_table)
    qtbot.waitUntil(lambda: not dashboard.node_table.visibleRegion().isEmpty(), timeout=3000)
    rect = dashboard.node_table.visualItemRect(dashboard.node_table.item(row, 0))
    qtbot.mouseClick(dashboard.node_table.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(dashboard.node_table.viewport(), LEFT, pos=rect.center())
    assert dashboard.node_detail.node_id == "hello"
    assert dashboard.node_detail.messages.model.total > 0
    dashboard.node_detail.close()

    daily = dashboard.export_csv(tmp_path / "daily.csv")
    rows = list(csv.reader(daily.open(encoding="utf-8")))
    assert rows[0][0] == "day"
    assert len(rows) == len(dashboard.data.daily) + 1
    nodes = dashboard.export_csv(tmp_path / "nodes.csv", "nodes")
    node_rows = list(csv.DictReader(nodes.open(encoding="utf-8")))
    hello = next(r for r in node_rows if r["node id"] == "hello")
    assert hello["node"] == "Email: welcome"  # the label a marketer reads, not the id
    assert int(hello["entered"]) == dashboard.data.nodes["hello"]["entered"] > 0
    png = dashboard.export_png(tmp_path / "dashboard.png")
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 600

    qtbot.mouseClick(dashboard.findChild(type(window.campaigns.new_button), "backButton"), LEFT)
    assert window.stack.currentWidget() is window.campaign_page


def test_child_campaigns_roll_up_into_the_parent(qtbot, tmp_path, demo_db):
    clock = VirtualClock(START)
    ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), clock)
    parent_id = create_from_sample(qtbot, window, "Welcome series")
    child_diagram = load_diagram(ws.engine, parent_id)
    child_diagram.name = "Welcome series — spring wave"
    child_diagram.settings["parent"] = get_campaign(ws.engine, parent_id)["name"]
    child_id = save_campaign(ws.engine, child_diagram)
    assert get_campaign(ws.engine, child_id)["parent_id"] == parent_id
    window.show_screen("campaigns")
    for campaign_id in (parent_id, child_id):
        window.campaigns.select(campaign_id)
        qtbot.mouseClick(window.campaigns.buttons["start"], LEFT)
        assert get_campaign(ws.engine, campaign_id)["status"] == "live"
    run_days(ws, clock, 1)

    dashboard = window.open_dashboard(parent_id)
    rows = {r["id"]: r for r in list_campaigns(ws.engine)}
    assert dashboard.child_table.rowCount() == 1
    assert dashboard.child_table.item(0, 0).text() == "Welcome series — spring wave"
    total = rows[parent_id]["enrolled"] + rows[child_id]["enrolled"]
    assert rows[child_id]["enrolled"] > 0
    assert dashboard.card_widgets["Enrolled"].value.text() == f"{total:,}"
