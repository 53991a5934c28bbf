"""The settings screen's fields for the world answering back: the public endpoint's address
and tracking switches, late events, and the bounce mailbox (password to the keyring). The
screen gives it a form to fill, then calls load / values / problems / store_password."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from engine.bounces import imap
from engine.delivery import secrets

CARD_TITLE = QT_TRANSLATE_NOOP("public_settings", "Opens, clicks, bounces")
CARD_NOTE = QT_TRANSLATE_NOOP(
    "public_settings",
    "The address recipients' mail programs and your website reach (campaign-studio serve, "
    "behind your HTTPS proxy: see docs/public-endpoint.md), and the mailbox bounces return to.",
)
SECURITY = (
    ("ssl", "SSL/TLS (993)"),
    ("starttls", "STARTTLS (143)"),
    ("none", QT_TRANSLATE_NOOP("public_settings", "None (143)")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("public_settings", text)


class PublicEndpointFields(QObject):
    """The rows, added to `form`. `changed` fires on any edit (for the unsaved mark)."""

    changed = Signal()

    def __init__(self, form: QFormLayout, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.public_url = QLineEdit()
        self.public_url.setObjectName("publicUrl")
        self.public_url.setPlaceholderText("https://mail.example.com")
        form.addRow(
            QCoreApplication.translate("public_settings", "Public address"), self.public_url
        )
        self.url_note = QLabel()
        self.url_note.setObjectName("mutedLabel")
        self.url_note.setWordWrap(True)
        form.addRow("", self.url_note)
        self.track_opens = QCheckBox(
            QCoreApplication.translate("public_settings", "Count opens (a 1×1 image in HTML email)")
        )
        self.track_clicks = QCheckBox(
            QCoreApplication.translate(
                "public_settings", "Count clicks (links go through the address above)"
            )
        )
        form.addRow(QCoreApplication.translate("public_settings", "Tracking"), self.track_opens)
        form.addRow("", self.track_clicks)
        self.late_days = QSpinBox()
        self.late_days.setRange(0, 3650)
        self.late_days.setSuffix(QCoreApplication.translate("public_settings", " days"))
        self.late_days.setSpecialValueText(
            QCoreApplication.translate("public_settings", "always count")
        )
        self.late_days.setToolTip(
            QCoreApplication.translate(
                "public_settings",
                "An event that arrives later than this after it happened "
                "is kept but starts and converts nothing.",
            )
        )
        form.addRow(
            QCoreApplication.translate("public_settings", "Late events count for"), self.late_days
        )
        self.imap_host = QLineEdit()
        self.imap_host.setAccessibleName(
            QCoreApplication.translate("public_settings", "Bounce mailbox server")
        )
        self.imap_host.setPlaceholderText(
            QCoreApplication.translate(
                "public_settings", "imap.example.com (empty: no bounce mailbox)"
            )
        )
        self.imap_port = QSpinBox()
        self.imap_port.setAccessibleName(
            QCoreApplication.translate("public_settings", "Bounce mailbox port")
        )
        self.imap_port.setRange(1, 65535)
        self.imap_security = QComboBox()
        for key, label in SECURITY:
            self.imap_security.addItem(_tr(label), key)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.imap_host, 1)
        line.addWidget(self.imap_port)
        line.addWidget(self.imap_security)
        form.addRow(QCoreApplication.translate("public_settings", "Bounce mailbox"), row)
        self.bounce_address = QLineEdit()
        self.bounce_address.setPlaceholderText(
            QCoreApplication.translate(
                "public_settings", "bounces@example.com (empty: the From address)"
            )
        )
        tip = QT_TRANSLATE_NOOP(
            "public_settings",
            "Each email's envelope sender becomes bounces+ID@…, so a bounce names its message.",
        )
        self.bounce_address.setToolTip(_tr(tip))
        form.addRow(
            QCoreApplication.translate("public_settings", "Bounces return to"), self.bounce_address
        )
        self.imap_user = QLineEdit()
        self.imap_password = QLineEdit()
        self.imap_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.imap_folder = QLineEdit()
        form.addRow(QCoreApplication.translate("public_settings", "Mailbox user"), self.imap_user)
        form.addRow(
            QCoreApplication.translate("public_settings", "Mailbox password"), self.imap_password
        )
        form.addRow(QCoreApplication.translate("public_settings", "Folder"), self.imap_folder)
        for edit in (self.public_url, self.imap_host, self.imap_user, self.imap_password,
                     self.imap_folder, self.bounce_address):  # fmt: skip
            edit.textChanged.connect(self._edited)
        for box in (self.track_opens, self.track_clicks):
            box.toggled.connect(self._edited)
        for spin in (self.late_days, self.imap_port):
            spin.valueChanged.connect(self._edited)
        self.imap_security.currentIndexChanged.connect(self._edited)

    def _edited(self, *_args: Any) -> None:
        self.url_note.setText(self._url_note(self.public_url.text().strip()))
        self.changed.emit()

    @staticmethod
    def _url_note(url: str) -> str:
        if url.startswith("https://"):
            return QCoreApplication.translate(
                "public_settings", "Messages sent from now on link here."
            )
        if "127.0.0.1" in url or "localhost" in url or not url:
            return QCoreApplication.translate(
                "public_settings",
                "Only this computer reaches this address: opens, clicks and unsubscribe "
                "links from recipients will not arrive.",
            )
        return QCoreApplication.translate(
            "public_settings", "Use https: mail programs distrust http links and images."
        )

    def load(self, settings: dict[str, Any]) -> None:
        self.public_url.setText(str(settings.get("public_url") or ""))
        self.track_opens.setChecked(bool(settings.get("track_opens", True)))
        self.track_clicks.setChecked(bool(settings.get("track_clicks", True)))
        self.late_days.setValue(int(settings.get("late_event_days") or 0))
        self.imap_host.setText(str(settings.get("bounce_imap_host") or ""))
        self.imap_port.setValue(int(settings.get("bounce_imap_port") or 993))
        security = settings.get("bounce_imap_security") or "ssl"
        self.imap_security.setCurrentIndex(max(0, self.imap_security.findData(security)))
        self.imap_user.setText(str(settings.get("bounce_imap_username") or ""))
        self.imap_folder.setText(str(settings.get("bounce_imap_folder") or "INBOX"))
        self.bounce_address.setText(str(settings.get("bounce_address") or ""))
        self.imap_password.clear()
        kept = imap.configured(settings) and secrets.get_password(imap.account(settings))
        self.imap_password.setPlaceholderText(
            QCoreApplication.translate("public_settings", "stored") if kept else ""
        )
        self.url_note.setText(self._url_note(self.public_url.text().strip()))

    def values(self) -> dict[str, Any]:
        """The fields as engine.settings keys (never the password)."""
        return {
            "public_url": self.public_url.text().strip().rstrip("/"),
            "track_opens": self.track_opens.isChecked(),
            "track_clicks": self.track_clicks.isChecked(),
            "late_event_days": self.late_days.value(),
            "bounce_imap_host": self.imap_host.text().strip(),
            "bounce_imap_port": self.imap_port.value(),
            "bounce_imap_security": self.imap_security.currentData(),
            "bounce_imap_username": self.imap_user.text().strip(),
            "bounce_imap_folder": self.imap_folder.text().strip() or "INBOX",
            "bounce_address": self.bounce_address.text().strip(),
        }

    def problems(self, values: dict[str, Any]) -> list[str]:
        out = []
        url = values["public_url"]
        if not url.startswith(("https://", "http://")) or " " in url:
            out.append(
                QCoreApplication.translate(
                    "public_settings",
                    "The public address must start with https:// (e.g. https://mail.example.com).",
                )
            )
        address = values["bounce_address"]
        if address and (address.count("@") != 1 or " " in address or "+" in address):
            out.append(
                QCoreApplication.translate(
                    "public_settings",
                    "The bounce address must be a plain address, e.g. bounces@example.com.",
                )
            )
        if values["bounce_imap_host"] and not values["bounce_imap_username"]:
            out.append(
                QCoreApplication.translate(
                    "public_settings", "The bounce mailbox needs a user name."
                )
            )
        return out

    def store_password(self, values: dict[str, Any]) -> str | None:
        """Keep a typed mailbox password (keyring, else this session); where it went."""
        password = self.imap_password.text()
        if not password or not imap.configured(values):
            return None
        where = secrets.set_password(imap.account(values), password)
        self.imap_password.clear()
        self.imap_password.setPlaceholderText(
            QCoreApplication.translate("public_settings", "stored")
        )
        return where
