"""Open every screen of the real window, one after the other, and save a picture of each.

The package test runs it inside the installed program, on a clean machine, so a library the
installer left out shows up as a failed step instead of a screen that never opens:

    CAMPAIGN_STUDIO_TOUR=1 campaign-studio --db DB --out DIR [--store-password PW]
                                                                [--expect-password PW]

(`main.py`, the installed program's entry, starts the tour when that variable is set; from a
checkout: `python -m app.tour ...`.) Steps: campaigns, the editor, a node's detail (chart),
the dashboard (charts), contacts, a contact's page, segments, templates, settings, the import
dialog on a CSV, the simulate dialog with a forecast. `--store-password` saves an SMTP login
through the settings screen and checks it went to the system keyring;
`--expect-password` (a later start) checks the keyring still has it. Prints one line per
step, writes DIR/NN-step.png, exits with the number of failed steps. An error dialog during
a step fails the step.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

SMTP_USER = "tour@example.com"
SMTP_HOST = "mail.example.com"


class Tour:
    def __init__(self, out: Path) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance()
        self.out = out
        self.failures = 0
        self.number = 0
        self.dialog_texts: list[str] = []
        # An error dialog is modal: close it from a timer and fail the step with its text.
        self.watch = QTimer()
        self.watch.timeout.connect(self._close_message_boxes)
        self.watch.start(100)

    def _close_message_boxes(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        for widget in self.app.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                text = f"{widget.text()} {widget.informativeText()}".strip()
                print(f"tour: message box: {text}", flush=True)
                self.shot("message-box")
                self.dialog_texts.append(text)
                widget.done(0)

    def wait(self, seconds: float, until: Callable[[], bool] | None = None) -> bool:
        """Let Qt work for `seconds`, or until `until()` is true (then True)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            if until is not None and until():
                return True
            time.sleep(0.02)
        return until is None

    def shot(self, name: str) -> None:
        from PySide6.QtGui import QGuiApplication

        self.wait(0.3)
        path = self.out / f"{self.number:02d}-{name}.png"
        screen = QGuiApplication.primaryScreen()
        picture = screen.grabWindow(0) if QGuiApplication.platformName() == "xcb" else None
        if picture is None or picture.isNull():
            top = self.app.activeModalWidget() or self.app.activeWindow() or self.window
            picture = top.grab()
        picture.save(str(path))

    def step(self, name: str, action: Callable[[], str | None]) -> Any:
        self.number += 1
        before = len(self.dialog_texts)
        started = time.monotonic()
        try:
            detail = action() or ""
            self.wait(0.5)
            self.shot(name)
        except Exception as exc:
            detail = ""
            problem = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        else:
            problem = "; ".join(self.dialog_texts[before:])
        took = time.monotonic() - started
        if problem:
            self.failures += 1
            print(f"tour: FAIL {name}: {problem}", flush=True)
        else:
            print(f"tour: ok   {name} ({took:.1f} s) {detail}".rstrip(), flush=True)


def shiboken_alive(widget: Any) -> bool:
    from shiboken6 import isValid

    return isValid(widget)


def charts_in(widget: Any) -> int:
    """How many pyqtgraph plots a widget shows (0 when pyqtgraph is missing)."""
    import pyqtgraph as pg

    return sum(1 for w in widget.findChildren(pg.PlotWidget) if w.isVisible())


