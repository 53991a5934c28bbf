"""The templates screen: email (subject, HTML, text), SMS and message templates, with a
live preview rendered by the engine's sandbox for a chosen contact; errors at their line."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import name_view
from app.contact_text import contact_name
from app.screen_parts import (
    CodeEditor,
    Debouncer,
    PageHeader,
    ask,
    error_text,
    usage_sentence,
)
from app.template_preview import SendTestRow, TemplatePreview, preview_context
from engine import store, templating
from engine.campaigns import campaigns_using
from engine.db import Engine
from engine.i18n import plural_text
from engine.paths import resource
from engine.step_message import SAMPLE_CONTACT  # the step preview's sample, too
from engine.templating import TemplateError

CHANNELS = (("email", "Email"), ("sms", "SMS"), ("message", "Message (messenger / push)"))
# What `contact` always has besides its attributes (engine.runner.messages.contact_context).
CONTACT_NAMES = frozenset({"id", "email", "phone", "first_name", "last_name", "timezone",
                           "created_at", "updated_at", "unsubscribed", "bounced", "score",
                           "attributes", "name", "tags"})  # fmt: skip
CHANNEL_LABELS = {"email": "Email", "sms": "SMS", "message": "Message"}


class TemplateEditor(QWidget):
    """The editing half: name, channel, sender, subject, HTML and text, error lines."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.name = QLineEdit()
        self.name.setObjectName("templateName")
        self.name.setPlaceholderText(QCoreApplication.translate("templates", "welcome-email"))
        self.channel = QComboBox()
        self.channel.setAccessibleName(QCoreApplication.translate("templates", "Channel"))
        for key, label in CHANNELS:
            self.channel.addItem(label, key)
        self.sender = QComboBox()  # the sender identities from the settings, or typed
        self.sender.setAccessibleName(QCoreApplication.translate("templates", "From"))
        self.sender.setEditable(True)
        self.sender.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.sender.lineEdit().setPlaceholderText(
            QCoreApplication.translate("templates", "Default sender (from settings)")
        )
        self.subject = QLineEdit()
        self.subject.setObjectName("templateSubject")
        self.subject.setAccessibleName(QCoreApplication.translate("templates", "Subject"))
        self.subject.setPlaceholderText(
            QCoreApplication.translate("templates", "Welcome, {{ contact.first_name }}!")
        )
        form.addRow(QCoreApplication.translate("templates", "Name"), self.name)
        form.addRow(QCoreApplication.translate("templates", "Channel"), self.channel)
        self.sender_label = QLabel(QCoreApplication.translate("templates", "From"))
        form.addRow(self.sender_label, self.sender)
        self.subject_label = QLabel(QCoreApplication.translate("templates", "Subject"))
        form.addRow(self.subject_label, self.subject)
        layout.addLayout(form)
        self.subject_error = QLabel()
        self.subject_error.setObjectName("messageBar")
        self.subject_error.setProperty("kind", "error")
        self.subject_error.hide()
        layout.addWidget(self.subject_error)

        self.tabs = QTabWidget()
        self.html = CodeEditor()
        self.html.setObjectName("templateHtml")
        self.html.setAccessibleName(QCoreApplication.translate("templates", "HTML"))
        self.text = CodeEditor()
        self.text.setObjectName("templateText")
        self.tabs.addTab(self.html, QCoreApplication.translate("templates", "HTML"))
        self.tabs.addTab(self.text, QCoreApplication.translate("templates", "Plain text"))
        layout.addWidget(self.tabs, 1)
        self.body_error = QLabel()
        self.body_error.setObjectName("messageBar")
        self.body_error.setWordWrap(True)
        self.body_error.setProperty("kind", "error")
        self.body_error.hide()
        layout.addWidget(self.body_error)
        hint = QLabel(
            QCoreApplication.translate(
                "templates",
                "Use {{ contact.first_name }}, {{ contact.attributes.plan }}, {{ campaign.name }}, "
                "{{ unsubscribe_url }} — templates run in a sandbox.",
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("mutedLabel")
        layout.addWidget(hint)
        self.notice = QLabel()
        self.notice.setObjectName("messageBar")  # a warning: renders, but probably wrong
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice)

        for edit in (self.name, self.sender.lineEdit(), self.subject):
            edit.textEdited.connect(self.changed)
        self.sender.activated.connect(self.changed)
        self.html.textChanged.connect(self.changed)
        self.text.textChanged.connect(self.changed)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self._channel_changed()

    def current_channel(self) -> str:
        return self.channel.currentData()

    def set_senders(self, senders: list[str]) -> None:
        text = self.sender.currentText()
        self.sender.blockSignals(True)
        self.sender.clear()
        self.sender.addItems(senders)
        self.sender.setEditText(text)
        self.sender.blockSignals(False)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _channel_changed(self) -> None:
        email = self.current_channel() == "email"
        example = {
            "email": QCoreApplication.translate("templates", "e.g. welcome-email"),
            "sms": QCoreApplication.translate("templates", "e.g. reminder-sms"),
        }
        self.name.setPlaceholderText(
            example.get(
                self.current_channel(), QCoreApplication.translate("templates", "e.g. app-nudge")
            )
        )
        for widget in (self.subject, self.subject_label, self.sender, self.sender_label):
            widget.setVisible(email)
        self.tabs.setTabVisible(0, email)
        self.tabs.setTabText(
            1,
            QCoreApplication.translate("templates", "Plain text")
            if email
            else QCoreApplication.translate("templates", "Message"),
        )
        if not email:
            self.tabs.setCurrentIndex(1)
        self.changed.emit()

    def set_template(self, template: dict[str, Any]) -> None:
        self.name.setText(template.get("name") or "")
        self.channel.setCurrentIndex(max(0, self.channel.findData(template.get("channel"))))
        self.sender.setEditText(template.get("sender") or "")
        self.subject.setText(template.get("subject") or "")
        for edit in (self.name, self.sender.lineEdit(), self.subject):
            edit.setCursorPosition(0)  # show the start of long values
        self.html.setPlainText(template.get("html") or "")
        self.text.setPlainText(template.get("text") or "")
        self.tabs.setCurrentIndex(0 if self.current_channel() == "email" else 1)

    def template(self) -> dict[str, Any]:
        email = self.current_channel() == "email"
        return {
            "name": self.name.text().strip(),
            "channel": self.current_channel(),
            "sender": (self.sender.currentText().strip() or None) if email else None,
            "subject": self.subject.text() if email else "",
            "html": self.html.toPlainText() if email else "",
            "text": self.text.toPlainText(),
        }

    def parts(self) -> list[tuple[str, str, bool]]:
        """(part, source, is_html) for what this channel sends."""
        template = self.template()
        if template["channel"] == "email":
            return [("subject", template["subject"], False), ("html", template["html"], True),
                    ("text", template["text"], False)]  # fmt: skip
        return [("text", template["text"], False)]

    def show_error(self, part: str | None, error: TemplateError | None) -> None:
        """Mark the failing line in its editor and say what is wrong under it."""
        self.html.mark_error_line(None)
        self.text.mark_error_line(None)
        self.subject_error.hide()
        self.body_error.hide()
        if error is None or part is None:
            return
        message = str(error).split(": ", 1)[-1] if error.line else str(error)
        where = {"subject": "Subject", "html": "HTML", "text": "Text"}[part]
        text = f"{where}, line {error.line}: {message}" if error.line else f"{where}: {message}"
        if part == "subject":
            self.subject_error.setText(text)
            self.subject_error.show()
            return
        editor = self.html if part == "html" else self.text
        editor.mark_error_line(error.line)
        self.tabs.setCurrentWidget(editor)
        self.body_error.setText(text)
        self.body_error.show()


class TemplatesScreen(QWidget):
    """Templates list on the left, editor in the middle, preview on the right."""

    templatesChanged = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.current_name: str | None = None
        self.preview_contact: dict[str, Any] = dict(SAMPLE_CONTACT)
        self.last_error: TemplateError | None = None
        self.dirty = False
        self._shown_once = False
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        self.header = PageHeader(
            QCoreApplication.translate("templates", "Templates"),
            QCoreApplication.translate(
                "templates", "Messages your campaigns send, rendered per contact"
            ),
        )
        self.new_button = QPushButton(QCoreApplication.translate("templates", "New template"))
        menu = QMenu(self.new_button)
        for key, label in CHANNELS:
            menu.addAction(label, lambda k=key: self.unless_unsaved(lambda: self.new_template(k)))
        self.new_button.setMenu(menu)
        self.header.add_action_widget(self.new_button)
        outer.addWidget(self.header)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setSpacing(2)  # two-line entries (name, then rule): one apart from the next
        self.list.setObjectName("templateList")
        name_view(self.list, QCoreApplication.translate("templates", "Templates"))
        self.list.setSpacing(2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.currentItemChanged.connect(self._select)
        left_layout.addWidget(self.list)
        splitter.addWidget(left)

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(8, 0, 8, 0)
        self.editor = TemplateEditor()
        self.editor.changed.connect(self._edited)
        middle_layout.addWidget(self.editor, 1)
        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("mutedLabel")
        self.status.setWordWrap(True)
        buttons.addWidget(self.status, 1)
        self.delete_button = QPushButton(QCoreApplication.translate("templates", "Delete"))
        self.delete_button.setObjectName("deleteTemplate")
        self.delete_button.clicked.connect(self.confirm_delete)
        self.save_button = QPushButton(QCoreApplication.translate("templates", "Save"))
        self.save_button.setObjectName("primaryButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save())
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        middle_layout.addLayout(buttons)
        splitter.addWidget(middle)

        self.preview = TemplatePreview()
        frame = QFrame()
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(8, 0, 0, 0)
        frame_layout.addWidget(self.preview)
        self.test_row = SendTestRow()  # the template as it stands, to an address
        self.test_row.send = self._send_test
        frame_layout.addWidget(self.test_row)
        splitter.addWidget(frame)
        splitter.setSizes([190, 520, 480])
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)
        outer.addWidget(splitter, 1)

        self.default_sender = "the default sender"
        self.known_fields: set[str] = set()
        try:
            from app.settings_store import load_settings

            settings = load_settings(engine)
            self.default_sender = settings.get("sender") or self.default_sender
            self.editor.set_senders(
                [f"{s['name']} <{s['email']}>" if s.get("name") else s["email"]
                 for s in settings.get("senders") or [] if s.get("email")]
            )  # fmt: skip
        except Exception:  # settings unreadable: the preview still works
            pass
        self.preview_debounce = Debouncer(300, self.update_preview, self)
        self.contact_search = Debouncer(250, self._search_contacts, self)
        picker = self.preview.contact_picker
        picker.lineEdit().textEdited.connect(self.contact_search.poke)
        picker.activated.connect(self._contact_chosen)
        self.reload()

    def showEvent(self, event) -> None:
        """Pick up changes made elsewhere (imports, the demo), unless an edit is open."""
        super().showEvent(event)
        if self._shown_once and not self.dirty:
            self.reload()
        self._shown_once = True

    # -- list -------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        with self.engine.connect() as conn:
            templates = store.list_templates(conn)
        self._loading = True
        self.list.clear()
        for template in templates:
            channel = CHANNEL_LABELS.get(template.get("channel"), template.get("channel"))
            summary = (template.get("subject") or template.get("text") or "").splitlines()
            item = QListWidgetItem(f"{template['name']}\n{channel} · {(summary or [''])[0][:40]}")
            item.setData(Qt.ItemDataRole.UserRole, template["name"])
            item.setToolTip(template.get("subject") or template.get("text") or "")
            self.list.addItem(item)
        self._loading = False
        if self.preview.contact_picker.count() == 0:
            self._search_contacts(initial=True)
        with self.engine.connect() as conn:
            self.known_fields = store.contact_fields(conn)
        target = select or self.current_name
        names = [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]
        if target in names:
            self.list.setCurrentRow(names.index(target))
        elif names:
            self.list.setCurrentRow(0)
        else:
            self.new_template("email")
        count = len(names)
        text = QCoreApplication.translate(
            "templates", "%n template(s) · messages your campaigns send, rendered per contact",
            "", count,
        )  # fmt: skip
        self.header.subtitle.setText(plural_text(text, count))

    def _select(self, item: QListWidgetItem | None, _previous=None) -> None:
        if self._loading or item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        self.unless_unsaved(lambda: self.open_template(name))

    def unless_unsaved(self, action) -> QMessageBox | None:
        """Run `action` now, or after the user agrees to drop unsaved changes."""
        if not self.dirty:
            action()
            return None
        self._show_current_in_list()
        what = f"“{self.current_name}”" if self.current_name else "the new template"
        return ask(
            self,
            QCoreApplication.translate("templates", "Unsaved changes"),
            f"Discard your changes to {what}?",
            QCoreApplication.translate("templates", "Discard changes"),
            action,
        )

    def _show_current_in_list(self) -> None:
        self._loading = True
        self.list.clearSelection()
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == self.current_name:
                self.list.setCurrentRow(row)
        self._loading = False

    def open_template(self, name: str) -> None:
        with self.engine.connect() as conn:
            template = store.get_template(conn, name)
        self.current_name = name
        self._loading = True
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentRow(row)
        self.editor.set_template(template)
        self._loading = False
        self.status.setText("")
        self.dirty = False
        self.delete_button.setEnabled(True)
        self.update_preview()

    def new_template(self, channel: str = "email") -> None:
        self.current_name = None
        self.list.clearSelection()
        self._loading = True
        hello = "{{ ', ' ~ contact.first_name if contact.first_name }}"  # never "Hello None"
        samples = {
            # A responsive starter (readable at 375 px and 600 px, resources/templates)
            "email": {"subject": f"Hello{hello}",
                      "html": resource("templates", "starter.html").read_text(encoding="utf-8"),
                      "text": f"Hello{hello}!\n\nWrite your message here.\n\n"
                              "Unsubscribe: {{ unsubscribe_url }}\n"},
            "sms": {"text": f"Hi{hello}, …"},
            "message": {"text": f"Hi{hello}, …"},
        }  # fmt: skip
        self.editor.set_template({"name": "", "channel": channel, **samples[channel]})
        self._loading = False
        self.delete_button.setEnabled(False)
        self.dirty = False
        self.status.setText(
            QCoreApplication.translate("templates", "New template — give it a name and save")
        )
        self.editor.name.setFocus()
        self.update_preview()

    # -- preview ----------------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading:
            return
        self.dirty = True
        self.status.setText(QCoreApplication.translate("templates", "Unsaved changes"))
        self.preview_debounce.poke()

    def check(self) -> tuple[str | None, TemplateError | None]:
        for part, source, is_html in self.editor.parts():
            try:
                templating.compile_template(source, is_html)
            except TemplateError as exc:
                return part, exc
        return None, None

    def update_preview(self) -> None:
        """Render every part for the chosen contact; show the first error at its line."""
        self.test_row.setVisible(self.editor.current_channel() == "email")
        part, error = self.check()
        rendered: dict[str, str] = {}
        if error is None:
            context = preview_context(self.preview_contact, self.editor.current_channel())
            for name, source, is_html in self.editor.parts():
                try:
                    rendered[name] = templating.render(source, context, html=is_html)
                except TemplateError as exc:
                    part, error = name, exc
                    break
        self.last_error = error
        self.editor.show_error(part, error)
        self.editor.show_notice("" if error else self.unknown_names_notice())
        if error is not None:
            self.preview.show_failure(f"Cannot render: {error_text(error)}")
            return
        template = self.editor.template()
        if template["channel"] == "email":
            sender = template["sender"] or self.default_sender
            self.preview.show_email(self.preview_contact, rendered["subject"], rendered["html"],
                                    rendered["text"], sender)  # fmt: skip
        else:
            self.preview.show_short(self.preview_contact, template["channel"], rendered["text"])

    def unknown_names_notice(self) -> str:
        """Names that render as empty when sending: a typo, or a field no contact has."""
        sources = [source for _part, source, _html in self.editor.parts()]
        unknown = sorted(set().union(*(templating.unknown_names(s) for s in sources)))
        used = set().union(*(templating.contact_variables(s) for s in sources))
        missing = sorted(used - self.known_fields - CONTACT_NAMES) if self.known_fields else []
        notes = []
        if unknown:
            notes.append(f"{', '.join(unknown)}: not provided when sending (use contact., "
                         "campaign. or unsubscribe_url)")  # fmt: skip
        if missing:
            notes.append(f"No contact has {', '.join(missing)}; it will be empty")
        return ". ".join(notes)

    def _search_contacts(self, initial: bool = False) -> None:
        picker = self.preview.contact_picker
        text = "" if initial else picker.currentText().strip()
        if not initial and "<" in text:
            return  # the user chose an entry, nothing to search
        with self.engine.connect() as conn:
            found = store.list_contacts(conn, search=text, limit=30)
        picker.blockSignals(True)
        picker.clear()
        picker.addItem(
            QCoreApplication.translate("templates", "Sample contact (Alex Sample)"), None
        )
        for contact in found:
            label = (
                f"{contact_name(contact) or '—'} <{contact.get('email') or contact.get('phone')}>"
            )
            picker.addItem(label, contact["id"])
        if initial:
            picker.setCurrentIndex(1 if found else 0)
        else:
            picker.setEditText(text)
        picker.blockSignals(False)
        if initial and found:
            self._contact_chosen(1)
        elif not initial:
            picker.showPopup()

    def _contact_chosen(self, index: int) -> None:
        contact_id = self.preview.contact_picker.itemData(index)
        if contact_id is None:
            self.preview_contact = dict(SAMPLE_CONTACT)
        else:
            with self.engine.connect() as conn:
                self.preview_contact = dict(store.get_contact(conn, contact_id))
        self.update_preview()

    def choose_contact(self, contact_id: int) -> None:
        picker = self.preview.contact_picker
        index = picker.findData(contact_id)
        if index < 0:
            with self.engine.connect() as conn:
                contact = store.get_contact(conn, contact_id)
            picker.addItem(f"{contact_name(contact)} <{contact.get('email')}>", contact_id)
            index = picker.count() - 1
        picker.setCurrentIndex(index)
        self._contact_chosen(index)

    def _send_test(self, to: str):
        """The editor's template as it stands (saved or not), rendered for the chosen contact
        and sent through the SMTP settings (engine.step_message) by the returned work."""
        from engine.step_message import send_step_test

        template = self.editor.template()  # read here, on the GUI thread
        params = {"subject": template["subject"], "body": template["html"],
                  "text": template["text"], "sender": template["sender"]}  # fmt: skip
        contact_id = self.preview_contact.get("id") or None
        return lambda: send_step_test(self.engine, to, "action.send_email", params, contact_id)

    # -- saving -----------------------------------------------------------------------
    def save(self, replace: bool = False) -> bool:
        """Store the template; a new name that is taken asks before replacing that one."""
        template = self.editor.template()
        if not template["name"]:
            self.status.setText(
                QCoreApplication.translate("templates", "Give the template a name first.")
            )
            self.editor.name.setFocus()
            return False
        if not replace and template["name"] != self.current_name and self._exists(template["name"]):
            self.status.setText(f"A template named “{template['name']}” exists")
            self.replace_box = ask(
                self,
                QCoreApplication.translate("templates", "Replace template"),
                f"A template named “{template['name']}” already exists. Replace it with this one?",
                QCoreApplication.translate("templates", "Replace"),
                lambda: self.save(replace=True),
            )
            return False
        part, error = self.check()
        if error is not None:
            self.editor.show_error(part, error)
            self.status.setText(
                QCoreApplication.translate("templates", "Not saved: fix the marked line first.")
            )
            return False
        try:
            with self.engine.begin() as conn:
                if self.current_name and self.current_name != template["name"]:
                    store.delete_template(conn, self.current_name)
                store.save_template(
                    conn, template["name"], template["channel"], template["subject"],
                    template["html"], template["text"], sender=template["sender"] or "",
                )  # fmt: skip
        except Exception as exc:
            self.status.setText(f"Not saved: {error_text(exc)}")
            return False
        self.current_name = template["name"]
        self.dirty = False  # saved: selecting it in the reloaded list must not ask to discard
        self.reload(select=template["name"])
        self.status.setText(f"Saved “{template['name']}”")
        self.templatesChanged.emit()
        return True

    def _exists(self, name: str) -> bool:
        with self.engine.connect() as conn:
            try:
                store.get_template(conn, name)
            except KeyError:
                return False
        return True

    def confirm_delete(self):
        if not self.current_name:
            return None
        name = self.current_name
        users = usage_sentence(campaigns_using(self.engine, "template", name), "template")
        text = f"Delete the template “{name}”? " + (users or "No campaign uses it.")
        return ask(
            self,
            QCoreApplication.translate("templates", "Delete template"),
            text,
            QCoreApplication.translate("templates", "Delete"),
            lambda: self.delete(name),
        )

    def delete(self, name: str) -> None:
        with self.engine.begin() as conn:
            store.delete_template(conn, name)
        self.current_name = None
        self.reload()
        self.status.setText(f"Deleted “{name}”")
        self.templatesChanged.emit()
