"""Imports of files with the exact headers the tools people leave write (tests/engine/data/
imports: Mailchimp's three audience files, Mautic, HubSpot, Brevo, ERPNext, Excel's
Windows-1252 and UTF-16 saves), checked contact by contact, field by field."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from engine import store
from engine.db import open_database
from engine.import_mapping import MappingError, build_mapping, parse_map_options, recognise
from engine.importer import ImportFileError, import_contacts, plan_import, tag_list
from engine.settings import save_settings

DATA = Path(__file__).parent / "data" / "imports"


@pytest.fixture
def db(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'real.db'}")
    yield engine
    engine.dispose()


def contact(db, email=None, phone=None) -> dict:
    with db.connect() as conn:
        found = store.find_contact(conn, email=email, phone=phone)
        assert found is not None, f"no contact {email or phone}"
        return store.get_contact(conn, found)


def test_mailchimp_subscribed_export_rfc4180_quotes_tags_and_idn(db):
    report = import_contacts(db, DATA / "mailchimp_subscribed.csv")
    assert report.preset == "mailchimp"
    assert (report.inserted, report.rejected, report.warnings) == (3, [], [])
    bob = contact(db, "robert@example.com")
    assert bob["first_name"] == 'Robert "Bob"' and bob["last_name"] == "Miller"
    assert bob["tags"] == ["Blog", "VIP"]
    assert bob["timezone"] == "Europe/Berlin"
    assert bob["created_at"] == dt.datetime(2023, 2, 1, 9, 15)
    assert (bob["unsubscribed"], bob["bounced"]) == (False, False)
    assert bob["attributes"] == {
        "member_rating": 4, "confirmed_at": "2023-02-01T09:16:02", "country": "DE",
        "region": "BE", "notes": "Met at the fair\r\nasked for the catalogue",
    }  # fmt: skip
    nofirst = contact(db, "nofirst@example.com")
    assert nofirst["first_name"] is None and nofirst["last_name"] == "Nguyen"
    assert nofirst["tags"] == []
    chloe = contact(db, "chloé@exämple.de")
    assert chloe["email"] == "chloé@exämple.de" and chloe["tags"] == ["Newsletter"]


def test_mailchimp_unsubscribed_and_cleaned_exports_are_never_sendable(db):
    report = import_contacts(db, DATA / "mailchimp_unsubscribed.csv")
    assert report.preset == "mailchimp-unsubscribed" and report.inserted == 2
    greta = contact(db, "gone@example.com")
    assert greta["unsubscribed"] is True and greta["bounced"] is False
    assert greta["attributes"]["unsubscribed_at"] == "2024-03-01T18:30:00"
    assert greta["attributes"]["unsubscribe_reason"] == "I no longer want to receive these emails"
    assert greta["tags"] == ["Customers"]
    # No UNSUB_TIME on the row: the file itself says the person unsubscribed.
    assert contact(db, "quiet@example.com")["unsubscribed"] is True

    report = import_contacts(db, DATA / "mailchimp_cleaned.csv")
    assert report.preset == "mailchimp-cleaned"
    bea = contact(db, "bounced@example.com")
    assert bea["bounced"] is True and bea["unsubscribed"] is False
    assert bea["attributes"]["cleaned_at"] == "2024-01-02T03:04:05"

    # An import of the subscribed file later never makes them sendable again.
    import_contacts(db, DATA / "mailchimp_subscribed.csv")
    assert contact(db, "gone@example.com")["unsubscribed"] is True


def test_mailchimp_export_with_repeated_unsub_columns(db):
    report = import_contacts(db, DATA / "mailchimp_unsubscribed_2013.csv")
    assert report.preset == "mailchimp-unsubscribed" and report.rejected == []
    assert any("repeats 'UNSUB_REASON'" in n for n in report.notes)
    rick = contact(db, "rick@example.org")
    assert rick["unsubscribed"] is True and rick["timezone"] == "America/Los_Angeles"
    assert rick["attributes"]["name"] == "Rick Hawkins"
    assert rick["attributes"]["languages"] == "JavaScript, Perl, PHP"
    assert "leid" not in rick["attributes"] and "optin_ip" not in rick["attributes"]


def test_mautic_export_mobile_is_the_phone_points_the_score(db):
    report = import_contacts(db, DATA / "mautic_contacts.csv")
    assert report.preset == "mautic"
    assert (report.inserted, report.rejected, report.warnings) == (2, [], [])
    marco = contact(db, "marco@example.it")
    assert marco["phone"] == "+393471234567"
    assert marco["attributes"]["landline"] == "+39 06 1234 5678"
    assert marco["score"] == 42 and marco["timezone"] == "Europe/Rome"
    assert marco["created_at"] == dt.datetime(2021, 9, 14, 8, 30)
    assert (marco["first_name"], marco["last_name"]) == ("Marco", "Rossi")
    assert marco["attributes"]["mautic_id"] == "17" and marco["attributes"]["stage"] == "Lead"
    ana = contact(db, "ana@example.br")
    assert ana["phone"] is None and ana["score"] == 7
    assert ana["created_at"] == dt.datetime(2022, 11, 2, 17, 45, 10)


def test_hubspot_export_an_odd_phone_drops_the_phone_not_the_contact(db):
    report = import_contacts(db, DATA / "hubspot_contacts.csv")
    assert report.preset == "hubspot"
    assert report.inserted == 2 and report.rejected == []
    assert [line for line, _ in report.warnings] == [2]
    assert "0212 555 01 00 ext. 12" in report.warnings[0][1]
    deniz = contact(db, "deniz@example.com.tr")
    assert deniz["phone"] is None and deniz["last_name"] == "Yılmaz"
    assert deniz["timezone"] == "Europe/Istanbul"
    assert deniz["created_at"] == dt.datetime(2023, 6, 12, 14, 3)
    assert deniz["unsubscribed"] is False
    olivia = contact(db, "olivia@example.com")
    assert olivia["phone"] == "+16504508812" and olivia["unsubscribed"] is True
    assert olivia["attributes"]["mobile"] == "+1 650 555 0199"
    assert olivia["attributes"]["hubspot_id"] == "52"


def test_hubspot_phone_with_the_default_region_keeps_the_number(db):
    save_settings(db, {"phone_region": "TR"})
    report = import_contacts(db, DATA / "hubspot_contacts.csv")
    assert report.warnings == []
    assert contact(db, "deniz@example.com.tr")["phone"] == "+902125550100"


def test_brevo_export_semicolons_bom_and_blacklist(db):
    report = import_contacts(db, DATA / "brevo_contacts.csv")
    assert report.preset == "brevo" and report.inserted == 2, report.warnings
    lea = contact(db, "lea@example.fr")
    assert (lea["first_name"], lea["last_name"]) == ("Léa", "Martin")
    assert lea["created_at"] == dt.datetime(2023, 5, 6, 7, 8, 9)
    assert lea["unsubscribed"] is False and lea["attributes"]["brevo_id"] == "101"
    assert contact(db, "paul@example.fr")["unsubscribed"] is True


def test_brevo_phone_without_plus_is_read_with_the_region_or_left_out(db):
    report = import_contacts(db, DATA / "brevo_contacts.csv", region="FR")
    assert report.warnings == [] and contact(db, "lea@example.fr")["phone"] == "+33612345678"


def test_erpnext_leads_and_contacts(db):
    report = import_contacts(db, DATA / "erpnext_leads.csv")
    assert report.preset == "erpnext-lead" and report.inserted == 2
    ravi = contact(db, "ravi@example.in")
    assert ravi["phone"] == "+919876543210" and ravi["unsubscribed"] is False
    assert ravi["attributes"]["company"] == "Kumar Traders"
    meera = contact(db, "meera@example.in")
    assert meera["unsubscribed"] is True and meera["phone"] is None
    assert meera["attributes"]["landline"] == "+91 22 2345 6789"
    report = import_contacts(db, DATA / "erpnext_contacts.csv")
    assert report.preset == "erpnext-contact"
    hans = contact(db, "hans@example.de")
    assert hans["phone"] == "+491712345678" and hans["unsubscribed"] is True
    assert hans["attributes"]["erpnext_id"] == "Hans Weber-Weber Bau"


def test_excel_windows_1252_with_semicolons(db):
    source, _ = plan_import(DATA / "excel_cp1252_semicolon.csv")
    assert (source.encoding, source.delimiter) == ("cp1252", ";")
    report = import_contacts(db, DATA / "excel_cp1252_semicolon.csv")
    assert report.inserted == 2 and report.rejected == []
    jurgen = contact(db, "jürgen@example.de")
    assert jurgen["attributes"] == {"vorname": "Jürgen", "nachname": "Größe",
                                    "stadt": "München", "umsatz": "1200,50"}  # fmt: skip
    assert contact(db, "zoe@example.com")["attributes"]["stadt"] == "Besançon – Doubs"


def test_excel_utf16_tab_separated(db):
    source, _ = plan_import(DATA / "excel_utf16_tabs.txt")
    assert (source.encoding, source.delimiter) == ("utf-16", "\t")
    import_contacts(db, DATA / "excel_utf16_tabs.txt")
    kenji = contact(db, "kenji@example.jp")
    assert kenji["first_name"] == "健二" and kenji["attributes"] == {"city": "東京"}
    assert contact(db, "ola@example.no")["attributes"] == {"city": "Tromsø"}


def test_quoted_delimiters_in_the_first_line_do_not_fool_the_dialect(db, tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('"email","note; with semicolons"\n"a@example.com","x; y"\n'
                    '"b@example.com","Robert ""Bob"" Smith"\n', encoding="utf-8")  # fmt: skip
    report = import_contacts(db, path)
    assert report.inserted == 2
    assert contact(db, "b@example.com")["attributes"] == {
        "note_with_semicolons": 'Robert "Bob" Smith'
    }


def test_map_and_preset_options_choose_the_columns(db, tmp_path):
    path = tmp_path / "own.csv"
    text = "Mail,Handy,Punkte,Kunde seit,Notiz\na@example.com,+49 171 1111111,12,2020-01-02,hi\n"
    path.write_text(text, encoding="utf-8")
    columns = parse_map_options(["Mail=email", "Handy=phone", "Punkte=score",
                                 "Kunde seit=created_at", "Notiz=ignore"])  # fmt: skip
    report = import_contacts(db, path, columns=columns)
    ann = contact(db, "a@example.com")
    assert ann["phone"] == "+491711111111" and ann["score"] == 12
    assert ann["created_at"] == dt.datetime(2020, 1, 2) and ann["attributes"] == {}
    assert report.column_kinds == {}
    with pytest.raises(ImportFileError, match="both map to email"):
        import_contacts(db, path, columns={"Mail": "email", "Notiz": "email"})
    with pytest.raises(ImportFileError, match="names no column 'Nope'"):
        import_contacts(db, path, columns={"Nope": "email"})
    with pytest.raises(ImportFileError, match="no import preset 'acme'"):
        import_contacts(db, path, preset="acme")
    with pytest.raises(MappingError, match="write COLUMN=FIELD"):
        parse_map_options(["Mail"])


def test_two_columns_on_one_field_are_resolved_before_import():
    mapping = build_mapping(["email", "mobile", "phone"])
    assert [(c.header, c.target) for c in mapping.columns] == [
        ("email", "email"), ("mobile", "mobile"), ("phone", "phone"),
    ]  # fmt: skip
    assert mapping.notes == [
        "'mobile' and 'phone' both look like phone: 'phone' is used, 'mobile' is kept as "
        "attribute mobile"
    ]
    assert recognise(["Email", "Phone"]) is None


def test_tag_cells_in_the_formats_tools_write():
    assert tag_list('"VIP","Blog"') == ["VIP", "Blog"]
    assert tag_list("vip; newsletter") == ["vip", "newsletter"]
    assert tag_list("a,b") == ["a", "b"]
    assert tag_list('"Comma, inside","x"') == ["Comma, inside", "x"]


def test_cli_map_preset_and_saved_preset(tmp_path):
    db = str(tmp_path / "cli.db")
    path = tmp_path / "own.csv"
    path.write_text("Mail,Handy\na@example.com,+49 171 1111111\n", encoding="utf-8")
    exe = str(Path(sys.executable).with_name("campaign-studio"))  # the checkout's own script
    cli = [exe, "import", "contacts", str(path), "--db", db]
    result = subprocess.run([*cli, "--map", "Mail=email", "--map", "Handy=phone",
                             "--save-preset", "shop"], capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "preset 'shop' saved" in result.stderr
    path.write_text("Mail,Handy\nb@example.com,+49 171 2222222\n", encoding="utf-8")
    result = subprocess.run([*cli, "--preset", "shop"], capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    engine = open_database(db)
    try:
        assert contact(engine, "b@example.com")["phone"] == "+491712222222"
    finally:
        engine.dispose()
    result = subprocess.run([*cli, "--map", "Mail"], capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 2 and "write COLUMN=FIELD" in result.stderr
    assert "Traceback" not in result.stderr
    result = subprocess.run([*cli, "--preset", "nope"], capture_output=True, text=True,
                            timeout=60, check=False)  # fmt: skip
    assert result.returncode == 2 and "no import preset 'nope'" in result.stderr


def test_events_columns_mapped_with_map(db, tmp_path):
    from engine.importer import import_events

    import_contacts(db, DATA / "mautic_contacts.csv")
    path = tmp_path / "orders.csv"
    path.write_text("Kunde;Was;Wann;Betrag\nmarco@example.it;purchase;2026-03-01 10:00:00;"
                    "12,5\n", encoding="utf-8")  # fmt: skip
    columns = {"Kunde": "email", "Was": "event", "Wann": "occurred_at", "Betrag": "amount:text"}
    report = import_events(db, path, columns=columns)
    assert (report.inserted, report.rejected) == (1, [])
    assert report.column_kinds == {"amount": "text"}
    with pytest.raises(ImportFileError, match="missing occurred_at"):
        import_events(db, path, columns={"Kunde": "email", "Was": "event"})
