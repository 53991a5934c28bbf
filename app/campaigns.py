"""The campaigns screen: every campaign with its status and figures, and its lifecycle actions.

Status changes go through engine.campaigns; the buttons follow `allowed_actions(status)`.
"""

from __future__ import annotations

import inspect
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import name_view
from app.campaign_dialogs import Card, MessageBar, NewCampaignDialog, ScheduleDialog, ask
from app.contact_text import format_time
from app.flow_layout import flow_row
from app.style import status_colour
from engine.catalog import CATALOG
from engine.i18n import number, percent, plural_text

STATUSES = ("draft", "scheduled", "live", "paused", "stopped", "completed")
_STATUS_NAMES = (  # for lupdate: the names status_name() shows
    QT_TRANSLATE_NOOP("campaigns", "Draft"),
    QT_TRANSLATE_NOOP("campaigns", "Scheduled"),
    QT_TRANSLATE_NOOP("campaigns", "Live"),
    QT_TRANSLATE_NOOP("campaigns", "Paused"),
    QT_TRANSLATE_NOOP("campaigns", "Stopped"),
    QT_TRANSLATE_NOOP("campaigns", "Completed"),
)


def status_name(status: str) -> str:
    """A campaign status as the user reads it ("live" → "Live", "Aktiv")."""
    return QCoreApplication.translate("campaigns", status.capitalize())


# (action name, button text, tooltip) — the lifecycle buttons, in toolbar order.
LIFECYCLE = (
    (
        "start",
        QT_TRANSLATE_NOOP("campaigns", "Start"),
        QT_TRANSLATE_NOOP("campaigns", "Start the campaign now: contacts begin to enter"),
    ),
    (
        "schedule",
        QT_TRANSLATE_NOOP("campaigns", "Schedule…"),
        QT_TRANSLATE_NOOP(
            "campaigns", "Start (and optionally end) the campaign at a date and time"
        ),
    ),
    (
        "pause",
        QT_TRANSLATE_NOOP("campaigns", "Pause"),
        QT_TRANSLATE_NOOP(
            "campaigns", "Hold every contact where it is; nothing is sent while paused"
        ),
    ),
    (
        "resume",
        QT_TRANSLATE_NOOP("campaigns", "Resume"),
        QT_TRANSLATE_NOOP("campaigns", "Carry on from where the campaign was paused"),
    ),
    (
        "stop",
        QT_TRANSLATE_NOOP("campaigns", "Stop"),
        QT_TRANSLATE_NOOP("campaigns", "End the campaign for good: contacts inside leave"),
    ),
)
COLUMNS = (
    QT_TRANSLATE_NOOP("campaigns", "Name"),
    QT_TRANSLATE_NOOP("campaigns", "Status"),
    QT_TRANSLATE_NOOP("campaigns", "Trigger"),
    QT_TRANSLATE_NOOP("campaigns", "Enrolled"),
    QT_TRANSLATE_NOOP("campaigns", "Converted"),
    QT_TRANSLATE_NOOP("campaigns", "Conversion"),
    QT_TRANSLATE_NOOP("campaigns", "Last change"),
)


def trigger_summary(definition: dict | None) -> str:
    """The campaign's triggers in words, from its stored document."""
    if not isinstance(definition, dict):
        return ""
    parts = []
    for node in definition.get("nodes") or []:
        if not isinstance(node, dict) or not str(node.get("type", "")).startswith("trigger."):
            continue
        node_type = CATALOG.get(node["type"])
        if node_type is None:
            continue
        parts.append(node_type.describe(node.get("params") or {}))
    return "; ".join(parts)


def _when(value: Any) -> str:
    return format_time(value) if isinstance(value, datetime) else str(value or "")


