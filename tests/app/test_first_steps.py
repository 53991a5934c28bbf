"""The stumbles of a marketer's first campaign (issue 13), each with real clicks and keys:
templates reaching an open campaign, saving a new template, leaving unsaved work, imports."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from shell_helpers import (
    click_button,
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
    when_modal,
    workspace,
)

from app.main_window import MainWindow
from designer.fields import NameField
from engine.clock import VirtualClock
from engine.diagram import Diagram, Edge, Node

LEFT = Qt.MouseButton.LeftButton


def click_node(qtbot, editor, node_id: str) -> None:
    """A real left click on the middle of a node's card."""
    centre = editor.scene.nodes[node_id].scene_card_rect().center()
    point = editor.view.mapFromScene(centre)
    qtbot.mouseClick(editor.view.viewport(), LEFT, pos=point)


def make_window(qtbot, tmp_path):
    ws = workspace(tmp_path, clock=VirtualClock())
    window = MainWindow(ws, start_engine=False)
    qtbot.addWidget(window)
    window.show()
    return ws, window


def welcome_campaign(window) -> int:
    d = Diagram("First", {"entry": "once"})
    d.nodes["start"] = Node("start", "trigger.event", {"event": "signup"})
    d.nodes["hello"] = Node("hello", "action.send_email", {"template": "Welcome"})
    d.edges.append(Edge("start", "hello", "out"))
    from engine.campaigns import save_campaign

    return save_campaign(window.workspace.engine, d, note="test")


def new_template(qtbot, window, name: str) -> None:
    screen = window.show_screen("templates")
    screen.new_template("email")
    screen.editor.name.setFocus()
    qtbot.keyClicks(screen.editor.name, name)
    qtbot.mouseClick(screen.save_button, LEFT)


def template_problems(page) -> list[str]:
    page.editor.problems.refresh()
    return [p.message for p in page.editor.problems.problems if "emplate" in p.message]


