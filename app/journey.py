"""How a contact's journey is drawn: timeline entries in words, a coloured dot per kind on
one line, and the round initials badge of the contact page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.contact_text import format_time
from app.screen_parts import ACCENT, MUTED, tag_colour

KIND_COLOURS = {"event": "#0ea5e9", "step": "#8b5cf6", "message": "#10b981", "enrolled": ACCENT}
STATUS_COLOURS = {"failed": "#dc2626", "suppressed": "#d97706", "bounced": "#dc2626"}
TimelineRole = Qt.ItemDataRole.UserRole + 2
EVENT_TITLES = {
    "email_sent": "Email sent",
    "sms_sent": "SMS sent",
    "message_sent": "Message sent",
    "email_opened": "Opened an email",
    "email_clicked": "Clicked a link in an email",
    "unsubscribed": "Unsubscribed",
    "bounced": "Email bounced",
}


def timeline_detail(entry: dict[str, Any]) -> str:
    """An entry's detail without what the line already says (the campaign, the node)."""
    detail = str(entry.get("detail") or "")
    if entry.get("kind") != "event":
        return detail
    parts = [p for p in detail.split(", ") if not p.startswith(("campaign=", "node=", "message="))]
    return ", ".join(parts)


def timeline_title(entry: dict[str, Any]) -> str:
    """A journey entry in words: 'Opened an email', 'Email sent: Welcome…', 'Purchase'."""
    title = str(entry.get("title") or "")
    kind = entry.get("kind")
    if kind == "event":
        return EVENT_TITLES.get(title, title.replace("_", " ").capitalize())
    if kind == "message":
        channel, _, rest = title.partition(" ")
        channel = {"sms": "SMS", "email": "Email"}.get(channel, channel.capitalize())
        return f"{channel} {rest}".rstrip(": ")
    if kind == "step" and title.startswith("passed "):
        node, _, port = title[len("passed ") :].partition(" → ")
        way = f", answer “{port}”" if port and port != "next" else ""  # yes, no, timed out
        return f"Reached “{node}”{way}"
    return title


def avatar_pixmap(name: str, size: int = 56) -> QPixmap:
    """A round badge with the contact's initials, coloured by name."""
    initials = "".join(part[0] for part in name.split()[:2]).upper() or "?"
    background, foreground = tag_colour(name or "?")
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawEllipse(0, 0, size, size)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(size // 3)
    painter.setFont(font)
    painter.setPen(foreground)
    painter.drawText(QRect(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials)
    painter.end()
    return pixmap


class TimelineDelegate(QStyledItemDelegate):
    """A journey entry: time on the left, a coloured dot on a line, title and detail."""

    TIME_WIDTH = 136

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        entry: dict[str, Any] = index.data(TimelineRole) or {}
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, option.palette.highlight().color().lighter(180))
        muted = QColor(MUTED)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(
            QRect(rect.left() + 8, rect.top() + 8, self.TIME_WIDTH - 12, 18),
            Qt.AlignmentFlag.AlignLeft,
            format_time(entry.get("at")),
        )
        x = rect.left() + self.TIME_WIDTH
        painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Mid), 2))
        painter.drawLine(x, rect.top(), x, rect.bottom())
        colour = QColor(
            STATUS_COLOURS.get(str(entry.get("status")), KIND_COLOURS.get(entry.get("kind"), MUTED))
        )
        painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Base), 2))
        painter.setBrush(colour)
        painter.drawEllipse(x - 6, rect.top() + 10, 12, 12)
        text_left = x + 16
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(option.palette.text().color())
        room = rect.right() - text_left - 8
        title = painter.fontMetrics().elidedText(
            timeline_title(entry), Qt.TextElideMode.ElideRight, room
        )  # a long subject ends in "…", not cut mid-letter
        painter.drawText(
            QRect(text_left, rect.top() + 6, room, 20),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        detail = " · ".join(
            str(part) for part in (entry.get("campaign"), timeline_detail(entry)) if part
        )
        if detail:
            painter.setFont(small)
            painter.setPen(muted)
            painter.drawText(
                QRect(text_left, rect.top() + 26, rect.right() - text_left - 8, 18),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                painter.fontMetrics().elidedText(
                    detail, Qt.TextElideMode.ElideRight, rect.right() - text_left - 8
                ),
            )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return QSize(300, 50)