def run(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    from app import error_dialog
    from app.main_window import SCREENS, MainWindow, open_workspace
    from app.style import apply_style
    from engine.campaigns import list_campaigns

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Campaign Studio")
    app.setOrganizationName("campaign-studio")
    apply_style(app, "light")
    error_dialog.install(app)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tour = Tour(out)
    workspace = open_workspace(args.db)
    window = MainWindow(workspace, start_engine=False)
    tour.window = window
    window.resize(1360, 860)
    window.show()
    tour.wait(1.0)
    state: dict[str, Any] = {}

    def real_screen(key: str) -> Callable[[], str]:
        def show() -> str:
            widget = window.show_screen(key)
            if not isinstance(widget, QWidget) or widget.objectName() == "emptyState":
                raise RuntimeError(f"{key} did not open: {getattr(widget, 'text', str)()}")
            return type(widget).__name__

        return show

    def campaigns() -> str:
        window.show_screen("campaigns")
        rows = list_campaigns(workspace.engine)
        if not rows:
            raise RuntimeError("no campaigns in the database (build the demo first)")
        rows.sort(key=lambda r: -int(r.get("enrolled") or 0))
        state["campaign"] = rows[0]
        return f"{len(rows)} campaigns"

    def editor() -> str:
        page = window.open_campaign(int(state["campaign"]["id"]))
        if page is None:
            raise RuntimeError("the campaign did not open")
        state["page"] = page
        nodes = list(page.diagram.nodes)
        return f"“{state['campaign']['name']}”, {len(nodes)} nodes"

    def node_detail() -> str:
        page = state["page"]
        node_id = next(iter(page.diagram.nodes))
        dialog = page.open_node_detail(node_id)
        dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)  # "Over time": the chart
        tour.wait(1.0)
        charts = charts_in(dialog)
        state["close"] = dialog
        if charts < 1:
            raise RuntimeError("the node detail shows no chart")
        return f"node {node_id}, {charts} chart(s)"

    def close_dialog() -> None:
        dialog = state.pop("close", None)
        if dialog is not None and shiboken_alive(dialog):
            dialog.close()
            tour.wait(0.3)

    def dashboard() -> str:
        close_dialog()
        page = window.open_dashboard(int(state["campaign"]["id"]))
        tour.wait(1.0)
        charts = charts_in(page)
        if charts < 1:
            raise RuntimeError("the dashboard shows no chart")
        state["dashboard"] = page
        return f"{charts} chart(s)"

    def dashboard_node() -> str:
        dialog = state["dashboard"]._open_node(0)
        if dialog is None:
            raise RuntimeError("no node row on the dashboard")
        dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
        tour.wait(1.0)
        state["close"] = dialog
        return f"{charts_in(dialog)} chart(s)"

    def contact_page() -> str:
        close_dialog()
        screen = window.show_screen("contacts")
        from engine import store

        with workspace.engine.connect() as conn:
            first = store.list_contacts(conn, limit=1)
        if not first:
            raise RuntimeError("no contacts")
        contact_id = first[0]["id"]
        screen.open_contact(int(contact_id))
        return f"contact {contact_id}"

    def import_dialog() -> str:
        from app.import_dialog import ImportDialog

        csv = out / "tour-import.csv"
        csv.write_text(
            "email,first_name,city\nzoë@example.com,Zoë,Köln\nана@example.com,Анна,Москва\n",
            encoding="utf-8",
        )
        dialog = ImportDialog(workspace.engine, kind="contacts", path=str(csv), parent=window)
        dialog.show()
        tour.wait(1.0)
        state["close"] = dialog
        return "preview of a UTF-8 CSV"

    def simulate() -> str:
        close_dialog()
        page = window.open_campaign(int(state["campaign"]["id"]))
        dialog = page.simulate()
        dialog.days.setValue(7)
        dialog.run()
        if not tour.wait(120, lambda: dialog.result is not None):
            raise RuntimeError("no forecast within 120 s")
        state["close"] = dialog
        return "7-day forecast"

    def store_password() -> str:
        from engine.delivery import secrets

        close_dialog()
        screen = window.show_screen("settings")
        if not secrets.keyring_available():
            raise RuntimeError("no system keyring backend (keyring found none)")
        screen.transport.setCurrentIndex(screen.transport.findData("smtp"))
        screen.smtp_host.setText(SMTP_HOST)
        screen.smtp_user.setText(SMTP_USER)
        screen.smtp_password.setText(args.store_password)
        if not screen.save():
            raise RuntimeError(f"settings not saved: {screen.status.text()}")
        if secrets._session:
            raise RuntimeError("the password was kept in memory, not in the keyring")
        import keyring

        from app.settings_store import load_settings, smtp_account

        account = smtp_account(load_settings(workspace.engine))
        return f"account={account} saved through {type(keyring.get_keyring()).__module__}"

    def expect_password() -> str:
        from app.settings_store import load_settings, smtp_account
        from engine.delivery import secrets

        screen = window.show_screen("settings")
        screen.load()
        found = secrets.get_password(smtp_account(load_settings(workspace.engine)))
        if found != args.expect_password:
            raise RuntimeError(f"the keyring returned {found!r} after the restart")
        placeholder = screen.smtp_password.placeholderText()
        if placeholder != "stored in the keychain":
            raise RuntimeError(f"the password field says {placeholder!r}")
        return "the password came back from the keyring"

    def qt_translations() -> str:
        """Qt's own strings (dialog buttons) for every language the program ships."""
        from PySide6.QtCore import QLibraryInfo, QTranslator

        from engine.paths import resources_path

        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        codes = sorted(
            qm.stem.split("_", 2)[2]
            for qm in (Path(resources_path()) / "i18n").glob("campaign_studio_*.qm")
        )
        missing = [code for code in codes if not QTranslator().load(f"qtbase_{code}", folder)]
        if missing:
            raise RuntimeError(f"no qtbase translation for {missing} in {folder}")
        return f"qtbase for {', '.join(codes) or 'no language'}"

    def german() -> str:
        """The program's German (.qm for the window, .mo for the engine) and Babel's locale
        data load from the package; back to English afterwards."""
        from babel.numbers import format_decimal

        from app import i18n as window_i18n
        from engine import i18n as engine_i18n

        try:
            code = window_i18n.set_language(app, "de")
            translators = len(window_i18n._installed)
            engine_catalog = type(engine_i18n._state.get("translation")).__name__
            number = format_decimal(1234.5, locale="de_DE")
        finally:
            window_i18n.set_language(app, "en")
        if (code, translators, engine_catalog, number) != ("de", 2, "GNUTranslations", "1.234,5"):
            raise RuntimeError(
                f"German: language {code}, {translators} Qt translators (want ours and qtbase), "
                f"engine catalog {engine_catalog}, 1234.5 -> {number!r}"
            )
        return "window .qm + qtbase_de, engine .mo, Babel: 1.234,5"

    if args.expect_password:
        tour.step("keyring-after-restart", expect_password)
    else:
        tour.step("campaigns", campaigns)
        tour.step("editor", editor)
        tour.step("node-detail", node_detail)
        tour.step("dashboard", dashboard)
        tour.step("dashboard-node-detail", dashboard_node)
        # every screen of the left navigation, also ones added after this was written
        for screen in SCREENS:
            if screen.key != "campaigns":
                tour.step(screen.key, real_screen(screen.key))
            if screen.key == "contacts":
                tour.step("contact-page", contact_page)
        tour.step("import", import_dialog)
        tour.step("simulate", simulate)
        tour.step("qt-translations", qt_translations)
        tour.step("german", german)
        if args.store_password:
            tour.step("keyring-store", store_password)
    close_dialog()
    window.close()
    tour.wait(0.5)
    workspace.service.shutdown()
    print(f"tour: {tour.number} steps, {tour.failures} failed", flush=True)
    return tour.failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="campaign-studio (tour)", description=__doc__)
    parser.add_argument("--db", required=True, help="the database (the demo workspace)")
    parser.add_argument("--out", required=True, help="folder for the screenshots")
    parser.add_argument("--store-password", help="save this SMTP password through Settings")
    parser.add_argument("--expect-password", help="check the keyring still returns it")
    return min(run(parser.parse_args(argv)), 100)


if __name__ == "__main__":
    sys.exit(main())
