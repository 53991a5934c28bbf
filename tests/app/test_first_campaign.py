"""The first campaign of a marketer who knows Mautic or Braze, at 1024×700, by mouse and
keyboard (issue 13): an empty database, contacts imported, a segment, three templates, a
campaign built by dropping palette entries on the canvas and dragging from ports to
connect them, a node renamed with F2, a wait and an "Opened email?" condition set in the
inspector, saved, started — then the per-node figures, which add up on every node. Every
screen on the way is checked for anything cut off."""

from __future__ import annotations

import datetime as dt

from layout_check import clipped_widgets
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from shell_helpers import (
    click_button,
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
    when_modal,
    workspace,
)

from app.import_dialog import ImportDialog
from app.main_window import MainWindow
from engine.clock import VirtualClock
from engine.node_names import adds_up

LEFT = Qt.MouseButton.LeftButton
START = dt.datetime(2026, 3, 2, 9, 0)
PEOPLE = """email,first_name,last_name,tags
ana@example.com,Ana,Lopez,newsletter
ben@example.com,Ben,Okafor,newsletter
cy@example.com,Cy,Park,newsletter
"""


def whole(window) -> None:
    assert (window.width(), window.height()) == (1024, 700), "the window grew"
    assert clipped_widgets(window) == []


def choose_menu_entry(qtbot, button: QPushButton, index: int) -> None:
    """Click a button that opens a menu, then pick entry `index` with the keyboard."""

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(20, pick)
            return
        for _ in range(index + 1):  # the first Down lights up the first entry
            qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(0, pick)
    qtbot.mouseClick(button, LEFT)


def import_contacts(qtbot, window, tmp_path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    screen = window.show_screen("contacts")
    whole(window)
    qtbot.mouseClick(screen.table.import_button, LEFT)
    dialog = screen.findChild(ImportDialog)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.file_edit, str(path))
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.imported, timeout=20000):
        qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.summary.text().startswith("3 contacts added")
    qtbot.mouseClick(dialog.cancel_button, LEFT)  # "Close"


def make_segment(qtbot, window) -> None:
    screen = window.show_screen("segments")
    whole(window)
    qtbot.mouseClick(screen.new_button, LEFT)
    qtbot.keyClicks(screen.name, "Newsletter")
    qtbot.mouseClick(screen.static_radio, LEFT)
    qtbot.keyClicks(screen.add_members_edit, "ana@example.com ben@example.com cy@example.com")
    qtbot.keyClick(screen.add_members_edit, Qt.Key.Key_Return)
    qtbot.mouseClick(screen.save_button, LEFT)
    assert screen.status.text().startswith("Saved"), screen.status.text()


def make_templates(qtbot, window) -> None:
    screen = window.show_screen("templates")
    whole(window)
    for name in ("Welcome", "Reminder", "Thanks"):
        choose_menu_entry(qtbot, screen.new_button, 0)  # Email
        qtbot.waitUntil(lambda: screen.editor.name.text() == "")
        qtbot.keyClicks(screen.editor.name, name)
        qtbot.mouseClick(screen.save_button, LEFT)
        assert screen.status.text() == f"Saved “{name}”"
    assert screen.list.count() == 3


def new_campaign(qtbot, window):
    screen = window.show_screen("campaigns")
    whole(window)

    def fill(dialog) -> None:
        dialog.findChild(QLineEdit, "newCampaignName").setFocus()
        qtbot.keyClicks(dialog.findChild(QLineEdit, "newCampaignName"), "First campaign")
        click_button(qtbot, dialog, "Create")

    seen = when_modal(qtbot, fill)
    qtbot.mouseClick(screen.new_button, LEFT)
    assert seen
    qtbot.waitUntil(lambda: window.campaign_page is not None and window.campaign_page.isVisible())
    return window.campaign_page


def drop(editor, key: str, at: QPoint) -> str:
    """Drag a palette entry's data onto the canvas at a viewport point; the new node's id."""
    palette = editor.palette
    mime = palette.tree.mimeData([palette.items[key]])
    viewport = editor.view.viewport()
    actions, buttons = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    mods = Qt.KeyboardModifier.NoModifier
    before = set(editor.diagram.nodes)
    QApplication.sendEvent(viewport, QDragEnterEvent(at, actions, mime, buttons, mods))
    QApplication.sendEvent(viewport, QDragMoveEvent(at, actions, mime, buttons, mods))
    QApplication.sendEvent(viewport, QDropEvent(QPointF(at), actions, mime, buttons, mods))
    (added,) = set(editor.diagram.nodes) - before
    return added


def connect(qtbot, editor, source: str, port: str, target: str) -> None:
    """Press on the output port, move in steps, release on the target's card."""
    view, scene = editor.view, editor.scene
    start = view.mapFromScene(scene.nodes[source].port_scene_pos(port))
    end = view.mapFromScene(scene.nodes[target].scene_card_rect().center())
    viewport = view.viewport()
    qtbot.mousePress(viewport, LEFT, pos=start)
    for i in range(1, 7):
        qtbot.mouseMove(viewport, start + (end - start) * i / 6)
    qtbot.mouseRelease(viewport, LEFT, pos=end)
    assert any(
        e.source == source and e.port == port and e.target == target for e in editor.diagram.edges
    ), f"{source}.{port} → {target} not connected"


def select(qtbot, editor, node_id: str) -> None:
    centre = editor.view.mapFromScene(editor.scene.nodes[node_id].scene_card_rect().center())
    qtbot.mouseClick(editor.view.viewport(), LEFT, pos=centre)
    assert editor.scene.selected_node_ids() == [node_id]
    assert editor.inspector.node_id == node_id


