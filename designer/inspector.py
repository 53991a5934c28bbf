"""The inspector: the selected node's form, built from the catalog's parameter
declarations, or the campaign settings when nothing is selected.

Each valid edit pushes one SetParams (typing in one field merges into one step);
invalid input shows its message under the field and never reaches the model.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from designer.action_icons import action_icon
from designer.branches_field import BranchesField
from designer.commands import EditLabel, EditParams, same_value
from designer.fields import FieldRow, NameField, ValueField, make_editor
from designer.figures_panel import FiguresPanel
from designer.palette import type_icon
from designer.rule_editor import EXTRA_FIELDS, RuleField
from designer.settings_form import SettingsForm
from designer.step_preview import MessageTools, StepPreview
from designer.theme import LIGHT, Theme
from designer.wheel_guard import guard_wheel
from engine.catalog import CATALOG, ENGINE_EVENTS, NodeType, Param
from engine.diagram import Diagram, Node
from engine.node_names import node_names
from engine.rules import CORE_FIELDS, LIST_OPERATORS, UNARY_OPERATORS
from engine.validation import ValidationContext

ONE_OF_LABELS = {
    ("segment",): QT_TRANSLATE_NOOP("inspector", "Saved segment"),
    ("filter",): QT_TRANSLATE_NOOP("inspector", "Custom filter"),
    ("template",): QT_TRANSLATE_NOOP("inspector", "Saved template"),
    ("at",): QT_TRANSLATE_NOOP("inspector", "On a date"),
    ("after_start",): QT_TRANSLATE_NOOP("inspector", "After the start"),
}
WRITE_IT_HERE = QT_TRANSLATE_NOOP("inspector", "Write it here")


def group_label(group: tuple[str, ...]) -> str:
    """The switch's words for a 'one of' group, in the user's language."""
    return QCoreApplication.translate("inspector", ONE_OF_LABELS.get(group, WRITE_IT_HERE))


def active_group(spec: NodeType, params: dict[str, Any], chosen: int | None = None) -> int:
    """Which 'one of' group a node uses: the first with a value, else the one the user
    picked (`chosen`), else the first."""
    for i, group in enumerate(spec.one_of):
        if any(params.get(name) not in (None, "", []) for name in group):
            return i
    return chosen or 0


class Inspector(QWidget):
    """The panel on the right: a form for the selected node, or the campaign settings."""

    edited = Signal()  # after every command the inspector pushed
    labelDone = Signal()  # Enter in the name field: the keyboard goes back to the canvas

    def __init__(
        self, undo_stack: QUndoStack, theme: Theme = LIGHT, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.undo_stack = undo_stack
        self.theme = theme
        self.diagram: Diagram | None = None
        self.context: ValidationContext | None = None
        self.node_id: str | None = None
        self.rows: dict[str, FieldRow] = {}
        self.label_edit: QLineEdit | None = None
        self.group_buttons: list[QPushButton] = []
        self.settings_form: SettingsForm | None = None
        self._session = 0
        self._pushing = False
        self._held = 0  # while > 0, show_node only remembers what to show (see held())
        self._pending: tuple | None = None
        self._lazy = False  # build on the first showEvent (see show_later)
        self.builds = 0  # forms built so far (building one costs ~0.1 s: do it once)
        self._stash: dict[str, Any] = {}  # values of the 'one of' group switched away from
        self._chosen: dict[str, int] = {}  # node id -> 'one of' group picked while still empty
        self.message_tools: MessageTools | None = None  # the window's; no preview without
        self.step_preview: StepPreview | None = None
        self._preview_choice: dict[str, Any] = {}  # contact and test address, kept on rebuilds
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # What validation says about the shown node, under the form's header; validation
        # only changes this label, so it never rebuilds the field being typed in.
        self.banner: QLabel | None = None
        self.figures_panel = FiguresPanel()  # the selected node's figures, when shown
        self.figures: tuple[dict | None, bool] = (None, False)
        layout.addWidget(self.figures_panel)
        layout.addWidget(self.scroll)
        self.form: QWidget | None = None
        self.problems: list = []
        undo_stack.indexChanged.connect(self._stack_moved)

    # ---- what it shows ----
    def set_diagram(self, diagram: Diagram) -> None:
        if self.diagram is not None:
            self.diagram.node_changed.unsub(self._node_changed)
            self.diagram.node_removed.unsub(self._node_removed)
            self.diagram.settings_changed.unsub(self._settings_changed)
        self.diagram = diagram
        diagram.node_changed.sub(self._node_changed)
        diagram.node_removed.sub(self._node_removed)
        diagram.settings_changed.sub(self._settings_changed)
        self.show_node(None)

    def set_context(self, context: ValidationContext | None) -> None:
        """Names from the database to offer in segment, template, event and field pickers."""
        self.context = context
        self.show_node(self.node_id)

    def set_message_tools(self, tools: MessageTools | None) -> None:
        """Engine functions for a send step's live preview and Send test, given by the window."""
        self.message_tools = tools
        self.show_node(self.node_id)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.show_node(self.node_id)

    def show_selection(self, node_ids: list[str], arrange: list[QAction] = ()) -> None:
        """One node: its form; none: the campaign settings; several: a summary with the
        `arrange` actions (align, distribute) as buttons."""
        if len(node_ids) <= 1:
            self.show_node(node_ids[0] if node_ids else None)
            return
        self.show_node(None, many=(list(node_ids), list(arrange)))

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Set diagram, context and theme in one go: the form is built once, at the end."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if self._held == 0 and self._pending is not None:
                pending, self._pending = self._pending, None
                self.show_node(*pending)

    def show_later(self) -> None:
        """Build the current form when the inspector is first shown (unless asked sooner)."""
        self._pending = None
        self._lazy = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._lazy and not self._held:
            self.show_node(self.node_id)

    def show_node(self, node_id: str | None, many: tuple | None = None) -> None:
        """Show a node's form (None: the campaign settings)."""
        if self.diagram is None:
            return
        if node_id is not None and node_id not in self.diagram.nodes:
            node_id = None
        if node_id != self.node_id:
            self._stash = {}
        self.node_id = node_id
        if self._held:
            self._pending = (node_id, many)
            return
        self._pending, self._lazy = None, False
        self.builds += 1
        self._session += 1
        scroll = self.scroll.verticalScrollBar().value()
        self.rows, self.label_edit, self.group_buttons = {}, None, []
        self.settings_form, self.banner = None, None
        self._keep_preview_choice()
        form = QWidget()
        form.setObjectName("inspectorForm")
        box = QVBoxLayout(form)
        box.setContentsMargins(14, 12, 14, 14)
        box.setSpacing(10)
        if many is not None:
            self._build_many(box, *many)
        elif node_id is None:
            self._build_settings(box)
        else:
            self._build_node(box, self.diagram.nodes[node_id])
        box.addStretch(1)
        old = self.scroll.takeWidget()
        self.scroll.setWidget(form)
        if old is not None:
            old.deleteLater()
        self.form = form
        self._show_figures()
        guard_wheel(form)  # scrolling the inspector never changes a field under the mouse
        self._show_banner()
        self.scroll.verticalScrollBar().setValue(scroll)

    def set_problems(self, problems: list) -> None:
        """Validation results (engine Problems); the shown node's are listed above its form."""
        self.problems = list(problems)
        self._show_banner()

    def _show_banner(self) -> None:
        if self.banner is None:
            return
        mine = [p for p in self.problems if self.node_id is not None and p.node == self.node_id]
        if self.node_id is None:
            mine = [p for p in self.problems if p.node is None]
        if not mine:
            self.banner.hide()
            return
        error = any(p.severity == "error" for p in mine)
        colour = self.theme.error if error else self.theme.warning
        tint = f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, 28)"
        self.banner.setStyleSheet(
            f"background: {tint}; border-left: 3px solid {colour.name()}; padding: 6px 10px;"
            " border-radius: 4px;"
        )
        self.banner.setText("<br>".join(f"• {_html(p.message)}" for p in mine[:6]))
        self.banner.show()

    def set_figures(self, nodes: dict | None, forecast: bool = False) -> None:
        """Figures per node id (None: none shown): the selected node's appear above its form."""
        self.figures = (nodes or None, forecast)
        self._show_figures()

    def _show_figures(self) -> None:
        nodes, forecast = self.figures
        self.figures_panel.show_figures(self.diagram, self.node_id, nodes, forecast)

    def focus_label(self) -> None:
        """Move the keyboard to the node's name, all of it selected (F2, Enter)."""
        if self.label_edit is None:
            self.focus_first_field()
            return
        self.label_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.label_edit.selectAll()

    def focus_first_field(self) -> None:
        """Move the keyboard into the form (Enter on a node)."""
        for row in self.rows.values():
            if row.isVisibleTo(self):
                row.editor.focus_target().setFocus(Qt.FocusReason.ShortcutFocusReason)
                return
        if self.label_edit is not None:
            self.label_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ---- building forms ----
    def _header(self, box: QVBoxLayout, icon, title: str, subtitle: str, text: str, colour) -> None:
        top = QHBoxLayout()
        top.setSpacing(10)
        badge = QLabel()
        badge.setObjectName("inspectorIcon")
        badge.setFixedSize(36, 36)
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if icon is not None:
            badge.setPixmap(icon.pixmap(QSize(22, 22)))
        tint = f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, 38)"
        badge.setStyleSheet(f"background: {tint}; border-radius: 8px;")
        names = QVBoxLayout()
        names.setSpacing(0)
        heading = QLabel(title)
        heading.setObjectName("inspectorTitle")
        sub = QLabel(subtitle)
        sub.setObjectName("inspectorSubtitle")
        sub.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        names.addWidget(heading)
        names.addWidget(sub)
        top.addWidget(badge)
        top.addLayout(names, 1)
        box.addLayout(top)
        if text:
            about = QLabel(text)
            about.setObjectName("inspectorAbout")
            about.setWordWrap(True)
            box.addWidget(about)
        line = QFrame()
        line.setObjectName("inspectorRule")
        line.setFrameShape(QFrame.Shape.HLine)
        box.addWidget(line)
        self.banner = QLabel()
        self.banner.setObjectName("inspectorProblems")
        self.banner.setWordWrap(True)
        self.banner.hide()
        box.addWidget(self.banner)

    def _build_settings(self, box: QVBoxLayout) -> None:
        from designer.icons import node_icon

        colour = self.theme.selection
        self._header(
            box,
            node_icon("flag", colour, 22),
            QCoreApplication.translate("inspector", "Campaign settings"),
            QCoreApplication.translate("inspector", "Select a node to edit it"),
            "",
            colour,
        )
        defaults = self.context.workspace_defaults if self.context is not None else None
        self.settings_form = SettingsForm(
            self.diagram, self._push, lambda: self._session, workspace_defaults=defaults
        )
        self.rows = self.settings_form.rows
        box.addWidget(self.settings_form)

    def _build_many(self, box: QVBoxLayout, node_ids: list[str], arrange: list[QAction]) -> None:
        colour = self.theme.selection
        self._header(box, action_icon("layout", colour, 22), f"{len(node_ids)} nodes selected",
                     "Delete, copy or move them together", "", colour)  # fmt: skip
        names = QLabel(", ".join(self._title_of(n) for n in node_ids[:12])
                       + (" …" if len(node_ids) > 12 else ""))  # fmt: skip
        names.setObjectName("inspectorAbout")
        names.setWordWrap(True)
        box.addWidget(names)
        if arrange:
            heading = QLabel(QCoreApplication.translate("inspector", "ARRANGE"))
            heading.setObjectName("sectionTitle")
            box.addWidget(heading)
            grid = QGridLayout()
            grid.setSpacing(6)
            for i, action in enumerate(arrange):
                button = QPushButton(action.text().replace("&", ""))
                button.setObjectName(action.objectName().replace("action_", "arrange_"))
                button.clicked.connect(action.trigger)
                grid.addWidget(button, i // 2, i % 2)
            box.addLayout(grid)

    def _title_of(self, node_id: str) -> str:
        node = self.diagram.nodes.get(node_id)
        spec = CATALOG.get(node.type) if node else None
        return (node.label if node and node.label else spec.title if spec else node_id) or node_id

    def _build_node(self, box: QVBoxLayout, node: Node) -> None:
        spec = CATALOG.get(node.type)
        if spec is None:
            self._header(
                box,
                None,
                "Unknown node",
                f"{node.id} · {node.type}",
                "This node type is not known; its settings are kept as they are.",
                self.theme.error,
            )
            return
        colour = self.theme.category(spec.category)
        self._header(
            box,
            type_icon(spec, self.theme, 22),
            spec.title,
            f"{spec.category.capitalize()} · {node.id}",
            spec.description,
            colour,
        )
        label_title = QLabel(QCoreApplication.translate("inspector", "Label"))
        label_title.setObjectName("fieldLabel")
        self.label_edit = QLineEdit(node.label or "")
        self.label_edit.setObjectName("nodeLabel")
        self.label_edit.setPlaceholderText(spec.title)
        label_title.setBuddy(self.label_edit)
        self.label_edit.setAccessibleName(label_title.text())
        self.label_edit.setAccessibleDescription(
            QCoreApplication.translate("Inspector", "The name shown on the canvas")
        )
        self.label_edit.textEdited.connect(self._commit_label)
        self.label_edit.returnPressed.connect(self.labelDone)
        box.addWidget(label_title)
        box.addWidget(self.label_edit)
        grouped = {name: i for i, group in enumerate(spec.one_of) for name in group}
        active = active_group(spec, node.params, self._chosen.get(node.id))
        uses_saved_template = bool(spec.one_of) and spec.one_of[active] == ("template",)
        if spec.one_of:
            box.addWidget(self._group_switch(spec, active))
        for param in spec.params:
            row = FieldRow(param, self._editor_for(param, node))
            if param.name in grouped:  # one of the groups must be given
                row.label.setText(f"{param.label} *")
                target = row.editor.focus_target()
                if hasattr(target, "setPlaceholderText") and not param.default:
                    target.setPlaceholderText(QCoreApplication.translate("inspector", "required"))
            row.setObjectName(f"param_{param.name}")
            row.set_value(node.params.get(param.name))
            row.committed.connect(self._commit_param)
            row.setVisible(grouped.get(param.name, active) == active)
            if param.template and param.name not in grouped and uses_saved_template:
                row.setVisible(False)  # e.g. the plain-text body of an inline email
            self.rows[param.name] = row
            box.addWidget(row)
        if node.type == "condition.attribute":
            self._show_operator(node.params.get("op", "eq"))
        if spec.is_send and self.message_tools is not None:
            self.step_preview = StepPreview(self.message_tools, node.type, node.params,
                                            **self._preview_choice)  # fmt: skip
            box.addWidget(self.step_preview)

    def _keep_preview_choice(self) -> None:
        """The contact previewed and the test address outlive the form (an undo rebuilds it)."""
        preview, self.step_preview = self.step_preview, None
        if preview is not None and shiboken6.isValid(preview):
            self._preview_choice = {"contact_id": preview.contact_id,
                                    "address": preview.address.text()}  # fmt: skip

    def _group_switch(self, spec: NodeType, active: int) -> QWidget:
        switch = QFrame()
        switch.setObjectName("segmented")
        row = QHBoxLayout(switch)
        row.setContentsMargins(2, 2, 2, 2)
        row.setSpacing(0)
        group = QButtonGroup(switch)
        group.setExclusive(True)
        for i, names in enumerate(spec.one_of):
            button = QPushButton(group_label(names))
            button.setCheckable(True)
            button.setChecked(i == active)
            button.setObjectName(f"oneOf_{i}")
            button.clicked.connect(lambda _c=False, i=i: self.switch_group(i))
            group.addButton(button, i)
            row.addWidget(button)
            self.group_buttons.append(button)
        return switch

    def _editor_for(self, param: Param, node: Node):
        if param.kind == "rule":
            editor = RuleField(param)
            ctx = self.context
            editor.rule_editor.set_suggestions(
                fields=sorted(ctx.contact_fields or ()) if ctx else None,
                segments=sorted(ctx.segments or ()) if ctx else None,
                events=sorted(ctx.known_events or ()) if ctx else None,
            )
            return editor
        if param.kind == "branches":
            return BranchesField(param)
        editor = make_editor(param)
        if isinstance(editor, NameField):
            shown = node_names(self.diagram) if param.kind == "node" else None
            editor.set_choices(self._names_for(param.kind, node), shown)
        return editor

    def _names_for(self, kind: str, node: Node) -> list[str]:
        ctx = self.context
        if kind == "segment":
            return sorted(ctx.segments or ()) if ctx else []
        if kind == "template":
            return sorted(ctx.templates or {}) if ctx else []
        if kind == "event":
            return sorted({*ENGINE_EVENTS, *((ctx.known_events or ()) if ctx else ())})
        if kind == "field":
            return sorted(
                {*CORE_FIELDS, *EXTRA_FIELDS, *((ctx.contact_fields or ()) if ctx else ())}
            )
        if kind == "node":
            others = [n for n in self.diagram.nodes.values() if n.id != node.id]
            senders = [n.id for n in others if CATALOG.get(n.type) and CATALOG[n.type].is_send]
            return senders or [n.id for n in others]
        return []

    def _show_operator(self, op: str) -> None:
        value = self.rows.get("value")
        if value is not None and isinstance(value.editor, ValueField):
            value.editor.set_list_mode(op in LIST_OPERATORS)
            value.setVisible(op not in UNARY_OPERATORS)

    # ---- edits ----
    def _push(self, command: QUndoCommand) -> None:
        self._pushing = True
        try:
            self.undo_stack.push(command)
        finally:
            self._pushing = False
        node = self.diagram.nodes.get(self.node_id or "") if self.diagram else None
        if self.step_preview is not None and node is not None:
            self.step_preview.set_params(node.params)
        self.edited.emit()

    def _commit_param(self, name: str, value: Any) -> None:
        node = self.diagram.nodes.get(self.node_id or "")
        if node is None:
            return
        params = copy.deepcopy(node.params)
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
        if node.type == "condition.attribute" and name == "op":
            self._show_operator(value)
            if value in UNARY_OPERATORS:
                params.pop("value", None)
            else:
                current, error = self.rows["value"].editor.read()
                if not error and current is not None:
                    params["value"] = current
        if same_value(params, node.params):
            return
        spec = CATALOG[node.type]
        param = spec.param(name)
        text = f"Edit {param.label if param else name} of {node.label or node.id}"
        self._push(EditParams(self.diagram, node.id, params, (node.id, name, self._session), text))

    def _commit_label(self, text: str) -> None:
        node = self.diagram.nodes.get(self.node_id or "")
        if node is None or (text.strip() or None) == node.label:
            return
        self._push(
            EditLabel(
                self.diagram, node.id, text.strip() or None, (node.id, "label", self._session)
            )
        )

    def switch_group(self, index: int) -> None:
        """Use the index-th 'one of' group (e.g. a custom filter instead of a segment)."""
        node = self.diagram.nodes.get(self.node_id or "")
        spec = CATALOG.get(node.type) if node else None
        if node is None or spec is None or not spec.one_of:
            return
        self._chosen[node.id] = index
        if active_group(spec, node.params) == index and any(
            node.params.get(n) not in (None, "", []) for n in spec.one_of[index]
        ):
            return
        params = copy.deepcopy(node.params)
        for i, group in enumerate(spec.one_of):
            if i == index:
                continue
            for name in group:
                if name in params:
                    self._stash[name] = params.pop(name)
        for name in spec.one_of[index]:
            if name in self._stash:
                params[name] = self._stash.pop(name)
            elif spec.param(name) and spec.param(name).kind == "rule":
                params[name] = {"all": []}
        self._session += 1
        if not same_value(params, node.params):
            label = group_label(spec.one_of[index]).lower()
            self._push(
                EditParams(
                    self.diagram,
                    node.id,
                    params,
                    (node.id, "one_of", -1),
                    f"Use {label} in {node.label or node.id}",
                )
            )
        self.show_node(node.id)

    # ---- the model changed under us (undo, redo, canvas) ----
    def _stack_moved(self, _index: int) -> None:
        if not self._pushing:
            self._session += 1

    def _node_changed(self, node: Node) -> None:
        if node.id == self.node_id and not self._pushing:
            self.show_node(node.id)

    def _node_removed(self, node: Node) -> None:
        if node.id == self.node_id:
            self.show_node(None)

    def _settings_changed(self) -> None:
        if self.node_id is None and not self._pushing and self.settings_form is not None:
            self.settings_form.refresh()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
