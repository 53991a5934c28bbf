"""Import contacts or events from CSV: a preview of the first rows, the mapping step (each
column → a core field, an attribute with its type, or ignored; presets recognised from the
header, chosen, or saved), conflicts shown before Import, the import on a worker thread with
progress and Cancel, then the rejected rows and the fields left out."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
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

from app.bridge import Task
from app.import_columns import (
    SAMPLE_ROWS,
    plan_problems,
    read_preview,
    report_parts,
    run_import,
    targets_of,
    value_type,
)
from app.screen_parts import PageHeader
from engine import csv_values as values
from engine import import_mapping as mapping_rules
from engine.db import Engine

PREVIEW_ROWS = 8


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
        self.job: Task | None = None
        self.report: Any = None
        self.header_row: list[str] = []
        self.sample_rows: list[list[str]] = []
        self.setWindowTitle(QCoreApplication.translate("import_dialog", "Import CSV"))
        self.resize(960, 640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        self.header = PageHeader(QCoreApplication.translate("import_dialog", "Import"), "")
        layout.addWidget(self.header)

        chooser = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.addItem(QCoreApplication.translate("import_dialog", "Contacts"), "contacts")
        self.kind.addItem(QCoreApplication.translate("import_dialog", "Events"), "events")
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("importFile")
        self.file_edit.setPlaceholderText(
            QCoreApplication.translate("import_dialog", "Choose a .csv file with a header row")
        )
        self.file_edit.editingFinished.connect(lambda: self.set_file(self.file_edit.text()))
        browse = QPushButton(QCoreApplication.translate("import_dialog", "Choose file…"))
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
        self.preview_title = QLabel(QCoreApplication.translate("import_dialog", "First rows"))
        self.preview_title.setObjectName("mutedLabel")
        top_layout.addWidget(self.preview_title)
        self.preview_table = _table([])
        self.preview_table.setObjectName("importPreview")
        top_layout.addWidget(self.preview_table)
        splitter.addWidget(top)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        mapping_bar = QHBoxLayout()
        mapping_title = QLabel(
            QCoreApplication.translate("import_dialog", "What each column becomes")
        )
        mapping_title.setObjectName("mutedLabel")
        mapping_bar.addWidget(mapping_title, 1)
        mapping_bar.addWidget(QLabel(QCoreApplication.translate("import_dialog", "Preset:")))
        self.preset = QComboBox()
        self.preset.setObjectName("importPreset")
        self.preset.setToolTip(
            QCoreApplication.translate(
                "import_dialog", "Column mappings for the exports of other tools, and your own"
            )
        )
        self.preset.activated.connect(lambda _i: self._preset_chosen())
        mapping_bar.addWidget(self.preset)
        self.save_preset_button = QPushButton(
            QCoreApplication.translate("import_dialog", "Save as preset…")
        )
        self.save_preset_button.setAutoDefault(False)
        self.save_preset_button.clicked.connect(self._ask_preset_name)
        mapping_bar.addWidget(self.save_preset_button)
        bottom_layout.addLayout(mapping_bar)
        self.mapping_table = _table(["Column", "Becomes", "Attribute", "Type", "Note"])
        self.mapping_table.setObjectName("importMapping")
        self.mapping_table.horizontalHeader().setSectionResizeMode(
            4, QHeaderView.ResizeMode.Stretch
        )
        bottom_layout.addWidget(self.mapping_table)
        self.notes = QLabel()
        self.notes.setObjectName("mutedLabel")
        self.notes.setWordWrap(True)
        bottom_layout.addWidget(self.notes)
        splitter.addWidget(bottom)
        preview_layout.addWidget(splitter, 1)
        self.pages.addWidget(preview)
        # Progress page
        running = QWidget()
        running_layout = QVBoxLayout(running)
        running_layout.addStretch(1)
        self.progress_label = QLabel(QCoreApplication.translate("import_dialog", "Importing…"))
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
        self.rejected_title = QLabel(QCoreApplication.translate("import_dialog", "Rejected rows"))
        self.rejected_title.setObjectName("mutedLabel")
        report_layout.addWidget(self.rejected_title)
        self.rejected_table = _table(["Line", "Why it was rejected"])
        self.rejected_table.setObjectName("rejectedRows")
        self.rejected_table.horizontalHeader().resizeSection(0, 70)
        report_layout.addWidget(self.rejected_table, 1)
        self.save_report_button = QPushButton(
            QCoreApplication.translate("import_dialog", "Save rejected rows as CSV…")
        )
        self.save_report_button.setAutoDefault(False)
        self.save_report_button.clicked.connect(self._choose_report_file)
        report_layout.addWidget(self.save_report_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.pages.addWidget(report)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(QCoreApplication.translate("import_dialog", "Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.import_button = QPushButton(QCoreApplication.translate("import_dialog", "Import"))
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
        self.import_button.setText(QCoreApplication.translate("import_dialog", "Import"))
        if not path:
            self.import_button.setEnabled(False)
            return False
        if not Path(path).exists():
            return self._refuse(f"There is no file {path}.")
        try:
            header, rows, mapping = read_preview(
                path, self.current_kind(), self._chosen_preset(), None, self._settings()
            )
        except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
            return self._refuse(f"Cannot read {Path(path).name}: {exc}")
        self.header_row, self.sample_rows = header, rows
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
        self._fill_presets(mapping.preset)
        self._show_mapping(mapping)
        return self._check_mapping()

    # -- the mapping step ---------------------------------------------------------------
    def _settings(self) -> dict:
        from engine.importer import read_settings

        try:
            return read_settings(self.engine)
        except Exception:  # a database that cannot be read: the built-in presets still work
            return {}

    def _chosen_preset(self) -> str | None:
        data = self.preset.currentData() if self.preset.count() else None
        return None if data in (None, "") else str(data)

    def _fill_presets(self, current: str | None) -> None:
        self.preset.blockSignals(True)
        self.preset.clear()
        self.preset.addItem(
            QCoreApplication.translate("import_dialog", "None — by column names"), ""
        )
        for name, preset in mapping_rules.PRESETS.items():
            self.preset.addItem(preset.title, name)
        for name in sorted(mapping_rules.saved_presets(self._settings())):
            self.preset.addItem(f"Saved: {name}", name)
        self.preset.setCurrentIndex(max(0, self.preset.findData(current or "")))
        self.preset.blockSignals(False)

    def _preset_chosen(self) -> None:
        if self.path:
            self.set_file(self.path)

    def _show_mapping(self, mapping: mapping_rules.Mapping) -> None:
        """One row per column: a choice of target, the attribute's name and its type."""
        kind = self.current_kind()
        choices = targets_of(kind)
        core = {t for t, _ in choices} - {"attribute", "ignore"}
        self.mapping_table.setRowCount(len(mapping.columns))
        for r, column in enumerate(mapping.columns):
            self.mapping_table.setItem(r, 0, QTableWidgetItem(column.header))
            becomes = QComboBox()
            for target, label in choices:
                becomes.addItem(label, target)
            target = column.target if column.target in core | {"ignore"} else "attribute"
            becomes.setCurrentIndex(becomes.findData(target))
            name = QLineEdit("" if target != "attribute" else column.target)
            name.setPlaceholderText(QCoreApplication.translate("import_dialog", "name"))
            type_box = QComboBox()
            cells = [row[column.position] for row in self.sample_rows
                     if column.position < len(row)]  # fmt: skip
            detected = value_type(cells)
            type_box.addItem(f"{detected} (from the values)", "")
            for option in values.KINDS:
                type_box.addItem(option, option)
            type_box.setCurrentIndex(max(0, type_box.findData(column.kind or "")))
            for widget in (becomes, type_box):
                widget.currentIndexChanged.connect(lambda _i: self._check_mapping())
            name.textEdited.connect(lambda _t: self._check_mapping())
            self.mapping_table.setCellWidget(r, 1, becomes)
            self.mapping_table.setCellWidget(r, 2, name)
            self.mapping_table.setCellWidget(r, 3, type_box)
            self.mapping_table.setItem(r, 4, QTableWidgetItem(column.note))
        for c in range(4):
            self.mapping_table.resizeColumnToContents(c)

    def chosen_columns(self) -> dict[str, str]:
        """{column: target} as the rows of the mapping step say (the --map form)."""
        out: dict[str, str] = {}
        for r in range(self.mapping_table.rowCount()):
            header = self.mapping_table.item(r, 0).text()
            target = self.mapping_table.cellWidget(r, 1).currentData()
            if target == "attribute":
                name = self.mapping_table.cellWidget(r, 2).text().strip()
                name = name or mapping_rules.slug(header) or f"column_{r + 1}"
                forced = self.mapping_table.cellWidget(r, 3).currentData()
                target = f"{name}:{forced}" if forced else name
            out.setdefault(header, target)  # a repeated header follows its first column
        return out

    def set_column(self, header: str, target: str) -> None:
        """Choose what a column becomes (a core field, "ignore", or an attribute name)."""
        for r in range(self.mapping_table.rowCount()):
            if self.mapping_table.item(r, 0).text() == header:
                becomes = self.mapping_table.cellWidget(r, 1)
                index = becomes.findData(target)
                if index < 0:
                    becomes.setCurrentIndex(becomes.findData("attribute"))
                    self.mapping_table.cellWidget(r, 2).setText(target)
                    self._check_mapping()
                else:
                    becomes.setCurrentIndex(index)
                return
        raise KeyError(header)

    def _check_mapping(self) -> bool:
        """Build the mapping the rows describe; a conflict is shown now, not after Import."""
        for r in range(self.mapping_table.rowCount()):
            is_attribute = self.mapping_table.cellWidget(r, 1).currentData() == "attribute"
            self.mapping_table.cellWidget(r, 2).setEnabled(is_attribute)
            self.mapping_table.cellWidget(r, 3).setEnabled(is_attribute)
        kind = self.current_kind()
        try:
            chosen = mapping_rules.preset_named(self._chosen_preset(), self._settings()) \
                if self._chosen_preset() else None  # fmt: skip
            mapping = mapping_rules.build_mapping(
                self.header_row, kind, chosen, self.chosen_columns()
            )
        except mapping_rules.MappingError as exc:
            return self._refuse(f"{str(exc)[0].upper()}{str(exc)[1:]}.")
        self.notes.setText("\n".join(mapping.notes))
        self.notes.setVisible(bool(mapping.notes))
        problems = plan_problems(kind, mapping)
        if problems:
            return self._refuse(" ".join(problems))
        self.problem.hide()
        self.import_button.setEnabled(True)
        return True

    def _ask_preset_name(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, "Save preset", "Name of this column mapping:")
        if ok and name.strip():
            self.save_preset(name.strip())

    def save_preset(self, name: str) -> None:
        """Store the columns' targets as a named preset (the `import_presets` setting), for
        this dialog and `import contacts FILE --preset NAME`."""
        from engine.settings import save_settings

        settings = self._settings()
        base = self._chosen_preset()
        chosen = mapping_rules.preset_named(base, settings) if base else None
        mapping = mapping_rules.build_mapping(
            self.header_row, self.current_kind(), chosen, self.chosen_columns()
        )
        if base and base not in mapping_rules.PRESETS:  # re-saving a saved one: keep its base
            stored = mapping_rules.saved_presets(settings).get(base) or {}
            mapping.preset = stored.get("base") if isinstance(stored, dict) else None
        presets = dict(mapping_rules.saved_presets(settings))
        presets[name] = mapping_rules.saved_form(mapping)
        save_settings(self.engine, {"import_presets": presets})
        self._fill_presets(name)

    def _refuse(self, text: str) -> bool:
        self.problem.setText(text)
        self.problem.show()
        self.import_button.setEnabled(False)
        return False

    # -- running ----------------------------------------------------------------------
    def start_import(self) -> Task | None:
        if not self.path or self.job is not None:
            return None
        if self.report is not None:  # "Import another file" after a report
            self.report = None
            self.set_file(self.path)
            return None
        if not self._check_mapping():
            return None
        engine, kind, path = self.engine, self.current_kind(), self.path
        preset, columns = self._chosen_preset(), self.chosen_columns()
        self.pages.setCurrentIndex(1)
        self.progress.setRange(0, 0)
        self.progress_label.setText(f"Importing {Path(path).name}…")
        self.import_button.setEnabled(False)
        self.kind.setEnabled(False)
        self.cancel_button.setText(QCoreApplication.translate("import_dialog", "Cancel import"))
        job = Task(lambda progress: run_import(engine, kind, path, progress, preset, columns))
        job.progressed.connect(self._progress)
        job.succeeded.connect(self._finished)
        job.failed.connect(self._failed)
        job.cancelled.connect(self._cancelled)
        self.job = job.start()
        return job

    def _progress(self, done: int, total: int | None) -> None:
        if total is not None and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress_label.setText(f"Imported {done:,} of {total:,} rows…")
        else:
            self.progress_label.setText(f"Imported {done:,} rows…")

    def _ended(self) -> None:
        self.job = None
        self.kind.setEnabled(True)
        self.cancel_button.setText(QCoreApplication.translate("import_dialog", "Close"))

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
        warnings = [(int(w), str(t)) for w, t in getattr(report, "warnings", None) or []]
        if warnings:
            parts.append(f"{len(warnings):,} field{'' if len(warnings) == 1 else 's'} left out")
        self.summary.setText(" · ".join(parts))
        shown = rejected + [(line, f"kept; {reason}") for line, reason in warnings]
        self.rejected_title.setText(
            "Rejected rows"
            + (", and fields left out of contacts that were kept" if warnings else "")
        )
        self.rejected_table.setRowCount(len(shown))
        for r, (line, reason) in enumerate(shown):
            line_item = QTableWidgetItem(str(line))
            line_item.setData(Qt.ItemDataRole.UserRole, line)
            self.rejected_table.setItem(r, 0, line_item)
            self.rejected_table.setItem(r, 1, QTableWidgetItem(reason))
        self.rejected_title.setVisible(bool(shown))
        self.rejected_table.setVisible(bool(shown))
        self.save_report_button.setVisible(bool(rejected))
        self.pages.setCurrentIndex(2)
        self.import_button.setText(
            QCoreApplication.translate("import_dialog", "Import another file")
        )
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
            self.progress_label.setText(QCoreApplication.translate("import_dialog", "Cancelling…"))
            self.cancel_button.setEnabled(False)
            self.job.cancelled.connect(lambda: self.cancel_button.setEnabled(True))
            self.job.succeeded.connect(lambda _r: self.cancel_button.setEnabled(True))
            return
        self.reject()

    def _choose_report_file(self) -> None:
        default = str(Path(self.path or "import").with_suffix("")) + "-rejected.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Save rejected rows", default, "CSV (*.csv)")
        if path:
            self.save_report(path)

    def save_report(self, path: str | Path) -> None:
        """The rejected rows as CSV: line, reason and the row itself, to fix and import again."""
        from engine.csv_safe import safe_writer
        from engine.csv_source import CsvSource

        lines = dict(self.rejected_rows())
        originals: dict[int, list[str]] = {}
        if self.path:
            source = CsvSource(self.path)  # the file's own encoding and delimiter
            with open(self.path, newline="", encoding=source.encoding) as handle:
                reader = csv.reader(handle, source.dialect)
                start = 1
                for row in reader:
                    if start in lines:
                        originals[start] = row
                    start = reader.line_num + 1
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = safe_writer(handle)
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
