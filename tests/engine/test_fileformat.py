"""The .campaign.json format: byte-stable round trips, networkx conversion, load errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.diagram import Diagram, Edge, Node
from engine.fileformat import FORMAT, FormatError, LoadError, dumps, load, loads

SAMPLES = sorted((Path(__file__).parents[2] / "resources" / "campaigns").glob("*.campaign.json"))


def test_there_are_at_least_three_samples():
    assert len(SAMPLES) >= 3


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_saving_what_was_loaded_gives_the_same_bytes(path: Path):
    diagram, problems = load(path)
    assert problems == []
    assert dumps(diagram).encode("utf-8") == path.read_bytes()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_file_model_networkx_model_file_is_byte_identical(path: Path):
    diagram, _ = load(path)
    graph = diagram.to_networkx()
    assert graph.number_of_nodes() == len(diagram.nodes)
    assert graph.number_of_edges() == len(diagram.edges)
    for edge in diagram.edges:
        assert graph.has_edge(edge.source, edge.target, key=edge.port)
    again = Diagram.from_networkx(graph)
    assert dumps(again).encode("utf-8") == path.read_bytes()


def test_edges_are_saved_in_one_canonical_order_whatever_order_they_were_made():
    a = _two_branch_diagram(reverse=False)
    b = _two_branch_diagram(reverse=True)
    assert dumps(a) == dumps(b)
    ports = [e.get("port") for e in json.loads(dumps(a))["edges"] if e["from"] == "check"]
    assert ports == ["yes", "no"]


def _two_branch_diagram(reverse: bool) -> Diagram:
    d = Diagram("Branches")
    d.add_node(Node("start", "trigger.manual", {"segment": "all"}))
    d.add_node(Node("check", "condition.attribute", {"field": "plan", "op": "eq", "value": "pro"}))
    d.add_node(Node("a", "action.score", {"points": 1}))
    d.add_node(Node("b", "action.score", {"points": 2}))
    edges = [Edge("start", "check"), Edge("check", "a", "yes"), Edge("check", "b", "no")]
    for edge in reversed(edges) if reverse else edges:
        d.add_edge(edge)
    return d


def test_saved_document_has_sorted_keys_and_omits_the_default_port():
    text = dumps(_two_branch_diagram(reverse=False))
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["format"] == FORMAT
    assert {"from": "start", "to": "check"} in data["edges"]
    assert text.endswith("}\n")


def test_positions_stay_whole_numbers_after_moves():
    d = _two_branch_diagram(reverse=False)
    d.move_node("a", (120.0, -40.0))
    d.move_node("b", (10.256, 3.5))
    nodes = {n["id"]: n for n in json.loads(dumps(d))["nodes"]}
    assert nodes["a"]["position"] == [120, -40]
    assert nodes["b"]["position"] == [10.26, 3.5]
    assert "[\n        120," in dumps(d)


def _doc(**overrides) -> dict:
    doc = {
        "format": FORMAT,
        "name": "T",
        "settings": {},
        "nodes": [
            {"id": "start", "type": "trigger.manual", "params": {"segment": "all"}},
            {"id": "mail", "type": "action.send_email", "params": {"template": "hi"}},
        ],
        "edges": [{"from": "start", "to": "mail"}],
    }
    doc.update(overrides)
    return doc


def test_invalid_json_names_the_line_and_column():
    with pytest.raises(FormatError) as info:
        loads('{\n  "format": "campaign-studio/1",\n  "nodes": [,]\n}', "broken.json")
    assert info.value.line == 3
    assert "broken.json:3:" in str(info.value)


@pytest.mark.parametrize(
    ("doc", "needle"),
    [
        ([], "JSON object"),
        ({"name": "x"}, "missing"),
        ({"format": "campaign-studio/9"}, "unsupported format"),
        ({"format": FORMAT, "nodes": {}}, '"nodes" must be a list'),
    ],
)
def test_not_the_format_is_a_format_error(doc, needle):
    with pytest.raises(FormatError, match=needle):
        loads(json.dumps(doc))


@pytest.mark.parametrize(
    ("change", "node", "needle"),
    [
        (lambda d: d["nodes"][1].update(type="action.fax"), "mail", "unknown node type"),
        (lambda d: d["edges"].append({"from": "mail", "port": "yes", "to": "start"}), "mail",
         "unknown port"),
        (lambda d: d["nodes"].append({"id": "mail", "type": "exit"}), "mail", "duplicate"),
        (lambda d: d["edges"].append({"from": "mail", "to": "ghost"}), "mail", "not a node"),
        (lambda d: d["edges"].append({"from": "ghost", "to": "mail"}), "ghost", "not a node"),
    ],
)  # fmt: skip
def test_malformed_nodes_and_edges_name_the_node(change, node, needle):
    doc = _doc()
    change(doc)
    with pytest.raises(LoadError) as info:
        loads(json.dumps(doc))
    assert any(p.node == node and needle in p.message for p in info.value.problems)
    _, problems = loads(json.dumps(doc), strict=False)
    assert any(p.node == node for p in problems)


def test_lenient_load_keeps_everything_that_is_well_formed():
    doc = _doc()
    doc["edges"].append({"from": "mail", "to": "ghost"})
    diagram, problems = loads(json.dumps(doc), strict=False)
    assert list(diagram.nodes) == ["start", "mail"]
    assert diagram.edges == [Edge("start", "mail")]
    assert len(problems) == 1


def test_annotations_round_trip():
    d = _two_branch_diagram(reverse=False)
    from engine.diagram import Annotation

    d.add_annotation(Annotation("note", "note", "Remember the A/B test", (10, 20, 200, 80)))
    d.add_annotation(Annotation("grp", "group", "Follow-up", (0, 0, 600, 300), "#ffeecc"))
    text = dumps(d)
    again, problems = loads(text)
    assert problems == []
    assert dumps(again) == text
    assert again.annotations["grp"].color == "#ffeecc"


def test_node_ids_may_be_any_readable_name_but_not_blank_or_control_characters():
    doc = _doc()
    doc["nodes"][1]["id"] = "send welcome – Größe"
    doc["edges"] = [{"from": "start", "to": "send welcome – Größe"}]
    diagram, problems = loads(json.dumps(doc))
    assert problems == [] and "send welcome – Größe" in diagram.nodes
    assert loads(dumps(diagram))[0].nodes.keys() == diagram.nodes.keys()
    for bad in ("", "   ", "a\nb", "x" * 101):
        doc["nodes"][1]["id"] = bad
        _, problems = loads(json.dumps(doc), strict=False)
        assert any('needs an "id"' in p.message for p in problems), bad
