"""The `.campaign.json` file format: parse, migrate, build the model; and save.

Loading happens in two steps (as in Orange's readwrite): the text is parsed to plain
data and checked against the format, then the model is built. Problems in single
nodes or edges (unknown type, unknown port, missing parameter, duplicate id, dangling
edge) are collected as `Problem`s naming the node; a document that is not JSON or not
this format raises `FormatError` with the file and line/column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine import strict_json
from engine.catalog import CATALOG
from engine.diagram import ID_PATTERN, Annotation, Diagram, Edge, Node
from engine.i18n import _
from engine.problems import Problem

FORMAT = "campaign-studio/1"
EXTENSION = ".campaign.json"


class FormatError(ValueError):
    """The document is not valid JSON or not a campaign-studio document."""

    def __init__(self, message: str, source: str = "", line: int | None = None,
                 column: int | None = None) -> None:  # fmt: skip
        self.source, self.line, self.column = source, line, column
        where = source or "<document>"
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        super().__init__(f"{where}: {message}")


class LoadError(ValueError):
    """A strict load found problems in nodes or edges."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = problems
        lines = [str(p) for p in problems]
        super().__init__((f"{source}: " if source else "") + "; ".join(lines))


# ---- reading ------------------------------------------------------------------------


def parse_text(text: str, source: str = "") -> dict[str, Any]:
    """Step 1: JSON text to plain data, checked for the top-level shape and version."""
    try:  # duplicate keys, NaN/Infinity, huge numbers, lone surrogates: refused with the line
        data = strict_json.loads(text)
    except strict_json.JsonProblem as exc:
        raise FormatError(exc.message, source, exc.line, exc.column) from None
    return migrate(data, source)


def migrate(data: Any, source: str = "") -> dict[str, Any]:
    """Check the version and bring older versions up to the current one."""
    if not isinstance(data, dict):
        raise FormatError("a campaign must be a JSON object", source, 1, 1)
    version = data.get("format")
    if version != FORMAT:
        raise FormatError(
            f"unsupported format {version!r} (expected {FORMAT!r})"
            if version is not None
            else f'missing "format": {FORMAT!r} — is this a campaign file?',
            source,
        )
    for key, kind in (("nodes", list), ("edges", list)):
        if key in data and not isinstance(data[key], kind):
            raise FormatError(f'"{key}" must be a list', source)
    if "settings" in data and not isinstance(data["settings"], dict):
        raise FormatError('"settings" must be an object', source)
    if "name" in data and not isinstance(data["name"], str):
        raise FormatError('"name" must be text', source)
    if "annotations" in data and not isinstance(data["annotations"], list):
        raise FormatError('"annotations" must be a list', source)
    return data


def build(data: dict[str, Any]) -> tuple[Diagram, list[Problem]]:
    """Step 2: plain data to a model, collecting per-node problems (never raising)."""
    problems: list[Problem] = []
    diagram = Diagram(data.get("name") or "Untitled campaign", data.get("settings") or {})
    for i, raw in enumerate(data.get("nodes") or []):
        node = _build_node(raw, i, problems)
        if node is None:
            continue
        if node.id in diagram.nodes:
            problems.append(Problem(node.id, f"duplicate node id {node.id!r} (node #{i + 1})"))
            continue
        diagram.nodes[node.id] = node
    ports: dict[str, tuple[list[str], set[str]]] = {}  # per node, worked out once
    taken: set[tuple[str, str]] = set()
    for i, raw in enumerate(data.get("edges") or []):
        edge = _build_edge(raw, i, diagram, problems, ports)
        if edge is None:
            continue
        if (edge.source, edge.port) in taken:
            problems.append(
                Problem(edge.source, f"port {edge.port!r} has more than one edge", edge=edge)
            )
            continue
        taken.add((edge.source, edge.port))
        diagram.edges.append(edge)
    for i, raw in enumerate(data.get("annotations") or []):
        annotation = _build_annotation(raw, i, problems)
        if annotation and annotation.id not in diagram.annotations:
            diagram.annotations[annotation.id] = annotation
    return diagram, problems


def _build_node(raw: Any, i: int, problems: list[Problem]) -> Node | None:
    where = f"node #{i + 1}"
    if not isinstance(raw, dict):
        problems.append(Problem(None, f"{where} must be an object"))
        return None
    node_id = raw.get("id")
    if not isinstance(node_id, str) or not ID_PATTERN.match(node_id):
        problems.append(
            Problem(None, f'{where} needs an "id": a name of 1 to 100 characters (got {node_id!r})')
        )
        return None
    extra = set(raw) - {"id", "type", "params", "position", "label"}
    if extra:
        problems.append(Problem(node_id, f"unknown key(s) {', '.join(sorted(extra))}", "warning"))
    node_type = raw.get("type")
    if not isinstance(node_type, str):
        problems.append(Problem(node_id, 'missing "type"'))
        node_type = ""
    elif node_type not in CATALOG:
        problems.append(Problem(node_id, f"unknown node type {node_type!r}"))
    params = raw.get("params", {})
    if not isinstance(params, dict):
        problems.append(Problem(node_id, '"params" must be an object'))
        params = {}
    position = raw.get("position", [0, 0])
    if (
        not isinstance(position, list)
        or len(position) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in position)
    ):
        problems.append(Problem(node_id, '"position" must be [x, y] numbers', "warning"))
        position = [0, 0]
    label = raw.get("label")
    if label is not None and not isinstance(label, str):
        problems.append(Problem(node_id, '"label" must be text', "warning"))
        label = None
    return Node(node_id, node_type, params, (position[0], position[1]), label)


