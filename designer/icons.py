"""Node icons: small monochrome SVGs in resources/icons, tinted and cached as pixmaps."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"


@cache
def _svg(name: str) -> bytes | None:
    path = ICON_DIR / f"{name}.svg"
    try:
        return path.read_bytes()
    except OSError:
        return None


def icon_names() -> list[str]:
    """Every icon shipped in resources/icons."""
    return sorted(p.stem for p in ICON_DIR.glob("*.svg"))


@lru_cache(maxsize=256)
def _renderer(name: str, rgba: int) -> QSvgRenderer | None:
    data = _svg(name)
    if data is None:
        return None
    # The SVGs draw with currentColor; substituting the tint keeps strokes crisp.
    colour = QColor.fromRgba(rgba)
    text = data.decode("utf-8").replace("currentColor", colour.name())
    renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
    return renderer if renderer.isValid() else None


def icon_renderer(name: str, colour: QColor) -> QSvgRenderer | None:
    """The icon as vectors (for SVG export), tinted `colour`."""
    return _renderer(name, colour.rgba()) if name else None


@lru_cache(maxsize=512)
def _pixmap(name: str, rgba: int, size: int, scale: int) -> QPixmap | None:
    renderer = _renderer(name, rgba)
    if renderer is None:
        return None
    pixels = size * scale
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    return QPixmap.fromImage(image)


def icon_pixmap(name: str, colour: QColor, size: int = 18, scale: float = 1.0) -> QPixmap | None:
    """The icon `name` drawn in `colour`, `size` logical pixels, sharp at zoom `scale`."""
    if not name:
        return None
    steps = 1 if scale <= 1.0 else 2 if scale <= 2.0 else 4
    return _pixmap(name, colour.rgba(), size, steps)


def node_icon(name: str, colour: QColor, size: int = 20) -> QIcon:
    """A QIcon for menus and the palette."""
    pixmap = icon_pixmap(name, colour, size, 2)
    icon = QIcon()
    if pixmap is not None:
        pixmap.setDevicePixelRatio(2.0)
        icon.addPixmap(pixmap)
    return icon
