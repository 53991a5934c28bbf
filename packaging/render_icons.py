"""Render resources/icons/app.svg into the bitmaps installers want: app.png (256 px, Linux),
app.ico (Windows) and app.icns (macOS). Run after changing the SVG; the results are committed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(svg: Path, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv)
    svg = ICONS / "app.svg"
    written = []
    for name, size, fmt in (
        ("app.png", 256, "PNG"),
        ("app.ico", 256, "ICO"),
        ("app.icns", 512, "ICNS"),
    ):
        target = ICONS / name
        if render(svg, size).save(str(target), fmt):
            written.append(f"{name} ({target.stat().st_size} bytes)")
        else:
            print(f"render_icons: could not write {name} (no {fmt} image plugin)", file=sys.stderr)
    print("render_icons: " + ", ".join(written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
