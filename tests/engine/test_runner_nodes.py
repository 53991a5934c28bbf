"""Every node type moves contacts as DESIGN.md's "How a contact moves" says."""

import datetime as dt

from runner_helpers import (
    START,
    add_contacts,
    add_event,
    add_segment,
    diagram,
    launch,
    make_db,
    run_until,
    tag,
)
from sqlalchemy import func, select

from engine.db.schema import (
    contact_tags,
    contacts,
    enrollments,
    events,
    messages,
    segment_members,
    steps,
)

H = dt.timedelta(hours=1)


def ports(engine, node_id):
    with engine.connect() as conn:
        return dict(
            conn.execute(
                select(steps.c.port, func.count())
                .where(steps.c.node_id == node_id)
                .group_by(steps.c.port)
            ).all()
        )


def statuses(engine):
    with engine.connect() as conn:
        return dict(
            conn.execute(
                select(enrollments.c.status, func.count()).group_by(enrollments.c.status)
            ).all()
        )


def everyone(engine):
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})


def test_manual_trigger_send_and_end(tmp_path):
    engine = make_db(tmp_path, 5)
    everyone(engine)
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
        ],
        [("start", "hello")],
    )
    _cid, runner, _clock = launch(engine, d)
    runner.tick(START)
    assert ports(engine, "start") == {"out": 5}
    assert ports(engine, "hello") == {"out": 5}
    assert statuses(engine) == {"completed": 5}
    with engine.connect() as conn:
        row = conn.execute(select(messages).order_by(messages.c.id)).mappings().first()
        assert row["subject"] == "Hi First0"
        assert "from Berlin" in row["body_html"]  # attributes flattened into contact
        assert row["status"] == "simulated" and row["to_address"] == "c0@example.com"
        assert row["key"] == f"{row['enrollment_id']}:hello:1"
        sent = conn.scalar(
            select(func.count())
            .select_from(events)
            .where(events.c.name == "email_sent", events.c.node_id == "hello")
        )
    assert sent == 5
    # A later tick does nothing more: manual fires once, at start.
    assert runner.tick(START + H).enrolled == 0


def test_live_mode_queues_and_replay_never_sends_twice(tmp_path):
    engine = make_db(tmp_path, 3)
    everyone(engine)
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
        ],
        [("start", "hello")],
    )
    _cid, runner, _clock = launch(engine, d, mode="live")
    runner.tick(START)
    with engine.connect() as conn:
        assert set(conn.scalars(select(messages.c.status))) == {"queued"}
        # Replay: put the enrollments back on the send node, due again.
    with engine.begin() as conn:
        conn.execute(enrollments.update().values(status="active", node_id="hello", due_at=START))
    runner.tick(START + H)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(messages)) == 3


def test_failures_and_suppression_are_per_message(tmp_path):
    engine = make_db(tmp_path, 4)
    with engine.begin() as conn:
        ids = list(conn.scalars(select(contacts.c.id).order_by(contacts.c.id)))
        conn.execute(contacts.update().where(contacts.c.id == ids[0]).values(unsubscribed=True))
        conn.execute(contacts.update().where(contacts.c.id == ids[1]).values(bounced=True))
        conn.execute(contacts.update().where(contacts.c.id == ids[2]).values(email=None))
    everyone(engine)
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
            ("bad", "action.send_email", {"subject": "x", "body": "{{ 1 / 0 }}"}),
        ],
        [("start", "hello"), ("hello", "bad")],
    )
    launch_and = launch(engine, d)
    launch_and[1].tick(START)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                messages.c.node_id, messages.c.contact_id, messages.c.status, messages.c.error
            ).order_by(messages.c.id)
        ).all()
    hello = {r.contact_id: (r.status, r.error) for r in rows if r.node_id == "hello"}
    assert hello[ids[0]] == ("suppressed", "unsubscribed")
    assert hello[ids[1]] == ("suppressed", "bounced")
    assert hello[ids[2]] == ("failed", "no email address")
    assert hello[ids[3]] == ("simulated", None)
    bad = [r for r in rows if r.node_id == "bad" and r.status == "failed"]
    assert bad and "template error" in bad[-1].error
    # The send node moves everyone on through `out` whatever the outcome.
    assert ports(engine, "hello") == {"out": 4}
    assert statuses(engine) == {"completed": 4}


