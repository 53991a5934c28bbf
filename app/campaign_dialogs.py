"""Dialogs and small widgets of the campaigns screen: new campaign, schedule, confirm, messages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import announce, name_view


def sample_campaigns() -> list[tuple[str, Path]]:
    """(name, path) of the sample campaigns shipped in resources/campaigns."""
    from engine.fileformat import parse_text
    from engine.paths import resource

    out = []
    for path in sorted(resource("campaigns").glob("*.campaign.json")):
        try:
            name = parse_text(path.read_text(encoding="utf-8"), str(path)).get("name") or path.stem
        except Exception:
            continue
        out.append((str(name), path))
    return out


class NewCampaignDialog(QDialog):
    """Blank, or from a sample; and a name."""

    def __init__(self, taken: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("campaign_dialogs", "New campaign"))
        self.taken = {t.lower() for t in taken}
        self.samples = sample_campaigns()
        self.choices = QListWidget()
        name_view(
            self.choices,
            QCoreApplication.translate("campaign_dialogs", "Start from"),
            QCoreApplication.translate(
                "campaign_dialogs", "An empty campaign or one of the samples"
            ),
        )
        self.choices.setObjectName("newCampaignChoices")
        self.choices.setSpacing(3)  # two-line entries: keep one choice apart from the next
        blank = QListWidgetItem("Blank campaign\nStart from an empty canvas")
        blank.setData(Qt.ItemDataRole.UserRole, None)
        self.choices.addItem(blank)
        for name, path in self.samples:
            item = QListWidgetItem(f"{name}\nSample: {path.name}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.choices.addItem(item)
        self.choices.setCurrentRow(0)
        self.name = QLineEdit()
        self.name.setObjectName("newCampaignName")
        self.name.setPlaceholderText(
            QCoreApplication.translate("campaign_dialogs", "Campaign name")
        )
        self.problem = QLabel("")
        self.problem.setObjectName("formProblem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            QCoreApplication.translate("campaign_dialogs", "Create")
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(QCoreApplication.translate("campaign_dialogs", "Start from")))
        layout.addWidget(self.choices)
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("campaign_dialogs", "Name"), self.name)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.choices.currentRowChanged.connect(self._suggest_name)
        self._suggest_name(0)
        self.resize(440, 380)

    def _suggest_name(self, row: int) -> None:
        base = "Untitled campaign" if row <= 0 else self.samples[row - 1][0]
        self.name.setText(self.unique(base))

    def unique(self, base: str) -> str:
        name, i = base, 2
        while name.lower() in self.taken:
            name = f"{base} ({i})"
            i += 1
        return name

    def sample_path(self) -> Path | None:
        item = self.choices.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item else None
        return Path(value) if value else None

    def _accept(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.problem.setText(
                QCoreApplication.translate("campaign_dialogs", "Give the campaign a name.")
            )
            return
        if name.lower() in self.taken:
            self.problem.setText(f"A campaign called “{name}” already exists.")
            return
        self.accept()


class ScheduleDialog(QDialog):
    """A start date-time and an optional end, in local time (stored as UTC)."""

    def __init__(
        self, start: datetime | None = None, end: datetime | None = None, parent: Any = None
    ):
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("campaign_dialogs", "Schedule campaign"))
        now = QDateTime.currentDateTime().addSecs(3600)
        self.start = QDateTimeEdit(_local(start) if start else now)
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.has_end = QCheckBox(QCoreApplication.translate("campaign_dialogs", "End at"))
        self.end = QDateTimeEdit(_local(end) if end else now.addDays(30))
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.has_end.setChecked(end is not None)
        self.end.setEnabled(end is not None)
        self.has_end.toggled.connect(self.end.setEnabled)
        self.problem = QLabel("")
        self.problem.setObjectName("formProblem")
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("campaign_dialogs", "Start at"), self.start)
        form.addRow(self.has_end, self.end)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            QCoreApplication.translate("campaign_dialogs", "Schedule")
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            QLabel(
                QCoreApplication.translate("campaign_dialogs", "Times are in your local time zone.")
            )
        )
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def values(self) -> tuple[datetime, datetime | None]:
        """(start, end) as naive UTC."""
        start = _utc(self.start.dateTime())
        end = _utc(self.end.dateTime()) if self.has_end.isChecked() else None
        return start, end

    def _accept(self) -> None:
        start, end = self.values()
        if end is not None and end <= start:
            self.problem.setText(
                QCoreApplication.translate("campaign_dialogs", "The end must come after the start.")
            )
            return
        self.accept()


def _local(value: datetime) -> QDateTime:
    utc = QDateTime(value.date(), value.time(), QTimeZone.utc())
    return utc.toLocalTime()


def _utc(value: QDateTime) -> datetime:
    return value.toUTC().toPython().replace(tzinfo=None, second=0, microsecond=0)


def ask(parent: QWidget, title: str, text: str, action: str) -> bool:
    """A yes/no question whose Yes button names the action."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)  # fmt: skip
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setObjectName("confirmBox")
    box.exec()
    return box.clickedButton() is yes


class MessageBar(QLabel):
    """A line above a screen for what just happened or went wrong (never a modal box)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.setProperty("kind", kind)
        self.setText(text)
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()
        announce(self, text, assertive=kind == "error")


class Card(QFrame):
    """One headline figure."""

    def __init__(self, label: str, value: str, note: str = "") -> None:
        super().__init__()
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        title = QLabel(label.upper())
        title.setObjectName("cardLabel")
        title.setWordWrap(True)  # cards get narrow at 200% scale and in longer languages
        self.value = QLabel(value)
        self.value.setObjectName("cardValue")
        layout.addWidget(title)
        layout.addWidget(self.value)
        self.note = QLabel(note)
        self.note.setObjectName("cardNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
