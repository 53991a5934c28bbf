"""Building messages: the send actions, webhook and notify. Rendering happens per contact
in the Jinja2 sandbox; suppression, the frequency cap and quiet hours are decided here."""

from __future__ import annotations

import datetime as dt
import hashlib
import weakref
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from engine.catalog import CHANNEL_OF
from engine.db.schema import messages
from engine.delivery.unsubscribe import database_secret
from engine.diagram import Node
from engine.public.tracking import VIEW_PLACEHOLDER
from engine.runner import render_pool
from engine.runner.plan import Plan
from engine.runner.timing import contact_zone, quiet_until
from engine.templating import TemplateError, bounded_output, budget, compile_template

if TYPE_CHECKING:  # the runner imports this module: types only
    from engine.runner.core import BatchWrites, Enrollment, Runner

SENT_EVENT = {"email": "email_sent", "sms": "sms_sent", "message": "message_sent"}
CAPPED_STATUSES = ("queued", "sending", "sent", "simulated")
CAPPED_CHANNELS = ("email", "sms", "message")


def stable_fraction(*parts: Any) -> float:
    """A number in [0, 1) fixed by its parts: splits and assumed engagement use it, so a
    forecast and the live run agree."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def contact_context(contact: dict[str, Any]) -> dict[str, Any]:
    """The template's `contact`: attributes flattened, core fields on top, and
    `contact.attributes` as the bag itself."""
    out = dict(contact["attributes"])
    out.update(contact)
    first, last = contact.get("first_name") or "", contact.get("last_name") or ""
    out.setdefault("name", f"{first} {last}".strip())
    return out


def message_parts(plan: Plan, node: Node) -> tuple[dict[str, str], str | None, str | None]:
    """(sources by part, sender, error) for a send node: its template or inline params."""
    params = node.params
    channel = CHANNEL_OF[node.type]
    name = params.get("template")
    if name:
        row = plan.templates.get(name)
        if row is None:
            return {}, None, f"template {name!r} does not exist"
        if channel == "email":
            parts = {
                "subject": row.get("subject") or "",
                "html": row.get("html") or "",
                "text": row.get("text") or "",
            }
        else:
            parts = {"text": row.get("text") or row.get("html") or ""}
        return parts, params.get("sender") or row.get("sender"), None
    if channel == "email":
        parts = {
            "subject": params.get("subject") or "",
            "html": params.get("body") or "",
            "text": params.get("text") or "",
        }
    else:
        parts = {"text": params.get("body") or ""}
    return parts, params.get("sender"), None


def _address(channel: str, node: Node, contact: dict[str, Any]) -> tuple[str | None, str]:
    if channel == "email":
        return contact.get("email") or None, "no email address"
    if channel == "sms":
        return contact.get("phone") or None, "no phone number"
    kind = node.params.get("channel", "push")
    value = contact["attributes"].get(kind)
    if not value and kind in ("push", "in_app"):
        value = f"contact:{contact['id']}"
    if not value and kind == "whatsapp":
        value = contact.get("phone")
    return (str(value) if value else None), f"no {kind} address"


def _cap_history(conn: Connection, plan: Plan, items: list) -> dict[int, list[dt.datetime]]:
    """Messages already counted against the cap, per contact, in the earliest window."""
    _count, per = plan.cap
    since = min(item.at for item in items) - per
    ids = sorted({item.contact_id for item in items})
    rows = conn.execute(
        select(messages.c.contact_id, messages.c.created_at).where(
            messages.c.contact_id.in_(ids),
            messages.c.created_at > since,
            messages.c.status.in_(CAPPED_STATUSES),
            messages.c.channel.in_(CAPPED_CHANNELS),
        )
    )
    history: dict[int, list[dt.datetime]] = {}
    for contact_id, created_at in rows:
        history.setdefault(contact_id, []).append(created_at)
    return history


_GLOBALS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _render(source: str, context: dict[str, Any], html: bool = False) -> str:
    """Template.render without re-reading the template's global ChainMap on every call
    (a third of Jinja2's per-render cost on short templates); same sandbox, same output."""
    if not source:
        return ""
    template = compile_template(source, html)
    base = _GLOBALS.get(template)
    if base is None:
        base = _GLOBALS[template] = dict(template.globals)
    parent = dict(base)
    parent.update(context)
    environment = template.environment
    jinja_context = environment.context_class(
        environment, parent, template.name, template.blocks, globals=base
    )
    try:  # bounded in time and size: a runaway template fails its message only
        with budget():
            return bounded_output(template.root_render_func(jinja_context))
    except TemplateError:
        raise
    except Exception:
        return environment.handle_exception()


def send(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    """action.send_email / send_sms / send_message."""
    channel = CHANNEL_OF[node.type]
    parts, sender, setup_error = message_parts(plan, node)
    history = _cap_history(conn, plan, items) if plan.cap else {}
    simulate = runner.mode == "simulate"
    campaign_ctx = campaign_context(plan)
    node_ctx = {"id": node.id, "type": node.type, "label": node.label}
    # Unsubscribe links are signed with the database's secret, once per message.
    sign = (database_secret(conn), plan.campaign_id, node.id, runner.unsubscribe_url)
    attempts = _attempts(conn, plan, node, items)
    quiet_memo: dict[tuple, dt.datetime | None] = {}
    jobs: list[render_pool.RenderJob] = []
    to_render: list[tuple] = []  # (item, row, its moment, the To: name) per job
    for item in items:
        item.port = "out"
        contact = item.contact
        if plan.quiet:
            quiet_key = (item.at, contact.get("timezone"))
            until = quiet_memo.get(quiet_key, False)
            if until is False:  # many contacts share a moment and a zone
                tz = contact_zone(contact.get("timezone"), plan.tz)
                until = quiet_memo[quiet_key] = quiet_until(item.at, tz, *plan.quiet)
            if until is not None:
                if until > now:
                    item.hold = until  # deferred, not skipped: sent when quiet hours end
                    continue
                item.at = until
        key = f"{item.id}:{node.id}:{attempts.get(item.id, 1)}"
        row = {
            "key": key,
            "enrollment_id": item.id,
            "campaign_id": plan.campaign_id,
            "node_id": node.id,
            "contact_id": item.contact_id,
            "channel": channel,
            "to_address": None,
            "sender": sender,
            "subject": None,
            "body_html": None,
            "body_text": None,
            "headers": None,
            "status": "queued",
            "error": None,
            "attempts": 0,
            "next_attempt_at": None,
            "created_at": item.at,
            "sent_at": None,
        }
        if channel == "message":
            row["headers"] = {"channel": node.params.get("channel", "push")}
        reason = None
        status = None
        if contact.get("unsubscribed"):
            status, reason = "suppressed", "unsubscribed"
        elif contact.get("bounced"):
            status, reason = "suppressed", "bounced"
        elif plan.cap:
            count, per = plan.cap
            since = item.at - per
            earlier = history.get(item.contact_id, []) + writes.sent_in_batch[item.contact_id]
            if sum(1 for when in earlier if since < when <= item.at) >= count:
                status, reason = "suppressed", "frequency cap"
        if status is None:
            address, missing = _address(channel, node, contact)
            row["to_address"] = address
            if setup_error:
                status, reason = "failed", f"template error: {setup_error}"
            elif address is None:
                status, reason = "failed", missing
        writes.messages.append(row)  # filled in below once rendered
        if status is None:  # its unsubscribe link is HMAC-signed where it is rendered
            jobs.append((contact, None, item.at))
            name = " ".join(filter(None, (contact.get("first_name"), contact.get("last_name"))))
            to_render.append((item, row, item.at, name))
        else:
            row["status"], row["error"] = status, reason
            item.outcome, item.detail = status, reason
    if not jobs:
        return
    # The whole group at once: a large one is shared with the render processes.
    # {{ view_url }}: a placeholder the dispatcher replaces by the message's own /v/ link.
    shared = {"campaign": campaign_ctx, "node": node_ctx, "view_url": VIEW_PLACEHOLDER}
    min_for_pool = getattr(runner, "render_pool_min", render_pool.POOL_MIN_RENDERS)
    if plan.cap:  # a later group of this batch counts these sends against the cap: now
        rendered = render_pool.render_group(channel, parts, shared, jobs, min_for_pool, sign)
        later = None
    else:  # the pool's share is collected when the batch is written (core.Runner._write)
        rendered, later = render_pool.start_group(channel, parts, shared, jobs, min_for_pool, sign)
    done = len(rendered)
    for entry, result in zip(to_render, rendered, strict=False):
        _settle(runner, plan, node, channel, simulate, writes, entry, result, False)
    if later is None:
        return
    rest = to_render[done:]
    for item, *_ in rest:  # what a rendered message gives; a failed render corrects it
        item.outcome = "sent" if simulate else "queued"

    def settle_later() -> None:
        for entry, result in zip(rest, later.results(), strict=True):
            _settle(runner, plan, node, channel, simulate, writes, entry, result, True)

    writes.later.append(settle_later)


def _settle(runner, plan, node, channel, simulate, writes, entry, result, later: bool) -> None:
    """Fill a message row in from its rendering. `later`: the journey has moved on since
    (the pool's share, collected at the batch's write): the contact's step at this node is
    corrected when the render failed, and its moment is the one it had here."""
    item, row, at, name = entry
    state, subject, html, text, link = result
    if state != "ok":
        row["status"], row["error"] = "failed", subject
        if later:  # its step is written already: corrected by core.Runner._write
            writes.failed_later.append(
                {"_enrollment": item.id, "_node": node.id, "_outcome": "failed", "_detail": subject}
            )
        else:
            item.outcome, item.detail = "failed", subject
        return
    row["body_text"] = text
    if channel == "email":
        row["subject"], row["body_html"] = subject, html
        row["headers"] = {"List-Unsubscribe": f"<{link}>", "to_name": name}  # To: Name <…>
    writes.sent_in_batch[item.contact_id].append(at)
    if simulate:
        row["status"], row["sent_at"] = "simulated", at
        if not later:
            item.outcome = "sent"
        _engine_events(runner, plan, node, item, row["key"], channel, writes, at)
    else:
        row["next_attempt_at"] = at
        if not later:
            item.outcome = "queued"


def campaign_context(plan: Plan) -> dict[str, Any]:
    settings = plan.settings
    return {
        "id": plan.campaign_id,
        "name": plan.name,
        "version": plan.version,
        "owner": plan.owner,
        "utm_campaign": settings.get("utm_campaign"),
        "settings": settings,
    }


def _attempts(conn: Connection, plan: Plan, node: Node, items: list) -> dict[int, int]:
    """The visit number per enrollment for nodes inside a loop (so a second pass through
    the same node is a new message, while a replayed batch is not)."""
    if node.id not in cyclic_nodes(plan):
        return {}
    from sqlalchemy import func

    from engine.db.schema import steps

    ids = [item.id for item in items]
    rows = conn.execute(
        select(steps.c.enrollment_id, func.count())
        .where(steps.c.enrollment_id.in_(ids), steps.c.node_id == node.id)
        .group_by(steps.c.enrollment_id)
    )
    return {enrollment_id: n + 1 for enrollment_id, n in rows}


def cyclic_nodes(plan: Plan) -> set[str]:
    cached = getattr(plan, "_cyclic", None)
    if cached is None:
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_edges_from((e.source, e.target) for e in plan.diagram.edges)
        cached = set()
        for component in nx.strongly_connected_components(graph):
            if len(component) > 1 or any(graph.has_edge(n, n) for n in component):
                cached |= component
        plan._cyclic = cached  # type: ignore[attr-defined]
    return cached


def stable_fractions(*parts: Any, count: int = 3) -> tuple[float, ...]:
    """Several independent stable numbers in [0, 1) from one hash."""
    return _fractions(
        hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8 * count).digest()
    )


def _fractions(digest: bytes) -> tuple[float, ...]:
    return tuple(int.from_bytes(digest[i : i + 8], "big") / 2**64 for i in range(0, len(digest), 8))


_FRACTION_PREFIX: dict[tuple, Any] = {}


def _engagement_fractions(campaign: str, node_id: str, contact_id: int) -> tuple[float, ...]:
    """stable_fractions(campaign, node_id, contact_id, "engagement"), the same numbers: the
    hash of the shared beginning is kept per node and copied (one message each)."""
    prefix = _FRACTION_PREFIX.get((campaign, node_id))
    if prefix is None:
        prefix = _FRACTION_PREFIX[(campaign, node_id)] = hashlib.blake2b(
            f"{campaign}:{node_id}:".encode(), digest_size=24
        )
    h = prefix.copy()
    h.update(f"{contact_id}:engagement".encode())
    return _fractions(h.digest())


_PROPS: dict[tuple[str, str], dict[str, str]] = {}


def _engine_events(
    runner, plan: Plan, node: Node, item, key: str, channel: str, writes, at: dt.datetime
) -> None:
    """Simulate mode: the runner records the sent event (at `at`, when the message was
    made), and assumed engagement later on."""
    props = _PROPS.get((plan.name, node.id))
    if props is None:  # one shared dict per node: serialised once per batch
        props = _PROPS[(plan.name, node.id)] = {"campaign": plan.name, "node": node.id}
    base = {
        "contact_id": item.contact_id,
        "campaign_id": plan.campaign_id,
        "node_id": node.id,
        "properties": props,
        "message_id": None,  # filled in once the message row has its id
        "_message_key": key,
    }
    writes.events.append({**base, "name": SENT_EVENT[channel], "occurred_at": at})
    assume = runner.assume
    if not assume or channel != "email":
        return
    u, v, w = _engagement_fractions(plan.name, node.id, item.contact_id)
    opened_at = at + dt.timedelta(hours=1 + 47 * v)
    if u < assume.get("opened", 0.0):
        writes.events.append({**base, "name": "email_opened", "occurred_at": opened_at})
    if u < assume.get("clicked", 0.0):
        clicked_at = opened_at + dt.timedelta(minutes=2 + 60 * v)
        writes.events.append({**base, "name": "email_clicked", "occurred_at": clicked_at})
    if w < assume.get("bounced", 0.0):
        writes.events.append(
            {**base, "name": "bounced", "occurred_at": at + dt.timedelta(minutes=5)}
        )
        writes.contact_updates.setdefault(item.contact_id, {})["bounced"] = True
    elif w < assume.get("bounced", 0.0) + assume.get("unsubscribed", 0.0):
        writes.events.append({**base, "name": "unsubscribed", "occurred_at": opened_at})
        writes.unsubscribe.add(item.contact_id)


def webhook(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    """action.webhook: a message on channel "webhook" (the dispatcher makes the call)."""
    params = node.params
    method = params.get("method", "POST")
    _outgoing(
        runner,
        plan,
        node,
        items,
        writes,
        "webhook",
        {"to": params.get("url", ""), "text": params.get("body", "")},
        headers={"method": method},
    )


def notify(
    runner: Runner,
    conn: Connection,
    plan: Plan,
    node: Node,
    items: list[Enrollment],
    now: dt.datetime,
    writes: BatchWrites,
) -> None:
    """action.notify: tell the campaign owner (or `to`) about this contact."""
    params = node.params
    _outgoing(
        runner,
        plan,
        node,
        items,
        writes,
        "notify",
        {
            "to": params.get("to", "") or (plan.owner or ""),
            "subject": params.get("subject", ""),
            "text": params.get("body", ""),
        },
    )


def _outgoing(
    runner,
    plan: Plan,
    node: Node,
    items: list,
    writes,
    channel: str,
    parts: dict[str, str],
    headers: dict | None = None,
) -> None:
    simulate = runner.mode == "simulate"
    campaign_ctx = campaign_context(plan)
    node_ctx = {"id": node.id, "type": node.type, "label": node.label}
    for item in items:
        item.port = "out"
        context = {
            "contact": contact_context(item.contact),
            "campaign": campaign_ctx,
            "node": node_ctx,
            "now": item.at,
            "unsubscribe_url": "",
        }
        row = {
            "key": f"{item.id}:{node.id}:1",
            "enrollment_id": item.id,
            "campaign_id": plan.campaign_id,
            "node_id": node.id,
            "contact_id": item.contact_id,
            "channel": channel,
            "to_address": None,
            "sender": None,
            "subject": None,
            "body_html": None,
            "body_text": None,
            "headers": headers,
            "status": "queued",
            "error": None,
            "attempts": 0,
            "next_attempt_at": item.at,
            "created_at": item.at,
            "sent_at": None,
        }
        try:
            row["to_address"] = _render(parts.get("to", ""), context).strip() or None
            row["subject"] = _render(parts.get("subject", ""), context) or None
            row["body_text"] = _render(parts.get("text", ""), context)
        except Exception as exc:
            row["status"], row["error"] = "failed", f"template error: {exc}"
            item.outcome, item.detail = "failed", row["error"]
            writes.messages.append(row)
            continue
        if row["to_address"] is None:
            row["status"], row["error"] = "failed", "no address"
            item.outcome, item.detail = "failed", "no address"
        elif simulate:
            row["status"], row["sent_at"], row["next_attempt_at"] = "simulated", item.at, None
            item.outcome = "sent"
        else:
            item.outcome = "queued"
        writes.messages.append(row)
