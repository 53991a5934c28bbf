"""Every colour pair of both themes passes WCAG 2.1 AA, computed from the theme tables; the
style sheet draws inputs, focus and status chips with the colours the pairs check; the date
picker's days are not cut to "…"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QStyleOptionViewItem, QTableView
from shell_helpers import own_preferences  # noqa: F401  (preferences in tmp_path)

from app.contrast import app_pairs
from app.style import PALETTES, apply_style, style_sheet
from designer.contrast import NON_TEXT, TEXT, canvas_pairs, contrast_ratio, panel_pairs
from designer.panel_style import panel_style
from designer.theme import THEMES


def test_the_wcag_formula_gives_the_published_figures():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_every_colour_pair_passes_aa(theme):
    pairs = app_pairs(theme) + canvas_pairs(THEMES[theme]) + panel_pairs(THEMES[theme])
    assert len(pairs) >= 100
    assert {p.minimum for p in pairs} == {TEXT, NON_TEXT}
    failing = [
        f"{p.what}: {p.foreground} on {p.background} = {p.ratio:.2f}:1 < {p.minimum}"
        for p in pairs
        if p.ratio < p.minimum
    ]
    assert failing == []


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_the_style_sheets_use_the_checked_colours(theme):
    app_sheet = style_sheet(theme)
    colours = PALETTES[theme]
    assert f"border: 1px solid {colours['field_border']}" in app_sheet
    assert f"border: 2px solid {colours['focus']}" in app_sheet
    assert f"color: {colours['accent_text']}" in app_sheet
    panel_sheet = panel_style(THEMES[theme])
    from designer.panel_style import PANEL_COLOURS

    assert f"border: 1px solid {PANEL_COLOURS[theme]['field_border']}" in panel_sheet
    assert f"color: {PANEL_COLOURS[theme]['on_accent']}" in panel_sheet


def _pixel_contrast(image, x, y, against: str) -> float:
    return contrast_ratio(QColor(image.pixel(x, y)).name(), against)


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_a_focused_input_has_a_visible_ring(qapp, qtbot, theme):
    apply_style(qapp, theme)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.resize(200, 34)
    field.show()
    qtbot.waitExposed(field)
    window = PALETTES[theme]["surface"]
    middle = field.height() // 2
    unfocused = field.grab().toImage()
    # the edge, one pixel in: the 1 px input border (≥ 3:1 against the surface)
    edge = max(_pixel_contrast(unfocused, x, middle, window) for x in range(0, 3))
    assert edge >= NON_TEXT
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    focused = field.grab().toImage()
    ring = [QColor(focused.pixel(x, middle)).name() for x in range(0, 3)]
    assert PALETTES[theme]["focus"] in ring


def _slack_of_every_day(calendar: QCalendarWidget) -> int:
    view = calendar.findChild(QTableView)
    model = view.model()
    worst = 10_000
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            option.initFrom(view)
            option.rect = view.visualRect(index)
            option.text = str(index.data())
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
            text_rect = view.style().subElementRect(
                QStyle.SubElement.SE_ItemViewItemText, option, view
            )
            needed = view.fontMetrics().horizontalAdvance(option.text)
            worst = min(worst, text_rect.width() - needed)
    return worst


def test_the_date_picker_shows_whole_day_numbers(qapp, qtbot):
    apply_style(qapp, "light")
    calendar = QCalendarWidget()
    calendar.setSelectedDate(QDate(2026, 12, 5))
    qtbot.addWidget(calendar)
    calendar.resize(calendar.sizeHint())
    calendar.show()
    qtbot.waitExposed(calendar)
    assert _slack_of_every_day(calendar) >= 0


def test_the_system_asking_for_more_contrast_gets_the_high_contrast_theme(qapp):
    from PySide6.QtCore import QSettings

    from app.main_window import preferred_theme

    settings = QSettings("campaign-studio", "campaign-studio")  # in tmp_path (own_preferences)
    settings.setValue("theme", "system")
    style_hints = qapp.styleHints()
    asked = style_hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast
    assert (preferred_theme(qapp) == "high-contrast") == asked
    settings.setValue("theme", "high-contrast")
    assert preferred_theme(qapp) == "high-contrast"
