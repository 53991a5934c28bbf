"""The runner: moves contacts through live campaigns, driven by an injected clock.
`Runner(engine, clock, mode="live"|"simulate", assume=None).tick(now=None, limit=None)`."""

from engine.runner.core import Runner, TickReport
from engine.runner.nodes import split_port

__all__ = ["Runner", "TickReport", "split_port"]
