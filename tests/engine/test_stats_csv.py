"""Statistics CSV: nodes named by their labels, every cell formula-safe, read back by
Python's csv module as a spreadsheet would get it."""

from __future__ import annotations

import csv
import io

from engine.diagram import Diagram, Node
from engine.stats_csv import node_label, write_stats_csv


def test_labels_not_ids_and_formula_cells_escaped():
    diagram = Diagram("x")
    diagram.nodes["start"] = Node("start", "trigger.manual", {"segment": "vips"})
    diagram.nodes["n2"] = Node("n2", "action.send_email", {"template": "welcome"},
                               label="=HYPERLINK(\"http://evil\")")  # fmt: skip
    diagram.nodes["w"] = Node("w", "wait.delay", {"duration": "P1D"})
    document = {
        "nodes": {"start": {"entered": 5, "ports": {"out": 5}},
                  "n2": {"entered": 5, "sent": 4, "ports": {"out": 5}},
                  "w": {"entered": 5, "waiting": 5, "ports": {}}},
        "campaign": {"edges": {"start.out": 5, "n2.out": 5},
                     "days": [{"date": "2026-03-02", "entered": 5, "sent": 4, "opened": 0,
                               "clicked": 0, "converted": 0}]},
    }  # fmt: skip
    out = io.StringIO()
    write_stats_csv(document, diagram, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:3] == ["node", "node id", "entered"]
    by_id = {r[1]: r for r in rows[1:4]}
    assert by_id["start"][0] == node_label(diagram.nodes["start"]) == "Blast to segment vips"
    assert by_id["n2"][0] == '\'=HYPERLINK("http://evil")'  # not a formula any more
    assert by_id["w"][0] == "Wait 1 day"
    edges = rows[rows.index(["from", "from id", "port", "contacts"]) + 1 :][:2]
    assert edges[0][:2] == ["Blast to segment vips", "start"]
    assert rows[-1] == ["2026-03-02", "5", "4", "0", "0", "0"]
