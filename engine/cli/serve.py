"""`campaign-studio serve --db DB [--listen HOST:PORT]`: the public endpoint alone (open
pixel, clicks, unsubscribe, view in browser, events API, forms). See docs/public-endpoint.md."""

from __future__ import annotations

import argparse
import logging
import sys

from engine.cli.common import add_db_option, fail, open_db

DEFAULT_LISTEN = "127.0.0.1:8765"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--listen", default=DEFAULT_LISTEN, metavar="HOST:PORT",
                        help=f"address to listen on (default {DEFAULT_LISTEN}; put a "
                        "reverse proxy with TLS in front)")  # fmt: skip
    parser.epilog = "Setting up the address, TLS and DNS: docs/public-endpoint.md"


def public_url_warning(settings: dict) -> str | None:
    """A sentence when `public_url` is not https on a public name (recipients' mail clients
    and RFC 8058 one-click need https)."""
    from urllib.parse import urlsplit

    url = str(settings.get("public_url") or "")
    parts = urlsplit(url)
    if parts.scheme == "https":
        return None
    if parts.hostname in ("127.0.0.1", "localhost", "::1"):
        return (f"warning: public_url is {url}: only this computer can reach it. Set the "
                "address people reach (https) with `campaign-studio settings set public_url "
                "https://…`")  # fmt: skip
    return (f"warning: public_url {url} is not https; mail clients and one-click unsubscribe "
            "need https (put a TLS reverse proxy in front)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from engine.public.server import parse_listen, serve_forever

    try:
        host, port = parse_listen(args.listen)
    except ValueError as exc:
        return fail(f"--listen: {exc}")
    try:
        engine = open_db(args)
    except Exception as exc:  # UsageError or a database that cannot be opened
        return fail(str(getattr(exc, "orig", None) or exc))
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s")  # fmt: skip
    from engine.settings import load_settings

    warning = public_url_warning(load_settings(engine))
    if warning:
        print(warning, file=sys.stderr)
    print(f"campaign-studio serve: listening on {host}:{port}; Ctrl+C or SIGTERM stops",
          file=sys.stderr, flush=True)  # fmt: skip
    try:
        serve_forever(engine, host, port)
    except OSError as exc:
        return fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    finally:
        engine.dispose()
    print("campaign-studio serve: stopped", file=sys.stderr, flush=True)
    return 0
