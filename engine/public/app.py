"""The public endpoint's routes (Starlette): open pixel, click redirect, unsubscribe and
preferences, view in browser, events API, web-to-lead forms. See docs/public-endpoint.md."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from typing import Any
from urllib.parse import parse_qsl, quote

from sqlalchemy import Engine, select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from engine import retention
from engine.clock import Clock, SystemClock
from engine.db.schema import messages
from engine.delivery.unsubscribe import engine_secret, read_token, unsubscribe
from engine.public import events_api, forms, keys, tokens
from engine.public.pages import buttons, page
from engine.public.preferences import is_unsubscribed, resubscribe
from engine.public.recorder import EventRecorder
from engine.public.tracking import Tracking, fill_view_url
from engine.settings import load_settings

log = logging.getLogger(__name__)
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_CACHE = {
    "Cache-Control": "no-store, no-cache, must-revalidate, max-age=0",
    "Pragma": "no-cache",
    "Expires": "0",
}
# The view page shows stored HTML: no script may run, nothing may be posted from it.
VIEW_POLICY = (
    "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; "
    "font-src https: data:; sandbox allow-popups allow-popups-to-escape-sandbox"
)
PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}


class Endpoint:
    """The state the routes share: database, secret, settings, recorder, clock."""

    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()
        self.secret = engine_secret(engine)
        self.settings = load_settings(engine)
        self.max_body = int(self.settings.get("public_max_body") or 65536)
        self.recorder = EventRecorder(engine)
        self.form_limit = forms.RateLimit(int(self.settings.get("form_rate_limit") or 0))
        self.refused: dict[str, int] = {}  # reason -> count (tests and the log read it)

    def refuse(self, reason: str, status: int, text: str) -> Response:
        self.refused[reason] = self.refused.get(reason, 0) + 1
        return Response(text, status_code=status, media_type="text/plain; charset=utf-8")

    def now(self) -> dt.datetime:
        return self.clock.now()

    def close(self) -> None:
        self.recorder.close()


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) past `limit` bytes whatever Content-Length said."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise HTTPException(413, "request body too large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, "request body too large")
    return bytes(body)


def build_app(endpoint: Endpoint) -> Starlette:
    e = endpoint

    async def unsubscribe_page(request: Request) -> Response:
        token = request.path_params.get("token") or request.query_params.get("token", "")
        found = read_token(e.secret, token) if token else None
        if found is None:
            e.refused["bad token"] = e.refused.get("bad token", 0) + 1
            return HTMLResponse(
                page("Unsubscribe", "This link is not valid."), 404, headers=PAGE_HEADERS
            )
        if request.method == "GET":  # link scanners prefetch GETs: never act on one
            state = await run_in_threadpool(is_unsubscribed, e.engine, found)
            if state is None:
                return HTMLResponse(
                    page("Unsubscribe", "Unknown contact."), 404, headers=PAGE_HEADERS
                )
            if state:
                text, choices = "You are unsubscribed.", [("resubscribe", "Subscribe again")]
            else:
                text = "Stop receiving our messages?"
                choices = [("unsubscribe", "Unsubscribe from everything")]
            return HTMLResponse(
                page("Your subscription", text, buttons("", choices)), headers=PAGE_HEADERS
            )
        body = await read_body(request, e.max_body)
        fields = dict(parse_qsl(body.decode("utf-8", "replace")))
        # RFC 8058 one-click sends "List-Unsubscribe=One-Click"; the page's button "action".
        action = fields.get("action", "unsubscribe")
        if action == "resubscribe":
            await run_in_threadpool(resubscribe, e.engine, found, e.now())
            return HTMLResponse(
                page("Subscribed", "Welcome back: you will hear from us again."),
                headers=PAGE_HEADERS,
            )
        done = await run_in_threadpool(unsubscribe, e.engine, token, e.now())
        if done is None:
            return HTMLResponse(page("Unsubscribe", "Unknown contact."), 404, headers=PAGE_HEADERS)
        return HTMLResponse(
            page(
                "Unsubscribed",
                "You will not hear from us again.",
                buttons("", [("resubscribe", "Undo: subscribe again")]),
            ),
            headers=PAGE_HEADERS,
        )

    async def view(request: Request) -> Response:
        found = tokens.read(e.secret, "v", request.path_params["token"])
        if found is None:
            return e.refuse("bad token", 404, "unknown link")
        row = await run_in_threadpool(_stored_message, e.engine, found)
        if row is None:
            return e.refuse("no message", 404, "this message is no longer available")
        row = fill_view_url(row, e.secret, Tracking.from_settings(e.settings), found)
        headers = {
            **NO_CACHE,
            "Content-Security-Policy": VIEW_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        }
        return HTMLResponse(row, headers=headers)

    async def api_events(request: Request) -> Response:
        key = await run_in_threadpool(
            keys.verify_key, e.engine, request.headers.get("authorization")
        )
        if key is None:
            e.refused["bad key"] = e.refused.get("bad key", 0) + 1
            return JSONResponse(
                {"error": "a valid API key is required (Authorization: Bearer KEY)"},
                401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        body = await read_body(request, e.max_body)
        try:
            items = events_api.parse_body(body)
        except events_api.BadRequest as exc:
            return JSONResponse({"error": str(exc)}, 400)
        late_days = float(e.settings.get("late_event_days") or 0)
        report = await run_in_threadpool(
            events_api.ingest, e.engine, key.id, items, e.now(), late_days
        )
        return JSONResponse(report)

    async def form_post(request: Request) -> Response:
        name = request.path_params["form"]
        settings = await run_in_threadpool(load_settings, e.engine)
        config = (settings.get("forms") or {}).get(name)
        if not isinstance(config, dict):
            return e.refuse("unknown form", 404, "unknown form")
        client = request.client.host if request.client else "?"
        if not e.form_limit.allow(client):
            return e.refuse("rate limit", 429, "too many submissions; try again in a minute")
        body = await read_body(request, e.max_body)
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return e.refuse("bad form", 415, "send the form as application/x-www-form-urlencoded")
        fields = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        redirect = str(config.get("redirect") or "")
        if fields.get(forms.HONEYPOT):  # a robot: look like success, store nothing
            e.refused["honeypot"] = e.refused.get("honeypot", 0) + 1
        else:
            try:
                await run_in_threadpool(forms.submit, e.engine, name, config, fields, e.now())
            except forms.FormProblem as exc:
                return HTMLResponse(
                    page("Please check the form", str(exc)), 400, headers=PAGE_HEADERS
                )
        if redirect.lower().startswith(("https://", "http://")):  # the team's page, not ours
            return RedirectResponse(redirect, status_code=303)
        return HTMLResponse(page("Thank you", "We have your details."), headers=PAGE_HEADERS)

    routes = [
        Route("/u/{token}", unsubscribe_page, methods=["GET", "POST"]),
        Route("/unsubscribe", unsubscribe_page, methods=["GET", "POST"]),  # links sent before
        Route("/v/{token}", view, methods=["GET"]),
        Route("/api/events", api_events, methods=["POST"]),
        Route("/f/{form}", form_post, methods=["POST"]),
    ]
    return Starlette(routes=routes)


def _stored_message(engine: Engine, found: tokens.MessageToken) -> str | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(
                messages.c.contact_id,
                messages.c.body_html,
                messages.c.body_text,
                messages.c.dropped_at,
            ).where(messages.c.key == found.key)
        ).first()
        days = retention.retention_days(conn) if row is not None and row.dropped_at else 0
    if row is None or row.contact_id != found.contact_id:
        return None
    if row.body_html:
        return row.body_html
    from html import escape

    text = row.body_text or ""
    if row.dropped_at is not None:  # past the retention period (engine.retention)
        text = retention.dropped_note(row.dropped_at, days) or ""
    return f"<!doctype html><meta charset='utf-8'><pre>{escape(text)}</pre>"


class Guard:
    """The outermost layer: a declared body too large is refused before any route runs, and
    an error inside a route is one log line (no traceback, no token) and a plain 500."""

    def __init__(self, app: Any, endpoint: Endpoint) -> None:
        self.app, self.endpoint = app, endpoint

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        fast = scope["method"] in ("GET", "HEAD") and path[:3] in ("/o/", "/c/", "/he")
        if fast and await self._fast(path, send):
            return
        for name, value in scope.get("headers") or ():
            if name == b"content-length" and (
                not value.isdigit() or int(value) > self.endpoint.max_body
            ):
                self.endpoint.refused["too large"] = self.endpoint.refused.get("too large", 0) + 1
                await _plain(send, 413, b"request body too large")
                return
        started = False

        async def watched_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if message["status"] == 413:
                    refused = self.endpoint.refused
                    refused["too large"] = refused.get("too large", 0) + 1
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except ClientDisconnect:  # the client went away mid-request: nobody to answer
            self.endpoint.refused["aborted"] = self.endpoint.refused.get("aborted", 0) + 1
        except Exception as exc:
            route = scope.get("path", "/").split("/")[1][:20]
            log.warning(
                "public endpoint: %s /%s failed: %s", scope.get("method"), route, type(exc).__name__
            )
            if not started:
                await _plain(send, 500, b"internal error")

    async def _fast(self, path: str, send: Any) -> bool:
        """The hot paths answered without the framework (a pixel load or a click is most of
        the traffic): /o/TOKEN, /c/TOKEN and the health check. False: not one of them."""
        e = self.endpoint
        if path == "/healthz":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return True
        kind, token = path[1], path[3:]
        if path[:3] not in ("/o/", "/c/") or "/" in token:
            return False
        found = tokens.read(e.secret, kind, token)
        url = found.url if found is not None else None
        if found is None or (kind == "c" and (url is None or not _web(url))):
            e.refused["bad token"] = e.refused.get("bad token", 0) + 1
            await _plain(send, 404, b"unknown link", close=False)
            return True
        if kind == "o":
            e.recorder.record("email_opened", found, e.now())
            await send({"type": "http.response.start", "status": 200, "headers": _PIXEL_HEADERS})
            await send({"type": "http.response.body", "body": PIXEL})
            return True
        e.recorder.record("email_clicked", found, e.now(), url=url)
        # Our own signed links are already percent-encoded ASCII: quote only what is not.
        plain = url.isascii() and url.isprintable() and " " not in url
        location = (url if plain else quote(url, safe=":/%#?=@[]!$&'()*+,;~")).encode("latin-1")
        headers = [(b"location", location), (b"content-length", b"0"), *_NO_CACHE_RAW]
        await send({"type": "http.response.start", "status": 302, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return True


def _web(url: str) -> bool:
    return url[:8].lower().startswith(("http://", "https://"))


_NO_CACHE_RAW = [(k.lower().encode(), v.encode()) for k, v in NO_CACHE.items()]
_PIXEL_HEADERS = [
    (b"content-type", b"image/gif"),
    (b"content-length", str(len(PIXEL)).encode()),
    *_NO_CACHE_RAW,
]


async def _plain(send: Any, status: int, text: bytes, close: bool = True) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode()),
                *([(b"connection", b"close")] if close else []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})


def create_app(engine: Engine, clock: Clock | None = None) -> tuple[Guard, Endpoint]:
    """The ASGI application for `engine`'s database and the state behind it."""
    endpoint = Endpoint(engine, clock)
    return Guard(build_app(endpoint), endpoint), endpoint


__all__ = ["Endpoint", "create_app"]
