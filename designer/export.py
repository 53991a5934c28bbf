"""Export the diagram as a PNG image or an SVG drawing (vector, via QSvgGenerator)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

if TYPE_CHECKING:
    from designer.scene import CampaignScene

MARGIN = 40.0


class ExportError(OSError):
    """The image could not be written (bad folder, no permission...)."""


def export_rect(scene: CampaignScene) -> QRectF:
    rect = scene.content_rect()
    if rect.isNull():
        rect = QRectF(0, 0, 400, 300)
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


@contextmanager
def _clean_render(scene: CampaignScene) -> Iterator[None]:
    """Paint as a document: no grid, no selection outlines, no cached pixmaps in vectors."""
    selected = scene.selectedItems()
    edges = scene.selected_edges()
    scene.blockSignals(True)
    scene.clear_selection()
    cached = [i for i in scene.items() if i.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    modes = [i.cacheMode() for i in cached]
    for item in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    grid, scene.show_grid = scene.show_grid, False
    try:
        yield
    finally:
        scene.show_grid = grid
        for item, mode in zip(cached, modes, strict=True):
            item.setCacheMode(mode)
        for item in selected:
            item.setSelected(True)
        for edge in edges:
            scene.select_edge(edge)
        scene.blockSignals(False)


def render_image(scene: CampaignScene, scale: float = 2.0) -> QImage:
    """The whole diagram as an image at `scale` pixels per scene unit."""
    source = export_rect(scene)
    size = QSize(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(scene.theme.background)
    with _clean_render(scene):
        painter = QPainter(image)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        scene.render(
            painter,
            QRectF(0, 0, size.width(), size.height()),
            source,
            Qt.AspectRatioMode.KeepAspectRatio,
        )
        painter.end()
    return image


def export_png(scene: CampaignScene, path: str | Path, scale: float = 2.0) -> Path:
    """Write the diagram as a PNG (2× by default, sharp on high-density screens)."""
    path = Path(path)
    if not render_image(scene, scale).save(str(path), "PNG"):
        raise ExportError(f"could not write the image {path}")
    return path


def export_svg(scene: CampaignScene, path: str | Path, title: str | None = None) -> Path:
    """Write the diagram as an SVG drawing, in scene units."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"could not write {path}: no folder {path.parent}")
    source = export_rect(scene)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(round(source.width()), round(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle(title or scene.diagram.name)
    generator.setDescription("Campaign Studio diagram")
    with _clean_render(scene):
        painter = QPainter()
        if not painter.begin(generator):
            raise ExportError(f"could not write {path}")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(QRectF(0, 0, source.width(), source.height()), scene.theme.background)
        scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
        painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise ExportError(f"could not write {path}")
    return path
