"""Screen-reader support for the window: names for tables and lists, the sidebar as a list
of pages, and spoken announcements of what just happened (saved, validated, imported)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAccessibleWidget, QWidget

ROLE_PROPERTY = "accessibleRole"  # a QAccessible.Role value, read by the factory below


class _Announcer(QObject):
    """Emits every announcement too, so tests (and a log) can hear what a reader hears."""

    announced = Signal(str)


announcer = _Announcer()


def announce(widget: QWidget, text: str, assertive: bool = False) -> None:
    """Have a screen reader say `text` now, without moving the keyboard focus."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)
    announcer.announced.emit(text)


def name_view(view: QAbstractItemView, name: str, description: str = "") -> None:
    """A table or list: its name and description, one Tab stop (arrows move inside)."""
    view.setAccessibleName(name)
    if description:
        view.setAccessibleDescription(description)
    view.setTabKeyNavigation(False)


def set_role(widget: QWidget, role: QAccessible.Role) -> None:
    """Give a widget another role for assistive technology (e.g. a sidebar button PageTab)."""
    widget.setProperty(ROLE_PROPERTY, int(role.value))
    install()


class RoledWidget(QAccessibleWidget):
    """A widget shown with another role; a checkable button's checked state is 'selected'."""

    def __init__(self, widget: QWidget, role: QAccessible.Role) -> None:
        super().__init__(widget, role)
        self.widget_ = widget

    def text(self, kind):
        if kind == QAccessible.Text.Name:
            name = self.widget_.accessibleName()
            if not name and isinstance(self.widget_, QAbstractButton):
                name = self.widget_.text().replace("&", "")
            return name
        return super().text(kind)

    def state(self):
        state = super().state()
        if isinstance(self.widget_, QAbstractButton) and self.widget_.isCheckable():
            state.selectable = True
            state.selected = self.widget_.isChecked()
        return state


_installed: list = []


def _factory(class_name: str, obj: QObject):
    if not isinstance(obj, QWidget):
        return None
    role = obj.property(ROLE_PROPERTY)
    if role is None:
        return None
    return RoledWidget(obj, QAccessible.Role(int(role)))


def install() -> None:
    if not _installed:
        _installed.append(_factory)
        QAccessible.installFactory(_factory)
