"""The campaign settings form (shown in the inspector when no node is selected): name,
entry rule, schedule, time zone, quiet hours, frequency cap, owner, UTM and parent."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from designer.commands import EditName, EditSettings
from designer.fields import (
    DateTimeField,
    DurationField,
    FieldEditor,
    FieldRow,
    NameField,
    TextField,
    TimeField,
)
from engine.catalog import Param
from engine.diagram import Diagram
from engine.durations import DurationError, parse_datetime, parse_duration, parse_time_of_day


@lru_cache(maxsize=1)
def time_zone_names() -> list[str]:
    return sorted(available_timezones())


@lru_cache(maxsize=1)
def time_zone_names_set() -> frozenset[str]:
    return frozenset(time_zone_names())


class EntryField(FieldEditor):
    """Once, every time, or again after a duration."""

    CHOICES = (
        ("once", "Once per contact"),
        ("every_time", "Every time the trigger fires"),
        ("after", "Again after a while"),
    )

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.combo = QComboBox()
        for key, label in self.CHOICES:
            self.combo.addItem(label, key)
        self.after = DurationField(Param("entry", "duration", "Re-entry after"))
        self.combo.currentIndexChanged.connect(self._mode)
        self.after.changed.connect(self._emit)
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.combo)
        box.addWidget(self.after)
        self._layout.addLayout(box)
        self.after.hide()

    def _mode(self) -> None:
        self.after.setVisible(self.combo.currentData() == "after")
        self.changed.emit()

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.combo):
            if value in (None, "once", "every_time"):
                self.combo.setCurrentIndex(self.combo.findData(value or "once"))
            else:
                self.combo.setCurrentIndex(2)
                self.after.set_value(value)
        self.after.setVisible(self.combo.currentData() == "after")

    def read(self) -> tuple[Any, str | None]:
        mode = self.combo.currentData()
        if mode != "after":
            return mode, None
        value, error = self.after.read()
        if error:
            return None, error
        return value, (None if value else "Say how long before a contact may enter again")

    def focus_target(self) -> QWidget:
        return self.combo


class QuietHoursField(FieldEditor):
    """'Hold sends between 21:00 and 08:00' — a switch and two times."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.enabled = QCheckBox(QCoreApplication.translate("settings_form", "Hold sends between"))
        self.start = TimeField(Param("start", "time", "From", default="21:00"))
        self.end = TimeField(Param("end", "time", "To", default="08:00"))
        for field in (self.start, self.end):  # "21:00" whole, not "21:…"
            field.edit.setMinimumWidth(field.edit.fontMetrics().horizontalAdvance("00:00") + 22)
        # Two lines, so the row fits a 300 px inspector: the switch, then the two times.
        times = QHBoxLayout()
        times.setSpacing(4)
        times.addWidget(self.start)
        times.addWidget(QLabel(QCoreApplication.translate("settings_form", "and")))
        times.addWidget(self.end)
        times.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(4)
        column.addWidget(self.enabled, 0, Qt.AlignmentFlag.AlignLeft)  # clickable where it reads
        column.addLayout(times)
        self._layout.addLayout(column, 1)
        self.enabled.toggled.connect(self._toggled)
        self.start.changed.connect(self._emit)
        self.end.changed.connect(self._emit)

    def _toggled(self, on: bool) -> None:
        if on and not self.start.edit.text():
            self.start.set_value("21:00")
            self.end.set_value("08:00")
        self.changed.emit()

    def set_value(self, value: Any) -> None:
        on = isinstance(value, list) and len(value) == 2
        with QSignalBlocker(self.enabled):
            self.enabled.setChecked(on)
        self.start.set_value(value[0] if on else "")
        self.end.set_value(value[1] if on else "")

    def read(self) -> tuple[Any, str | None]:
        if not self.enabled.isChecked():
            return None, None
        times = [self.start.read()[0] or "", self.end.read()[0] or ""]
        for text in times:
            try:
                parse_time_of_day(text)
            except DurationError as exc:
                return None, f"Quiet hours: {exc}"
        return times, None

    def focus_target(self) -> QWidget:
        return self.enabled


