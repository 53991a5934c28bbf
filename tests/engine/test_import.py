"""Imports from real files into real databases, through the functions and the command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest_data import database_url, postgres_server  # noqa: F401
from sqlalchemy import func, select

from engine import store
from engine.db import open_database
from engine.db.schema import contacts, events
from engine.importer import (
    ImportFileError,
    import_contacts,
    import_events,
    import_segments,
    import_templates,
)
from engine.progress import Cancelled
from engine.rule_sql import count_matching

CONTACTS = """\
Email,First Name,last_name,phone,timezone,tags,plan,last_order_days,birthday,newsletter,zip
anna@example.com,Anna,Schmidt,+49 151 000 001,Europe/Berlin,vip;newsletter,pro,120,1990-06-02,yes,\
01067
ben@example.com,Ben,Martin,,Europe/Paris,,free,30,1985-12-24,no,75001
bad-email,Carl,,,,,free,3,1970-01-01,no,10115
,Dora,,,,,free,3,1970-01-01,no,10115
eve@example.com,Eve,,,Mars/Base,,free,3,1970-01-01,no,10115
fay@example.com,Fay,,"too",many,columns,here,1,2,3,4,5
,Gus,,0049 30 1234567,,,free,7,1999-09-09,yes,10115
"hal@example.com","Hal
with a line break",,,,,free,9,2001-01-01,no,10115
ANNA@example.com,Anna-Maria,,,,b2b,,,,,
"""


@pytest.fixture
def db(database_url):  # noqa: F811
    engine = open_database(database_url)
    yield engine
    engine.dispose()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_contacts_csv_rejects_bad_rows_with_line_numbers_and_keeps_the_rest(db, tmp_path):
    report = import_contacts(db, write(tmp_path, "c.csv", CONTACTS))
    assert report.rejected == [
        (4, "bad email 'bad-email' (An email address must have an @-sign)"),
        (5, "no email or phone"),
        (7, "12 columns, the header has 11"),
    ]
    # A bad optional field drops that field, not the contact.
    assert report.warnings == [
        (6, "bad time zone 'Mars/Base' (use names like Europe/Berlin): that field is left out"),
        (9, "first_name 'Hal\\nwith a line break' had control characters: they were removed"),
    ]
    assert (report.inserted, report.updated) == (5, 1)
    assert report.column_kinds == {
        "plan": "text", "last_order_days": "number", "birthday": "date", "newsletter": "boolean",
        "zip": "text",
    }  # fmt: skip
    with db.connect() as conn:
        anna = store.get_contact(conn, store.find_contact(conn, email="anna@example.com"))
        gus = store.get_contact(conn, store.find_contact(conn, phone="+49301234567"))
        hal = store.get_contact(conn, store.find_contact(conn, email="hal@example.com"))
    # the second Anna row updated the first: new name and tag, empty cells kept old values
    assert anna["first_name"] == "Anna-Maria" and anna["last_name"] == "Schmidt"
    assert anna["phone"] == "+49151000001" and anna["tags"] == ["b2b", "newsletter", "vip"]
    assert anna["attributes"] == {"plan": "pro", "last_order_days": 120, "birthday": "1990-06-02",
                                  "newsletter": True, "zip": "01067"}  # fmt: skip
    assert gus["email"] is None and gus["attributes"]["last_order_days"] == 7
    # a name is one line (it goes into greetings and the To: header)
    assert hal["first_name"] == "Hal with a line break"


def test_control_characters_are_removed_with_a_warning_and_the_contact_kept(db, tmp_path):
    text = (
        "email,first_name,last_name,tags,note\r\n"
        'anna@example.com,Anna\x01,Mül\x00ler,vip\x07,"two\r\nlines\x1b"\r\n'
        'ben@example.com,Ben,Martin,,"a lone\rCR\ttab"\r\n'
        'cleo@example.com,Cleo,,,"line\r\nbreak"\r\n'
    )
    report = import_contacts(db, write(tmp_path, "c.csv", text))
    assert report.rejected == [] and report.inserted == 3
    assert report.warnings == [
        (2, "first_name 'Anna\\x01' had control characters: they were removed"),
        (2, "last_name 'Mül\\x00ler' had control characters: they were removed"),
        (2, "note 'two\\r\\nlines\\x1b' had control characters: they were removed"),
        (2, "tags 'vip\\x07' had control characters: they were removed"),
        (4, "note 'a lone\\rCR\\ttab' had control characters: they were removed"),
    ]
    with db.connect() as conn:
        anna = store.get_contact(conn, store.find_contact(conn, email="anna@example.com"))
        ben = store.get_contact(conn, store.find_contact(conn, email="ben@example.com"))
        cleo = store.get_contact(conn, store.find_contact(conn, email="cleo@example.com"))
    assert (anna["first_name"], anna["last_name"], anna["tags"]) == ("Anna", "Müller", ["vip"])
    # free text keeps tab, LF and CR LF; a lone CR becomes a line feed
    assert anna["attributes"]["note"] == "two\r\nlines"
    assert ben["attributes"]["note"] == "a lone\nCR\ttab"
    assert cleo["attributes"]["note"] == "line\r\nbreak"


def test_control_characters_are_removed_from_imported_events(db, tmp_path):
    import_contacts(db, write(tmp_path, "c.csv", "email\nanna@example.com\n"))
    text = "email,event,occurred_at,note\nanna@example.com,sign\x01up,2026-01-02,a\x00b\n"
    report = import_events(db, write(tmp_path, "e.csv", text))
    assert report.inserted == 1 and report.rejected == []
    assert sorted(report.warnings) == [
        (2, "event 'sign\\x01up' had control characters: they were removed"),
        (2, "note 'a\\x00b' had control characters: they were removed"),
    ]
    with db.connect() as conn:
        event = conn.execute(select(events.c.name, events.c.properties)).one()
    assert (event.name, event.properties) == ("signup", {"note": "ab"})


def test_the_contacts_store_refuses_control_characters_in_core_fields(db):
    with db.begin() as conn:
        with pytest.raises(store.StoreError, match="first_name 'Anna\\\\x01' has control"):
            store.create_contact(conn, email="a@example.com", first_name="Anna\x01")
        contact_id = store.create_contact(conn, email="a@example.com", first_name="Anna")
        with pytest.raises(store.StoreError, match="control characters"):
            store.update_contact(conn, contact_id, {"last_name": "Li\x00"})


def test_imported_attributes_are_typed_for_rules(db, tmp_path):
    import_contacts(db, write(tmp_path, "c.csv", CONTACTS))
    now = dt.datetime(2026, 1, 1)
    with db.connect() as conn:
        assert count_matching(conn, {"field": "last_order_days", "op": "ge", "value": 30}, now) == 2
        assert count_matching(conn, {"field": "newsletter", "op": "eq", "value": True}, now) == 2
        # Ben, and Eve (kept without her bad time zone)
        assert count_matching(conn, {"field": "birthday", "op": "lt", "value": "1989-01-01"},
                              now) == 2  # fmt: skip
        assert count_matching(conn, {"field": "zip", "op": "starts_with", "value": "0"}, now) == 1


def test_importing_the_same_file_twice_updates_instead_of_duplicating(db, tmp_path):
    path = write(tmp_path, "c.csv", CONTACTS)
    import_contacts(db, path)
    again = import_contacts(db, path)
    assert again.inserted == 0 and again.updated == 6
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(contacts)) == 5


def test_phone_identifies_contacts_without_email(db, tmp_path):
    import_contacts(db, write(tmp_path, "a.csv", "phone,first_name\n+4930111,Ann\n"))
    report = import_contacts(db, write(tmp_path, "b.csv", "phone,email\n0049 30 111,ann@x.org\n"))
    assert (report.inserted, report.updated) == (0, 1)
    with db.connect() as conn:
        assert store.get_contact(conn, 1)["email"] == "ann@x.org"


EVENTS = """\
email,event,occurred_at,amount,product
anna@example.com,purchase,2026-03-01T10:00:00,30.5,shoes
anna@example.com,purchase,2026-03-02T10:00:00+02:00,12,hat
ben@example.com,page_view,2026-03-03,,
nobody@example.com,purchase,2026-03-01T10:00:00,5,sock
ben@example.com,purchase,yesterday,5,sock
ben@example.com,,2026-03-01,5,sock
"""


def test_events_csv(db, tmp_path):
    import_contacts(db, write(tmp_path, "c.csv", CONTACTS))
    path = write(tmp_path, "e.csv", EVENTS)
    report = import_events(db, path)
    assert report.rejected == [
        (5, "no contact with email nobody@example.com"),
        (6, "bad date/time 'yesterday' (use ISO 8601, e.g. 2026-03-01T09:30:00)"),
        (7, "no event name"),
    ]
    assert report.inserted == 3 and report.column_kinds == {"amount": "number", "product": "text"}
    with db.connect() as conn:
        rows = conn.execute(select(events.c.name, events.c.occurred_at, events.c.properties)
                            .order_by(events.c.occurred_at)).all()  # fmt: skip
    assert rows[1] == ("purchase", dt.datetime(2026, 3, 2, 8, 0), {"amount": 12, "product": "hat"})
    assert rows[2] == ("page_view", dt.datetime(2026, 3, 3), {})
    again = import_events(db, path)
    assert again.inserted == 0 and again.skipped == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("first_name,plan\nAnn,pro\n", "needs an email or a phone column"),
        ("email,,plan\na@b.co,1,2\n", "column 2 has no name"),
    ],
)
def test_bad_contact_files(db, tmp_path, text, message):
    with pytest.raises(ImportFileError, match=message):
        import_contacts(db, write(tmp_path, "bad.csv", text))


def test_repeated_headers_keep_every_column(db, tmp_path):
    report = import_contacts(db, write(tmp_path, "r.csv", "email,plan,Plan\na@b.co,1,2\n"))
    assert report.notes == ["column 3 repeats 'Plan': kept as attribute plan_2"]
    with db.connect() as conn:
        ann = store.get_contact(conn, store.find_contact(conn, email="a@b.co"))
    assert ann["attributes"] == {"plan": 1, "plan_2": 2}


def test_windows_1252_text_is_read_and_missing_files_are_named(db, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("email,name\ncafé@example.com,Zoë\n".encode("cp1252"))
    assert import_contacts(db, path).inserted == 1
    with db.connect() as conn:
        zoe = store.get_contact(conn, store.find_contact(conn, email="café@example.com"))
    assert zoe["attributes"] == {"name": "Zoë"}
    with pytest.raises(ImportFileError, match="no such file"):
        import_events(db, tmp_path / "missing.csv")


def test_semicolon_files_and_progress_and_cancel(db, tmp_path):
    rows = "\n".join(f"p{i}@example.com;{i}" for i in range(5000))
    path = write(tmp_path, "semi.csv", "email;visits\n" + rows + "\n")
    seen = []
    report = import_contacts(db, path, progress=lambda done, total: seen.append((done, total)))
    assert report.inserted == 5000 and seen[-1] == (1000, 1000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    def cancel(done, total):
        if done > 300:
            raise Cancelled()

    path2 = write(tmp_path, "more.csv", "email\n" + "\n".join(f"q{i}@x.org" for i in range(5000)))
    with pytest.raises(Cancelled):
        import_contacts(db, path2, progress=cancel)
    with db.connect() as conn:  # a cancelled import leaves nothing behind
        assert conn.scalar(select(func.count()).select_from(contacts)) == 5000


def test_segments_and_templates_json(db, tmp_path):
    import_contacts(db, write(tmp_path, "c.csv", CONTACTS))
    segments = {
        "pros": {"rule": {"field": "plan", "op": "eq", "value": "pro"}, "description": "paying"},
        "picked": {"members": ["ben@example.com", "ghost@example.com", 1]},
        "pros-or-picked": {"rule": {"any": [{"segment": "pros"}, {"segment": "picked"}]}},
        "broken": {"rule": {"field": "plan", "op": "like", "value": "x"}},
        "dangling": {"rule": {"segment": "nowhere"}},
    }
    report = import_segments(db, write(tmp_path, "s.json", json.dumps(segments)))
    assert report.inserted == 3 and report.unit == "item"
    assert [r[0] for r in report.rejected] == [2, 4, 5]
    assert "ghost@example.com" in report.rejected[0][1]
    assert "unknown operator" in report.rejected[1][1]
    assert "unknown segment(s) nowhere" in report.rejected[2][1]
    with db.connect() as conn:
        assert count_matching(conn, "pros-or-picked", dt.datetime(2026, 1, 1)) == 2
    templates = [
        {"name": "hi", "subject": "Hi {{ contact.first_name }}", "html": "<p>Hi</p>"},
        {"name": "ping", "channel": "sms", "body": "Hey {{ contact.first_name }}"},
        {"name": "bad", "subject": "x", "text": "Hello {{ contact.first_name"},
        {"name": "nosubject", "text": "x"},
        {"name": "fromfile", "subject": "S", "html_file": "body.html"},
    ]
    write(tmp_path, "body.html", "<h1>{{ contact.first_name }}</h1>")
    report = import_templates(db, write(tmp_path, "t.json", json.dumps(templates)))
    assert report.inserted == 3 and [r[0] for r in report.rejected] == [3, 4]
    assert "text line 1 does not compile" in report.rejected[0][1]
    with db.connect() as conn:
        assert store.get_template(conn, "ping")["text"] == "Hey {{ contact.first_name }}"
        assert store.get_template(conn, "fromfile")["html"].startswith("<h1>")
    with pytest.raises(ImportFileError, match="line 1: not valid JSON"):
        import_templates(db, write(tmp_path, "x.json", "{nope"))


def cli(*args: str) -> subprocess.CompletedProcess:
    """The installed command, as a user runs it (output piped: no progress bar)."""
    # The checkout's own script, never an installed package's copy found on PATH.
    exe = str(Path(sys.executable).with_name("campaign-studio"))
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


def test_command_line_exit_codes_and_messages(tmp_path):
    db = str(tmp_path / "cli.db")
    good = write(tmp_path, "good.csv", "email\n" + "\n".join(f"a{i}@x.org" for i in range(3000)))
    result = cli("import", "contacts", str(good), "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "\r" not in result.stderr  # no progress bar when piped
    assert "3000 added" in result.stderr
    result = cli("import", "contacts", str(write(tmp_path, "c.csv", CONTACTS)), "--db", db)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "line 4: bad email 'bad-email' (An email address must have an @-sign)" in lines
    assert (
        "line 6: warning: bad time zone 'Mars/Base' (use names like Europe/Berlin): that "
        "field is left out" in lines
    )
    assert "3 rejected, 1 fields left out, 1 fields cleaned" in result.stderr
    assert (
        "line 9: warning: first_name 'Hal\\nwith a line break' had control characters: they "
        "were removed" in lines
    )
    result = cli("import", "events", str(tmp_path / "none.csv"), "--db", db)
    assert result.returncode == 2 and "no such file" in result.stderr
    assert "Traceback" not in result.stderr
    # Without --db the user's own database is used (DESIGN.md), never a test's neighbour's.
    home = tmp_path / "home"
    env = {**os.environ, "XDG_DATA_HOME": str(home)}
    env.pop("CAMPAIGN_STUDIO_DATA_DIR", None)  # another test may have set it
    exe = str(Path(sys.executable).with_name("campaign-studio"))
    default = subprocess.run(
        [exe, "import", "contacts", str(good)], capture_output=True, text=True, env=env
    )
    assert default.returncode == 0, default.stderr
    assert (home / "campaign-studio" / "campaign-studio.db").is_file()


def test_progress_bar_on_a_terminal_and_stages():
    import io

    from engine.progress import stages, terminal_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    with terminal_progress("Importing contacts", stream=screen) as progress:
        progress(50, 100)
        progress(100, 100)
    assert "Importing contacts" in screen.getvalue() and "100/100" in screen.getvalue()
    piped = io.StringIO()
    with terminal_progress("Importing contacts", stream=piped) as progress:
        progress(100, 100)
    assert piped.getvalue() == ""
    seen = []
    first, second = stages(lambda d, t: seen.append((d, t)), [1, 3])
    first(5, 10)
    second(10, 10)
    assert seen == [(125, 1000), (1000, 1000)]


@pytest.mark.slow
def test_import_memory_stays_flat_as_the_file_grows(tmp_path):
    """Rows are streamed in batches: four times the rows must not take four times the memory."""
    import tracemalloc

    def peak(rows: int) -> int:
        path = tmp_path / f"m{rows}.csv"
        with path.open("w", encoding="utf-8") as handle:
            handle.write("email,first_name,plan,visits,note\n")
            for i in range(rows):
                handle.write(f"m{i}@example.com,Name{i},pro,{i},some words about {i}\n")
        engine = open_database(tmp_path / f"m{rows}.db")
        tracemalloc.start()
        report = import_contacts(engine, path)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        engine.dispose()
        assert report.inserted == rows
        return top

    small, large = peak(3000), peak(12000)
    assert large < small * 1.6, (small, large)


def test_an_import_can_unsubscribe_but_never_resubscribe(db, tmp_path):
    import_contacts(db, write(tmp_path, "a.csv", "email,unsubscribed\na@x.org,yes\nb@x.org,no\n"))
    import_contacts(db, write(tmp_path, "b.csv", "email,unsubscribed\na@x.org,no\nb@x.org,yes\n"))
    with db.connect() as conn:
        flags = dict(conn.execute(select(contacts.c.email, contacts.c.unsubscribed)).all())
    assert flags == {"a@x.org": True, "b@x.org": True}
