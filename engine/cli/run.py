"""`campaign-studio run --db DB [--once] [--serve HOST:PORT]`: the headless engine worker.
SIGTERM or Ctrl+C stops it cleanly; started again, it continues exactly where it stopped."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=argparse.SUPPRESS,
                        help="database: a SQLite file path or a SQLAlchemy URL")  # fmt: skip
    parser.add_argument("--once", action="store_true",
                        help="process what is due now, deliver it, and exit")  # fmt: skip
    parser.add_argument("--interval", type=float, default=None, metavar="S",
                        help="seconds between ticks (default: setting tick_seconds)")  # fmt: skip
    parser.add_argument("--outbox", default=None,
                        help="offline outbox folder (default: user data folder)")  # fmt: skip
    parser.add_argument("--serve", default=None, metavar="HOST:PORT",
                        help="also run the public endpoint (as `serve --listen`)")  # fmt: skip
    parser.add_argument(
        "--unsubscribe-port", type=int, default=None, help=argparse.SUPPRESS
    )  # the old name of --serve 127.0.0.1:PORT
    parser.add_argument("--quiet", action="store_true", help="log warnings only")


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from engine.service import EngineService

    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s")  # fmt: skip
    db = getattr(args, "db", None)
    if not db:
        from engine.paths import default_database_path

        db = default_database_path()
    if args.interval is not None and args.interval <= 0:
        print("error: --interval must be a positive number of seconds", file=sys.stderr)
        return 2
    shown = _shown(db)
    listen = args.serve or (f"127.0.0.1:{args.unsubscribe_port}" if args.unsubscribe_port else None)
    if listen:
        from engine.public.server import parse_listen

        try:
            listen_at = parse_listen(listen)
        except ValueError as exc:
            print(f"error: --serve: {exc}", file=sys.stderr)
            return 2
    try:
        service = EngineService(db, interval=args.interval, outbox=args.outbox)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        print(
            f"error: cannot open the database {shown}: {getattr(exc, 'orig', None) or exc}",
            file=sys.stderr,
        )
        return 2
    from engine.worker_lock import WorkerLockError

    try:
        service.worker_lock.acquire()
    except WorkerLockError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.once:
        result = service.run_once()
        tick, delivery = result["tick"], result["delivery"]
        print(f"enrolled {tick.enrolled}, moved {tick.moved}, queued {tick.messages}; "
              f"sent {delivery.sent}, retried {delivery.retried}, failed {delivery.failed}, "
              f"suppressed {delivery.suppressed}, in doubt {delivery.in_doubt}")  # fmt: skip
        service.shutdown()
        return 0
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        logging.getLogger(__name__).info("signal %d: stopping after the message in hand", signum)
        stop.set()
        service.request_stop()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    endpoint = None
    if listen:
        from engine.public.server import PublicServer

        try:
            endpoint = PublicServer(service.engine, *listen_at).start()
        except OSError as exc:
            print(f"error: cannot listen on {listen}: {exc}", file=sys.stderr)
            service.shutdown()
            return 2
        print(f"campaign-studio run: public endpoint on {endpoint.url}", file=sys.stderr)
    service.start()
    from engine.bounces.imap import MailboxWatcher, configured

    mailbox = None
    if configured(service.settings):  # the bounce mailbox (Settings): read every few minutes
        every = float(service.settings.get("bounce_poll_seconds") or 300)
        mailbox = MailboxWatcher(service.engine, service.settings, every)
    print(f"campaign-studio run: engine running on {shown} (tick every {service.interval:g} s); "
          "Ctrl+C or SIGTERM stops", file=sys.stderr, flush=True)  # fmt: skip
    while not stop.wait(0.5):
        if mailbox is not None:
            mailbox.tick()
    service.shutdown(wait=True)
    if endpoint is not None:
        endpoint.stop()
    print("campaign-studio run: stopped", file=sys.stderr, flush=True)
    return 0


def _shown(db: object) -> str:
    """The database as printed: a URL's password is masked."""
    text = str(db)
    if "://" not in text:
        return text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return text