def test_conditions_attribute_segment_event(tmp_path):
    engine = make_db(
        tmp_path, 6, attributes=lambda i: {"city": "Berlin", "plan": "pro" if i < 2 else "free"}
    )
    everyone(engine)
    with engine.connect() as conn:
        ids = list(conn.scalars(select(contacts.c.id).order_by(contacts.c.id)))
    add_segment(engine, "vip", members=ids[:3])
    add_event(engine, ids[5], "purchase", START - dt.timedelta(minutes=1))  # before entry
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("plan", "condition.attribute", {"field": "plan", "op": "eq", "value": "pro"}),
            ("vip", "condition.segment", {"segment": "vip"}),
            ("wait", "wait.delay", {"duration": "PT2H"}),
            ("bought", "condition.event", {"event": "purchase"}),
            ("bought_ever", "condition.event", {"event": "purchase", "within": "P1D"}),
        ],
        [
            ("start", "plan"),
            ("plan", "no", "vip"),
            ("vip", "no", "wait"),
            ("wait", "bought"),
            ("bought", "no", "bought_ever"),
        ],
    )
    _cid, runner, clock = launch(engine, d)
    add_event(engine, ids[4], "purchase", START + H)  # after entry
    run_until(runner, clock, START + 3 * H)
    assert ports(engine, "plan") == {"yes": 2, "no": 4}
    assert ports(engine, "vip") == {"yes": 1, "no": 3}
    assert ports(engine, "bought") == {"yes": 1, "no": 2}  # only the one after entry
    assert ports(engine, "bought_ever") == {"yes": 1, "no": 1}


def test_actions_change_contacts(tmp_path):
    engine = make_db(tmp_path, 2)
    everyone(engine)
    sid = add_segment(engine, "list")
    with engine.connect() as conn:
        ids = list(conn.scalars(select(contacts.c.id).order_by(contacts.c.id)))
    tag(engine, ids[0], "old")
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("upd", "action.update_contact", {"field": "plan", "value": "gold"}),
            (
                "name",
                "action.update_contact",
                {"field": "last_name", "value": "{{ contact.first_name }}!"},
            ),
            ("tag", "action.tag", {"add": ["new"], "remove": ["old"]}),
            ("seg", "action.segment", {"segment": "list", "action": "add"}),
            ("score", "action.score", {"points": 7}),
            (
                "hook",
                "action.webhook",
                {"url": "https://x.test/{{ contact.id }}", "body": "{{ contact.email }}"},
            ),
            (
                "tell",
                "action.notify",
                {"to": "boss@example.com", "subject": "s", "body": "{{ contact.email }} passed"},
            ),
            ("out", "exit", {}),
        ],
        [
            ("start", "upd"),
            ("upd", "name"),
            ("name", "tag"),
            ("tag", "seg"),
            ("seg", "score"),
            ("score", "hook"),
            ("hook", "tell"),
            ("tell", "out"),
        ],
    )
    launch(engine, d)[1].tick(START)
    with engine.connect() as conn:
        row = conn.execute(select(contacts).where(contacts.c.id == ids[0])).mappings().one()
        assert row["attributes"]["plan"] == "gold" and row["attributes"]["city"] == "Berlin"
        assert row["last_name"] == "First0!"
        assert row["score"] == 7
        assert set(
            conn.scalars(select(contact_tags.c.tag).where(contact_tags.c.contact_id == ids[0]))
        ) == {"new"}
        assert (
            conn.scalar(
                select(func.count())
                .select_from(segment_members)
                .where(segment_members.c.segment_id == sid)
            )
            == 2
        )
        hooks = conn.execute(
            select(messages.c.channel, messages.c.to_address, messages.c.body_text)
            .where(messages.c.contact_id == ids[0])
            .order_by(messages.c.id)
        ).all()
    assert hooks[0] == ("webhook", f"https://x.test/{ids[0]}", "c0@example.com")
    assert hooks[1] == ("notify", "boss@example.com", "c0@example.com passed")
    assert statuses(engine) == {"exited": 2}


