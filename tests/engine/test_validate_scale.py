"""Validation is linear in the size of the diagram (issue 16, item 8): before, a split of
1,200 branches took 6.9 s and 2,400 took 52 s (cubic), 10,000 over 2 minutes."""

from __future__ import annotations

import json
import time

from engine.cli import main


def _big_split(path, branches: int) -> None:
    share = 100 / branches
    ports = [{"port": f"b{i}", "percent": share} for i in range(branches)]
    ports[-1]["percent"] = 100 - share * (branches - 1)
    nodes = [
        {"id": "t", "type": "trigger.manual", "params": {"filter": {"all": []}}},
        {"id": "s", "type": "condition.split", "params": {"branches": ports}},
    ]
    edges = [{"from": "t", "to": "s"}]
    for i in range(branches):
        nodes.append({"id": f"e{i}", "type": "exit", "params": {}})
        edges.append({"from": "s", "port": f"b{i}", "to": f"e{i}"})
    document = {"format": "campaign-studio/1", "name": "big", "nodes": nodes, "edges": edges}
    path.write_text(json.dumps(document))


def _seconds(path) -> float:
    best = float("inf")
    for _ in range(2):  # the better of two: the machine is shared
        began = time.perf_counter()
        assert main(["validate", str(path)]) in (0, 1)
        best = min(best, time.perf_counter() - began)
    return best


def test_validation_time_grows_linearly(tmp_path, capsys):
    small, large = tmp_path / "small.campaign.json", tmp_path / "large.campaign.json"
    _big_split(small, 1000)
    _big_split(large, 4000)
    main(["validate", str(small)])  # imports out of the way
    ratio = _seconds(large) / _seconds(small)
    capsys.readouterr()
    assert _seconds(large) < 3  # 4,000 branches; before: minutes
    assert ratio < 8  # 4× the nodes: linear ≈ 4, quadratic 16, cubic 64
