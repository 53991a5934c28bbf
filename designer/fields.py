"""Editors for one parameter value each, chosen by the catalog's parameter kind.

Every editor shows a value and reads it back as `(value, error)`; `FieldRow` adds the
label, validates with `engine.catalog.check_value` as the user types, shows the message
under the field, and emits `committed(name, value)` only for valid values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from designer.action_icons import action_icon
from designer.values import (
    DURATION_UNITS,
    format_list,
    format_scalar,
    join_duration,
    parse_list,
    parse_scalar,
    split_duration,
)
from engine.catalog import WEEKDAYS, Param, check_value
from engine.rules import OPERATOR_LABELS
from engine.templating import check_syntax

ERROR_COLOR = "#d64545"


# ---- editors -----------------------------------------------------------------------


class FieldEditor(QWidget):
    """One value's editor. `changed` fires on every user change; read() gives (value, error).

    A value of None means "not given": the key is left out of the parameters.
    """

    changed = Signal()

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.param = param
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def read(self) -> tuple[Any, str | None]:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        """The widget that takes keyboard focus (tests type into it)."""
        return self

    def set_invalid(self, invalid: bool) -> None:
        target = self.focus_target()
        if target.property("invalid") != invalid:
            target.setProperty("invalid", invalid)
            target.style().unpolish(target)
            target.style().polish(target)

    def _emit(self, *_args: Any) -> None:
        self.changed.emit()


class TextField(FieldEditor):
    """One line of text (text, url)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_placeholder(param))
        if param.template:
            self.edit.setToolTip(
                QCoreApplication.translate(
                    "fields", "A Jinja2 template: {{ contact.first_name }} …"
                )
            )
        self.edit.textEdited.connect(self._emit)
        self._layout.addWidget(self.edit)

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def read(self) -> tuple[Any, str | None]:
        return _read_text(self.param, self.edit.text())

    def focus_target(self) -> QWidget:
        return self.edit


def _read_text(param: Param, text: str) -> tuple[Any, str | None]:
    """Blank is "not set"; a template is returned with its syntax error, if any."""
    if not text.strip():
        return None, None
    if param.template:
        error = check_syntax(text)
        if error:
            return text, f"{param.label}: template error: {error}"
    return text, None


class NameField(FieldEditor):
    """A name picked from suggestions or typed (segment, template, event, node, field)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # Long names (time zones) must not widen the inspector.
        self.combo.setMinimumContentsLength(8)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.lineEdit().setPlaceholderText(_placeholder(param))
        self.combo.lineEdit().textEdited.connect(self._emit)
        self.combo.activated.connect(self._emit)
        self._layout.addWidget(self.combo)

    def set_choices(self, names: list[str], shown: dict[str, str] | None = None) -> None:
        """Offer `names`; `shown` maps a name to what users read (a step's label for its
        internal id): the list and the field show that, the value stays the name."""
        self.shown = dict(shown or {})
        with QSignalBlocker(self.combo):
            text = self.combo.currentText()
            self.combo.clear()
            for name in sorted(set(names), key=lambda n: self.shown.get(n, n).lower()):
                self.combo.addItem(self.shown.get(name, name), name)
            self.combo.setEditText(text)

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        with QSignalBlocker(self.combo):
            self.combo.setEditText(getattr(self, "shown", {}).get(text, text))

    def read(self) -> tuple[Any, str | None]:
        text = self.combo.currentText().strip()
        for value, shown in getattr(self, "shown", {}).items():
            if shown == text:
                return value, None
        return (text or None), None

    def focus_target(self) -> QWidget:
        return self.combo.lineEdit()


class LongTextField(FieldEditor):
    """Several lines; monospaced and syntax-checked when it is a template."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText(_placeholder(param))
        self.edit.setTabChangesFocus(True)
        if param.template:
            font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            self.edit.setFont(font)
        self.edit.setMinimumHeight(72)
        self.edit.setMaximumHeight(160)
        self.edit.textChanged.connect(self._emit)
        self._layout.addWidget(self.edit)

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.edit):
            self.edit.setPlainText("" if value is None else str(value))

    def read(self) -> tuple[Any, str | None]:
        return _read_text(self.param, self.edit.toPlainText())

    def focus_target(self) -> QWidget:
        return self.edit


