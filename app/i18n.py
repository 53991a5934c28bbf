"""The window's language: Qt translators for our strings (resources/i18n/*.qm, built from the
.ts files by pyside6-lrelease) and Qt's own, QLocale for numbers and dates, the engine's
gettext catalogs, and the layout direction (right-to-left for Arabic, Hebrew, …).

The language follows the system unless one is chosen in Settings ("language" preference).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from engine import i18n
from engine.paths import resource

SETTING = "language"
# (code, name in its own language): what Settings offers; "system" follows the desktop.
LANGUAGES = (("system", ""), ("en", "English"), ("de", "Deutsch"))

_installed: list[QTranslator] = []


def qm_file(code: str) -> str:
    return str(resource("i18n", f"campaign_studio_{code}.qm"))


def chosen_language() -> str:
    """The language chosen in Settings, or "system"."""
    preferences = QSettings("campaign-studio", "campaign-studio")  # as app.main_window's
    return str(preferences.value(SETTING, "system") or "system")


def set_language(app: QApplication, code: str | None = None) -> str:
    """Switch the whole program to `code` ("de", "en", "system"/None = the desktop's).
    Returns the language code in use. Widgets built afterwards show the new language."""
    code = code or chosen_language()
    locale = QLocale.system() if code == "system" else QLocale(code)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    ours = QTranslator(app)
    if ours.load(locale, "campaign_studio", "_", str(resource("i18n"))):
        app.installTranslator(ours)
        _installed.append(ours)
    qt_own = QTranslator(app)
    if qt_own.load(
        locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    QLocale.setDefault(locale)
    app.setLayoutDirection(locale.textDirection())
    return i18n.set_language(locale.name())


class PseudoTranslator(QTranslator):
    """Every translatable string comes back as "⟦Ŝéñď⟧": a screen showing plain English has a
    string that does not go through tr()/translate() (tests/app/test_translations.py)."""

    ACCENTS = str.maketrans("AEIOUaeiouCcNnSs", "ÅÉÎÖÛåéîöûÇçÑñŠš")

    def __init__(self, parent=None, known: set[tuple[str, str]] | None = None) -> None:
        super().__init__()
        if parent is not None:
            self.setParent(parent)
        # Only strings the translators receive (the .ts file): a string translate() is called
        # with but lupdate cannot see (a variable) stays English, and the test catches it.
        self.known = known

    def translate(self, context, source, disambiguation=None, n=-1):
        if not source:
            return source
        if self.known is not None and (context, source) not in self.known:
            return ""
        # {placeholders}, %n/%Ln and {{ template }} syntax stay as they are
        parts = re.split(r"(\{\{.*?\}\}|\{[^{}]*\}|%L?n)", source)
        text = "".join(p if i % 2 else p.translate(self.ACCENTS) for i, p in enumerate(parts))
        if n >= 0:
            text = text.replace("(š)", "" if n == 1 else "s")
        return "⟦" + text + "⟧"

    def isEmpty(self) -> bool:
        return False


def translate(context: str, text: str, n: int = -1) -> str:
    return QCoreApplication.translate(context, text, None, n)


def direction_of(code: str) -> Qt.LayoutDirection:
    return QLocale(code).textDirection()
