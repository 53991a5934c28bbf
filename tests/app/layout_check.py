"""Is anything on screen cut off? Buttons narrower than their text, labels that cannot show
their words, widgets reaching outside the window — the 1024×700 checks of issue 13."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)

SLACK = 2  # pixels of rounding a style may take


def _scroll_area(widget: QWidget, top: QWidget) -> QAbstractScrollArea | None:
    """The scroll area whose viewport holds the widget (it may scroll it into sight)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        grand = parent.parentWidget()
        if isinstance(grand, QAbstractScrollArea) and grand.viewport() is parent:
            return grand
        parent = grand
    return None


def _scrolled(widget: QWidget, top: QWidget) -> bool:
    return _scroll_area(widget, top) is not None


def _cut_sideways(widget: QWidget, top: QWidget) -> bool:
    """Reaches past the right edge (the left one, right to left) of a scroll area that cannot
    scroll sideways."""
    area = _scroll_area(widget, top)
    if area is None or area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
        return False
    viewport = area.viewport()
    left = widget.mapTo(viewport, widget.rect().topLeft()).x()
    right = widget.mapTo(viewport, widget.rect().topRight()).x()
    return right > viewport.width() + SLACK or left < -SLACK


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, (QAbstractButton, QLabel)):
        text = widget.text()[:40]
    return f"{type(widget).__name__}({widget.objectName() or '-'}: {text!r})"


def clipped_widgets(window: QWidget) -> list[str]:
    """Every visible widget that is cut: too narrow for its text, or outside the window."""
    for _ in range(3):  # pending layout requests (a label restyled after its text) settle
        QApplication.processEvents()
    problems = []
    bounds = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not widget.isVisible():
            continue
        if widget.window() is not window:  # popups and dialogs are checked on their own
            continue
        scrolled = _scrolled(widget, window)
        rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not scrolled and not bounds.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect):
            problems.append(f"{_name(widget)} outside the window at {rect.getRect()}")
            continue
        if isinstance(widget, QScrollArea) and widget.horizontalScrollBar().isVisible():
            problems.append(f"{_name(widget)} scrolls sideways: part of the page is off-screen")
            continue
        if _cut_sideways(widget, window):
            problems.append(f"{_name(widget)} cut at the edge of its panel")
            continue
        hint = widget.minimumSizeHint()
        if isinstance(widget, QAbstractButton) and widget.text():
            need = max(hint.width(), 0)
            if widget.width() + SLACK < need:
                problems.append(f"{_name(widget)} {widget.width()} px wide, needs {need}")
        elif isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
            if widget.pixmap() is not None and not widget.pixmap().isNull():
                continue
            if type(widget).__name__ == "ElidedLabel":
                continue  # shortens its text with "…" by design
            need = widget.sizeHint().width()
            if widget.width() + SLACK < need and not scrolled:
                problems.append(f"{_name(widget)} {widget.width()} px wide, needs {need}")
        elif isinstance(widget, (QComboBox, QLineEdit)) and widget.width() + SLACK < hint.width():
            problems.append(f"{_name(widget)} {widget.width()} px wide, needs {hint.width()}")
    return problems