class IntField(FieldEditor):
    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.spin = QSpinBox()
        low = -(2**31) + 1 if param.minimum is None else int(param.minimum)
        high = 2**31 - 1 if param.maximum is None else int(param.maximum)
        self.spin.setRange(low, high)
        self.spin.setAccelerated(True)
        self.spin.setMinimumWidth(110)
        self.spin.valueChanged.connect(self._emit)
        self._layout.addWidget(self.spin)
        self._layout.addStretch(1)

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.spin):
            self.spin.setValue(int(value) if isinstance(value, (int, float)) else 0)

    def read(self) -> tuple[Any, str | None]:
        return self.spin.value(), None

    def focus_target(self) -> QWidget:
        return self.spin


class NumberField(FieldEditor):
    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(2)
        self.spin.setMinimumWidth(110)
        self.spin.setRange(
            -1e12 if param.minimum is None else param.minimum,
            1e12 if param.maximum is None else param.maximum,
        )
        self.spin.valueChanged.connect(self._emit)
        self._layout.addWidget(self.spin)
        self._layout.addStretch(1)

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.spin):
            self.spin.setValue(float(value) if isinstance(value, (int, float)) else 0.0)

    def read(self) -> tuple[Any, str | None]:
        value = self.spin.value()
        return (int(value) if float(value).is_integer() else value), None

    def focus_target(self) -> QWidget:
        return self.spin


class BoolField(FieldEditor):
    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        long_help = len(param.help or "") > 40
        self.check = QCheckBox(param.label if long_help else (param.help or param.label))
        self.check.toggled.connect(self._emit)
        if long_help:  # a checkbox cannot wrap: the sentence goes underneath, wrapped
            column = QVBoxLayout()
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(self.check)
            self.help = QLabel(param.help)
            self.help.setObjectName("fieldHelp")
            self.help.setWordWrap(True)
            self.help.setProperty("muted", True)
            column.addWidget(self.help)
            self._layout.addLayout(column, 1)
        else:
            self._layout.addWidget(self.check)

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.check):
            self.check.setChecked(bool(value if value is not None else self.param.default))

    def read(self) -> tuple[Any, str | None]:
        return self.check.isChecked(), None

    def focus_target(self) -> QWidget:
        return self.check


class ChoiceField(FieldEditor):
    """A fixed list; operators show in words ('is one of' for in)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.combo = QComboBox()
        for choice in param.choices:
            label = OPERATOR_LABELS.get(choice, choice) if param.name == "op" else choice
            self.combo.addItem(label.replace("_", " "), choice)
        self.combo.currentIndexChanged.connect(self._emit)
        self._layout.addWidget(self.combo)
        self._layout.addStretch(1)

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.combo):
            index = self.combo.findData(value if value is not None else self.param.default)
            self.combo.setCurrentIndex(max(index, 0))

    def read(self) -> tuple[Any, str | None]:
        return self.combo.currentData(), None

    def focus_target(self) -> QWidget:
        return self.combo


class DurationField(FieldEditor):
    """An amount and a unit ('2' 'days'), written as ISO 8601 ('P2D'); ISO may be typed too."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(QCoreApplication.translate("fields", "e.g. 2"))
        self.amount.setMaximumWidth(90)
        self.unit = QComboBox()
        for label, _, _ in DURATION_UNITS:
            self.unit.addItem(label)
        self.unit.setCurrentText("days")
        self.amount.textEdited.connect(self._typed)
        self.unit.currentIndexChanged.connect(self._emit)
        self._layout.addWidget(self.amount)
        self._layout.addWidget(self.unit)
        self._layout.addStretch(1)

    def _typed(self, text: str) -> None:
        self.unit.setEnabled(not text.strip().lstrip("-").upper().startswith("P"))
        self.changed.emit()

    def set_value(self, value: Any) -> None:
        amount, unit = split_duration(str(value)) if value else ("", "days")
        with QSignalBlocker(self.amount), QSignalBlocker(self.unit):
            self.amount.setText(amount)
            if unit:
                self.unit.setCurrentText(unit)
            self.unit.setEnabled(unit is not None)

    def read(self) -> tuple[Any, str | None]:
        value, error = join_duration(self.amount.text(), self.unit.currentText())
        if error:
            return None, f"{self.param.label}: {error}"
        return value, None

    def focus_target(self) -> QWidget:
        return self.amount