class CampaignsModel(QAbstractTableModel):
    """A table over engine.campaigns.list_campaigns; `refresh()` re-reads it, keeping rows."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    StatusRole = Qt.ItemDataRole.UserRole + 2
    SortRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, engine: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.rows: list[dict] = []

    def refresh(self) -> None:
        from engine.campaigns import list_campaigns

        rows = list_campaigns(self.engine, definitions=True)
        for row in rows:
            definition = row.pop("definition", None)
            if not row.get("trigger"):
                row["trigger"] = trigger_summary(definition)
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, campaign_id: int) -> int:
        for i, row in enumerate(self.rows):
            if row.get("id") == campaign_id:
                return i
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("campaigns", COLUMNS[section])
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.TextAlignmentRole and 3 <= section <= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        enrolled = int(row.get("enrolled") or 0)
        converted = int(row.get("converted") or 0)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.get("name", "")
            if column == 1:
                return status_name(str(row.get("status", "")))
            if column == 2:
                return row.get("trigger") or trigger_summary(row.get("definition"))
            if column == 3:
                return f"{enrolled:,}"
            if column == 4:
                return f"{converted:,}"
            if column == 5:
                return f"{converted / enrolled:.1%}" if enrolled else "—"
            if column == 6:
                return _when(row.get("updated_at") or row.get("created_at"))
        if role == self.SortRole:
            if column == 3:
                return enrolled
            if column == 4:
                return converted
            if column == 5:
                return converted / enrolled if enrolled else -1.0
            if column == 1:
                status = row.get("status", "")
                return STATUSES.index(status) if status in STATUSES else 99
            return str(self.data(index, Qt.ItemDataRole.DisplayRole) or "").lower()
        if role == Qt.ItemDataRole.TextAlignmentRole and 3 <= column <= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1 and row.get("error"):
            return fault_text(row)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            parts = [f"Version {row.get('version', 1)}"]
            parent = self.row_of(row["parent_id"]) if row.get("parent_id") else -1
            if parent >= 0:
                parts.append(f"part of “{self.rows[parent]['name']}”")
            if row.get("start_at"):
                parts.append(f"starts {_when(row['start_at'])} UTC")
            if row.get("end_at"):
                parts.append(f"ends {_when(row['end_at'])} UTC")
            return " · ".join(parts)
        if role == self.IdRole:
            return row.get("id")
        if role == self.StatusRole:
            return row.get("status")
        return None


def fault_text(record: dict) -> str:
    """Why the engine paused a campaign, as a sentence (empty when it did not)."""
    if not record.get("error"):
        return ""
    return QCoreApplication.translate(
        "campaigns", "“{name}” was paused after a fault: {reason}. Resume it once fixed."
    ).format(name=record.get("name", ""), reason=_fault_reason(str(record["error"])))


def _fault_reason(error: str) -> str:
    prefix = "paused by the engine: "  # the engine's own words; the sentence says it already
    return (error[len(prefix) :] if error.startswith(prefix) else error).rstrip(".")


class CampaignFilter(QSortFilterProxyModel):
    """Filters by status and by a search over name and trigger."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.status = ""
        self.search = ""
        self.setSortRole(CampaignsModel.SortRole)

    def set_status(self, status: str) -> None:
        self.beginFilterChange()
        self.status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self.search = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CampaignsModel)
        record = model.rows[row]
        if self.status and record.get("status") != self.status:
            return False
        if self.search:
            haystack = " ".join(
                str(model.data(model.index(row, c), Qt.ItemDataRole.DisplayRole) or "")
                for c in (0, 2)
            ).lower()
            return self.search in haystack
        return True


