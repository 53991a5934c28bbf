"""The node palette (every catalog type by category, with a search box, dragged onto the
canvas) and the quick-add popup (type-ahead list used by double-click and Tab/N)."""

from __future__ import annotations

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.presets import BY_KEY, PRESETS
from designer.theme import LIGHT, Theme
from engine.catalog import CATALOG, CATEGORIES, CATEGORY_LABELS, NodeType, types_in

MIME_TYPE = "application/x-campaign-studio-node-type"
TYPE_ROLE = Qt.ItemDataRole.UserRole
DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 1


def node_type_mime(type_name: str) -> QMimeData:
    """Drag data carrying one node type name."""
    mime = QMimeData()
    mime.setData(MIME_TYPE, QByteArray(type_name.encode("utf-8")))
    mime.setText(type_name)
    return mime


def type_from_mime(mime: QMimeData | None) -> str | None:
    """The node type a drag carries, or None when it carries none we know."""
    if mime is None or not mime.hasFormat(MIME_TYPE):
        return None
    name = bytes(mime.data(MIME_TYPE).data()).decode("utf-8", "replace")
    return name if name in CATALOG or name in BY_KEY else None


def dot_icon(colour: QColor, size: int = 16) -> QIcon:
    """A filled circle in the category colour (used when no drawn icon is available)."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(size // 2, size // 2, size, size)
    painter.end()
    pixmap.setDevicePixelRatio(2.0)
    return QIcon(pixmap)


def type_icon(spec: NodeType, theme: Theme = LIGHT, size: int = 18) -> QIcon:
    """The node type's icon in its category colour, or a coloured dot."""
    colour = theme.category(spec.category)
    try:
        from designer.icons import node_icon

        icon = node_icon(spec.icon, colour, size)
    except ImportError:  # the canvas's icon set is optional here
        icon = QIcon()
    return icon if not icon.isNull() else dot_icon(colour, size - 6)


def matches(spec: NodeType, text: str) -> bool:
    """Does a search text match this node type (title, type name, category, description)?"""
    words = text.lower().split()
    haystack = " ".join(
        (spec.title, spec.type, CATEGORY_LABELS.get(spec.category, ""), spec.description)
    ).lower()
    return all(word in haystack for word in words)


def ranked_types(text: str) -> list[NodeType]:
    """Types matching `text`, best first: title prefix, then title word, then anywhere."""
    query = text.strip().lower()
    found = [t for t in CATALOG.values() if matches(t, query)]

    def rank(spec: NodeType) -> tuple[int, int]:
        title = spec.title.lower()
        if title.startswith(query):
            return (0, 0)
        if any(w.startswith(query) for w in title.split()) or spec.type.startswith(query):
            return (1, 0)
        return (2, 0)

    return sorted(found, key=rank)


