"""The problems list: live validation of the campaign (debounced), with a severity icon,
node id and message per row; activating a row asks to select and centre its node."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.panel_style import PANEL_COLOURS
from designer.theme import LIGHT, Theme
from engine.diagram import Diagram
from engine.i18n import plural_text
from engine.problems import CAMPAIGN, Problem
from engine.validation import ValidationContext, validate

DEBOUNCE_MS = 150
PROBLEM_ROLE = Qt.ItemDataRole.UserRole
EDGE_ROLE = Qt.ItemDataRole.UserRole + 1


def severity_icon(severity: str, theme: Theme = LIGHT, size: int = 14) -> QIcon:
    """A round badge: a red '!' for errors, an amber '!' for warnings."""
    colour = theme.error if severity == "error" else theme.warning
    scale = 2
    pixmap = QPixmap(size * scale, size * scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(1, 1, size * scale - 2, size * scale - 2)
    painter.setPen(theme.on_marker)
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(int(size * scale * 0.72))
    painter.setFont(font)
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, "!")
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    return QIcon(pixmap)


class ProblemsList(QWidget):
    """Validates the diagram ~150 ms after each change and lists what it found.

    Signals: problemActivated(node_id) when a row naming a node is clicked;
    edgeActivated(Edge) when the row's problem names an edge; problemsChanged(list[Problem])
    after each validation.
    """

    problemActivated = Signal(str)
    edgeActivated = Signal(object)
    problemsChanged = Signal(list)

    def __init__(self, theme: Theme = LIGHT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problems")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.theme = theme
        self.diagram: Diagram | None = None
        self.context: ValidationContext | None = None
        self.problems: list[Problem] = []
        self.scene = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QFrame()
        header.setObjectName("problemsHeader")
        row = QHBoxLayout(header)
        row.setContentsMargins(10, 4, 10, 4)
        title = QLabel(QCoreApplication.translate("problems", "Problems"))
        title.setObjectName("panelTitle")
        self.summary = QLabel()
        self.summary.setObjectName("problemsSummary")
        row.addWidget(title)
        row.addSpacing(8)
        row.addWidget(self.summary)
        row.addStretch(1)
        layout.addWidget(header)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(QCoreApplication.translate("problems", "Problems"))
        self.tree.setAccessibleDescription(
            QCoreApplication.translate("problems", "Return selects the node with the problem")
        )
        self.tree.setTabKeyNavigation(False)
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(
            [
                QCoreApplication.translate("problems", "Node"),
                QCoreApplication.translate("problems", "Problem"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setIconSize(QSize(14, 14))
        self.tree.setFrameShape(QFrame.Shape.NoFrame)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnWidth(0, 150)
        self.tree.header().setStretchLastSection(True)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        layout.addWidget(self.tree, 1)
        self.all_clear = QLabel(
            QCoreApplication.translate(
                "problems", "Nothing to fix. The campaign is checked again as you edit."
            )
        )
        self.all_clear.setObjectName("problemsAllClear")
        self.all_clear.setWordWrap(True)  # must not set the canvas column's least width
        self.all_clear.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.all_clear, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)

    def set_diagram(self, diagram: Diagram, scene=None) -> None:
        """Watch a diagram (and mark problems on `scene`, a CampaignScene, if given)."""
        if self.diagram is not None:
            self.diagram.changed.unsub(self.schedule)
        self.diagram = diagram
        self.scene = scene
        diagram.changed.sub(self.schedule)
        self.refresh()

    def set_context(self, context: ValidationContext | None) -> None:
        self.context = context
        self.refresh()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._fill()

    def schedule(self) -> None:
        """Validate soon: many changes in a burst (typing, a drag) validate once."""
        self.timer.start()

    def refresh(self) -> None:
        """Validate now."""
        self.timer.stop()
        if self.diagram is None:
            return
        self.problems = validate(self.diagram, self.context)
        self._fill()
        if self.scene is not None:
            by_node: dict[str, list[Problem]] = {}
            for problem in self.problems:
                if problem.node:
                    by_node.setdefault(problem.node, []).append(problem)
            self.scene.set_problems(by_node)
        self.problemsChanged.emit(self.problems)

    def _fill(self) -> None:
        self.tree.clear()
        from engine.node_names import node_names

        names = node_names(self.diagram) if self.diagram is not None else {}
        for problem in self.problems:
            where = names.get(problem.node, problem.node) if problem.node else CAMPAIGN
            item = QTreeWidgetItem([where, problem.message])  # the step's name, not its id
            item.setIcon(0, severity_icon(problem.severity, self.theme))
            item.setToolTip(1, problem.message)
            item.setData(0, PROBLEM_ROLE, problem.node or "")
            item.setData(0, EDGE_ROLE, problem.edge)
            self.tree.addTopLevelItem(item)
        self.tree.setVisible(bool(self.problems))
        self.all_clear.setVisible(not self.problems)
        errors = sum(p.severity == "error" for p in self.problems)
        warnings = len(self.problems) - errors
        if not self.problems:
            self.summary.setText(
                QCoreApplication.translate("problems", "✓ No problems: ready to start")
            )
            self.summary.setStyleSheet(f"color: {PANEL_COLOURS[self.theme.name]['success']};")
        else:
            parts = []
            if errors:
                text = QCoreApplication.translate("problems", "%n error(s)", "", errors)
                parts.append(plural_text(text, errors))
            if warnings:
                text = QCoreApplication.translate("problems", "%n warning(s)", "", warnings)
                parts.append(plural_text(text, warnings))
            self.summary.setText(", ".join(parts))
            colour = self.theme.error if errors else self.theme.warning
            self.summary.setStyleSheet(f"color: {colour.name()};")

    def row_of(self, node_id: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, PROBLEM_ROLE) == node_id:
                return item
        return None

    def _clicked(self, item: QTreeWidgetItem) -> None:
        edge = item.data(0, EDGE_ROLE)
        if edge is not None and self.diagram is not None and edge in self.diagram.edges:
            self.edgeActivated.emit(edge)
            return
        node_id = item.data(0, PROBLEM_ROLE)
        if node_id:
            self.problemActivated.emit(node_id)
