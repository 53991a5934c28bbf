"""The editor's "Export as graph" action writes GraphML, GEXF or DOT that networkx reads."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from designer.editor import CampaignEditor

SAMPLE = Path("resources/campaigns/win_back.campaign.json")


@pytest.mark.parametrize(("chosen", "suffix"), [
    ("GraphML (*.graphml)", ".graphml"), ("GEXF (*.gexf)", ".gexf"),
    ("Graphviz DOT (*.dot)", ".dot"),
])  # fmt: skip
def test_export_graph_action_writes_the_chosen_format(qtbot, tmp_path, monkeypatch, chosen,
                                                      suffix):  # fmt: skip
    editor = CampaignEditor()
    qtbot.addWidget(editor)
    assert editor.open_file(SAMPLE)
    action = editor.actions["export_graph"]
    assert action.text().replace("&", "") == "Export as graph (GraphML, GEXF, DOT)…"
    target = tmp_path / "win_back"  # no suffix typed: the chosen filter's is added
    monkeypatch.setattr(
        "designer.editor.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), chosen)
    )
    action.trigger()
    written = target.with_name("win_back" + suffix)
    assert written.is_file()
    if suffix == ".graphml":
        graph = nx.read_graphml(written, force_multigraph=True)
    elif suffix == ".gexf":
        graph = nx.read_gexf(written)
    else:
        text = written.read_text(encoding="utf-8")
        assert text.startswith('digraph "') and "style=dashed" in text
        return
    assert set(graph.nodes) == set(editor.diagram.nodes)
    node = editor.diagram.nodes["wait_a"]
    assert json.loads(graph.nodes["wait_a"]["params"]) == node.params