class TrackingField(FieldEditor):
    """ "Track opens" / "Track clicks" for this campaign. Ticked as the workspace is unless the
    campaign says otherwise; a choice equal to the workspace's stores nothing (it follows)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.workspace: bool = True  # the workspace setting (engine.settings DEFAULTS: on)
        self.check = QCheckBox(QCoreApplication.translate("Fields", param.label))
        self.check.toggled.connect(self._emit)
        self.note = QLabel("")
        self.note.setObjectName("fieldHelp")
        self.note.setProperty("muted", True)
        self.note.setWordWrap(True)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.check, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.note)
        self._layout.addLayout(column, 1)
        self._value: Any = None

    def set_workspace(self, on: bool) -> None:
        self.workspace = on
        self.set_value(self._value)

    def set_value(self, value: Any) -> None:
        self._value = value if isinstance(value, bool) else None
        with QSignalBlocker(self.check):
            self.check.setChecked(self.workspace if self._value is None else self._value)
        self._show_note()

    def _show_note(self) -> None:
        if self._value is None:
            text = QCoreApplication.translate("settings_form", "As in the workspace settings")
        else:
            text = QCoreApplication.translate(
                "settings_form", "For this campaign only (the workspace says {state})"
            ).format(
                state=QCoreApplication.translate("settings_form", "on")
                if self.workspace
                else QCoreApplication.translate("settings_form", "off")
            )
        self.note.setText(text)

    def read(self) -> tuple[Any, str | None]:
        on = self.check.isChecked()
        return (None if on == self.workspace else on), None

    def _emit(self, *_args: Any) -> None:
        self._value = self.read()[0]
        self._show_note()
        super()._emit()

    def focus_target(self) -> QWidget:
        return self.check


class FrequencyCapField(FieldEditor):
    """'At most 3 messages per 1 day' — a switch, a count and a duration."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.enabled = QCheckBox(QCoreApplication.translate("settings_form", "At most"))
        self.count = QSpinBox()
        self.count.setRange(1, 1000)
        self.count.setValue(3)
        self.count.setMaximumWidth(60)
        self.per = DurationField(Param("per", "duration", "Per"))
        self.per.amount.setPlaceholderText("1")  # the room holds a number, not "e.g. 2"
        self.per.amount.setMinimumWidth(self.per.amount.fontMetrics().horizontalAdvance("000") + 22)
        # Two lines, so the row fits a 300 px inspector: "At most [3]", then "per [1 day]".
        first, second = QHBoxLayout(), QHBoxLayout()
        first.addWidget(self.enabled)
        first.addWidget(self.count)
        first.addStretch(1)
        second.addWidget(QLabel(QCoreApplication.translate("settings_form", "per")))
        second.addWidget(self.per, 1)
        column = QVBoxLayout()
        column.setSpacing(4)
        column.addLayout(first)
        column.addLayout(second)
        self._layout.addLayout(column, 1)
        self.enabled.toggled.connect(self._toggled)
        self.count.valueChanged.connect(self._emit)
        self.per.changed.connect(self._emit)

    def _toggled(self, on: bool) -> None:
        if on and not self.per.amount.text():
            self.per.set_value("P1D")
        self.changed.emit()

    def set_value(self, value: Any) -> None:
        on = isinstance(value, dict)
        with QSignalBlocker(self.enabled), QSignalBlocker(self.count):
            self.enabled.setChecked(on)
            if on and isinstance(value.get("count"), int):
                self.count.setValue(value["count"])
        self.per.set_value(value.get("per") if on else None)

    def read(self) -> tuple[Any, str | None]:
        if not self.enabled.isChecked():
            return None, None
        per, error = self.per.read()
        if error or not per:
            return None, error or "Frequency cap: say per how long"
        try:
            parse_duration(per)
        except DurationError as exc:
            return None, f"Frequency cap: {exc}"
        return {"count": self.count.value(), "per": per}, None

    def focus_target(self) -> QWidget:
        return self.enabled


def _check_zone(value: Any) -> str | None:
    if str(value) in time_zone_names_set() or str(value) == "UTC":
        return None
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder: OSError
        return f"Unknown time zone {value!r} (e.g. Europe/Berlin)"
    return None


