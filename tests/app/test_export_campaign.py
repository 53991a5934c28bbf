"""File ▸ Export campaign from the window: the open campaign as a campaign file, GraphML,
GEXF or DOT, read back by the file format's loader, networkx and Graphviz's dot."""

from __future__ import annotations

import shutil
import subprocess

import networkx as nx
import pytest
from shell_helpers import build_demo_db, copy_db, create_from_sample, main_window

from engine.clock import VirtualClock, utcnow
from engine.fileformat import dumps, load


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("demo"))


def test_file_menu_exports_the_open_campaign_in_each_format(qtbot, tmp_path, demo_db,
                                                            monkeypatch):  # fmt: skip
    _ws, window = main_window(qtbot, copy_db(demo_db, tmp_path), VirtualClock(utcnow()))
    action = window.actions["export_campaign"]
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert action in file_menu.actions()
    create_from_sample(qtbot, window, "Win back")
    diagram = window.campaign_page.diagram
    answers = iter([
        (str(tmp_path / "wb"), "Campaign file (*.campaign.json)"),
        (str(tmp_path / "wb"), "GraphML (*.graphml)"),
        (str(tmp_path / "wb.gexf"), ""),
        (str(tmp_path / "wb"), "Graphviz DOT (*.dot)"),
    ])  # fmt: skip
    monkeypatch.setattr("app.export_campaign.QFileDialog.getSaveFileName",
                        lambda *a, **k: next(answers))  # fmt: skip
    for _ in range(4):
        action.trigger()
    again, problems = load(tmp_path / "wb.campaign.json")
    assert problems == [] and dumps(again) == dumps(diagram)
    graph = nx.read_graphml(tmp_path / "wb.graphml", force_multigraph=True)
    assert set(graph.nodes) == set(diagram.nodes)
    assert set(nx.read_gexf(tmp_path / "wb.gexf").nodes) == set(diagram.nodes)
    dot = shutil.which("dot")
    assert dot, "Graphviz's dot is missing: run scripts/install-system-deps.sh"
    drawn = subprocess.run([dot, "-Tplain", str(tmp_path / "wb.dot")], capture_output=True,
                           text=True, timeout=30, check=False)  # fmt: skip
    assert drawn.returncode == 0, drawn.stderr
    assert "dashed" in drawn.stdout  # the goal's event link
    assert "Exported wb.dot" in window.statusBar().currentMessage()
