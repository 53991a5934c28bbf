"""A minimal main window hosting one CampaignEditor, with File/Edit/View/Arrange menus
built from designer.actions (used by tests and by `python -m designer FILE`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow

from designer.actions import fill_menus
from designer.editor import CampaignEditor


class DesignerWindow(QMainWindow):
    """One campaign in one window; the title follows the editor ('name • file*')."""

    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__()
        self.editor = CampaignEditor(self)
        self.setCentralWidget(self.editor)
        self.menus = fill_menus(self.menuBar(), self.editor.actions)
        self.editor.titleChanged.connect(self._title)
        self._title(self.editor.title())
        self.resize(1400, 860)
        if path is not None:
            self.editor.open_file(path)

    def _title(self, title: str) -> None:
        # Qt shows "[*]" as "*" while the window is modified.
        self.setWindowTitle(f"{title.removesuffix('*')}[*] — Campaign Studio")
        self.setWindowModified(title.endswith("*"))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.editor.confirm_discard():
            event.accept()
        else:
            event.ignore()


def main(argv: list[str] | None = None) -> int:
    """Open the designer on an optional campaign file."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    app = QApplication.instance() or QApplication([sys.argv[0], *args])
    app.setApplicationName("Campaign Studio")
    window = DesignerWindow(args[0] if args else None)
    window.show()
    return app.exec()
