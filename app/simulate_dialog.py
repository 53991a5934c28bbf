"""Simulate from the window: days, start and assumed engagement rates; the forecast runs in the
background on a copy of the data and is drawn on the canvas, marked as a forecast."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

# (key passed to simulate's `assume`, label, default percent)
RATES = (
    ("opened", "Open rate", 30.0),
    ("clicked", "Click rate", 8.0),
    ("unsubscribed", "Unsubscribe rate", 0.5),
)


class SimulateDialog(QDialog):
    """Choose the forecast's days, start and rates; Run; the result goes to `forecastReady`."""

    forecastReady = Signal(dict, str)

    def __init__(self, workspace: Any, diagram: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("simulateDialog")
        self.setWindowTitle(f"Simulate “{diagram.name}”")
        self.workspace = workspace
        self.diagram = diagram.copy()
        self.task: Any = None
        self.result: dict | None = None

        intro = QLabel(
            QCoreApplication.translate(
                "simulate_dialog",
                "Run the campaign on a copy of your contacts with a virtual clock. Nothing is "
                "sent and the real campaign is not touched.",
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("mutedLabel")
        self.days = QSpinBox()
        self.days.setObjectName("simulateDays")
        self.days.setRange(1, 365)
        self.days.setValue(30)
        self.days.setSuffix(QCoreApplication.translate("simulate_dialog", " days"))
        now = workspace.now()
        self.start = QDateTimeEdit(QDateTime(now.date(), now.time(), QTimeZone.utc()).toLocalTime())
        self.start.setObjectName("simulateStart")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd HH:mm")
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("simulate_dialog", "Forecast"), self.days)
        form.addRow(QCoreApplication.translate("simulate_dialog", "Starting"), self.start)
        self.rates: dict[str, QDoubleSpinBox] = {}
        for key, label, default in RATES:
            box = QDoubleSpinBox()
            box.setObjectName(f"rate_{key}")
            box.setRange(0, 100)
            box.setDecimals(1)
            box.setSingleStep(1)
            box.setSuffix(" %")
            box.setValue(default)
            self.rates[key] = box
            form.addRow(label, box)
        self._add_goal_rates(form)
        self._use_measured_rates()
        self.inside_note = QLabel(
            "The forecast starts the campaign afresh on a copy of your data: contacts already "
            "inside the live campaign start again from its trigger."
        )
        self.inside_note.setObjectName("mutedLabel")
        self.inside_note.setWordWrap(True)
        form.addRow(self.inside_note)

        self.progress = QProgressBar()
        self.progress.setObjectName("simulateProgress")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.status = QLabel("")
        self.status.setObjectName("simulateStatus")
        self.status.setWordWrap(True)
        self.run_button = QPushButton(QCoreApplication.translate("simulate_dialog", "Run forecast"))
        self.run_button.setObjectName("primaryButton")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(QCoreApplication.translate("simulate_dialog", "Cancel"))
        self.cancel_button.setObjectName("cancelSimulateButton")
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.run_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)

    def _add_goal_rates(self, form: QFormLayout) -> None:
        """One conversion rate per goal, keyed by the goal's event (as `--assume` reads)."""
        from engine.node_names import node_names

        names = node_names(self.diagram)
        for node in self.diagram.nodes.values():
            event = (node.params or {}).get("event")
            if node.type != "goal" or not event or event in self.rates:
                continue
            box = QDoubleSpinBox()
            box.setObjectName(f"rate_{event}")
            box.setRange(0, 100)
            box.setDecimals(1)
            box.setSuffix(" %")
            box.setValue(5.0)
            box.setToolTip(f"Share of the contacts who enter that do “{event}” within a week")
            self.rates[event] = box
            form.addRow(f"Converts: “{names[node.id]}”", box)

    def measured_rates(self) -> dict[str, float]:
        """This campaign's own rates so far, in percent (empty for a new campaign)."""
        from engine.campaigns import get_campaign
        from engine.stats import campaign_stats, node_stats

        try:
            campaign_id = get_campaign(self.workspace.engine, self.diagram.name)["id"]
            with self.workspace.engine.connect() as conn:
                nodes = node_stats(conn, campaign_id)
                enrolled = campaign_stats(conn, campaign_id)["enrolled"]
        except Exception:  # not stored yet, or renamed meanwhile: keep the usual defaults
            return {}
        sent = sum(f.get("sent", 0) for f in nodes.values())
        rates: dict[str, float] = {}
        for key in ("opened", "clicked", "unsubscribed"):
            if sent:
                rates[key] = 100 * sum(f.get(key, 0) for f in nodes.values()) / sent
        for node in self.diagram.nodes.values():
            event = (node.params or {}).get("event")
            if node.type == "goal" and event and enrolled and node.id in nodes:
                rates[event] = 100 * nodes[node.id]["entered"] / enrolled
        return rates

    def _use_measured_rates(self) -> None:
        for key, percent in self.measured_rates().items():
            box = self.rates.get(key)
            if box is not None:
                box.setValue(round(percent, 1))
                box.setToolTip("Measured on this campaign so far")

    def assume(self) -> dict[str, float]:
        return {key: round(box.value() / 100, 4) for key, box in self.rates.items()}

    def start_at(self) -> datetime:
        """The start as naive UTC."""
        return self.start.dateTime().toUTC().toPython().replace(tzinfo=None, microsecond=0)

    def describe(self) -> str:
        rates = ", ".join(f"{k} {v * 100:g}%" for k, v in self.assume().items() if v)
        days = self.days.value()
        return f"{days} day{'' if days == 1 else 's'} from {self.start_at():%Y-%m-%d}" + (
            f", assuming {rates}" if rates else ""
        )

    def run(self) -> Any:
        """Start the forecast in the background."""
        from engine.simulate import simulate

        diagram, db = self.diagram, self.workspace.db
        days, start, assume = self.days.value(), self.start_at(), self.assume()
        description = self.describe()

        def work(progress: Any) -> dict:
            return simulate(diagram, db, days, start=start, assume=assume, progress=progress)

        self.run_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(QCoreApplication.translate("simulate_dialog", "Simulating…"))
        task = self.workspace.tasks.submit(work, "Simulate")
        task.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        # A bound method, not a lambda: the connection dies with the dialog when the user
        # closes it before the forecast ends.
        self._description = description
        task.ended.connect(self._task_ended, Qt.ConnectionType.QueuedConnection)
        self.task = task
        return task

    def _task_ended(self) -> None:
        if self.task is not None:
            self._ended(self.task, self._description)

    def _progressed(self, done: int, total: object) -> None:
        """simulate reports simulated seconds out of the whole span."""
        if isinstance(total, int) and total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(min(1000, int(1000 * done / total)))
            day = min(self.days.value(), int(done // 86400) + 1)
            self.progress.setFormat(f"Day {day} of {self.days.value()}")

    def _ended(self, task: Any, description: str) -> None:
        self.progress.hide()
        self.run_button.setEnabled(True)
        if task.outcome == "succeeded":
            self.result = task.result if isinstance(task.result, dict) else {}
            campaign = self.result.get("campaign") or {}
            figures = [f"{int(v):,} {k}" for k, v in campaign.items()
                       if isinstance(v, (int, float)) and not isinstance(v, bool)][:4]  # fmt: skip
            self.status.setText("Forecast ready" + (": " + ", ".join(figures) if figures else "."))
            self.forecastReady.emit(self.result, description)
            self.accept()
        elif task.outcome == "cancelled":
            self.status.setText(
                QCoreApplication.translate("simulate_dialog", "Forecast cancelled.")
            )
        else:
            self.status.setText(f"The forecast failed: {task.error}")

    def cancel(self) -> None:
        if self.task is not None and not self.task.done:
            self.task.cancel()
            self.status.setText(QCoreApplication.translate("simulate_dialog", "Cancelling…"))
            return
        self.reject()

    def reject(self) -> None:
        """Closing the dialog (Esc, the window's ×) stops a forecast still running."""
        if self.task is not None and not self.task.done:
            self.task.cancel()
        super().reject()
