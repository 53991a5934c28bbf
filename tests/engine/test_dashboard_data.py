"""A campaign's dashboard as plain data from the engine alone: its own and its children's
totals added up, figures per node, per day and per channel."""

from runner_helpers import add_segment, diagram, launch, make_db

from engine.dashboard import DashboardData, number


def _blast(name: str, **settings):
    return diagram(
        [
            ("start", "trigger.manual", {"segment": "all"}),
            ("hello", "action.send_email", {"template": "welcome"}),
            ("later", "wait.delay", {"duration": "P3D"}),
        ],
        [("start", "hello"), ("hello", "later")],
        name=name,
        **settings,
    )


def test_a_parent_adds_up_its_children(tmp_path):
    engine = make_db(tmp_path, 4)
    add_segment(engine, "all", {"all": []})
    parent, runner, clock = launch(engine, _blast("Parent"))
    child, _runner, _clock = launch(engine, _blast("Child", parent="Parent"))
    runner.tick(clock.now())
    data = DashboardData(engine, parent)
    assert [c["id"] for c in data.children] == [child]
    assert data.own["enrolled"] == 4 and data.child_totals[0]["enrolled"] == 4
    assert data.totals["enrolled"] == 8 and data.totals["active"] == 8
    assert data.nodes["hello"]["entered"] == 4
    assert sum(data.channels["email"].values()) == 8
    assert sum(row["entered"] for row in data.daily) == 8
    assert "entered" in data.series_keys()
    assert DashboardData(engine, child).children == []
    assert number(None) == 0.0 and number("x") == 0.0 and number("2.5") == 2.5
