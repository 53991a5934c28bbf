"""What the bulk bar's buttons do: ask what is needed (a tag, a segment, a file, a
confirmation naming how many), then run engine.contact_bulk off the GUI thread (app.bridge)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from app.bridge import Task
from app.campaign_dialogs import ask
from engine import contact_bulk
from engine.i18n import plural_text


def _count(template: str, n: int) -> str:
    return plural_text(QCoreApplication.translate("contacts", template, "", n), n)


def ids_of_rows(model: Any, rows: list[int]) -> Callable[[], list[int]]:
    """A function (safe on a worker thread) giving the contact ids of these rows of the
    contacts list (app.contacts.ContactsModel): every contact the list shows when all rows
    are selected, else the rows' own ids (pages not read yet are read with the same filter,
    search and order as the list)."""
    query, order_by = model.query(), model.order_by
    if len(rows) == model.total():
        engine = model.engine

        def everyone() -> list[int]:
            with engine.connect() as conn:
                return contact_bulk.contact_ids(conn, query)

        return everyone
    cached = {number: list(block) for number, block in model._blocks.items()}
    size = model.block_size

    def some() -> list[int]:
        ids = []
        for row in rows:
            number = row // size
            if number not in cached:
                cached[number] = model._read_block(number, query.search, order_by, query)
            block = cached[number]
            if row % size < len(block):
                ids.append(int(block[row % size]["id"]))
        return ids

    return some


class BulkActions(QObject):
    """Runs one bulk action at a time for the contacts table; `done(text, kind)` reports."""

    done = Signal(str, str)  # a sentence, "success" | "error"
    changed = Signal()  # contacts changed: the list reloads

    def __init__(self, engine: Any, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.engine = engine
        self.widget = parent_widget
        self.task: Task | None = None
        self._report: Callable[[int], str] = str

    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.done

    def run(self, action: str, resolve_ids: Callable[[], list[int]], selected: int) -> bool:
        """Ask for what `action` needs about `selected` contacts, then do it in the background.
        `resolve_ids` runs on the worker thread (it may read pages of the list)."""
        if self.busy or selected <= 0:
            return False
        ask_for = getattr(self, f"_ask_{action}")
        job = ask_for(selected)
        if job is None:
            return False
        work, report = job

        def background(_progress):
            ids = resolve_ids()
            return work(ids)

        task = Task(background, title=action)
        self._report = report
        # Bound methods of this GUI-thread object: the outcome arrives on the GUI thread.
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        self.task = task
        task.start()
        return True

    def _succeeded(self, result: int) -> None:
        self.changed.emit()
        self.done.emit(self._report(result), "success")

    def _failed(self, text: str) -> None:
        self.done.emit(text[:1].upper() + text[1:], "error")

    def _in_transaction(self, function: Callable[..., int], *args: Any) -> Callable:
        def work(ids: list[int]) -> int:
            with self.engine.begin() as conn:
                return function(conn, ids, *args)

        return work

    # ---- what each action asks ----
    def _choose(self, title: str, label: str, items: list[str], editable: bool) -> str | None:
        dialog = QInputDialog(self.widget)
        dialog.setObjectName("bulkChoice")
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setComboBoxItems(items)
        dialog.setComboBoxEditable(editable)
        if editable:
            dialog.setTextValue("")
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return None
        return dialog.textValue().strip() or None

    def _choices(self) -> dict[str, list[str]]:
        with self.engine.connect() as conn:
            return contact_bulk.filter_choices(conn)

    def _ask_tag(self, selected: int):
        tag = self._choose(
            QCoreApplication.translate("contacts", "Add tag"),
            _count("Tag for %n contact(s):", selected),
            self._choices()["tags"],
            editable=True,
        )
        if tag is None:
            return None
        return self._in_transaction(
            contact_bulk.add_tag, tag
        ), lambda n: QCoreApplication.translate("contacts", "Tagged {count} with “{tag}”.").format(
            count=_count("%n contact(s)", n), tag=tag
        )

    def _ask_untag(self, selected: int):
        tags = self._choices()["tags"]
        if not tags:
            self.done.emit(
                QCoreApplication.translate("contacts", "No contact has a tag yet."), "error"
            )
            return None
        tag = self._choose(
            QCoreApplication.translate("contacts", "Remove tag"),
            _count("Tag to take off %n contact(s):", selected),
            tags,
            editable=False,
        )
        if tag is None:
            return None
        return self._in_transaction(
            contact_bulk.remove_tag, tag
        ), lambda n: QCoreApplication.translate("contacts", "Took “{tag}” off {count}.").format(
            count=_count("%n contact(s)", n), tag=tag
        )

    def _ask_segment(self, selected: int):
        names = self._choices()["static_segments"]
        if not names:
            self.done.emit(
                QCoreApplication.translate(
                    "contacts", "There is no static segment yet: create one on the Segments screen."
                ),
                "error",
            )
            return None
        name = self._choose(
            QCoreApplication.translate("contacts", "Add to segment"),
            _count("Static segment for %n contact(s):", selected),
            names,
            editable=False,
        )
        if name is None:
            return None
        return self._in_transaction(
            contact_bulk.add_to_segment, name
        ), lambda n: QCoreApplication.translate("contacts", "Added {count} to “{segment}”.").format(
            count=_count("%n contact(s)", n), segment=name
        )

    def _ask_unsubscribe(self, selected: int):
        if not ask(
            self.widget,
            QCoreApplication.translate("contacts", "Unsubscribe contacts"),
            _count(
                "Unsubscribe %n contact(s)? No campaign will send to them again. This is logged "
                "on each contact; only that contact's page can undo it, one at a time.",
                selected,
            ),
            _count("Unsubscribe %n contact(s)", selected),
        ):
            return None
        return self._in_transaction(contact_bulk.unsubscribe), lambda n: QCoreApplication.translate(
            "contacts", "Unsubscribed {count}."
        ).format(count=_count("%n contact(s)", n))

    def _ask_delete(self, selected: int):
        if not ask(
            self.widget,
            QCoreApplication.translate("contacts", "Delete contacts"),
            _count(
                "Delete %n contact(s) with their tags, segment memberships and history? "
                "This cannot be undone.",
                selected,
            ),
            _count("Delete %n contact(s)", selected),
        ):
            return None
        return self._in_transaction(
            contact_bulk.delete_contacts
        ), lambda n: QCoreApplication.translate("contacts", "Deleted {count}.").format(
            count=_count("%n contact(s)", n)
        )

    def _ask_export(self, selected: int):
        dialog = QFileDialog(
            self.widget,
            QCoreApplication.translate("contacts", "Export contacts"),
            "contacts.csv",
            QCoreApplication.translate("contacts", "CSV files (*.csv)"),
        )
        dialog.setObjectName("exportContactsDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        path = dialog.selectedFiles()[0]

        def work(ids: list[int]) -> int:
            buffer = io.StringIO()
            count = contact_bulk.export_contacts(self.engine, buffer, ids)
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(buffer.getvalue())
            return count

        return work, lambda n: QCoreApplication.translate(
            "contacts", "Exported {count} to {path}."
        ).format(count=_count("%n contact(s)", n), path=path)
