"""The main window: navigation on the left, one screen at a time, menus from one table.

`run_window(db)` is what `campaign-studio` (no subcommand) calls.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QAccessible, QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import announce, set_role
from app.bridge import Workspace, run_with_progress
from app.campaigns import CampaignsScreen
from app.style import apply_style, current_theme


@dataclass(frozen=True)
class Screen:
    key: str
    title: str
    module: str
    cls: str
    shortcut: str


# The left navigation, in order. The data screens are QWidgets taking the database Engine.
SCREENS = (
    Screen("campaigns", "Campaigns", "app.campaigns", "CampaignsScreen", "Ctrl+1"),
    Screen("contacts", "Contacts", "app.contacts", "ContactsScreen", "Ctrl+2"),
    Screen("segments", "Segments", "app.segments", "SegmentsScreen", "Ctrl+3"),
    Screen("templates", "Templates", "app.templates", "TemplatesScreen", "Ctrl+4"),
    Screen("settings", "Settings", "app.settings_screen", "SettingsScreen", "Ctrl+5"),
)


def screen_title(screen: Screen) -> str:
    """The screen's name in the user's language."""
    return QCoreApplication.translate("Screens", screen.title)


# The campaign editor's actions (designer.actions names) the window's Edit menu shows.
EDIT_MENU = (
    ("undo", "redo"),
    ("cut", "copy", "paste", "duplicate", "delete", "select_all"),
    ("add_next", "add_note", "add_group", "auto_layout", "fit"),
    ("export_png", "export_svg", "export_graph"),
)


class MainWindow(QMainWindow):
    """Campaigns, contacts, segments, templates and settings behind a left navigation."""

    def __init__(self, workspace: Workspace, start_engine: bool = True) -> None:
        super().__init__()
        self.workspace = workspace
        self.setWindowTitle(f"Campaign Studio — {Path(workspace.db).name}")
        self.resize(1360, 860)
        self.stack = QStackedWidget()
        self.stack.setObjectName("screens")
        self.screens: dict[str, QWidget] = {}
        self.nav = QButtonGroup(self)
        self.nav.setExclusive(True)
        self.nav_buttons: dict[str, QPushButton] = {}
        self.campaign_page: Any = None
        self.dashboard_page: Any = None

        sidebar = QFrame()
        sidebar.setObjectName("sidebar")
        sidebar.setAccessibleName(QCoreApplication.translate("MainWindow", "Pages"))
        set_role(sidebar, QAccessible.Role.PageTabList)
        sidebar.setFixedWidth(184)  # leaves the screens 840 px on a 1024 px wide window
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(2)
        brand = QLabel(QCoreApplication.translate("main_window", "Campaign Studio"))
        brand.setObjectName("brand")
        side.addWidget(brand)
        where = QLabel(Path(workspace.db).name)
        where.setObjectName("brandSub")
        where.setToolTip(str(workspace.db))
        side.addWidget(where)
        for screen in SCREENS:
            button = QPushButton(screen_title(screen))
            button.setObjectName(f"nav_{screen.key}")
            button.setCheckable(True)
            set_role(button, QAccessible.Role.PageTab)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(f"{screen_title(screen)} ({screen.shortcut})")
            button.clicked.connect(lambda _c=False, k=screen.key: self.show_screen(k))
            self.nav.addButton(button)
            self.nav_buttons[screen.key] = button
            side.addWidget(button)
        side.addStretch(1)
        self.engine_badge = QLabel("")
        self.engine_badge.setObjectName("engineBadge")
        self.engine_badge.setWordWrap(True)
        side.addWidget(self.engine_badge)

        central = QWidget()
        outer = QHBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(sidebar)
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status_engine = QLabel("")
        self.status_engine.setObjectName("engineStatus")
        self.statusBar().addPermanentWidget(self.status_engine)
        self.statusBar().messageChanged.connect(lambda text: announce(self.statusBar(), text))
        self.actions: dict[str, QAction] = {}
        self._build_menus()
        self.show_screen("campaigns")

        bridge = workspace.service
        bridge.stateChanged.connect(lambda _s: self.update_engine_status())
        bridge.changed.connect(self.update_engine_status)
        if start_engine:
            bridge.start()
        self.update_engine_status()

    # ---- building ----
    def _build_menus(self) -> None:
        from designer.actions import action_text, action_tip, menu_title, specs_of

        menus: dict[str, Any] = {}
        for spec in specs_of("window"):
            title = f"&{spec.menu}"  # the one action table (owner "window")
            if title not in menus:
                menus[title] = self.menuBar().addMenu(menu_title(title))
            action = QAction(action_text(spec), self)
            action.setObjectName(f"action_{spec.name}")
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
            if spec.tip:
                action.setStatusTip(action_tip(spec))
            action.setCheckable(spec.checkable)
            action.triggered.connect(getattr(self, spec.handler))
            menus[title].addAction(action)
            self.actions[spec.name] = action
        self.actions["dark_theme"].setChecked(current_theme() == "dark")
        # Edit: the open canvas's own actions (undo, clipboard, arrange), not copies of them —
        # a second Ctrl+Z on the window would make both shortcuts ambiguous, hence dead.
        self.edit_menu = QMenu(menu_title("&Edit"), self)
        self.edit_menu.setObjectName("editMenu")
        self.menuBar().insertMenu(menus["&Campaign"].menuAction(), self.edit_menu)
        self.edit_menu.aboutToShow.connect(self._fill_edit_menu)
        self._fill_edit_menu()
        view = menus["&View"]
        view.addSeparator()
        for screen in SCREENS:
            action = QAction(screen_title(screen), self)
            action.setShortcut(QKeySequence(screen.shortcut))
            action.triggered.connect(lambda _c=False, k=screen.key: self.show_screen(k))
            view.addAction(action)
        self._update_campaign_actions()

    def _fill_edit_menu(self) -> None:
        """The canvas's Edit and Arrange actions while a campaign is on screen."""
        menu = self.edit_menu
        menu.clear()
        page = self.campaign_page
        if page is None or self.stack.currentWidget() is not page:
            placeholder = menu.addAction(
                QCoreApplication.translate("MainWindow", "Open a campaign to edit its canvas")
            )
            placeholder.setEnabled(False)
            return
        for group in EDIT_MENU:
            if not menu.isEmpty():
                menu.addSeparator()
            for name in group:
                action = page.editor.actions.get(name)
                if action is not None and action.isVisible():
                    menu.addAction(action)

    def screen(self, key: str) -> QWidget:
        """The screen widget for a navigation key, built on first use."""
        if key not in self.screens:
            spec = next(s for s in SCREENS if s.key == key)
            widget = self._make_screen(spec)
            widget.setObjectName(widget.objectName() or f"{key}Screen")
            self.screens[key] = widget
            self.stack.addWidget(widget)
        return self.screens[key]

    def _make_screen(self, spec: Screen) -> QWidget:
        if spec.key == "campaigns":
            screen = CampaignsScreen(self.workspace)
            screen.openRequested.connect(self.open_campaign)
            screen.dashboardRequested.connect(self.open_dashboard)
            screen.campaignDeleted.connect(self.forget_campaign)
            return screen
        try:
            cls = getattr(importlib.import_module(spec.module), spec.cls)
            screen = cls(self.workspace.engine)
            theme_changed = getattr(screen, "themeChanged", None)
            if theme_changed is not None:
                theme_changed.connect(self._theme_chosen)
            # What an open campaign's pickers and validation read: tell it at once.
            for name in ("templatesChanged", "segmentsChanged", "contactsChanged", "saved"):
                signal = getattr(screen, name, None)
                if signal is not None:
                    signal.connect(self.workspace.referencesChanged.emit)
            return screen
        except Exception as exc:  # a screen that fails must not take the window down
            from app.error_dialog import show_error

            QTimer.singleShot(0, lambda e=exc: show_error(self, e, f"Opening {spec.title}"))
            label = QLabel(f"{spec.title} is not available: {exc}")
            label.setObjectName("emptyState")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            return label

    def show_screen(self, key: str) -> QWidget:
        current = self.stack.currentWidget()
        if current is not None and current is not self.screens.get(key) and not self.may_leave():
            self._check_nav_of(current)
            return current
        widget = self.screen(key)
        self.stack.setCurrentWidget(widget)
        self.nav_buttons[key].setChecked(True)
        refresh = getattr(widget, "refresh", None)
        if key == "campaigns" and callable(refresh):
            refresh()
        self._update_campaign_actions()
        return widget

    def may_leave(self) -> bool:
        """Leaving the campaign canvas or the settings with unsaved changes: save, discard or
        stay (False). A discarded canvas is closed, so it opens again as stored."""
        current = self.stack.currentWidget()
        page = self.campaign_page
        if page is not None and current is page:
            if not page.maybe_save():
                return False
            if page.is_modified():
                self.forget_campaign(page.campaign_id, dashboard=False)
            return True
        maybe_save = getattr(current, "maybe_save", None)
        return maybe_save() if callable(maybe_save) else True

    def _check_nav_of(self, widget: QWidget) -> None:
        """Keep the navigation's mark on the screen that stayed."""
        for key, screen in self.screens.items():
            if screen is widget:
                self.nav_buttons[key].setChecked(True)
                return
        self.nav_buttons["campaigns"].setChecked(True)

    @property
    def campaigns(self) -> CampaignsScreen:
        widget = self.screen("campaigns")
        assert isinstance(widget, CampaignsScreen)
        return widget

    # ---- campaigns ----
    def open_campaign(self, campaign_id: int) -> Any:
        """Show a campaign on the canvas (with live figures when it has any)."""
        from app.campaign_page import CampaignPage

        if self.campaign_page is not None:
            if self.campaign_page.campaign_id == campaign_id:
                self._show_page(self.campaign_page)
                return self.campaign_page
            if not self.campaign_page.maybe_save():
                return None
            self.stack.removeWidget(self.campaign_page)
            self.campaign_page.close_page()
            self.campaign_page.deleteLater()
        page = CampaignPage(self.workspace, campaign_id)
        page.backRequested.connect(lambda: self.show_screen("campaigns"))
        page.dashboardRequested.connect(self.open_dashboard)
        self.campaign_page = page
        self.stack.addWidget(page)
        self._show_page(page)
        return page

    def forget_campaign(self, campaign_id: int, dashboard: bool = True) -> None:
        """A deleted campaign's canvas and dashboard pages go with it."""
        page = self.campaign_page
        if page is not None and page.campaign_id == campaign_id:
            self.stack.removeWidget(page)
            page.close_page()
            page.deleteLater()
            self.campaign_page = None
        board = self.dashboard_page if dashboard else None
        if board is not None and board.campaign_id == campaign_id:
            self.stack.removeWidget(board)
            board.deleteLater()
            self.dashboard_page = None
        self._update_campaign_actions()

    def open_dashboard(self, campaign_id: int) -> Any:
        from app.dashboard import DashboardPage

        if self.dashboard_page is not None:
            self.stack.removeWidget(self.dashboard_page)
            self.dashboard_page.deleteLater()
        page = DashboardPage(self.workspace, campaign_id)
        page.backRequested.connect(self._back_from_dashboard)
        page.openRequested.connect(self.open_campaign)
        self.dashboard_page = page
        self.stack.addWidget(page)
        self._show_page(page)
        return page

    def _back_from_dashboard(self) -> None:
        page = self.campaign_page
        dashboard = self.dashboard_page
        if page is not None and dashboard is not None and page.campaign_id == dashboard.campaign_id:
            self._show_page(page)
            return
        self.show_screen("campaigns")

    def _show_page(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        self.nav_buttons["campaigns"].setChecked(True)
        self._update_campaign_actions()

    def _update_campaign_actions(self) -> None:
        if not self.actions:
            return
        on_page = (
            self.campaign_page is not None and self.stack.currentWidget() is self.campaign_page
        )
        self.actions["save_campaign"].setEnabled(on_page)
        self.actions["simulate"].setEnabled(on_page)

    # ---- action handlers (named in ACTIONS) ----
    def new_campaign(self) -> None:
        self.show_screen("campaigns")
        self.campaigns.new_campaign()

    def import_campaign(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import campaign", "", "Campaigns (*.campaign.json *.json)"
        )
        if path:
            self.import_campaign_file(path)

    def import_campaign_file(self, path: str) -> int | None:
        from engine.fileformat import load

        try:
            diagram, _problems = load(path)
        except Exception as exc:
            self.show_screen("campaigns")
            self.campaigns.message.show_message(f"Could not import {Path(path).name}: {exc}",
                                                "error")  # fmt: skip
            return None
        return self.campaigns.create(diagram.name, Path(path))

    def save_campaign(self) -> None:
        if self.campaign_page is not None:
            self.campaign_page.save()

    def export_campaign(self) -> None:
        from app.export_campaign import export_campaign

        export_campaign(self)

    def simulate_campaign(self) -> None:
        if self.campaign_page is not None:
            self.campaign_page.simulate()

    def show_dashboard(self) -> None:
        current = self.stack.currentWidget()
        if current is self.campaign_page and self.campaign_page is not None:
            self.open_dashboard(self.campaign_page.campaign_id)
            return
        campaign_id = self.campaigns.selected_id()
        if campaign_id is not None:
            self.open_dashboard(campaign_id)

    def engine_pass(self) -> None:
        """Run one engine pass in the background, then refresh what is on screen."""
        bridge = self.workspace.service

        def done(_result: object) -> None:
            self.statusBar().showMessage("Engine pass finished", 4000)

        def failed(error: str) -> None:
            self.statusBar().showMessage(f"Engine pass failed: {error}", 8000)

        self.workspace.tasks.submit(lambda _p: bridge.run_once(), "Engine pass", done, failed)

    def build_demo(self) -> None:
        self.offer_demo(force=True)

    def offer_demo(self, force: bool = False, contacts: int = 3000) -> Any:
        """Build the demo workspace in the background (asking first unless `force`)."""
        if not force:
            answer = QMessageBox.question(
                self,
                QCoreApplication.translate("main_window", "Empty workspace"),
                "This database has no contacts or campaigns yet.\n\nBuild a demo workspace "
                f"({contacts:,} contacts, segments, templates and sample campaigns) to explore?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        from engine.demo import build_demo

        engine = self.workspace.engine

        def work(progress: Any) -> Any:
            return build_demo(engine, contacts=contacts, progress=progress)

        def done(_result: object) -> None:
            self.workspace.campaignsChanged.emit()
            for key, widget in self.screens.items():
                refresh = getattr(widget, "refresh", None)
                if key != "campaigns" and callable(refresh):
                    refresh()
            self.statusBar().showMessage("Demo workspace ready", 5000)

        def failed(error: str) -> None:
            QMessageBox.warning(
                self,
                QCoreApplication.translate("main_window", "Demo workspace"),
                f"Could not build the demo: {error}",
            )

        task, _dialog = run_with_progress(self, self.workspace.tasks, "Building demo workspace",
                                          work, done, failed)  # fmt: skip
        return task

    def toggle_theme(self, dark: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme = "dark" if dark else "light"
            apply_style(app, theme)
            preferences().setValue("theme", theme)
            self._follow_theme(theme)

    def _follow_theme(self, theme: str) -> None:
        """Pages that draw with their own palette (canvas, charts) follow the theme."""
        if self.campaign_page is not None:
            self.campaign_page.set_theme(theme)
        if self.dashboard_page is not None:
            self.dashboard_page.refresh()

    def _theme_chosen(self, _theme: str) -> None:
        """The settings screen changed the theme: keep the menu's check mark in step."""
        self.actions["dark_theme"].blockSignals(True)
        self.actions["dark_theme"].setChecked(current_theme() == "dark")
        self.actions["dark_theme"].blockSignals(False)
        self._follow_theme(current_theme())

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Campaign Studio",
            "Campaign Studio — draw, simulate and run marketing campaigns on your own data.",
        )

    # ---- status ----
    def update_engine_status(self) -> None:
        bridge = self.workspace.service
        text = bridge.describe()
        if bridge.last_pass is not None:
            text += f" · last pass {bridge.last_pass:%H:%M:%S}"
        self.status_engine.setText(text)
        color = {"running": "#22c55e", "manual": "#60a5fa", "unavailable": "#f87171"}.get(
            bridge.state, "#9aa1b5"
        )
        self.engine_badge.setText(
            f"<span style='color:{color}; font-size:14px'>●</span>&nbsp; {bridge.describe()}"
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.campaign_page is not None and not self.campaign_page.maybe_save():
            event.ignore()
            return
        settings = self.screens.get("settings")
        if settings is not None and hasattr(settings, "maybe_save") and not settings.maybe_save():
            event.ignore()
            return
        if self.campaign_page is not None:
            self.campaign_page.close_page()
        self.workspace.service.shutdown()
        self.workspace.tasks.wait(10000)
        super().closeEvent(event)


def default_database() -> Path:
    """The user's database, the one the command line uses without --db (engine.paths)."""
    from engine.paths import default_database_path

    return default_database_path()


def is_empty(engine: Any) -> bool:
    """True when the database has neither contacts nor campaigns."""
    from engine.workspace import is_empty as workspace_is_empty

    return workspace_is_empty(engine)


def open_workspace(db: str | None, clock: Any = None) -> Workspace:
    from engine.db import open_database

    path = str(db) if db else str(default_database())
    return Workspace(path, open_database(path), clock=clock)


def preferences() -> QSettings:
    """Per-user preferences outside the database (shared with the settings screen)."""
    return QSettings("campaign-studio", "campaign-studio")


def preferred_theme(app: QApplication) -> str:
    theme = str(preferences().value("theme", "light") or "light")
    if theme == "system":
        hints = app.styleHints()
        if hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast:
            return "high-contrast"  # the system asks for more contrast (accessibility setting)
        return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"
    return theme if theme in ("light", "dark", "high-contrast") else "light"


def run_window(db: str | None) -> int:
    """Open the window on `db` (default: the database chosen in Settings, else the user's
    data folder); offer the demo when it is empty; returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Campaign Studio")
    app.setOrganizationName("campaign-studio")
    from app.i18n import set_language

    set_language(app)  # before any widget: the Settings choice, else the desktop's language
    apply_style(app, preferred_theme(app))
    from app import error_dialog
    from app.gui_gc import collect_on_gui_thread

    collect_on_gui_thread(app)
    error_dialog.install(app)  # a screen or action that fails says why in a dialog
    db = db or str(preferences().value("database", "") or "") or None
    try:
        workspace = open_workspace(db)
    except Exception as exc:
        where = db or default_database()
        QMessageBox.critical(
            None,
            QCoreApplication.translate("main_window", "Campaign Studio"),
            f"Could not open the database {where}: {exc}",
        )
        return 1
    window = MainWindow(workspace)
    window.show()
    if is_empty(workspace.engine):
        QTimer.singleShot(200, window.offer_demo)
    close_on_terminate(app)
    code = app.exec()
    workspace.service.shutdown()  # also when the loop ended without closing the window
    return code


def close_on_terminate(app: QApplication) -> None:
    """SIGTERM (logout, `kill`, a package test) closes the windows the normal way (engine shut
    down, unsaved-changes question), so the program exits with 0 instead of being killed."""
    import signal

    def terminate(*_args: object) -> None:
        app.closeAllWindows()
        # Closing from inside a nested loop (a progress dialog) does not end app.exec() by
        # itself; quit explicitly unless a window stayed open (the user chose Cancel).
        if not any(w.isVisible() for w in app.topLevelWidgets()):
            app.quit()

    signal.signal(signal.SIGTERM, terminate)
    # Python runs signal handlers only between bytecodes: give it a turn four times a second.
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(250)