class _TwoLineDelegate(QStyledItemDelegate):
    """Title over a one-line description, in a muted colour."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(DESCRIPTION_ROLE):
            return QSize(size.width(), max(size.height(), 40))
        return QSize(size.width(), max(size.height(), 28))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        description = index.data(DESCRIPTION_ROLE)
        if not description:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else None
        text = opt.text
        opt.text = ""
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        icon_side = opt.decorationSize.width() + 14  # the style draws the icon on this side
        if opt.direction == Qt.LayoutDirection.RightToLeft:  # mirrored: the icon is at the right
            rect = opt.rect.adjusted(6, 4, -icon_side, -4)
        else:
            rect = opt.rect.adjusted(icon_side, 4, -6, -4)
        painter.save()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        title_colour = palette.highlightedText().color() if selected else palette.text().color()
        painter.setPen(title_colour)
        font = opt.font
        font.setWeight(font.Weight.DemiBold)
        painter.setFont(font)
        half = rect.height() // 2
        title = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), half),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,  # "Segment en…" on a narrow palette, never cut mid-letter
        )
        small = opt.font
        small.setWeight(small.Weight.Normal)
        small.setPointSizeF(max(small.pointSizeF() * 0.86, 7.0))
        painter.setFont(small)
        muted = QColor(title_colour)
        muted.setAlpha(150)
        painter.setPen(muted)
        metrics = painter.fontMetrics()
        elided = metrics.elidedText(description, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            QRect(rect.left(), rect.top() + half, rect.width(), half),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            elided,
        )
        painter.restore()


class PaletteTree(QTreeWidget):
    """The tree of node types; dragging an entry carries its type name."""

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:
        names = [i.data(0, TYPE_ROLE) for i in items if i.data(0, TYPE_ROLE)]
        return node_type_mime(names[0]) if names else QMimeData()

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


class Palette(QWidget):
    """Every node type, grouped by category, searchable; drag a type onto the canvas.

    Double-click (or Enter on) a type emits typeActivated(type_name).
    """

    typeActivated = Signal(str)

    def __init__(self, theme: Theme = LIGHT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("palette")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.theme = theme
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        title = QLabel(QCoreApplication.translate("palette", "Nodes"))
        title.setObjectName("panelTitle")
        self.search = QLineEdit()
        self.search.setObjectName("paletteSearch")
        self.search.setAccessibleName(QCoreApplication.translate("palette", "Search nodes"))
        self.search.setPlaceholderText(QCoreApplication.translate("palette", "Search nodes…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.set_filter)
        self.tree = PaletteTree()
        self.tree.setAccessibleName(QCoreApplication.translate("palette", "Nodes to add"))
        self.tree.setAccessibleDescription(
            QCoreApplication.translate("palette", "Return adds the node after the selected one")
        )
        self.tree.setTabKeyNavigation(False)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(6)
        self.tree.setIconSize(QSize(20, 20))
        self.tree.setItemDelegate(_TwoLineDelegate(self.tree))
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemActivated.connect(self._activated)
        self.tree.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        self.no_results = QLabel("No node matches. Try another word, or clear the search.")
        self.no_results.setObjectName("panelHint")
        self.no_results.setWordWrap(True)
        self.no_results.hide()
        layout.addWidget(self.no_results)
        hint = QLabel(
            QCoreApplication.translate(
                "palette", "Drag onto the canvas, or double-click the canvas to add."
            )
        )
        hint.setObjectName("panelHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.categories: dict[str, QTreeWidgetItem] = {}
        self._populate()

    def _populate(self) -> None:
        self.tree.clear()
        self.items.clear()
        self.categories.clear()
        for category in CATEGORIES:
            types = types_in(category)
            if not types:
                continue
            header = QTreeWidgetItem([CATEGORY_LABELS.get(category, category).upper()])
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = header.font(0)
            font.setBold(True)
            font.setPointSizeF(max(font.pointSizeF() * 0.82, 7.0))
            header.setFont(0, font)
            header.setForeground(0, self.theme.category(category))
            self.tree.addTopLevelItem(header)
            self.categories[category] = header
            for spec in types:
                item = QTreeWidgetItem([spec.title])
                item.setData(0, TYPE_ROLE, spec.type)
                item.setData(0, DESCRIPTION_ROLE, spec.description)
                item.setIcon(0, type_icon(spec, self.theme))
                item.setToolTip(
                    0, f"<b>{spec.title}</b> <code>{spec.type}</code><br>{spec.description}"
                )
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsDragEnabled
                )
                header.addChild(item)
                self.items[spec.type] = item
            for preset in (p for p in PRESETS if p.spec.category == category):
                item = QTreeWidgetItem([preset.title])
                item.setData(0, TYPE_ROLE, preset.key)
                item.setData(0, DESCRIPTION_ROLE, preset.description)
                item.setIcon(0, type_icon(preset.spec, self.theme))
                item.setToolTip(0, f"<b>{preset.title}</b><br>{preset.description}")
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsDragEnabled
                )
                header.addChild(item)
                self.items[preset.key] = item
            header.setExpanded(True)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        text = self.search.text()
        self._populate()
        self.set_filter(text)

    def set_filter(self, text: str) -> None:
        """Show only the types matching `text`; categories with none are hidden."""
        for header in self.categories.values():
            shown = 0
            for i in range(header.childCount()):
                child = header.child(i)
                key = child.data(0, TYPE_ROLE)
                if key in BY_KEY:
                    preset = BY_KEY[key]
                    words = f"{preset.title} {preset.description}".lower()
                    hit = all(word in words for word in text.lower().split())
                else:
                    hit = matches(CATALOG[key], text)
                child.setHidden(not hit)
                shown += hit
            header.setHidden(shown == 0)
        if hasattr(self, "no_results"):
            self.no_results.setVisible(not self.visible_types())

    def visible_types(self) -> list[str]:
        return [
            t
            for t, item in self.items.items()
            if not item.isHidden() and not item.parent().isHidden()
        ]

    def _activated(self, item: QTreeWidgetItem) -> None:
        type_name = item.data(0, TYPE_ROLE)
        if type_name:
            self.typeActivated.emit(type_name)


class QuickAdd(QFrame):
    """A popup with a search line over a list of node types; Enter picks, Escape closes."""

    chosen = Signal(str)

    def __init__(self, theme: Theme = LIGHT, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("quickAdd")
        self.setAccessibleName(QCoreApplication.translate("palette", "Add a node"))
        self.setAccessibleDescription(
            QCoreApplication.translate(
                "palette", "Type to search, arrows to choose, Return adds it, Escape closes"
            )
        )
        self.theme = theme
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            QCoreApplication.translate("palette", "Add a node… (type to search)")
        )
        self.search.setAccessibleName(QCoreApplication.translate("palette", "Search node types"))
        self.list = QListWidget()
        self.list.setAccessibleName(QCoreApplication.translate("palette", "Matching nodes"))
        self.list.setTabKeyNavigation(False)
        self.list.setIconSize(QSize(18, 18))
        self.list.setUniformItemSizes(True)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.resize(300, 340)
        self.search.textChanged.connect(self._refill)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(self._pick)
        self.list.itemClicked.connect(self._pick)
        self._refill("")

    def _refill(self, text: str) -> None:
        self.list.clear()
        for spec in ranked_types(text):
            item = QListWidgetItem(type_icon(spec, self.theme), spec.title)
            item.setData(TYPE_ROLE, spec.type)
            item.setToolTip(spec.description)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def popup(self, global_pos: QPoint) -> None:
        """Show at a screen position with an empty search."""
        self.search.clear()
        self._refill("")
        self.move(global_pos)
        self.show()
        self.raise_()
        self.activateWindow()
        self.search.setFocus()

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and (event.type() == QKeyEvent.Type.KeyPress)
        ):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.list.currentRow() + step, 0), self.list.count() - 1)
                self.list.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._pick(self.list.currentItem())
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def _pick(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        type_name = item.data(TYPE_ROLE)
        self.close()
        self.chosen.emit(type_name)