class DateTimeField(FieldEditor):
    """An ISO 8601 date-time typed or picked from a calendar (UTC when no zone is given)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            QCoreApplication.translate("fields", "e.g. {example}").format(
                example="2026-12-01 09:00"
            )
        )
        self.edit.textEdited.connect(self._emit)
        self.pick = QToolButton()
        self.pick.setIcon(action_icon("calendar", QColor("#6b7280"), 16))
        self.pick.setAutoRaise(True)
        self.pick.setToolTip(QCoreApplication.translate("fields", "Pick a date"))
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.pick)
        self.calendar = QCalendarWidget()
        self.calendar.clicked.connect(self._picked)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.pick.setMenu(menu)
        self._layout.addWidget(self.edit)
        self._layout.addWidget(self.pick)

    def _picked(self, date) -> None:
        current = QDateTime.fromString(self.edit.text().strip().replace(" ", "T"), Qt.ISODate)
        time = current.time().toString("HH:mm") if current.isValid() else "09:00"
        self.edit.setText(f"{date.toString('yyyy-MM-dd')}T{time}:00")
        self.pick.menu().hide()
        self.changed.emit()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def read(self) -> tuple[Any, str | None]:
        text = self.edit.text().strip()
        return (text.replace(" ", "T", 1) if text else None), None

    def focus_target(self) -> QWidget:
        return self.edit


class TimeField(FieldEditor):
    """A time of day, HH:MM."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            QCoreApplication.translate("fields", "e.g. {example}").format(
                example=param.default or "09:00"
            )
        )
        self.edit.setMaximumWidth(90)
        self.edit.textEdited.connect(self._emit)
        self._layout.addWidget(self.edit)
        self._layout.addStretch(1)

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def read(self) -> tuple[Any, str | None]:
        text = self.edit.text().strip()
        if re.fullmatch(r"\d:\d\d", text):  # 7:30 means 07:30
            text = "0" + text
        return (text or None), None

    def focus_target(self) -> QWidget:
        return self.edit


WEEKDAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


class WeekdaysField(FieldEditor):
    """Seven toggles, mon … sun."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self._layout.setSpacing(2)
        self.buttons: dict[str, QToolButton] = {}
        for day in WEEKDAYS:
            button = QToolButton()
            button.setText(day.capitalize()[:2])  # seven chips fit a narrow inspector
            button.setToolTip(WEEKDAY_NAMES.get(day, day))
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("Mo") + 18)
            button.setCheckable(True)
            button.setObjectName(f"day_{day}")
            button.setProperty("chip", True)
            button.toggled.connect(self._emit)
            self.buttons[day] = button
            self._layout.addWidget(button)
        self._layout.addStretch(1)

    def set_value(self, value: Any) -> None:
        days = value if isinstance(value, list) else (self.param.default or [])
        for day, button in self.buttons.items():
            with QSignalBlocker(button):
                button.setChecked(day in days)

    def read(self) -> tuple[Any, str | None]:
        return [d for d in WEEKDAYS if self.buttons[d].isChecked()], None

    def focus_target(self) -> QWidget:
        return self.buttons["mon"]


class StringsField(FieldEditor):
    """A list of names typed with commas: 'vip, newsletter'."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            QCoreApplication.translate("fields", "names, separated by commas")
        )
        self.edit.textEdited.connect(self._emit)
        self._layout.addWidget(self.edit)

    def set_value(self, value: Any) -> None:
        self.edit.setText(", ".join(value) if isinstance(value, list) else "")

    def read(self) -> tuple[Any, str | None]:
        # Empty pieces ("vip, " while typing) are ignored rather than refused.
        names = [part.strip() for part in self.edit.text().split(",") if part.strip()]
        if not names:
            return None, None
        return names, None

    def focus_target(self) -> QWidget:
        return self.edit