def test_a_template_made_later_reaches_the_open_campaign_at_once(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    page = window.open_campaign(welcome_campaign(window))
    assert template_problems(page), "the missing template is not reported"
    new_template(qtbot, window, "Welcome")
    assert template_problems(page) == []
    page.editor.inspector.show_node("hello")
    fields = [f for f in page.editor.inspector.findChildren(NameField)]
    choices = [f.combo.itemText(i) for f in fields for i in range(f.combo.count())]
    assert "Welcome" in choices


def open_questions(window) -> list[str]:
    """Questions on screen (the screens ask window-modal, without blocking)."""
    return [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_saving_a_new_template_asks_nothing(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    for name in ("One", "Two", "Three"):
        new_template(qtbot, window, name)
        screen = window.screens["templates"]
        QApplication.processEvents()
        assert open_questions(window) == []
        assert screen.status.text() == f"Saved “{name}”"
        assert not screen.dirty
    assert window.screens["templates"].list.count() == 3
    assert window.screens["templates"].header.subtitle.text().startswith("3 templates")


def wheel(widget, steps: int = -1) -> None:
    """A real wheel event over the middle of `widget` (negative: scroll down)."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_settings_instead_of_changing_a_field(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    window.resize(1024, 700)
    screen = window.show_screen("settings")
    qtbot.waitExposed(window)
    box = screen.cap_period
    bar = box.parentWidget()
    while not hasattr(bar, "verticalScrollBar"):
        bar = bar.parentWidget()
    bar = bar.verticalScrollBar()
    assert bar.maximum() > 0, "the settings fit at 1024×700: nothing to scroll"
    index, position = box.currentIndex(), bar.value()
    wheel(box)
    assert box.currentIndex() == index
    assert bar.value() > position
    assert not screen.is_modified()


def test_unsaved_settings_are_marked_and_asked_about_when_leaving(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    screen = window.show_screen("settings")
    qtbot.mouseClick(screen.quiet_enabled, LEFT)
    assert screen.status.text() == "● Unsaved changes"
    seen = when_modal(qtbot, lambda box: click_button(qtbot, box, "Cancel"))
    qtbot.mouseClick(window.nav_buttons["contacts"], LEFT)
    assert seen and window.stack.currentWidget() is screen
    assert window.nav_buttons["settings"].isChecked()
    seen = when_modal(qtbot, lambda box: click_button(qtbot, box, "Discard"))
    qtbot.mouseClick(window.nav_buttons["contacts"], LEFT)
    assert seen and window.stack.currentWidget() is window.screens["contacts"]
    assert not screen.quiet_enabled.isChecked() and not screen.is_modified()
    assert screen.status.text() == ""
    qtbot.mouseClick(window.nav_buttons["settings"], LEFT)
    screen.transport.setFocus()
    qtbot.keyClick(screen.transport, Qt.Key.Key_Down)  # SMTP server
    qtbot.keyClick(screen.smtp_host, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(screen.smtp_host, "smtp.example.org")
    seen = when_modal(qtbot, lambda box: click_button(qtbot, box, "Save"))
    qtbot.mouseClick(window.nav_buttons["templates"], LEFT)
    assert seen and window.stack.currentWidget() is window.screens["templates"]
    from app.settings_store import load_settings

    assert load_settings(window.workspace.engine)["smtp_host"] == "smtp.example.org"


def test_leaving_a_changed_campaign_asks_and_discard_reopens_it_as_stored(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    campaign_id = welcome_campaign(window)
    page = window.open_campaign(campaign_id)
    page.editor.add_node_in_view("wait.delay")
    assert page.is_modified() and len(page.diagram.nodes) == 3
    back = page.findChild(QPushButton, "backButton")
    seen = when_modal(qtbot, lambda box: click_button(qtbot, box, "Cancel"))
    qtbot.mouseClick(back, LEFT)
    assert seen and window.stack.currentWidget() is page
    seen = when_modal(qtbot, lambda box: click_button(qtbot, box, "Discard"))
    qtbot.mouseClick(back, LEFT)
    assert seen and window.stack.currentWidget() is window.screens["campaigns"]
    qtbot.waitUntil(lambda: window.campaign_page is None)
    QApplication.processEvents()  # the old page's deletion runs here (used to raise)
    page = window.open_campaign(campaign_id)
    assert len(page.diagram.nodes) == 2 and not page.is_modified()


def test_a_second_file_imports_on_its_first_click(qtbot, tmp_path):
    from app.import_dialog import ImportDialog
    from engine.db import open_database

    engine = open_database(tmp_path / "i.db")
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("email,first_name\na@example.com,Ann\n", encoding="utf-8")
    second.write_text("email,first_name\nb@example.com,Bo\nc@example.com,Cy\n", encoding="utf-8")
    dialog = ImportDialog(engine, kind="contacts")
    qtbot.addWidget(dialog)
    dialog.show()
    for path, added in ((first, "1 contact added"), (second, "2 contacts added")):
        dialog.file_edit.setFocus()
        dialog.file_edit.selectAll()
        qtbot.keyClicks(dialog.file_edit, str(path))
        qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
        assert dialog.import_button.text() == "Import"
        with qtbot.waitSignal(dialog.imported, timeout=20000):
            qtbot.mouseClick(dialog.import_button, LEFT)
        assert dialog.summary.text().startswith(added)


def _start_blast(window, n: int, goal: str | None = None) -> int:
    from sqlalchemy import insert

    from engine import campaigns
    from engine.db.schema import contacts

    engine = window.workspace.engine
    with engine.begin() as conn:
        conn.execute(
            insert(contacts),
            [
                {
                    "email": f"c{i}@example.com",
                    "first_name": f"C{i}",
                    "attributes": {},
                    "created_at": window.workspace.now(),
                }
                for i in range(n)
            ],
        )
    d = Diagram("Live", {"entry": "once"})
    d.nodes["start"] = Node("start", "trigger.manual", {"filter": {"all": []}}, (0, 0))
    d.nodes["pause"] = Node("pause", "wait.delay", {"duration": "P2D"}, (260, 0))
    d.nodes["bye"] = Node("bye", "exit", {}, (520, 0))
    d.edges += [Edge("start", "pause", "out"), Edge("pause", "bye", "out")]
    if goal:
        d.nodes["won"] = Node("won", "goal", {"event": goal}, (260, 200))
    campaign_id = campaigns.save_campaign(engine, d, note="test")
    campaigns.start(engine, campaign_id, window.workspace.now())
    window.workspace.service.run_once()
    return campaign_id


def test_a_live_campaign_keeps_the_editor_and_shows_a_nodes_figures(qtbot, tmp_path):
    _ws, window = make_window(qtbot, tmp_path)
    window.resize(1366, 768)
    campaign_id = _start_blast(window, 6)
    page = window.open_campaign(campaign_id)
    qtbot.waitUntil(lambda: page.scene.statistics_shown[0])
    editor = page.editor
    assert editor.palette.isVisible() and editor.palette.width() > 100
    assert editor.inspector.isVisible() and editor.inspector.width() > 200
    click_node(qtbot, editor, "pause")
    panel = editor.inspector.figures_panel
    assert panel.isVisible()
    text = panel.text()
    assert "Entered: <b>6</b>" in text and "Waiting here now: 6" in text
    # A forecast replaces the figures; clearing it brings the real ones back at once.
    page.show_forecast({"nodes": {"pause": {"entered": 99, "waiting": 99, "ports": {}}}})
    assert "Forecast" in panel.text()
    qtbot.mouseClick(page.findChild(QPushButton, "clearForecastButton"), LEFT)
    assert editor.scene.nodes["pause"].stats["entered"] == 6
    assert "Entered: <b>6</b>" in panel.text()


def test_a_contacts_journey_names_steps_as_users_see_them(qtbot, tmp_path):
    from app.journey import timeline_title
    from engine.store import contact_timeline

    _ws, window = make_window(qtbot, tmp_path)
    _start_blast(window, 2)
    with window.workspace.engine.connect() as conn:
        steps = [e for e in contact_timeline(conn, 1) if e["kind"] == "step"]
    titles = [timeline_title(e) for e in steps]
    assert "Reached “Blast”" in titles
    assert not any("start" in t or "“pause”" in t for t in titles)


def test_polish_no_results_line_sms_placeholder_and_a_clean_dashboard_picture(qtbot, tmp_path):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QImage

    from designer.palette import Palette

    palette = Palette()
    qtbot.addWidget(palette)
    palette.show()
    qtbot.keyClicks(palette.search, "zzzz")
    assert palette.no_results.isVisible()
    palette.search.clear()
    assert not palette.no_results.isVisible()

    _ws, window = make_window(qtbot, tmp_path)
    templates = window.show_screen("templates")
    templates.new_template("sms")
    assert "sms" in templates.editor.name.placeholderText()

    campaign_id = _start_blast(window, 3)
    board = window.open_dashboard(campaign_id)
    qtbot.waitUntil(board.isVisible)
    picture = board.export_png(tmp_path / "board.png")
    shown = board.body.grab().toImage()
    saved = QImage(str(picture)).convertToFormat(shown.format())
    holder = board.button_holder
    where = holder.geometry().translated(holder.parentWidget().mapTo(board.body, QPoint(0, 0)))
    assert saved.copy(where) != shown.copy(where)  # the buttons are not in the picture
    assert holder.isVisible()  # back on the page after the export


def test_the_forecast_offers_each_goal_and_starts_from_the_measured_rates(qtbot, tmp_path):
    from sqlalchemy import insert

    from app.simulate_dialog import SimulateDialog
    from engine import campaigns
    from engine.db.schema import events

    _ws, window = make_window(qtbot, tmp_path)
    campaign_id = _start_blast(window, 4, goal="purchase")
    engine = window.workspace.engine
    window.workspace.clock.advance(dt.timedelta(minutes=5))
    with engine.begin() as conn:  # one of the four buys
        conn.execute(
            insert(events).values(
                contact_id=1, name="purchase", occurred_at=window.workspace.now(), properties={}
            )
        )
    window.workspace.clock.advance(dt.timedelta(hours=1))
    window.workspace.service.run_once()
    dialog = SimulateDialog(window.workspace, campaigns.load_diagram(engine, campaign_id))
    qtbot.addWidget(dialog)
    assert dialog.rates["purchase"].value() == 25.0  # 1 of 4, measured
    assert dialog.assume()["purchase"] == 0.25
    assert "already inside" in dialog.inside_note.text()
