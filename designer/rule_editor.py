"""A visual builder for the rule language (engine.rules): nested all/any groups, not,
and rows testing a field, a tag, a segment or an event. Reused by the segment screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.fields import DurationField, FieldEditor
from designer.values import format_list, format_scalar, parse_list, parse_scalar
from engine.catalog import ENGINE_EVENTS, Param
from engine.rules import (
    CORE_FIELDS,
    LIST_OPERATORS,
    OPERATOR_LABELS,
    OPERATORS,
    UNARY_OPERATORS,
    RuleError,
    parse_rule,
)

LEAF_KINDS = (("field", "Field"), ("tag", "Tag"), ("segment", "Segment"), ("event", "Event"))
EXTRA_FIELDS = ("score", "tags", "unsubscribed")


@dataclass
class Suggestions:
    """Names offered in the rule editor's pickers (from the database when known)."""

    fields: list[str] = field(default_factory=lambda: [*CORE_FIELDS, *EXTRA_FIELDS])
    segments: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=lambda: list(ENGINE_EVENTS))
    tags: list[str] = field(default_factory=list)


def _names_combo(names: list[str], placeholder: str) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(sorted(set(names)))
    combo.setEditText("")
    combo.lineEdit().setPlaceholderText(placeholder)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    combo.setMinimumContentsLength(6)
    return combo


def _refill(combo: QComboBox, names: list[str]) -> None:
    with QSignalBlocker(combo):
        text = combo.currentText()
        combo.clear()
        combo.addItems(sorted(set(names)))
        combo.setEditText(text)


def format_where(where: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={format_scalar(v)}" for k, v in where.items())
    return text if parse_where(text) == where else json.dumps(where, ensure_ascii=False)


def parse_where(text: str) -> dict[str, Any] | None:
    """'campaign=welcome, plan=pro' (or a JSON object) to a dict; None when empty."""
    text = text.strip()
    if not text:
        return None
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, dict):
            return value
    out: dict[str, Any] = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        out[key.strip()] = parse_scalar(value)
    return out


