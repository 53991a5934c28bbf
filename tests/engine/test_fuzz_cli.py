"""Fuzz (issue 16): 10,000 generated campaign files through `validate` and 1,000 generated
CSV files through `import`, in-process through the command line's main(). Each must exit
0, 1 or 2, never raise, never print a traceback or a bare Python error, and every problem
it reports must be a sentence (naming the node, file or line)."""

from __future__ import annotations

import contextlib
import io
import json
import random
import re

from engine.catalog import CATALOG
from engine.cli import main

CAMPAIGNS = int(__import__("os").environ.get("FUZZ_CAMPAIGNS", 10_000))
CSVS = int(__import__("os").environ.get("FUZZ_CSVS", 1_000))
BARE_ERROR = re.compile(r"\b[A-Z]\w*(Error|Exception|Warning)\b(?!\))|Traceback|\bline \d+, in ")

HOSTILE_TEXT = ["", " ", "x" * 300, "=HYPERLINK(\"http://e.example\")", "a\x00b", "tab\there",
                "\u202e", "Grüße", "日本語", '"', "'", "\\", "{{", "{{ contact.first_name }}",
                "{% for i in range(10) %}", "{{ 1/0 }}", "P2D", "-P1D", "P99999999999Y",
                "PT-1H", "9999-12-31", "0001-01-01", "2026-02-30", "25:00", "09:00", "NaN",
                "1e999", "-0", "mon", "tue", "http://x", "javascript:alert(1)", "out",
                "yes"]  # fmt: skip
HOSTILE_NUMBERS = [0, -1, 1, 50, 100, 101, 10**30, -(10**30), 1e308, -1e-308, 0.5, 2**63]
PARAM_NAMES = ["segment", "filter", "template", "subject", "body", "text", "duration", "at",
               "days", "start", "end", "event", "timeout", "node", "field", "op", "value",
               "branches", "points", "add", "remove", "channel", "url", "include_existing",
               "offset", "within", "yearly", "sender", "method", "to", "action"]  # fmt: skip
OPS = ["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "contains", "starts_with",
       "is_set", "not_set", "between", ""]  # fmt: skip
FIELDS = ["email", "created_at", "score", "unsubscribed", "bounced", "timezone", "tags",
          "plan", 'a"b', "a\\b", "", "x" * 200, "birthday"]  # fmt: skip


