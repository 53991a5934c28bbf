"""One contact's page: editable profile, tags and attributes, and their journey — the
campaigns, messages and events that reached them, newest first."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import name_view
from app.contact_text import contact_name, format_time
from app.journey import TimelineDelegate, TimelineRole, avatar_pixmap
from app.screen_parts import ask, error_text, tag_colour
from engine import store
from engine.contact_activity import contact_activity
from engine.db import Engine


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
    return table


def _fill(table: QTableWidget, rows: list[list[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            text = format_time(value) if isinstance(value, datetime) else str(value or "")
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()


def parse_attribute(text: str, before: Any = None) -> Any:
    """Keep an attribute's type: numbers stay numbers, booleans stay booleans."""
    text = text.strip()
    if isinstance(before, bool) or text.lower() in ("true", "false"):
        if text.lower() in ("true", "yes", "1"):
            return True
        if text.lower() in ("false", "no", "0"):
            return False
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


class ContactPage(QWidget):
    """Everything about one contact. `load(id)` fills it; Save writes through update_contact."""

    backRequested = Signal()
    saved = Signal(int)
    deleted = Signal(int)

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.contact: dict[str, Any] = {}
        self.contact_id: int | None = None
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 12, 20, 16)

        bar = QHBoxLayout()
        self.back_button = QPushButton(QCoreApplication.translate("contact_page", "← All contacts"))
        self.back_button.setFlat(True)
        self.back_button.clicked.connect(self.go_back)
        self.back_button.setToolTip(
            QCoreApplication.translate("contact_page", "Back to all contacts (Esc)")
        )
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.go_back)
        bar.addWidget(self.back_button)
        bar.addStretch(1)
        self.status_label = QLabel()
        self.status_label.setObjectName("mutedLabel")
        bar.addWidget(self.status_label)
        self.delete_button = QPushButton(
            QCoreApplication.translate("contact_page", "Delete contact")
        )
        self.delete_button.clicked.connect(self.confirm_delete)
        bar.addWidget(self.delete_button)
        self.save_button = QPushButton(QCoreApplication.translate("contact_page", "Save changes"))
        self.save_button.setObjectName("primaryButton")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.save_button)
        outer.addLayout(bar)

        hero = QHBoxLayout()
        self.avatar = QLabel()
        hero.addWidget(self.avatar)
        names = QVBoxLayout()
        names.setSpacing(2)
        self.name_label = QLabel()
        font = QFont(self.name_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.name_label.setFont(font)
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("mutedLabel")
        self.badges = QHBoxLayout()
        self.badges.setSpacing(6)
        names.addWidget(self.name_label)
        names.addWidget(self.subtitle_label)
        names.addLayout(self.badges)
        hero.addLayout(names, 1)
        outer.addLayout(hero)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_profile())
        splitter.addWidget(self._build_activity())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 640])
        outer.addWidget(splitter, 1)

    # -- building ---------------------------------------------------------------------
    def _build_profile(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 8, 0)
        profile = QGroupBox(QCoreApplication.translate("contact_page", "Profile"))
        form = QFormLayout(profile)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields: dict[str, QLineEdit] = {}
        for key, label in (
            ("first_name", "First name"),
            ("last_name", "Last name"),
            ("email", "Email"),
            ("phone", "Phone"),
            ("timezone", "Time zone"),
        ):
            edit = QLineEdit()
            edit.setObjectName(f"field_{key}")
            edit.textEdited.connect(self._mark_dirty)
            self.fields[key] = edit
            form.addRow(label, edit)
        self.score_box = QSpinBox()
        self.score_box.setRange(-1_000_000, 1_000_000)
        self.score_box.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.score_box.setMinimumHeight(self.fields["email"].sizeHint().height())
        self.score_box.valueChanged.connect(self._mark_dirty)
        form.addRow(QCoreApplication.translate("contact_page", "Score"), self.score_box)
        self.unsubscribed_box = QCheckBox(
            QCoreApplication.translate("contact_page", "Unsubscribed from all messages")
        )
        self.unsubscribed_box.toggled.connect(self._mark_dirty)
        form.addRow("", self.unsubscribed_box)
        self.tags_edit = QLineEdit()
        self.tags_edit.setObjectName("field_tags")
        self.tags_edit.setPlaceholderText(
            QCoreApplication.translate("contact_page", "Add tags, separated by ;")
        )
        self.tags_edit.textEdited.connect(self._mark_dirty)
        form.addRow(QCoreApplication.translate("contact_page", "Tags"), self.tags_edit)
        self.segments_label = QLabel()
        self.segments_label.setWordWrap(True)
        self.segments_label.setObjectName("mutedLabel")
        form.addRow(QCoreApplication.translate("contact_page", "Segments"), self.segments_label)
        layout.addWidget(profile)

        attributes = QGroupBox(QCoreApplication.translate("contact_page", "Attributes"))
        box = QVBoxLayout(attributes)
        self.attributes_table = QTableWidget(0, 2)
        self.attributes_table.setObjectName("attributesTable")
        name_view(self.attributes_table, QCoreApplication.translate("contact_page", "Attributes"))
        self.attributes_table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("contact_page", "Attribute"),
                QCoreApplication.translate("contact_page", "Value"),
            ]
        )
        self.attributes_table.verticalHeader().hide()
        self.attributes_table.setShowGrid(False)
        self.attributes_table.setAlternatingRowColors(True)
        self.attributes_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.attributes_table.horizontalHeader().setStretchLastSection(True)
        self.attributes_table.itemChanged.connect(self._mark_dirty)
        box.addWidget(self.attributes_table)
        buttons = QHBoxLayout()
        add = QPushButton(QCoreApplication.translate("contact_page", "Add attribute"))
        add.clicked.connect(self._add_attribute)
        remove = QPushButton(QCoreApplication.translate("contact_page", "Remove"))
        remove.clicked.connect(self._remove_attribute)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        box.addLayout(buttons)
        layout.addWidget(attributes, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(panel)
        return scroll

    def _build_activity(self) -> QWidget:
        self.tabs = QTabWidget()
        self.timeline = QListWidget()
        self.timeline.setObjectName("journeyTimeline")
        name_view(
            self.timeline,
            QCoreApplication.translate("contact_page", "Journey"),
            QCoreApplication.translate(
                "contact_page", "What happened to this contact, newest first"
            ),
        )
        self.timeline.setItemDelegate(TimelineDelegate(self.timeline))
        self.timeline.setUniformItemSizes(True)
        self.timeline.setFrameShape(QFrame.Shape.NoFrame)
        self.tabs.addTab(self.timeline, QCoreApplication.translate("contact_page", "Journey"))
        self.campaigns_table = _table(["Campaign", "Status", "Now at", "Entered", "Converted"])
        name_view(
            self.campaigns_table,
            QCoreApplication.translate("contact_page", "Campaigns of this contact"),
        )
        self.tabs.addTab(
            self.campaigns_table, QCoreApplication.translate("contact_page", "Campaigns")
        )
        self.messages_table = _table(["When", "Channel", "Status", "Subject", "Campaign", "Error"])
        name_view(
            self.messages_table,
            QCoreApplication.translate("contact_page", "Messages to this contact"),
        )
        self.tabs.addTab(
            self.messages_table, QCoreApplication.translate("contact_page", "Messages")
        )
        self.events_table = _table(["When", "Event", "Campaign", "Properties"])
        name_view(
            self.events_table, QCoreApplication.translate("contact_page", "Events of this contact")
        )
        self.tabs.addTab(self.events_table, QCoreApplication.translate("contact_page", "Events"))
        return self.tabs

    # -- loading ----------------------------------------------------------------------
    def load(self, contact_id: int) -> None:
        self._loading = True
        try:
            with self.engine.connect() as conn:
                contact = store.get_contact(conn, contact_id)
                timeline = list(store.contact_timeline(conn, contact_id))
                self._load_activity(conn, contact_id)
            self.contact_id = contact_id
            self.contact = dict(contact)
            self._fill_profile(self.contact)
            self.timeline.clear()
            for entry in timeline:
                item = QListWidgetItem()
                item.setData(TimelineRole, entry)
                item.setToolTip(str(entry.get("detail") or entry.get("title") or ""))
                self.timeline.addItem(item)
            if not timeline:
                self.timeline.addItem(
                    QListWidgetItem("No campaign, message or event has reached this contact yet.")
                )
            self.tabs.setTabText(0, f"Journey ({len(timeline)})")
        finally:
            self._loading = False
        self._set_dirty(False)

    def _fill_profile(self, contact: dict[str, Any]) -> None:
        name = contact_name(contact) or contact.get("email") or contact.get("phone") or "?"
        self.avatar.setPixmap(avatar_pixmap(name))
        self.name_label.setText(name)
        created = format_time(contact.get("created_at"))
        self.subtitle_label.setText(
            " · ".join(
                filter(
                    None,
                    [
                        contact.get("email"),
                        contact.get("phone"),
                        f"contact since {created}" if created else "",
                    ],
                )
            )
        )
        for key, edit in self.fields.items():
            edit.setText(str(contact.get(key) or ""))
        self.score_box.setValue(int(contact.get("score") or 0))
        self.unsubscribed_box.setChecked(bool(contact.get("unsubscribed")))
        tags = list(contact.get("tags") or [])
        self.tags_edit.setText("; ".join(tags))
        self.segments_label.setText(", ".join(contact.get("segments") or []) or "—")
        self._fill_badges(contact, tags)
        attributes = contact.get("attributes") or {}
        self.attributes_table.setRowCount(0)
        for key in sorted(attributes):
            self._append_attribute(key, attributes[key])

    def _fill_badges(self, contact: dict[str, Any], tags: list[str]) -> None:
        while self.badges.count():
            widget = self.badges.takeAt(0).widget()
            if widget:
                widget.deleteLater()
        pills: list[tuple[str, str, str]] = []
        if contact.get("unsubscribed"):
            pills.append(("Unsubscribed", "#fee2e2", "#b91c1c"))
        elif contact.get("bounced"):
            pills.append(("Bounced", "#fee2e2", "#b91c1c"))
        else:
            pills.append(("Subscribed", "#dcfce7", "#166534"))
        pills.append((f"Score {contact.get('score') or 0}", "#f3f4f6", "#374151"))
        for tag in tags:
            background, foreground = tag_colour(tag)
            pills.append((tag, background.name(), foreground.name()))
        for text, background, foreground in pills:
            pill = QLabel(text)
            pill.setStyleSheet(
                f"background: {background}; color: {foreground}; border-radius: 9px;"
                " padding: 2px 9px;"
            )
            self.badges.addWidget(pill)
        self.badges.addStretch(1)

    def _load_activity(self, conn, contact_id: int) -> None:
        activity = contact_activity(conn, contact_id)
        rows = activity["campaigns"]
        _fill(
            self.campaigns_table,
            [[r["campaign"], r["status"], r["node_id"], r["entered_at"], r["converted_at"]]
             for r in rows],
        )  # fmt: skip
        self.tabs.setTabText(1, f"Campaigns ({len(rows)})")
        rows = activity["messages"]
        _fill(
            self.messages_table,
            [[r["at"], r["channel"], r["status"], r["subject"], r["campaign"], r["error"]]
             for r in rows],
        )  # fmt: skip
        self.tabs.setTabText(2, f"Messages ({len(rows)})")
        rows = activity["events"]
        _fill(
            self.events_table,
            [[r["occurred_at"], r["name"], r["campaign"], json.dumps(r["properties"], default=str)]
             for r in rows],
        )  # fmt: skip
        self.tabs.setTabText(3, f"Events ({len(rows)})")

    # -- editing ----------------------------------------------------------------------
    def _append_attribute(self, key: str, value: Any) -> None:
        row = self.attributes_table.rowCount()
        self.attributes_table.insertRow(row)
        key_item = QTableWidgetItem(key)
        key_item.setData(Qt.ItemDataRole.UserRole, key)
        shown = json.dumps(value) if isinstance(value, (list, dict)) else str(value)
        if isinstance(value, bool):
            shown = "true" if value else "false"
        value_item = QTableWidgetItem(shown)
        value_item.setData(Qt.ItemDataRole.UserRole, value)
        self.attributes_table.setItem(row, 0, key_item)
        self.attributes_table.setItem(row, 1, value_item)

    def _add_attribute(self) -> None:
        self._append_attribute("new_attribute", "")
        row = self.attributes_table.rowCount() - 1
        self.attributes_table.editItem(self.attributes_table.item(row, 0))
        self._mark_dirty()

    def _remove_attribute(self) -> None:
        row = self.attributes_table.currentRow()
        if row >= 0:
            self.attributes_table.removeRow(row)
            self._mark_dirty()

    def _mark_dirty(self, *_args) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.status_label.setText("Unsaved changes" if dirty else "")

    def changes(self) -> dict[str, Any]:
        """What the form holds, in update_contact's shape."""
        values: dict[str, Any] = {k: (e.text().strip() or None) for k, e in self.fields.items()}
        values["score"] = self.score_box.value()
        values["unsubscribed"] = self.unsubscribed_box.isChecked()
        values["tags"] = [t.strip() for t in self.tags_edit.text().replace(",", ";").split(";")
                          if t.strip()]  # fmt: skip
        attributes: dict[str, Any] = {}
        for row in range(self.attributes_table.rowCount()):
            key_item = self.attributes_table.item(row, 0)
            value_item = self.attributes_table.item(row, 1)
            key = key_item.text().strip() if key_item else ""
            if not key:
                continue
            before = value_item.data(Qt.ItemDataRole.UserRole) if value_item else None
            text = value_item.text() if value_item else ""
            shown = json.dumps(before) if isinstance(before, (list, dict)) else None
            if shown is not None and text == shown:
                attributes[key] = before
            else:
                attributes[key] = parse_attribute(text, before)
        values["attributes"] = attributes
        return values

    def problem(self, values: dict[str, Any]) -> str | None:
        email = values.get("email")
        if email and ("@" not in email or " " in email):
            return f"“{email}” is not an email address."
        if not email and not values.get("phone"):
            return "A contact needs an email address or a phone number."
        return None

    def save(self) -> bool:
        if self.contact_id is None:
            return False
        values = self.changes()
        problem = self.problem(values)
        if problem:
            self._show_error(problem)
            return False
        try:
            with self.engine.begin() as conn:
                store.update_contact(conn, self.contact_id, values)
        except store.DuplicateContact:
            self._show_error(
                QCoreApplication.translate(
                    "contact_page", "Another contact already uses {email}."
                ).format(email=values.get("email"))
            )
            return False
        except Exception as exc:
            self._show_error(
                QCoreApplication.translate(
                    "contact_page", "Could not save this contact: {error}"
                ).format(error=error_text(exc))
            )
            return False
        self._set_status_kind("mutedLabel")
        self.load(self.contact_id)
        self.status_label.setText(QCoreApplication.translate("contact_page", "Saved"))
        self.saved.emit(self.contact_id)
        return True

    def _show_error(self, text: str) -> None:
        self.status_label.setText(text)
        self._set_status_kind("formProblem")

    def _set_status_kind(self, name: str) -> None:
        self.status_label.setObjectName(name)
        self.status_label.style().unpolish(self.status_label)
        self.status_label.style().polish(self.status_label)

    def confirm_delete(self):
        if self.contact_id is None:
            return None
        contact_id = self.contact_id
        name = self.name_label.text()
        return ask(
            self,
            QCoreApplication.translate("contact_page", "Delete contact"),
            f"Delete {name} with their tags, events and "
            "segment memberships? This cannot be undone.",
            QCoreApplication.translate("contact_page", "Delete"),
            lambda: self.delete(contact_id),
        )

    def delete(self, contact_id: int) -> None:
        with self.engine.begin() as conn:
            store.delete_contacts(conn, [contact_id])
        self.contact_id = None
        self.deleted.emit(contact_id)

    def go_back(self):
        """Back to the list; unsaved edits are dropped only after asking."""
        if not self.save_button.isEnabled():
            self.backRequested.emit()
            return None

        def discard() -> None:
            self._set_dirty(False)
            self.backRequested.emit()

        return ask(
            self,
            QCoreApplication.translate("contact_page", "Unsaved changes"),
            QCoreApplication.translate("contact_page", "Discard your changes to this contact?"),
            QCoreApplication.translate("contact_page", "Discard changes"),
            discard,
        )
