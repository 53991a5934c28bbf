"""A campaign's version history: its versions, two of them compared on a canvas (added,
removed and changed nodes and edges marked; a node's parameters side by side) and "restore
this version" as a new version. The comparison is engine.campaign_diff's."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.contact_text import format_time
from designer.scene import CampaignScene
from designer.view import CampaignView
from engine.campaign_diff import diff_definitions, merged_definition
from engine.campaigns import (
    CampaignError,
    get_campaign,
    list_versions,
    restore_version,
    version_definition,
)
from engine.db import Engine
from engine.diagram import Diagram, Edge
from engine.fileformat import build

NodeIdRole = Qt.ItemDataRole.UserRole


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _clear_of_others(diagram: Diagram, moved: list[str], width: float = 200, height: float = 90):
    """A removed node drawn where a newer one now stands is moved down until it covers no
    other (a node replaced in place would otherwise hide its replacement)."""
    for node_id in moved:
        node = diagram.nodes[node_id]
        x, y = node.position
        others = [n.position for n in diagram.nodes.values() if n.id != node_id]
        while any(abs(x - ox) < width and abs(y - oy) < height for ox, oy in others):
            y += height
        node.position = (x, y)


class VersionHistoryDialog(QDialog):
    """Versions on the left; on the right, "compare A with B" drawn on a read-only canvas,
    the list of changes and the selected node's parameters in both versions."""

    restored = Signal(int)  # the new version made from an old one

    def __init__(
        self,
        engine: Engine,
        campaign_id: int,
        parent: QWidget | None = None,
        unsaved: bool = False,
    ) -> None:
        """`unsaved`: the canvas has changes not saved yet (restoring would drop them)."""
        super().__init__(parent)
        self.setObjectName("versionHistory")
        self.engine = engine
        self.campaign_id = campaign_id
        self.unsaved = unsaved
        self.diff: dict[str, Any] = {}
        self.setWindowTitle("Version history")
        self.resize(1100, 680)

        self.versions = QListWidget()
        self.versions.setObjectName("versionList")
        self.versions.setAccessibleName("Versions")
        self.versions.currentItemChanged.connect(lambda *_a: self._version_chosen())
        self.restore_button = QPushButton("Restore this version")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setToolTip("Save the chosen version again, as the newest version")
        self.restore_button.clicked.connect(self.restore)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(QLabel("Versions (newest first)"))
        left_box.addWidget(self.versions, 1)
        left_box.addWidget(self.restore_button)
        self.message = QLabel("")
        self.message.setObjectName("formProblem")
        self.message.setWordWrap(True)
        left_box.addWidget(self.message)

        self.old_combo, self.new_combo = QComboBox(), QComboBox()
        self.old_combo.setAccessibleName("Older version")
        self.new_combo.setAccessibleName("Newer version")
        for combo in (self.old_combo, self.new_combo):
            combo.currentIndexChanged.connect(lambda _i: self.compare())
        self.summary = QLabel("")
        self.summary.setObjectName("diffSummary")
        self.summary.setWordWrap(True)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Compare version"))
        pick.addWidget(self.old_combo)
        pick.addWidget(QLabel("with"))
        pick.addWidget(self.new_combo)
        pick.addStretch(1)

        self.scene = CampaignScene(Diagram())
        self.view = CampaignView(self.scene)
        self.view.setObjectName("diffCanvas")
        self.view.setAccessibleName("The two versions drawn as one diagram")
        self.changes = QListWidget()
        self.changes.setObjectName("diffChanges")
        self.changes.setAccessibleName("Changes")
        self.changes.currentItemChanged.connect(lambda *_a: self._change_chosen())
        self.params = QTableWidget(0, 3)
        self.params.setObjectName("diffParams")
        self.params.setAccessibleName("Parameters in both versions")
        self.params.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.params.verticalHeader().hide()
        self.params.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.changes)
        side.addWidget(self.params)
        body = QSplitter()
        body.addWidget(self.view)
        body.addWidget(side)
        body.setStretchFactor(0, 3)  # the drawing gets the room; the lists stay narrow
        body.setStretchFactor(1, 1)
        body.setSizes([700, 300])
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addLayout(pick)
        right_box.addWidget(self.summary)
        right_box.addWidget(body, 1)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 4)
        split.setSizes([230, 870])
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.reload()

    # ---- data ----
    def reload(self) -> None:
        with self.engine.connect() as conn:
            self.current = int(get_campaign(conn, self.campaign_id)["version"])
            rows = list_versions(conn, self.campaign_id)
        self.versions.blockSignals(True)
        self.versions.clear()
        for row in reversed(rows):
            mark = " (current)" if row["version"] == self.current else ""
            when = format_time(row["created_at"]) if row["created_at"] else ""
            item = QListWidgetItem(f"Version {row['version']}{mark}\n{when}  {row['note'] or ''}")
            item.setData(NodeIdRole, row["version"])
            self.versions.addItem(item)
        self.versions.blockSignals(False)
        numbers = [r["version"] for r in rows]
        for combo in (self.old_combo, self.new_combo):
            combo.blockSignals(True)
            combo.clear()
            for number in numbers:
                combo.addItem(f"{number}", number)
            combo.blockSignals(False)
        self.versions.setCurrentRow(0)

    def _version_chosen(self) -> None:
        """Compare the chosen version with the one before it (the first with itself)."""
        item = self.versions.currentItem()
        if item is None:
            return
        chosen = int(item.data(NodeIdRole))
        self.restore_button.setEnabled(chosen != self.current and not self.unsaved)
        self.restore_button.setText(
            "This is the current version"
            if chosen == self.current
            else f"Restore version {chosen} as a new version"
        )
        if self.unsaved:
            self.restore_button.setToolTip("Save or undo the changes on the canvas first")
        self.select_pair(max(1, chosen - 1), chosen)

    def select_pair(self, old: int, new: int) -> None:
        for combo, number in ((self.old_combo, old), (self.new_combo, new)):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(number))
            combo.blockSignals(False)
        self.compare()

    def compare(self) -> None:
        old, new = self.old_combo.currentData(), self.new_combo.currentData()
        if old is None or new is None:
            return
        with self.engine.connect() as conn:
            a = version_definition(conn, self.campaign_id, int(old))
            b = version_definition(conn, self.campaign_id, int(new))
        self.diff = diff_definitions(a, b)
        merged, node_marks, edge_marks = merged_definition(a, b)
        diagram, _problems = build(merged)
        # A removed edge whose port an added one now uses: the model keeps one edge per
        # port, the drawing shows both.
        for source, port, target in edge_marks:
            edge = Edge(source, target, port)
            if edge not in diagram.edges and {source, target} <= set(diagram.nodes):
                diagram.edges.append(edge)
        _clear_of_others(diagram, [n for n, mark in node_marks.items() if mark == "removed"])
        self.scene.set_diagram(diagram)
        self.scene.set_diff_marks(node_marks, edge_marks)
        self._frame()
        QTimer.singleShot(0, self._frame)  # again once the canvas has its real size
        self._fill_changes(node_marks)
        counts = {kind: sum(1 for m in node_marks.values() if m == kind)
                  for kind in ("added", "removed", "changed")}  # fmt: skip
        edges_changed = len(edge_marks)
        self.summary.setText(
            "No differences."
            if self.diff["same"]
            else f"Version {old} → {new}: {counts['added']} node(s) added, {counts['removed']} "
            f"removed, {counts['changed']} changed; {edges_changed} connection(s) added or "
            "removed." + (" Campaign settings changed." if self.diff["settings"] else "")
        )

    def _frame(self) -> None:
        """Fit the drawing, but never so small its text cannot be read; then bring the
        chosen change into view."""
        self.view.zoom_to_fit_readable()
        item = self.changes.currentItem()
        node_id = item.data(NodeIdRole) if item is not None else None
        if node_id in self.scene.nodes:
            self.view.centerOn(self.scene.nodes[node_id])

    def _fill_changes(self, node_marks: dict[str, str]) -> None:
        self.changes.clear()
        signs = {"added": "+", "removed": "−", "changed": "~"}
        if self.diff.get("name"):
            a, b = self.diff["name"]
            self.changes.addItem(f"~ Name: {a} → {b}")
        if self.diff.get("settings"):
            item = QListWidgetItem("~ Campaign settings")
            item.setData(NodeIdRole, "")
            self.changes.addItem(item)
        for node_id, mark in sorted(node_marks.items()):
            item = QListWidgetItem(f"{signs[mark]} {node_id} ({mark})")
            item.setData(NodeIdRole, node_id)
            self.changes.addItem(item)
        self.params.setRowCount(0)
        if self.changes.count():
            self.changes.setCurrentRow(0)

    def _change_chosen(self) -> None:
        item = self.changes.currentItem()
        node_id = item.data(NodeIdRole) if item is not None else None
        if node_id is None:
            return
        self.show_params(node_id)

    def show_params(self, node_id: str) -> None:
        """The node's parameters in both versions ("" for the campaign settings)."""
        old, new = self.old_combo.currentText(), self.new_combo.currentText()
        self.params.setHorizontalHeaderLabels(["Parameter", f"Version {old}", f"Version {new}"])
        if node_id == "":
            rows = list(self.diff["settings"].items())
        else:
            rows = self._node_rows(node_id)
        self.params.setRowCount(len(rows))
        for r, (key, (a, b)) in enumerate(rows):
            for c, text in enumerate((key, _shown(a), _shown(b))):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.params.setItem(r, c, cell)
        if node_id in self.scene.nodes:
            self.scene.select_nodes([node_id])
            self.view.centerOn(self.scene.nodes[node_id])

    def _node_rows(self, node_id: str) -> list[tuple[str, tuple[Any, Any]]]:
        nodes = self.diff["nodes"]
        for node in nodes["added"]:
            if node["id"] == node_id:
                return [("type", (None, node.get("type")))] + [
                    (k, (None, v)) for k, v in sorted((node.get("params") or {}).items())
                ]
        for node in nodes["removed"]:
            if node["id"] == node_id:
                return [("type", (node.get("type"), None))] + [
                    (k, (v, None)) for k, v in sorted((node.get("params") or {}).items())
                ]
        for node in nodes["changed"]:
            if node["id"] == node_id:
                rows = []
                if node["type_change"]:
                    rows.append(("type", tuple(node["type_change"])))
                if node["label"]:
                    rows.append(("name", tuple(node["label"])))
                rows += [(k, tuple(v)) for k, v in node["params"].items()]
                return rows
        return []

    # ---- restoring ----
    def restore(self) -> int | None:
        item = self.versions.currentItem()
        if item is None:
            return None
        chosen = int(item.data(NodeIdRole))
        try:
            new_version = restore_version(self.engine, self.campaign_id, chosen)
        except CampaignError as exc:
            self.message.setText(f"Could not restore version {chosen}: {exc}.")
            return None
        self.message.setText(f"Version {chosen} is now version {new_version}.")
        self.reload()
        self.restored.emit(new_version)
        return new_version
