"""Diagram exports read back by tools we did not write: networkx's GraphML and GEXF
readers, json, and Graphviz's own `dot` program."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from engine.diagram import Annotation, Diagram
from engine.fileformat import dumps, load
from engine.graph_export import FORMATS, export_diagram, node_link

SAMPLES = sorted(Path("resources/campaigns").glob("*.campaign.json"))


def _with_notes(path: Path) -> Diagram:
    diagram, problems = load(path)
    assert problems == []
    diagram.add_annotation(Annotation("n1", "note", 'Ask "Legal" first\nthen send', (0, 0, 50, 50)))
    xs = [n.position[0] for n in diagram.nodes.values()]
    ys = [n.position[1] for n in diagram.nodes.values()]
    rect = (min(xs) - 1, min(ys) - 1, max(xs) - min(xs) + 2, max(ys) - min(ys) + 2)
    diagram.add_annotation(Annotation("g1", "group", "Everything", rect, "#ff0000"))
    return diagram


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_graphml_of_every_sample_reads_back_with_networkx(path: Path):
    diagram = _with_notes(path)
    graph = nx.read_graphml(io.BytesIO(export_diagram(diagram, "graphml")), force_multigraph=True)
    assert isinstance(graph, nx.MultiDiGraph)
    assert set(graph.nodes) == set(diagram.nodes)
    for node in diagram.nodes.values():
        data = graph.nodes[node.id]
        assert data["type"] == node.type
        assert json.loads(data["params"]) == node.params
        assert (data["x"], data["y"]) == (float(node.position[0]), float(node.position[1]))
    edges = sorted((s, t, k) for s, t, k in graph.edges(keys=True))
    assert edges == sorted((e.source, e.target, e.port) for e in diagram.edges)
    assert all(d["port"] == k for _, _, k, d in graph.edges(keys=True, data=True))
    assert json.loads(graph.graph["settings"]) == diagram.settings
    notes = json.loads(graph.graph["annotations"])
    assert [(a["id"], a["kind"], a["text"]) for a in notes] == [
        ("n1", "note", 'Ask "Legal" first\nthen send'),
        ("g1", "group", "Everything"),
    ]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_gexf_of_every_sample_reads_back_with_networkx(path: Path):
    diagram = _with_notes(path)
    graph = nx.read_gexf(io.BytesIO(export_diagram(diagram, "gexf")))
    assert set(graph.nodes) == set(diagram.nodes)
    for node in diagram.nodes.values():
        data = graph.nodes[node.id]
        assert data["label"] == (node.label or node.id)
        assert data["type"] == node.type
        assert json.loads(data["params"]) == node.params
    ports = sorted((s, t, d["port"]) for s, t, d in graph.edges(data=True))
    assert ports == sorted((e.source, e.target, e.port) for e in diagram.edges)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_node_link_data_is_json_and_round_trips_with_notes_and_groups(path: Path):
    diagram = _with_notes(path)
    text = json.dumps(node_link(diagram))
    graph = nx.node_link_graph(json.loads(text), edges="edges")
    again = Diagram.from_networkx(graph)
    assert dumps(again) == dumps(diagram)
    assert {a.id: a.kind for a in again.annotations.values()} == {"n1": "note", "g1": "group"}


def test_campaign_format_is_the_file_itself():
    diagram, _ = load(SAMPLES[0])
    assert export_diagram(diagram, "campaign") == SAMPLES[0].read_bytes()


def test_an_unknown_format_is_a_named_error():
    diagram, _ = load(SAMPLES[0])
    with pytest.raises(ValueError, match="unknown export format 'svgz'"):
        export_diagram(diagram, "svgz")
    assert set(FORMATS) == {"campaign", "graphml", "gexf", "dot"}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_graphviz_reads_the_dot_export_with_ports_and_dashed_goal_links(path: Path):
    diagram = _with_notes(path)
    dot = shutil.which("dot")
    assert dot, "Graphviz's dot is missing: run scripts/install-system-deps.sh"
    result = subprocess.run([dot, "-Tjson0"], input=export_diagram(diagram, "dot"),
                            capture_output=True, timeout=30, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    drawn = json.loads(result.stdout)
    names = {o["_gvid"]: o["name"] for o in drawn.get("objects", []) if "nodes" not in o}
    assert set(diagram.nodes) <= set(names.values())
    flows, dashed = [], []
    for edge in drawn.get("edges", []):
        pair = (names[edge["tail"]], names[edge["head"]])
        if edge.get("style") == "dashed":
            dashed.append(pair)
        else:
            flows.append((*pair, edge["port"]))
            node = diagram.nodes[pair[0]]
            assert (
                json.loads(next(o for o in drawn["objects"] if o.get("name") == node.id)["params"])
                == node.params
            )
    assert sorted(flows) == sorted((e.source, e.target, e.port) for e in diagram.edges)
    goals = [n.id for n in diagram.nodes.values() if n.type == "goal"]
    assert sorted(dashed) == sorted((f"event:{g}", g) for g in goals)
    assert any(o["name"] == "cluster_g1" for o in drawn["objects"] if "nodes" in o) or any(
        o.get("name") == "cluster_g1" for o in drawn["objects"]
    )
