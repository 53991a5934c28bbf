"""The segments screen: dynamic segments built with the visual rule builder and a live
count of matching contacts (counted off the GUI thread), and static member lists."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import name_view
from app.bridge import Task
from app.contact_text import contact_name
from app.screen_parts import (
    Debouncer,
    PageHeader,
    ask,
    error_text,
    usage_sentence,
)
from designer.rule_editor import RuleEditor
from engine import segments, store
from engine.campaigns import campaigns_using
from engine.db import Engine
from engine.i18n import number, plural_text
from engine.rules import RuleError, describe_rule, parse_rule
from engine.segments import PREVIEW_ROWS


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def count_and_sample(engine: Engine, rule: dict, now: dt.datetime) -> tuple[int, int, list]:
    """(matching, all contacts, first matching contacts) for a rule, on its own connection."""
    with engine.connect() as conn:
        return segments.count_and_sample(conn, rule, now)


class CountCard(QFrame):
    """The big live number: how many contacts the rule matches right now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        caption = QLabel(QCoreApplication.translate("segments", "MATCHING CONTACTS"))
        caption.setObjectName("cardLabel")
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.value.setFont(font)
        self.note = QLabel("")
        self.note.setObjectName("cardNote")
        self.note.setWordWrap(True)
        layout.addWidget(caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)