def _check_datetime(label: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        try:
            parse_datetime(value)
        except DurationError as exc:
            return f"{label}: {exc}"
        return None

    return check


# key, editor class, param, section
SETTINGS_FIELDS: tuple[tuple[str, type[FieldEditor], Param, str], ...] = (
    ("name", TextField, Param("name", "text", "Campaign name", required=True), "Campaign"),
    (
        "owner",
        TextField,
        Param("owner", "text", "Owner", "Who is told about this campaign."),
        "Campaign",
    ),
    (
        "utm_campaign",
        TextField,
        Param("utm_campaign", "text", "UTM campaign", "Added to links as utm_campaign."),
        "Campaign",
    ),
    (
        "parent",
        TextField,
        Param("parent", "text", "Parent campaign", "A parent campaign's name."),
        "Campaign",
    ),
    ("entry", EntryField, Param("entry", "choice", "Contacts enter"), "Entry"),
    (
        "start_at",
        DateTimeField,
        Param("start_at", "datetime", "Starts", "Empty: when started."),
        "Entry",
    ),
    (
        "end_at",
        DateTimeField,
        Param("end_at", "datetime", "Ends", "Empty: runs until stopped."),
        "Entry",
    ),
    (
        "timezone",
        NameField,
        Param("timezone", "text", "Time zone", "For contacts without their own time zone."),
        "Delivery",
    ),
    ("quiet_hours", QuietHoursField, Param("quiet_hours", "value", "Quiet hours"), "Delivery"),
    (
        "frequency_cap",
        FrequencyCapField,
        Param("frequency_cap", "value", "Frequency cap"),
        "Delivery",
    ),
    (
        "track_opens",
        TrackingField,
        Param("track_opens", "bool", "Track opens", "An invisible picture in each email."),
        "Tracking",
    ),
    (
        "track_clicks",
        TrackingField,
        Param("track_clicks", "bool", "Track clicks", "Links go through the public address."),
        "Tracking",
    ),
)
CHECKERS: dict[str, Callable[[Any], str | None]] = {
    "timezone": _check_zone,
    "start_at": _check_datetime("Starts"),
    "end_at": _check_datetime("Ends"),
    "entry": lambda value: None,
    "quiet_hours": lambda value: None,
    "frequency_cap": lambda value: None,
    "track_opens": lambda value: None,
    "track_clicks": lambda value: None,
}


class SettingsForm(QWidget):
    """Campaign-wide settings; each valid edit becomes one (merged while typing) command."""

    def __init__(
        self,
        diagram: Diagram,
        push: Callable[[Any], None],
        session: Callable[[], int],
        parent: QWidget | None = None,
        workspace_defaults: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.diagram = diagram
        self._push = push
        self._session = session
        self.rows: dict[str, FieldRow] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        section = None
        for key, editor_class, param, title in SETTINGS_FIELDS:
            if title != section:
                section = title
                heading = QLabel(QCoreApplication.translate("Fields", title).upper())
                heading.setObjectName("sectionTitle")
                layout.addWidget(heading)
            editor = editor_class(param)
            if key == "timezone":
                editor.set_choices(time_zone_names())
            if isinstance(editor, TrackingField):
                on = (workspace_defaults or {}).get(key)
                editor.set_workspace(on is not False)  # unknown: the engine's default, on
            row = FieldRow(param, editor, CHECKERS.get(key))
            row.setObjectName(f"setting_{key}")
            row.committed.connect(self._commit)
            self.rows[key] = row
            layout.addWidget(row)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        """Show the diagram's current settings."""
        for key, row in self.rows.items():
            row.set_value(self.diagram.name if key == "name" else self.diagram.settings.get(key))

    def _commit(self, key: str, value: Any) -> None:
        session = (key, self._session())
        if key == "name":
            if value and value != self.diagram.name:
                self._push(EditName(self.diagram, value, session))
            return
        settings = copy.deepcopy(self.diagram.settings)
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
        if settings != self.diagram.settings:
            self._push(EditSettings(self.diagram, settings, session))