class ValueField(FieldEditor):
    """Any JSON scalar: 90 is a number, DE is text, "90" is text; a list for 'is one of'."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.list_mode = False
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            QCoreApplication.translate("fields", "text, number, true/false")
        )
        self.edit.textEdited.connect(self._emit)
        self._layout.addWidget(self.edit)

    def set_list_mode(self, on: bool) -> None:
        self.list_mode = on
        self.edit.setPlaceholderText(
            QCoreApplication.translate("fields", "values, separated by commas")
            if on
            else QCoreApplication.translate("fields", "text, number, true/false")
        )

    def set_value(self, value: Any) -> None:
        if value is None:
            self.edit.setText("")
        elif isinstance(value, (list, tuple)):
            self.edit.setText(format_list(value))
        else:
            self.edit.setText(format_scalar(value))

    def read(self) -> tuple[Any, str | None]:
        text = self.edit.text()
        if self.list_mode:
            return parse_list(text), None
        return (parse_scalar(text) if text.strip() else None), None

    def focus_target(self) -> QWidget:
        return self.edit


EDITORS: dict[str, type[FieldEditor]] = {
    "text": TextField,
    "url": TextField,
    "longtext": LongTextField,
    "int": IntField,
    "number": NumberField,
    "bool": BoolField,
    "choice": ChoiceField,
    "duration": DurationField,
    "datetime": DateTimeField,
    "time": TimeField,
    "weekdays": WeekdaysField,
    "segment": NameField,
    "template": NameField,
    "event": NameField,
    "node": NameField,
    "field": NameField,
    "strings": StringsField,
    "value": ValueField,
}


def make_editor(param: Param, parent: QWidget | None = None) -> FieldEditor:
    """The editor for a parameter's kind. Rules (designer.rule_editor.RuleField) and split
    branches (designer.branches_field.BranchesField) have editors of their own."""
    return EDITORS.get(param.kind, TextField)(param, parent)


def _placeholder(param: Param) -> str:
    if param.default is not None and not isinstance(param.default, (list, dict)):
        # A hint, never something that reads as a value already typed in.
        return QCoreApplication.translate("fields", "default: {value}").format(value=param.default)
    by_kind = {
        "url": "https://",
        "event": QCoreApplication.translate("fields", "e.g. purchase"),
        "field": QCoreApplication.translate("fields", "e.g. country"),
    }
    return by_kind.get(
        param.kind,
        QCoreApplication.translate("fields", "required")
        if param.required
        else QCoreApplication.translate("fields", "optional"),
    )


# ---- a labelled, validated row -----------------------------------------------------


class FieldRow(QWidget):
    """A label, an editor and the message under it; emits committed(name, value) when valid.

    `value` None means the parameter is removed. Invalid input never leaves the row.
    """

    committed = Signal(str, object)

    def __init__(
        self,
        param: Param,
        editor: FieldEditor | None = None,
        checker: Callable[[Any], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.param = param
        self.editor = editor or make_editor(param)
        # How a read value is checked; by default the catalog's check for the param's kind.
        self.checker = checker or (lambda value: check_value(param, value))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        # Qt's translation of a window-side label (settings form); catalog labels arrive
        # translated by the engine (engine.i18n) and pass through unchanged.
        self.label_text = QCoreApplication.translate("Fields", param.label)
        self.help_text = QCoreApplication.translate("Fields", param.help) if param.help else ""
        self.label = QLabel(self.label_text + ("" if not param.required else " *"))
        self.label.setObjectName("fieldLabel")
        self.label.setToolTip(self.help_text)
        bold = QFont(self.label.font())
        bold.setWeight(QFont.Weight.DemiBold)
        self.label.setFont(bold)
        if param.kind != "bool":
            layout.addWidget(self.label)
        layout.addWidget(self.editor)
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.hide()
        layout.addWidget(self.message)
        self.editor.setToolTip(self.help_text)
        self.editor.changed.connect(self._changed)
        self._name_for_screen_readers()

    def _name_for_screen_readers(self) -> None:
        """The label names the field (a Label relation via the buddy), the help describes it,
        so a placeholder such as "required" is not read as the description."""
        target = self.editor.focus_target()
        self.label.setBuddy(target)
        name = self.label_text + (QCoreApplication.translate("FieldRow", ", required")
                                   if self.param.required else "")  # fmt: skip
        no_focus = Qt.FocusPolicy.NoFocus
        inputs = [w for w in self.editor.findChildren(QWidget) if w.focusPolicy() != no_focus]
        for widget in {self.editor, target, *inputs}:
            if not widget.accessibleName():
                widget.setAccessibleName(name)
            widget.setAccessibleDescription(self.help_text)

    def set_value(self, value: Any) -> None:
        self.editor.set_value(value)
        self.show_error(None)

    def error(self) -> str | None:
        """What is wrong with the current input, or None."""
        value, error = self.editor.read()
        if error:
            return error
        if value is None:
            return f"{self.param.label} is required" if self.param.required else None
        return self.checker(value)

    def show_error(self, message: str | None) -> None:
        self.message.setText(message or "")
        self.message.setVisible(bool(message))
        self.editor.set_invalid(bool(message))
        target = self.editor.focus_target()
        target.setAccessibleDescription(message or self.help_text)

    def _changed(self) -> None:
        message = self.error()
        self.show_error(message)
        if message is None:
            self.committed.emit(self.param.name, self.editor.read()[0])