class SegmentsScreen(QWidget):
    """Segments list on the left; the chosen segment's rule or members on the right."""

    segmentsChanged = Signal()
    countUpdated = Signal(int)

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.current_name: str | None = None
        self.last_count: int | None = None
        self.count_error: str | None = None
        self.counting = False
        self._generation = 0
        self._jobs: list[Task] = []
        self._loading = False
        self.members: list[dict[str, Any]] = []
        self.dirty = False
        self._shown_once = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        self.header = PageHeader(
            QCoreApplication.translate("segments", "Segments"),
            QCoreApplication.translate("segments", "Groups of contacts that campaigns target"),
        )
        self.new_button = QPushButton(QCoreApplication.translate("segments", "New segment"))
        self.new_button.setObjectName("primaryButton")
        self.new_button.clicked.connect(
            lambda: self.unless_unsaved(lambda: self.new_segment("dynamic"))
        )
        self.header.add_action_widget(self.new_button)
        outer.addWidget(self.header)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.list.setSpacing(2)  # two-line entries (name, then rule): one apart from the next
        self.list.setObjectName("segmentList")
        name_view(self.list, QCoreApplication.translate("segments", "Segments"))
        self.list.setSpacing(2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.currentItemChanged.connect(self._select)
        splitter.addWidget(self.list)
        splitter.addWidget(self._build_editor())
        splitter.setSizes([260, 900])
        splitter.setStretchFactor(1, 1)
        outer.addWidget(splitter, 1)

        self.count_debounce = Debouncer(350, self.recount, self)
        self.rule_editor.ruleChanged.connect(self._rule_changed)
        self.reload()

    # -- building ---------------------------------------------------------------------
    def _build_editor(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(12, 0, 0, 0)
        top = QHBoxLayout()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.name = QLineEdit()
        self.name.setObjectName("segmentName")
        self.name.setPlaceholderText(
            QCoreApplication.translate("segments", "e.g. engaged-customers")
        )
        self.name.textEdited.connect(self._edited)
        self.description = QLineEdit()
        self.description.setPlaceholderText(
            QCoreApplication.translate("segments", "What this group is for (optional)")
        )
        self.description.textEdited.connect(self._edited)
        kinds = QVBoxLayout()  # stacked: side by side they set the screen's least width
        self.dynamic_radio = QRadioButton(
            QCoreApplication.translate("segments", "Dynamic — contacts matching rules")
        )
        self.static_radio = QRadioButton(
            QCoreApplication.translate("segments", "Static — a fixed list")
        )
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.dynamic_radio)
        self.kind_group.addButton(self.static_radio)
        self.dynamic_radio.setChecked(True)
        self.dynamic_radio.toggled.connect(self._kind_changed)
        left = Qt.AlignmentFlag.AlignLeft  # as wide as their words: a click beside them misses
        kinds.addWidget(self.dynamic_radio, 0, left)
        kinds.addWidget(self.static_radio, 0, left)
        form.addRow(QCoreApplication.translate("segments", "Name"), self.name)
        form.addRow(QCoreApplication.translate("segments", "Description"), self.description)
        form.addRow(QCoreApplication.translate("segments", "Kind"), kinds)
        top.addLayout(form, 1)
        self.count_card = CountCard()
        self.count_card.setMinimumWidth(230)
        top.addWidget(self.count_card)
        layout.addLayout(top)

        self.pages = QStackedWidget()
        # Dynamic: the rule builder and a preview of who matches.
        dynamic = QWidget()
        dynamic_layout = QVBoxLayout(dynamic)
        dynamic_layout.setContentsMargins(0, 0, 0, 0)
        rules_title = QLabel(
            QCoreApplication.translate("segments", "Contacts are in this segment when…")
        )
        rules_title.setObjectName("mutedLabel")
        dynamic_layout.addWidget(rules_title)
        self.rule_editor = RuleEditor()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 8, 0)
        holder_layout.addWidget(self.rule_editor)
        holder_layout.addStretch(1)
        scroll.setWidget(holder)
        dynamic_layout.addWidget(scroll, 3)
        self.rule_problem = QLabel()
        self.rule_problem.setObjectName("formProblem")
        self.rule_problem.setWordWrap(True)
        dynamic_layout.addWidget(self.rule_problem)
        self.sample_title = QLabel(
            QCoreApplication.translate("segments", "First {count} matching contacts").format(
                count=PREVIEW_ROWS
            )
        )
        self.sample_title.setObjectName("mutedLabel")
        dynamic_layout.addWidget(self.sample_title)
        self.sample = self._contact_table()
        name_view(
            self.sample, QCoreApplication.translate("segments", "Sample of matching contacts")
        )
        dynamic_layout.addWidget(self.sample, 2)
        self.pages.addWidget(dynamic)

        # Static: the member list.
        static = QWidget()
        static_layout = QVBoxLayout(static)
        static_layout.setContentsMargins(0, 0, 0, 0)
        add_row = QHBoxLayout()
        self.add_members_edit = QLineEdit()
        self.add_members_edit.setObjectName("addMembers")
        self.add_members_edit.setPlaceholderText(
            QCoreApplication.translate("segments", "Add contacts: paste email addresses or phones")
        )
        self.add_members_edit.returnPressed.connect(self.add_members_from_text)
        add = QPushButton(QCoreApplication.translate("segments", "Add"))
        add.clicked.connect(self.add_members_from_text)
        remove = QPushButton(QCoreApplication.translate("segments", "Remove selected"))
        remove.clicked.connect(self.remove_selected_members)
        add_row.addWidget(self.add_members_edit, 1)
        add_row.addWidget(add)
        add_row.addWidget(remove)
        static_layout.addLayout(add_row)
        self.members_table = self._contact_table()
        name_view(self.members_table, QCoreApplication.translate("segments", "Members"))
        self.members_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        static_layout.addWidget(self.members_table, 1)
        self.pages.addWidget(static)
        layout.addWidget(self.pages, 1)

        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("mutedLabel")
        buttons.addWidget(self.status, 1)
        self.delete_button = QPushButton(QCoreApplication.translate("segments", "Delete"))
        self.delete_button.clicked.connect(self.confirm_delete)
        self.save_button = QPushButton(QCoreApplication.translate("segments", "Save segment"))
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(lambda: self.save())
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        return panel

    @staticmethod
    def _contact_table() -> QTableWidget:
        table = QTableWidget(0, 3)
        table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("segments", "Email"),
                QCoreApplication.translate("segments", "Name"),
                QCoreApplication.translate("segments", "Phone"),
            ]
        )
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().resizeSection(0, 260)
        table.horizontalHeader().resizeSection(1, 180)
        return table

    @staticmethod
    def _fill_contacts(table: QTableWidget, rows: list[dict[str, Any]]) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((row.get("email"), contact_name(row), row.get("phone"))):
                item = QTableWidgetItem(text or "")
                item.setData(Qt.ItemDataRole.UserRole, row.get("id"))
                table.setItem(r, c, item)

    def showEvent(self, event) -> None:
        """Pick up changes made elsewhere (imports, the demo), unless an edit is open."""
        super().showEvent(event)
        if self._shown_once and not self.dirty:
            self.reload()
        self._shown_once = True

    # -- list -------------------------------------------------------------------------
    def reload(self, select_name: str | None = None) -> None:
        with self.engine.connect() as conn:
            found = store.list_segments(conn)
        self._loading = True
        self.list.clear()
        for segment in found:
            if segment.get("kind") == "static":
                summary = f"Static · {segment.get('member_count', 0):,} members"
            else:
                try:
                    summary = describe_rule(parse_rule(segment.get("rule") or {"all": []}))
                except RuleError:
                    summary = "rule needs fixing"
            item = QListWidgetItem(f"{segment['name']}\n{summary[:48]}")
            item.setData(Qt.ItemDataRole.UserRole, segment["name"])
            item.setToolTip(summary)
            self.list.addItem(item)
        self._loading = False
        names = [s["name"] for s in found]
        self._refresh_suggestions(names)
        count = len(names)
        text = QCoreApplication.translate(
            "segments", "%n segment(s) · groups of contacts campaigns target", "", count
        )
        self.header.subtitle.setText(plural_text(text, count))
        target = select_name or self.current_name
        if target in names:
            self.open_segment(target)
        elif names:
            self.open_segment(names[0])
        else:
            self.new_segment("dynamic")

    def _refresh_suggestions(self, segment_names: list[str]) -> None:
        with self.engine.connect() as conn:
            found = segments.rule_suggestions(conn)
        self.rule_editor.set_suggestions(fields=found["fields"], segments=segment_names,
                                         events=found["events"], tags=found["tags"])  # fmt: skip

    def _select(self, item: QListWidgetItem | None, _previous=None) -> None:
        if not self._loading and item is not None:
            name = item.data(Qt.ItemDataRole.UserRole)
            self.unless_unsaved(lambda: self.open_segment(name))

    def unless_unsaved(self, action) -> QMessageBox | None:
        """Run `action` now, or after the user agrees to drop unsaved changes."""
        if not self.dirty:
            action()
            return None
        self._loading = True
        self.list.clearSelection()
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == self.current_name:
                self.list.setCurrentRow(row)
        self._loading = False
        what = f"“{self.current_name}”" if self.current_name else "the new segment"
        return ask(
            self,
            QCoreApplication.translate("segments", "Unsaved changes"),
            f"Discard your changes to {what}?",
            QCoreApplication.translate("segments", "Discard changes"),
            action,
        )

    def open_segment(self, name: str) -> None:
        with self.engine.connect() as conn:
            row = segments.find_segment(conn, name)
        if row is None:
            return
        members = row["members"]
        self._loading = True
        self.current_name = name
        for index in range(self.list.count()):
            if self.list.item(index).data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentRow(index)
        self.name.setText(name)
        self.description.setText(row["description"] or "")
        static = row["kind"] == "static"
        self.static_radio.setChecked(static)
        self.dynamic_radio.setChecked(not static)
        try:
            self.rule_editor.set_rule(row["rule"] if not static else None)
            self.rule_problem.setText("")
        except RuleError as exc:
            self.rule_editor.set_rule(None)
            self.rule_problem.setText(f"The stored rule could not be shown: {exc}")
        self.members = members
        self._fill_contacts(self.members_table, members)
        self._loading = False
        self.delete_button.setEnabled(True)
        self._show_kind()
        self.status.setText("")
        self.dirty = False

    def new_segment(self, kind: str = "dynamic") -> None:
        self._loading = True
        self.current_name = None
        self.list.clearSelection()
        self.name.clear()
        self.description.clear()
        self.static_radio.setChecked(kind == "static")
        self.dynamic_radio.setChecked(kind != "static")
        self.rule_editor.set_rule(None)
        self.members = []
        self._fill_contacts(self.members_table, [])
        self._loading = False
        self.delete_button.setEnabled(False)
        self._show_kind()
        self.dirty = False
        self.status.setText(
            QCoreApplication.translate("segments", "New segment — name it, add conditions, save")
        )
        self.name.setFocus()

    # -- live count -------------------------------------------------------------------
    def _edited(self, *_args) -> None:
        if not self._loading:
            self.dirty = True
            self.status.setText(QCoreApplication.translate("segments", "Unsaved changes"))

    def _rule_changed(self) -> None:
        self._edited()
        self.count_debounce.poke()

    def _kind_changed(self) -> None:
        self._edited()
        self._show_kind()

    def _show_kind(self) -> None:
        static = self.static_radio.isChecked()
        self.pages.setCurrentIndex(1 if static else 0)
        if static:
            self._generation += 1  # a count still running is for the rule, not the list
            self.counting = False
            self._show_count(len(self.members), None, "contacts in this list")
        else:
            self.recount()

    def recount(self) -> None:
        """Count matching contacts on a worker thread; only the newest answer is shown."""
        if self.static_radio.isChecked():
            return
        rule = self.rule_editor.rule()
        problem = self.rule_editor.error()
        self._generation += 1
        if problem:
            self.counting = False
            self.count_error = problem
            self.rule_problem.setText(f"Not a complete rule yet: {problem}")
            self.count_card.value.setText("—")
            self.count_card.note.setText(
                QCoreApplication.translate(
                    "segments", "Finish the highlighted condition to see the count"
                )
            )
            return
        self.rule_problem.setText("")
        generation = self._generation
        self.counting = True
        self.count_card.note.setText(QCoreApplication.translate("segments", "Counting…"))
        engine, now = self.engine, utc_now()
        job = Task(lambda _progress: count_and_sample(engine, rule, now))
        job.succeeded.connect(lambda result: self._counted(generation, result))
        job.failed.connect(lambda text: self._count_failed(generation, text))
        self._jobs = [*self._jobs[-4:], job]  # keep running jobs alive
        job.start()

    def _counted(self, generation: int, result: tuple[int, int, list]) -> None:
        if generation != self._generation:
            return
        matching, total, sample = result
        self.counting = False
        self.count_error = None
        share = f"{matching / total:.1%} of {total:,} contacts" if total else "no contacts yet"
        self._show_count(matching, None, share)
        self._fill_contacts(self.sample, sample)
        self.sample_title.setText(
            QCoreApplication.translate(
                "segments", "First {count} of {matching} matching contacts"
            ).format(count=len(sample), matching=number(matching))
            if matching
            else QCoreApplication.translate("segments", "No contact matches these conditions")
        )

    def _count_failed(self, generation: int, text: str) -> None:
        if generation != self._generation:
            return
        self.counting = False
        self.count_error = text
        self.rule_problem.setText(text)
        self.count_card.value.setText("—")
        self.count_card.note.setText(
            QCoreApplication.translate("segments", "The rule cannot be counted")
        )

    def _show_count(self, value: int, error: str | None, note: str) -> None:
        self.last_count = value
        self.count_card.value.setText(f"{value:,}")
        self.count_card.note.setText(note)
        self.countUpdated.emit(value)

    # -- static members ---------------------------------------------------------------
    def add_members_from_text(self) -> None:
        keys = [k for k in re.split(r"[\s,;]+", self.add_members_edit.text()) if k]
        if not keys:
            return
        with self.engine.connect() as conn:
            found = segments.contacts_by_address(conn, keys)
        known = {m["id"] for m in self.members}
        added = [row for row in found if row["id"] not in known]
        self.members.extend(added)
        self.members.sort(key=lambda m: m.get("email") or "")
        self._fill_contacts(self.members_table, self.members)
        matched = {row.get("email") for row in found} | {row.get("phone") for row in found}
        unknown = [k for k in keys if k not in matched]
        message = f"Added {len(added)} contacts"
        if unknown:
            message += f"; not found: {', '.join(unknown[:5])}" + ("…" if len(unknown) > 5 else "")
        self.status.setText(message)
        self.add_members_edit.clear()
        self._show_count(len(self.members), None, "contacts in this list (unsaved)")

    def remove_selected_members(self) -> None:
        rows = sorted({index.row() for index in self.members_table.selectedIndexes()})
        ids = {self.members_table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows}
        self.members = [m for m in self.members if m["id"] not in ids]
        self._fill_contacts(self.members_table, self.members)
        self._show_count(len(self.members), None, "contacts in this list (unsaved)")
        self._edited()

    # -- saving -----------------------------------------------------------------------
    def save(self, replace: bool = False) -> bool:
        """Store the segment; a new name that is taken asks before replacing that one."""
        name = self.name.text().strip()
        if not name:
            self.status.setText(
                QCoreApplication.translate("segments", "Give the segment a name first.")
            )
            self.name.setFocus()
            return False
        if not replace and name != self.current_name and self._exists(name):
            self.status.setText(f"A segment named “{name}” exists")
            self.replace_box = ask(
                self,
                QCoreApplication.translate("segments", "Replace segment"),
                f"A segment named “{name}” already exists. Replace it with this one?",
                QCoreApplication.translate("segments", "Replace"),
                lambda: self.save(replace=True),
            )
            return False
        static = self.static_radio.isChecked()
        rule = None if static else self.rule_editor.rule()
        if not static:
            problem = self.rule_editor.error()
            if problem:
                self.status.setText(f"Not saved: {problem}")
                return False
        try:
            with self.engine.begin() as conn:
                if not static:
                    from engine.rule_sql import compile_rule

                    compile_rule(rule, conn, utc_now())  # unknown segment, loops, bad values
                if self.current_name and self.current_name != name:
                    store.delete_segment(conn, self.current_name)
                store.save_segment(
                    conn, name, rule=rule, kind="static" if static else "dynamic",
                    members=[m["id"] for m in self.members] if static else None,
                    description=self.description.text().strip(),
                )  # fmt: skip
        except Exception as exc:
            self.status.setText(f"Not saved: {error_text(exc)}")
            return False
        self.current_name = name
        self.reload(select_name=name)
        self.status.setText(f"Saved “{name}”")
        self.segmentsChanged.emit()
        return True

    def _exists(self, name: str) -> bool:
        with self.engine.connect() as conn:
            return segments.segment_exists(conn, name)

    def confirm_delete(self):
        if not self.current_name:
            return None
        name = self.current_name
        users = usage_sentence(campaigns_using(self.engine, "segment", name), "segment")
        text = f"Delete the segment “{name}”? " + (users or "No campaign uses it.")
        return ask(
            self,
            QCoreApplication.translate("segments", "Delete segment"),
            text,
            QCoreApplication.translate("segments", "Delete"),
            lambda: self.delete(name),
        )

    def delete(self, name: str) -> None:
        with self.engine.begin() as conn:
            store.delete_segment(conn, name)
        self.current_name = None
        self.reload()
        self.status.setText(f"Deleted “{name}”")
        self.segmentsChanged.emit()