class RuleItem(QFrame):
    """A row or a group; knows how many `not`s wrap it and how to write itself as JSON."""

    changed = Signal()
    removeRequested = Signal(object)

    def __init__(self, suggestions: Suggestions, removable: bool = True) -> None:
        super().__init__()
        self.suggestions = suggestions
        self.negations = 0
        self.not_button = QToolButton()
        self.not_button.setText(QCoreApplication.translate("rule_editor", "not"))
        self.not_button.setCheckable(True)
        self.not_button.setObjectName("ruleNot")
        self.not_button.setToolTip(
            QCoreApplication.translate(
                "rule_editor", "Negate: match contacts for whom this is NOT true"
            )
        )
        self.not_button.toggled.connect(self._toggle_not)
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setObjectName("ruleRemove")
        self.remove_button.setToolTip(QCoreApplication.translate("rule_editor", "Remove"))
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self))
        self.remove_button.setVisible(removable)

    def _toggle_not(self, on: bool) -> None:
        self.negations = 1 if on else 0
        self.changed.emit()

    def set_negations(self, count: int) -> None:
        self.negations = count
        with QSignalBlocker(self.not_button):
            self.not_button.setChecked(count % 2 == 1)

    def body_json(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        out = self.body_json()
        for _ in range(self.negations):
            out = {"not": out}
        return out

    def refresh_suggestions(self) -> None:
        """Refill pickers after the suggestions changed."""


class LeafRow(RuleItem):
    """One test: field/op/value, tag, segment or event (within, at least N times, where)."""

    def __init__(self, suggestions: Suggestions, kind: str = "field") -> None:
        super().__init__(suggestions)
        self.explicit_min_count = False  # keep a written "min_count": 1 as written
        self.setObjectName("ruleRow")
        # A grid keeps the detail lines aligned under the kind and name, inside the ✕.
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(1, 1)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.details = QHBoxLayout()
        self.details.setSpacing(4)
        self.more = QHBoxLayout()
        grid.addWidget(self.not_button, 0, 0)
        grid.addLayout(row, 0, 1)
        grid.addWidget(self.remove_button, 0, 2)
        grid.addLayout(self.details, 1, 1)
        grid.addLayout(self.more, 2, 1)
        self.kind = QComboBox()
        for key, label in LEAF_KINDS:
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        row.addWidget(self.kind)
        # field
        self.field_name = _names_combo(suggestions.fields, "field")
        self.op = QComboBox()
        for op in OPERATORS:
            self.op.addItem(OPERATOR_LABELS[op], op)
        self.value = QLineEdit()
        self.value.setPlaceholderText(QCoreApplication.translate("rule_editor", "value"))
        # tag, segment
        self.tag = _names_combo(suggestions.tags, "tag name")
        self.segment = _names_combo(suggestions.segments, "segment name")
        # event
        self.event = _names_combo(suggestions.events, "event, e.g. purchase")
        self.min_label = QLabel(QCoreApplication.translate("rule_editor", "at least"))
        self.min_count = QSpinBox()
        self.min_count.setRange(0, 1_000_000)
        self.min_count.setValue(1)
        self.min_count.setSuffix("×")
        self.within_label = QLabel(QCoreApplication.translate("rule_editor", "within"))
        self.within = DurationField(Param("within", "duration", "Within"))
        self.within.amount.setPlaceholderText(QCoreApplication.translate("rule_editor", "any time"))
        self.where = QLineEdit()
        self.where.setPlaceholderText(QCoreApplication.translate("rule_editor", "where prop=value"))
        self.where.setToolTip(
            QCoreApplication.translate(
                "rule_editor", "Only events with these properties, e.g. campaign=welcome"
            )
        )
        self._parts = {
            "field": [self.field_name, self.op, self.value],
            "tag": [self.tag],
            "segment": [self.segment],
            "event": [
                self.event,
                self.min_label,
                self.min_count,
                self.within_label,
                self.within,
                self.where,
            ],
        }
        for widget in (self.field_name, self.tag, self.segment, self.event):
            row.addWidget(widget, 1)
        self.details.addWidget(self.op)
        self.details.addWidget(self.value, 1)
        for widget in (self.min_label, self.min_count, self.within_label, self.within):
            self.details.addWidget(widget)
        self.more.addWidget(self.where, 1)
        for combo in (self.field_name, self.tag, self.segment, self.event):
            combo.lineEdit().textEdited.connect(self._emit)
            combo.activated.connect(self._emit)
        self.op.currentIndexChanged.connect(self._op_changed)
        self.value.textEdited.connect(self._emit)
        self.min_count.valueChanged.connect(self._emit)
        self.within.changed.connect(self._emit)
        self.where.textEdited.connect(self._emit)
        self._show_kind()

    def _emit(self, *_args: Any) -> None:
        self.changed.emit()

    def current_kind(self) -> str:
        return self.kind.currentData()

    def _kind_changed(self) -> None:
        self._show_kind()
        self.changed.emit()

    def _show_kind(self) -> None:
        kind = self.current_kind()
        for key, parts in self._parts.items():
            for widget in parts:
                widget.setVisible(key == kind)
        if kind == "field":
            self.value.setVisible(self.op.currentData() not in UNARY_OPERATORS)

    def _op_changed(self) -> None:
        op = self.op.currentData()
        self.value.setVisible(op not in UNARY_OPERATORS)
        self.value.setPlaceholderText(
            "values, separated by commas" if op in LIST_OPERATORS else "value"
        )
        self.changed.emit()

    def set_json(self, data: dict[str, Any]) -> None:
        """Show one leaf rule (no not/all/any)."""
        for key, _ in LEAF_KINDS:
            if key in data:
                with QSignalBlocker(self.kind):
                    self.kind.setCurrentIndex(self.kind.findData(key))
                break
        kind = self.current_kind()
        if kind == "field":
            self.field_name.setEditText(str(data["field"]))
            with QSignalBlocker(self.op):
                self.op.setCurrentIndex(self.op.findData(data.get("op", "eq")))
            value = data.get("value")
            if data.get("op", "eq") in UNARY_OPERATORS:
                self.value.setText("")
            elif isinstance(value, (list, tuple)):
                self.value.setText(format_list(value))
            else:
                self.value.setText(format_scalar(value))
        elif kind == "tag":
            self.tag.setEditText(str(data["tag"]))
        elif kind == "segment":
            self.segment.setEditText(str(data["segment"]))
        else:
            self.event.setEditText(str(data["event"]))
            self.explicit_min_count = "min_count" in data
            with QSignalBlocker(self.min_count):
                self.min_count.setValue(int(data.get("min_count", 1)))
            self.within.set_value(data.get("within"))
            self.where.setText(format_where(data["where"]) if data.get("where") else "")
        self._op_changed_quietly()
        self._show_kind()

    def _op_changed_quietly(self) -> None:
        with QSignalBlocker(self):
            op = self.op.currentData()
            self.value.setPlaceholderText(
                "values, separated by commas" if op in LIST_OPERATORS else "value"
            )

    def body_json(self) -> dict[str, Any]:
        kind = self.current_kind()
        if kind == "field":
            op = self.op.currentData()
            out: dict[str, Any] = {"field": self.field_name.currentText(), "op": op}
            if op in LIST_OPERATORS:
                out["value"] = parse_list(self.value.text())
            elif op not in UNARY_OPERATORS:
                out["value"] = parse_scalar(self.value.text())
            return out
        if kind == "tag":
            return {"tag": self.tag.currentText()}
        if kind == "segment":
            return {"segment": self.segment.currentText()}
        out = {"event": self.event.currentText()}
        within, error = self.within.read()
        if within is not None or error:
            out["within"] = within if within is not None else self.within.amount.text()
        if self.min_count.value() != 1 or self.explicit_min_count:
            out["min_count"] = self.min_count.value()
        where = parse_where(self.where.text())
        if where:
            out["where"] = where
        return out

    def refresh_suggestions(self) -> None:
        _refill(self.field_name, self.suggestions.fields)
        _refill(self.tag, self.suggestions.tags)
        _refill(self.segment, self.suggestions.segments)
        _refill(self.event, self.suggestions.events)


class GroupItem(RuleItem):
    """All of / any of a list of rules, shown indented under a header."""

    def __init__(
        self, suggestions: Suggestions, mode: str = "all", removable: bool = True, depth: int = 0
    ) -> None:
        super().__init__(suggestions, removable)
        self.setObjectName("ruleGroup" if depth else "ruleRoot")
        self.depth = depth
        # A root set from a single leaf rule writes just that leaf back while it is alone.
        self.implicit = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8 if depth else 0, 6 if depth else 0, 6 if depth else 0, 6)
        outer.setSpacing(4)
        header = QHBoxLayout()
        header.setSpacing(4)
        self.mode = QComboBox()
        self.mode.addItem(QCoreApplication.translate("rule_editor", "All"), "all")
        self.mode.addItem(QCoreApplication.translate("rule_editor", "Any"), "any")
        self.mode.setCurrentIndex(self.mode.findData(mode))
        self.mode.setToolTip(
            QCoreApplication.translate(
                "rule_editor", "All: every rule below must hold. Any: at least one."
            )
        )
        self.mode.currentIndexChanged.connect(self._mode_changed)
        header.addWidget(self.not_button)
        header.addWidget(self.mode)
        header.addWidget(QLabel(QCoreApplication.translate("rule_editor", "of these are true")), 1)
        header.addStretch(1)
        self.add_button = QToolButton()
        self.add_button.setText(QCoreApplication.translate("rule_editor", "+ Condition"))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        for key, label in LEAF_KINDS:
            menu.addAction(label, lambda k=key: self.add_leaf(k))
        self.add_button.setMenu(menu)
        self.add_group_button = QToolButton()
        self.add_group_button.setText(QCoreApplication.translate("rule_editor", "+ Group"))
        self.add_group_button.clicked.connect(lambda: self.add_group("any"))
        header.addWidget(self.remove_button)
        outer.addLayout(header)
        self.children_box = QVBoxLayout()
        self.children_box.setContentsMargins(0, 0, 0, 0)
        self.children_box.setSpacing(4)
        outer.addLayout(self.children_box)
        self.empty = QLabel(
            QCoreApplication.translate("rule_editor", "No conditions: matches everyone.")
            if mode == "all"
            else ""
        )
        self.empty.setObjectName("ruleEmpty")
        outer.addWidget(self.empty)
        footer = QHBoxLayout()
        footer.setSpacing(4)
        for button in (self.add_button, self.add_group_button):
            button.setObjectName("ruleAdd")
            button.setAutoRaise(True)
            footer.addWidget(button)
        footer.addStretch(1)
        outer.addLayout(footer)
        self.items: list[RuleItem] = []
        self._update_empty()

    def _mode_changed(self) -> None:
        self.implicit = False
        self._update_empty()
        self.changed.emit()

    def _update_empty(self) -> None:
        mode = self.mode.currentData()
        self.empty.setText(
            QCoreApplication.translate("rule_editor", "No conditions: matches everyone.")
            if mode == "all"
            else QCoreApplication.translate("rule_editor", "No conditions: matches no one.")
        )
        self.empty.setVisible(not self.items)

    def _adopt(self, item: RuleItem) -> RuleItem:
        self.items.append(item)
        self.children_box.addWidget(item)
        item.changed.connect(self.changed)
        item.removeRequested.connect(self.remove_item)
        self._update_empty()
        return item

    def add_leaf(self, kind: str = "field", data: dict | None = None) -> LeafRow:
        row = LeafRow(self.suggestions, kind)
        if data is not None:
            row.set_json(data)
        self._adopt(row)
        if data is None:
            self.changed.emit()
        return row

    def add_group(self, mode: str = "any") -> GroupItem:
        group = GroupItem(self.suggestions, mode, True, self.depth + 1)
        self._adopt(group)
        self.changed.emit()
        return group

    def remove_item(self, item: RuleItem) -> None:
        self.items.remove(item)
        self.children_box.removeWidget(item)
        item.setParent(None)
        item.deleteLater()
        self._update_empty()
        self.changed.emit()

    def clear(self) -> None:
        for item in list(self.items):
            self.children_box.removeWidget(item)
            item.setParent(None)
            item.deleteLater()
        self.items.clear()
        self._update_empty()

    def fill(self, data: dict[str, Any]) -> None:
        """Show an all/any rule's children (quietly)."""
        key = "all" if "all" in data else "any"
        with QSignalBlocker(self.mode):
            self.mode.setCurrentIndex(self.mode.findData(key))
        for child in data[key]:
            self._adopt(build_item(child, self.suggestions, self.depth + 1))
        self._update_empty()

    def body_json(self) -> dict[str, Any]:
        if self.implicit and len(self.items) == 1:
            return self.items[0].to_json()
        return {self.mode.currentData(): [item.to_json() for item in self.items]}

    def refresh_suggestions(self) -> None:
        for item in self.items:
            item.refresh_suggestions()


