"""Malformed and random documents: the loader and validator answer with problems or a
clean FormatError, never an exception that escapes."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.catalog import CATALOG
from engine.fileformat import FORMAT, FormatError, loads
from engine.validation import validate

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=12))  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
ids = st.sampled_from(["a", "b", "c", "start", "x y", "", "1"]) | st.text(max_size=6)
types = st.sampled_from(sorted(CATALOG)) | st.text(max_size=10)
param_names = st.sampled_from(
    ["segment", "filter", "template", "subject", "body", "duration", "at", "days", "start",
     "end", "event", "timeout", "node", "field", "op", "value", "branches", "points", "add",
     "channel", "url", "include_existing", "offset", "within"]
)  # fmt: skip
nodes = st.fixed_dictionaries(
    {"id": ids, "type": types},
    optional={
        "params": st.dictionaries(param_names, json_values, max_size=5) | json_values,
        "position": st.lists(st.integers() | st.floats(allow_nan=False), max_size=3) | scalars,
        "label": scalars,
    },
)
edges = st.fixed_dictionaries(
    {"from": ids | scalars, "to": ids | scalars},
    optional={"port": st.sampled_from(["out", "yes", "no", "A", "event"]) | scalars},
)
documents = st.fixed_dictionaries(
    {"format": st.just(FORMAT) | scalars},
    optional={
        "name": scalars,
        "settings": st.dictionaries(st.sampled_from(["entry", "timezone", "quiet_hours",
                                                     "frequency_cap"]), json_values)
        | json_values,
        "nodes": st.lists(nodes | json_values, max_size=8) | json_values,
        "edges": st.lists(edges | json_values, max_size=10) | json_values,
        "annotations": st.lists(json_values, max_size=3),
    },
)  # fmt: skip


def _load_and_validate(text: str) -> None:
    try:
        diagram, problems = loads(text, strict=False)
    except FormatError as exc:
        assert str(exc)
        return
    assert all(p.message for p in problems)
    for problem in validate(diagram):
        assert problem.severity in ("error", "warning") and problem.message


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_documents_never_raise(doc):
    _load_and_validate(json.dumps(doc))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_raises(text):
    _load_and_validate(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=100), st.integers(min_value=0, max_value=400))
def test_truncated_and_corrupted_samples_never_raise(noise, cut):
    from pathlib import Path

    sample = (Path(__file__).parents[2] / "resources/campaigns/win_back.campaign.json").read_text()
    _load_and_validate(sample[: len(sample) - cut] + noise.decode("utf-8", "replace"))
