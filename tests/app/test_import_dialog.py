"""Importing contacts through the dialog: preview and inferred types, the import on a
worker thread, and the report of rejected rows with their line numbers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from screen_data import make_database
from sqlalchemy import func, select

from app.contacts import ContactsScreen
from app.import_dialog import ImportDialog, value_type
from engine.db.schema import contact_tags, contacts, events

CSV = """email,first_name,last_name,timezone,tags,plan,age,vip_since
ana@example.com,Ana,Lopez,Europe/Madrid,vip;newsletter,pro,34,2024-02-01
person000002@example.com,Ben,Updated,Europe/Paris,,team,28,2023-11-15
not-an-email,Cy,Park,Asia/Seoul,,team,41,2022-06-30
dee@example.com,Dee,Okafor,Africa/Lagos,trial,free,23,2025-01-20
"""


def choices(dialog: ImportDialog) -> dict[str, tuple[str, str, str]]:
    """What the mapping step shows per column: target, attribute name, type."""
    table = dialog.mapping_table
    return {
        table.item(r, 0).text(): (table.cellWidget(r, 1).currentText(),
                                  table.cellWidget(r, 2).text(),
                                  table.cellWidget(r, 3).currentText())
        for r in range(table.rowCount())
    }  # fmt: skip


def test_types_are_inferred_when_every_value_parses():
    assert value_type(["1", "2.5", ""]) == "number"
    assert value_type(["yes", "No"]) == "boolean"
    assert value_type(["2024-01-02", "2024-01-03T10:00"]) == "date"
    assert value_type(["12", "twelve"]) == "text"


def test_import_contacts_with_a_bad_row_reports_its_line(qtbot, tmp_path):
    engine = make_database(tmp_path / "i.db", n=5)
    csv_path = tmp_path / "people.csv"
    csv_path.write_text(CSV, encoding="utf-8")
    screen = ContactsScreen(engine)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.model.rowCount() == 5

    qtbot.mouseClick(screen.table.import_button, Qt.MouseButton.LeftButton)
    dialog = screen.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.file_edit.setFocus()
    qtbot.keyClicks(dialog.file_edit, str(csv_path))
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)

    # The preview shows the first rows and how each column will be read.
    assert dialog.preview_table.rowCount() == 4
    assert dialog.preview_table.item(2, 0).text() == "not-an-email"
    mapping = choices(dialog)
    assert mapping["email"][0].startswith("Email")
    assert mapping["tags"][0] == "Tags, separated by ;"
    assert mapping["age"] == ("attribute", "age", "number (from the values)")
    assert mapping["vip_since"] == ("attribute", "vip_since", "date (from the values)")
    assert mapping["plan"] == ("attribute", "plan", "text (from the values)")
    assert dialog.import_button.isEnabled()

    with qtbot.waitSignal(dialog.imported, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 2
    rejected = dialog.rejected_rows()
    assert [line for line, _ in rejected] == [4]  # the header is line 1
    assert "email" in rejected[0][1].lower()
    assert "2 contacts added" in dialog.summary.text()
    assert "1 updated" in dialog.summary.text()
    assert "1 row rejected" in dialog.summary.text()
    dialog.save_report(tmp_path / "rejected.csv")
    saved = (tmp_path / "rejected.csv").read_text(encoding="utf-8").splitlines()
    assert saved[0] == "line,reason,row"
    assert saved[1].startswith("4,") and "not-an-email,Cy,Park" in saved[1]

    with engine.connect() as conn:
        ana = conn.execute(select(contacts).where(contacts.c.email == "ana@example.com")).one()
        tags = set(
            conn.scalars(select(contact_tags.c.tag).where(contact_tags.c.contact_id == ana.id))
        )
        ben = conn.execute(select(contacts).where(contacts.c.id == 2)).one()
        cy = conn.execute(select(contacts).where(contacts.c.first_name == "Cy")).first()
    assert ana.attributes["age"] == 34
    assert tags == {"vip", "newsletter"}
    assert ben.last_name == "Updated"
    assert cy is None
    # The contacts table picked up the new rows.
    assert screen.model.rowCount() == 7


def test_a_file_without_an_identifying_column_is_refused(qtbot, tmp_path):
    engine = make_database(tmp_path / "i.db", n=3)
    path = tmp_path / "bad.csv"
    path.write_text("name,plan\nAna,pro\n", encoding="utf-8")
    dialog = ImportDialog(engine, path=str(path))
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert "email or a phone column" in dialog.problem.text()
    assert not dialog.set_file(str(tmp_path / "missing.csv"))
    assert "There is no file" in dialog.problem.text()


def test_a_long_import_shows_progress_and_can_be_cancelled(qtbot, tmp_path):
    engine = make_database(tmp_path / "i.db", n=3)
    path = tmp_path / "many.csv"
    lines = ["email,first_name,plan"] + [f"bulk{i}@example.com,Bulk,pro" for i in range(40_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialog = ImportDialog(engine, path=str(path))
    qtbot.addWidget(dialog)
    dialog.show()
    assert "500 (and more)" in dialog.preview_title.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1  # the progress page
    assert dialog.cancel_button.text() == "Cancel import"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30000)
    assert dialog.report is None
    assert dialog.problem.text().startswith("Import cancelled")
    assert dialog.pages.currentIndex() == 0
    assert dialog.isVisible()  # cancelling the import does not close the dialog
    with engine.connect() as conn:
        imported = conn.scalar(select(func.count()).select_from(contacts))
    assert imported < 40_003


def test_import_events_reports_unknown_contacts_by_line(qtbot, tmp_path):
    engine = make_database(tmp_path / "i.db", n=5)
    path = tmp_path / "events.csv"
    path.write_text(
        "email,event,occurred_at,amount\n"
        "person000001@example.com,purchase,2026-02-01T10:00:00,49.5\n"
        "stranger@example.com,purchase,2026-02-01T11:00:00,10\n"
        "person000002@example.com,purchase,2026-02-02T09:30:00,12\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(engine, kind="events")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.header.title.text() == "Import events"
    assert dialog.set_file(str(path))
    becomes = list(choices(dialog).values())
    assert becomes[1][0] == "Event name"
    assert becomes[3] == ("event property", "amount", "number (from the values)")
    with qtbot.waitSignal(dialog.imported, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text().startswith("2 events added")
    rejected = dialog.rejected_rows()
    assert [line for line, _ in rejected] == [3]
    assert "stranger@example.com" in rejected[0][1]
    with engine.connect() as conn:
        amounts = sorted(
            row.properties["amount"]
            for row in conn.execute(select(events).where(events.c.occurred_at >= "2026-02-01"))
        )
    assert amounts == [12, 49.5]


def test_the_preview_reads_headers_as_the_importer_does(qtbot, tmp_path):
    engine = make_database(tmp_path / "i.db", n=1)
    path = tmp_path / "crm.csv"
    text = "E-mail;First Name;Mobile;Opted out;id;Signed up\n"
    text += "a@example.com;Ann;+4917012345678;no;7;2024-05-01\n"
    path.write_text(text, encoding="utf-8")
    dialog = ImportDialog(engine, path=str(path))
    qtbot.addWidget(dialog)
    plan = list(choices(dialog).values())
    assert plan[0][0].startswith("Email")
    assert plan[1][0] == "First name"
    assert plan[2][0].startswith("Phone")
    assert plan[3][0] == "Unsubscribed (yes/no)"
    assert plan[4][0].startswith("ignored")
    assert plan[5] == ("attribute", "signed_up", "date (from the values)")
    assert dialog.import_button.isEnabled()


def test_the_mapping_step_recognises_exports_shows_conflicts_and_saves_presets(qtbot, tmp_path):
    engine = make_database(tmp_path / "i.db", n=1)
    path = tmp_path / "subscribed_members_export.csv"
    path.write_text(
        '"Email Address","First Name","Last Name",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,'
        "CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,"
        "UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER,"
        "LEID,EUID,NOTES,TAGS\n"
        'gone@example.com,Greta,Olsen,1,,,,,,,,,,SE,,"2024-03-01 18:30:00",Sale,a1,'
        'Too many,,1,e1,+49 171 1234567,"""Customers"""\n',
        encoding="utf-8",
    )
    dialog = ImportDialog(engine, path=str(path))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.preset.currentData() == "mailchimp-unsubscribed"
    assert dialog.preset.currentText() == "Mailchimp (unsubscribed members)"
    mapping = choices(dialog)
    assert mapping["Email Address"][0].startswith("Email")
    assert mapping["LEID"][0] == "ignored" and mapping["TAGS"][0].startswith("Tags")
    assert mapping["UNSUB_TIME"] == ("attribute", "unsubscribed_at", "date")
    # Two columns on one field: said before Import, and Import waits.
    dialog.set_column("NOTES", "email")
    assert not dialog.import_button.isEnabled()
    assert "both map to email" in dialog.problem.text()
    dialog.set_column("NOTES", "phone")
    assert dialog.import_button.isEnabled() and dialog.problem.isHidden()
    dialog.set_column("REGION", "ignore")
    dialog.grab().save(str(tmp_path / "mapping.png"))
    dialog.save_preset("my mailchimp")
    assert dialog.preset.currentText() == "Saved: my mailchimp"

    with qtbot.waitSignal(dialog.imported, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "1 contact added" in dialog.summary.text()
    with engine.connect() as conn:
        greta = conn.execute(select(contacts).where(contacts.c.email == "gone@example.com")).one()
    assert greta.phone == "+491711234567" and greta.unsubscribed
    assert greta.attributes["unsubscribed_at"] == "2024-03-01T18:30:00"
    assert "region" not in greta.attributes
