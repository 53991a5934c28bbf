"""The demo workspace: believable, deterministic, complete for the samples, with history."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest_data import new_postgres_database, postgres_server  # noqa: F401
from sqlalchemy import func, select

from engine import store
from engine.db import open_database
from engine.db.schema import campaigns, contacts, events, messages
from engine.demo import DemoError, build_demo
from engine.fileformat import load
from engine.paths import resource
from engine.rule_sql import count_matching
from engine.rules import parse_rule, referenced_fields
from engine.templating import check_syntax, contact_variables
from engine.validation import CONTACT_BUILTINS, validate
from engine.workspace import validation_context

NOW = dt.datetime(2026, 11, 20, 9, 0)
SAMPLES = sorted(resource("campaigns").glob("*.campaign.json"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo with history, shared by the read-only tests of this module."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    steps = []
    made = build_demo(path, contacts=600, now=NOW, progress=lambda d, t: steps.append((d, t)))
    engine = open_database(path)
    yield engine, made, steps
    engine.dispose()


def test_demo_contents_are_believable(demo):
    engine, made, _ = demo
    assert made["contacts"] == 600 and made["templates"] == 9 and made["campaigns"] == 3
    assert made["events"] > 600 * 3
    with engine.connect() as conn:
        rows = store.list_contacts(conn, limit=600)
        countries = {r["attributes"]["country"] for r in rows}
        zones = {r["timezone"] for r in rows if r["timezone"]}
        assert len(countries) >= 10 and len(zones) >= 12
        assert all(r["email"].split("@")[1].endswith((".com", ".org", ".net", ".example"))
                   for r in rows)  # fmt: skip
        assert all("example" in r["email"] for r in rows)  # never a real mailbox
        assert 0.4 < sum(1 for r in rows if r["phone"]) / 600 < 0.7
        assert store.contact_fields(conn) >= {
            "country", "city", "plan", "birthday", "signup_date", "last_order_days",
            "lifetime_value", "newsletter",
        }  # fmt: skip
        tags = dict(store.all_tags(conn))
        assert {"vip", "newsletter", "churn-risk", "b2b"} <= set(tags)
        names = {n for (n,) in conn.execute(select(events.c.name).distinct())}
        assert {"signup", "purchase", "page_view"} <= names
        # events are in the past, spread over the last 90 days
        newest = conn.scalar(select(func.max(events.c.occurred_at)))
        assert newest <= NOW


def test_every_segment_counts_and_the_samples_find_an_audience(demo):
    engine, _, _ = demo
    with engine.connect() as conn:
        counts = {r["name"]: r for r in store.list_segments(conn, with_counts=True, now=NOW)}
        assert all(r["error"] is None for r in counts.values()), counts
        assert counts["new-signups"]["count"] > 5
        assert counts["press-list"]["count"] > 0
        assert 0 < counts["churn-risk"]["count"] < 600
        winback = {"all": [{"field": "last_order_days", "op": "ge", "value": 90},
                           {"not": {"tag": "vip"}}]}  # fmt: skip
        assert count_matching(conn, winback, NOW) > 30


def test_samples_validate_against_the_demo_without_template_or_segment_problems(demo):
    engine, _, _ = demo
    context = validation_context(engine)
    for path in SAMPLES:
        diagram, _ = load(path)
        problems = validate(diagram, context)
        assert problems == [], (path.name, [str(p) for p in problems])


def test_demo_provides_every_template_segment_and_field_the_samples_use(demo):
    engine, _, _ = demo
    with engine.connect() as conn:
        templates = {t["name"]: t for t in store.list_templates(conn)}
        segment_names = {s["name"] for s in store.list_segments(conn)}
        fields = store.contact_fields(conn) | set(CONTACT_BUILTINS)
    for path in SAMPLES:
        diagram, _ = load(path)
        for node in diagram.nodes.values():
            params = node.params
            if "template" in params:
                assert params["template"] in templates, (path.name, node.id)
            if "segment" in params:
                assert params["segment"] in segment_names, (path.name, node.id)
            if "field" in params:
                assert params["field"] in fields, (path.name, node.id)
            if isinstance(params.get("filter"), dict):
                assert referenced_fields(parse_rule(params["filter"])) <= fields
    for template in templates.values():
        for part in ("subject", "html", "text"):
            source = template[part] or ""
            assert check_syntax(source) is None, (template["name"], part)
            assert contact_variables(source) <= fields, (template["name"], part)
        if template["channel"] == "email":
            assert "{{ unsubscribe_url }}" in template["html"]
            assert "{{ unsubscribe_url }}" in template["text"]
            assert "contact.first_name" in template["html"]


def test_history_leaves_statistics_that_are_not_empty(demo):
    engine, made, steps = demo
    assert made["history"] == ["Welcome series", "Win back inactive customers"]
    from engine import stats

    with engine.connect() as conn:
        ids = dict(conn.execute(select(campaigns.c.name, campaigns.c.id)).all())
        welcome = stats.node_stats(conn, ids["Welcome series"])
        assert welcome["hello"]["sent"] > 0 and welcome["hello"]["opened"] > 0
        assert stats.campaign_stats(conn, ids["Win back inactive customers"])["enrolled"] > 0
        assert conn.scalar(select(func.count()).select_from(messages)) > 0
        status = dict(conn.execute(select(campaigns.c.name, campaigns.c.status)).all())
    assert status["Birthday greetings"] == "draft"
    assert steps[-1] == (1000, 1000)
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)


def test_demo_is_deterministic_and_refuses_a_used_database(tmp_path):
    def people(path):
        build_demo(path, contacts=150, now=NOW, history=False)
        engine = open_database(path)
        with engine.connect() as conn:
            query = select(contacts.c.email, contacts.c.phone, contacts.c.attributes)
            rows = [tuple(r) for r in conn.execute(query.order_by(contacts.c.id))]
            count = conn.scalar(select(func.count()).select_from(events))
        engine.dispose()
        return rows, count

    assert people(tmp_path / "a.db") == people(tmp_path / "b.db")
    with pytest.raises(DemoError, match="already has contacts"):
        build_demo(tmp_path / "a.db", contacts=10, now=NOW, history=False)


def test_demo_command(tmp_path):
    # The checkout's own script, never an installed package's copy found on PATH.
    exe = str(Path(sys.executable).with_name("campaign-studio"))
    db = str(tmp_path / "cli.db")
    result = subprocess.run([exe, "demo", "--db", db, "--contacts", "120", "--no-history"],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "120 contacts" in result.stdout and "\r" not in result.stderr
    for sample in SAMPLES:  # the samples validate against the demo's templates and segments
        checked = subprocess.run([exe, "validate", str(sample), "--db", db],
                                 capture_output=True, text=True, timeout=300)  # fmt: skip
        assert checked.returncode == 0, (sample.name, checked.stdout, checked.stderr)
    again = subprocess.run([exe, "demo", "--db", db], capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "already has contacts" in again.stderr
    assert "Traceback" not in again.stderr


def test_demo_data_and_segments_on_postgresql(postgres_server):  # noqa: F811
    url = new_postgres_database(postgres_server)
    made = build_demo(url, contacts=200, now=NOW, history=False)
    engine = open_database(url)
    with engine.connect() as conn:
        counts = {r["name"]: r for r in store.list_segments(conn, with_counts=True, now=NOW)}
        assert all(r["error"] is None for r in counts.values()), counts
        assert sum(r["count"] for r in counts.values()) > 0
        assert store.count_contacts(conn) == made["contacts"] == 200
        assert len(store.list_templates(conn)) == 9
    engine.dispose()
