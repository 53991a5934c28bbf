"""Templates are bounded per message in time and size (issue 16, item 10): a runaway
template fails its own message with a reason; the tick and other campaigns go on."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from engine.db.schema import messages
from engine.templating import TemplateError, render
from tests.engine.runner_helpers import START, diagram, launch, make_db

RUNAWAY = {
    "lipsum": "{{ lipsum(n=1000000) }}",
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}"
    "{% endfor %}{% endfor %}",
    "100 MB repeat": "{{ 'x' * 100000000 }}",
    "repeat in a loop": "{% for i in range(100000) %}{{ 'y' * 1000 }}{% endfor %}",
    "huge width": "{{ 'x' | center(1000000000) }}",
    "format width": "{{ '{:>999999999}'.format(1) }}",
    "nested format width": "{{ '{:>{w}}'.format(1, w=999999999) }}",
    "format_map width": "{{ '{x:>{w}}'.format_map({'x': 1, 'w': 999999999}) }}",
    "percent width": "{{ '%999999999d' | format(1) }}",
    "power": "{{ 10 ** 10000000 }}",
}


@pytest.mark.parametrize("name", sorted(RUNAWAY))
def test_a_runaway_template_fails_fast_with_a_reason(name):
    began = time.monotonic()
    with pytest.raises(TemplateError):
        render(RUNAWAY[name], {})
    assert time.monotonic() - began < 10  # before: 47 s and all the memory (lipsum)


def test_ordinary_templates_still_render():
    assert render("{{ lipsum(n=2, html=False) | length > 10 }}", {}) == "True"
    assert render("{% for i in range(3) %}{{ i }}{% endfor %}", {}) == "012"
    assert render("{{ 'ab' * 3 }} {{ 2 ** 10 }} {{ 'x' | center(5) }}", {}) == "ababab 1024   x  "
    assert render("{{ '{:>4}'.format(7) }}", {}) == "   7"


def test_a_runaway_template_fails_only_its_message(tmp_path):
    engine = make_db(tmp_path, 5)
    everyone = {"filter": {"all": []}}
    bad = diagram(
        [
            ("t", "trigger.manual", everyone),
            ("s", "action.send_email", {"subject": "hi", "body": RUNAWAY["100 MB repeat"]}),
        ],
        [("t", "s")],
        name="bad",
    )
    good = diagram(
        [
            ("t", "trigger.manual", everyone),
            ("s", "action.send_email", {"subject": "hi", "body": "x"}),
        ],
        [("t", "s")],
        name="good",
    )
    bad_id, runner, _clock = launch(engine, bad, mode="live")
    good_id = launch(engine, good, mode="live")[0]
    runner.tick(START)
    with engine.connect() as conn:
        counts = dict(
            conn.execute(
                select(messages.c.campaign_id, func.count()).group_by(messages.c.campaign_id)
            ).all()
        )
        errors = set(conn.scalars(select(messages.c.error).where(messages.c.campaign_id == bad_id)))
    assert counts == {bad_id: 5, good_id: 5}
    assert len(errors) == 1 and "more than 2,000,000 characters" in errors.pop()
