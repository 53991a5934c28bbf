"""CampaignEditor: the canvas with the palette on the left, the inspector on the right and
the problems list below, one undo stack, and opening/saving `.campaign.json` files.
The app embeds it; designer.window hosts it alone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer import clipboard, export, presets
from designer.action_icons import action_icon
from designer.actions import SPECS, build_actions
from designer.drop import PaletteDrop, QuickAddAt
from designer.elided_label import ElidedLabel
from designer.inspector import Inspector
from designer.items.edge_item import EdgeItem
from designer.items.port_item import NODE_WIDTH
from designer.palette import Palette
from designer.panel_style import panel_palette, panel_style
from designer.problems import ProblemsList
from designer.scene import CampaignScene
from designer.theme import DARK, LIGHT, Theme
from designer.view import CampaignView
from engine import fileformat
from engine.diagram import Diagram
from engine.validation import ValidationContext

TOOLBAR = ("undo", "redo", None, "auto_layout", "fit", None, "zoom_out", "zoom_in")
# Toolbar buttons that show their name beside the icon: none, so the canvas column stays
# narrow enough for palette, canvas and inspector side by side on a 1024 px window.
WITH_TEXT: tuple[str, ...] = ()
ARRANGE = ("align_left", "align_right", "align_top", "align_bottom", "distribute_h",
           "distribute_v", "auto_layout")  # fmt: skip
ALIGNMENTS = {
    "left": "left",
    "center": "hcenter",
    "right": "right",
    "top": "top",
    "middle": "vcenter",
    "bottom": "bottom",
}


class FoldedPanelsLeaveTabOrder(QObject):
    """Disables a side panel while a splitter has folded it to zero width or height, so Tab
    skips it; enables it again as soon as it has room."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            size = watched.size()
            watched.setEnabled(size.width() > 0 and size.height() > 0)
        return False


