"""Per-campaign "Track opens" / "Track clicks" in the campaign settings form: ticked as the
workspace is, a click stores the campaign's own choice, undo and a second click follow the
workspace again; the saved file's choice is what the engine's link tracking honours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from designer.editor import CampaignEditor
from engine import fileformat
from engine.public.tokens import MessageToken
from engine.public.tracking import Tracking, instrument

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "campaigns"
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def editor(qtbot):
    from engine.validation import ValidationContext

    widget = CampaignEditor()
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    assert widget.open_file(SAMPLES / "win_back.campaign.json")
    widget.set_context(
        ValidationContext(workspace_defaults={"track_opens": False, "track_clicks": True})
    )
    widget.scene.select_nodes([])
    return widget


def click(qtbot, editor, key: str) -> None:
    check = editor.inspector.rows[key].editor.check
    editor.inspector.scroll.ensureWidgetVisible(check)
    qtbot.mouseClick(check, LEFT, pos=check.rect().center())


def test_the_switches_start_as_the_workspace_and_store_only_a_difference(qtbot, editor):
    rows = editor.inspector.rows
    opens, clicks = rows["track_opens"].editor, rows["track_clicks"].editor
    assert opens.check.text() == "Track opens" and clicks.check.text() == "Track clicks"
    assert not opens.check.isChecked() and clicks.check.isChecked()  # the workspace's
    assert "As in the workspace" in opens.note.text()

    click(qtbot, editor, "track_clicks")
    assert editor.diagram.settings["track_clicks"] is False
    assert "workspace says on" in editor.inspector.rows["track_clicks"].editor.note.text()
    click(qtbot, editor, "track_opens")
    assert editor.diagram.settings["track_opens"] is True
    saved = json.loads(fileformat.dumps(editor.diagram))
    assert saved["settings"]["track_clicks"] is False
    assert saved["settings"]["track_opens"] is True

    # What the engine does with the saved settings: no tracked links, but the pixel.
    html = '<p><a href="https://shop.example/sale">Sale</a></p>'
    tracking = Tracking(public_url="https://t.example", opens=False, clicks=True)
    out = instrument(html, b"k" * 32, tracking, MessageToken(1, 1, "hello", "k1"), saved)
    assert 'href="https://shop.example/sale"' in out and "/o/" in out

    editor.undo_stack.undo()
    assert "track_opens" not in editor.diagram.settings
    assert not editor.inspector.rows["track_opens"].editor.check.isChecked()
    click(qtbot, editor, "track_clicks")  # back to the workspace's choice: nothing stored
    assert "track_clicks" not in editor.diagram.settings
    assert fileformat.dumps(editor.diagram) == (SAMPLES / "win_back.campaign.json").read_text()


def test_without_a_database_the_switches_are_on_as_the_engine_defaults(qtbot):
    widget = CampaignEditor()
    qtbot.addWidget(widget)
    widget.show()
    assert widget.open_file(SAMPLES / "win_back.campaign.json")
    widget.scene.select_nodes([])
    rows = widget.inspector.rows
    assert rows["track_opens"].editor.check.isChecked()
    assert rows["track_clicks"].editor.check.isChecked()
    widget.inspector.grab().save("/tmp/tracking_switches.png")