def test_waits_delay_until_and_for_event(tmp_path):
    engine = make_db(tmp_path, 3)
    everyone(engine)
    with engine.connect() as conn:
        ids = list(conn.scalars(select(contacts.c.id).order_by(contacts.c.id)))
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("delay", "wait.delay", {"duration": "PT3H"}),
            ("until", "wait.until", {"at": "2026-03-02T18:00:00Z"}),
            ("reply", "wait.for_event", {"event": "replied", "timeout": "P1D"}),
        ],
        [("start", "delay"), ("delay", "until"), ("until", "reply")],
    )
    _cid, runner, _clock = launch(engine, d)
    runner.tick(START)
    runner.tick(START + 2 * H)
    assert ports(engine, "delay") == {}
    runner.tick(START + 3 * H)
    assert ports(engine, "delay") == {"out": 3}
    assert ports(engine, "until") == {}
    runner.tick(START + 8 * H)
    assert ports(engine, "until") == {"out": 3}
    add_event(engine, ids[0], "replied", START + 9 * H)
    add_event(engine, ids[1], "replied", START + 6 * H)  # before arriving: does not count
    runner.tick(START + 10 * H)
    assert ports(engine, "reply") == {"event": 1}
    with engine.connect() as conn:
        at = conn.scalar(select(steps.c.at).where(steps.c.node_id == "reply"))
    assert at == START + 9 * H  # leaves at the event's moment
    runner.tick(START + 8 * H + dt.timedelta(days=1))
    assert ports(engine, "reply") == {"event": 1, "timeout": 2}


def test_wait_until_days_after_the_campaign_starts(tmp_path):
    """A drip's "day 3": due at the campaign's start + P3D; who arrives later goes on at once."""
    engine = make_db(tmp_path, 2)
    with engine.connect() as conn:
        ids = list(conn.scalars(select(contacts.c.id).order_by(contacts.c.id)))
    d = diagram(
        [
            ("start", "trigger.event", {"event": "signup"}),
            ("day3", "wait.until", {"after_start": "P3D"}),
            ("score", "action.score", {"points": 1}),
        ],
        [("start", "day3"), ("day3", "score")],
    )
    _cid, runner, _clock = launch(engine, d)
    add_event(engine, ids[0], "signup", START + H)
    runner.tick(START + 2 * H)
    runner.tick(START + dt.timedelta(days=3) - H)
    assert ports(engine, "day3") == {}
    runner.tick(START + dt.timedelta(days=3, hours=2))
    assert ports(engine, "day3") == {"out": 1}
    add_event(engine, ids[1], "signup", START + dt.timedelta(days=4))
    runner.tick(START + dt.timedelta(days=4, hours=1))
    assert ports(engine, "day3") == {"out": 2}
    with engine.connect() as conn:
        left = dict(
            conn.execute(
                select(steps.c.contact_id, steps.c.at).where(steps.c.node_id == "day3")
            ).all()
        )
    assert left[ids[0]] == START + dt.timedelta(days=3)  # due at the start + P3D
    assert left[ids[1]] > START + dt.timedelta(days=4) - H  # arrived late: on at once


def test_simulate_agrees_on_days_after_the_start(tmp_path):
    from engine.simulate import simulate

    make_db(tmp_path, 3)
    d = diagram(
        [
            ("start", "trigger.manual", {"filter": {"field": "email", "op": "is_set"}}),
            ("day2", "wait.until", {"after_start": "P2D"}),
            ("score", "action.score", {"points": 1}),
        ],
        [("start", "day2"), ("day2", "score")],
    )
    early = simulate(d, tmp_path / "test.db", 1.5, start=START)
    late = simulate(d, tmp_path / "test.db", 2.5, start=START)
    early_nodes, late_nodes = early["nodes"], late["nodes"]
    assert early_nodes["day2"]["waiting"] == 3 and early_nodes["day2"]["ports"].get("out", 0) == 0
    assert late_nodes["day2"]["waiting"] == 0 and late_nodes["day2"]["ports"]["out"] == 3