def _value(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(HOSTILE_TEXT)
    if roll < 0.45:
        return rng.choice(HOSTILE_NUMBERS)
    if roll < 0.55:
        return rng.choice([True, False, None])
    if roll < 0.7 and depth < 4:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if roll < 0.85 and depth < 4:
        return _rule(rng, depth + 1)
    return rng.choice([*HOSTILE_TEXT, str(rng.randint(-5, 5))])


def _rule(rng: random.Random, depth: int = 0):
    kind = rng.choice(["all", "any", "not", "field", "tag", "segment", "event", "junk"])
    if depth > 3 or kind == "field":
        rule = {"field": rng.choice(FIELDS), "op": rng.choice(OPS)}
        if rng.random() < 0.8:
            rule["value"] = _value(rng, 5)
        return rule
    if kind in ("all", "any"):
        return {kind: [_rule(rng, depth + 1) for _ in range(rng.randint(0, 3))]}
    if kind == "not":
        return {"not": _rule(rng, depth + 1)}
    if kind == "event":
        rule = {"event": rng.choice(["purchase", "", 5, "email_opened"])}
        if rng.random() < 0.5:
            rule["within"] = rng.choice(HOSTILE_TEXT + HOSTILE_NUMBERS)
        if rng.random() < 0.5:
            rule["min_count"] = rng.choice([*HOSTILE_NUMBERS, True, "2"])
        return rule
    if kind in ("tag", "segment"):
        return {kind: rng.choice([*HOSTILE_TEXT, 3, None])}
    return {rng.choice(["x", "", "field"]): _value(rng, depth + 1)}


def _params(rng: random.Random, node_type: str) -> dict:
    spec = CATALOG.get(node_type)
    names = [p.name for p in spec.params] if spec else []
    params = {}
    for name in names:
        if rng.random() < 0.7:
            params[name] = _param_value(rng, name)
    for _ in range(rng.randint(0, 2)):
        name = rng.choice(PARAM_NAMES)
        params[name] = _param_value(rng, name)
    return params


def _param_value(rng: random.Random, name: str):
    if name == "filter":
        return _rule(rng)
    if name == "branches" and rng.random() < 0.8:
        count = rng.randint(0, 5)
        return [{"port": rng.choice(["A", "B", "C", "", "A", 1]),
                 "percent": rng.choice([0, 25, 50, 100, -5, 1e308, "50"])}
                for _ in range(count)]  # fmt: skip
    if name == "days" and rng.random() < 0.7:
        return rng.sample(["mon", "tue", "wed", "thu", "fri", "sat", "sun", "xyz"], 2)
    if name in ("op",):
        return rng.choice(OPS)
    if name in ("field",):
        return rng.choice(FIELDS)
    return _value(rng)


VALID = {
    "format": "campaign-studio/1",
    "name": "Welcome",
    "settings": {"entry": "once"},
    "nodes": [
        {"id": "start", "type": "trigger.manual", "params": {"filter": {"all": []}}},
        {"id": "hello", "type": "action.send_email", "params": {"subject": "Hi", "body": "x"}},
        {"id": "pause", "type": "wait.delay", "params": {"duration": "P2D"}},
    ],
    "edges": [{"from": "start", "to": "hello"}, {"from": "hello", "to": "pause"}],
}


def _campaign_text(rng: random.Random) -> str:
    if rng.random() < 0.1:  # some valid ones, slightly varied
        document = json.loads(json.dumps(VALID))
        document["nodes"][2]["params"]["duration"] = rng.choice(["P2D", "PT3H", "P1W", "P1Y"])
        return json.dumps(document)
    types = [*sorted(CATALOG), "nope", "", "trigger.bogus"]
    node_ids = [rng.choice(["t", "a", "b", "c", "Grüße", "a:b", "x y", "", "=cmd", "n" * 120])
                for _ in range(rng.randint(0, 7))]  # fmt: skip
    nodes = []
    for index, node_id in enumerate(node_ids):
        node_type = "trigger.manual" if index == 0 and rng.random() < 0.7 else rng.choice(types)
        node = {"id": node_id, "type": node_type, "params": _params(rng, node_type)}
        if rng.random() < 0.2:
            node["position"] = rng.choice([[0, 0], [1e308, -1e308], "x", [1], None])
        if rng.random() < 0.1:
            node["label"] = rng.choice([*HOSTILE_TEXT, 5])
        nodes.append(node if rng.random() > 0.03 else _value(rng))
    edges = []
    for _ in range(rng.randint(0, 8)):
        edge = {"from": rng.choice([*node_ids, "ghost", 3]) if node_ids else "ghost",
                "to": rng.choice([*node_ids, "ghost"]) if node_ids else "ghost"}  # fmt: skip
        if rng.random() < 0.5:
            edge["port"] = rng.choice(["out", "yes", "no", "A", "B", "event", "timeout", 7, ""])
        edges.append(edge)
    settings = {}
    for key, values in {
        "entry": ["once", "every_time", "P1D", "P99999999999Y", "bogus", 5],
        "timezone": ["UTC", "Europe/Berlin", "Mars/Base", "", 3],
        "quiet_hours": [["21:00", "08:00"], ["25:00", "x"], "21:00", [], None],
        "frequency_cap": [{"count": 3, "per": "P1D"}, {"count": 10**30, "per": "P9999999999D"},
                          {"count": -1}, "x"],
        "start_at": ["2026-01-01T00:00:00Z", "99999-01-01", "0001-01-01T00:00:00+05:00", 5],
        "end_at": ["2025-01-01", "9999-12-31T23:59:59-05:00"],
        "budget": [1e308, -5, "lots"],
        "parent": ["", "other", None],
    }.items():  # fmt: skip
        if rng.random() < 0.25:
            settings[key] = rng.choice(values)
    document = {
        "format": "campaign-studio/1" if rng.random() < 0.95 else rng.choice(["v0", None, 1]),
        "name": rng.choice(["Welcome"] * 10 + ["", "x" * 300, 5, None, "=cmd"]),
        "settings": settings if rng.random() < 0.97 else _value(rng),
        "nodes": nodes,
        "edges": edges,
    }
    text = json.dumps(document, ensure_ascii=rng.random() < 0.5)
    roll = rng.random()
    if roll < 0.03:
        text = text[: rng.randint(0, len(text))]  # cut short
    elif roll < 0.06:
        text = text.replace('"name":', '"name": 1, "name":', 1)  # a duplicate key
    elif roll < 0.08:
        text = text.replace("1e+308", "Infinity").replace("0.5", "NaN")
    elif roll < 0.09:
        text = "[" * rng.randint(100, 5000) + "]" * rng.randint(0, 5000)
    elif roll < 0.10:
        text = text.replace('"Welcome"', '"\\ud800"')
    elif roll < 0.11:
        text = text.replace("100", "9" * rng.randint(100, 6000), 1)
    return text


def _check_output(code: int, out: str, err: str, what: str) -> None:
    assert code in (0, 1, 2), (what, code, out[-500:], err[-500:])
    text = out + err
    bare = BARE_ERROR.search(text)
    assert bare is None, (what, code, text[max(0, bare.start() - 300) : bare.end() + 300])
    for line in (line for line in text.splitlines() if line.strip()):
        assert len(line.strip()) >= 8, (what, line)  # a sentence, not a bare word


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def test_ten_thousand_generated_campaign_files_through_validate(tmp_path):
    rng = random.Random(16)
    path = tmp_path / "fuzz.campaign.json"
    codes = {0: 0, 1: 0, 2: 0}
    for index in range(CAMPAIGNS):
        data = _campaign_text(rng).encode("utf-8", "surrogatepass")
        if rng.random() < 0.01:
            data = rng.choice(
                [b"\xff\xfe\x00", b"\xef\xbb\xbf" + data, data[:3] + b"\x80" + data[3:]]
            )
        path.write_bytes(data)
        code, out, err = _run(["validate", str(path)])
        _check_output(code, out, err, f"campaign #{index}: {data[:300]!r}")
        if code == 1:  # problems: each line names a node (or the campaign) and says what
            assert out.strip(), (index, err)
            assert all(": " in line for line in out.splitlines()), (index, out)
        if code == 2:
            assert "fuzz.campaign.json" in err, (index, err)
        codes[code] += 1
    assert codes[0] > 0 and codes[1] > CAMPAIGNS // 4 and codes[2] > 0, codes


CSV_HEADERS = ["email", "phone", "first_name", "last_name", "timezone", "unsubscribed", "tags",
               "score", "plan", "birthday", "=cmd", 'a"b', "", "email", "Größe", "e-mail",
               "event", "occurred_at", "amount"]  # fmt: skip
CSV_CELLS = ["a@example.com", "b@example.com", "not-an-email", "a\x00b@example.com",
             "user@bücher.example", "+4930123456", "0049 30", "yes", "no", "maybe", "1e999",
             "inf", "-inf", "NaN", "1e30", "9" * 400, "-0", "0001-01-01", "9999-12-31",
             "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "2026-02-30",
             "2026-03-01T09:30:00Z", "Europe/Berlin", "Mars/Base", "=HYPERLINK(\"x\")", "",
             '"', "a;b;c", "x" * 5000, "Grüße", "\u202e", "\r", "purchase"]  # fmt: skip


def _csv_bytes(rng: random.Random) -> bytes:
    delimiter = rng.choice([",", ";", "\t", "|"])
    headers = rng.sample(CSV_HEADERS, rng.randint(0, 6))
    if rng.random() < 0.7 and "email" not in headers:
        headers.insert(0, "email")
    rows = [headers] + [
        [rng.choice(CSV_CELLS) for _ in range(len(headers) + rng.choice([0, 0, 0, -1, 1]))]
        for _ in range(rng.randint(0, 12))
    ]
    text = "\n".join(delimiter.join(_quoted(c, delimiter, rng) for c in row) for row in rows)
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])
    data = text.encode(encoding, "replace")
    roll = rng.random()
    if roll < 0.03:
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
    elif roll < 0.05:
        data = data[: rng.randint(0, len(data))]
    return data


