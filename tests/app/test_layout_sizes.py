"""Every screen whole at 1024×700 and 1366×768 (issue 13): the window keeps the size it was
given, no button or label narrower than its text, nothing outside the window, no form wider
than its panel — on the campaigns list, contacts, segments, templates, settings, the editor
(campaign settings, a node, live figures) and the dashboard, in the light and dark styles."""

from __future__ import annotations

import pytest
from layout_check import clipped_widgets
from shell_helpers import (
    build_demo_db,
    copy_db,
    keep_data_in,
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
)

from app.main_window import MainWindow, open_workspace
from app.style import apply_style
from engine.clock import VirtualClock

SIZES = ((1024, 700), (1366, 768))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("demo"), contacts=120)


def screens(window):
    """(name, show) for every screen and state a marketer sees."""
    first = window.campaigns.model.rows[0]["id"]

    def editor_settings():
        window.open_campaign(first).editor.scene.clear_selection()

    def editor_node():
        page = window.open_campaign(first)
        page.editor.scene.select_nodes([next(iter(page.diagram.nodes))])

    def editor_figures():
        page = window.open_campaign(first)
        page.stats_toggle.setChecked(True)
        page.editor.scene.select_nodes([next(iter(page.diagram.nodes))])

    yield "campaigns", lambda: window.show_screen("campaigns")
    for key in ("contacts", "segments", "templates", "settings"):
        yield key, lambda k=key: window.show_screen(k)
    yield "editor with campaign settings", editor_settings
    yield "editor with a node", editor_node
    yield "editor with figures", editor_figures
    yield "dashboard", lambda: window.open_dashboard(first)


@pytest.fixture
def styled(qapp):
    """The app's style for one test; the next test gets the light one again (the theme is
    an application property the shared conftest does not restore)."""
    yield lambda theme: apply_style(qapp, theme)
    apply_style(qapp, "light")
    qapp.setProperty("campaignStudioTheme", None)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_screen_is_whole(qtbot, styled, tmp_path, demo_db, width, height, theme):
    keep_data_in(tmp_path)
    styled(theme)
    db = copy_db(demo_db, tmp_path)
    window = MainWindow(open_workspace(str(db), clock=VirtualClock()), start_engine=False)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    found = {}
    for name, show in screens(window):
        show()
        qtbot.waitUntil(lambda: window.stack.currentWidget().isVisible())
        size = (window.width(), window.height())
        problems = clipped_widgets(window)
        if size != (width, height):
            problems.insert(0, f"the window grew to {size[0]}×{size[1]}")
        if problems:
            found[name] = problems[:8]
    assert found == {}


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_screen_is_whole_right_to_left(qapp, qtbot, styled, tmp_path, demo_db, width, height):
    """As app.i18n.set_language does for Arabic or Hebrew: the layout mirrored, nothing cut,
    the campaign editor's inspector wholly inside the window."""
    from PySide6.QtCore import QRect, Qt

    keep_data_in(tmp_path)
    styled("light")
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        db = copy_db(demo_db, tmp_path)
        window = MainWindow(open_workspace(str(db), clock=VirtualClock()), start_engine=False)
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        assert window.isRightToLeft()
        found = {}
        for name, show in screens(window):
            show()
            qtbot.waitUntil(lambda: window.stack.currentWidget().isVisible())
            problems = clipped_widgets(window)
            size = (window.width(), window.height())
            if size != (width, height):
                problems.insert(0, f"the window grew to {size[0]}×{size[1]}")
            if name.startswith("editor"):
                inspector = window.campaign_page.editor.inspector
                where = QRect(inspector.mapTo(window, inspector.rect().topLeft()), inspector.size())
                if not (inspector.isVisible() and window.rect().contains(where)):
                    problems.append(f"inspector at {where.getRect()}, not inside the window")
                elif inspector.width() < 200:
                    problems.append(f"inspector only {inspector.width()} px wide")
            if problems:
                found[name] = problems[:8]
        assert found == {}
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
