"""The contacts screen's filter bar (segment, tag, one field test, status) and the bar of
actions on the selected contacts. Widgets only: the queries are engine.contact_bulk's."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.flow_layout import flow_row
from app.screen_parts import Debouncer
from designer.values import parse_list, parse_scalar
from engine.contact_bulk import ContactFilter
from engine.rules import LIST_OPERATORS, OPERATOR_LABELS, OPERATORS, UNARY_OPERATORS

STATUS_CHOICES = (
    ("", QT_TRANSLATE_NOOP("contacts", "Any status")),
    ("subscribed", QT_TRANSLATE_NOOP("contacts", "Subscribed")),
    ("unsubscribed", QT_TRANSLATE_NOOP("contacts", "Unsubscribed")),
    ("bounced", QT_TRANSLATE_NOOP("contacts", "Bounced")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("contacts", text)


def _combo(name: str, accessible: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    return combo


class FilterBar(QWidget):
    """Narrow the list: segment, tag, status and a field test; emits the ContactFilter."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.segment = _combo(
            "segmentFilter", QCoreApplication.translate("contacts", "Filter by segment")
        )
        self.tag = _combo("tagFilter", QCoreApplication.translate("contacts", "Filter by tag"))
        self.status = _combo(
            "statusFilter", QCoreApplication.translate("contacts", "Filter by status")
        )
        for value, text in STATUS_CHOICES:
            self.status.addItem(_tr(text), value)
        self.field = _combo(
            "fieldFilter", QCoreApplication.translate("contacts", "Filter by field")
        )
        self.op = _combo("opFilter", QCoreApplication.translate("contacts", "Comparison"))
        self.op.setMinimumContentsLength(6)
        for op in OPERATORS:
            self.op.addItem(OPERATOR_LABELS[op], op)
        self.value = QLineEdit()
        self.value.setObjectName("valueFilter")
        self.value.setAccessibleName(
            QCoreApplication.translate("contacts", "Value to compare with")
        )
        self.value.setPlaceholderText(QCoreApplication.translate("contacts", "e.g. DE"))
        self.value.setMaximumWidth(180)
        self.clear_button = QPushButton(QCoreApplication.translate("contacts", "Clear filters"))
        self.clear_button.setObjectName("clearFiltersButton")
        self.clear_button.clicked.connect(self.clear)
        self.problem = QLabel("")
        self.problem.setObjectName("formProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.set_choices({})

        holder, row = flow_row()
        for widget in (self.segment, self.tag, self.status, self.field, self.op, self.value,
                       self.clear_button):  # fmt: skip
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(holder)
        layout.addWidget(self.problem)

        self.debounce = Debouncer(300, self._emit, self)
        for combo in (self.segment, self.tag, self.status, self.op):
            combo.currentIndexChanged.connect(self._emit)
        self.field.currentIndexChanged.connect(self._emit)
        self.value.textChanged.connect(self.debounce.poke)
        self.value.returnPressed.connect(self.debounce.flush)
        self.op.currentIndexChanged.connect(self._show_value)
        self._show_value()

    def set_choices(self, choices: dict[str, list[str]]) -> None:
        """Fill the lists (segments, tags, fields), keeping what is chosen."""
        for combo, key, first in (
            (self.segment, "segments", QCoreApplication.translate("contacts", "Any segment")),
            (self.tag, "tags", QCoreApplication.translate("contacts", "Any tag")),
            (self.field, "fields", QCoreApplication.translate("contacts", "Any field")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, "")
            for name in choices.get(key, []):
                combo.addItem(name, name)
            found = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(0, found))
            combo.blockSignals(False)

    def _show_value(self) -> None:
        op = self.op.currentData()
        self.value.setVisible(op not in UNARY_OPERATORS)
        list_hint = QCoreApplication.translate("contacts", "e.g. DE, FR")
        self.value.setPlaceholderText(
            list_hint if op in LIST_OPERATORS else QCoreApplication.translate("contacts", "e.g. DE")
        )

    def current(self) -> ContactFilter:
        op = self.op.currentData() or "eq"
        text = self.value.text().strip()
        value: Any = parse_list(text) if op in LIST_OPERATORS else parse_scalar(text)
        return ContactFilter(
            segment=self.segment.currentData() or "",
            tag=self.tag.currentData() or "",
            field=self.field.currentData() or "",
            op=op,
            value=value,
            status=self.status.currentData() or "",
        )

    def clear(self) -> None:
        for combo in (self.segment, self.tag, self.status, self.field, self.op):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.value.blockSignals(True)
        self.value.clear()
        self.value.blockSignals(False)
        self._show_value()
        self._emit()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text[:1].upper() + text[1:] + ("" if text.endswith(".") else "."))
        self.problem.setVisible(bool(text))
        if not text:
            self.problem.setText("")

    def _emit(self, *_args: Any) -> None:
        self.changed.emit(self.current())


# (action, button text, tooltip) — the actions on the selected contacts, in bar order.
BULK_ACTIONS = (
    (
        "tag",
        QT_TRANSLATE_NOOP("contacts", "Add tag…"),
        QT_TRANSLATE_NOOP("contacts", "Give the selected contacts a tag"),
    ),
    (
        "untag",
        QT_TRANSLATE_NOOP("contacts", "Remove tag…"),
        QT_TRANSLATE_NOOP("contacts", "Take a tag off the selected contacts"),
    ),
    (
        "segment",
        QT_TRANSLATE_NOOP("contacts", "Add to segment…"),
        QT_TRANSLATE_NOOP("contacts", "Add the selected contacts to a static segment"),
    ),
    (
        "export",
        QT_TRANSLATE_NOOP("contacts", "Export…"),
        QT_TRANSLATE_NOOP("contacts", "Save the selected contacts as a CSV file"),
    ),
    (
        "unsubscribe",
        QT_TRANSLATE_NOOP("contacts", "Unsubscribe…"),
        QT_TRANSLATE_NOOP("contacts", "Unsubscribe the selected contacts (logged on each)"),
    ),
    (
        "delete",
        QT_TRANSLATE_NOOP("contacts", "Delete…"),
        QT_TRANSLATE_NOOP("contacts", "Delete the selected contacts and their history"),
    ),
)


class BulkBar(QWidget):
    """ "N selected" and the actions on them; `triggered(action)` when one is clicked."""

    triggered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkBar")
        self.count = QLabel("")
        self.count.setObjectName("selectionCount")
        self.buttons: dict[str, QPushButton] = {}
        holder, row = flow_row()
        for action, text, tip in BULK_ACTIONS:
            button = QPushButton(_tr(text))
            button.setObjectName(f"{action}SelectedButton")
            button.setToolTip(_tr(tip))
            button.clicked.connect(lambda _c=False, a=action: self.triggered.emit(a))
            self.buttons[action] = button
            row.addWidget(button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count)
        layout.addWidget(holder, 1)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        from engine.i18n import plural_text

        text = QCoreApplication.translate("contacts", "%n selected", "", count)
        self.count.setText(
            plural_text(text, count)
            if count
            else QCoreApplication.translate("contacts", "Select contacts to act on them")
        )
        for button in self.buttons.values():
            button.setEnabled(count > 0)
