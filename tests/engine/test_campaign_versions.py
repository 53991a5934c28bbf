"""Campaigns found by id: a rename is kept as a new version, names stay unique labels,
an old version can be restored as a new one, and two versions compare node by node."""

import pytest
from runner_helpers import add_segment, diagram, make_db

from engine import campaigns
from engine.campaign_diff import diff_definitions, diff_lines, diff_versions
from engine.campaigns import CampaignError
from engine.diagram import Edge, Node
from engine.fileformat import to_data


def _simple(name="Versions"):
    return diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
            ("pause", "wait.delay", {"duration": "P1D"}),
        ],
        [("start", "hello"), ("hello", "pause")],
        name=name,
    )


def test_a_rename_is_a_new_version_of_the_same_campaign(tmp_path):
    engine = make_db(tmp_path, 1)
    d = _simple()
    cid = campaigns.add_campaign(engine, d)
    d.name = "Versions, renamed"
    assert campaigns.save_campaign(engine, d, campaign_id=cid) == cid
    row = campaigns.get_campaign(engine, cid)
    assert (row["name"], row["version"]) == ("Versions, renamed", 2)
    with pytest.raises(CampaignError, match="no campaign named 'Versions'"):
        campaigns.get_campaign(engine, "Versions")
    # The old name is free again; a second campaign may not take the new one.
    other = campaigns.add_campaign(engine, _simple("Versions"))
    assert other != cid
    with pytest.raises(CampaignError, match=f"campaign {cid} is already named"):
        campaigns.add_campaign(engine, _simple("Versions, renamed"))
    d2 = _simple("Versions, renamed")
    with pytest.raises(CampaignError, match="already named"):
        campaigns.save_campaign(engine, d2, campaign_id=other)


def test_an_id_wins_over_a_name_made_of_digits(tmp_path):
    engine = make_db(tmp_path, 1)
    first = campaigns.add_campaign(engine, _simple("First"))
    numbered = campaigns.add_campaign(engine, _simple(str(first)))  # a campaign named "1"
    assert campaigns.get_campaign(engine, str(first))["id"] == first
    assert campaigns.get_campaign(engine, first)["name"] == "First"
    assert campaigns.get_campaign(engine, str(first))["id"] != numbered


def test_update_and_restore_make_new_versions(tmp_path):
    engine = make_db(tmp_path, 1)
    d = _simple()
    cid = campaigns.add_campaign(engine, d)
    d.nodes["pause"].params["duration"] = "P3D"
    assert campaigns.update_campaign(engine, cid, d) == 2
    assert campaigns.update_campaign(engine, cid, d) == 2  # unchanged: no new version
    assert campaigns.restore_version(engine, cid, 1) == 3
    with engine.connect() as conn:
        versions = campaigns.list_versions(conn, cid)
        current = campaigns.load_diagram(conn, cid)
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[-1]["note"] == "restored from version 1"
    assert current.nodes["pause"].params["duration"] == "P1D"
    with pytest.raises(CampaignError, match="has no version 9"):
        campaigns.restore_version(engine, cid, 9)


def test_a_stopped_campaign_cannot_be_updated(tmp_path):
    engine = make_db(tmp_path, 1)
    add_segment(engine, "all", {"all": []})
    cid = campaigns.add_campaign(engine, _simple())
    campaigns.start(engine, cid)
    campaigns.stop(engine, cid)
    with pytest.raises(CampaignError, match="cannot edit campaign 'Versions': it is stopped"):
        campaigns.update_campaign(engine, cid, _simple())


def test_duplicate_takes_the_next_free_copy_name(tmp_path):
    engine = make_db(tmp_path, 1)
    cid = campaigns.add_campaign(engine, _simple())
    first = campaigns.duplicate(engine, cid)
    second = campaigns.duplicate(engine, cid)
    names = [campaigns.get_campaign(engine, i)["name"] for i in (first, second)]
    assert names == ["Versions (copy)", "Versions (copy 2)"]


def test_diff_marks_added_removed_changed_and_moved():
    old = _simple()
    new = _simple("Versions 2")
    new.nodes["pause"].params["duration"] = "P2D"
    new.nodes["hello"].position = (500.0, 40.0)
    new.remove_node("start")
    new.add_node(Node("entry", "trigger.segment_entry", {"segment": "all"}))
    new.add_edge(Edge("entry", "hello"))
    new.settings["timezone"] = "Europe/Berlin"
    diff = diff_definitions(to_data(old), to_data(new))
    assert diff["name"] == ["Versions", "Versions 2"]
    assert diff["settings"] == {"timezone": [None, "Europe/Berlin"]}
    assert [n["id"] for n in diff["nodes"]["added"]] == ["entry"]
    assert [n["id"] for n in diff["nodes"]["removed"]] == ["start"]
    changed = {n["id"]: n for n in diff["nodes"]["changed"]}
    assert changed["pause"]["params"] == {"duration": ["P1D", "P2D"]}
    assert changed["hello"]["moved"] and not changed["hello"]["params"]
    assert diff["edges"]["added"] == [{"from": "entry", "port": "out", "to": "hello"}]
    assert diff["edges"]["removed"] == [{"from": "start", "port": "out", "to": "hello"}]
    assert not diff["same"]
    lines = diff_lines(diff)
    assert '~ node pause: duration: "P1D" -> "P2D"' in lines
    assert "- node start (trigger.manual)" in lines
    assert diff_definitions(to_data(old), to_data(old))["same"]


def test_a_parameter_set_to_null_is_a_change():
    old = _simple()
    new = _simple()
    new.nodes["hello"].params["sender"] = None
    diff = diff_definitions(to_data(old), to_data(new))
    assert diff["nodes"]["changed"][0]["params"] == {"sender": [None, None]}


def test_diff_versions_reads_stored_versions(tmp_path):
    engine = make_db(tmp_path, 1)
    d = _simple()
    cid = campaigns.add_campaign(engine, d)
    d.nodes["hello"].params["template"] = "other"
    campaigns.update_campaign(engine, cid, d)
    with engine.connect() as conn:
        diff = diff_versions(conn, cid, 1, 2)
        assert (diff["from"], diff["to"]) == (1, 2)
        assert diff["nodes"]["changed"][0]["params"] == {"template": ["welcome", "other"]}
        with pytest.raises(CampaignError, match="no version 3"):
            diff_versions(conn, cid, 1, 3)


def test_merged_definition_draws_both_versions_with_marks():
    from engine.campaign_diff import merged_definition
    from engine.fileformat import build

    old = _simple()
    new = _simple()
    new.nodes["pause"].params["duration"] = "P2D"
    new.remove_node("hello")
    new.add_node(Node("sms", "action.send_sms", {"body": "Hi"}, (300.0, 80.0)))
    new.add_edge(Edge("start", "sms"))
    new.add_edge(Edge("sms", "pause"))
    merged, nodes, edges = merged_definition(to_data(old), to_data(new))
    assert nodes == {"sms": "added", "hello": "removed", "pause": "changed"}
    assert edges == {
        ("start", "out", "sms"): "added",
        ("sms", "out", "pause"): "added",
        ("start", "out", "hello"): "removed",
        ("hello", "out", "pause"): "removed",
    }
    drawn, _problems = build(merged)
    assert set(drawn.nodes) == {"start", "hello", "pause", "sms"}
    # start.out now leads to sms: the model keeps that one; hello -> pause is drawn too.
    drawn_edges = {(e.source, e.target) for e in drawn.edges}
    assert drawn_edges == {("start", "sms"), ("sms", "pause"), ("hello", "pause")}
