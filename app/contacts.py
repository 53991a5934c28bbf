"""The contacts screen: a table over paged queries that stays fast with 100,000 contacts,
a debounced search, CSV import, and a contact's page on double-click."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import name_view
from app.bridge import Task
from app.campaign_dialogs import MessageBar
from app.contact_actions import BulkActions, ids_of_rows
from app.contact_filters import BulkBar, FilterBar
from app.contact_text import contact_name, contact_place, format_date
from app.screen_parts import Debouncer, PageHeader, TagChipsDelegate
from app.style import palette_colour
from engine import contact_bulk, store
from engine.contact_bulk import ContactFilter
from engine.db import Engine
from engine.i18n import plural_text

# (header, field used for sorting or None when the column cannot sort)
COLUMNS: list[tuple[str, str | None]] = [
    ("Email", "email"),
    ("Name", "first_name"),
    ("Phone", "phone"),
    ("Country / time zone", "timezone"),
    ("Tags", None),
    ("Score", "score"),
    ("Status", "unsubscribed"),
    ("Created", "created_at"),
]
EMAIL, NAME, PHONE, PLACE, TAGS, SCORE, UNSUBSCRIBED, CREATED = range(len(COLUMNS))

ContactIdRole = Qt.ItemDataRole.UserRole
TagsRole = TagChipsDelegate.TAGS_ROLE


class ContactsModel(QAbstractTableModel):
    """Rows come from `list_contacts` in blocks of `block_size`, kept in a small LRU cache;
    only the blocks the view asks for are ever read, on a worker thread, so a slow page
    (a sort on an unindexed column, a remote server) never freezes the window: rows show
    "Loading…" until their block arrives. `queries` and `rows_fetched` count the work."""

    blockLoaded = Signal(int)

    def __init__(
        self,
        engine: Engine,
        block_size: int = 200,
        max_blocks: int = 24,
        parent=None,
        background: bool = True,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.block_size = block_size
        self.max_blocks = max_blocks
        self.background = background
        self.search = ""
        self.filter = ContactFilter()  # segment, tag, field test, status (no search words)
        self.filter_error = ""  # a sentence when the filter cannot be used
        self.order_by = "id"
        self._count: int | None = None
        self._blocks: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()
        self._loading: dict[int, Task] = {}
        self._running: set[Task] = set()  # alive until the worker is done
        self._wanted: list[int] = []  # the most recently asked-for blocks, newest last
        self._generation = 0
        self.queries = 0
        self.rows_fetched = 0

    # -- the data source ------------------------------------------------------------
    def set_search(self, text: str) -> None:
        text = text.strip()
        if text != self.search:
            self.search = text
            self.reload()

    def set_filter(self, chosen: ContactFilter) -> None:
        if chosen != self.filter:
            self.filter = chosen
            self.reload()

    def query(self) -> ContactFilter:
        """The filter with the search words: what the list shows."""
        return replace(self.filter, search=self.search)

    def reload(self) -> None:
        self.beginResetModel()
        self._generation += 1  # answers to older questions are dropped
        self._count = None
        self._blocks.clear()
        self._loading.clear()
        self._wanted.clear()
        self.endResetModel()

    def total(self) -> int:
        if self._count is None:
            self.filter_error = ""
            try:
                with self.engine.connect() as conn:
                    self._count = int(contact_bulk.count_contacts(conn, self.query()))
            except contact_bulk.FilterError as exc:
                self.filter_error, self._count = str(exc), 0
            self.queries += 1
        return self._count

    def _read_block(
        self, number: int, search: str, order_by: str, chosen: ContactFilter | None = None
    ) -> list[dict[str, Any]]:
        chosen = replace(chosen or self.filter, search=search)
        with self.engine.connect() as conn:
            block = list(
                contact_bulk.list_contacts(
                    conn,
                    chosen,
                    offset=number * self.block_size,
                    limit=self.block_size,
                    order_by=order_by,
                )
            )
        self.queries += 1
        self.rows_fetched += len(block)
        return block

    def _keep(self, number: int, block: list[dict[str, Any]]) -> None:
        self._blocks[number] = block
        while len(self._blocks) > self.max_blocks:
            self._blocks.popitem(last=False)

    def _block(self, number: int) -> list[dict[str, Any]] | None:
        """The block if it is here; otherwise None, and it is being fetched."""
        block = self._blocks.get(number)
        if block is not None:
            self._blocks.move_to_end(number)
            return block
        if not self.background:
            block = self._read_block(number, self.search, self.order_by)
            self._keep(number, block)
            return block
        if number in self._wanted:
            self._wanted.remove(number)
        self._wanted = [*self._wanted[-3:], number]
        if number not in self._loading:
            self._fetch(number)
        return None

    def _fetch(self, number: int) -> None:
        generation, search, order_by = self._generation, self.search, self.order_by
        chosen = self.filter

        def work(_progress):
            # Scrolled past before a worker was free: skip the query.
            if generation != self._generation or number not in self._wanted:
                return None
            return self._read_block(number, search, order_by, chosen)

        job = Task(work)
        job.succeeded.connect(lambda block: self._arrived(generation, number, block))
        job.failed.connect(lambda _text: self._loading.pop(number, None))
        for signal in (job.succeeded, job.failed, job.cancelled):
            signal.connect(lambda *_args, job=job: self._running.discard(job))
        self._loading[number] = job
        self._running.add(job)
        job.start()

    def _arrived(self, generation: int, number: int, block: list | None) -> None:
        if generation != self._generation:
            return
        self._loading.pop(number, None)
        if block is None:
            return
        self._keep(number, block)
        first = number * self.block_size
        last = min(first + len(block), self.total()) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.blockLoaded.emit(number)

    def is_loaded(self, row: int) -> bool:
        return row // self.block_size in self._blocks

    def contact_at(self, row: int) -> dict[str, Any] | None:
        if row < 0 or row >= self.total():
            return None
        block = self._block(row // self.block_size)
        if block is None:
            return None
        offset = row % self.block_size
        return block[offset] if offset < len(block) else None

    def cached_rows(self) -> int:
        return sum(len(block) for block in self._blocks.values())

    # -- QAbstractTableModel ----------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.total()

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        contact = self.contact_at(index.row())
        column = index.column()
        if contact is None:
            if role == Qt.ItemDataRole.DisplayRole and column == EMAIL:
                return "Loading…"
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(palette_colour("muted"))
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(contact, column)
        if role == ContactIdRole:
            return contact["id"]
        if role == TagsRole:
            return contact.get("tags") or []
        if role == Qt.ItemDataRole.ToolTipRole and column == TAGS:
            return ", ".join(contact.get("tags") or [])
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == UNSUBSCRIBED:
                bad = contact.get("unsubscribed") or contact.get("bounced")
                return QColor(palette_colour("error_fg" if bad else "good"))
            if column in (CREATED, PHONE, PLACE):
                return QColor(palette_colour("muted"))
        return None

    @staticmethod
    def _display(contact: dict[str, Any], column: int) -> str:
        if column == EMAIL:
            return contact.get("email") or ""
        if column == NAME:
            return contact_name(contact)
        if column == PHONE:
            return contact.get("phone") or ""
        if column == PLACE:
            return contact_place(contact)
        if column == TAGS:
            return ""  # drawn as chips by TagChipsDelegate
        if column == SCORE:
            return str(contact.get("score") or 0)
        if column == UNSUBSCRIBED:
            if contact.get("unsubscribed"):
                return "Unsubscribed"
            return "Bounced" if contact.get("bounced") else "Subscribed"
        if column == CREATED:
            return format_date(contact.get("created_at"))
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        field = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else "id"
        if field is None:
            return
        order_by = field if order == Qt.SortOrder.AscendingOrder else f"-{field}"
        if order_by != self.order_by:
            self.order_by = order_by
            self.reload()


class ContactsTable(QWidget):
    """The list half of the screen: header, search, table."""

    contactActivated = Signal(int)
    importRequested = Signal()
    newRequested = Signal()
    contactsChanged = Signal()  # a bulk action changed or deleted contacts

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ContactsModel(engine, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        self.header = PageHeader(QCoreApplication.translate("contacts", "Contacts"), "")
        self.import_button = QPushButton(QCoreApplication.translate("contacts", "Import CSV…"))
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.importRequested)
        self.header.add_action_widget(self.import_button)
        self.new_button = QPushButton(QCoreApplication.translate("contacts", "New contact"))
        self.new_button.setObjectName("primaryButton")
        self.new_button.clicked.connect(self.newRequested)
        self.header.add_action_widget(self.new_button)
        layout.addWidget(self.header)

        bar = QHBoxLayout()
        self.search_box = QLineEdit()
        self.search_box.setObjectName("contactSearch")
        self.search_box.setAccessibleName(QCoreApplication.translate("contacts", "Search contacts"))
        self.search_box.setPlaceholderText(
            QCoreApplication.translate("contacts", "Search by name, email or phone…")
        )
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(320)
        self.search_debounce = Debouncer(250, self._apply_search, self)
        self.search_box.textChanged.connect(self.search_debounce.poke)
        self.search_box.returnPressed.connect(self.search_debounce.flush)
        bar.addWidget(self.search_box)
        bar.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("mutedLabel")
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        self.filters = FilterBar()
        self.filters.changed.connect(self._apply_filter)
        layout.addWidget(self.filters)
        self.bulk_bar = BulkBar()
        self.bulk_bar.triggered.connect(self.run_bulk)
        layout.addWidget(self.bulk_bar)
        self.message = MessageBar()
        layout.addWidget(self.message)
        self.bulk = BulkActions(engine, self)
        self.bulk.done.connect(self.message.show_message)
        self.bulk.changed.connect(self._bulk_changed)

        self.view = QTableView()
        self.view.setObjectName("contactsTable")
        name_view(
            self.view,
            QCoreApplication.translate("contacts", "Contacts"),
            QCoreApplication.translate("contacts", "Return opens the selected contact"),
        )
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(TAGS, TagChipsDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Many rows: Shift/Ctrl+click and Ctrl+A select what the bulk bar acts on.
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        # No sort indicator at first: contacts in the order they were added (by id).
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.verticalHeader().hide()
        # Uniform rows: the view never asks every row for its height.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(30)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in {
            EMAIL: 255, NAME: 160, PHONE: 135, PLACE: 190, TAGS: 200,
            SCORE: 70, UNSUBSCRIBED: 115, CREATED: 105,
        }.items():  # fmt: skip
            header.resizeSection(column, width)
        header.setSectionResizeMode(TAGS, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.view.doubleClicked.connect(self._activate)
        self.view.activated.connect(self._activate)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(lambda: (self.search_box.setFocus(), self.search_box.selectAll()))
        open_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Return), self.view)
        open_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        open_shortcut.activated.connect(self._activate_current)
        layout.addWidget(self.view, 1)
        self.model.modelReset.connect(self._update_count)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self._update_count()
        self.reload_choices()

    # ---- filters and the actions on a selection ----
    def reload_choices(self) -> None:
        """Segments, tags and fields for the filter bar (after imports and bulk tagging)."""
        with self.model.engine.connect() as conn:
            self.filters.set_choices(contact_bulk.filter_choices(conn))

    def _apply_filter(self, chosen: ContactFilter) -> None:
        self.model.set_filter(chosen)
        self.filters.show_problem(self.model.filter_error)

    def selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.view.selectionModel().selectedRows())

    def _selection_changed(self, *_args: Any) -> None:
        self.bulk_bar.set_count(len(self.selected_rows()))

    def run_bulk(self, action: str) -> bool:
        rows = self.selected_rows()
        return self.bulk.run(action, ids_of_rows(self.model, rows), len(rows))

    def _bulk_changed(self) -> None:
        self.model.reload()
        self.reload_choices()
        self.contactsChanged.emit()

    def _apply_search(self) -> None:
        self.model.set_search(self.search_box.text())

    def _update_count(self) -> None:
        total = self.model.total()
        if self.model.filter != ContactFilter():  # the subtitle keeps the whole audience
            text = QCoreApplication.translate(
                "contacts", "%n contact(s) match the filters", "", total
            )
            self.count_label.setText(plural_text(text, total))
        elif self.model.search:
            text = QCoreApplication.translate(
                "contacts", "%n contact(s) match “{search}”", "", total
            )
            self.count_label.setText(plural_text(text, total).format(search=self.model.search))
        else:
            text = QCoreApplication.translate("contacts", "%n contact(s)", "", total)
            self.count_label.setText(plural_text(text, total))
            text = QCoreApplication.translate(
                "contacts", "%n people in your audience — double-click one to see their journey",
                "", total,
            )  # fmt: skip
            self.header.subtitle.setText(plural_text(text, total))

    def _activate(self, index: QModelIndex) -> None:
        contact_id = index.data(ContactIdRole)
        if contact_id is not None:
            self.contactActivated.emit(int(contact_id))

    def _activate_current(self) -> None:
        self._activate(self.view.currentIndex())


class ContactsScreen(QWidget):
    """Contacts list ⇄ a contact's page, in one widget the main window embeds."""

    contactOpened = Signal(int)
    contactsChanged = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.table = ContactsTable(engine)
        self.table.contactActivated.connect(self.open_contact)
        self.table.importRequested.connect(self.open_import)
        self.table.newRequested.connect(self.new_contact)
        self.table.contactsChanged.connect(self.contactsChanged)
        self.stack.addWidget(self.table)
        self.page = None

    # Shortcuts the main window and tests use.
    @property
    def model(self) -> ContactsModel:
        return self.table.model

    @property
    def view(self) -> QTableView:
        return self.table.view

    @property
    def search_box(self) -> QLineEdit:
        return self.table.search_box

    def refresh(self) -> None:
        self.model.reload()

    def refresh_if_changed(self) -> None:
        """Reload when contacts were added or removed elsewhere (imports, the engine)."""
        try:
            with self.engine.connect() as conn:
                count = contact_bulk.count_contacts(conn, self.model.query())
        except contact_bulk.FilterError:
            count = 0
        if count != self.model.total():
            self.model.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.stack.currentWidget() is self.table:
            self.refresh_if_changed()

    def new_contact(self) -> NewContactDialog:
        dialog = NewContactDialog(self.engine, self)
        dialog.created.connect(self._created)
        dialog.open()
        return dialog

    def _created(self, contact_id: int) -> None:
        self.model.reload()
        self.contactsChanged.emit()
        self.open_contact(contact_id)

    def _contact_deleted(self, _contact_id: int) -> None:
        self.model.reload()
        self.contactsChanged.emit()
        self.show_list()

    def open_contact(self, contact_id: int) -> None:
        from app.contact_page import ContactPage

        if self.page is None:
            self.page = ContactPage(self.engine)
            self.page.backRequested.connect(self.show_list)
            self.page.saved.connect(self._contact_saved)
            self.page.deleted.connect(self._contact_deleted)
            self.stack.addWidget(self.page)
        self.page.load(contact_id)
        self.stack.setCurrentWidget(self.page)
        self.contactOpened.emit(contact_id)

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.table)
        self.table.view.setFocus()

    def _contact_saved(self, _contact_id: int) -> None:
        self.model.reload()
        self.table.reload_choices()
        self.contactsChanged.emit()

    def open_import(self, kind: str = "contacts"):
        from app.import_dialog import ImportDialog

        dialog = ImportDialog(self.engine, kind=kind, parent=self)
        dialog.imported.connect(lambda _report: self._contact_saved(0))
        dialog.open()
        return dialog


