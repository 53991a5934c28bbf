"""Filters and bulk actions of the contacts screen, on a real SQLite file of 3,000 contacts
imported from CSV; the export read back with the csv module; the CLI's export filters."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from engine import contact_bulk as bulk
from engine import store
from engine.cli import main
from engine.db import open_database
from engine.db.schema import contact_tags, contacts, events
from engine.importer import import_contacts

N = 3000


def people_csv(path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["email", "first_name", "country", "plan", "unsubscribed", "tags"])
        for i in range(N):
            writer.writerow([
                f"p{i}@example.com", f"Name{i}", ("DE", "FR", "US")[i % 3],
                ("pro", "free")[i % 2], "true" if i % 10 == 0 else "false",
                "vip" if i % 7 == 0 else "",
            ])  # fmt: skip


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bulk")
    people_csv(folder / "people.csv")
    path = folder / "studio.db"
    engine = open_database(path)
    import_contacts(engine, folder / "people.csv")
    with engine.begin() as conn:
        conn.execute(contacts.update().where(contacts.c.email == "p1@example.com")
                     .values(bounced=True))  # fmt: skip
        store.save_segment(conn, "Germans", {"field": "country", "op": "eq", "value": "DE"})
        store.save_segment(conn, "Hand picked", kind="static", members=[])
    engine.dispose()
    return path


@pytest.fixture
def engine(db_path, tmp_path):
    import shutil

    copy = tmp_path / "studio.db"
    shutil.copy(db_path, copy)
    engine = open_database(copy)
    yield engine
    engine.dispose()


def count(engine, **parts) -> int:
    with engine.connect() as conn:
        return bulk.count_contacts(conn, bulk.ContactFilter(**parts))


def test_each_filter_part_narrows_the_list_and_they_combine(engine):
    assert count(engine) == N
    assert count(engine, segment="Germans") == N // 3
    assert count(engine, tag="vip") == len(range(0, N, 7))
    assert count(engine, field="plan", op="eq", value="pro") == N // 2
    assert count(engine, status="unsubscribed") == N // 10
    assert count(engine, status="bounced") == 1
    assert count(engine, status="subscribed") == N - N // 10 - 1
    # DE and pro: i % 6 == 0; of those, vip: i % 42 == 0
    assert count(engine, segment="Germans", field="plan", value="pro") == N // 6
    assert count(engine, segment="Germans", field="plan", value="pro", tag="vip") == len(
        range(0, N, 42)
    )
    assert count(engine, field="country", op="in", value=["FR", "US"], search="p1") == sum(
        1 for i in range(N) if str(i).startswith("1") and i % 3 != 0
    )
    with engine.connect() as conn:
        page = bulk.list_contacts(conn, bulk.ContactFilter(tag="vip"), offset=1, limit=3)
    assert [row["email"] for row in page] == ["p7@example.com", "p14@example.com",
                                              "p21@example.com"]  # fmt: skip


def test_a_bad_filter_is_a_sentence(engine):
    with engine.connect() as conn:
        with pytest.raises(bulk.FilterError, match="no segment named “Nobody”"):
            bulk.count_contacts(conn, bulk.ContactFilter(segment="Nobody"))
        with pytest.raises(bulk.FilterError, match="The field filter uses a comparison"):
            bulk.count_contacts(conn, bulk.ContactFilter(field="plan", op="about", value=1))
        with pytest.raises(bulk.FilterError, match=r"^The field filter needs a list of values"):
            bulk.count_contacts(conn, bulk.ContactFilter(field="plan", op="in", value="x"))
        with pytest.raises(bulk.FilterError, match="unknown status"):
            bulk.count_contacts(conn, bulk.ContactFilter(status="asleep"))


def test_tag_untag_and_static_segment_on_a_selection(engine):
    with engine.begin() as conn:
        ids = bulk.contact_ids(conn, bulk.ContactFilter(segment="Germans"))
        assert len(ids) == N // 3
        assert bulk.add_tag(conn, ids, " spring ") == N // 3
        assert bulk.add_tag(conn, ids, "spring") == 0  # once only
        assert bulk.add_tag(conn, ids, "vip") == N // 3 - len(range(0, N, 21))
        assert bulk.remove_tag(conn, ids[:100], "spring") == 100
        assert bulk.add_to_segment(conn, ids[:250], "Hand picked") == 250
        assert bulk.add_to_segment(conn, ids[:300], "Hand picked") == 50
        with pytest.raises(bulk.FilterError, match="dynamic segment"):
            bulk.add_to_segment(conn, ids, "Germans")
        with pytest.raises(bulk.FilterError, match="needs a name"):
            bulk.add_tag(conn, ids, "  ")
    assert count(engine, tag="spring") == N // 3 - 100
    assert count(engine, segment="Hand picked") == 300
    assert bulk.static_segments(engine.connect()) == ["Hand picked"]


def test_unsubscribe_is_logged_once_and_never_undone_in_bulk(engine):
    with engine.begin() as conn:
        ids = list(range(1, 101))  # ids 1..100: ten already unsubscribed (i % 10 == 0)
        already = conn.scalar(select(func.count()).select_from(contacts).where(
            contacts.c.id.in_(ids), contacts.c.unsubscribed.is_(True)))  # fmt: skip
        assert bulk.unsubscribe(conn, ids) == 100 - already
        assert bulk.unsubscribe(conn, ids) == 0
        logged = conn.execute(select(events.c.contact_id, events.c.properties)
                              .where(events.c.name == "unsubscribed")).all()  # fmt: skip
    assert len(logged) == 100 - already
    assert all(props["by"] == bulk.BY_A_PERSON for _id, props in logged)
    assert not hasattr(bulk, "resubscribe")
    assert count(engine, status="unsubscribed") == N // 10 + 100 - already


def test_delete_takes_tags_with_it_and_export_is_formula_safe(engine):
    with engine.begin() as conn:
        store.update_contact(conn, 8, first_name="=HYPERLINK(1)")
        vip = bulk.contact_ids(conn, bulk.ContactFilter(tag="vip"))
    buffer = io.StringIO()
    assert bulk.export_contacts(engine, buffer, [*vip[:3], 999999]) == 3
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert [r["email"] for r in rows] == ["p0@example.com", "p7@example.com", "p14@example.com"]
    assert rows[0]["tags"] == "vip"
    buffer = io.StringIO()
    bulk.export_contacts(engine, buffer, [8])
    assert next(csv.DictReader(io.StringIO(buffer.getvalue())))["first_name"].startswith("'=")
    with engine.begin() as conn:
        assert bulk.delete_contacts(conn, vip) == len(vip)
        assert conn.scalar(select(func.count()).select_from(contact_tags)
                           .where(contact_tags.c.tag == "vip")) == 0  # fmt: skip
    assert count(engine) == N - len(vip)


def test_cli_export_takes_the_same_filters(engine, tmp_path, capsys):
    db = str(tmp_path / "studio.db")
    out = tmp_path / "out.csv"
    code = main(["contacts", "export", "--db", db, "--tag", "vip", "--status", "unsubscribed",
                 "--where", "plan", "eq", "pro", "-o", str(out)])  # fmt: skip
    assert code == 0
    emails = [r["email"] for r in csv.DictReader(out.open(encoding="utf-8"))]
    assert emails == [f"p{i}@example.com" for i in range(0, N, 70)]  # vip, unsub, even
    code = main(["contacts", "export", "--db", db, "--where", "country", "in", "FR, US",
                 "-o", str(out)])  # fmt: skip
    assert code == 0
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == N - N // 3
    code = main(["contacts", "export", "--db", db, "--where", "plan", "about", "x"])
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "about" in err