def _quoted(cell: str, delimiter: str, rng: random.Random) -> str:
    if rng.random() < 0.2 or delimiter in cell or '"' in cell or "\n" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def test_one_thousand_generated_csv_files_through_import(tmp_path):
    rng = random.Random(16)
    db = str(tmp_path / "fuzz.db")
    assert (
        _run(["--db", db, "import", "contacts", _write(tmp_path, b"email\na@example.com\n")])[0]
        == 0
    )
    codes = {0: 0, 1: 0, 2: 0}
    for index in range(CSVS):
        data = _csv_bytes(rng)
        path = _write(tmp_path, data)
        kind = "events" if rng.random() < 0.3 else "contacts"
        code, out, err = _run(["--db", db, "import", kind, path])
        _check_output(code, out, err, f"{kind} csv #{index}: {data[:300]!r}")
        codes[code] += 1
    assert codes[0] > 0 and codes[1] + codes[2] > 0, codes
    # Whatever was imported, the database stays usable by the JSON functions.
    code, out, err = _run(["--db", db, "segments", "count", "nobody"])
    assert code in (0, 1, 2) and BARE_ERROR.search(out + err) is None


def _write(folder, data: bytes) -> str:
    path = folder / "fuzz.csv"
    path.write_bytes(data)
    return str(path)