def _build_edge(raw: Any, i: int, diagram: Diagram, problems: list[Problem],
                ports_of: dict[str, tuple[list[str], set[str]]]) -> Edge | None:  # fmt: skip
    where = _("edge #{n}").format(n=i + 1)
    if not isinstance(raw, dict):
        problems.append(Problem(None, _("{where} must be an object").format(where=where)))
        return None
    source, target, port = raw.get("from"), raw.get("to"), raw.get("port")
    if not isinstance(source, str) or not isinstance(target, str):
        problems.append(Problem(None, _('{where} needs "from" and "to" node ids').format(
            where=where)))  # fmt: skip
        return None
    if source not in diagram.nodes:
        problems.append(Problem(source, _("{where} comes from {node}, which is not a node").format(
            where=where, node=repr(source))))  # fmt: skip
        return None
    if target not in diagram.nodes:
        problems.append(Problem(source, _("{where} goes to {node}, which is not a node").format(
            where=where, node=repr(target))))  # fmt: skip
        return None
    node = diagram.nodes[source]
    spec = CATALOG.get(node.type)
    if source not in ports_of:
        names = spec.port_names(node.params) if spec else []
        ports_of[source] = (names, set(names))
    ports, port_set = ports_of[source]
    if port is None:
        if len(ports) == 1:
            port = ports[0]
        elif spec is None:
            port = "out"
        else:
            choices = _(" or ").join(repr(p) for p in ports) or _("none (it has no outputs)")
            problems.append(Problem(source, _('{where} to {node} needs a "port": {choices}').format(
                where=where, node=repr(target), choices=choices)))  # fmt: skip
            return None
    if not isinstance(port, str):
        problems.append(Problem(source, _('{where}: "port" must be text').format(where=where)))
        return None
    if spec is not None and port not in port_set:
        choices = ", ".join(ports) or _("none")
        text = _("unknown port {port} on {type} (its ports: {choices})")
        problems.append(
            Problem(source, text.format(port=repr(port), type=node.type, choices=choices))
        )
        return None
    return Edge(source, target, port)


def _build_annotation(raw: Any, i: int, problems: list[Problem]) -> Annotation | None:
    try:
        rect = raw.get("rect", [0, 0, 200, 120])
        ok = (
            isinstance(raw.get("id"), str)
            and raw.get("kind") in ("note", "group")
            and isinstance(raw.get("text", ""), str)
            and isinstance(rect, list)
            and len(rect) == 4
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in rect)
        )
    except AttributeError:
        ok = False
    if not ok:
        problems.append(Problem(None, f"annotation #{i + 1} is malformed and was skipped",
                                "warning"))  # fmt: skip
        return None
    return Annotation(raw["id"], raw["kind"], raw.get("text", ""), tuple(rect), raw.get("color"))


def loads(text: str, source: str = "", strict: bool = True) -> tuple[Diagram, list[Problem]]:
    """Text to (diagram, load problems). Strict: raise LoadError if any problem is an error."""
    diagram, problems = build(parse_text(text, source))
    if strict and any(p.severity == "error" for p in problems):
        raise LoadError(problems, source)
    return diagram, problems


def load(path: str | Path, strict: bool = True) -> tuple[Diagram, list[Problem]]:
    """Read a `.campaign.json` file; FormatError names the file and line for bad JSON."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 text (byte {exc.start})", str(path)) from None
    return loads(text, str(path), strict)


# ---- writing ------------------------------------------------------------------------


def to_data(diagram: Diagram) -> dict[str, Any]:
    """The model as plain data in the one stable order (nodes as placed, edges canonical)."""
    ordered = diagram.copy()
    ordered.sort_edges()
    nodes = []
    for node in ordered.nodes.values():
        item: dict[str, Any] = {
            "id": node.id,
            "type": node.type,
            "params": node.params,
            "position": [_tidy(node.position[0]), _tidy(node.position[1])],
        }
        if node.label:
            item["label"] = node.label
        nodes.append(item)
    edges = []
    for edge in ordered.edges:
        item = {"from": edge.source, "to": edge.target}
        if edge.port != "out":
            item["port"] = edge.port
        edges.append(item)
    data: dict[str, Any] = {
        "format": FORMAT,
        "name": diagram.name,
        "settings": diagram.settings,
        "nodes": nodes,
        "edges": edges,
    }
    if diagram.annotations:
        data["annotations"] = [
            {
                k: v
                for k, v in (
                    ("id", a.id),
                    ("kind", a.kind),
                    ("text", a.text),
                    ("rect", [_tidy(v) for v in a.rect]),
                    ("color", a.color),
                )
                if v is not None
            }
            for a in diagram.annotations.values()
        ]
    return data


def dumps(diagram: Diagram) -> str:
    """Diff-friendly JSON: keys sorted, two-space indent, UTF-8, newline at the end."""
    return json.dumps(to_data(diagram), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save(diagram: Diagram, path: str | Path) -> None:
    """Write atomically: a crash mid-save never leaves a half-written campaign."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(diagram), encoding="utf-8", newline="\n")
    tmp.replace(path)


def _tidy(value: float) -> float:
    value = float(value)
    return int(value) if value.is_integer() else round(value, 2)