def _strip_nots(data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    count = 0
    while isinstance(data, dict) and set(data) == {"not"}:
        count += 1
        data = data["not"]
    return count, data


def build_item(data: dict[str, Any], suggestions: Suggestions, depth: int) -> RuleItem:
    """A widget for one (valid) rule, with its leading `not`s as the item's negation."""
    count, inner = _strip_nots(data)
    if "all" in inner or "any" in inner:
        item: RuleItem = GroupItem(suggestions, "all" if "all" in inner else "any", True, depth)
        item.fill(inner)
    else:
        item = LeafRow(suggestions)
        item.set_json(inner)
    item.set_negations(count)
    return item


class RuleEditor(QWidget):
    """Edit a rule visually. set_rule(dict) / rule() -> dict round-trip every valid rule."""

    ruleChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleEditor")
        self.suggestions = Suggestions()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.root = self._new_root()

    def _new_root(self) -> GroupItem:
        root = GroupItem(self.suggestions, "all", removable=False)
        root.changed.connect(self.ruleChanged)
        self._layout.addWidget(root)
        return root

    def set_rule(self, rule: dict[str, Any] | None) -> None:
        """Show a rule (None or {} shows an empty 'all' group). Raises RuleError if invalid."""
        if rule:
            parse_rule(rule)
        self._layout.removeWidget(self.root)
        self.root.setParent(None)
        self.root.deleteLater()
        self.root = self._new_root()
        if not rule:
            return
        count, inner = _strip_nots(rule)
        with QSignalBlocker(self.root):
            if "all" in inner or "any" in inner:
                self.root.fill(inner)
            else:
                self.root.add_leaf(data=inner)
                self.root.implicit = True
            self.root.set_negations(count)

    def rule(self) -> dict[str, Any]:
        return self.root.to_json()

    def error(self) -> str | None:
        """Why the rule as shown is not valid yet, as a sentence naming the condition in words
        ("The first condition has no field chosen."), or None."""
        from engine.rule_words import plain_rule_error

        try:
            parse_rule(self.rule())
        except RuleError as exc:
            return plain_rule_error(exc)
        return None

    def set_suggestions(
        self,
        fields: list[str] | None = None,
        segments: list[str] | None = None,
        events: list[str] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        """Offer these names in the pickers (in addition to the core fields and engine events)."""
        if fields is not None:
            self.suggestions.fields = sorted({*CORE_FIELDS, *EXTRA_FIELDS, *fields})
        if segments is not None:
            self.suggestions.segments = sorted(segments)
        if events is not None:
            self.suggestions.events = sorted({*ENGINE_EVENTS, *events})
        if tags is not None:
            self.suggestions.tags = sorted(tags)
        self.root.refresh_suggestions()


class RuleField(FieldEditor):
    """The inspector's editor for `rule` parameters: a RuleEditor as a field."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.rule_editor = RuleEditor()
        self.rule_editor.ruleChanged.connect(self._emit)
        self._layout.addWidget(self.rule_editor)

    def set_value(self, value: Any) -> None:
        try:
            self.rule_editor.set_rule(value if isinstance(value, dict) else None)
        except RuleError:
            self.rule_editor.set_rule(None)

    def read(self) -> tuple[Any, str | None]:
        return self.rule_editor.rule(), None

    def focus_target(self) -> QWidget:
        return self.rule_editor
