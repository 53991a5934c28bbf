"""A send step's message rendered for one contact as the runner renders it (its template or
its own subject and body): the inspector's live preview and "Send test" to an address."""

from __future__ import annotations

import contextlib
import datetime as dt
from types import SimpleNamespace
from typing import Any

from engine import store
from engine.catalog import CHANNEL_OF
from engine.db import Engine
from engine.diagram import Node
from engine.runner.messages import contact_context, message_parts
from engine.templating import TemplateError, render

# Who a preview shows when the database has no contacts yet.
SAMPLE_CONTACT: dict[str, Any] = {
    "id": 0,
    "email": "alex@example.com",
    "phone": "+491701234567",
    "first_name": "Alex",
    "last_name": "Sample",
    "timezone": "Europe/Berlin",
    "score": 10,
    "tags": ["vip"],
    "attributes": {"plan": "pro", "country": "DE"},
}


class StepMessageError(Exception):
    """A message that cannot be rendered or sent, said as a sentence."""


def preview_contacts(engine: Engine, search: str = "", limit: int = 30) -> list[tuple[int, str]]:
    """(id, 'Name <address>') for the preview's contact picker."""
    with engine.connect() as conn:
        found = store.list_contacts(conn, search=search, limit=limit)
    out = []
    for contact in found:
        name = " ".join(p for p in (contact.get("first_name"), contact.get("last_name")) if p)
        out.append(
            (contact["id"], f"{name or '—'} <{contact.get('email') or contact.get('phone')}>")
        )
    return out


def render_step_message(
    engine: Engine,
    node_type: str,
    params: dict[str, Any],
    contact_id: int | None = None,
    campaign_name: str = "Preview",
) -> dict[str, Any]:
    """{'channel', 'to', 'sender', 'subject', 'html', 'text', 'contact', 'error'} for the
    contact (the sample contact when None). `error` is a sentence when the step has no
    message yet, its template is missing or a template fails; the rest is then empty."""
    channel = CHANNEL_OF.get(node_type, "email")
    templates: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        contact = (
            dict(SAMPLE_CONTACT) if contact_id is None else store.get_contact(conn, contact_id)
        )
        if params.get("template"):
            with contextlib.suppress(KeyError):  # reported below, as the runner would
                templates[params["template"]] = store.get_template(conn, params["template"])
    to = contact.get("phone" if channel == "sms" else "email") or ""
    out: dict[str, Any] = {"channel": channel, "contact": contact, "subject": "", "html": "",
                           "text": "", "sender": None, "error": None, "to": to}  # fmt: skip
    plan = SimpleNamespace(templates=templates)
    parts, sender, error = message_parts(plan, Node("preview", node_type, dict(params)))  # type: ignore[arg-type]
    if error:
        out["error"] = f"The template “{params['template']}” does not exist."
        return out
    if not any(parts.values()):
        out["error"] = "Pick a template or write the message to see a preview."
        return out
    person = dict(contact)
    person["attributes"] = dict(person.get("attributes") or {})
    context = {
        "contact": contact_context(person),
        "campaign": {"id": 0, "name": campaign_name, "version": 1, "owner": None,
                     "utm_campaign": "preview", "settings": {}},
        "node": {"id": "preview", "type": node_type, "label": "Preview"},
        "unsubscribe_url": f"https://example.com/unsubscribe?token=preview-{contact.get('id', 0)}",
        "now": dt.datetime.now(dt.UTC).replace(tzinfo=None),
    }  # fmt: skip
    try:
        for part, source in parts.items():
            out[part] = render(source, context, html=part == "html") if source else ""
    except TemplateError as exc:
        out["error"] = f"The {_part_name(part)} does not render: {exc}"
        return out
    out["sender"] = sender
    return out


def _part_name(part: str) -> str:
    return {"subject": "subject", "html": "HTML body", "text": "text"}.get(part, part)


def send_step_test(
    engine: Engine,
    to: str,
    node_type: str,
    params: dict[str, Any],
    contact_id: int | None = None,
    password: str | None = None,
) -> str:
    """Render the step's email for the contact and send it to `to` through the SMTP
    settings; returns a sentence saying where it went. Raises StepMessageError (a message
    that does not render, not an email step, no address) or the channel's DeliveryError."""
    from engine.delivery.test_email import send_test_email
    from engine.settings import load_settings

    to = (to or "").strip()
    if "@" not in to:
        raise StepMessageError("Enter the address to send the test to.")
    if CHANNEL_OF.get(node_type) != "email":
        raise StepMessageError("Only an email can be sent as a test.")
    rendered = render_step_message(engine, node_type, params, contact_id)
    if rendered["error"]:
        raise StepMessageError(rendered["error"])
    settings = load_settings(engine)
    message = {key: rendered[key] for key in ("subject", "html", "text")}
    message["sender"] = rendered["sender"] or ""
    return send_test_email(settings, to, password, message)
