"""One campaign open on the canvas: edit and save versions, run it, and read its figures live.

Statistics are plain data handed to the scene (`set_statistics`), refreshed by a timer
while the campaign runs; a forecast from Simulate is drawn the same way, marked as such.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.campaign_dialogs import MessageBar
from app.campaigns import LIFECYCLE, call_lifecycle, fault_text, status_name
from app.contact_text import format_time
from app.flow_layout import flow_row
from app.style import status_colour
from designer.elided_label import ElidedLabel

REFRESH_MS = 3000


def edges_from_ports(nodes: dict[str, dict]) -> dict[tuple[str, str], int]:
    """Edge figures from the nodes' port counts (a forecast carries only node figures)."""
    out: dict[tuple[str, str], int] = {}
    for node_id, figures in nodes.items():
        for port, count in (figures.get("ports") or {}).items():
            out[(node_id, port)] = int(count or 0)
    return out


class CampaignPage(QWidget):
    """The canvas editor for a stored campaign, with its lifecycle and statistics."""

    backRequested = Signal()
    dashboardRequested = Signal(int)
    saved = Signal(int)

    def __init__(self, workspace: Any, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from designer.editor import CampaignEditor
        from engine.campaigns import get_campaign, load_diagram

        self.setObjectName("campaignPage")
        self.workspace = workspace
        self.campaign_id = campaign_id
        self.forecast: dict | None = None
        engine = workspace.engine
        self.record = get_campaign(engine, campaign_id)
        from app.style import current_theme
        from designer.theme import theme_named

        # The campaign lives in the database: the window's Save and theme, not the editor's
        # file actions (designer.actions, owner "document").
        self.editor = CampaignEditor(theme=theme_named(current_theme()), documents=False)
        self.editor.setObjectName("campaignEditor")
        self.editor.title_label.hide()  # the page's own heading names the campaign
        with self.editor.held():  # the inspector's form is built once, not three times
            self.editor.set_diagram(load_diagram(engine, campaign_id))
            self._set_context()
            from app.step_tools import message_tools

            self.editor.inspector.set_message_tools(message_tools(engine))

        back = QPushButton(QCoreApplication.translate("campaign_page", "‹ Campaigns"))
        back.setObjectName("backButton")
        back.clicked.connect(self.backRequested.emit)
        self.title = ElidedLabel(self.record["name"])  # a long name shortens, never clips
        self.title.setObjectName("screenTitle")
        self.status_label = QLabel("")
        self.status_label.setObjectName("statusPill")
        self.version_label = QLabel("")
        self.version_label.setObjectName("mutedLabel")
        self.save_button = QPushButton(QCoreApplication.translate("campaign_page", "Save"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip(
            QCoreApplication.translate(
                "campaign_page", "Store the diagram as a new version (Ctrl+S)"
            )
        )
        self.save_button.clicked.connect(self.save)
        self.stats_toggle = QPushButton(
            QCoreApplication.translate("campaign_page", "Show statistics")
        )
        self.stats_toggle.setObjectName("statisticsToggle")
        self.stats_toggle.setCheckable(True)
        self.stats_toggle.toggled.connect(self.show_statistics)
        self.simulate_button = QPushButton(QCoreApplication.translate("campaign_page", "Simulate…"))
        self.simulate_button.setObjectName("simulateButton")
        self.simulate_button.setToolTip(
            QCoreApplication.translate(
                "campaign_page", "Forecast this campaign on a copy of your data"
            )
        )
        self.simulate_button.clicked.connect(self.simulate)
        dashboard = QPushButton(QCoreApplication.translate("campaign_page", "Dashboard"))
        dashboard.setObjectName("dashboardButton")
        dashboard.clicked.connect(lambda: self.dashboardRequested.emit(self.campaign_id))
        self.history_button = QPushButton(QCoreApplication.translate("campaign_page", "History…"))
        self.history_button.setObjectName("historyButton")
        self.history_button.setToolTip(
            QCoreApplication.translate(
                "campaign_page", "Earlier versions, compared on the canvas; restore one"
            )
        )
        self.history_button.clicked.connect(self.show_history)

        heading = QHBoxLayout()
        heading.setSpacing(10)
        middle = Qt.AlignmentFlag.AlignVCenter  # the row grows when its buttons wrap
        heading.addWidget(back, 0, middle)
        heading.addSpacing(6)
        heading.addWidget(self.title, 2)
        heading.addWidget(self.status_label, 0, middle)
        heading.addWidget(self.version_label, 0, middle)
        # The buttons wrap onto a second line on a narrow window instead of being cut.
        button_holder, button_row = flow_row(align_right=True)
        heading.addWidget(button_holder, 3)
        button_row.addWidget(self.stats_toggle)
        button_row.addWidget(self.simulate_button)
        button_row.addWidget(dashboard)
        button_row.addWidget(self.history_button)
        self.lifecycle_buttons: dict[str, QPushButton] = {}
        for name, text, tip in LIFECYCLE:
            if name == "schedule":
                continue
            button = QPushButton(QCoreApplication.translate("campaigns", text))
            button.setObjectName(f"{name}Button")
            button.setToolTip(QCoreApplication.translate("campaigns", tip))
            button.clicked.connect(lambda _c=False, n=name: self.lifecycle(n))
            self.lifecycle_buttons[name] = button
            button_row.addWidget(button)
        button_row.addWidget(self.save_button)

        self.forecast_banner = QWidget()
        self.forecast_banner.setObjectName("forecastBanner")
        banner = QHBoxLayout(self.forecast_banner)
        banner.setContentsMargins(12, 6, 8, 6)
        self.forecast_text = QLabel("")
        self.forecast_text.setObjectName("forecastText")
        clear = QPushButton(QCoreApplication.translate("campaign_page", "Clear forecast"))
        clear.setObjectName("clearForecastButton")
        # Not connected directly: clicked(False) would arrive as redraw=False and leave the
        # real figures blank until the next refresh.
        clear.clicked.connect(lambda: self.clear_forecast())
        banner.addWidget(self.forecast_text, 1)
        banner.addWidget(clear)
        self.forecast_banner.hide()
        self.message = MessageBar()
        # Why the engine paused the campaign after a fault; Resume clears it.
        self.fault = QLabel("")
        self.fault.setObjectName("campaignFault")
        self.fault.setWordWrap(True)
        self.fault.hide()
        self.summary = QLabel("")
        self.summary.setObjectName("statsSummary")
        self.summary.setWordWrap(True)  # a long line must not set the window's least width
        self.summary.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(8)
        layout.addLayout(heading)
        layout.addWidget(self.fault)
        layout.addWidget(self.message)
        layout.addWidget(self.forecast_banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.editor, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh_statistics)
        scene = self.scene
        if hasattr(scene, "nodeActivated"):
            scene.nodeActivated.connect(self.node_activated)
        undo = getattr(self.editor, "undo_stack", None)
        if undo is not None:
            undo.cleanChanged.connect(self._clean_changed)
        workspace.campaignsChanged.connect(self.reload_record)
        workspace.referencesChanged.connect(self._set_context)
        self._update_header()
        if self.record["status"] in ("live", "paused", "stopped", "completed"):
            self.stats_toggle.setChecked(True)

    # ---- parts ----
    def set_theme(self, name: str) -> None:
        """Follow the application's light/dark theme on the canvas."""
        from designer.theme import theme_named

        self.editor.set_theme(theme_named(name))

    @property
    def scene(self) -> Any:
        scene = getattr(self.editor, "scene", None)
        if callable(scene):
            scene = scene()
        if scene is None:
            scene = self.editor.view.scene()
        return scene

    @property
    def diagram(self) -> Any:
        return self.editor.diagram

    def _set_context(self) -> None:
        from engine.workspace import validation_context

        try:
            self.editor.set_context(validation_context(self.workspace.engine))
        except Exception as exc:  # validation without the database still works
            print(f"campaign page: no validation context: {exc}")

    def is_modified(self) -> bool:
        undo = getattr(self.editor, "undo_stack", None)
        return undo is not None and not undo.isClean()

    def reload_record(self) -> None:
        from engine.campaigns import get_campaign

        try:
            self.record = get_campaign(self.workspace.engine, self.campaign_id)
        except Exception:
            return  # deleted meanwhile; the window closes the page
        self._update_header()
        if self.stats_toggle.isChecked() and self.forecast is None:
            self.refresh_statistics()

    def _update_header(self) -> None:
        from engine.campaigns import allowed_actions

        status = self.record["status"]
        color = status_colour(status)
        self.status_label.setText(status_name(status))
        self.status_label.setStyleSheet(
            f"color: {color}; border: 1px solid {color}; border-radius: 9px; padding: 2px 10px;"
            "font-weight: 600;"
        )
        modified = " · ● unsaved" if self.is_modified() else ""
        metrics = self.version_label.fontMetrics()  # room for the mark: nothing moves for it
        self.version_label.setMinimumWidth(metrics.horizontalAdvance("Version 000 · ● unsaved"))
        when = ""
        if status == "scheduled" and self.record.get("start_at"):
            when = f" · starts {format_time(self.record['start_at'])} UTC"
        elif self.record.get("end_at") and status in ("live", "paused"):
            when = f" · ends {format_time(self.record['end_at'])} UTC"
        version = QCoreApplication.translate("campaign_page", "Version {number}").format(
            number=self.record["version"]
        )
        self.version_label.setText(f"{version}{when}{modified}")
        fault = fault_text(self.record) if status == "paused" else ""
        self.fault.setText(fault)
        self.fault.setVisible(bool(fault))
        allowed = allowed_actions(status)
        for name, button in self.lifecycle_buttons.items():
            button.setVisible(name in allowed)
        self.save_button.setEnabled(self.is_modified() or "edit" in allowed)
        live = status in ("live", "paused")
        if self.stats_toggle.isChecked() and live and self.forecast is None:
            self.timer.start()
        else:
            self.timer.stop()

    # ---- saving ----
    def save(self) -> bool:
        """Store the diagram as a new version of this campaign (found by id: a name changed
        in the inspector is an edit like any other, and is kept)."""
        from engine.campaigns import save_campaign

        try:
            save_campaign(
                self.workspace.engine,
                self.diagram,
                note="saved from the canvas",
                campaign_id=self.campaign_id,
            )
        except Exception as exc:
            self.message.show_message(f"Could not save: {exc}", "error")
            return False
        undo = getattr(self.editor, "undo_stack", None)
        if undo is not None:
            undo.setClean()
        self.workspace.campaignsChanged.emit()
        self.message.show_message(f"Saved as version {self.record['version']}.", "success")
        self.saved.emit(self.campaign_id)
        return True

    def maybe_save(self) -> bool:
        """Before leaving: save, discard or stay. False means stay."""
        if not self.is_modified():
            return True
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("campaign_page", "Unsaved changes"),
            f"Save the changes to “{self.record['name']}”?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _clean_changed(self, _clean: bool) -> None:
        self._update_header()

    def close_page(self) -> None:
        self.timer.stop()
        undo = getattr(self.editor, "undo_stack", None)
        with contextlib.suppress(RuntimeError, TypeError):
            undo.cleanChanged.disconnect(self._clean_changed)  # it fires once more on deletion
        with contextlib.suppress(RuntimeError, TypeError):
            self.workspace.campaignsChanged.disconnect(self.reload_record)
        with contextlib.suppress(RuntimeError, TypeError):
            self.workspace.referencesChanged.disconnect(self._set_context)

    # ---- lifecycle ----
    def lifecycle(self, action: str) -> bool:
        if action in ("start",) and self.is_modified() and not self.save():
            return False
        if action == "stop":
            from app.campaign_dialogs import ask

            question = (
                f"Stop “{self.record['name']}”? Contacts inside leave the campaign and it "
                "cannot be resumed."
            )
            if not ask(
                self,
                QCoreApplication.translate("campaign_page", "Stop campaign"),
                question,
                QCoreApplication.translate("campaign_page", "Stop campaign"),
            ):
                return False
        try:
            call_lifecycle(action, self.workspace.engine, self.campaign_id, self.workspace.now())
        except Exception as exc:
            self.message.show_message(str(exc), "error")
            return False
        self.message.hide()
        if action == "start":
            self.clear_forecast()
            self.stats_toggle.setChecked(True)
        self.workspace.campaignsChanged.emit()
        return True

    # ---- statistics ----
    def _reading_layout(self, on: bool) -> None:
        """Figures are an overlay on the normal editor: palette, inspector (with the selected
        node's figures) and problems stay; turning them on fits the diagram in view."""
        view = getattr(self.editor, "view", None)
        if on and view is not None and self.diagram.nodes:
            QTimer.singleShot(0, view.zoom_to_fit_readable)

    def show_statistics(self, on: bool) -> None:
        self.stats_toggle.setText("Hide statistics" if on else "Show statistics")
        self._reading_layout(on or self.forecast is not None)
        if on:
            self.clear_forecast(redraw=False)
            self.refresh_statistics()
        else:
            self.scene.clear_statistics()
            self.summary.hide()
        self._update_header()

    def statistics(self) -> tuple[dict, dict]:
        from engine.stats import edge_stats, node_stats

        with self.workspace.engine.connect() as conn:
            return node_stats(conn, self.campaign_id), edge_stats(conn, self.campaign_id)

    def refresh_statistics(self) -> None:
        if not self.stats_toggle.isChecked() or self.forecast is not None:
            return
        try:
            nodes, edges = self.statistics()
        except Exception as exc:
            self.message.show_message(f"Could not read the statistics: {exc}", "error")
            return
        self.scene.set_statistics(nodes, edges)
        self._show_summary()

    def _show_summary(self) -> None:
        from engine.stats import campaign_stats

        try:
            with self.workspace.engine.connect() as conn:
                figures = campaign_stats(conn, self.campaign_id)
        except Exception:
            self.summary.hide()
            return
        enrolled = int(figures.get("enrolled") or 0)
        converted = int(figures.get("converted") or 0)
        rate = f" ({converted / enrolled:.1%})" if enrolled else ""
        now = self.workspace.now()
        active = int(figures.get("active") or 0)
        completed = int(figures.get("completed") or 0)
        self.summary.setText(
            f"<b>{enrolled:,}</b> enrolled · <b>{active:,}</b> inside now · "
            f"<b>{converted:,}</b> converted{rate} · <b>{completed:,}</b> completed · "
            f"figures as of {format_time(now)} UTC · double-click a node for its detail"
        )
        self.summary.show()

    def node_activated(self, node_id: str) -> None:
        if self.stats_toggle.isChecked() or self.forecast is not None:
            self.open_node_detail(node_id)

    def open_node_detail(self, node_id: str) -> Any:
        from app.node_detail import NodeDetailDialog

        dialog = NodeDetailDialog(self.workspace, self.campaign_id, node_id, self.diagram, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.node_detail = dialog
        return dialog

    # ---- simulate ----
    def simulate(self) -> Any:
        from app.simulate_dialog import SimulateDialog

        dialog = SimulateDialog(self.workspace, self.diagram, self)
        dialog.forecastReady.connect(self.show_forecast)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.simulate_dialog = dialog
        return dialog

    def show_history(self) -> Any:
        """The version history beside the canvas; a restored version is loaded at once."""
        from app.version_history import VersionHistoryDialog

        dialog = VersionHistoryDialog(
            self.workspace.engine, self.campaign_id, self, unsaved=self.is_modified()
        )
        dialog.restored.connect(self._version_restored)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.history_dialog = dialog
        return dialog

    def _version_restored(self, version: int) -> None:
        from engine.campaigns import load_diagram

        self.editor.set_diagram(load_diagram(self.workspace.engine, self.campaign_id))
        self.workspace.campaignsChanged.emit()
        self.message.show_message(f"Restored as version {version}.", "success")

    def show_forecast(self, result: dict, description: str = "") -> None:
        """Draw a forecast on the canvas, marked as a forecast until cleared."""
        self.forecast = result
        nodes = result.get("nodes") or {}
        edges = result.get("edges")
        if not isinstance(edges, dict) or not edges:
            edges = edges_from_ports(nodes)
        self.timer.stop()
        self._reading_layout(True)
        self.summary.hide()
        self.scene.set_statistics(nodes, edges, forecast=True)
        self.forecast_text.setText(
            "FORECAST — simulated figures, not real contacts"
            + (f" · {description}" if description else "")
        )
        self.forecast_banner.show()

    def clear_forecast(self, redraw: bool = True) -> None:
        if self.forecast is None:
            return
        self.forecast = None
        self.forecast_banner.hide()
        self.scene.clear_statistics()
        if redraw:
            self._reading_layout(self.stats_toggle.isChecked())
        if redraw and self.stats_toggle.isChecked():
            self.refresh_statistics()
        self._update_header()
