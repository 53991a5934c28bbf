"""The node catalog covers DESIGN.md's table and its declarations are coherent."""

from __future__ import annotations

import pytest

from engine.catalog import CATALOG, NODE_TYPES, check_value
from engine.durations import humanize_duration, parse_duration

DESIGN_TABLE = {
    "trigger.manual": ["out"], "trigger.segment_entry": ["out"], "trigger.event": ["out"],
    "trigger.date_field": ["out"], "wait.delay": ["out"], "wait.until": ["out"],
    "wait.window": ["out"], "wait.for_event": ["event", "timeout"],
    "condition.attribute": ["yes", "no"], "condition.segment": ["yes", "no"],
    "condition.event": ["yes", "no"], "condition.split": None,
    "action.send_email": ["out"], "action.send_sms": ["out"], "action.send_message": ["out"],
    "action.webhook": ["out"], "action.update_contact": ["out"], "action.tag": ["out"],
    "action.segment": ["out"], "action.score": ["out"], "action.notify": ["out"],
    "goal": ["out"], "exit": [],
}  # fmt: skip


def test_every_design_type_is_declared_once_with_its_ports():
    assert sorted(CATALOG) == sorted(DESIGN_TABLE)
    assert len(NODE_TYPES) == len(CATALOG)
    for name, ports in DESIGN_TABLE.items():
        if ports is not None:
            assert CATALOG[name].port_names({}) == ports, name


def test_split_ports_come_from_its_branches():
    split = CATALOG["condition.split"]
    params = {"branches": [{"port": "A", "percent": 20}, {"port": "B", "percent": 30},
                           {"port": "C", "percent": 50}]}  # fmt: skip
    assert split.port_names(params) == ["A", "B", "C"]


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=lambda t: t.type)
def test_defaults_pass_their_own_checks_and_summaries_never_raise(node_type):
    for param in node_type.params:
        if param.default is not None:
            assert check_value(param, param.default) is None, (node_type.type, param.name)
    assert node_type.describe(node_type.defaults())
    assert node_type.describe({"branches": "junk", "points": "x", "field": None})


def test_summaries_read_like_a_marketer_wrote_them():
    assert CATALOG["wait.delay"].describe({"duration": "P2D"}) == "Wait 2 days"
    assert CATALOG["wait.delay"].describe({"duration": "PT3H"}) == "Wait 3 hours"
    assert CATALOG["action.send_email"].describe({"template": "Welcome"}) == "Email: Welcome"
    assert CATALOG["condition.attribute"].describe(
        {"field": "country", "op": "eq", "value": "DE"}) == "Country is DE"  # fmt: skip


def test_check_value_limits_and_kinds():
    score = CATALOG["action.score"].param("points")
    assert check_value(score, 5) is None
    assert "whole number" in check_value(score, 2.5)
    assert "at most" in check_value(score, 10**9)
    window = CATALOG["wait.window"].param("days")
    assert "unknown day" in check_value(window, ["mon", "funday"])
    assert "HH:MM" in check_value(CATALOG["wait.window"].param("start"), "9am")


def test_durations_use_iso_8601():
    assert parse_duration("P1DT2H").total_seconds() == 26 * 3600
    assert parse_duration("-P1D").total_seconds() == -86400
    assert humanize_duration("P10D") == "10 days"
    assert humanize_duration("P14D") == "2 weeks"


def test_wait_until_takes_a_date_or_a_time_after_the_start():
    from engine.diagram import Diagram, Node
    from engine.validation import validate

    spec = CATALOG["wait.until"]
    assert spec.describe({"after_start": "P3D"}) == "3 days after the campaign starts"
    assert spec.describe({"after_start": "P0D"}) == "When the campaign starts"
    assert spec.describe({"at": "2026-12-07T09:00"}) == "Wait until Dec 7, 2026, 9:00\u202fAM"
    assert spec.describe({"at": "someday"}) == "Wait until someday"

    def problems(params):
        d = Diagram("T", {})
        d.nodes["w"] = Node("w", "wait.until", params)
        return [p.message for p in validate(d) if p.node == "w"]

    assert problems({"after_start": "P3D"}) == []
    assert problems({"at": "2026-12-07T09:00:00Z"}) == []
    assert any("not both" in m for m in problems({"at": "2026-12-07T09:00", "after_start": "P3D"}))
    assert problems({}) == ["needs a date, or a time after the campaign starts"]
    assert any("negative" in m for m in problems({"after_start": "-P1D"}))
