"""Import contacts or events from CSV: a preview of the first rows and of what each column
becomes, the import on a worker thread with progress and Cancel, then the rejected rows."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.screen_parts import BackgroundJob, PageHeader
from engine import csv_values as values
from engine.db import Engine
from engine.importer import IGNORED

PREVIEW_ROWS = 8
SAMPLE_ROWS = 500
CONTACT_COLUMNS = {
    "email": "Email — identifies the contact",
    "phone": "Phone — identifies the contact when there is no email",
    "first_name": "First name",
    "last_name": "Last name",
    "timezone": "Time zone",
    "unsubscribed": "Unsubscribed (yes/no)",
    "bounced": "Bounced (yes/no)",
    "score": "Score",
    "created_at": "Contact since",
    "tags": "Tags, separated by ;",
}
EVENT_COLUMNS = {
    "email": "Email — the contact it happened to",
    "phone": "Phone — the contact, when there is no email",
    "event": "Event name",
    "occurred_at": "When (ISO 8601; UTC without a zone)",
}


def value_type(cells: list[str]) -> str:
    """number, date, boolean or text: the kind the importer gives a column of these cells
    (engine.csv_values, so the preview and the import agree)."""
    seen = None
    for cell in cells:
        if cell and not cell.isspace():
            kinds = values.possible_kinds(cell)
            seen = kinds if seen is None else seen & kinds
    return values.column_kind(seen)


def read_preview(path: str | Path, limit: int = SAMPLE_ROWS) -> tuple[list[str], list[list[str]]]:
    """The header and up to `limit` rows (the delimiter sniffed among , ; tab)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        head = handle.readline()  # the importer sniffs the header line too
        handle.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(head, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(handle, dialect)
        header = next(reader, None)
        if not header:
            raise ValueError(f"{Path(path).name} is empty: it needs a header row")
        rows = []
        for row in reader:
            rows.append(row)
            if len(rows) >= limit:
                break
    return [h.strip() for h in header], rows


def column_plan(kind: str, header: list[str], rows: list[list[str]]) -> list[tuple[str, str, str]]:
    """(column, what it becomes, type) for each column, as the importer will read it:
    header spellings like "E-mail" or "First Name" are understood the same way."""
    known = CONTACT_COLUMNS if kind == "contacts" else EVENT_COLUMNS
    plan = []
    for index, column in enumerate(header):
        key = values.column_name(column)
        if key in known:
            plan.append((column, known[key], "core"))
            continue
        if kind == "contacts" and key in IGNORED:
            plan.append((column, "ignored (kept by the program itself)", ""))
            continue
        cells = [row[index] for row in rows if index < len(row)]
        what = "attribute" if kind == "contacts" else "event property"
        plan.append((column, f"{what} “{key}”", value_type(cells)))
    return plan


def plan_problems(kind: str, header: list[str]) -> list[str]:
    keys = {values.column_name(h) for h in header}
    problems = []
    if not keys & {"email", "phone"}:
        problems.append("The file needs an email or a phone column to know who each row is.")
    if kind == "events":
        problems.extend(f"The file needs an “{c}” column." for c in ("event", "occurred_at")
                        if c not in keys)  # fmt: skip
    return problems


def run_import(engine: Engine, kind: str, path: str, progress) -> Any:
    from engine import importer

    function = importer.import_contacts if kind == "contacts" else importer.import_events
    return function(engine, path, progress=progress)


def report_parts(report: Any) -> tuple[int, int, list[tuple[int, str]]]:
    """(inserted, updated, rejected) from an ImportReport (or a dict of the same)."""
    if isinstance(report, dict):
        get = report.get
    else:

        def get(name, default=None):
            return getattr(report, name, default)

    rejected = [(int(line), str(reason)) for line, reason in (get("rejected") or [])]
    return int(get("inserted", 0) or 0), int(get("updated", 0) or 0), rejected


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ImportDialog(QDialog):
    """Choose a CSV file, check the preview, import, read the report."""

    imported = Signal(object)  # the ImportReport

    def __init__(
        self,
        engine: Engine,
        kind: str = "contacts",
        path: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.path: str | None = None
        self.job: BackgroundJob | None = None
        self.report: Any = None
        self.setWindowTitle("Import CSV")
        self.resize(960, 640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        self.header = PageHeader("Import", "")
        layout.addWidget(self.header)

        chooser = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.addItem("Contacts", "contacts")
        self.kind.addItem("Events", "events")
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("importFile")
        self.file_edit.setPlaceholderText("Choose a .csv file with a header row")
        self.file_edit.editingFinished.connect(lambda: self.set_file(self.file_edit.text()))
        browse = QPushButton("Choose file…")
        browse.clicked.connect(self._browse)
        chooser.addWidget(self.kind)
        chooser.addWidget(self.file_edit, 1)
        chooser.addWidget(browse)
        layout.addLayout(chooser)

        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        # Preview page
        preview = QWidget()
        preview_layout = QVBoxLayout(preview)
        preview_layout.setContentsMargins(0, 6, 0, 0)
        self.problem = QLabel()
        self.problem.setObjectName("messageBar")
        self.problem.setProperty("kind", "error")
        self.problem.setWordWrap(True)
        self.problem.hide()
        preview_layout.addWidget(self.problem)
        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.preview_title = QLabel("First rows")
        self.preview_title.setObjectName("mutedLabel")
        top_layout.addWidget(self.preview_title)
        self.preview_table = _table([])
        self.preview_table.setObjectName("importPreview")
        top_layout.addWidget(self.preview_table)
        splitter.addWidget(top)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        mapping_title = QLabel("How each column is read")
        mapping_title.setObjectName("mutedLabel")
        bottom_layout.addWidget(mapping_title)
        self.mapping_table = _table(["Column", "Becomes", "Type"])
        self.mapping_table.setObjectName("importMapping")
        self.mapping_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        bottom_layout.addWidget(self.mapping_table)
        splitter.addWidget(bottom)
        preview_layout.addWidget(splitter, 1)
        self.pages.addWidget(preview)
        # Progress page
        running = QWidget()
        running_layout = QVBoxLayout(running)
        running_layout.addStretch(1)
        self.progress_label = QLabel("Importing…")
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        running_layout.addWidget(self.progress_label)
        running_layout.addWidget(self.progress)
        running_layout.addStretch(1)
        self.pages.addWidget(running)
        # Report page
        report = QWidget()
        report_layout = QVBoxLayout(report)
        report_layout.setContentsMargins(0, 6, 0, 0)
        self.summary = QLabel()
        self.summary.setObjectName("messageBar")
        self.summary.setWordWrap(True)
        report_layout.addWidget(self.summary)
        self.rejected_title = QLabel("Rejected rows")
        self.rejected_title.setObjectName("mutedLabel")
        report_layout.addWidget(self.rejected_title)
        self.rejected_table = _table(["Line", "Why it was rejected"])
        self.rejected_table.setObjectName("rejectedRows")
        self.rejected_table.horizontalHeader().resizeSection(0, 70)
        report_layout.addWidget(self.rejected_table, 1)
        self.save_report_button = QPushButton("Save rejected rows as CSV…")
        self.save_report_button.setAutoDefault(False)
        self.save_report_button.clicked.connect(self._choose_report_file)
        report_layout.addWidget(self.save_report_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.pages.addWidget(report)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("primaryButton")
        # Enter in the file box shows the preview; it must not start the import.
        for button in (browse, self.cancel_button, self.import_button):
            button.setAutoDefault(False)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        self._kind_changed()
        if path:
            self.set_file(path)

    # -- preview ----------------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def _kind_changed(self) -> None:
        noun = "contacts" if self.current_kind() == "contacts" else "events"
        self.header.title.setText(f"Import {noun}")
        self.header.subtitle.setText(
            "Contacts are matched by email (or phone): new ones are added, known ones updated."
            if noun == "contacts"
            else "Each row is something a contact did: email, event, occurred_at, properties."
        )
        if self.path:
            self.set_file(self.path)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import CSV", "", "CSV files (*.csv *.txt)")
        if path:
            self.set_file(path)

    def set_file(self, path: str) -> bool:
        """Read the first rows and show the preview; False (with a sentence) if unreadable."""
        path = path.strip()
        self.path = path or None
        self.report = None  # a new file: the last report is over, the next click imports
        self.file_edit.setText(path)
        self.pages.setCurrentIndex(0)
        self.import_button.setText("Import")
        if not path:
            self.import_button.setEnabled(False)
            return False
        try:
            header, rows = read_preview(path)
        except FileNotFoundError:
            return self._refuse(f"There is no file {path}.")
        except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
            return self._refuse(f"Cannot read {Path(path).name}: {exc}")
        self.preview_table.clear()
        self.preview_table.setColumnCount(len(header))
        self.preview_table.setHorizontalHeaderLabels(header)
        shown = rows[:PREVIEW_ROWS]
        self.preview_table.setRowCount(len(shown))
        for r, row in enumerate(shown):
            for c in range(len(header)):
                self.preview_table.setItem(r, c, QTableWidgetItem(row[c] if c < len(row) else ""))
        self.preview_table.resizeColumnsToContents()
        more = " (and more)" if len(rows) >= SAMPLE_ROWS else ""
        self.preview_title.setText(
            f"First {len(shown)} of {len(rows):,}{more} rows in {Path(path).name}"
        )
        plan = column_plan(self.current_kind(), header, rows)
        self.mapping_table.setRowCount(len(plan))
        for r, (column, becomes, kind) in enumerate(plan):
            for c, text in enumerate((column, becomes, "" if kind == "core" else kind)):
                self.mapping_table.setItem(r, c, QTableWidgetItem(text))
        self.mapping_table.resizeColumnToContents(0)
        problems = plan_problems(self.current_kind(), header)
        if problems:
            return self._refuse(" ".join(problems))
        self.problem.hide()
        self.import_button.setEnabled(True)
        return True

    def _refuse(self, text: str) -> bool:
        self.problem.setText(text)
        self.problem.show()
        self.import_button.setEnabled(False)
        return False

    # -- running ----------------------------------------------------------------------
    def start_import(self) -> BackgroundJob | None:
        if not self.path or self.job is not None:
            return None
        if self.report is not None:  # "Import another file" after a report
            self.report = None
            self.set_file(self.path)
            return None
        engine, kind, path = self.engine, self.current_kind(), self.path
        self.pages.setCurrentIndex(1)
        self.progress.setRange(0, 0)
        self.progress_label.setText(f"Importing {Path(path).name}…")
        self.import_button.setEnabled(False)
        self.kind.setEnabled(False)
        self.cancel_button.setText("Cancel import")
        job = BackgroundJob(lambda progress: run_import(engine, kind, path, progress))
        job.signals.progress.connect(self._progress)
        job.signals.finished.connect(self._finished)
        job.signals.failed.connect(self._failed)
        job.signals.cancelled.connect(self._cancelled)
        self.job = job.start()
        return job

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress_label.setText(f"Imported {done:,} of {total:,} rows…")
        else:
            self.progress_label.setText(f"Imported {done:,} rows…")

    def _ended(self) -> None:
        self.job = None
        self.kind.setEnabled(True)
        self.cancel_button.setText("Close")

    def _finished(self, report: Any) -> None:
        self._ended()
        self.report = report
        inserted, updated, rejected = report_parts(report)
        self.summary.setProperty("kind", "error" if rejected and not (inserted or updated)
                                 else "success")  # fmt: skip
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        noun = "contact" if self.current_kind() == "contacts" else "event"
        parts = [f"{inserted:,} {noun}{'' if inserted == 1 else 's'} added"]
        if self.current_kind() == "contacts":
            parts.append(f"{updated:,} updated")
        parts.append(f"{len(rejected):,} row{'' if len(rejected) == 1 else 's'} rejected")
        self.summary.setText(" · ".join(parts))
        self.rejected_table.setRowCount(len(rejected))
        for r, (line, reason) in enumerate(rejected):
            line_item = QTableWidgetItem(str(line))
            line_item.setData(Qt.ItemDataRole.UserRole, line)
            self.rejected_table.setItem(r, 0, line_item)
            self.rejected_table.setItem(r, 1, QTableWidgetItem(reason))
        self.rejected_title.setVisible(bool(rejected))
        self.rejected_table.setVisible(bool(rejected))
        self.save_report_button.setVisible(bool(rejected))
        self.pages.setCurrentIndex(2)
        self.import_button.setText("Import another file")
        self.import_button.setEnabled(True)
        self.imported.emit(report)

    def _failed(self, text: str) -> None:
        self._ended()
        self.pages.setCurrentIndex(0)
        self._refuse(f"The import stopped: {text}")
        self.import_button.setEnabled(True)

    def _cancelled(self) -> None:
        self._ended()
        self.pages.setCurrentIndex(0)
        self._refuse("Import cancelled. Rows already imported stay; importing again updates them.")
        self.import_button.setEnabled(True)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress_label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            self.job.signals.cancelled.connect(lambda: self.cancel_button.setEnabled(True))
            self.job.signals.finished.connect(lambda _r: self.cancel_button.setEnabled(True))
            return
        self.reject()

    def _choose_report_file(self) -> None:
        default = str(Path(self.path or "import").with_suffix("")) + "-rejected.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Save rejected rows", default, "CSV (*.csv)")
        if path:
            self.save_report(path)

    def save_report(self, path: str | Path) -> None:
        """The rejected rows as CSV: line, reason and the row itself, to fix and import again."""
        lines = dict(self.rejected_rows())
        originals: dict[int, list[str]] = {}
        if self.path:
            with open(self.path, newline="", encoding="utf-8-sig") as handle:
                try:
                    dialect: Any = csv.Sniffer().sniff(handle.readline(), delimiters=",;\t")
                except csv.Error:
                    dialect = csv.excel
                handle.seek(0)
                reader = csv.reader(handle, dialect)
                for row in reader:
                    if reader.line_num in lines:
                        originals[reader.line_num] = row
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "reason", "row"])
            for line, reason in sorted(lines.items()):
                writer.writerow([line, reason, ",".join(originals.get(line, []))])

    def rejected_rows(self) -> list[tuple[int, str]]:
        """The report as shown: (line, reason) per rejected row."""
        rows = []
        for r in range(self.rejected_table.rowCount()):
            rows.append((int(self.rejected_table.item(r, 0).text()),
                         self.rejected_table.item(r, 1).text()))  # fmt: skip
        return rows

    def closeEvent(self, event) -> None:
        if self.job is not None:
            self.job.cancel()
        super().closeEvent(event)
