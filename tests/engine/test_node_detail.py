"""A node's detail from the engine alone: who waits there now (paged), the messages it sent
(by status, paged), and per day how many passed it and how many were sent."""

from runner_helpers import START, add_segment, diagram, launch, make_db

from engine import node_detail


def test_waiting_contacts_messages_and_days(tmp_path):
    engine = make_db(tmp_path, 5)
    add_segment(engine, "all", {"all": []})
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
            ("later", "wait.delay", {"duration": "P3D"}),
        ],
        [("start", "hello"), ("hello", "later")],
    )
    cid, runner, clock = launch(engine, d)
    runner.tick(clock.now())
    with engine.connect() as conn:
        assert node_detail.count_waiting(conn, cid, "later") == 5
        assert node_detail.count_waiting(conn, cid, "hello") == 0
        page = node_detail.waiting_contacts(conn, cid, "later", offset=3, limit=10)
        assert [r["email"] for r in page] == ["c3@example.com", "c4@example.com"]
        assert page[0]["name"] == "First3 Last"
        assert node_detail.count_messages(conn, cid, "hello") == 5
        statuses = {m["status"] for m in node_detail.node_messages(conn, cid, "hello")}
        assert len(statuses) == 1
        [status] = statuses
        assert node_detail.count_messages(conn, cid, "hello", status) == 5
        assert node_detail.count_messages(conn, cid, "hello", "failed") == 0
        assert len(node_detail.node_messages(conn, cid, "hello", limit=2)) == 2
        days = node_detail.node_daily(conn, cid, "hello")
    assert days[0][0] == START.date().isoformat() and days[0][1] == 5