class CampaignEditor(QWidget):
    """Edit one campaign. Signals: titleChanged("name • file*"), fileChanged(path)."""

    titleChanged = Signal(str)
    fileChanged = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, theme: Theme = LIGHT, documents: bool = True
    ) -> None:
        """`documents`: the editor has its own file actions (New, Open, Save, Save as) and
        theme switch, as when it runs alone; in the window, the shell has those."""
        super().__init__(parent)
        self.setObjectName("campaignEditor")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.theme = theme
        self.path: Path | None = None
        self.context: ValidationContext | None = None
        self.message_box: QMessageBox | None = None
        self.undo_stack = QUndoStack(self)
        self._diagram = Diagram()
        self.scene = CampaignScene(self._diagram, self.undo_stack, theme)
        self.view = CampaignView(self.scene)
        self.palette = Palette(theme)
        self.inspector = Inspector(self.undo_stack, theme)
        self.inspector.labelDone.connect(self.view.setFocus)
        self.problems = ProblemsList(theme)
        owners = ("editor", "document") if documents else ("editor",)
        self.actions: dict[str, QAction] = build_actions(self, self, self.view, owners=owners)
        self._build_layout()
        self.drop = PaletteDrop(self.view, self.add_node_at)
        self.quick_add = QuickAddAt(self.view, self.add_node_at, theme)
        self.scene.selectedNodesChanged.connect(self._selection_changed)
        self.scene.nodeActivated.connect(self._node_activated)
        self.scene.statisticsChanged.connect(self._statistics_shown)
        self.scene.canvasDoubleClicked.connect(self.quick_add.show_at)
        self.scene.edgePlusClicked.connect(self.insert_on_edge_asked)
        self.palette.typeActivated.connect(self.add_node_in_view)
        self.problems.problemActivated.connect(self.select_and_centre)
        self.problems.edgeActivated.connect(self.select_edge_and_centre)
        self.problems.problemsChanged.connect(self.inspector.set_problems)
        self.undo_stack.cleanChanged.connect(self._emit_title)
        self.undo_stack.canUndoChanged.connect(self.actions["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(self.actions["redo"].setEnabled)
        self.view.zoomChanged.connect(self._show_zoom)
        with self.inspector.held():
            self.set_diagram(self._diagram)
            self.inspector.show_later()  # the caller usually sets its own diagram next
        self.setPalette(panel_palette(theme, QApplication.palette()))
        self.setStyleSheet(panel_style(theme))
        self._apply_icons()

    def _apply_icons(self) -> None:
        colour = self.theme.title if self.theme.name == "dark" else self.theme.summary
        for name, action in self.actions.items():
            if SPECS[name].icon:
                action.setIcon(action_icon(SPECS[name].icon, colour))

    def _build_layout(self) -> None:
        bar = QFrame()
        bar.setObjectName("canvasBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(2)
        self.title_label = ElidedLabel()  # a long name must not widen the canvas's least width
        self.title_label.setObjectName("campaignTitle")
        row.addWidget(self.title_label, 1)
        for name in TOOLBAR:
            if name is None:
                row.addSpacing(10)
                continue
            button = QToolButton()
            button.setDefaultAction(self.actions[name])
            button.setAutoRaise(True)
            if name in WITH_TEXT:
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(button)
        self.zoom_label = QLabel("100%")
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.zoom_label)
        canvas = QWidget()
        canvas_box = QVBoxLayout(canvas)
        canvas_box.setContentsMargins(0, 0, 0, 0)
        canvas_box.setSpacing(0)
        canvas_box.addWidget(bar)
        canvas_box.addWidget(self.view, 1)
        self.centre = QSplitter(Qt.Orientation.Vertical)
        self.centre.addWidget(canvas)
        self.centre.addWidget(self.problems)
        self.centre.setStretchFactor(0, 1)
        self.centre.setSizes([700, 120])
        self.centre.setCollapsible(0, False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.palette)
        self.splitter.addWidget(self.centre)
        self.splitter.addWidget(self.inspector)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 800, 340])
        self.splitter.setCollapsible(1, False)
        for splitter in (self.splitter, self.centre):
            splitter.setHandleWidth(1)
            splitter.setChildrenCollapsible(True)
        # A panel folded to nothing leaves the Tab order (keyboard focus never lands in it).
        self._fold_watch = FoldedPanelsLeaveTabOrder(self)
        for panel in (self.palette, self.inspector, self.problems):
            panel.installEventFilter(self._fold_watch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # ---- the document ----
    @property
    def diagram(self) -> Diagram:
        return self._diagram

    @property
    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def set_diagram(self, diagram: Diagram, path: str | Path | None = None) -> None:
        """Edit another diagram (history cleared; unsaved until saved unless from `path`)."""
        self._diagram.settings_changed.unsub(self._emit_title)
        self._diagram = diagram
        self.path = Path(path) if path else None
        self.undo_stack.clear()
        self.scene.set_diagram(diagram)
        self.inspector.set_diagram(diagram)
        self.problems.set_diagram(diagram, self.scene)
        diagram.settings_changed.sub(self._emit_title)
        self.undo_stack.setClean()
        self._emit_title()
        self.fileChanged.emit(str(self.path or ""))
        # Fit once the canvas has its real size (a hidden editor's viewport is tiny).
        self._fit_pending = bool(diagram.nodes)
        if self.isVisible():
            QTimer.singleShot(0, self._fit_if_pending)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_panels_sized", False):
            self._panels_sized = True
            QTimer.singleShot(0, self._size_panels)  # once laid out at the window's size
        QTimer.singleShot(0, self._fit_if_pending)

    def _size_panels(self) -> None:
        """Palette and inspector at their working widths; the canvas takes the rest (a
        proportional share squeezed both on a 1024 px window, cutting the inspector)."""
        total = sum(self.splitter.sizes()) or self.splitter.width()
        palette = 200 if total >= 1100 else 168
        inspector = 340 if total >= 1100 else 300
        self.splitter.setSizes([palette, max(200, total - palette - inspector), inspector])

    def _fit_if_pending(self) -> None:
        if self._fit_pending and self.view.isVisible():
            self._fit_pending = False
            self.view.zoom_to_fit_readable()

    def held(self):
        """`with editor.held():` set diagram, context and theme; the inspector's form is
        built once at the end instead of after each."""
        return self.inspector.held()

    def set_context(self, context: ValidationContext | None) -> None:
        """What the database knows: offered in pickers and used by live validation."""
        self.context = context
        self.inspector.set_context(context)
        self.problems.set_context(context)

    def open_file(self, path: str | Path) -> bool:
        """Open a campaign file; a broken one is refused with a message naming file and line."""
        try:
            diagram, _warnings = fileformat.load(path)
        except fileformat.FormatError as exc:
            self.show_message(
                QCoreApplication.translate("editor", "Cannot open campaign"), str(exc)
            )
            return False
        except fileformat.LoadError as exc:
            lines = "\n".join(f"• {p}" for p in exc.problems[:12])
            more = f"\n… and {len(exc.problems) - 12} more" if len(exc.problems) > 12 else ""
            self.show_message(
                QCoreApplication.translate("editor", "Cannot open campaign"),
                f"{path} has problems:\n{lines}{more}",
            )
            return False
        self.set_diagram(diagram, path)
        return True

    def save(self) -> bool:
        """Save to the current file (asks for one if there is none)."""
        if self.path is None:
            return self.save_as_dialog()
        try:
            fileformat.save(self._diagram, self.path)
        except OSError as exc:
            self.show_message(
                QCoreApplication.translate("editor", "Cannot save campaign"),
                f"{self.path}: {exc.strerror or exc}",
            )
            return False
        self.undo_stack.setClean()
        self._emit_title()
        return True

    def save_as(self, path: str | Path) -> bool:
        old = self.path
        self.path = Path(path)
        if not self.save():
            self.path = old
            return False
        self.fileChanged.emit(str(self.path))
        return True

    def title(self) -> str:
        """'Campaign name • file.campaign.json*' (the star: unsaved changes)."""
        where = self.path.name if self.path else "not saved"
        return f"{self._diagram.name} • {where}{'*' if self.is_dirty else ''}"

    def _emit_title(self, *_args) -> None:
        title = self.title()
        mark = "  <span style='color:#d97706'>● unsaved</span>" if self.is_dirty else ""
        self.title_label.setText(f"<b>{_html(self._diagram.name)}</b>{mark}")
        self.titleChanged.emit(title)

    def show_message(self, title: str, text: str) -> QMessageBox:
        """A warning that does not block (tests and the app can read `message_box`)."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.message_box = box
        return box

    def confirm_discard(self) -> bool:
        """True when there are no unsaved changes or the user saved or discarded them."""
        if not self.is_dirty:
            return True
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("editor", "Unsaved changes"),
            f"Save changes to “{self._diagram.name}”?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ---- adding nodes ----
    def add_node_at(self, type_name: str, scene_pos: QPointF) -> str:
        """Add a node centred near a scene point (drop, quick-add); `type_name` may be a
        palette preset such as "Opened email?"."""
        type_name, params, label = presets.resolve(type_name)
        on_edge = self.scene.item_at(scene_pos, (EdgeItem,))
        if on_edge is not None:  # dropped on a connection: goes in between
            corner = QPointF(scene_pos.x() - NODE_WIDTH / 2, scene_pos.y() - 30)
            inserted = self.scene.insert_on_edge(on_edge.edge, type_name, corner, params, label)
            if inserted is not None:
                self.inspector.show_node(inserted)
                return inserted
        node_id = self.scene.add_node(
            type_name, (scene_pos.x() - NODE_WIDTH / 2, scene_pos.y() - 30), params, label
        )
        self.inspector.show_node(node_id)
        return node_id

    def insert_on_edge_asked(self, edge, scene_pos: QPointF) -> None:
        """The "+" on an edge: the quick-add list, and the choice goes in between (one undo
        step, like a palette drop on the edge; a trigger is just added there)."""
        then = lambda chosen: self._insert_chosen(edge, scene_pos, chosen)  # noqa: E731
        self.quick_add.ask_at(scene_pos, then)

    def _insert_chosen(self, edge, scene_pos: QPointF, type_name: str) -> None:
        type_name, params, label = presets.resolve(type_name)
        corner = QPointF(scene_pos.x() - NODE_WIDTH / 2, scene_pos.y() - 30)
        inserted = self.scene.insert_on_edge(edge, type_name, corner, params, label)
        if inserted is None:
            inserted = self.scene.add_node(type_name, (corner.x(), corner.y()), params, label)
        self.inspector.show_node(inserted)

    def add_node_in_view(self, type_name: str) -> str:
        """Add a node in the middle of what the canvas shows (palette double-click)."""
        return self.add_node_at(type_name, self.view.visible_scene_rect().center())

    # ---- selection, inspector, problems ----
    def _selection_changed(self, node_ids: list) -> None:
        arrange = [self.actions[name] for name in ARRANGE]
        self.inspector.show_selection(list(node_ids), arrange)

    def _node_activated(self, node_id: str) -> None:
        """Enter or a double-click on a node: its name, ready to type over (Tab: its fields)."""
        self.inspector.show_node(node_id)
        self.inspector.focus_label()

    def _statistics_shown(self, shown: bool, forecast: bool) -> None:
        self.inspector.set_figures(self.scene.node_figures if shown else None, forecast)

    def rename_node(self) -> None:
        """F2: the selected node's name, selected, in the inspector."""
        selected = self.scene.selected_node_ids()
        if len(selected) == 1:
            self.inspector.show_node(selected[0])
            self.inspector.focus_label()

    def select_and_centre(self, node_id: str) -> None:
        """Select a node and bring it to the middle of the canvas."""
        item = self.scene.nodes.get(node_id)
        if item is None:
            return
        self.scene.select_nodes([node_id])
        self.view.centerOn(item.scene_card_rect().center())

    def select_edge_and_centre(self, edge) -> None:
        """Select an edge (a problem names it) and bring it to the middle of the canvas."""
        item = self.scene.edges.get(edge)
        if item is None:
            return
        self.scene.select_edge(edge, exclusive=True)
        self.view.centerOn(item.boundingRect().center())

    def _show_zoom(self, scale: float) -> None:
        self.zoom_label.setText(f"{scale * 100:.0f}%")

    # ---- action handlers (names from designer.actions) ----
    def new_campaign(self) -> None:
        if self.confirm_discard():
            self.set_diagram(Diagram())

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Open campaign", str(self._folder()), "Campaigns (*.campaign.json);;JSON (*.json)"
        )
        if path:
            self.open_file(path)

    def save_as_dialog(self) -> bool:
        suggested = self._folder() / (
            self.path.name if self.path else f"{_file_stem(self._diagram.name)}.campaign.json"
        )
        path, _ = QFileDialog.getSaveFileName(
            self, "Save campaign as", str(suggested), "Campaigns (*.campaign.json)"
        )
        if not path:
            return False
        if not path.endswith(fileformat.EXTENSION):
            path += fileformat.EXTENSION
        return self.save_as(path)

    def export_png_dialog(self) -> None:
        self._export("png")

    def export_svg_dialog(self) -> None:
        self._export("svg")

    def _export(self, kind: str) -> None:
        stem = (
            self.path.name.removesuffix(fileformat.EXTENSION)
            if self.path
            else _file_stem(self._diagram.name)
        )
        path, _ = QFileDialog.getSaveFileName(
            self,
            f"Export as {kind.upper()}",
            str(self._folder() / f"{stem}.{kind}"),
            f"{kind.upper()} (*.{kind})",
        )
        if path:
            self.export_image(path)

    def export_graph_dialog(self) -> None:
        stem = (
            self.path.name.removesuffix(fileformat.EXTENSION)
            if self.path
            else _file_stem(self._diagram.name)
        )
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export as graph", str(self._folder() / f"{stem}.graphml"),
            "GraphML (*.graphml);;GEXF (*.gexf);;Graphviz DOT (*.dot)",
        )  # fmt: skip
        if path:
            if Path(path).suffix.lower() not in (".graphml", ".gexf", ".dot"):
                path += "." + chosen.split("*.")[-1].rstrip(")")
            self.export_graph(path)

    def export_graph(self, path: str | Path) -> Path | None:
        """Export the diagram as GraphML, GEXF or DOT (by the file's suffix)."""
        from engine.graph_export import export_diagram

        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        try:
            path.write_bytes(export_diagram(self._diagram, fmt))
        except ValueError as exc:
            self.show_message(QCoreApplication.translate("editor", "Cannot export"), str(exc))
            return None
        except OSError as exc:
            self.show_message(
                QCoreApplication.translate("editor", "Cannot export"),
                f"{path}: {exc.strerror or exc}",
            )
            return None
        return path

    def export_image(self, path: str | Path) -> Path | None:
        """Export the diagram as PNG or SVG (by the file's suffix); None after a message."""
        path = Path(path)
        try:
            if path.suffix.lower() == ".svg":
                return export.export_svg(self.scene, path, self._diagram.name)
            return export.export_png(self.scene, path)
        except export.ExportError as exc:
            self.show_message(QCoreApplication.translate("editor", "Cannot export"), str(exc))
            return None
        except OSError as exc:
            self.show_message(
                QCoreApplication.translate("editor", "Cannot export"),
                f"{path}: {exc.strerror or exc}",
            )
            return None

    def _folder(self) -> Path:
        return self.path.parent if self.path else Path.home()

    def undo(self) -> None:
        self.undo_stack.undo()

    def redo(self) -> None:
        self.undo_stack.redo()

    def cut(self) -> None:
        clipboard.cut_selection(self.scene)

    def copy(self) -> None:
        clipboard.copy_selection(self.scene)

    def paste(self) -> None:
        clipboard.paste(self.scene)

    def duplicate(self) -> None:
        clipboard.duplicate(self.scene)

    def delete_selection(self) -> None:
        self.scene.delete_selection()

    def select_all(self) -> None:
        self.scene.select_all()

    def add_next(self) -> None:
        """Quick-add a node after the selected one (connected), or in view when none is."""
        selected = self.scene.selected_node_ids()
        if len(selected) == 1:
            source = selected[0]
            self.quick_add.ask(lambda type_name: self._added_after(source, type_name))
        else:
            self.quick_add.show_at(self.view.visible_scene_rect().center())

    def _added_after(self, source: str, type_name: str) -> None:
        node_id = self.scene.add_after(source, type_name)
        item = self.scene.nodes.get(node_id)
        if item is not None:
            self.view.ensureVisible(item.scene_card_rect(), 60, 60)

    def add_note(self) -> str:
        """A sticky note in the middle of the canvas, its text ready to type."""
        centre = self.view.visible_scene_rect().center()
        note_id = self.scene.add_annotation("note", self._free_spot(centre, 200, 120))
        self.scene.edit_annotation(note_id)
        return note_id

    def _free_spot(self, centre: QPointF, width: float, height: float) -> QPointF:
        """Top-left of a width×height area near `centre` that covers no node card."""
        cards = [item.scene_card_rect() for item in self.scene.nodes.values()]
        for step in range(40):  # centre, then further below and above, alternately
            dy = (step + 1) // 2 * 40 * (1 if step % 2 else -1)
            spot = QRectF(centre.x() - width / 2, centre.y() - height / 2 + dy, width, height)
            if not any(spot.adjusted(-10, -10, 10, 10).intersects(card) for card in cards):
                return spot.topLeft()
        return QPointF(centre.x() - width / 2, centre.y() - height / 2)

    def add_group(self) -> str:
        """A frame around the selected nodes (or in the middle of the canvas), title ready."""
        centre = self.view.visible_scene_rect().center()
        group_id = self.scene.add_annotation("group", QPointF(centre.x() - 240, centre.y() - 130))
        self.scene.edit_annotation(group_id)
        return group_id

    def open_inspector(self) -> None:
        selected = self.scene.selected_node_ids()
        if len(selected) == 1:  # as a double-click: the inspector, and figures where shown
            self.scene.nodeActivated.emit(selected[0])

    def fit(self) -> None:
        self.view.zoom_to_fit()

    def zoom_in(self) -> None:
        self.view.zoom_in()

    def zoom_out(self) -> None:
        self.view.zoom_out()

    def toggle_theme(self) -> None:
        self.set_theme(LIGHT if self.theme is DARK else DARK)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.scene.set_theme(theme)
        self.palette.set_theme(theme)
        self.inspector.set_theme(theme)
        self.problems.set_theme(theme)
        self.quick_add.popup.theme = theme
        if "theme" in self.actions:
            self.actions["theme"].setChecked(theme is DARK)
        self.setPalette(panel_palette(theme, QApplication.palette()))
        self.setStyleSheet(panel_style(theme))
        self._apply_icons()

    def auto_layout(self) -> None:
        self.scene.auto_layout()

    def align_left(self) -> None:
        self.scene.align(ALIGNMENTS["left"])

    def align_center(self) -> None:
        self.scene.align(ALIGNMENTS["center"])

    def align_right(self) -> None:
        self.scene.align(ALIGNMENTS["right"])

    def align_top(self) -> None:
        self.scene.align(ALIGNMENTS["top"])

    def align_middle(self) -> None:
        self.scene.align(ALIGNMENTS["middle"])

    def align_bottom(self) -> None:
        self.scene.align(ALIGNMENTS["bottom"])

    def distribute_horizontally(self) -> None:
        self.scene.distribute("horizontal")

    def distribute_vertically(self) -> None:
        self.scene.distribute("vertical")


def _file_stem(name: str) -> str:
    stem = "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_")
    return "_".join(part for part in stem.split("_") if part) or "campaign"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
