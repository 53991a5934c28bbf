"""Validation: each problem DESIGN.md lists is found and names the node."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.diagram import Diagram, Edge, Node
from engine.fileformat import load
from engine.validation import ValidationContext, has_errors, validate

SAMPLES = sorted((Path(__file__).parents[2] / "resources" / "campaigns").glob("*.campaign.json"))


def _base() -> Diagram:
    d = Diagram("V")
    d.add_node(Node("start", "trigger.segment_entry", {"segment": "new"}))
    d.add_node(Node("mail", "action.send_email", {"template": "welcome"}))
    d.add_node(Node("wait", "wait.delay", {"duration": "P2D"}))
    d.add_edge(Edge("start", "mail"))
    d.add_edge(Edge("mail", "wait"))
    return d


def _errors(d: Diagram, context=None) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for p in validate(d, context):
        if p.severity == "error":
            out.setdefault(p.node, []).append(p.message)
    return out


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_are_valid(path):
    diagram, _ = load(path)
    assert not has_errors(validate(diagram))


def test_a_valid_diagram_has_no_errors():
    assert _errors(_base()) == {}


def test_no_trigger():
    d = _base()
    d.remove_node("start")
    assert any("no trigger" in m for m in _errors(d)[None])


def test_node_no_trigger_reaches():
    d = _base()
    d.add_node(Node("lost", "action.score", {"points": 1}))
    assert "no trigger reaches" in _errors(d)["lost"][0]


def test_a_goal_is_reached_by_its_event_and_so_is_what_follows_it():
    d = _base()
    d.add_node(Node("goal", "goal", {"event": "purchase"}))
    d.add_node(Node("thanks", "action.tag", {"add": ["buyer"]}))
    d.add_edge(Edge("goal", "thanks"))
    assert _errors(d) == {}


def test_required_port_left_unconnected():
    d = _base()
    d.add_node(Node("t2", "trigger.event", {"event": "signup"}))
    assert "nothing is connected after this step" in _errors(d)["t2"][0]


def test_loop_without_wait_is_an_error_but_with_a_wait_it_is_not():
    d = _base()
    d.add_node(Node("score", "action.score", {"points": 1}))
    d.add_node(Node("check", "condition.attribute", {"field": "score", "op": "lt", "value": 5}))
    d.add_edge(Edge("wait", "score"))
    d.add_edge(Edge("score", "check"))
    d.add_edge(Edge("check", "score", "yes"))
    errors = _errors(d)
    assert any("loop" in m for m in errors["score"])
    # Put the wait inside the loop: allowed.
    d.remove_edge(Edge("check", "score", "yes"))
    d.add_edge(Edge("check", "wait", "yes"))
    assert not any("loop" in m for ms in _errors(d).values() for m in ms)


def test_split_must_add_to_100():
    d = _base()
    d.add_node(Node("ab", "condition.split", {"branches": [
        {"port": "A", "percent": 60}, {"port": "B", "percent": 30}]}))  # fmt: skip
    d.add_node(Node("x", "exit"))
    d.add_node(Node("y", "exit"))
    d.add_edge(Edge("wait", "ab"))
    d.add_edge(Edge("ab", "x", "A"))
    d.add_edge(Edge("ab", "y", "B"))
    assert any("add up to 90" in m for m in _errors(d)["ab"])


def test_goal_event_no_one_can_emit():
    d = _base()
    d.remove_node("mail")
    d.add_edge(Edge("start", "wait"))
    d.add_node(Node("g", "goal", {"event": "email_clicked"}))
    assert any("no node in this campaign sends" in m for m in _errors(d)["g"])


def test_missing_and_bad_parameters():
    d = _base()
    d.set_params("wait", {"duration": "two days"})
    d.set_params("mail", {})
    errors = _errors(d)
    assert any("ISO 8601" in m for m in errors["wait"])
    assert any("needs a template or subject and html body" in m for m in errors["mail"])


def test_inline_template_with_a_syntax_error_names_the_line():
    d = _base()
    d.set_params("mail", {"subject": "Hi", "body": "<p>Hello</p>\n{{ contact.first_name }"})
    assert any("line 2" in m for m in _errors(d)["mail"])


def test_context_checks_templates_segments_and_contact_fields():
    d = _base()
    context = ValidationContext(
        templates={"welcome": ["Hi {{ contact.nickname }}", "{% if %}"]},
        segments={"other"},
        contact_fields={"plan"},
    )
    errors = _errors(d, context)
    assert any("segment 'new' does not exist" in m for m in errors["start"])
    assert any("does not compile" in m for m in errors["mail"])
    d.set_params("mail", {"template": "missing"})
    assert any("template 'missing' does not exist" in m for m in _errors(d, context)["mail"])
    context.templates["welcome"] = ["Hi {{ contact.nickname }}"]
    d.set_params("mail", {"template": "welcome"})
    assert any("contact.nickname" in m for m in _errors(d, context)["mail"])
    context.contact_fields.add("nickname")
    assert "mail" not in _errors(d, context)


def test_edge_into_a_trigger_is_an_error():
    d = _base()
    d.add_node(Node("t2", "trigger.event", {"event": "signup"}))
    d.add_edge(Edge("wait", "t2"))
    d.add_edge(Edge("t2", "mail"))
    assert any("into the trigger" in m for m in _errors(d)["wait"])


def test_bad_settings_are_reported():
    d = _base()
    d.set_settings({"entry": "sometimes", "timezone": "Mars/Olympus",
                    "frequency_cap": {"count": 0}})  # fmt: skip
    messages = " ".join(_errors(d)[None])
    assert "entry" in messages and "time zone" in messages and "frequency_cap" in messages
