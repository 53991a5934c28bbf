"""The segments screen: a rule built in the visual builder is counted live, and the count
equals a direct SQL count; static lists keep their members; delete asks first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from screen_data import make_database
from sqlalchemy import func, select, text

from app.segments import SegmentsScreen
from engine.db.schema import contact_tags, contacts, segment_members, segments


def _screen(qtbot, tmp_path, n: int = 2000) -> SegmentsScreen:
    engine = make_database(tmp_path / "seg.db", n=n)
    screen = SegmentsScreen(engine)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitUntil(screen.isVisible)
    return screen


def _wait_count(qtbot, screen) -> int:
    qtbot.waitUntil(lambda: not screen.counting and not screen.count_debounce.timer.isActive())
    return screen.last_count


def test_a_rule_built_in_the_builder_is_counted_like_sql(qtbot, tmp_path):
    screen = _screen(qtbot, tmp_path)
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.name, "german-pros")
    assert _wait_count(qtbot, screen) == 2000  # no conditions: everyone

    row = screen.rule_editor.root.add_leaf("field")
    row.field_name.lineEdit().setFocus()
    qtbot.keyClicks(row.field_name.lineEdit(), "country")
    row.value.setFocus()
    qtbot.keyClicks(row.value, "DE")
    assert _wait_count(qtbot, screen) == 400
    assert screen.count_card.value.text() == "400"
    assert "20.0% of 2,000" in screen.count_card.note.text()

    group = screen.rule_editor.root.add_group("any")
    tag_row = group.add_leaf("tag")
    tag_row.tag.lineEdit().setFocus()
    qtbot.keyClicks(tag_row.tag.lineEdit(), "newsletter")
    score_row = group.add_leaf("field")
    qtbot.keyClicks(score_row.field_name.lineEdit(), "score")
    score_row.op.setCurrentIndex(score_row.op.findData("ge"))
    qtbot.keyClicks(score_row.value, "90")
    count = _wait_count(qtbot, screen)

    with screen.engine.connect() as conn:
        tagged = select(contact_tags.c.contact_id).where(contact_tags.c.tag == "newsletter")
        expected = conn.scalar(
            select(func.count())
            .select_from(contacts)
            .where(text("json_extract(contacts.attributes, '$.country') = 'DE'"))
            .where((contacts.c.id.in_(tagged)) | (contacts.c.score >= 90))
        )
    assert count == expected
    assert 0 < count < 400
    assert screen.sample.rowCount() == min(count, 50)

    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert screen.status.text() == "Saved “german-pros”"
    with screen.engine.connect() as conn:
        stored = conn.execute(select(segments).where(segments.c.name == "german-pros")).one()
    assert stored.kind == "dynamic"
    assert stored.rule["all"][0] == {"field": "country", "op": "eq", "value": "DE"}

    # Reopening the segment shows the same rule and the same count.
    screen.new_segment()
    screen.open_segment("german-pros")
    assert screen.rule_editor.rule() == stored.rule
    assert _wait_count(qtbot, screen) == expected


def test_an_incomplete_rule_says_what_is_missing(qtbot, tmp_path):
    screen = _screen(qtbot, tmp_path, n=50)
    screen.new_segment()
    screen.rule_editor.root.add_leaf("tag")
    qtbot.waitUntil(lambda: bool(screen.count_error))
    assert "Not a complete rule" in screen.rule_problem.text()
    qtbot.keyClicks(screen.name, "broken")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert screen.status.text().startswith("Not saved")
    with screen.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(segments)) == 0


def test_static_segment_members_and_delete_with_confirmation(qtbot, tmp_path):
    screen = _screen(qtbot, tmp_path, n=50)
    screen.new_segment()
    qtbot.keyClicks(screen.name, "board")
    qtbot.mouseClick(screen.static_radio, Qt.MouseButton.LeftButton)
    assert screen.pages.currentIndex() == 1
    screen.add_members_edit.setFocus()
    typed = "person000003@example.com, person000007@example.com nobody@example.com"
    qtbot.keyClicks(screen.add_members_edit, typed)
    qtbot.keyClick(screen.add_members_edit, Qt.Key.Key_Return)
    assert screen.members_table.rowCount() == 2
    assert "not found: nobody@example.com" in screen.status.text()
    assert screen.last_count == 2
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    with screen.engine.connect() as conn:
        members = set(conn.scalars(select(segment_members.c.contact_id)))
    assert members == {3, 7}
    assert screen.list.currentItem().text().startswith("board\nStatic · 2 members")

    box = screen.confirm_delete()
    qtbot.waitUntil(box.isVisible)
    cancel = next(b for b in box.buttons() if b.text() != "Delete")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    with screen.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(segments)) == 1

    box = screen.confirm_delete()
    qtbot.waitUntil(box.isVisible)
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    with screen.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(segments)) == 0
        assert conn.scalar(select(func.count()).select_from(segment_members)) == 0


def test_a_taken_name_asks_before_replacing_and_delete_names_the_campaigns(qtbot, tmp_path):
    import datetime as dt

    from sqlalchemy import insert

    from engine import store
    from engine.db.schema import campaigns

    screen = _screen(qtbot, tmp_path, n=30)
    with screen.engine.begin() as conn:
        store.save_segment(conn, "vip-list", rule={"tag": "vip"})
        definition = {
            "format": "campaign-studio/1",
            "name": "VIP launch",
            "nodes": [{"id": "start", "type": "trigger.manual", "params": {"segment": "vip-list"}}],
        }
        conn.execute(insert(campaigns).values(name="VIP launch", definition=definition,
                                              created_at=dt.datetime(2026, 1, 1)))  # fmt: skip
    screen.reload()
    screen.new_segment()
    qtbot.keyClicks(screen.name, "vip-list")
    row = screen.rule_editor.root.add_leaf("tag")
    qtbot.keyClicks(row.tag.lineEdit(), "b2b")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    box = screen.replace_box
    qtbot.waitUntil(box.isVisible)
    assert "already exists" in box.text()
    with screen.engine.connect() as conn:
        assert store.get_segment(conn, "vip-list")["rule"] == {"tag": "vip"}  # not yet
    qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "Replace"),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    with screen.engine.connect() as conn:
        assert store.get_segment(conn, "vip-list")["rule"] == {"all": [{"tag": "b2b"}]}

    box = screen.confirm_delete()
    qtbot.waitUntil(box.isVisible)
    assert "“VIP launch”" in box.text()
    qtbot.mouseClick(next(b for b in box.buttons() if b.text() != "Delete"),
                     Qt.MouseButton.LeftButton)  # fmt: skip
