"""Small pieces the data screens share: a page header, a debouncer, background jobs
(with progress and Cancel) and a tag-chip delegate."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

ACCENT = "#4f46e5"
MUTED = "#6b7280"

TAG_COLOURS = ["#e0e7ff", "#dcfce7", "#fef3c7", "#fce7f3", "#e0f2fe", "#ede9fe", "#ffedd5"]
TAG_TEXT = ["#3730a3", "#166534", "#92400e", "#9d174d", "#075985", "#5b21b6", "#9a3412"]


def tag_colour(tag: str) -> tuple[QColor, QColor]:
    """A stable pastel background and text colour for a tag name."""
    index = zlib.crc32(tag.encode()) % len(TAG_COLOURS)
    return QColor(TAG_COLOURS[index]), QColor(TAG_TEXT[index])


class PageHeader(QWidget):
    """A screen's title, a muted subtitle, and room for actions on the right."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageHeader")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        texts = QVBoxLayout()
        texts.setSpacing(0)
        self.title = QLabel(title)
        self.title.setObjectName("screenTitle")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(subtitle)
        self.subtitle.setObjectName("screenSubtitle")
        self.subtitle.setWordWrap(True)  # long (or translated) subtitles wrap at 150–200% scale
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        layout.addLayout(texts, 1)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(6)
        layout.addLayout(self.actions)

    def add_action_widget(self, widget: QWidget) -> QWidget:
        self.actions.addWidget(widget)
        return widget


class Debouncer(QObject):
    """Calls `callback` once, `delay_ms` after the last `poke()` (typing, slider drags)."""

    def __init__(self, delay_ms: int, callback: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(callback)

    def poke(self, *_args: Any) -> None:
        self.timer.start()

    def flush(self) -> None:
        """Run now if a call is pending (tests, Enter key)."""
        if self.timer.isActive():
            self.timer.stop()
            self.timer.timeout.emit()


class TagChipsDelegate(QStyledItemDelegate):
    """Draws a list of tags (Qt.UserRole + 1 holds the list) as coloured chips."""

    TAGS_ROLE = Qt.ItemDataRole.UserRole + 1

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        tags = index.data(self.TAGS_ROLE) or []
        self.initStyleOption(option, index)
        option.text = ""
        widget = option.widget
        style = widget.style() if widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        if not tags:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(option.font)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        rect: QRect = option.rect.adjusted(4, 0, -4, 0)
        x = rect.left()
        height = metrics.height() + 4
        top = rect.top() + (rect.height() - height) // 2
        for tag in tags:
            width = metrics.horizontalAdvance(tag) + 12
            if x + width > rect.right():
                painter.setPen(option.palette.color(QPalette.ColorRole.Text))
                painter.drawText(
                    QRect(x, rect.top(), 20, rect.height()), Qt.AlignmentFlag.AlignVCenter, "…"
                )
                break
            background, foreground = tag_colour(tag)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(background)
            painter.drawRoundedRect(QRectF(x, top, width, height), height / 2, height / 2)
            painter.setPen(foreground)
            painter.drawText(QRect(x, top, width, height), Qt.AlignmentFlag.AlignCenter, tag)
            x += width + 4
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(max(size.width(), 120), size.height())


def error_text(exc: BaseException) -> str:
    """One sentence for the user, never a traceback."""
    return str(exc) or type(exc).__name__


class _LineNumbers(QWidget):
    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event) -> None:
        self.editor.paint_gutter(event)


class CodeEditor(QPlainTextEdit):
    """A monospace editor with line numbers that can mark one line as wrong."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabStopDistance(QFontMetrics(font).horizontalAdvance(" ") * 2)
        self.error_line: int | None = None
        self.gutter = _LineNumbers(self)
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self._update_gutter_width()

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 14 + self.fontMetrics().horizontalAdvance("9") * max(2, digits)

    def _update_gutter_width(self, *_args) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self.gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(), rect.height()))

    def paint_gutter(self, event) -> None:
        painter = QPainter(self.gutter)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.AlternateBase))
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible() and bottom >= event.rect().top():
                wrong = self.error_line == number + 1
                painter.setPen(QColor("#dc2626") if wrong else QColor("#9ca3af"))
                painter.drawText(0, top, self.gutter.width() - 6, height,
                                 Qt.AlignmentFlag.AlignRight, str(number + 1))  # fmt: skip
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1
        painter.end()

    def mark_error_line(self, line: int | None) -> None:
        """Highlight `line` (1-based) in red, or clear the mark with None."""
        self.error_line = line
        selections = []
        if line is not None and 1 <= line <= self.blockCount():
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(QColor(220, 38, 38, 60))  # readable in both themes
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            cursor = QTextCursor(self.document().findBlockByNumber(line - 1))
            selection.cursor = cursor
            selections.append(selection)
        self.setExtraSelections(selections)
        self.gutter.update()

    def error_line_text(self) -> str:
        if self.error_line is None:
            return ""
        return self.document().findBlockByNumber(self.error_line - 1).text()


def ask(
    parent: QWidget, title: str, text: str, yes: str, on_yes: Callable[[], None]
) -> QMessageBox:
    """A window-modal question that does not block the event loop; `on_yes` runs on Yes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel,
                      parent)  # fmt: skip
    button = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setObjectName("confirmBox")

    def done(clicked) -> None:
        if clicked is button:
            on_yes()

    box.buttonClicked.connect(done)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def usage_sentence(users: list[str], noun: str) -> str:
    """'Used by the campaigns “A” and “B”: they will …' or '' when unused."""
    if not users:
        return ""
    names = ", ".join(f"“{u}”" for u in users[:5]) + (" …" if len(users) > 5 else "")
    plural = "campaigns" if len(users) > 1 else "campaign"
    return f"The {plural} {names} use this {noun} and will show a problem until it exists again."
