"""Export: a non-empty PNG that loads, and a valid SVG with the node titles as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from canvas_helpers import load_sample
from PySide6.QtGui import QImage, QUndoStack

from designer.export import ExportError, export_png, export_svg
from designer.scene import CampaignScene
from designer.theme import DARK


def test_png_export_writes_a_sharp_image_of_the_whole_diagram(qtbot, tmp_path):
    scene = CampaignScene(load_sample("win_back"), QUndoStack())
    scene.select_nodes(["ab"])
    path = export_png(scene, tmp_path / "campaign.png")
    image = QImage(str(path))
    assert not image.isNull()
    content = scene.content_rect()
    assert image.width() >= content.width() * 2  # 2x by default
    assert image.height() >= content.height() * 2
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)
    }
    assert len(colours) > 50  # cards, icons, text: not a blank canvas
    assert scene.selected_node_ids() == ["ab"]  # selection survives, but is not drawn


def test_svg_export_is_valid_xml_with_text(qtbot, tmp_path):
    scene = CampaignScene(load_sample("win_back"), QUndoStack(), theme=DARK)
    path = export_svg(scene, tmp_path / "campaign.svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    text = path.read_text(encoding="utf-8")
    assert "Subject test" in text and "Email: winback-news" in text
    assert "Win back inactive customers" in text  # the title
    assert "<image" not in text  # vector cards, not cached bitmaps of them


def test_export_into_a_missing_folder_is_a_clear_error(qtbot, tmp_path):
    scene = CampaignScene(load_sample("birthday"), QUndoStack())
    with pytest.raises(ExportError, match="could not write"):
        export_svg(scene, tmp_path / "nope" / "x.svg")
    with pytest.raises(ExportError, match="could not write"):
        export_png(scene, tmp_path / "nope" / "x.png")


def test_every_node_type_has_a_drawn_icon(qtbot):
    from PySide6.QtGui import QColor

    from designer import icons
    from engine.catalog import NODE_TYPES

    for spec in NODE_TYPES:
        pixmap = icons.icon_pixmap(spec.icon, QColor("#2563eb"), 18, 2.0)
        assert pixmap is not None, spec.icon
        image = pixmap.toImage()
        inked = sum(
            1
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y).alpha() > 0
        )
        assert 20 < inked < image.width() * image.height() * 0.7, spec.icon
        assert not icons.node_icon(spec.icon, QColor("#16a34a")).isNull()
