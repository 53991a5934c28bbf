"""Serving the endpoint with uvicorn: bounded connections, request size and time, no access
log (paths carry tokens), and no traceback for a client that goes away. `PublicServer` runs
it in a thread (`run --serve`, tests); `serve_forever` in the foreground (`serve`)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

import h11
import uvicorn
from sqlalchemy import Engine
from uvicorn.protocols.http.h11_impl import H11Protocol

from engine.clock import Clock
from engine.public.app import Endpoint, create_app

log = logging.getLogger(__name__)
MAX_CONNECTIONS = 1000  # beyond this uvicorn answers 503 at once
MAX_HEADER_BYTES = 16 * 1024


def parse_listen(text: str) -> tuple[str, int]:
    """HOST:PORT (IPv6 as [::1]:8765) or ValueError with a sentence."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"{text!r} is not HOST:PORT (e.g. 127.0.0.1:8765)")
    return host, int(port)


class BoundedProtocol(H11Protocol):
    """h11 with a deadline per request: a client must send its whole request (headers and
    body) within `request_timeout` seconds of connecting or of the previous answer, or the
    connection is closed. uvicorn alone waits forever for a slow client's headers."""

    request_timeout = 10.0
    endpoint: Endpoint | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.request_timeout, self._too_slow)

    def _disarm(self) -> None:
        handle = getattr(self, "_deadline", None)
        if handle is not None:
            handle.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        cycle = self.cycle
        if cycle is not None and not cycle.more_body and not cycle.response_complete:
            return  # the request is in; the route is answering
        if self.transport.is_closing():
            return
        if self.endpoint is not None:
            refused = self.endpoint.refused
            refused["too slow"] = refused.get("too slow", 0) + 1
        idle = self.conn.their_state is h11.IDLE and not self.conn.trailing_data[0]
        if idle:  # connected and sent nothing
            self.transport.close()
            return
        self.transport.write(
            b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        self.transport.close()


def build_config(engine: Engine, host: str, port: int, clock: Clock | None = None,
                 **overrides: Any) -> tuple[uvicorn.Config, Endpoint]:  # fmt: skip
    """The uvicorn configuration serving `engine`'s endpoint at host:port."""
    app, endpoint = create_app(engine, clock)
    timeout = float(endpoint.settings.get("public_timeout") or 10)
    protocol = type("Protocol", (BoundedProtocol,), {"request_timeout": timeout,
                                                     "endpoint": endpoint})  # fmt: skip
    options: dict[str, Any] = {
        "host": host, "port": port, "http": protocol, "lifespan": "off", "ws": "none",
        "access_log": False, "log_config": None, "log_level": "warning",
        "server_header": False, "date_header": True,
        "limit_concurrency": MAX_CONNECTIONS, "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "proxy_headers": True, "forwarded_allow_ips": "127.0.0.1",
        "timeout_graceful_shutdown": 5,
    }  # fmt: skip
    options.update(overrides)
    return uvicorn.Config(app, **options), endpoint


class PublicServer:
    """The endpoint in a background thread: `start()`, `url`, `endpoint`, `stop()`."""

    def __init__(self, engine: Engine, host: str = "127.0.0.1", port: int = 0,
                 clock: Clock | None = None, **overrides: Any) -> None:  # fmt: skip
        self.config, self.endpoint = build_config(engine, host, port, clock, **overrides)
        self.server = uvicorn.Server(self.config)
        self._thread: threading.Thread | None = None
        self.host = host
        self.port = port

    def start(self, timeout: float = 15.0) -> PublicServer:
        self._thread = threading.Thread(target=self._serve, name="public-endpoint", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive():
                raise OSError(f"the public endpoint could not listen on {self.host}:{self.port}")
            if time.monotonic() > deadline:
                raise TimeoutError("the public endpoint did not start")
            time.sleep(0.01)
        sockets = self.server.servers[0].sockets
        self.port = sockets[0].getsockname()[1]
        return self

    def _serve(self) -> None:
        asyncio.run(self.server.serve())

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        self.endpoint.close()


def serve_forever(engine: Engine, host: str, port: int) -> None:
    """The endpoint in the foreground until SIGINT/SIGTERM (uvicorn handles both)."""
    config, endpoint = build_config(engine, host, port)
    try:
        uvicorn.Server(config).run()
    finally:
        endpoint.close()
