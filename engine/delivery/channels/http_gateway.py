"""SMS and messenger messages through an HTTP gateway (URL, method, headers, and a body
that is a Jinja2 template rendered in the sandbox), and `action.webhook` calls."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any

from engine.delivery.channels.base import (
    Channel,
    HandedOver,
    OutgoingMessage,
    PermanentFailure,
    TemporaryFailure,
)
from engine.templating import TemplateError, render

DEFAULT_BODY = (
    '{"to": {{ to|tojson }}, "text": {{ text|tojson }}, "from": {{ sender|tojson }}, '
    '"channel": {{ channel|tojson }}, "id": {{ key|tojson }}}'
)
TEMPORARY_STATUSES = frozenset({408, 425, 429})


def http_failure(status: int, reason: str) -> TemporaryFailure | PermanentFailure:
    """HTTP status as our failure: 5xx (and 408/425/429) temporary, other 4xx permanent."""
    text = f"HTTP {status}: {reason}".strip()
    if status >= 500 or status in TEMPORARY_STATUSES:
        return TemporaryFailure(text, status)
    return PermanentFailure(text, status)


def call(url: str, method: str, headers: dict[str, str], body: bytes | None,
         timeout: float) -> int:  # fmt: skip
    """One HTTP request; returns the status when 2xx/3xx, raises our failures otherwise."""
    if not url.lower().startswith(("http://", "https://")):
        raise PermanentFailure(f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(url, data=body, method=method.upper(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        raise http_failure(exc.code, str(exc.reason)) from None
    except (http.client.HTTPException, OSError) as exc:  # URLError, timeouts, refused
        reason = getattr(exc, "reason", exc)
        raise TemporaryFailure(f"cannot reach {url}: {reason}", unreachable=True) from None


class HttpGatewayChannel(Channel):
    """Posts each message to a gateway. `body` is a template with the message's fields in
    context: to, text, subject, sender, channel, key, contact_id, campaign_id, node_id,
    headers (and `message`, all of them as a dict)."""

    name = "http"

    def __init__(self, url: str, method: str = "POST", headers: dict[str, str] | None = None,
                 body: str | None = None, timeout: float = 10.0) -> None:  # fmt: skip
        self.url, self.method = url, method.upper()
        self.headers = {"Content-Type": "application/json", **(headers or {})}
        self.body = body or DEFAULT_BODY
        self.timeout = timeout

    def context(self, message: OutgoingMessage) -> dict[str, Any]:
        data = message.as_json()
        return {**data, "message": data}

    def send(self, message: OutgoingMessage, handed_over: HandedOver | None = None) -> None:
        context = self.context(message)
        try:
            url = render(self.url, context, where="gateway URL")
            body = render(self.body, context, where="gateway body").encode("utf-8")
            headers = {k: render(str(v), context, where=f"gateway header {k}")
                       for k, v in self.headers.items()}  # fmt: skip
        except TemplateError as exc:
            raise PermanentFailure(f"template error: {exc}") from None
        # Gateways that honour it de-duplicate a resend after a crash.
        headers.setdefault("Idempotency-Key", message.key)
        call(url, self.method, headers, body if self.method != "GET" else None, self.timeout)


class WebhookChannel(Channel):
    """action.webhook: the message's `to` is the URL, headers["method"] the method, `text`
    the body already rendered by the runner (sent as JSON when it parses as JSON)."""

    name = "webhook"

    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout

    def send(self, message: OutgoingMessage, handed_over: HandedOver | None = None) -> None:
        method = str(message.headers.get("method") or "POST").upper()
        text = message.text or ""
        try:
            json.loads(text)
            content_type = "application/json"
        except ValueError:
            content_type = "text/plain; charset=utf-8"
        headers = {"Content-Type": content_type, "Idempotency-Key": message.key}
        body = text.encode("utf-8") if method not in ("GET", "HEAD", "DELETE") else None
        call(message.to, method, headers, body, self.timeout)
