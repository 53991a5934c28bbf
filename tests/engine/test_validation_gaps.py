"""Validation warns when a template prints a field that some contacts lack, with no
fallback, against a real database."""

from __future__ import annotations

from runner_helpers import add_contacts, diagram, make_db

from engine.validation import validate
from engine.workspace import validation_context


def _campaign(body: str):
    return diagram(
        [("start", "trigger.manual", {"filter": {"field": "email", "op": "is_set"}}),
         ("mail", "action.send_email", {"subject": "News", "body": body})],
        [("start", "mail")],
    )  # fmt: skip


def test_a_field_some_contacts_lack_is_a_warning_unless_the_template_has_a_fallback(tmp_path):
    engine = make_db(tmp_path)
    add_contacts(engine, 3)
    add_contacts(engine, 1, start=3, first_name=None, attributes={"n": 3})  # no city either
    context = validation_context(engine)
    problems = validate(_campaign("Hello {{ contact.first_name }} from {{ contact.city }}"),
                        context)  # fmt: skip
    gaps = [p for p in problems if p.code == "sometimes_missing"]
    assert [(p.node, p.severity) for p in gaps] == [("mail", "warning"), ("mail", "warning")]
    assert "contact.city, which 25 % of contacts lack" in gaps[0].message
    assert "contact.first_name, which 25 % of contacts lack" in gaps[1].message
    assert "{{ contact.first_name or '…' }}" in gaps[1].message
    guarded = ("Hello {{ contact.first_name or 'there' }}"
               "{% if contact.city %} from {{ contact.city }}{% endif %}")  # fmt: skip
    assert not [p for p in validate(_campaign(guarded), context) if p.code == "sometimes_missing"]

    engine.dispose()
