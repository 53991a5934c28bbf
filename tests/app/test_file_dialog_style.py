"""The window's dark sidebar style stays in the window: a file dialog's list of places (a
QListView that Qt also names "sidebar") keeps light colours in the light theme."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QFileDialog, QFrame, QListView

from app.style import PALETTES, apply_style


def _darkness(widget) -> float:
    image = widget.grab().toImage()
    point = image.rect().center()
    return QColor(image.pixel(point.x(), image.height() - 4)).lightnessF()


def test_the_file_dialog_sidebar_is_not_the_windows_dark_sidebar(qtbot, tmp_path):
    app = QApplication.instance()
    before = app.styleSheet()
    apply_style(app, "light")
    try:
        window_sidebar = QFrame()
        window_sidebar.setObjectName("sidebar")
        window_sidebar.resize(180, 200)
        qtbot.addWidget(window_sidebar)
        window_sidebar.show()
        dialog = QFileDialog(None, "Export", str(tmp_path))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        dialog.show()
        places = dialog.findChild(QListView, "sidebar")
        assert places is not None
        qtbot.waitExposed(dialog)
        dark = QColor(PALETTES["light"]["sidebar"]).lightnessF()
        assert abs(_darkness(window_sidebar) - dark) < 0.05  # the window's own: dark
        assert _darkness(places) > 0.8  # the dialog's places: light, as the dialog
        dialog.grab().save(str(tmp_path / "dialog.png"))
        dialog.grab().save("/tmp/file_dialog.png")
    finally:
        app.setStyleSheet(before)