def test_goal_jump_counts_a_conversion(tmp_path):
    engine = make_db(tmp_path, 2)
    everyone(engine)
    with engine.connect() as conn:
        ids = list(conn.scalars(select(contacts.c.id).order_by(contacts.c.id)))
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("wait", "wait.delay", {"duration": "P5D"}),
            ("never", "action.score", {"points": 1}),
            (
                "won",
                "goal",
                {"event": "purchase", "filter": {"field": "amount", "op": "gt", "value": 10}},
            ),
            ("thanks", "action.score", {"points": 100}),
        ],
        [("start", "wait"), ("wait", "never"), ("won", "thanks")],
    )
    _cid, runner, _clock = launch(engine, d)
    runner.tick(START)
    add_event(engine, ids[0], "purchase", START + H, amount=50)
    add_event(engine, ids[1], "purchase", START + H, amount=5)  # filtered out
    runner.tick(START + 2 * H)
    assert ports(engine, "won") == {"out": 1}
    with engine.connect() as conn:
        outcome = conn.scalar(select(steps.c.outcome).where(steps.c.node_id == "won"))
        converted = conn.execute(
            select(enrollments.c.contact_id, enrollments.c.converted_at).where(
                enrollments.c.converted_at.is_not(None)
            )
        ).all()
        score = conn.scalar(select(contacts.c.score).where(contacts.c.id == ids[0]))
    assert outcome == "converted"
    assert converted == [(ids[0], START + H)]
    assert score == 100


def test_no_outgoing_edge_completes_and_exit_exits(tmp_path):
    engine = make_db(tmp_path, 4)
    everyone(engine)
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            (
                "ab",
                "condition.split",
                {"branches": [{"port": "A", "percent": 50}, {"port": "B", "percent": 50}]},
            ),
            ("bye", "exit", {}),
        ],
        [("start", "ab"), ("ab", "A", "bye")],
    )
    launch(engine, d)[1].tick(START)
    split = ports(engine, "ab")
    assert statuses(engine) == {
        "exited": split.get("A", 0),
        "completed": split.get("B", 0),
    } or statuses(engine) == {
        k: v for k, v in {"exited": split.get("A", 0), "completed": split.get("B", 0)}.items() if v
    }


def test_event_trigger_enrolls_after_start_only(tmp_path):
    engine = make_db(tmp_path, 3)
    with engine.connect() as conn:
        ids = list(conn.scalars(select(contacts.c.id).order_by(contacts.c.id)))
    add_event(engine, ids[0], "signup", START - H)
    d = diagram(
        [("start", "trigger.event", {"event": "signup"}), ("score", "action.score", {"points": 1})],
        [("start", "score")],
    )
    _cid, runner, _clock = launch(engine, d)
    add_event(engine, ids[1], "signup", START + H, plan="pro")
    runner.tick(START + 2 * H)
    with engine.connect() as conn:
        rows = conn.execute(select(enrollments.c.contact_id, enrollments.c.entered_at)).all()
    assert rows == [(ids[1], START + H)]


def test_segment_entry_existing_and_later_entries(tmp_path):
    engine = make_db(tmp_path, 2)
    add_segment(engine, "pros", {"field": "plan", "op": "eq", "value": "pro"})
    with engine.begin() as conn:
        conn.execute(contacts.update().values(attributes={"plan": "pro"}))
    for include, expected in ((True, 3), (False, 1)):
        d = diagram(
            [
                (
                    "start",
                    "trigger.segment_entry",
                    {"segment": "pros", "include_existing": include},
                ),
                ("s", "action.score", {"points": 1}),
            ],
            [("start", "s")],
            name=f"entry {include}",
        )
        cid, runner, _clock = launch(engine, d)
        runner.tick(START)
        new = add_contacts(engine, 1, start=100 + int(include), attributes={"plan": "pro"})
        runner.tick(START + H)
        with engine.connect() as conn:
            count = conn.scalar(
                select(func.count())
                .select_from(enrollments)
                .where(enrollments.c.campaign_id == cid)
            )
            assert new[0] in set(
                conn.scalars(
                    select(enrollments.c.contact_id).where(enrollments.c.campaign_id == cid)
                )
            )
        assert count == expected


