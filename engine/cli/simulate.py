"""`campaign-studio simulate FILE --db DB --days N [--start ISO] [--assume K=R,...] [--json]`:
a forecast on a copy of the database; exit 1 when the campaign has errors, 2 on bad input."""

from __future__ import annotations

import argparse
import json
import sys

from engine.campaigns import CampaignError
from engine.durations import DurationError, parse_datetime
from engine.fileformat import FormatError, load

MAX_DAYS = 36500  # a hundred years: beyond, dates overflow


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a .campaign.json file")
    parser.add_argument(
        "--db",
        dest="sim_db",
        metavar="DB",
        help="database to copy: a SQLite file or a SQLAlchemy URL",
    )
    parser.add_argument("--days", type=float, required=True, help="how many days to run")
    parser.add_argument("--start", help="ISO date-time to start at (default: now)")
    parser.add_argument(
        "--assume", default="", help="engagement rates, e.g. opened=0.3,clicked=0.1,purchase=0.05"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")


def run(args: argparse.Namespace) -> int:
    from engine.simulate import SimulationError, parse_assume, simulate

    db = args.sim_db or getattr(args, "db", None)
    if not db:  # the user's own database, as the window (DESIGN.md's command line)
        from engine.paths import default_database_path

        db = str(default_database_path())
    try:
        diagram, problems = load(args.file, strict=False)
    except FormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        for problem in errors:
            print(problem, file=sys.stderr)
        return 1
    try:
        assume = parse_assume(args.assume)
        start = parse_datetime(args.start) if args.start else None
    except (SimulationError, DurationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not 0 < args.days <= MAX_DAYS:  # also NaN and infinity
        print(f"error: --days must be more than 0 and at most {MAX_DAYS}", file=sys.stderr)
        return 2
    bar = _progress_bar(args.days)
    try:
        result = simulate(
            diagram, db, args.days, start=start, assume=assume, progress=bar.update if bar else None
        )
    except CampaignError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except SimulationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar:
            bar.close()
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True, default=str))
    else:
        print(
            format_table(
                result,
                f"Forecast: {diagram.name}, {args.days:g} day{'' if args.days == 1 else 's'}",
            )
        )
    return 0


class _Bar:
    """tqdm counting simulated days (on a terminal only)."""

    def __init__(self, days: float) -> None:
        from tqdm import tqdm

        self.bar = tqdm(
            total=float(days),
            desc="simulating",
            file=sys.stderr,
            leave=False,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| day {n:.1f} of {total:g}",
        )
        self.done = 0.0

    def update(self, done: int, total: int | None) -> None:
        days = done / 86400
        self.bar.update(days - self.done)
        self.done = days

    def close(self) -> None:
        self.bar.close()


def _progress_bar(days: float) -> _Bar | None:
    return _Bar(days) if sys.stderr.isatty() else None


SEND_COLUMNS = ("sent", "failed", "suppressed", "opened", "clicked", "unsubscribed")


def format_table(result: dict, title: str) -> str:
    """A readable table of per-node figures, then the campaign totals."""
    nodes = result["nodes"]
    width = max([len(n) for n in nodes] + [4])
    head = f"{'node':<{width}}  {'entered':>7}  {'waiting':>7}  ports / messages"
    lines = [title, "", head, "-" * len(head)]
    for node_id, figures in nodes.items():
        ports = ", ".join(f"{p}={n}" for p, n in figures["ports"].items())
        sends = ", ".join(f"{k}={figures[k]}" for k in SEND_COLUMNS if k in figures)
        extra = "; ".join(x for x in (ports, sends) if x)
        lines.append(
            f"{node_id:<{width}}  {figures['entered']:>7}  {figures['waiting']:>7}  {extra}"
        )
    c = result["campaign"]
    lines += [
        "",
        f"enrolled {c['enrolled']}, active {c['active']}, completed {c['completed']}, "
        + (f"exited {c['exited']}, " if c.get("exited") else "")
        + (f"failed {c['failed']}, " if c.get("failed") else "")
        + f"converted {c['converted']} ({c['conversion_rate']:.1%})",
    ]
    for channel, statuses in sorted(c.get("messages", {}).items()):
        parts = ", ".join(f"{s} {n}" for s, n in sorted(statuses.items()))
        lines.append(f"{channel}: {parts}")
    return "\n".join(lines)
