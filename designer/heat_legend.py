"""The key to the canvas's heat colours while figures are shown: a card's tint is the share
of the contacts who entered it that wait there now (pale: none, full: all)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QWidget

from designer.theme import Theme

TEXT = "Tint: share waiting"


class HeatLegend(QWidget):
    """A small overlay in the canvas's bottom-left corner."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heatLegend")
        self.theme = theme
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setToolTip(
            "Each card is tinted by how many of the contacts who entered it wait there now: "
            "pale when none wait, strongest when all of them do."
        )
        self.resize(self.sizeHint())
        self.hide()

    def sizeHint(self) -> QSize:
        width = max(self.fontMetrics().horizontalAdvance(TEXT), 60 + 80)
        return QSize(width + 24, 46)

    def _tint(self, share: float) -> QColor:
        card, heat = self.theme.card, self.theme.heat
        k = 0.08 + 0.32 * share if share > 0 else 0.0
        return QColor.fromRgbF(
            card.redF() * (1 - k) + heat.redF() * k,
            card.greenF() * (1 - k) + heat.greenF() * k,
            card.blueF() * (1 - k) + heat.blueF() * k,
        )

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(self.theme.card_border, 1))
        painter.setBrush(self.theme.card)
        painter.drawRoundedRect(rect, 8, 8)
        painter.setPen(self.theme.summary)
        text_rect = QRectF(12, 4, rect.width() - 24, 18)
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter), TEXT)
        bar = QRectF(12, 25, rect.width() - 24 - 80, 12)  # at least 60 px: sizeHint
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        gradient.setColorAt(0.0, self._tint(0.0))
        gradient.setColorAt(1.0, self._tint(1.0))
        painter.setPen(QPen(self.theme.card_border, 1))
        painter.setBrush(gradient)
        painter.drawRoundedRect(bar, 3, 3)
        painter.setPen(self.theme.summary)
        painter.drawText(QRectF(bar.right() + 6, 21, 74, 20), int(Qt.AlignmentFlag.AlignVCenter),
                         "none → all")  # fmt: skip
