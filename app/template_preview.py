"""What a template renders to for one contact: the runner's context, and the preview pane
(an email as a mail program shows it, an SMS or message as a bubble)."""

from __future__ import annotations

import html as html_lib
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.screen_parts import MUTED
from engine.i18n import number


def preview_context(contact: dict[str, Any], channel: str = "email") -> dict[str, Any]:
    """The context the runner renders a message with (engine.runner.messages): the contact
    with its attributes also at top level, the campaign, the node, an unsubscribe link."""
    from engine.runner.messages import contact_context

    person = dict(contact)
    person["attributes"] = dict(person.get("attributes") or {})
    return {
        "contact": contact_context(person),
        "campaign": {"id": 0, "name": "Preview", "version": 1, "owner": None,
                     "utm_campaign": "preview", "settings": {}},
        "node": {"id": "preview", "type": f"action.send_{channel}", "label": "Preview"},
        "unsubscribe_url": f"https://example.com/unsubscribe?token=preview-{contact.get('id', 0)}",
        "now": datetime.now(UTC).replace(tzinfo=None),
    }  # fmt: skip


class TemplatePreview(QWidget):
    """What the chosen contact would receive, rendered by the engine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        picker = QHBoxLayout()
        picker.addWidget(QLabel(QCoreApplication.translate("template_preview", "Preview as")))
        self.contact_picker = QComboBox()
        self.contact_picker.setObjectName("previewContact")
        self.contact_picker.setEditable(True)
        self.contact_picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.contact_picker.lineEdit().setPlaceholderText(
            QCoreApplication.translate("template_preview", "Search a contact…")
        )
        # A long "name <address>" entry must not set the preview's least width.
        self.contact_picker.setMinimumContentsLength(14)
        self.contact_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        picker.addWidget(self.contact_picker, 1)
        layout.addLayout(picker)
        self.envelope = QLabel()
        self.envelope.setObjectName("previewEnvelope")
        self.envelope.setTextFormat(Qt.TextFormat.RichText)
        self.envelope.setWordWrap(True)
        self.envelope.setObjectName("card")
        self.envelope.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.envelope)
        self.tabs = QTabWidget()
        self.browser = QTextBrowser()
        self.browser.setObjectName("previewBrowser")
        self.browser.setAccessibleName(QCoreApplication.translate("template_preview", "Preview"))
        self.browser.setOpenLinks(False)
        # An email is read on white, as in a mail program, whatever the window's theme.
        self.browser.setStyleSheet("QTextBrowser { background: #ffffff; color: #111827; }")
        self.text_view = QTextBrowser()
        self.text_view.setObjectName("previewText")
        self.text_view.setFont(QFont("monospace"))
        self.tabs.addTab(self.browser, QCoreApplication.translate("template_preview", "Rendered"))
        self.tabs.addTab(
            self.text_view, QCoreApplication.translate("template_preview", "Plain text")
        )
        layout.addWidget(self.tabs, 1)
        self.status = QLabel()
        self.status.setObjectName("mutedLabel")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

    def show_email(self, contact: dict, subject: str, html: str, text: str, sender: str) -> None:
        to = html_lib.escape(contact.get("email") or "(no email address)")
        self.envelope.setText(
            f"<span style='color:{MUTED}'>From</span> {html_lib.escape(sender or 'default')}"
            f" &nbsp; <span style='color:{MUTED}'>To</span> {to}<br>"
            f"<b style='font-size:14px'>{html_lib.escape(subject)}</b>"
        )
        self.tabs.setTabVisible(0, True)
        self.tabs.setTabText(1, QCoreApplication.translate("template_preview", "Plain text"))
        self.browser.setHtml(html or f"<p style='color:{MUTED}'>(no HTML part)</p>")
        self.text_view.setPlainText(text)
        self.status.setText(
            QCoreApplication.translate(
                "template_preview", "{html} characters of HTML · {text} of text"
            ).format(html=number(len(html)), text=number(len(text)))
        )

    def show_short(self, contact: dict, channel: str, text: str) -> None:
        to = contact.get("phone") if channel == "sms" else (contact.get("phone")
                                                             or contact.get("email"))  # fmt: skip
        self.envelope.setText(
            f"<span style='color:{MUTED}'>To</span> {html_lib.escape(to or '(no address)')}"
        )
        bubble = html_lib.escape(text).replace("\n", "<br>")
        self.browser.setHtml(
            "<table width='100%'><tr><td width='60%' style='background:#e0e7ff; "
            f"padding:10px; border-radius:12px; font-size:14px'>{bubble}</td><td></td></tr>"
            "</table>"
        )
        self.text_view.setPlainText(text)
        self.tabs.setTabVisible(0, True)
        self.tabs.setTabText(1, QCoreApplication.translate("template_preview", "Raw"))
        if channel == "sms":
            segments = 1 if len(text) <= 160 else -(-len(text) // 153)
            self.status.setText(f"{len(text)} characters · {segments} SMS")
        else:
            self.status.setText(f"{len(text)} characters")

    def show_failure(self, text: str) -> None:
        self.envelope.setText(f"<span style='color:#b91c1c'>{html_lib.escape(text)}</span>")
        self.browser.setHtml(
            f"<p style='color:{MUTED}'>The preview appears when the template renders.</p>"
        )
        self.text_view.clear()
        self.status.setText("")


class SendTestRow(QWidget):
    """ "Send test" under the template's preview: an address, a button, and what happened,
    said in a sentence. The screen gives `send(to)`: called on the GUI thread, it reads the
    editor and returns the work that sends, which runs off the GUI thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.send = None  # set by the screen: to -> work() -> sentence (raises the reason)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        self.address = QLineEdit()
        self.address.setObjectName("templateTestAddress")
        self.address.setAccessibleName(
            QCoreApplication.translate("template_preview", "Test address")
        )
        self.address.setPlaceholderText(
            QCoreApplication.translate("template_preview", "Send a test to…")
        )
        self.button = QPushButton(QCoreApplication.translate("template_preview", "Send test"))
        self.button.setObjectName("templateSendTest")
        self.button.clicked.connect(self.start)
        self.address.returnPressed.connect(self.start)
        row.addWidget(self.address, 1)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.result = QLabel()
        self.result.setObjectName("mutedLabel")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        self._job = None

    def start(self) -> None:
        from app.bridge import Task

        to = self.address.text().strip()
        if not to:
            self._said(
                QCoreApplication.translate(
                    "template_preview", "Enter the address to send the test to."
                ),
                True,
            )
            return
        work = self.send(to)
        self.button.setEnabled(False)
        self._said(
            QCoreApplication.translate("template_preview", "Sending to {to}…").format(to=to), False
        )
        job = Task(lambda _progress: work())
        job.succeeded.connect(lambda text: self._done(str(text), False))
        job.failed.connect(
            lambda text: self._done(
                QCoreApplication.translate("template_preview", "Not sent: {reason}").format(
                    reason=text
                ),
                True,
            )
        )
        self._job = job.start()

    def _done(self, text: str, error: bool) -> None:
        import shiboken6

        if not shiboken6.isValid(self):  # the screen went away while sending
            return
        self.button.setEnabled(True)
        self._said(text, error)

    def _said(self, text: str, error: bool) -> None:
        self.result.setText(text)
        self.result.setObjectName("formProblem" if error else "mutedLabel")
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
