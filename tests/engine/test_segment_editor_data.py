"""What the segment and template screens read, from the engine alone: a rule's live count and
sample, names for the rule editor, a static segment's members, contacts by address, and which
campaigns use a segment or template."""

from runner_helpers import START, add_event, add_segment, diagram, make_db, tag

from engine import campaigns, segments


def test_count_sample_suggestions_and_members(tmp_path):
    engine = make_db(tmp_path, 4, attributes=lambda i: {"city": "Berlin" if i < 3 else "Rome"})
    add_segment(engine, "static few", members=[2, 4])
    tag(engine, 1, "vip")
    add_event(engine, 1, "purchase", START)
    rule = {"field": "city", "op": "eq", "value": "Berlin"}
    with engine.connect() as conn:
        matching, total, sample = segments.count_and_sample(conn, rule, START, limit=2)
        assert (matching, total) == (3, 4)
        assert [c["email"] for c in sample] == ["c0@example.com", "c1@example.com"]
        found = segments.rule_suggestions(conn)
        assert found == {"fields": ["city"], "events": ["purchase"], "tags": ["vip"]}
        few = segments.find_segment(conn, "static few")
        assert few["kind"] == "static"
        assert [m["email"] for m in few["members"]] == ["c1@example.com", "c3@example.com"]
        assert segments.find_segment(conn, "nobody") is None
        assert segments.segment_exists(conn, "static few")
        assert not segments.segment_exists(conn, "nobody")
        by_address = segments.contacts_by_address(conn, ["c2@example.com", "nobody@x.org"])
        assert [c["id"] for c in by_address] == [3]
        assert segments.contacts_by_address(conn, []) == []


def test_campaigns_using_a_segment_or_template_and_free_names(tmp_path):
    engine = make_db(tmp_path)
    uses = diagram(
        [
            ("start", "trigger.manual", {"filter": {"all": [{"segment": "vips"}]}}),
            ("hello", "action.send_email", {"template": "welcome"}),
        ],
        [("start", "hello")],
        name="Uses both",
    )
    campaigns.add_campaign(engine, uses)
    other = diagram([("start", "trigger.manual", {"segment": "all"})], [], name="Other")
    campaigns.add_campaign(engine, other)
    assert campaigns.campaigns_using(engine, "segment", "vips") == ["Uses both"]
    assert campaigns.campaigns_using(engine, "segment", "all") == ["Other"]
    assert campaigns.campaigns_using(engine, "template", "welcome") == ["Uses both"]
    assert campaigns.campaigns_using(engine, "template", "nothing") == []
    with engine.connect() as conn:
        assert campaigns.free_name(conn, "New") == "New"
        assert campaigns.free_name(conn, "other") == "other (2)"
        listed = campaigns.list_campaigns(conn, definitions=True)
    assert {r["name"]: r["definition"]["name"] for r in listed} == {
        "Other": "Other",
        "Uses both": "Uses both",
    }
