"""Adding nodes from outside the canvas: a palette drag dropped on the view, and the
quick-add popup shown where the user double-clicks the empty canvas."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QGraphicsView

from designer.palette import QuickAdd, type_from_mime
from designer.theme import LIGHT, Theme

AddNode = Callable[[str, QPointF], object]  # (type name, scene position where it lands)


class PaletteDrop(QObject):
    """Accepts palette drags over the view's viewport; a drop adds the node there.

    Installed as an event filter on the viewport, so the view itself needs no change.
    """

    def __init__(self, view: QGraphicsView, add_node: AddNode) -> None:
        super().__init__(view)
        self.view = view
        self.add_node = add_node
        view.setAcceptDrops(True)
        view.viewport().setAcceptDrops(True)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, (QDragEnterEvent, QDragMoveEvent))
            if type_from_mime(event.mimeData()) is None:
                return False
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            return True
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            type_name = type_from_mime(event.mimeData())
            if type_name is None:
                return False
            scene_pos = self.view.mapToScene(event.position().toPoint())
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.add_node(type_name, scene_pos)
            self.view.setFocus()
            return True
        return False


class QuickAddAt(QObject):
    """Shows the quick-add popup at a scene position; the chosen type is added there."""

    def __init__(self, view: QGraphicsView, add_node: AddNode, theme: Theme = LIGHT) -> None:
        super().__init__(view)
        self.view = view
        self.add_node = add_node
        self.popup = QuickAdd(theme, view)
        self.popup.chosen.connect(self._chosen)
        self._target: QPointF | None = None
        self._then: Callable[[str], object] | None = None

    def show_at(self, scene_pos: QPointF) -> None:
        """Offer node types at `scene_pos`; picking one adds it there."""
        self._target, self._then = QPointF(scene_pos), None
        self._open(self.view.mapFromScene(scene_pos))

    def ask(self, then: Callable[[str], object]) -> None:
        """Offer node types near the view's centre; `then(type_name)` gets the choice."""
        self._target, self._then = None, then
        self._open(self.view.viewport().rect().center())

    def ask_at(self, scene_pos: QPointF, then: Callable[[str], object]) -> None:
        """Offer node types at `scene_pos`; `then(type_name)` gets the choice."""
        self._target, self._then = None, then
        self._open(self.view.mapFromScene(scene_pos))

    def _open(self, viewport_pos) -> None:
        global_pos = self.view.viewport().mapToGlobal(viewport_pos)
        self.popup.popup(global_pos)

    def _chosen(self, type_name: str) -> None:
        target, then = self._target, self._then
        self._target = self._then = None
        if then is not None:
            then(type_name)
        elif target is not None:
            self.add_node(type_name, target)
        self.view.setFocus()
