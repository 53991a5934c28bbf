"""Sticky notes and labelled group frames (a backdrop; moving it moves the nodes on it)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from designer.items.look import Look
from engine.diagram import Annotation

HANDLE = 12.0  # the resize grip in the bottom-right corner
GROUP_TITLE_HEIGHT = 30.0


class AnnotationItem(QGraphicsItem):
    """Draws a note (z above edges) or a group frame (z below everything)."""

    def __init__(self, annotation: Annotation, look: Look) -> None:
        super().__init__()
        self.annotation_id = annotation.id
        self.look = look
        self.editing = False  # an AnnotationEditor shows the text meanwhile
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.update_from(annotation)

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    def update_from(self, annotation: Annotation) -> None:
        self.prepareGeometryChange()
        self.kind = annotation.kind
        self.text = annotation.text
        self.color = QColor(annotation.color) if annotation.color else None
        x, y, w, h = annotation.rect
        self.setPos(x, y)
        self._rect = QRectF(0, 0, max(40.0, w), max(30.0, h))
        self.setZValue(-20 if self.is_group else 1)
        self.update()

    def rect(self) -> QRectF:
        return self._rect

    def scene_rect(self) -> QRectF:
        return self._rect.translated(self.pos())

    def on_resize_handle(self, scene_pos: QPointF) -> bool:
        local = scene_pos - self.pos()
        return (
            self._rect.right() - HANDLE <= local.x() <= self._rect.right() + 2
            and self._rect.bottom() - HANDLE <= local.y() <= self._rect.bottom() + 2
        )

    def on_group_title(self, scene_pos: QPointF) -> bool:
        local = scene_pos - self.pos()
        return 0 <= local.y() <= GROUP_TITLE_HEIGHT

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -3, 3, 4)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.is_group:  # only the title bar and the rim grab; the inside belongs to nodes
            path.addRect(QRectF(0, 0, self._rect.width(), GROUP_TITLE_HEIGHT))
            path.addRect(
                QRectF(self._rect.right() - HANDLE, self._rect.bottom() - HANDLE, HANDLE, HANDLE)
            )
        else:
            path.addRect(self._rect)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        theme = self.look.theme
        selected = self.isSelected()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self._rect
        if self.is_group:
            fill = QColor(self.color) if self.color else QColor(theme.group)
            if self.color:
                fill.setAlpha(30)
            border = QColor(fill)
            border.setAlpha(min(255, fill.alpha() * 4))
            painter.setPen(QPen(theme.selection, 2) if selected else QPen(border, 1.2))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 12, 12)
            painter.setFont(self.look.group_font)
            painter.setPen(Qt.PenStyle.NoPen if self.editing else theme.group_text)
            title = QRectF(14, 0, rect.width() - 28, GROUP_TITLE_HEIGHT)
            painter.drawText(
                title,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                self.text or "Group",
            )
        else:
            fill = QColor(self.color) if self.color else theme.note
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.shadow)
            painter.drawRoundedRect(rect.adjusted(0, 2, 0, 3), 6, 6)
            painter.setPen(QPen(theme.selection, 2) if selected else Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 6, 6)
            painter.setFont(self.look.note_font)
            painter.setPen(Qt.PenStyle.NoPen if self.editing else theme.note_text)
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
            painter.drawText(
                rect.adjusted(12, 10, -12, -10),
                int(flags) | int(Qt.TextFlag.TextWordWrap),
                self.text,
            )
        # Resize grip: three short diagonal strokes.
        painter.setPen(QPen(theme.port_border, 1))
        r, b = rect.right() - 3, rect.bottom() - 3
        for k in (4, 8):
            painter.drawLine(QPointF(r - k, b), QPointF(r, b - k))


class AnnotationEditor(QGraphicsTextItem):
    """In-place text editing of a note (or a frame's title); commits once, on leaving.

    Enter in a frame title, Ctrl+Enter in a note, or clicking elsewhere commits; Esc cancels.
    """

    def __init__(self, item: AnnotationItem, on_done) -> None:
        super().__init__(item.text)
        self.item = item
        self.on_done = on_done
        self.finished = False
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.setFont(item.look.group_font if item.is_group else item.look.note_font)
        self.setDefaultTextColor(
            item.look.theme.group_text if item.is_group else item.look.theme.note_text
        )
        rect = item.scene_rect()
        if item.is_group:
            self.setPos(rect.x() + 10, rect.y() + 2)
            self.setTextWidth(rect.width() - 24)
        else:
            self.setPos(rect.x() + 8, rect.y() + 6)
            self.setTextWidth(rect.width() - 16)
        self.setZValue(2000)
        item.editing = True
        item.update()

    def start(self) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        cursor = self.textCursor()
        cursor.select(cursor.SelectionType.Document)
        self.setTextCursor(cursor)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.finish(False)
            return
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if enter and (self.item.is_group or ctrl):
            self.finish(True)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.finish(True)

    def finish(self, keep: bool) -> None:
        if self.finished:
            return
        self.finished = True
        self.item.editing = False
        self.item.update()
        text = self.toPlainText().strip() if self.item.is_group else self.toPlainText()
        self.on_done(self, text if keep else None)
