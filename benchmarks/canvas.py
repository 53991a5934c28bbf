"""Canvas speed: load, repaint, zoom-to-fit and move on a 1,000-node, 1,200-edge diagram.

Three contenders, each in its own subprocess so that peak memory is fair:
  ours         designer.scene.CampaignScene + CampaignView over an engine Diagram
  nodegraphqt  NodeGraphQt (through Qt.py on PySide6) loading the same graph as a session
  floor        a bare QGraphicsScene with as many QGraphicsRectItems and QGraphicsPathItems

    python benchmarks/canvas.py [--nodes 1000] [--edges 1200] [--repeat 3] [--json]

Times are process CPU time, the median of --repeat runs (each a fresh process; the
contenders take turns, so a busy moment hits all of them); memory is the peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# CPU time of the process: the benchmark machine is shared, and wall time there measures
# the neighbours as much as the canvas. Every contender is timed the same way.
clock = time.process_time
RENDER_SIZE = (1920, 1080)
MOVED = 100
TARGETS = {"vs_nodegraphqt": 3.0, "vs_floor": 4.0, "memory_mb": 150.0}


# ---- the graph, the same for every contender ----


def build_graph(nodes: int, edges: int, seed: int = 7) -> dict:
    """Plain data: node kinds (ports), positions and edges (source, port index, target)."""
    rng = random.Random(seed)
    layers = max(2, round((nodes / 2.5) ** 0.5))
    per_layer = -(-nodes // layers)
    kinds, positions, layer_of = [], [], []
    for i in range(nodes):
        layer, row = divmod(i, per_layer)
        if layer == 0:
            kind = "trigger"
        else:
            kind = rng.choices(["email", "wait", "condition", "split"], [4, 2, 3, 1])[0]
        kinds.append(kind)
        positions.append((layer * 240, row * 100))
        layer_of.append(layer)
    ports = {"trigger": 1, "email": 1, "wait": 1, "condition": 2, "split": 2}
    free = {i: list(range(ports[k])) for i, k in enumerate(kinds)}
    by_layer: dict[int, list[int]] = {}
    for i, layer in enumerate(layer_of):
        by_layer.setdefault(layer, []).append(i)
    out = []
    for target in range(nodes):  # every non-trigger node gets an input from the layer before
        layer = layer_of[target]
        if layer == 0 or len(out) >= edges:
            continue
        sources = [s for s in by_layer[layer - 1] if free[s]] or [
            s for s in range(nodes) if layer_of[s] < layer and free[s]
        ]
        if not sources:
            continue
        source = rng.choice(sources)
        out.append((source, free[source].pop(0), target))
    attempts = 0
    while len(out) < edges and attempts < edges * 50:  # extra edges forward to later layers
        attempts += 1
        source = rng.randrange(nodes)
        if not free[source] or layer_of[source] == layers - 1:
            continue
        later = [t for t in by_layer.get(layer_of[source] + rng.randint(1, 2), [])]
        if not later:
            continue
        out.append((source, free[source].pop(0), rng.choice(later)))
    return {"kinds": kinds, "positions": positions, "edges": out}


def to_diagram(graph: dict):
    from engine.diagram import Diagram, Edge, Node

    types = {
        "trigger": ("trigger.segment_entry", {"segment": "all"}, ["out"]),
        "email": ("action.send_email", {"template": "welcome"}, ["out"]),
        "wait": ("wait.delay", {"duration": "P2D"}, ["out"]),
        "condition": ("condition.event", {"event": "email_opened"}, ["yes", "no"]),
        "split": (
            "condition.split",
            {"branches": [{"port": "A", "percent": 50}, {"port": "B", "percent": 50}]},
            ["A", "B"],
        ),
    }
    diagram = Diagram("Benchmark")
    for i, kind in enumerate(graph["kinds"]):
        type_name, params, _ports = types[kind]
        diagram.nodes[f"n{i}"] = Node(f"n{i}", type_name, dict(params), graph["positions"][i])
    for source, port, target in graph["edges"]:
        port_name = types[graph["kinds"][source]][2][port]
        diagram.edges.append(Edge(f"n{source}", f"n{target}", port_name))
    return diagram


# ---- contenders (each runs in its own process) ----


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _render(scene, source) -> float:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    image = QImage(*RENDER_SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    start = clock()
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, *RENDER_SIZE), source)
    painter.end()
    return clock() - start


def run_ours(graph: dict) -> dict:
    app = _app()
    from PySide6.QtGui import QUndoStack

    from designer.commands import MoveNodes
    from designer.scene import CampaignScene
    from designer.view import CampaignView

    diagram = to_diagram(graph)
    stack = QUndoStack()
    t0 = clock()
    scene = CampaignScene(diagram, stack)
    load = clock() - t0
    source = scene.content_rect().adjusted(-40, -40, 40, 40)
    render = _render(scene, source)
    render_warm = _render(scene, source)
    view = CampaignView(scene)
    view.resize(*RENDER_SIZE)
    t0 = clock()
    view.zoom_to_fit()
    fit = clock() - t0
    chosen = list(diagram.nodes)[::10][:MOVED]
    scene.select_nodes(chosen)
    t0 = clock()
    moves = {
        n: (
            diagram.nodes[n].position,
            (diagram.nodes[n].position[0] + 40, diagram.nodes[n].position[1] + 40),
        )
        for n in scene.selected_node_ids()
    }
    stack.push(MoveNodes(diagram, moves, text="Move"))
    move = clock() - t0
    assert scene.nodes[chosen[0]].pos().x() == moves[chosen[0]][1][0]
    app.processEvents()
    return {
        "load": load,
        "render": render,
        "render_warm": render_warm,
        "fit": fit,
        "move": move,
        "items": len(scene.items()),
    }


def run_floor(graph: dict) -> dict:
    app = _app()
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
    from PySide6.QtWidgets import (
        QGraphicsPathItem,
        QGraphicsRectItem,
        QGraphicsScene,
        QGraphicsView,
    )

    def curve(a: QPointF, b: QPointF) -> QPainterPath:
        path = QPainterPath(a)
        pull = max(40.0, abs(b.x() - a.x()) / 2)
        path.cubicTo(QPointF(a.x() + pull, a.y()), QPointF(b.x() - pull, b.y()), b)
        return path

    t0 = clock()
    scene = QGraphicsScene()
    brush, pen = QBrush(QColor("#ffffff")), QPen(QColor("#888888"))
    rects = []
    for x, y in graph["positions"]:
        item = QGraphicsRectItem(0, 0, 180, 64)
        item.setPos(x, y)
        item.setBrush(brush)
        item.setPen(pen)
        scene.addItem(item)
        rects.append(item)
    paths = []
    for source, port, target in graph["edges"]:
        a = rects[source].pos() + QPointF(180, 32 + port * 20)
        b = rects[target].pos() + QPointF(0, 32)
        item = QGraphicsPathItem(curve(a, b))
        item.setPen(pen)
        scene.addItem(item)
        paths.append((item, source, port, target))
    load = clock() - t0
    source = scene.itemsBoundingRect()
    render = _render(scene, source)
    render_warm = _render(scene, source)
    view = QGraphicsView(scene)
    view.resize(*RENDER_SIZE)
    t0 = clock()
    view.fitInView(scene.itemsBoundingRect())
    fit = clock() - t0
    chosen = set(range(0, len(rects), 10)[:MOVED])
    t0 = clock()
    for i in chosen:
        rects[i].moveBy(40, 40)
    for item, s, port, t in paths:
        if s in chosen or t in chosen:
            item.setPath(
                curve(
                    rects[s].pos() + QPointF(180, 32 + port * 20), rects[t].pos() + QPointF(0, 32)
                )
            )
    move = clock() - t0
    app.processEvents()
    del QRectF
    return {
        "load": load,
        "render": render,
        "render_warm": render_warm,
        "fit": fit,
        "move": move,
        "items": len(scene.items()),
    }


def run_nodegraphqt(graph: dict) -> dict:
    os.environ["QT_API"] = "pyside6"
    app = _app()
    from NodeGraphQt import BaseNode, NodeGraph

    class Trigger(BaseNode):
        __identifier__ = "bench"
        NODE_NAME = "Trigger"

        def __init__(self):
            super().__init__()
            self.add_output("out")

    class Step(BaseNode):
        __identifier__ = "bench"
        NODE_NAME = "Step"

        def __init__(self):
            super().__init__()
            self.add_input("in")
            self.add_output("out")

    class Branch(BaseNode):
        __identifier__ = "bench"
        NODE_NAME = "Branch"

        def __init__(self):
            super().__init__()
            self.add_input("in")
            self.add_output("yes")
            self.add_output("no")

    graph_widget = NodeGraph()
    graph_widget.register_nodes([Trigger, Step, Branch])
    # Build once, serialize, and time loading that session (NodeGraphQt's own load path).
    kind_class = {
        "trigger": "bench.Trigger",
        "email": "bench.Step",
        "wait": "bench.Step",
        "condition": "bench.Branch",
        "split": "bench.Branch",
    }
    nodes = []
    t0 = clock()
    for i, kind in enumerate(graph["kinds"]):
        nodes.append(
            graph_widget.create_node(
                kind_class[kind],
                name=f"n{i}",
                selected=False,
                pos=list(graph["positions"][i]),
                push_undo=False,
            )
        )
    for source, port, target in graph["edges"]:
        nodes[source].output(port).connect_to(nodes[target].input(0), push_undo=False)
    build = clock() - t0  # building by API calls: the kinder of its two load paths
    session = graph_widget.serialize_session()
    graph_widget.clear_session()
    app.processEvents()
    t0 = clock()
    graph_widget.deserialize_session(session)
    load = clock() - t0
    scene = graph_widget.scene()
    all_nodes = graph_widget.all_nodes()
    source = scene.itemsBoundingRect()
    render = _render(scene, source)
    render_warm = _render(scene, source)
    viewer = graph_widget.viewer()
    viewer.resize(*RENDER_SIZE)
    t0 = clock()
    graph_widget.fit_to_selection()
    fit = clock() - t0
    by_name = {n.name(): n for n in all_nodes}
    chosen = [by_name[f"n{i}"] for i in range(0, len(all_nodes), 10)[:MOVED]]
    t0 = clock()
    graph_widget.begin_undo("move nodes")
    for node in chosen:
        x, y = node.pos()
        node.set_pos(x + 40, y + 40)
    graph_widget.end_undo()
    move = clock() - t0
    app.processEvents()
    return {
        "load": load,
        "build": build,
        "render": render,
        "render_warm": render_warm,
        "fit": fit,
        "move": move,
        "items": len(scene.items()),
    }


CONTENDERS = {"ours": run_ours, "nodegraphqt": run_nodegraphqt, "floor": run_floor}


def child(name: str, nodes: int, edges: int) -> None:
    graph = build_graph(nodes, edges)
    result = CONTENDERS[name](graph)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["edges"] = len(graph["edges"])
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # skip Qt teardown: it is not what we measure


def run_child(name: str, nodes: int, edges: int) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", name, "--nodes", str(nodes), "--edges", str(edges)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{name} failed:\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1])


def measure_all(nodes: int, edges: int, repeat: int, reference_repeat: int) -> dict:
    """Median per contender; runs interleave (ours, floor, NodeGraphQt, ours, floor, ...)."""
    runs: dict[str, list[dict]] = {name: [] for name in CONTENDERS}
    for i in range(max(repeat, reference_repeat)):
        for name in ("ours", "floor", "nodegraphqt"):
            wanted = reference_repeat if name == "nodegraphqt" else repeat
            if i < wanted:
                runs[name].append(run_child(name, nodes, edges))
    out = {}
    for name, results in runs.items():
        keys = [k for k in results[0] if isinstance(results[0][k], (int, float))]
        out[name] = {k: statistics.median(r[k] for r in results) for k in keys}
        out[name]["runs"] = len(results)
    return out


def report(results: dict) -> list[str]:
    ours, ngq, floor = results["ours"], results["nodegraphqt"], results["floor"]
    lines = [
        f"{'':12} {'load ms':>9} {'render ms':>10} {'warm ms':>9} {'fit ms':>8} "
        f"{'move100 ms':>11} {'peak MB':>8} {'items':>6}"
    ]
    for name in ("ours", "nodegraphqt", "floor"):
        r = results[name]
        lines.append(
            f"{name:12} {r['load'] * 1000:9.1f} {r['render'] * 1000:10.1f} "
            f"{r['render_warm'] * 1000:9.1f} {r['fit'] * 1000:8.2f} {r['move'] * 1000:11.1f} "
            f"{r['peak_mb']:8.0f} {r['items']:6.0f}"
        )
    lines.append(
        f"(NodeGraphQt load = deserialize_session; building the same graph with create_node "
        f"and connect_to took {ngq['build'] * 1000:.0f} ms; ratios use the faster of the two)"
    )
    lines.append("")
    ngq = dict(ngq, load=min(ngq["load"], ngq["build"]))
    for key in ("load", "render"):
        lines.append(
            f"{key}: {ngq[key] / ours[key]:.1f}x faster than NodeGraphQt "
            f"(target >= {TARGETS['vs_nodegraphqt']:.0f}x), "
            f"{ours[key] / floor[key]:.1f}x the floor (target <= {TARGETS['vs_floor']:.0f}x)"
        )
    lines.append(f"peak memory: {ours['peak_mb']:.0f} MB (target < {TARGETS['memory_mb']:.0f} MB)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--edges", type=int, default=1200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--reference-repeat",
        type=int,
        default=1,
        help="runs of NodeGraphQt (about a minute each at 1,000 nodes)",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", choices=sorted(CONTENDERS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.nodes, args.edges)
        return 0
    results = measure_all(args.nodes, args.edges, args.repeat, args.reference_repeat)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            f"{args.nodes} nodes, {results['ours']['edges']:.0f} edges; CPU time, median of "
            f"{args.repeat} runs ({args.reference_repeat} for NodeGraphQt), one process each"
        )
        print("\n".join(report(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