class NewContactDialog(QDialog):
    """Add one contact by hand: an email or a phone, and a name."""

    created = Signal(int)

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.setWindowTitle(QCoreApplication.translate("contacts", "New contact"))
        self.setMinimumWidth(420)
        form = QFormLayout(self)
        self.fields: dict[str, QLineEdit] = {}
        example = QCoreApplication.translate("contacts", "e.g. {example}")
        for key, label, hint in (  # hints read as hints, never as a value already typed
            ("email", QCoreApplication.translate("contacts", "Email"),
             example.format(example="name@example.com")),
            ("first_name", QCoreApplication.translate("contacts", "First name"), ""),
            ("last_name", QCoreApplication.translate("contacts", "Last name"), ""),
            ("phone", QCoreApplication.translate("contacts", "Phone"),
             example.format(example="+49 30 1234567")),
        ):  # fmt: skip
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            self.fields[key] = edit
            form.addRow(label, edit)
        self.problem = QLabel()
        self.problem.setObjectName("formProblem")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.add_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText(QCoreApplication.translate("contacts", "Add contact"))
        self.add_button.setObjectName("primaryButton")
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def add(self) -> int | None:
        values = {k: e.text().strip() or None for k, e in self.fields.items()}
        try:
            with self.engine.begin() as conn:
                contact_id = store.create_contact(conn, **values)
        except store.DuplicateContact:
            self.problem.setText(
                QCoreApplication.translate(
                    "contacts", "A contact with {email} already exists."
                ).format(email=values["email"])
            )
            return None
        except (store.StoreError, ValueError) as exc:
            self.problem.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return None
        self.accept()
        self.created.emit(contact_id)
        return contact_id
