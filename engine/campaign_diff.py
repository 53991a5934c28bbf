"""What changed between two versions of a campaign: nodes and edges added, removed or
changed (parameters side by side), settings and name. Plain data, for the command line's
`campaigns diff` and the window's visual diff alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

_ABSENT = object()  # a key missing on one side (shown as null, but unlike a stored null)


def _nodes(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in definition.get("nodes", []) if isinstance(n, dict) and "id" in n}


def _edges(definition: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (e["from"], e.get("port") or "out", e["to"])
        for e in definition.get("edges", [])
        if isinstance(e, dict) and "from" in e and "to" in e
    }


def _changed_keys(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{key: [old value, new value]} for every key whose value differs (null when absent)."""
    return {
        key: [old.get(key), new.get(key)]
        for key in sorted(set(old) | set(new))
        if old.get(key, _ABSENT) != new.get(key, _ABSENT)
    }


def diff_definitions(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Compare two campaign file documents.

    Returns {"name": [old, new] or None, "settings": {key: [old, new]},
    "nodes": {"added": [node], "removed": [node], "changed": [{"id", "type", "params":
    {key: [old, new]}, "type_change": [old, new] or None, "label": [old, new] or None,
    "moved": bool}]}, "edges": {"added": [{"from", "port", "to"}], "removed": [...]},
    "same": bool}. A node that only moved is listed as changed with `moved` true and no
    parameters."""
    old_nodes, new_nodes = _nodes(old), _nodes(new)
    added = [new_nodes[i] for i in new_nodes if i not in old_nodes]
    removed = [old_nodes[i] for i in old_nodes if i not in new_nodes]
    changed = []
    for node_id in (i for i in new_nodes if i in old_nodes):
        a, b = old_nodes[node_id], new_nodes[node_id]
        params = _changed_keys(a.get("params") or {}, b.get("params") or {})
        type_change = [a.get("type"), b.get("type")] if a.get("type") != b.get("type") else None
        label = [a.get("label"), b.get("label")] if a.get("label") != b.get("label") else None
        moved = list(a.get("position") or []) != list(b.get("position") or [])
        if params or type_change or label or moved:
            changed.append({
                "id": node_id,
                "type": b.get("type"),
                "type_change": type_change,
                "label": label,
                "params": params,
                "moved": moved,
            })  # fmt: skip
    old_edges, new_edges = _edges(old), _edges(new)

    def edge_list(keys: set[tuple[str, str, str]]) -> list[dict[str, str]]:
        return [{"from": f, "port": p, "to": t} for f, p, t in sorted(keys)]

    name = [old.get("name"), new.get("name")] if old.get("name") != new.get("name") else None
    settings = _changed_keys(old.get("settings") or {}, new.get("settings") or {})
    result = {
        "name": name,
        "settings": settings,
        "nodes": {"added": added, "removed": removed, "changed": changed},
        "edges": {
            "added": edge_list(new_edges - old_edges),
            "removed": edge_list(old_edges - new_edges),
        },
    }
    result["same"] = not (name or settings or added or removed or changed or new_edges ^ old_edges)
    return result


def diff_versions(
    conn: Connection, campaign_id: int | str, old_version: int, new_version: int
) -> dict[str, Any]:
    """diff_definitions of two stored versions of a campaign, with "from" and "to" added.
    CampaignError when the campaign or a version does not exist."""
    from engine.campaigns import get_campaign, version_definition

    campaign = get_campaign(conn, campaign_id)
    old = version_definition(conn, campaign["id"], old_version)
    new = version_definition(conn, campaign["id"], new_version)
    return {
        "campaign": campaign["id"],
        "from": old_version,
        "to": new_version,
        **diff_definitions(old, new),
    }


def _value(value: Any) -> str:
    import json

    return "(none)" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def diff_lines(diff: dict[str, Any]) -> list[str]:
    """The diff as lines a person reads: '+ node', '- node', '~ node: param: old -> new'."""
    lines = []
    if diff.get("name"):
        lines.append(f"~ name: {_value(diff['name'][0])} -> {_value(diff['name'][1])}")
    for key, (a, b) in diff["settings"].items():
        lines.append(f"~ setting {key}: {_value(a)} -> {_value(b)}")
    for node in diff["nodes"]["added"]:
        lines.append(f"+ node {node['id']} ({node.get('type')})")
    for node in diff["nodes"]["removed"]:
        lines.append(f"- node {node['id']} ({node.get('type')})")
    for node in diff["nodes"]["changed"]:
        if node["type_change"]:
            a, b = node["type_change"]
            lines.append(f"~ node {node['id']}: type {a} -> {b}")
        if node["label"]:
            a, b = node["label"]
            lines.append(f"~ node {node['id']}: label {_value(a)} -> {_value(b)}")
        for key, (a, b) in node["params"].items():
            lines.append(f"~ node {node['id']}: {key}: {_value(a)} -> {_value(b)}")
        if node["moved"] and not (node["params"] or node["type_change"] or node["label"]):
            lines.append(f"~ node {node['id']}: moved")
    for edge in diff["edges"]["added"]:
        lines.append(f"+ edge {edge['from']}.{edge['port']} -> {edge['to']}")
    for edge in diff["edges"]["removed"]:
        lines.append(f"- edge {edge['from']}.{edge['port']} -> {edge['to']}")
    return lines


def merged_definition(
    old: dict[str, Any], new: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str], dict[tuple[str, str, str], str]]:
    """One document to draw a comparison on: the new version plus what the old one had and
    the new one lost, with marks — {node id: "added" | "removed" | "changed"} and
    {(from, port, to): "added" | "removed"}. Removed nodes keep their old place. A removed edge
    may leave the port an added one now uses: a model (one edge per port) keeps the added one,
    a drawing may show both."""
    diff = diff_definitions(old, new)
    merged = dict(new)
    merged["nodes"] = [*new.get("nodes", []), *diff["nodes"]["removed"]]
    removed_edges = [
        {"from": e["from"], "to": e["to"], **({"port": e["port"]} if e["port"] != "out" else {})}
        for e in diff["edges"]["removed"]
    ]
    merged["edges"] = [*new.get("edges", []), *removed_edges]
    node_marks = {n["id"]: "added" for n in diff["nodes"]["added"]}
    node_marks.update({n["id"]: "removed" for n in diff["nodes"]["removed"]})
    node_marks.update({
        n["id"]: "changed"
        for n in diff["nodes"]["changed"]
        if n["params"] or n["type_change"] or n["label"]
    })  # fmt: skip
    edge_marks = {(e["from"], e["port"], e["to"]): "added" for e in diff["edges"]["added"]}
    edge_marks.update(
        {(e["from"], e["port"], e["to"]): "removed" for e in diff["edges"]["removed"]}
    )
    return merged, node_marks, edge_marks
