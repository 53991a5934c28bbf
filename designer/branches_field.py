"""The A/B split's branches editor: a table of port name and percent, with add and remove."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.fields import ERROR_COLOR, FieldEditor
from engine.catalog import Param


class BranchesField(FieldEditor):
    """The split's branches as a table of port name and percent, with add and remove."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("branches_field", "Branch"),
                QCoreApplication.translate("branches_field", "Percent"),
            ]
        )
        self.table.setAccessibleName(QCoreApplication.translate("branches_field", "Branches"))
        self.table.setTabKeyNavigation(False)  # one Tab stop; arrows move between cells
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMaximumHeight(150)
        self.table.itemChanged.connect(self._emit)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(QCoreApplication.translate("branches_field", "+ Branch"))
        self.remove_button = QPushButton(QCoreApplication.translate("branches_field", "Remove"))
        self.total = QLabel()
        self.add_button.clicked.connect(self.add_branch)
        self.remove_button.clicked.connect(self.remove_branch)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.total)
        box.addWidget(self.table)
        box.addLayout(buttons)
        self._layout.addLayout(box)

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.table):
            self.table.setRowCount(0)
            for branch in value if isinstance(value, list) else []:
                if isinstance(branch, dict):
                    self._append(str(branch.get("port", "")), branch.get("percent", 0))
        self._show_total()

    def _append(self, port: str, percent: Any) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(port))
        item = QTableWidgetItem(f"{percent:g}" if isinstance(percent, (int, float)) else "")
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, 1, item)

    def add_branch(self) -> None:
        taken = {self.table.item(r, 0).text() for r in range(self.table.rowCount())}
        name = next(
            c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "".join(map(str, range(99))) if c not in taken
        )
        with QSignalBlocker(self.table):
            self._append(name, 0)
        self.changed.emit()

    def remove_branch(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.rowCount():
            rows = [self.table.rowCount() - 1]
        with QSignalBlocker(self.table):
            for row in rows:
                self.table.removeRow(row)
        self.changed.emit()

    def _show_total(self) -> None:
        value, _ = self.read()
        if value is None:
            self.total.setText(QCoreApplication.translate("branches_field", "Total ?"))
            self.total.setStyleSheet(f"color: {ERROR_COLOR}")
            return
        total = sum(b["percent"] for b in value if isinstance(b.get("percent"), (int, float)))
        self.total.setText(f"Total {total:g}%")
        self.total.setStyleSheet("" if abs(total - 100) < 1e-9 else f"color: {ERROR_COLOR}")

    def _emit(self, *_args: Any) -> None:
        self._show_total()
        self.changed.emit()

    def read(self) -> tuple[Any, str | None]:
        branches = []
        for row in range(self.table.rowCount()):
            port = self.table.item(row, 0).text().strip() if self.table.item(row, 0) else ""
            text = self.table.item(row, 1).text().strip() if self.table.item(row, 1) else ""
            try:
                percent: Any = float(text.rstrip("%").replace(",", "."))
                percent = int(percent) if percent.is_integer() else percent
            except ValueError:
                return None, f"Branch {port or row + 1}: {text!r} is not a percentage"
            branches.append({"port": port, "percent": percent})
        return branches, None

    def focus_target(self) -> QWidget:
        return self.table
