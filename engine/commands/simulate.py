"""`campaign-studio simulate` — being built (see the engine issues)."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs=argparse.REMAINDER)


def run(args: argparse.Namespace) -> int:
    print("campaign-studio simulate: not available yet", file=sys.stderr)
    return 2
