"""The settings screen: database location, SMTP (password in the system keychain), the
SMS/messenger gateway, sender identities, sending defaults and the theme."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import name_view
from app.bridge import Task
from app.i18n import LANGUAGES, set_language
from app.i18n import SETTING as LANGUAGE_SETTING
from app.public_settings import CARD_NOTE as PUBLIC_CARD_NOTE
from app.public_settings import CARD_TITLE as PUBLIC_CARD_TITLE
from app.public_settings import PublicEndpointFields
from app.screen_parts import CodeEditor, PageHeader, ask, error_text
from app.settings_store import (
    keyring_in_use,
    load_settings,
    password_placeholder,
    password_storage_note,
    save_settings,
    smtp_password,
    store_smtp_password,
)
from designer.wheel_guard import guard_wheel
from engine.db import Engine
from engine.delivery.test_email import send_test_email

TRANSPORTS = (("outbox", "Outbox folder (no server; .eml files)"), ("smtp", "SMTP server"))
GATEWAYS = (("sms_gateway", "SMS"), ("message_gateway", "Messenger / push"))
SECURITY = (("none", "None"), ("starttls", "STARTTLS"), ("ssl", "SSL/TLS"))
CAP_PERIODS = (("P1D", "day"), ("P7D", "week"), ("P30D", "30 days"))
THEMES = (
    ("light", QT_TRANSLATE_NOOP("settings_screen", "Light")),
    ("dark", QT_TRANSLATE_NOOP("settings_screen", "Dark")),
    ("high-contrast", QT_TRANSLATE_NOOP("settings_screen", "High contrast")),
    ("system", QT_TRANSLATE_NOOP("settings_screen", "Same as the system")),
)
QT_SETTINGS = ("campaign-studio", "campaign-studio")


def user_preferences() -> QSettings:
    """Per-user preferences that are not in the database (the database location, the theme)."""
    return QSettings(*QT_SETTINGS)


def restart_program(widget: QWidget, database: str) -> bool:
    """Close the window (it may still ask to save) and start the program again on `database`."""
    import sys

    from PySide6.QtCore import QProcess

    window = widget.window()
    if window is not widget and not window.close():
        return False
    # A bundled build restarts itself; from source, the same interpreter runs the CLI.
    program = sys.executable
    arguments = [] if getattr(sys, "frozen", False) else ["-m", "app.cli"]
    started = QProcess.startDetached(program, [*arguments, "--db", database])
    started = started[0] if isinstance(started, tuple) else started
    app = QApplication.instance()
    if started and app is not None:
        app.quit()
    return bool(started)


def split_address(text: str) -> tuple[str, str]:
    """'Shop team <team@example.com>' → ('Shop team', 'team@example.com')."""
    from email.utils import parseaddr

    name, email = parseaddr(text)
    return name, email


def _card(title: str, note: str = "") -> tuple[QFrame, QFormLayout]:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(18, 14, 18, 16)
    heading = QLabel(title)
    heading.setObjectName("cardTitle")
    font = heading.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    heading.setFont(font)
    layout.addWidget(heading)
    if note:
        hint = QLabel(note)
        hint.setObjectName("mutedLabel")
        hint.setWordWrap(True)
        layout.addWidget(hint)
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
    form.setHorizontalSpacing(14)
    layout.addLayout(form)
    return card, form


class SettingsScreen(QWidget):
    """Edit the workspace settings; Save writes them through engine.settings."""

    databaseChangeRequested = Signal(str)  # the shell may restart on this database
    themeChanged = Signal(str)
    saved = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.restart_on_switch = True
        self._job: Task | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        self.header = PageHeader(
            QCoreApplication.translate("settings_screen", "Settings"),
            QCoreApplication.translate(
                "settings_screen", "How this workspace stores data and sends messages"
            ),
        )
        self.status = QLabel()
        self.status.setObjectName("mutedLabel")
        self.header.add_action_widget(self.status)
        self.save_button = QPushButton(
            QCoreApplication.translate("settings_screen", "Save settings")
        )
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self.save)
        self.header.add_action_widget(self.save_button)
        outer.addWidget(self.header)

        body = QWidget()
        self.cards = QVBoxLayout(body)
        self.cards.setContentsMargins(0, 0, 12, 0)
        self.cards.setSpacing(14)
        self._build_database()
        self._build_smtp()
        self._build_gateway()
        self._build_senders()
        self._build_sending()
        self._build_public()
        self._build_appearance()
        self.cards.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.load()
        guard_wheel(body)  # scrolling the page never changes a setting under the mouse
        self._watch_changes(body)

    # -- building ---------------------------------------------------------------------
    def _build_database(self) -> None:
        card, form = _card(
            QCoreApplication.translate("settings_screen", "Database"),
            QCoreApplication.translate(
                "settings_screen",
                "A SQLite file on this computer, or a server URL such as "
                "postgresql+psycopg://user@host/campaigns. Switching opens the other database "
                "after a restart.",
            ),
        )
        self.current_database = QLabel(self.engine.url.render_as_string(hide_password=True))
        self.current_database.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(QCoreApplication.translate("settings_screen", "In use"), self.current_database)
        row = QHBoxLayout()
        self.database_edit = QLineEdit()
        self.database_edit.setObjectName("databaseLocation")
        self.database_edit.setAccessibleName(
            QCoreApplication.translate("settings_screen", "Database location")
        )
        self.database_edit.setPlaceholderText(
            QCoreApplication.translate(
                "settings_screen", "/path/to/campaigns.db or postgresql+psycopg://…"
            )
        )
        browse = QPushButton(QCoreApplication.translate("settings_screen", "Browse…"))
        browse.clicked.connect(self._browse_database)
        self.switch_button = QPushButton(QCoreApplication.translate("settings_screen", "Switch…"))
        self.switch_button.clicked.connect(self.confirm_switch_database)
        row.addWidget(self.database_edit, 1)
        row.addWidget(browse)
        row.addWidget(self.switch_button)
        form.addRow(QCoreApplication.translate("settings_screen", "Location"), row)
        self.cards.addWidget(card)

    def _build_smtp(self) -> None:
        card, form = _card(
            QCoreApplication.translate("settings_screen", "Email delivery"), password_storage_note()
        )
        self.transport = QComboBox()
        self.transport.setObjectName("emailTransport")
        for key, label in TRANSPORTS:
            self.transport.addItem(label, key)
        self.transport.currentIndexChanged.connect(self._transport_changed)
        form.addRow(QCoreApplication.translate("settings_screen", "Send email to"), self.transport)
        self.smtp_host = QLineEdit()
        self.smtp_host.setPlaceholderText(
            QCoreApplication.translate("settings_screen", "smtp.example.com")
        )
        self.smtp_port = QSpinBox()
        self.smtp_port.setAccessibleName(QCoreApplication.translate("settings_screen", "Port"))
        self.smtp_port.setRange(1, 65535)
        self.smtp_port.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.smtp_port.setMinimumWidth(80)
        self.smtp_port.setMinimumHeight(self.smtp_host.sizeHint().height())
        self.smtp_security = QComboBox()
        for key, label in SECURITY:
            self.smtp_security.addItem(label, key)
        self.smtp_security.currentIndexChanged.connect(self._default_port)
        self.smtp_user = QLineEdit()
        self.smtp_password = QLineEdit()
        self.smtp_password.setObjectName("smtpPassword")
        self.smtp_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.smtp_password.setPlaceholderText(
            QCoreApplication.translate("settings_screen", "unchanged")
        )
        host_row = QHBoxLayout()
        host_row.addWidget(self.smtp_host, 1)
        host_row.addSpacing(8)
        host_row.addWidget(QLabel(QCoreApplication.translate("settings_screen", "Port")))
        host_row.addWidget(self.smtp_port)
        host_row.addSpacing(8)
        host_row.addWidget(QLabel(QCoreApplication.translate("settings_screen", "Security")))
        host_row.addWidget(self.smtp_security)
        form.addRow(QCoreApplication.translate("settings_screen", "Server"), host_row)
        form.addRow(QCoreApplication.translate("settings_screen", "User"), self.smtp_user)
        form.addRow(QCoreApplication.translate("settings_screen", "Password"), self.smtp_password)
        test_row = QHBoxLayout()
        self.test_to = QLineEdit()
        self.test_to.setPlaceholderText(
            QCoreApplication.translate("settings_screen", "you@example.com")
        )
        self.test_button = QPushButton(
            QCoreApplication.translate("settings_screen", "Send test email")
        )
        self.test_button.clicked.connect(self.send_test)
        test_row.addWidget(self.test_to, 1)
        test_row.addWidget(self.test_button)
        form.addRow(QCoreApplication.translate("settings_screen", "Test"), test_row)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        form.addRow("", self.test_result)
        self.smtp_form = form
        self.smtp_rows = [form.rowCount() - i for i in range(5, 0, -1)]  # server … result
        self.cards.addWidget(card)

    def _build_gateway(self) -> None:
        card, form = _card(
            QCoreApplication.translate("settings_screen", "SMS and messenger gateway"),
            QCoreApplication.translate(
                "settings_screen",
                "Messages are sent as an HTTP request. The body is a template with "
                "{{ message.to }}, {{ message.text }} and {{ message.channel }}.",
            ),
        )
        self.gateways: dict[str, dict[str, Any] | None] = {key: None for key, _ in GATEWAYS}
        self.gateway_kind = QComboBox()
        self.gateway_kind.setAccessibleName(
            QCoreApplication.translate("settings_screen", "Gateway for")
        )
        for key, label in GATEWAYS:
            self.gateway_kind.addItem(label, key)
        self._shown_gateway = GATEWAYS[0][0]
        self.gateway_kind.currentIndexChanged.connect(self._gateway_kind_changed)
        form.addRow(QCoreApplication.translate("settings_screen", "Gateway for"), self.gateway_kind)
        self.gateway_url = QLineEdit()
        self.gateway_url.setAccessibleName(
            QCoreApplication.translate("settings_screen", "Gateway address")
        )
        self.gateway_url.setPlaceholderText(
            QCoreApplication.translate(
                "settings_screen", "https://sms.example.com/send (empty: outbox folder)"
            )
        )
        self.gateway_method = QComboBox()
        self.gateway_method.setAccessibleName(
            QCoreApplication.translate("settings_screen", "Request method")
        )
        self.gateway_method.addItems(["POST", "PUT", "GET"])
        url_row = QHBoxLayout()
        url_row.addWidget(self.gateway_method)
        url_row.addWidget(self.gateway_url, 1)
        form.addRow(QCoreApplication.translate("settings_screen", "Request"), url_row)
        self.gateway_headers = QPlainTextEdit()
        self.gateway_headers.setPlaceholderText(
            QCoreApplication.translate(
                "settings_screen", "Authorization: Bearer …\nContent-Type: application/json"
            )
        )
        self.gateway_headers.setFixedHeight(64)
        form.addRow(QCoreApplication.translate("settings_screen", "Headers"), self.gateway_headers)
        self.gateway_body = CodeEditor()
        self.gateway_body.setFixedHeight(84)
        form.addRow(QCoreApplication.translate("settings_screen", "Body"), self.gateway_body)
        self.cards.addWidget(card)

    def _build_senders(self) -> None:
        card, form = _card(
            QCoreApplication.translate("settings_screen", "Sender identities"),
            QCoreApplication.translate(
                "settings_screen",
                "The From addresses templates can choose; the first one is the default.",
            ),
        )
        self.senders = QTableWidget(0, 2)
        self.senders.setObjectName("senderTable")
        name_view(self.senders, QCoreApplication.translate("settings_screen", "Sender identities"))
        self.senders.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("settings_screen", "Name"),
                QCoreApplication.translate("settings_screen", "Email address"),
            ]
        )
        self.senders.verticalHeader().hide()
        self.senders.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.senders.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.senders.setFixedHeight(130)
        buttons = QHBoxLayout()
        add = QPushButton(QCoreApplication.translate("settings_screen", "Add sender"))
        add.clicked.connect(lambda: self._add_sender("", ""))
        self.remove_sender_button = QPushButton(
            QCoreApplication.translate("settings_screen", "Remove")
        )
        self.remove_sender_button.clicked.connect(
            lambda: self.senders.removeRow(self.senders.currentRow())
        )
        buttons.addWidget(add)
        buttons.addWidget(self.remove_sender_button)
        buttons.addStretch(1)
        box = QVBoxLayout()
        box.addWidget(self.senders)
        box.addLayout(buttons)
        form.addRow(box)
        self.cards.addWidget(card)

    def _build_sending(self) -> None:
        card, form = _card(
            QCoreApplication.translate("settings_screen", "Sending defaults"),
            QCoreApplication.translate(
                "settings_screen",
                "Campaigns use these unless their own settings say otherwise. "
                "Quiet hours are in each contact's time zone.",
            ),
        )
        quiet = QHBoxLayout()
        self.quiet_enabled = QCheckBox(
            QCoreApplication.translate("settings_screen", "No messages between")
        )
        self.quiet_start = QTimeEdit()
        self.quiet_start.setAccessibleName(
            QCoreApplication.translate("settings_screen", "Quiet hours from")
        )
        self.quiet_end = QTimeEdit()
        self.quiet_end.setAccessibleName(
            QCoreApplication.translate("settings_screen", "Quiet hours until")
        )
        for edit in (self.quiet_start, self.quiet_end):
            edit.setDisplayFormat("HH:mm")
        quiet.addWidget(self.quiet_enabled)
        quiet.setSpacing(8)  # "21:00 and 08:00", not "21:00and08:00"
        quiet.addWidget(self.quiet_start)
        quiet.addWidget(QLabel(QCoreApplication.translate("settings_screen", "and")))
        quiet.addWidget(self.quiet_end)
        quiet.addStretch(1)
        form.addRow(QCoreApplication.translate("settings_screen", "Quiet hours"), quiet)
        cap = QHBoxLayout()
        cap.setSpacing(8)
        self.cap_enabled = QCheckBox(QCoreApplication.translate("settings_screen", "At most"))
        self.cap_count = QSpinBox()
        self.cap_count.setAccessibleName(
            QCoreApplication.translate("settings_screen", "Frequency cap: messages")
        )
        self.cap_count.setRange(1, 1000)
        self.cap_period = QComboBox()
        self.cap_period.setAccessibleName(
            QCoreApplication.translate("settings_screen", "Frequency cap: period")
        )
        for key, label in CAP_PERIODS:
            self.cap_period.addItem(f"messages per {label}", key)
        cap.addWidget(self.cap_enabled)
        cap.addWidget(self.cap_count)
        cap.addWidget(self.cap_period)
        cap.addStretch(1)
        form.addRow(QCoreApplication.translate("settings_screen", "Frequency cap"), cap)
        rate = QHBoxLayout()
        self.rate_limit = QSpinBox()
        self.rate_limit.setAccessibleName(
            QCoreApplication.translate("settings_screen", "Send rate")
        )
        self.rate_limit.setRange(0, 1_000_000)
        self.rate_limit.setSpecialValueText(
            QCoreApplication.translate("settings_screen", "no limit")
        )
        self.rate_limit.setSuffix(QCoreApplication.translate("settings_screen", " per minute"))
        rate.addWidget(self.rate_limit)
        rate.addStretch(1)
        form.addRow(QCoreApplication.translate("settings_screen", "Send rate"), rate)
        self.cards.addWidget(card)

    def _build_public(self) -> None:
        card, form = _card(
            QCoreApplication.translate("public_settings", PUBLIC_CARD_TITLE),
            QCoreApplication.translate("public_settings", PUBLIC_CARD_NOTE),
        )
        self.public = PublicEndpointFields(form, self)  # app/public_settings.py
        self.public.changed.connect(self._edited)
        self.cards.addWidget(card)

    def _build_appearance(self) -> None:
        card, form = _card(QCoreApplication.translate("settings_screen", "Appearance"))
        self.theme = QComboBox()
        for key, label in THEMES:
            self.theme.addItem(QCoreApplication.translate("settings_screen", label), key)
        self.theme.currentIndexChanged.connect(self._theme_changed)
        form.addRow(QCoreApplication.translate("settings_screen", "Theme"), self.theme)
        self.language = QComboBox()
        self.language.setObjectName("languageChoice")
        for code, name in LANGUAGES:
            label = name or QCoreApplication.translate("settings_screen", "Same as the system")
            self.language.addItem(label, code)
        chosen = str(user_preferences().value(LANGUAGE_SETTING, "system") or "system")
        self.language.setCurrentIndex(max(0, self.language.findData(chosen)))
        self.language.currentIndexChanged.connect(self._language_changed)
        form.addRow(QCoreApplication.translate("settings_screen", "Language"), self.language)
        self.cards.addWidget(card)

    # -- loading and saving ---------------------------------------------------------
    def load(self) -> None:
        settings = load_settings(self.engine)
        self.loaded = settings
        self.transport.setCurrentIndex(max(0, self.transport.findData(settings["email_transport"])))
        self.smtp_host.setText(settings.get("smtp_host") or "")
        self.smtp_security.blockSignals(True)
        security = settings.get("smtp_security") or "none"
        self.smtp_security.setCurrentIndex(max(0, self.smtp_security.findData(security)))
        self.smtp_security.blockSignals(False)
        self.smtp_port.setValue(int(settings.get("smtp_port") or 25))
        self.smtp_user.setText(settings.get("smtp_username") or "")
        self.smtp_password.clear()
        has_password = bool(settings.get("smtp_username")) and smtp_password(settings) is not None
        where = "keyring" if keyring_in_use() else "session"
        self.smtp_password.setPlaceholderText(password_placeholder(where) if has_password else "")
        for key, _ in GATEWAYS:
            gateway = settings.get(key)
            self.gateways[key] = dict(gateway) if isinstance(gateway, dict) else None
        self._show_gateway(self.gateway_kind.currentData())
        self.senders.setRowCount(0)
        senders = settings.get("senders") or []
        if not senders and settings.get("sender"):
            name, email = split_address(settings["sender"])
            senders = [{"name": name, "email": email}]
        for sender in senders:
            self._add_sender(sender.get("name", ""), sender.get("email", ""))
        quiet = settings.get("quiet_hours")
        self.quiet_enabled.setChecked(bool(quiet))
        start, end = quiet or ("21:00", "08:00")
        self.quiet_start.setTime(QTime.fromString(start, "HH:mm"))
        self.quiet_end.setTime(QTime.fromString(end, "HH:mm"))
        cap = settings.get("frequency_cap")
        self.cap_enabled.setChecked(bool(cap))
        self.cap_count.setValue(int((cap or {}).get("count", 3)))
        self.cap_period.setCurrentIndex(max(0, self.cap_period.findData((cap or {}).get("per"))))
        self.rate_limit.setValue(int(settings.get("rate_limit") or 0))
        theme = str(user_preferences().value("theme", settings.get("theme") or "light"))
        self.theme.blockSignals(True)
        self.theme.setCurrentIndex(max(0, self.theme.findData(theme)))
        self.theme.blockSignals(False)
        self.database_edit.setText(str(user_preferences().value("database", "") or ""))
        self.public.load(settings)
        self._transport_changed()
        self.stored_values = self._comparable()
        self._edited()

    def values(self) -> dict[str, Any]:
        """The form as engine.settings keys (never a password)."""
        self._keep_gateway()
        senders = []
        for row in range(self.senders.rowCount()):
            name = (self.senders.item(row, 0) or QTableWidgetItem()).text().strip()
            email = (self.senders.item(row, 1) or QTableWidgetItem()).text().strip()
            if email:
                senders.append({"name": name, "email": email})
        quiet = None
        if self.quiet_enabled.isChecked():
            quiet = [self.quiet_start.time().toString("HH:mm"),
                     self.quiet_end.time().toString("HH:mm")]  # fmt: skip
        cap = None
        if self.cap_enabled.isChecked():
            cap = {"count": self.cap_count.value(), "per": self.cap_period.currentData()}
        values: dict[str, Any] = {
            "email_transport": self.transport.currentData(),
            "smtp_host": self.smtp_host.text().strip(),
            "smtp_port": self.smtp_port.value(),
            "smtp_security": self.smtp_security.currentData(),
            "smtp_username": self.smtp_user.text().strip(),
            "senders": senders,
            "quiet_hours": quiet,
            "frequency_cap": cap,
            "rate_limit": self.rate_limit.value(),
            "theme": self.theme.currentData(),
        }
        for key, gateway in self.gateways.items():
            values[key] = gateway if gateway and gateway.get("url") else None
        if senders:
            first = senders[0]
            values["sender"] = f"{first['name']} <{first['email']}>" if first["name"] \
                else first["email"]  # fmt: skip
        values.update(self.public.values())
        return values

    # -- the gateway form edits one of two gateways -----------------------------------
    def _gateway_kind_changed(self) -> None:
        self._keep_gateway()
        self._show_gateway(self.gateway_kind.currentData())

    def _keep_gateway(self) -> None:
        headers: dict[str, str] = {}
        for line in self.gateway_headers.toPlainText().splitlines():
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip()] = value.strip()
        url = self.gateway_url.text().strip()
        self.gateways[self._shown_gateway] = {
            "url": url,
            "method": self.gateway_method.currentText(),
            "headers": headers,
            "body": self.gateway_body.toPlainText(),
        } if url else None  # fmt: skip

    def _show_gateway(self, key: str) -> None:
        self._shown_gateway = key
        gateway = self.gateways.get(key) or {}
        self.gateway_url.setText(gateway.get("url") or "")
        self.gateway_method.setCurrentText(gateway.get("method") or "POST")
        headers = gateway.get("headers") or {}
        self.gateway_headers.setPlainText("\n".join(f"{k}: {v}" for k, v in headers.items()))
        self.gateway_body.setPlainText(gateway.get("body") or "")

    def _transport_changed(self) -> None:
        smtp = self.transport.currentData() == "smtp"
        for row in self.smtp_rows:  # the server's rows only matter when sending by SMTP
            self.smtp_form.setRowVisible(row, smtp)
        for widget in (self.smtp_host, self.smtp_port, self.smtp_security, self.smtp_user,
                       self.smtp_password, self.test_to, self.test_button):  # fmt: skip
            widget.setEnabled(smtp)

    def problems(self, values: dict[str, Any]) -> list[str]:
        found = []
        for sender in values["senders"]:
            if "@" not in sender["email"]:
                found.append(f"Sender “{sender['email']}” is not an email address.")
        for key, label in GATEWAYS:
            url = (values.get(key) or {}).get("url") or ""
            if url and not url.startswith(("http://", "https://")):
                found.append(f"The {label} gateway URL must start with http:// or https://.")
        return found + self.public.problems(values)

    def save(self) -> bool:
        values = self.values()
        problems = self.problems(values)
        if problems:
            self._say(" ".join(problems), error=True)
            return False
        try:
            password = self.smtp_password.text()
            where = "keyring" if keyring_in_use() else "session"
            if password:
                where = store_smtp_password(values, password)
            save_settings(self.engine, values)
            self.public.store_password(values)
        except Exception as exc:
            self._say(f"Not saved: {error_text(exc)}", error=True)
            return False
        self.smtp_password.clear()
        if self.smtp_user.text().strip():
            self.smtp_password.setPlaceholderText(password_placeholder(where))
        self.stored_values = self._comparable()
        self._say("Settings saved")
        self.saved.emit()
        return True

    # -- unsaved changes ------------------------------------------------------------
    def _watch_changes(self, body: QWidget) -> None:
        """Every field's edits update the unsaved mark."""
        for edit in body.findChildren(QLineEdit):
            edit.textChanged.connect(self._edited)
        for box in body.findChildren(QComboBox):
            box.currentIndexChanged.connect(self._edited)
        for spin in body.findChildren(QSpinBox):
            spin.valueChanged.connect(self._edited)
        for time in body.findChildren(QTimeEdit):
            time.timeChanged.connect(self._edited)
        for check in body.findChildren(QCheckBox):
            check.toggled.connect(self._edited)
        for text in body.findChildren(QPlainTextEdit):
            text.textChanged.connect(self._edited)
        self.senders.itemChanged.connect(self._edited)
        self.senders.model().rowsInserted.connect(self._edited)
        self.senders.model().rowsRemoved.connect(self._edited)

    def _comparable(self) -> dict[str, Any]:
        values = self.values()
        values.pop("theme", None)  # the theme applies and is kept as soon as it is chosen
        return values

    def is_modified(self) -> bool:
        stored = getattr(self, "stored_values", None)
        if stored is None:
            return False
        return bool(self.smtp_password.text()) or self._comparable() != stored

    def _edited(self, *_args: Any) -> None:
        modified = self.is_modified()
        if modified:
            self._say("● Unsaved changes")
        elif self.status.text() == "● Unsaved changes":
            self._say("")

    def maybe_save(self) -> bool:
        """Before leaving: save, discard or stay. False means stay."""
        if not self.is_modified():
            return True
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("settings_screen", "Unsaved settings"),
            QCoreApplication.translate("settings_screen", "Save the changes to the settings?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.load()
            return True
        return False

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setObjectName("formProblem" if error else "mutedLabel")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    # -- actions ----------------------------------------------------------------------
    def _add_sender(self, name: str, email: str) -> None:
        row = self.senders.rowCount()
        self.senders.insertRow(row)
        self.senders.setItem(row, 0, QTableWidgetItem(name))
        self.senders.setItem(row, 1, QTableWidgetItem(email))

    def _default_port(self) -> None:
        ports = {"none": 25, "starttls": 587, "ssl": 465}
        if self.smtp_port.value() in ports.values():
            self.smtp_port.setValue(ports[self.smtp_security.currentData()])

    def _browse_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Database file", self.database_edit.text(), "SQLite databases (*.db *.sqlite)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # fmt: skip
        if path:
            self.database_edit.setText(path)

    def confirm_switch_database(self):
        location = self.database_edit.text().strip()
        if not location:
            self._say("Enter a database file or URL first.", error=True)
            return None
        return ask(
            self,
            QCoreApplication.translate("settings_screen", "Switch database"),
            f"Campaign Studio will use\n{location}\nfrom the next start. Restart now to "
            "switch? The engine stops while the program restarts.",
            QCoreApplication.translate("settings_screen", "Switch and restart"),
            lambda: self.switch_database(location),
        )

    def switch_database(self, location: str) -> None:
        """Remember the database, then restart on it (when `restart_on_switch`)."""
        user_preferences().setValue("database", location)
        self._say(f"Campaign Studio will open {location} when it restarts")
        self.databaseChangeRequested.emit(location)
        if self.restart_on_switch:
            restart_program(self, location)

    def _language_changed(self) -> None:
        """Remember the language; screens built from now on (and every screen after a restart)
        use it, numbers and dates included."""
        code = self.language.currentData()
        user_preferences().setValue(LANGUAGE_SETTING, code)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            set_language(app, code)
        self._say(
            QCoreApplication.translate(
                "settings_screen", "The language applies fully when Campaign Studio restarts"
            )
        )

    def _theme_changed(self) -> None:
        theme = self.theme.currentData()
        user_preferences().setValue("theme", theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            from app.main_window import preferred_theme
            from app.style import apply_style

            apply_style(app, preferred_theme(app))  # "system": dark, light or high contrast
        self.themeChanged.emit(theme)

    def send_test(self) -> Task | None:
        to = self.test_to.text().strip()
        if "@" not in to:
            self.test_result.setText(
                QCoreApplication.translate(
                    "settings_screen", "Enter the address to send the test email to."
                )
            )
            return None
        values = self.values()
        password = self.smtp_password.text() or smtp_password(values)
        if not values.get("senders"):
            values["sender"] = to
        self.test_button.setEnabled(False)
        self.test_result.setObjectName("mutedLabel")
        self.test_result.setText(f"Sending to {to}…")

        def work(_progress):
            return send_test_email(values, to, password or None)

        job = Task(work)
        job.succeeded.connect(lambda text: self._test_done(str(text), False))
        job.failed.connect(lambda text: self._test_done(f"Failed: {text}", True))
        self._job = job.start()
        return job

    def _test_done(self, text: str, error: bool) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setText(text)
        self.test_result.setObjectName("formProblem" if error else "")
        self.test_result.style().unpolish(self.test_result)
        self.test_result.style().polish(self.test_result)
