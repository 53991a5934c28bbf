"""The send step's live preview in the inspector: its message rendered for a chosen contact,
and "Send test" to an address. The data comes from engine functions the window passes in
(MessageTools); designer/ holds no SQL and renders nothing itself."""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

# work, on_success(result), on_failure(sentence): runs work off the GUI thread
Background = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[str], None]], None]


@dataclass
class MessageTools:
    """What the preview needs from the database, given by the window (engine.step_message)."""

    contacts: Callable[[str], list[tuple[int, str]]]  # search -> (id, "Name <address>")
    render: Callable[[str, dict, int | None], dict]  # node type, params, contact id
    send_test: Callable[[str, str, dict, int | None], str]  # to, node type, params, contact
    background: Background


class StepPreview(QFrame):
    """Preview as <contact>, the rendered message, and Send test (email steps)."""

    def __init__(self, tools: MessageTools, node_type: str, params: dict,
                 contact_id: int | None = None, address: str = "") -> None:  # fmt: skip
        super().__init__()
        self.setObjectName("stepPreview")
        self.tools, self.node_type, self.params = tools, node_type, dict(params)
        self.contact_id = contact_id
        self._generation = 0
        self.rendered: dict | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(6)
        heading = QLabel(QCoreApplication.translate("step_preview", "PREVIEW"))
        heading.setObjectName("sectionTitle")
        box.addWidget(heading)
        self.contact_picker = QComboBox()
        self.contact_picker.setObjectName("stepPreviewContact")
        self.contact_picker.setAccessibleName(
            QCoreApplication.translate("step_preview", "Preview as contact")
        )
        self.contact_picker.setMinimumContentsLength(12)
        self.contact_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.contact_picker.addItem(
            QCoreApplication.translate("step_preview", "Sample contact (Alex Sample)"), None
        )
        self.contact_picker.currentIndexChanged.connect(self._contact_chosen)
        box.addWidget(self.contact_picker)
        self.envelope = QLabel()
        self.envelope.setObjectName("stepPreviewEnvelope")
        self.envelope.setWordWrap(True)
        self.envelope.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.envelope)
        self.browser = QTextBrowser()
        self.browser.setObjectName("stepPreviewBody")
        self.browser.setAccessibleName(
            QCoreApplication.translate("step_preview", "Rendered message")
        )
        self.browser.setOpenLinks(False)
        self.browser.setMinimumHeight(160)
        self.browser.setMaximumHeight(240)
        # read on white, as in a mail program, whatever the canvas theme
        self.browser.setStyleSheet("QTextBrowser { background: #ffffff; color: #111827; }")
        box.addWidget(self.browser)
        self.address = QLineEdit(address)
        self.address.setObjectName("testAddress")
        self.address.setAccessibleName(QCoreApplication.translate("step_preview", "Test address"))
        self.address.setPlaceholderText(
            QCoreApplication.translate("step_preview", "Send a test to…")
        )
        self.send_button = QPushButton(QCoreApplication.translate("step_preview", "Send test"))
        self.send_button.setObjectName("sendTest")
        self.send_button.setAccessibleName(QCoreApplication.translate("step_preview", "Send test"))
        self.send_button.clicked.connect(self.send_test)
        self.address.returnPressed.connect(self.send_test)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.address, 1)
        row.addWidget(self.send_button)
        box.addLayout(row)
        self.result = QLabel()
        self.result.setObjectName("testResult")
        self.result.setWordWrap(True)
        box.addWidget(self.result)
        can_send = node_type == "action.send_email"
        self.address.setVisible(can_send)
        self.send_button.setVisible(can_send)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.envelope.setText(
            f"<i>{html_lib.escape(QCoreApplication.translate('step_preview', 'Rendering…'))}</i>"
        )
        self.tools.background(lambda: self.tools.contacts(""), self._alive(self._fill_contacts),
                              lambda _error: None)  # fmt: skip
        self.refresh()

    def _alive(self, slot: Callable) -> Callable:
        """A result may arrive after the form was rebuilt: drop it then."""

        def call(*args: Any) -> None:
            if shiboken6.isValid(self):
                slot(*args)

        return call

    def _fill_contacts(self, found: list[tuple[int, str]]) -> None:
        self.contact_picker.blockSignals(True)
        for contact_id, label in found:
            self.contact_picker.addItem(label, contact_id)
        index = self.contact_picker.findData(self.contact_id) if self.contact_id else -1
        if index < 0 and found and self.contact_id is None:
            index = 1  # the first real contact reads better than the sample
            self.contact_id = found[0][0]
            self.refresh()
        self.contact_picker.setCurrentIndex(max(index, 0))
        self.contact_picker.blockSignals(False)

    def _contact_chosen(self, index: int) -> None:
        self.contact_id = self.contact_picker.itemData(index)
        self.refresh()

    def set_params(self, params: dict) -> None:
        """The step was edited: render again shortly (typing renders once it pauses)."""
        self.params = dict(params)
        self._debounce.start()

    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        node_type, params, contact_id = self.node_type, dict(self.params), self.contact_id

        def shown(rendered: dict) -> None:
            if generation == self._generation:
                self.show_rendered(rendered)

        def failed(error: str) -> None:
            if generation == self._generation:
                self.show_rendered({"error": error})

        self.tools.background(lambda: self.tools.render(node_type, params, contact_id),
                              self._alive(shown), self._alive(failed))  # fmt: skip

    def show_rendered(self, rendered: dict) -> None:
        self.rendered = rendered
        if rendered.get("error"):
            self.envelope.setText(
                f"<span style='color:#b91c1c'>{html_lib.escape(rendered['error'])}</span>"
            )
            self.browser.clear()
            return
        to = html_lib.escape(
            rendered.get("to") or QCoreApplication.translate("step_preview", "(no address)")
        )
        head = f"{html_lib.escape(QCoreApplication.translate('step_preview', 'To'))} {to}"
        if rendered.get("channel") == "email":
            head += f"<br><b>{html_lib.escape(rendered.get('subject') or '')}</b>"
            self.browser.setHtml(rendered.get("html") or html_lib.escape(rendered.get("text", "")))
        else:
            self.browser.setPlainText(rendered.get("text") or "")
        self.envelope.setText(head)

    def send_test(self) -> None:
        to = self.address.text().strip()
        if not to:
            self._said(
                QCoreApplication.translate(
                    "step_preview", "Enter the address to send the test to."
                ),
                True,
            )
            return
        self.send_button.setEnabled(False)
        self._said(
            QCoreApplication.translate("step_preview", "Sending to {to}…").format(to=to), False
        )
        node_type, params, contact_id = self.node_type, dict(self.params), self.contact_id
        self.tools.background(
            lambda: self.tools.send_test(to, node_type, params, contact_id),
            self._alive(lambda text: self._sent(str(text), False)),
            self._alive(lambda text: self._sent(self._not_sent(text), True)),
        )  # fmt: skip

    @staticmethod
    def _not_sent(reason: str) -> str:
        return QCoreApplication.translate("step_preview", "Not sent: {reason}").format(
            reason=reason
        )

    def _sent(self, text: str, error: bool) -> None:
        self.send_button.setEnabled(True)
        self._said(text, error)

    def _said(self, text: str, error: bool) -> None:
        self.result.setText(text)
        self.result.setObjectName("formProblem" if error else "mutedLabel")
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
