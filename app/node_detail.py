"""A node's detail: the contacts waiting there now, the messages it sent, its figures by day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import name_view
from app.contact_text import format_time
from app.style import style_chart
from engine import node_detail
from engine.catalog import CATALOG
from engine.node_names import node_names, ways_out

PAGE_SIZE = 100


class PagedModel(QAbstractTableModel):
    """A table over one page of a query: `fetch(offset, limit)` rows and a `count()`."""

    def __init__(self, columns: list[tuple[str, str]], fetch: Callable[[int, int], list[dict]],
                 count: Callable[[], int], parent: Any = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.columns = columns  # (key, title)
        self.fetch = fetch
        self.count = count
        self.offset = 0
        self.total = 0
        self.rows: list[dict] = []

    def load(self, offset: int | None = None) -> None:
        self.total = int(self.count())
        if offset is not None:
            self.offset = max(0, offset)
        if self.offset >= self.total:
            self.offset = max(0, (self.total - 1) // PAGE_SIZE * PAGE_SIZE)
        self.beginResetModel()
        self.rows = self.fetch(self.offset, PAGE_SIZE)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][1]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        value = self.rows[index.row()].get(self.columns[index.column()][0])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if isinstance(value, datetime):
                return format_time(value)
            return "" if value is None else str(value)
        return None


class PagedTable(QWidget):
    """A table with ‹ Previous / Next › and “1–100 of 2,345”."""

    def __init__(self, model: PagedModel, empty: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.empty_text = empty
        self.table = QTableView()
        self.table.setModel(model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.position = QLabel("")
        self.position.setObjectName("mutedLabel")
        self.previous = QPushButton(QCoreApplication.translate("node_detail", "‹ Previous"))
        self.next = QPushButton(QCoreApplication.translate("node_detail", "Next ›"))
        self.previous.clicked.connect(lambda: self.go(self.model.offset - PAGE_SIZE))
        self.next.clicked.connect(lambda: self.go(self.model.offset + PAGE_SIZE))
        self.controls = QHBoxLayout()
        self.controls.addStretch(1)
        self.controls.addWidget(self.position)
        self.controls.addWidget(self.previous)
        self.controls.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.controls)

    def go(self, offset: int) -> None:
        self.model.load(offset)
        self.table.resizeColumnsToContents()
        self._update()

    def _update(self) -> None:
        total = self.model.total
        if total == 0:
            self.position.setText(self.empty_text)
        else:
            first = self.model.offset + 1
            last = self.model.offset + len(self.model.rows)
            self.position.setText(f"{first:,}–{last:,} of {total:,}")
        self.previous.setEnabled(self.model.offset > 0)
        self.next.setEnabled(self.model.offset + PAGE_SIZE < total)


class NodeDetailDialog(QDialog):
    """Everything about one node of a campaign: who is there, what it sent, how it went."""

    def __init__(self, workspace: Any, campaign_id: int, node_id: str, diagram: Any = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("nodeDetail")
        self.workspace = workspace
        self.engine = workspace.engine
        self.campaign_id = campaign_id
        self.node_id = node_id
        node = diagram.nodes.get(node_id) if diagram is not None else None
        node_type = CATALOG.get(node.type) if node is not None else None
        self.names = node_names(diagram) if diagram is not None else {}
        self.targets = {  # port -> the name of the step it leads to
            e.port: self.names.get(e.target, "") for e in diagram.edges if e.source == node_id
        } if diagram is not None else {}  # fmt: skip
        title = self.names.get(node_id) or "This step"
        self.setWindowTitle(f"{title} — node detail")
        self.resize(820, 560)
        self.is_send = bool(node_type and node_type.is_send)

        heading = QLabel(title)
        heading.setObjectName("screenTitle")
        kind = QLabel(node_type.description if node_type else "")
        kind.setObjectName("mutedLabel")
        self.figures = QLabel("")
        self.figures.setObjectName("nodeFigures")
        self.figures.setWordWrap(True)

        self.tabs = QTabWidget()
        self.contacts = PagedTable(
            PagedModel(
                [("email", "Email"), ("name", "Name"), ("arrived_at", "Arrived (UTC)"),
                 ("due_at", "Moves on (UTC)")],
                self._fetch_contacts, self._count_contacts, self,
            ),
            "No one is waiting here now.",
        )  # fmt: skip
        self.tabs.addTab(
            self.contacts, QCoreApplication.translate("node_detail", "Contacts here now")
        )
        name_view(
            self.contacts.table, QCoreApplication.translate("node_detail", "Contacts here now")
        )
        self.status_filter = QComboBox()
        self.status_filter.addItem(QCoreApplication.translate("node_detail", "All statuses"), "")
        for status in ("queued", "sent", "failed", "suppressed", "simulated"):
            self.status_filter.addItem(status.capitalize(), status)
        self.messages = PagedTable(
            PagedModel(
                [("to_address", "To"), ("status", "Status"), ("created_at", "Created (UTC)"),
                 ("sent_at", "Sent (UTC)"), ("attempts", "Attempts"), ("error", "Error")],
                self._fetch_messages, self._count_messages, self,
            ),
            "This node has sent nothing yet.",
        )  # fmt: skip
        self.messages.controls.insertWidget(0, self.status_filter)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.messages.go(0))
        self.tabs.addTab(self.messages, QCoreApplication.translate("node_detail", "Messages"))
        name_view(self.messages.table, QCoreApplication.translate("node_detail", "Messages"))
        self.tabs.addTab(
            self._build_chart(), QCoreApplication.translate("node_detail", "Over time")
        )

        close = QPushButton(QCoreApplication.translate("node_detail", "Close"))
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(kind)
        layout.addWidget(self.figures)
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh()

    # ---- queries (engine.node_detail) ----
    def _status(self) -> str:
        return self.status_filter.currentData() if hasattr(self, "status_filter") else ""

    def _count_contacts(self) -> int:
        with self.engine.connect() as conn:
            return node_detail.count_waiting(conn, self.campaign_id, self.node_id)

    def _fetch_contacts(self, offset: int, limit: int) -> list[dict]:
        with self.engine.connect() as conn:
            return node_detail.waiting_contacts(conn, self.campaign_id, self.node_id, offset, limit)

    def _count_messages(self) -> int:
        with self.engine.connect() as conn:
            return node_detail.count_messages(conn, self.campaign_id, self.node_id, self._status())

    def _fetch_messages(self, offset: int, limit: int) -> list[dict]:
        with self.engine.connect() as conn:
            return node_detail.node_messages(
                conn, self.campaign_id, self.node_id, self._status(), offset, limit
            )

    def daily(self) -> list[tuple[str, int, int]]:
        """(day, contacts that passed the node, messages sent) per day."""
        with self.engine.connect() as conn:
            return node_detail.node_daily(conn, self.campaign_id, self.node_id)

    # ---- figures ----
    def _build_chart(self) -> QWidget:
        import pyqtgraph as pg

        pg.setConfigOptions(antialias=True)
        self.chart = pg.PlotWidget(background="w")
        self.chart.showGrid(x=False, y=True, alpha=0.2)
        self.chart.addLegend(offset=(10, 10))
        self.chart.setLabel("left", "Contacts")
        return self.chart

    def refresh(self) -> None:
        self.contacts.go(self.contacts.model.offset)
        self.messages.go(self.messages.model.offset)
        figures = {}
        try:
            from engine.stats import node_stats

            with self.engine.connect() as conn:
                figures = node_stats(conn, self.campaign_id).get(self.node_id) or {}
        except Exception as exc:  # the detail still lists contacts and messages
            self.figures.setText(f"Figures unavailable: {exc}")
        if figures:
            # Entered, then waiting and every way out (they add up), then message figures.
            rows = ways_out(figures, self.targets, self.is_send)
            parts = [f"{what}: {count:,}" for what, count in rows
                     if count or not what.startswith(("Jumped", "Left", "Failed"))]  # fmt: skip
            words = {"failed": "messages failed", "suppressed": "not sent (suppressed)"}
            for key in ("sent", "failed", "suppressed", "opened", "clicked", "unsubscribed",
                        "bounced", "complained"):  # fmt: skip
                if self.is_send and key in figures:
                    parts.append(f"{int(figures.get(key) or 0):,} {words.get(key, key)}")
            text = " · ".join(parts)
            links = sorted((figures.get("links") or {}).items(), key=lambda kv: -kv[1]["contacts"])
            if links:  # tracked clicks per link (the public endpoint), most clicked first
                text += "\nClicks per link: " + " · ".join(
                    f"{url} ({n['contacts']:,} people, {n['clicks']:,} clicks)"
                    for url, n in links[:5]
                )
            self.figures.setText(text)
        self._draw_chart()

    def _draw_chart(self) -> None:
        import pyqtgraph as pg

        rows = self.daily()
        self.chart.clear()
        style_chart(self.chart)
        if not rows:
            return
        xs = list(range(len(rows)))
        width = 0.38 if self.is_send else 0.6
        offset = width / 2 if self.is_send else 0
        passed = pg.BarGraphItem(
            x=[x - offset for x in xs], height=[r[1] for r in rows], width=width,
            brush="#4f46e5", pen=None, name="Passed the node",
        )  # fmt: skip
        self.chart.addItem(passed)
        if self.is_send:
            sent = pg.BarGraphItem(
                x=[x + offset for x in xs], height=[r[2] for r in rows], width=width,
                brush="#16a34a", pen=None, name="Sent",
            )  # fmt: skip
            self.chart.addItem(sent)
        self.chart.setXRange(-0.8, len(rows) - 0.2, padding=0)
        axis = self.chart.getAxis("bottom")
        step = max(1, len(rows) // 8)
        axis.setTicks([[(i, rows[i][0][5:]) for i in range(0, len(rows), step)]])
