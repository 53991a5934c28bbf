"""Polish from issue 13 item 11: times as the locale writes them, the chart's legend above
the plot (never on a line), the channel table without a sideways scroll at 1024 px, and
placeholders that read as hints."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime
from shell_helpers import build_demo_db, copy_db, create_from_sample, main_window

from app.contact_text import format_date, format_time
from engine.clock import VirtualClock, utcnow

LEFT = Qt.MouseButton.LeftButton


def test_times_are_written_as_the_locale_writes_them():
    QLocale.setDefault(QLocale("de_DE"))
    try:
        assert format_time(datetime(2026, 12, 7, 9, 0)) == "07.12.26 09:00"
        assert format_time("2026-12-07T09:00") == "07.12.26 09:00"
        assert format_date(datetime(2026, 12, 7, 9, 0)) == "07.12.26"
    finally:
        QLocale.setDefault(QLocale("en_US"))
    stamp = QDateTime(QDate(2026, 12, 7), QTime(9, 0))
    assert format_time("2026-12-07T09:00") == QLocale().toString(
        stamp, QLocale.FormatType.ShortFormat
    )
    assert "T" not in format_time("2026-12-07T09:00")
    assert format_time("not a time") == "not a time"


def test_the_dashboard_legend_sits_above_the_plot_and_nothing_scrolls_sideways(qtbot, tmp_path):
    (tmp_path / "demo").mkdir()
    clock = VirtualClock(utcnow().replace(microsecond=0))
    ws, window = main_window(qtbot, copy_db(build_demo_db(tmp_path / "demo"), tmp_path), clock)
    campaign_id = create_from_sample(qtbot, window, "Welcome series")
    qtbot.mouseClick(window.campaign_page.lifecycle_buttons["start"], LEFT)
    for _ in range(12):
        clock.advance(timedelta(hours=6))
        ws.service.run_once()
    window.resize(1024, 700)
    window.show_screen("campaigns")
    window.campaigns.select(campaign_id)
    qtbot.mouseClick(window.campaigns.buttons["dashboard"], LEFT)
    dashboard = window.dashboard_page
    qtbot.waitUntil(lambda: dashboard.channel_table.rowCount() > 0)
    qtbot.wait(10)

    plot = dashboard.chart.plotItem
    legend = plot.legend
    assert legend is not None and len(legend.items) >= 2
    legend_box = legend.sceneBoundingRect()
    view_box = plot.vb.sceneBoundingRect()
    assert legend_box.bottom() <= view_box.top() + 1, (legend_box, view_box)

    table = dashboard.channel_table
    assert table.horizontalScrollBar().maximum() == 0  # every column in view
    header = table.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(table.columnCount()))
    assert used <= table.viewport().width()
    first_day = dashboard.day_table.item(0, 0).text()
    assert first_day and not re.match(r"\d{4}-\d{2}-\d{2}", first_day)  # "12/5/26", not ISO
    window.grab().save(str(tmp_path / "dashboard-1024.png"))
    window.grab().save("/tmp/dashboard-1024.png")

    # The campaigns list's "Last change" is written for people, not ISO text.
    window.show_screen("campaigns")
    model = window.campaigns.model
    text = model.data(model.index(model.row_of(campaign_id), 6), Qt.ItemDataRole.DisplayRole)
    assert text and "T" not in text and not text.startswith("20")


def test_placeholders_read_as_hints(qtbot):
    from designer.fields import DateTimeField, TimeField
    from engine.catalog import Param

    when = DateTimeField(Param("at", "datetime", "At"))
    time = TimeField(Param("start", "time", "From", default="09:00"))
    qtbot.addWidget(when)
    qtbot.addWidget(time)
    assert when.edit.placeholderText() == "e.g. 2026-12-01 09:00"
    assert time.edit.placeholderText() == "e.g. 09:00"
