"""condition.split: stable per contact, and a 50/50 split lands within 2 points of 50%."""

import pytest
from runner_helpers import START, add_segment, diagram, launch, make_db
from sqlalchemy import func, select

from engine.db.schema import steps
from engine.runner import split_port

BRANCHES = [{"port": "A", "percent": 50}, {"port": "B", "percent": 50}]


def test_split_is_stable_and_even():
    first = [split_port("Campaign", "ab", i, BRANCHES) for i in range(10_000)]
    again = [split_port("Campaign", "ab", i, BRANCHES) for i in range(10_000)]
    assert first == again
    share = first.count("A") / len(first)
    assert abs(share - 0.5) <= 0.02
    # Another node (or campaign) reshuffles: assignments are independent.
    other = [split_port("Campaign", "ab2", i, BRANCHES) for i in range(10_000)]
    assert sum(a != b for a, b in zip(first, other, strict=True)) > 4000


def test_uneven_split_follows_percentages():
    branches = [
        {"port": "x", "percent": 10},
        {"port": "y", "percent": 20},
        {"port": "z", "percent": 70},
    ]
    ports = [split_port("C", "n", i, branches) for i in range(10_000)]
    assert abs(ports.count("x") / 10_000 - 0.10) <= 0.02
    assert abs(ports.count("z") / 10_000 - 0.70) <= 0.02


def test_forecast_and_live_agree(tmp_path):
    """The runner assigns by the same hash in simulate and live mode."""
    results = []
    for mode in ("simulate", "live"):
        engine = make_db(tmp_path / mode, 300) if (tmp_path / mode).mkdir() is None else None
        add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
        d = diagram(
            [
                ("start", "trigger.manual", {"segment": "all"}),
                ("ab", "condition.split", {"branches": BRANCHES}),
                ("a", "action.score", {"points": 1}),
                ("b", "action.score", {"points": 2}),
            ],
            [("start", "ab"), ("ab", "A", "a"), ("ab", "B", "b")],
            name="Split test",
        )
        launch(engine, d, mode=mode)[1].tick(START)
        with engine.connect() as conn:
            results.append(
                conn.execute(
                    select(steps.c.contact_id, steps.c.port)
                    .where(steps.c.node_id == "ab")
                    .order_by(steps.c.contact_id)
                ).all()
            )
            total = conn.scalar(
                select(func.count()).select_from(steps).where(steps.c.node_id == "ab")
            )
        assert total == 300
    assert results[0] == results[1]


@pytest.mark.slow
def test_runner_splits_10000_contacts_evenly(tmp_path):
    engine = make_db(tmp_path, 10_000)
    add_segment(engine, "all", {"field": "city", "op": "eq", "value": "Berlin"})
    d = diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("ab", "condition.split", {"branches": BRANCHES}),
            ("a", "exit", {}),
            ("b", "exit", {}),
        ],
        [("start", "ab"), ("ab", "A", "a"), ("ab", "B", "b")],
        name="Even split",
    )
    launch(engine, d)[1].tick(START)
    with engine.connect() as conn:
        ports = dict(
            conn.execute(
                select(steps.c.port, func.count())
                .where(steps.c.node_id == "ab")
                .group_by(steps.c.port)
            ).all()
        )
    assert ports["A"] + ports["B"] == 10_000
    assert abs(ports["A"] / 10_000 - 0.5) <= 0.02
