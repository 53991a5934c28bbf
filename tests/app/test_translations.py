"""Languages: the German translation is complete and shown (window, node catalog, numbers),
and a pseudo-locale run of the window finds no English text that skipped translation."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QTabBar
from shell_helpers import (
    own_preferences,  # noqa: F401  (autouse: preferences in tmp_path)
    workspace,
)

from app.i18n import PseudoTranslator, qm_file, set_language
from app.main_window import SCREENS, MainWindow
from engine import i18n
from engine.catalog import CATALOG
from engine.clock import VirtualClock
from engine.i18n import plural_text
from engine.paths import resource


@pytest.fixture
def back_to_english(qapp):
    yield
    set_language(qapp, "en")
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale("en_US"))


def make_window(qtbot, tmp_path):
    window = MainWindow(workspace(tmp_path, clock=VirtualClock()), start_engine=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_german_catalogs_are_complete():
    ts = ET.parse(resource("i18n", "campaign_studio_de.ts"))
    messages = list(ts.getroot().iter("message"))
    assert len(messages) > 300

    def done(message) -> bool:
        translation = message.find("translation")
        forms = [f.text for f in translation.iter("numerusform")] or [translation.text]
        return translation.get("type") != "unfinished" and all(forms)

    unfinished = [m.find("source").text for m in messages if not done(m)]
    assert unfinished == []
    with open(resource("locale", "de", "LC_MESSAGES", "campaign_studio.po"), "rb") as f:
        po = read_po(f, locale="de")
    untranslated = [m.id for m in po if m.id and not m.string]
    assert len(po) > 100
    assert untranslated == []
    loaded = QTranslator()
    assert loaded.load(qm_file("de"))
    assert loaded.translate("Screens", "Campaigns") == "Kampagnen"


def test_the_window_speaks_german(qapp, qtbot, tmp_path, back_to_english):
    assert set_language(qapp, "de") == "de"
    window = make_window(qtbot, tmp_path)
    assert [window.nav_buttons[s.key].text() for s in SCREENS] == [
        "Kampagnen", "Kontakte", "Segmente", "Vorlagen", "Einstellungen",
    ]  # fmt: skip
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&Datei" in menus and "&Hilfe" in menus
    assert window.campaigns.new_button.text() == "Neue Kampagne"
    # the engine's node catalog, numbers and percentages follow
    assert CATALOG["action.send_email"].title == "E-Mail senden"
    assert CATALOG["wait.delay"].params[0].label == "Dauer"
    assert i18n.number(1234567) == "1.234.567"
    assert i18n.percent(0.288) == "28,8\xa0%"
    assert QLocale().toString(1234567) == "1.234.567"
    # plurals: the German forms, the count in German digits
    one = QCoreApplication.translate("contacts", "%n contact(s)", "", 1)
    many = QCoreApplication.translate("contacts", "%n contact(s)", "", 1234)
    assert (plural_text(one, 1), plural_text(many, 1234)) == ("1 Kontakt", "1.234 Kontakte")


def test_english_is_back_after_switching(qapp, back_to_english):
    set_language(qapp, "de")
    set_language(qapp, "en")
    many = QCoreApplication.translate("contacts", "%n contact(s)", "", 1234)
    assert plural_text(many, 1234) == "1,234 contacts"
    assert CATALOG["action.send_email"].title == "Send email"
    assert i18n.percent(0.288) == "28.8%"


def _texts(root) -> list[tuple[str, str]]:
    """(where, text) of what a user reads: labels, buttons, placeholders, tabs, menus."""
    found = []
    for label in root.findChildren(QLabel):
        if label.isVisibleTo(root) and label.text() and not label.text().startswith("<"):
            found.append((f"label {label.objectName()}", label.text()))
    for button in root.findChildren(QAbstractButton):
        if button.isVisibleTo(root) and button.text():
            found.append((f"button {button.objectName()}", button.text()))
    for edit in root.findChildren(QLineEdit):
        if edit.isVisibleTo(root) and edit.placeholderText():
            found.append((f"placeholder {edit.objectName()}", edit.placeholderText()))
    for bar in root.findChildren(QTabBar):
        if bar.isVisibleTo(root):
            found += [("tab", bar.tabText(i)) for i in range(bar.count())]
    return found


# What a user typed or the database holds is data, not program text.
DATA = re.compile(
    r"^(studio\.db|Welcome series|[\d\s.,:%—–·×+\-/()]*|Campaign Studio|"
    r"(sqlite|postgresql|https?)://\S+)$"
)


def test_pseudo_locale_finds_no_untranslated_text(qapp, qtbot, tmp_path, back_to_english):
    ts = ET.parse(resource("i18n", "campaign_studio_de.ts")).getroot()
    known = {
        (context.find("name").text, message.find("source").text)
        for context in ts.iter("context")
        for message in context.iter("message")
    }
    pseudo = PseudoTranslator(qapp, known)
    qapp.installTranslator(pseudo)
    window = make_window(qtbot, tmp_path)
    found = [("menu", a.text()) for a in window.menuBar().actions()]
    found += _texts(
        window.findChild(type(window.nav_buttons["campaigns"].parentWidget()), "sidebar")
    )
    for spec in SCREENS:
        window.show_screen(spec.key)
        found += [(f"{spec.key}: {w}", t) for w, t in _texts(window.screens[spec.key])]
    window.show_screen("campaigns")
    window.campaigns.create("Welcome series", resource("campaigns", "welcome_series.campaign.json"))
    assert window.campaign_page is not None
    found += [(f"canvas: {w}", t) for w, t in _texts(window.campaign_page)]
    assert len(found) > 80
    english = sorted({(w, t) for w, t in found if "⟦" not in t and not DATA.match(t.strip())})
    assert english == [], "\n".join(f"{w}: {t!r}" for w, t in english)
    QApplication.instance().removeTranslator(pseudo)


def test_german_validation_sentences_and_card_summaries(qapp, qtbot, tmp_path, back_to_english):
    """The engine's sentences (validation, the summaries on the cards) follow the language."""
    import json

    from designer.items.node_item import NodeItem

    doc = json.loads(resource("campaigns", "welcome_series.campaign.json").read_text())
    doc["edges"] = [e for e in doc["edges"] if e["from"] != "start"]  # nothing reaches "hello"
    path = tmp_path / "broken.campaign.json"
    path.write_text(json.dumps(doc))
    set_language(qapp, "de")
    window = make_window(qtbot, tmp_path)
    window.campaigns.create("Willkommen", path)
    editor = window.campaign_page.editor
    editor.problems.refresh()
    summaries = {i.node_id: i.summary for i in editor.scene.items() if isinstance(i, NodeItem)}
    assert summaries["pause"] == "2 Tage warten"
    assert summaries["start"] == "Tritt in Segment new-signups ein"
    tree = editor.problems.tree
    messages = [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]
    assert "kein Auslöser erreicht diesen Schritt" in messages
    assert "nach diesem Schritt ist nichts verbunden" in messages
    assert not any("trigger reaches" in m for m in messages)


