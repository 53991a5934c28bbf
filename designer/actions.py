"""The one table of actions: name, text, shortcuts, icon, handler, menu, scope and owner.

Menus, toolbars and shortcuts are all built from ACTIONS; a handler is the name of a method
on the object the actions drive. The owner says which: "editor" (the CampaignEditor, always),
"document" (the editor's file actions, only when it edits a file on its own: python -m
designer) and "window" (app.main_window's shell, whose campaigns live in the database).
No shortcut is claimed twice by actions that live together (tests/designer/test_actions.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    shortcuts: tuple[str, ...]
    handler: str
    menu: str  # "File", "Edit", "View" or "Arrange"
    icon: str = ""
    # "window": works anywhere in the editor; "canvas": only while the canvas has focus
    # (so single keys like F or N never steal typing from the inspector).
    scope: str = "window"
    group: str = ""  # actions of one group are separated from the next group in menus
    tip: str = ""
    owner: str = "editor"  # "editor" | "document" | "window" (see the module's docstring)
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    # File
    ActionSpec("new", "&New campaign", ("Ctrl+N",), "new_campaign", "File", "file", group="doc",
               owner="document"),
    ActionSpec("open", "&Open…", ("Ctrl+O",), "open_dialog", "File", "folder", group="doc",
               owner="document"),
    ActionSpec("save", "&Save", ("Ctrl+S",), "save", "File", "save", group="save",
               owner="document"),
    ActionSpec("save_as", "Save &as…", ("Ctrl+Shift+S",), "save_as_dialog", "File", "",
               group="save", owner="document"),
    ActionSpec(
        "export_png", "Export as &PNG…", (), "export_png_dialog", "File", "image", group="export"
    ),
    ActionSpec(
        "export_svg", "Export as S&VG…", (), "export_svg_dialog", "File", "image", group="export"
    ),
    ActionSpec(
        "export_graph",
        "Export as &graph (GraphML, GEXF, DOT)…",
        (),
        "export_graph_dialog",
        "File",
        group="export",
        tip="The diagram for graph tools: Gephi, yEd, Graphviz",
    ),
    # Edit
    ActionSpec("undo", "&Undo", ("Ctrl+Z",), "undo", "Edit", "undo", group="history"),
    ActionSpec(
        "redo", "&Redo", ("Ctrl+Y", "Ctrl+Shift+Z"), "redo", "Edit", "redo", group="history"
    ),
    ActionSpec("cut", "Cu&t", ("Ctrl+X",), "cut", "Edit", "cut", "canvas", "clipboard"),
    ActionSpec("copy", "&Copy", ("Ctrl+C",), "copy", "Edit", "copy", "canvas", "clipboard"),
    ActionSpec("paste", "&Paste", ("Ctrl+V",), "paste", "Edit", "paste", "canvas", "clipboard"),
    ActionSpec(
        "duplicate", "&Duplicate", ("Ctrl+D",), "duplicate", "Edit", "copy", "canvas", "clipboard"
    ),
    ActionSpec(
        "delete",
        "De&lete",
        ("Delete", "Backspace"),
        "delete_selection",
        "Edit",
        "trash",
        "canvas",
        "select",
    ),
    ActionSpec(
        "select_all", "Select &all", ("Ctrl+A",), "select_all", "Edit", "", "canvas", "select"
    ),
    ActionSpec(
        "add_next",
        "Add &next node…",
        ("Tab",),  # not a letter: typing a name on the canvas must not open quick-add
        "add_next",
        "Edit",
        "plus",
        "canvas",
        "nodes",
        "Add a node after the selected one",
    ),
    ActionSpec(
        "rename_node",
        "&Rename node",
        ("F2",),
        "rename_node",
        "Edit",
        "edit",
        "canvas",
        "nodes",
        "Type a new name for the selected node",
    ),
    ActionSpec(
        "open_inspector",
        "&Edit node",
        ("Return", "Enter"),
        "open_inspector",
        "Edit",
        "edit",
        "canvas",
        "nodes",
        "Move the keyboard to the node's settings",
    ),
    ActionSpec(
        "add_note",
        "Add sticky &note",
        (),
        "add_note",
        "Edit",
        "edit",
        group="annotate",
        tip="A note on the canvas for whoever reads the campaign next",
    ),
    ActionSpec(
        "add_group",
        "&Frame selection",
        ("Ctrl+G",),
        "add_group",
        "Edit",
        "layout",
        group="annotate",
        tip="A labelled frame around the selected nodes; it moves the nodes on it",
    ),
    # View
    ActionSpec("fit", "Zoom to &fit", ("F",), "fit", "View", "fit", "canvas", "zoom"),
    ActionSpec(
        "zoom_in",
        "Zoom &in",
        ("+", "=", "Ctrl++", "Ctrl+="),
        "zoom_in",
        "View",
        "zoom-in",
        "canvas",
        "zoom",
    ),
    ActionSpec(
        "zoom_out", "Zoom &out", ("-", "Ctrl+-"), "zoom_out", "View", "zoom-out", "canvas", "zoom"
    ),
    # The canvas's own theme switch: the window's View ▸ Dark theme themes everything there.
    ActionSpec("theme", "&Dark theme", ("Ctrl+Shift+T",), "toggle_theme", "View", "moon",
               group="look", owner="document", checkable=True),
    # Arrange
    ActionSpec(
        "auto_layout",
        "Auto-&layout",
        ("Ctrl+L",),
        "auto_layout",
        "Arrange",
        "layout",
        group="layout",
    ),
    ActionSpec("align_left", "Align &left", (), "align_left", "Arrange", "", group="align"),
    ActionSpec("align_center", "Align &centres", (), "align_center", "Arrange", "", group="align"),
    ActionSpec("align_right", "Align &right", (), "align_right", "Arrange", "", group="align"),
    ActionSpec("align_top", "Align &top", (), "align_top", "Arrange", "", group="align2"),
    ActionSpec("align_middle", "Align &middles", (), "align_middle", "Arrange", "", group="align2"),
    ActionSpec("align_bottom", "Align &bottom", (), "align_bottom", "Arrange", "", group="align2"),
    ActionSpec(
        "distribute_h",
        "Distribute &horizontally",
        (),
        "distribute_horizontally",
        "Arrange",
        "",
        group="distribute",
    ),
    ActionSpec(
        "distribute_v",
        "Distribute &vertically",
        (),
        "distribute_vertically",
        "Arrange",
        "",
        group="distribute",
    ),
    # The window (app.main_window.MainWindow methods). Its Edit menu shows the open canvas's
    # own editor actions; these are the shell's.
    ActionSpec("new_campaign", "&New campaign…", ("Ctrl+N",), "new_campaign", "File",
               tip="Create a campaign, blank or from a sample", owner="window"),
    ActionSpec("import_campaign", "&Import campaign file…", ("Ctrl+O",), "import_campaign",
               "File", tip="Add a .campaign.json file to the workspace", owner="window"),
    ActionSpec("export_campaign", "&Export campaign…", ("Ctrl+E",), "export_campaign", "File",
               tip="The open or selected campaign as a campaign file, GraphML, GEXF or DOT",
               owner="window"),
    ActionSpec("build_demo", "Build &demo workspace…", (), "build_demo", "File",
               tip="Fill this database with demo contacts, segments, templates and campaigns",
               owner="window"),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "close", "File", owner="window"),
    ActionSpec("save_campaign", "&Save", ("Ctrl+S",), "save_campaign", "Campaign",
               tip="Store the open campaign as a new version", owner="window"),
    ActionSpec("simulate", "Si&mulate…", ("Ctrl+R",), "simulate_campaign", "Campaign",
               tip="Forecast the open campaign on a copy of the data", owner="window"),
    ActionSpec("dashboard", "&Dashboard", ("Ctrl+Shift+D",), "show_dashboard", "Campaign",
               tip="Figures and charts of the open or selected campaign", owner="window"),
    ActionSpec("engine_pass", "Run engine &now", ("F5",), "engine_pass", "Campaign",
               tip="Process everything that is due now", owner="window"),
    ActionSpec("dark_theme", "&Dark theme", (), "toggle_theme", "View", owner="window",
               checkable=True),
    ActionSpec("about", "&About Campaign Studio", (), "about", "Help", owner="window"),
)  # fmt: skip
MENUS = ("File", "Edit", "View", "Arrange")
SPECS = {spec.name: spec for spec in ACTIONS}


def action_text(spec: ActionSpec) -> str:
    """The action's menu text in the user's language (the table holds the English; the
    strings reach the translators through resources/i18n/data_strings.py)."""
    return QCoreApplication.translate("Actions", spec.text)


def action_tip(spec: ActionSpec) -> str:
    return QCoreApplication.translate("Actions", spec.tip) if spec.tip else ""


def menu_title(name: str) -> str:
    return QCoreApplication.translate("Menus", name)


def specs_of(*owners: str) -> tuple[ActionSpec, ...]:
    return tuple(spec for spec in ACTIONS if spec.owner in owners)


def build_actions(
    target: QObject,
    window_widget: QWidget,
    canvas_widget: QWidget,
    parent: QObject | None = None,
    owners: tuple[str, ...] = ("editor", "document"),
) -> dict[str, QAction]:
    """Create one QAction per spec of these owners, wired to `getattr(target, spec.handler)`.

    Window-scope actions live on `window_widget` (active while focus is inside it),
    canvas-scope actions on `canvas_widget` (active only while it has focus).
    """
    actions: dict[str, QAction] = {}
    for spec in specs_of(*owners):
        text = action_text(spec)
        action = QAction(text, parent or window_widget)
        action.setObjectName(f"action_{spec.name}")
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        if spec.tip:
            action.setStatusTip(action_tip(spec))
        if spec.shortcuts:
            action.setToolTip(f"{text.replace('&', '')} ({spec.shortcuts[0]})")
        if spec.scope == "canvas":
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            canvas_widget.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            window_widget.addAction(action)
        handler = getattr(target, spec.handler, None)
        if handler is None:
            action.setEnabled(False)
        else:
            action.triggered.connect(lambda _checked=False, h=handler: h())
        action.setCheckable(spec.checkable)
        actions[spec.name] = action
    return actions


def fill_menus(menu_bar: QMenuBar, actions: dict[str, QAction]) -> dict[str, QMenu]:
    """File/Edit/View/Arrange menus from the table, with separators between groups."""
    menus: dict[str, QMenu] = {}
    for title in MENUS:
        menu = menu_bar.addMenu(menu_title(f"&{title}"))
        menus[title] = menu
        last_group = None
        for spec in ACTIONS:
            if spec.menu != title or spec.name not in actions:
                continue
            if last_group is not None and spec.group != last_group:
                menu.addSeparator()
            last_group = spec.group
            menu.addAction(actions[spec.name])
    return menus