def type_into(qtbot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


def leave_quietly(window) -> None:
    """A failed step must not leave a question that blocks closing the window."""
    page = window.campaign_page
    if page is not None:
        page.editor.undo_stack.setClean()
    settings = window.screens.get("settings")
    if settings is not None:
        settings.load()


def test_the_first_campaign_at_1024_by_700(qtbot, tmp_path):
    clock = VirtualClock(START)
    window = MainWindow(workspace(tmp_path, clock=clock), start_engine=False)
    qtbot.addWidget(window)
    try:
        first_campaign(qtbot, window, clock, tmp_path)
    finally:
        leave_quietly(window)


def first_campaign(qtbot, window, clock, tmp_path) -> None:
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    import_contacts(qtbot, window, tmp_path)
    make_segment(qtbot, window)
    make_templates(qtbot, window)
    page = new_campaign(qtbot, window)
    editor = page.editor
    whole(window)

    # Build: zoom out with the keyboard so six nodes fit, then drop them from the palette.
    editor.view.setFocus()
    while editor.view.zoom() > 0.55:
        qtbot.keyClick(editor.view, Qt.Key.Key_Minus)
    w, h = editor.view.viewport().width(), editor.view.viewport().height()
    spots = [QPoint(int(w * x), int(h * y)) for y in (0.2, 0.55, 0.85) for x in (0.2, 0.7)]

    def panels():
        QApplication.processEvents()
        view = editor.view
        return (editor.palette.width(), view.width(), editor.inspector.width(),
                view.mapTo(window, QPoint(0, 0)))  # fmt: skip

    before = panels()
    start = drop(editor, "trigger.manual", spots[0])
    assert page.is_modified() and "unsaved" in page.version_label.text()
    assert panels() == before, "the canvas moved when the unsaved mark appeared"
    hello = drop(editor, "action.send_email", spots[1])
    pause = drop(editor, "wait.delay", spots[2])
    opened = drop(editor, "condition.opened_email", spots[3])
    thanks = drop(editor, "action.send_email", spots[5])
    remind = drop(editor, "action.send_email", spots[4])
    for source, port, target in ((start, "out", hello), (hello, "out", pause),
                                 (pause, "out", opened), (opened, "yes", thanks),
                                 (opened, "no", remind)):  # fmt: skip
        connect(qtbot, editor, source, port, target)
    whole(window)

    # Name the welcome email with F2, then set each node in the inspector by keyboard.
    window.activateWindow()  # the dialogs on the way had the keyboard
    qtbot.waitUntil(window.isActiveWindow)
    select(qtbot, editor, hello)
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)
    label = editor.inspector.label_edit
    assert QApplication.focusWidget() is label
    qtbot.keyClicks(label, "Welcome mail")
    qtbot.keyClick(label, Qt.Key.Key_Return)
    assert editor.diagram.nodes[hello].label == "Welcome mail"
    rows = editor.inspector.rows
    type_into(qtbot, rows["template"].editor.combo.lineEdit(), "Welcome")
    for node_id, template in ((thanks, "Thanks"), (remind, "Reminder")):
        select(qtbot, editor, node_id)
        type_into(qtbot, editor.inspector.rows["template"].editor.combo.lineEdit(), template)
    select(qtbot, editor, start)
    type_into(qtbot, editor.inspector.rows["segment"].editor.combo.lineEdit(), "Newsletter")
    select(qtbot, editor, pause)
    type_into(qtbot, editor.inspector.rows["duration"].editor.amount, "2")
    select(qtbot, editor, opened)
    which = editor.inspector.rows["node"].editor.combo
    shown = [which.itemText(i) for i in range(which.count())]
    assert "Welcome mail" in shown and hello not in shown  # names, not ids
    type_into(qtbot, which.lineEdit(), "Welcome mail")
    whole(window)
    d = editor.diagram
    assert d.nodes[opened].params["node"] == hello
    assert d.nodes[opened].params["event"] == "email_opened"
    assert d.nodes[pause].params["duration"] == "P2D"
    editor.problems.refresh()
    errors = [p.message for p in editor.problems.problems if p.severity == "error"]
    assert errors == []

    # Save and start with the header's buttons; the engine runs a pass.
    qtbot.mouseClick(page.save_button, LEFT)
    assert not page.is_modified()
    qtbot.mouseClick(page.lifecycle_buttons["start"], LEFT)
    assert page.record["status"] == "live", page.message.text()
    window.workspace.service.run_once()
    page.refresh_statistics()
    figures = editor.scene.node_figures
    assert figures[start]["entered"] == 3 and figures[hello]["sent"] == 3
    assert figures[pause]["waiting"] == 3
    whole(window)

    # Two days later nobody opened: all three took "no" to the reminder.
    clock.advance(dt.timedelta(days=2, hours=1))
    window.workspace.service.run_once()
    page.refresh_statistics()
    figures = editor.scene.node_figures
    assert figures[opened]["ports"] == {"yes": 0, "no": 3}
    assert figures[remind]["sent"] == 3
    for node_id, node in d.nodes.items():
        assert adds_up(figures[node_id], node.type.startswith("action.send")), node_id
    select(qtbot, editor, opened)
    panel = editor.inspector.figures_panel.text()
    assert "Entered: <b>3</b>" in panel and "No → “Send email" in panel
    whole(window)