def test_german_rule_field_and_edge_sentences(back_to_english):
    """The rule language's sentences, a field's value check and a campaign file's edge
    problems follow the language; the command line's English is the source text."""
    import json

    from engine.catalog import check_value
    from engine.fileformat import loads
    from engine.rules import describe_rule, parse_rule
    from engine.validation import validate

    doc = json.loads(resource("campaigns", "welcome_series.campaign.json").read_text())
    doc["edges"].append({"from": "start", "to": "nowhere"})
    doc["nodes"][0]["params"]["filter"] = {"all": [{"field": "plan", "op": "in", "value": "x"}]}

    def sentences() -> list[str]:
        diagram, problems = loads(json.dumps(doc), strict=False)
        return [p.message for p in problems + validate(diagram)]

    english = sentences()
    assert "edge #7 goes to 'nowhere', which is not a node" in english
    assert "Filter: The first condition needs a list of values, separated by commas." in english
    i18n.set_language("de")
    try:
        german = sentences()
        delay = next(p for p in CATALOG["wait.until"].params if p.name == "after_start")
        negative = check_value(delay, "-P1D")
        summary = describe_rule(
            parse_rule({"any": [{"tag": "vip"}, {"field": "plan", "op": "is_set"}]})
        )
    finally:
        i18n.set_language("en")
    assert "Verbindung Nr. 7 führt zu 'nowhere', das ist kein Knoten" in german
    assert (
        "Filter: Die erste Bedingung braucht eine Liste von Werten, durch Kommas getrennt."
        in german
    ), german
    assert negative == "Nach dem Start darf nicht negativ sein"
    assert summary == "mit Tag vip oder plan ist gesetzt"


def test_updating_the_window_strings_keeps_the_finished_plural_forms(tmp_path):
    """lupdate (real, on a small source) drops all but the first plural form of our
    QCoreApplication.translate(..., n) plurals and marks them unfinished; the update script
    puts the finished German forms back, so an update leaves nothing to redo by hand."""
    import importlib.util
    import subprocess
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "translations_script", Path(__file__).parents[2] / "scripts" / "translations.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    source = tmp_path / "shown.py"
    source.write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        "def f(n):\n"
        '    return QCoreApplication.translate("things", "%n warning(s)", "", n)\n'
    )
    ts = tmp_path / "de.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="de"><context><name>things</name>'
        '<message numerus="yes"><source>%n warning(s)</source><translation>'
        "<numerusform>%n Warnung</numerusform><numerusform>%n Warnungen</numerusform>"
        "</translation></message></context></TS>\n",
        encoding="utf-8",
    )
    kept = script._plural_forms(ts)
    command = [script._tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none"]
    subprocess.run([*command, "-target-language", "de", str(source), "-ts", str(ts)],
                   check=True, capture_output=True)  # fmt: skip
    script._mark_plurals(ts, kept)
    translation = ET.parse(ts).getroot().find("context/message/translation")
    assert [f.text for f in translation.iter("numerusform")] == ["%n Warnung", "%n Warnungen"]
    assert translation.get("type") != "unfinished"


def test_the_new_contact_dialog_speaks_german(qapp, qtbot, tmp_path, back_to_english):
    from screen_data import make_database

    from app.contacts import NewContactDialog

    engine = make_database(tmp_path / "c.db", n=3)
    set_language(qapp, "de")
    dialog = NewContactDialog(engine)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Neuer Kontakt"
    dialog.fields["email"].setText("person000001@example.com")  # Anna's
    assert dialog.add() is None
    assert (
        dialog.problem.text() == "Ein Kontakt mit person000001@example.com ist bereits vorhanden."
    )
    dialog.fields["email"].setText("neu@example.com")
    dialog.fields["first_name"].setText("Anna\x01")  # a control character: refused
    assert dialog.add() is None
    assert "control characters" in dialog.problem.text()