def test_sms_and_message_channels(tmp_path):
    engine = make_db(
        tmp_path,
        3,
        phone=lambda i: "+4915100000" if i == 0 else None,
        attributes=lambda i: {"city": "Berlin", "telegram": "@c1"} if i == 1 else {"city": "B"},
    )
    add_segment(engine, "all", {"field": "email", "op": "is_set"})
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("sms", "action.send_sms", {"template": "sms"}),
            (
                "tg",
                "action.send_message",
                {"body": "Hi {{ contact.first_name }}", "channel": "telegram"},
            ),
            ("push", "action.send_message", {"body": "Yo", "channel": "push"}),
        ],
        [("start", "sms"), ("sms", "tg"), ("tg", "push")],
    )
    launch(engine, d)[1].tick(START)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                messages.c.node_id,
                messages.c.status,
                messages.c.to_address,
                messages.c.body_text,
                messages.c.channel,
            ).order_by(messages.c.node_id, messages.c.contact_id)
        ).all()
        sent = dict(conn.execute(select(events.c.name, func.count()).group_by(events.c.name)).all())
    by_node = {}
    for row in rows:
        by_node.setdefault(row.node_id, []).append(row)
    assert [r.status for r in by_node["sms"]] == ["simulated", "failed", "failed"]
    assert by_node["sms"][0].to_address == "+4915100000"
    assert by_node["sms"][0].body_text == "Hi First0"
    assert [r.status for r in by_node["tg"]] == ["failed", "simulated", "failed"]
    assert by_node["tg"][1].to_address == "@c1" and by_node["tg"][1].channel == "message"
    assert all(r.status == "simulated" for r in by_node["push"])
    assert sent == {"sms_sent": 1, "message_sent": 4}


def test_stop_and_end_at(tmp_path):
    from engine import campaigns

    engine = make_db(tmp_path, 3)
    everyone(engine)
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("wait", "wait.delay", {"duration": "P1D"}),
            ("s", "action.score", {"points": 1}),
        ],
        [("start", "wait"), ("wait", "s")],
    )
    cid, runner, _clock = launch(engine, d)
    runner.tick(START)
    campaigns.stop(engine, cid, START + H)
    runner.tick(START + dt.timedelta(days=2))
    assert ports(engine, "s") == {}
    with engine.connect() as conn:
        stopped = conn.execute(
            select(steps.c.node_id, steps.c.outcome).where(steps.c.port.is_(None))
        ).all()
    assert stopped == [("wait", "stopped")] * 3
    assert statuses(engine) == {"exited": 3}
    # end_at: nobody new enters afterwards, those inside finish, then it completes.
    from engine.db.schema import campaigns as campaigns_table

    d2 = diagram(
        [("start", "trigger.event", {"event": "go"}), ("wait", "wait.delay", {"duration": "P1D"})],
        [("start", "wait")],
        name="Ends",
        end_at="2026-03-03T00:00:00Z",
    )
    cid2, runner, _clock = launch(engine, d2)
    with engine.connect() as conn:
        ids = list(conn.scalars(select(contacts.c.id).order_by(contacts.c.id)))
    add_event(engine, ids[0], "go", START + H)
    runner.tick(START + 2 * H)
    add_event(engine, ids[1], "go", START + dt.timedelta(days=1))
    runner.tick(START + dt.timedelta(days=1, hours=1))
    with engine.connect() as conn:
        entered = conn.scalar(
            select(func.count()).select_from(enrollments).where(enrollments.c.campaign_id == cid2)
        )
        status = conn.scalar(select(campaigns_table.c.status).where(campaigns_table.c.id == cid2))
    assert entered == 1 and status == "completed"
