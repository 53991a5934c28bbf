"""A campaign's dashboard: totals, conversion, messages by channel, a chart per day, the
figures of each node and of child campaigns rolled up into the parent; CSV and PNG export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import name_view
from app.campaign_dialogs import Card, MessageBar
from app.contact_text import format_date, format_time
from app.flow_layout import flow_row
from app.style import chart_colors, series_colour, status_colour, style_chart
from designer.elided_label import ElidedLabel
from engine.catalog import CATALOG
from engine.dashboard import DashboardData
from engine.dashboard import number as _num

# Each series has its own marker and line style too, so colour is never the only signal.
SERIES_MARKS = (
    ("o", Qt.PenStyle.SolidLine),
    ("s", Qt.PenStyle.DashLine),
    ("t", Qt.PenStyle.DotLine),
    ("d", Qt.PenStyle.DashDotLine),
    ("+", Qt.PenStyle.SolidLine),
    ("x", Qt.PenStyle.DashLine),
    ("star", Qt.PenStyle.DotLine),
)
SEND_KEYS = ("sent", "failed", "suppressed", "opened", "clicked", "unsubscribed")
NODE_COLUMNS = ("entered", "waiting", "sent", "failed", "suppressed", "opened", "clicked",
                "unsubscribed", "bounced", "complained")  # fmt: skip


class DashboardPage(QWidget):
    """The dashboard of one campaign (and its children)."""

    backRequested = Signal()
    openRequested = Signal(int)

    def __init__(self, workspace: Any, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardPage")
        self.workspace = workspace
        self.campaign_id = campaign_id
        self.data: DashboardData | None = None

        back = QPushButton(QCoreApplication.translate("dashboard", "‹ Back"))
        back.setObjectName("backButton")
        back.clicked.connect(self.backRequested.emit)
        self.title = ElidedLabel("")  # a long name shortens instead of widening the page
        self.title.setObjectName("screenTitle")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("screenSubtitle")
        self.subtitle.setWordWrap(True)
        open_canvas = QPushButton(QCoreApplication.translate("dashboard", "Open canvas"))
        open_canvas.setObjectName("openCanvasButton")
        open_canvas.clicked.connect(lambda: self.openRequested.emit(self.campaign_id))
        refresh = QPushButton(QCoreApplication.translate("dashboard", "Refresh"))
        refresh.setObjectName("refreshButton")
        refresh.clicked.connect(self.refresh)
        self.export_csv_button = QPushButton(QCoreApplication.translate("dashboard", "Export CSV"))
        self.export_csv_button.setObjectName("exportCsvButton")
        menu = QMenu(self.export_csv_button)
        menu.addAction(
            QCoreApplication.translate("dashboard", "Figures per day…"),
            lambda: self._ask_export_csv("daily"),
        )
        menu.addAction(
            QCoreApplication.translate("dashboard", "Figures per node…"),
            lambda: self._ask_export_csv("nodes"),
        )
        self.export_csv_button.setMenu(menu)
        self.export_png_button = QPushButton(QCoreApplication.translate("dashboard", "Export PNG"))
        self.export_png_button.setObjectName("exportPngButton")
        self.export_png_button.clicked.connect(self._ask_export_png)

        heading = QHBoxLayout()
        heading.addWidget(back)
        heading.addSpacing(8)
        texts = QVBoxLayout()
        texts.setSpacing(0)
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        heading.addLayout(texts, 2)
        # The buttons wrap onto a second line on a narrow window instead of leaving the page.
        button_holder, button_row = flow_row(align_right=True)
        self.button_holder = button_holder  # left out of the exported picture
        for button in (refresh, open_canvas, self.export_csv_button, self.export_png_button):
            button_row.addWidget(button)
        heading.addWidget(button_holder, 3)

        self.cards = QGridLayout()
        self.cards.setSpacing(12)
        import pyqtgraph as pg

        pg.setConfigOptions(antialias=True)
        self.chart = pg.PlotWidget(background="w")
        self.chart.setObjectName("dailyChart")
        self.chart.setMinimumHeight(260)
        self.chart.showGrid(x=False, y=True, alpha=0.15)
        self.chart.setTitle(
            QCoreApplication.translate("dashboard", "Per day"), color="#1f2433", size="11pt"
        )
        self.channel_table = self._table(("Channel", "Sent", "Failed", "Suppressed", "Queued"))
        name_view(
            self.channel_table, QCoreApplication.translate("dashboard", "Messages by channel")
        )
        self.channel_table.setObjectName("channelTable")
        self.node_table = self._table(("Node", "Type", *(c.capitalize() for c in NODE_COLUMNS)))
        name_view(
            self.node_table,
            QCoreApplication.translate("dashboard", "Figures per node"),
            QCoreApplication.translate("dashboard", "Return opens the node's figures"),
        )
        self.node_table.setObjectName("nodeTable")
        self.node_table.setToolTip(
            QCoreApplication.translate(
                "dashboard", "Double-click a node for who is there now and what it sent"
            )
        )
        self.node_table.cellActivated.connect(self._open_node)  # double-click and Return
        self.children_label = QLabel(QCoreApplication.translate("dashboard", "Child campaigns"))
        self.children_label.setObjectName("cardLabel")
        self.child_table = self._table(("Campaign", "Status", "Enrolled", "Converted", "Rate"))
        name_view(self.child_table, QCoreApplication.translate("dashboard", "Child campaigns"))
        self.child_table.setObjectName("childTable")
        self.message = MessageBar()

        charts = QHBoxLayout()
        charts.setSpacing(12)
        self.charts = charts  # side by side when wide; one above the other when narrow
        # The chart's figures as a table too: what a screen reader (or a keyboard) can read.
        self.chart.setAccessibleName(
            QCoreApplication.translate("dashboard", "Contacts and messages per day, chart")
        )
        self.chart.setAccessibleDescription(
            QCoreApplication.translate("dashboard", "The same figures are in the Table tab")
        )
        self.day_table = self._table(("Day",))
        name_view(
            self.day_table, QCoreApplication.translate("dashboard", "Contacts and messages per day")
        )
        self.day_table.setObjectName("dayTable")
        self.chart_tabs = QTabWidget()
        self.chart_tabs.setObjectName("chartTabs")
        self.chart_tabs.addTab(self.chart, QCoreApplication.translate("dashboard", "Chart"))
        self.chart_tabs.addTab(self.day_table, QCoreApplication.translate("dashboard", "Table"))
        charts.addWidget(
            self._boxed(
                QCoreApplication.translate("dashboard", "Contacts and messages per day"),
                self.chart_tabs,
            ),
            3,
        )
        charts.addWidget(
            self._boxed(
                QCoreApplication.translate("dashboard", "Messages by channel"), self.channel_table
            ),
            2,
        )

        body = QWidget()
        self.body = body
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 16, 24, 16)
        column.setSpacing(14)
        column.addLayout(heading)
        column.addWidget(self.message)
        column.addLayout(self.cards)
        column.addLayout(charts, 3)
        column.addWidget(
            self._boxed(
                QCoreApplication.translate("dashboard", "Figures per node"), self.node_table
            ),
            3,
        )
        self.children_box = self._boxed(
            QCoreApplication.translate("dashboard", "Child campaigns (rolled up into the totals)"),
            self.child_table,
        )
        column.addWidget(self.children_box, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.refresh()

    @staticmethod
    def _table(headers: tuple[str, ...]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(160)
        return table

    @staticmethod
    def _boxed(title: str, widget: QWidget) -> QFrame:
        frame = QFrame()
        frame.setObjectName("card")
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(14, 10, 14, 12)
        label = QLabel(title.upper())
        label.setObjectName("cardLabel")
        layout.addWidget(label)
        layout.addWidget(widget, 1)
        return frame

    # ---- filling ----
    def refresh(self) -> None:
        try:
            self.data = DashboardData(self.workspace.engine, self.campaign_id)
        except Exception as exc:
            self.message.show_message(f"Could not read the figures: {exc}", "error")
            return
        data = self.data
        campaign = data.campaign
        self.title.setText(campaign["name"])
        status = campaign["status"]
        when = campaign.get("started_at")
        self.subtitle.setText(
            f"<span style='color:{status_colour(status)}; font-weight:600'>"
            f"{status.capitalize()}</span> · version {campaign['version']}"
            + (f" · started {format_time(when)} UTC" if when else "")
            + (f" · includes {len(data.children)} child campaign(s)" if data.children else "")
        )
        self._fill_cards(data)
        self._fill_chart(data)
        self._fill_channels(data)
        self._fill_nodes(data)
        self._fill_children(data)

    def _fill_cards(self, data: DashboardData) -> None:
        while self.cards.count():
            item = self.cards.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        t = data.totals
        sent = _num(t.get("sent")) or sum(
            c.get("sent", 0) + c.get("simulated", 0) for c in data.channels.values()
        )
        opened = _num(t.get("opened")) or sum(_num(r.get("opened")) for r in data.daily)
        clicked = _num(t.get("clicked")) or sum(_num(r.get("clicked")) for r in data.daily)
        cards = [
            ("Enrolled", f"{int(_num(t.get('enrolled'))):,}", "contacts entered"),
            ("Active now", f"{int(_num(t.get('active'))):,}", "inside the campaign"),
            ("Converted", f"{int(_num(t.get('converted'))):,}", "reached a goal"),
            ("Conversion rate", f"{t['conversion_rate']:.1%}", "of enrolled contacts"),
            ("Messages sent", f"{int(sent):,}", "all channels"),
            ("Open rate", f"{opened / sent:.1%}" if sent else "—", f"{int(opened):,} opened"),
            ("Click rate", f"{clicked / sent:.1%}" if sent else "—", f"{int(clicked):,} clicked"),
        ]
        self.card_widgets: dict[str, Card] = {}
        for label, value, note in cards:
            self.card_widgets[label] = Card(label, value, note)
        self._place_cards()

    def _place_cards(self) -> None:
        """One row of cards on a wide window, rows of four on a small one."""
        cards = list(getattr(self, "card_widgets", {}).values())
        per_row = len(cards) if self.width() >= 1300 else 4
        for i, card in enumerate(cards):
            self.cards.addWidget(card, i // per_row, i % per_row)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Below ~1200 px the channel table beside the chart would scroll sideways: stack them.
        direction = (
            QBoxLayout.Direction.LeftToRight
            if self.width() >= 1200
            else QBoxLayout.Direction.TopToBottom
        )
        if self.charts.direction() != direction:
            self.charts.setDirection(direction)
        if getattr(self, "card_widgets", None):
            wide = self.width() >= 1300
            if wide != getattr(self, "_wide", None):
                self._wide = wide
                for card in self.card_widgets.values():
                    self.cards.removeWidget(card)
                self._place_cards()

    def _fill_chart(self, data: DashboardData) -> None:
        import pyqtgraph as pg

        self.chart.clear()
        style_chart(self.chart)
        legend = self.chart.plotItem.legend
        if legend is None:
            legend = self.chart.addLegend(offset=(0, 0), horSpacing=14, verSpacing=-4)
            legend.setBrush(pg.mkBrush(chart_colors()["background"]))
            legend.setLabelTextColor(chart_colors()["text"])
            # Above the plotted area, not on it: the legend never covers a line or a point.
            legend.setParentItem(self.chart.plotItem)
            legend.anchor(itemPos=(0, 0), parentPos=(0, 0), offset=(48, 2))
        legend.clear()
        legend.setColumnCount(5)
        rows = data.daily
        self._fill_day_table(data)
        if not rows:
            self.chart.setTitle(
                QCoreApplication.translate("dashboard", "No activity yet"),
                color=chart_colors()["axis"],
                size="11pt",
            )
            return
        self.chart.setTitle("")
        xs = list(range(len(rows)))
        for i, key in enumerate(data.series_keys()):
            color = series_colour(i)
            symbol, dash = SERIES_MARKS[i % len(SERIES_MARKS)]
            ys = [_num(r.get(key)) for r in rows]
            self.chart.plot(xs, ys, name=key.replace("_", " ").capitalize(),
                            pen=pg.mkPen(color, width=2.2, style=dash), symbol=symbol,
                            symbolSize=7,
                            symbolBrush=color, symbolPen=color)  # fmt: skip
        # Room above the plot for the legend's rows (its height once its entries are in).
        legend.updateSize()
        self.chart.plotItem.setContentsMargins(0, legend.boundingRect().height() + 6, 8, 0)
        highest = max((_num(r.get(k)) for r in rows for k in data.series_keys()), default=0)
        self.chart.setYRange(0, max(1.0, highest) * 1.05, padding=0)
        self.chart.setXRange(-0.3, len(rows) - 0.7, padding=0)
        step = max(1, len(rows) // 10)
        self.chart.getAxis("bottom").setTicks(
            [[(i, rows[i]["day"][5:]) for i in range(0, len(rows), step)]]
        )

    def _fill_day_table(self, data: DashboardData) -> None:
        keys = data.series_keys()
        table = self.day_table
        table.setColumnCount(1 + len(keys))
        table.setHorizontalHeaderLabels(
            [
                QCoreApplication.translate("dashboard", "Day"),
                *(k.replace("_", " ").capitalize() for k in keys),
            ]
        )
        table.setRowCount(len(data.daily))
        for row, day in enumerate(data.daily):
            table.setItem(row, 0, QTableWidgetItem(format_date(str(day["day"]))))
            for column, key in enumerate(keys, start=1):
                item = QTableWidgetItem(f"{int(_num(day.get(key))):,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)

    def _fill_channels(self, data: DashboardData) -> None:
        table = self.channel_table
        table.setRowCount(0)
        for channel, counts in sorted(data.channels.items()):
            row = table.rowCount()
            table.insertRow(row)
            values = [channel.capitalize()] + [
                f"{counts.get(k, 0) + (counts.get('simulated', 0) if k == 'sent' else 0):,}"
                for k in ("sent", "failed", "suppressed", "queued")
            ]
            for column, value in enumerate(values):
                table.setItem(row, column, self._item(value, column > 0))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _fill_nodes(self, data: DashboardData) -> None:
        table = self.node_table
        table.setRowCount(0)
        for node in data.diagram.nodes.values():
            figures = data.nodes.get(node.id) or {}
            node_type = CATALOG.get(node.type)
            row = table.rowCount()
            table.insertRow(row)
            name = node.label or (node_type.describe(node.params) if node_type else node.id)
            item = self._item(name)
            item.setToolTip(f"Node id “{node.id}”")
            table.setItem(row, 0, item)
            table.setItem(row, 1, self._item(node_type.title if node_type else node.type))
            for i, key in enumerate(NODE_COLUMNS):
                value = figures.get(key)
                text = f"{int(_num(value)):,}" if value is not None else ""
                table.setItem(row, 2 + i, self._item(text, True))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(min(420, 40 + 30 * max(3, table.rowCount())))

    def _fill_children(self, data: DashboardData) -> None:
        self.children_box.setVisible(bool(data.child_totals))
        table = self.child_table
        table.setRowCount(0)
        for child in data.child_totals:
            row = table.rowCount()
            table.insertRow(row)
            enrolled, converted = _num(child.get("enrolled")), _num(child.get("converted"))
            rate = f"{converted / enrolled:.1%}" if enrolled else "—"
            status = str(child["status"]).capitalize()
            values = [child["name"], status, f"{int(enrolled):,}", f"{int(converted):,}", rate]
            for column, value in enumerate(values):
                table.setItem(row, column, self._item(value, column > 1))

    def _open_node(self, row: int, _column: int = 0) -> Any:
        """The node's detail (contacts there now, messages, figures by day)."""
        from app.node_detail import NodeDetailDialog

        if self.data is None:
            return None
        node_ids = list(self.data.diagram.nodes)
        if not 0 <= row < len(node_ids):
            return None
        dialog = NodeDetailDialog(self.workspace, self.campaign_id, node_ids[row],
                                  self.data.diagram, self)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.node_detail = dialog
        return dialog

    @staticmethod
    def _item(text: str, number: bool = False) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        if number:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    # ---- export ----
    def export_csv(self, path: str | Path, what: str = "daily") -> Path:
        """Write the figures per day (or per node) as CSV; returns the path."""
        assert self.data is not None
        path = Path(path)
        from engine.csv_safe import safe_writer
        from engine.stats_csv import node_label

        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = safe_writer(handle)  # formula-safe cells
            if what == "nodes":
                writer.writerow(["node", "node id", "type", *NODE_COLUMNS])
                for node in self.data.diagram.nodes.values():
                    figures = self.data.nodes.get(node.id) or {}
                    writer.writerow([node_label(node), node.id, node.type,
                                     *[figures.get(k, "") for k in NODE_COLUMNS]])  # fmt: skip
            else:
                keys = self.data.series_keys()
                writer.writerow(["day", *keys])
                for row in self.data.daily:
                    writer.writerow([row["day"], *[_fmt(row.get(k, 0)) for k in keys]])
        self.message.show_message(f"Exported {path.name}.", "success")
        return path

    def export_png(self, path: str | Path) -> Path:
        path = Path(path)
        # The picture is the report: without the page's buttons and last message.
        hidden = [w for w in (self.button_holder, self.message) if w.isVisible()]
        for widget in hidden:
            widget.setVisible(False)
        try:
            picture = self.body.grab()
        finally:
            for widget in hidden:
                widget.setVisible(True)
        if not picture.save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        self.message.show_message(f"Exported {path.name}.", "success")
        return path

    def _default_name(self, suffix: str) -> str:
        name = (self.data.campaign["name"] if self.data else "campaign").lower()
        return "".join(ch if ch.isalnum() else "-" for ch in name).strip("-") + suffix

    def _ask_export_csv(self, what: str) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export CSV", self._default_name(f"-{what}.csv"), "CSV (*.csv)"
        )
        if path:
            try:
                self.export_csv(path, what)
            except OSError as exc:
                self.message.show_message(f"Could not export: {exc}", "error")

    def _ask_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export PNG", self._default_name(".png"), "PNG image (*.png)"
        )
        if path:
            try:
                self.export_png(path)
            except OSError as exc:
                self.message.show_message(f"Could not export: {exc}", "error")


def _fmt(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