class StatusDelegate(QStyledItemDelegate):
    """Draws the status as a coloured pill."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        status = index.data(CampaignsModel.StatusRole) or ""
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(style.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        color = QColor(status_colour(status))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + 22
        height = metrics.height() + 6
        rect = option.rect.adjusted(6, 0, 0, 0)
        rect.setWidth(width)
        rect.setTop(option.rect.center().y() - height // 2)
        rect.setHeight(height)
        # right-to-left: the chip sits at the cell's right edge, its dot on its right
        rtl = option.direction == Qt.LayoutDirection.RightToLeft
        rect = QStyle.visualRect(option.direction, option.rect, rect)
        fill = QColor(color)
        fill.setAlpha(38)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setBrush(QBrush(color))
        dot = height // 3
        dot_x = rect.right() - 7 - dot if rtl else rect.left() + 7
        painter.drawEllipse(dot_x, rect.center().y() - dot // 2, dot, dot)
        painter.setPen(color)  # readable on its chip in both themes (app/contrast.py)
        text_rect = rect.adjusted(0, 0, -(dot + 10), 0) if rtl else rect.adjusted(dot + 10, 0, 0, 0)
        side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignAbsolute | side
        painter.drawText(text_rect, align, text)
        painter.restore()


def call_lifecycle(action: str, engine: Any, campaign_id: int, now: datetime, **extra: Any) -> Any:
    """Call engine.campaigns.<action>, passing `now` when the function takes it."""
    import engine.campaigns as campaigns

    function = getattr(campaigns, action)
    parameters = inspect.signature(function).parameters
    kwargs = dict(extra)
    if "now" in parameters:
        kwargs["now"] = now
    return function(engine, campaign_id, **kwargs)


class CampaignsScreen(QWidget):
    """The list of campaigns, a search, a status filter and the lifecycle buttons."""

    openRequested = Signal(int)
    dashboardRequested = Signal(int)
    simulateRequested = Signal(int)
    campaignDeleted = Signal(int)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignsScreen")
        self.workspace = workspace
        self.model = CampaignsModel(workspace.engine, self)
        self.proxy = CampaignFilter(self)
        self.proxy.setSourceModel(self.model)

        title = QLabel(QCoreApplication.translate("campaigns", "Campaigns"))
        title.setObjectName("screenTitle")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("screenSubtitle")
        self.search = QLineEdit()
        self.search.setObjectName("campaignSearch")
        self.search.setAccessibleName(QCoreApplication.translate("campaigns", "Search campaigns"))
        self.search.setPlaceholderText(QCoreApplication.translate("campaigns", "Search campaigns…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_changed)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.status.addItem(QCoreApplication.translate("campaigns", "All statuses"), "")
        for status in STATUSES:
            self.status.addItem(status_name(status), status)
        self.status.currentIndexChanged.connect(self._filter_changed)
        self.new_button = QPushButton(QCoreApplication.translate("campaigns", "New campaign"))
        self.new_button.setObjectName("primaryButton")
        self.new_button.clicked.connect(self.new_campaign)

        heading = QHBoxLayout()
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(title)
        texts.addWidget(self.subtitle)
        heading.addLayout(texts)
        heading.addStretch(1)
        heading.addWidget(self.new_button)

        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        actions.setSpacing(6)
        actions.addWidget(self.search, 2)
        actions.addWidget(self.status)
        actions.addSpacing(12)
        # The buttons wrap onto a second line on a narrow window instead of being cut.
        button_holder, button_row = flow_row(align_right=True)
        for name, text, tip in (
            (
                "open",
                QT_TRANSLATE_NOOP("campaigns", "Open"),
                QT_TRANSLATE_NOOP("campaigns", "Open the campaign on the canvas"),
            ),
            (
                "dashboard",
                QT_TRANSLATE_NOOP("campaigns", "Dashboard"),
                QT_TRANSLATE_NOOP("campaigns", "Figures, charts and exports for the campaign"),
            ),
            (
                "duplicate",
                QT_TRANSLATE_NOOP("campaigns", "Duplicate"),
                QT_TRANSLATE_NOOP("campaigns", "Copy the campaign as a new draft"),
            ),
            (
                "delete",
                QT_TRANSLATE_NOOP("campaigns", "Delete"),
                QT_TRANSLATE_NOOP("campaigns", "Delete the campaign and its history"),
            ),
        ):
            button_row.addWidget(self._button(name, text, tip))
        for name, text, tip in LIFECYCLE:
            button_row.addWidget(self._button(name, text, tip))
        actions.addWidget(button_holder, 3)

        self.table = QTableView()
        self.table.setObjectName("campaignsTable")
        name_view(
            self.table,
            QCoreApplication.translate("campaigns", "Campaigns"),
            QCoreApplication.translate("campaigns", "Return opens the selected campaign"),
        )
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(1, StatusDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 120), (3, 90), (4, 90), (5, 100), (6, 140)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            # wide enough for the title in the user's language ("KONVERTIERT"), bold capitals
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal)).upper()
            needed = round(header.fontMetrics().horizontalAdvance(title) * 1.15) + 28
            header.resizeSection(column, max(width, needed))
        header.setHighlightSections(False)
        # activated: a double-click and Return (QAbstractItemView emits it for both)
        self.table.activated.connect(lambda _index: self._run("open"))
        self.table.selectionModel().selectionChanged.connect(self.update_buttons)

        self.empty = QLabel(
            QCoreApplication.translate(
                "campaigns",
                "No campaigns yet.\nClick “New campaign” to start from a blank canvas or a sample.",
            )
        )
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = MessageBar()
        # The engine's reason for pausing a campaign after a fault, one red line each.
        self.faults = QLabel("")
        self.faults.setObjectName("campaignFault")
        self.faults.setWordWrap(True)
        self.faults.hide()
        self.cards = {
            key: Card(
                QCoreApplication.translate("campaigns", label),
                "0",
                QCoreApplication.translate("campaigns", note),
            )
            for key, label, note in (
                (
                    "live",
                    QT_TRANSLATE_NOOP("campaigns", "Live now"),
                    QT_TRANSLATE_NOOP("campaigns", "campaigns running"),
                ),
                (
                    "enrolled",
                    QT_TRANSLATE_NOOP("campaigns", "Contacts enrolled"),
                    QT_TRANSLATE_NOOP("campaigns", "across all campaigns"),
                ),
                (
                    "inside",
                    QT_TRANSLATE_NOOP("campaigns", "Inside now"),
                    QT_TRANSLATE_NOOP("campaigns", "waiting or moving"),
                ),
                (
                    "converted",
                    QT_TRANSLATE_NOOP("campaigns", "Conversions"),
                    QT_TRANSLATE_NOOP("campaigns", "goals reached"),
                ),
                (
                    "rate",
                    QT_TRANSLATE_NOOP("campaigns", "Conversion rate"),
                    QT_TRANSLATE_NOOP("campaigns", "converted / enrolled"),
                ),
            )
        }
        cards = QHBoxLayout()
        cards.setSpacing(12)
        for card in self.cards.values():
            cards.addWidget(card)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(heading)
        layout.addLayout(cards)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.faults)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        workspace.campaignsChanged.connect(self.refresh)
        self.refresh()

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(QCoreApplication.translate("campaigns", text))
        button.setObjectName(f"{name}Button")
        button.setToolTip(QCoreApplication.translate("campaigns", tip))
        button.clicked.connect(lambda _checked=False, n=name: self._run(n))
        self.buttons[name] = button
        return button

    # ---- state ----
    def refresh(self) -> None:
        selected = self.selected_id()
        column = max(0, self.table.currentIndex().column())  # the keyboard stays in its column
        try:
            self.model.refresh()
        except Exception as exc:
            self.message.show_message(f"Could not read the campaigns: {exc}", "error")
            return
        counts: dict[str, int] = {}
        for row in self.model.rows:
            counts[row.get("status", "")] = counts.get(row.get("status", ""), 0) + 1
        total = len(self.model.rows)
        live = counts.get("live", 0)
        self.subtitle.setText(
            plural_text(QCoreApplication.translate("campaigns", "%n campaign(s)", "", total), total)
            + " · "
            + QCoreApplication.translate(
                "campaigns", "{live} live · {scheduled} scheduled · {draft} draft"
            ).format(
                live=number(live),
                scheduled=number(counts.get("scheduled", 0)),
                draft=number(counts.get("draft", 0)),
            )
        )
        enrolled = sum(int(r.get("enrolled") or 0) for r in self.model.rows)
        converted = sum(int(r.get("converted") or 0) for r in self.model.rows)
        self.cards["live"].value.setText(number(live))
        self.cards["enrolled"].value.setText(number(enrolled))
        self.cards["inside"].value.setText(
            number(sum(int(r.get("active") or 0) for r in self.model.rows))
        )
        self.cards["converted"].value.setText(number(converted))
        self.cards["rate"].value.setText(percent(converted / enrolled) if enrolled else "—")
        faults = [fault_text(r) for r in self.model.rows if r.get("status") == "paused"]
        faults = [text for text in faults if text]
        self.faults.setText("\n".join(faults))
        self.faults.setVisible(bool(faults))
        self.table.setVisible(total > 0)
        self.empty.setVisible(total == 0)
        if selected is not None:
            self.select(selected, column)
        self.update_buttons()

    def select(self, campaign_id: int, column: int = 0) -> None:
        row = self.model.row_of(campaign_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.selectionModel().setCurrentIndex(
                index.siblingAtColumn(column), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return rows[0].data(CampaignsModel.IdRole)

    def selected(self) -> dict | None:
        campaign_id = self.selected_id()
        row = self.model.row_of(campaign_id) if campaign_id is not None else -1
        return self.model.rows[row] if row >= 0 else None

    def update_buttons(self) -> None:
        from engine.campaigns import allowed_actions

        record = self.selected()
        allowed = set(allowed_actions(record["status"])) if record else set()
        for name, button in self.buttons.items():
            if record is None:
                button.setEnabled(False)
            elif name in ("open", "dashboard", "duplicate"):
                button.setEnabled(True)
            else:
                button.setEnabled(name in allowed)

    def _filter_changed(self) -> None:
        self.proxy.set_search(self.search.text())
        self.proxy.set_status(self.status.currentData() or "")

    # ---- actions ----
    def _run(self, name: str) -> None:
        record = self.selected()
        if record is None:
            return
        campaign_id = int(record["id"])
        if name == "open":
            self.openRequested.emit(campaign_id)
        elif name == "dashboard":
            self.dashboardRequested.emit(campaign_id)
        elif name == "duplicate":
            self.duplicate(record)
        elif name == "delete":
            self.delete(record)
        elif name == "schedule":
            self.schedule(record)
        else:
            self.change_status(name, record)

    def change_status(self, action: str, record: dict) -> bool:
        if action == "stop" and not ask(
            self,
            QCoreApplication.translate("campaigns", "Stop campaign"),
            f"Stop “{record['name']}”? Contacts inside leave the campaign and it cannot be "
            "resumed.",
            QCoreApplication.translate("campaigns", "Stop campaign"),
        ):
            return False
        return self._lifecycle(action, record)

    def _lifecycle(self, action: str, record: dict, **extra: Any) -> bool:
        try:
            call_lifecycle(action, self.workspace.engine, record["id"], self.workspace.now(),
                           **extra)  # fmt: skip
        except Exception as exc:
            verb = dict(LIFECYCLE_VERBS).get(action, action)
            self.message.show_message(f"Could not {verb} “{record['name']}”: {exc}", "error")
            self.refresh()
            return False
        done = {"start": "started", "schedule": "scheduled", "pause": "paused",
                "resume": "resumed", "stop": "stopped"}.get(action, action)  # fmt: skip
        self.message.show_message(f"“{record['name']}” {done}.", "success")
        self.workspace.campaignsChanged.emit()
        return True

    def schedule(self, record: dict) -> bool:
        dialog = ScheduleDialog(record.get("start_at"), record.get("end_at"), self)
        dialog.setObjectName("scheduleDialog")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        start, end = dialog.values()
        return self._lifecycle("schedule", record, start_at=start, end_at=end)

    def duplicate(self, record: dict) -> int | None:
        from engine.campaigns import duplicate, get_campaign

        try:  # the engine names the copy, as `campaigns duplicate ID` does
            new_id = duplicate(self.workspace.engine, record["id"])
            name = get_campaign(self.workspace.engine, new_id)["name"]
        except Exception as exc:
            self.message.show_message(f"Could not duplicate “{record['name']}”: {exc}", "error")
            return None
        self.message.show_message(f"Duplicated as “{name}”.", "success")
        self.workspace.campaignsChanged.emit()
        self.select(new_id)
        return new_id

    def delete(self, record: dict) -> bool:
        if not ask(
            self,
            QCoreApplication.translate("campaigns", "Delete campaign"),
            f"Delete “{record['name']}” with its versions, enrollments and statistics? "
            "This cannot be undone.",
            QCoreApplication.translate("campaigns", "Delete"),
        ):
            return False
        from engine.campaigns import delete

        try:
            delete(self.workspace.engine, record["id"])
        except Exception as exc:
            self.message.show_message(f"Could not delete “{record['name']}”: {exc}", "error")
            return False
        self.message.show_message(f"Deleted “{record['name']}”.", "success")
        self.campaignDeleted.emit(int(record["id"]))
        self.workspace.campaignsChanged.emit()
        return True

    def new_campaign(self) -> int | None:
        dialog = NewCampaignDialog({r["name"] for r in self.model.rows}, self)
        dialog.setObjectName("newCampaignDialog")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.create(dialog.name.text().strip(), dialog.sample_path())

    def create(self, name: str, sample: Path | None = None) -> int | None:
        """Store a new draft campaign (blank, or a copy of a sample) and open it."""
        from engine.campaigns import free_name, save_campaign
        from engine.diagram import Diagram
        from engine.fileformat import load

        with self.workspace.engine.connect() as conn:
            name = free_name(conn, name)  # saving under a taken name would overwrite that one
        try:
            if sample is not None:
                diagram, _problems = load(sample)
                diagram.set_name(name)
            else:
                diagram = Diagram(name, {"entry": "once"})
            campaign_id = save_campaign(self.workspace.engine, diagram, note="created")
        except Exception as exc:
            self.message.show_message(f"Could not create “{name}”: {exc}", "error")
            return None
        self.workspace.campaignsChanged.emit()
        self.select(campaign_id)
        self.openRequested.emit(campaign_id)
        return campaign_id


LIFECYCLE_VERBS = (("start", "start"), ("schedule", "schedule"), ("pause", "pause"),
                   ("resume", "resume"), ("stop", "stop"))  # fmt: skip
