"""A problem found by loading or validation: which node (or edge), how bad, and a sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.diagram import Edge

CAMPAIGN = "campaign"  # what stands in the node column for campaign-wide problems


@dataclass(frozen=True)
class Problem:
    node: str | None
    message: str
    severity: str = "error"  # "error" blocks starting a campaign; "warning" does not
    edge: Edge | None = None
    code: str = ""

    def __str__(self) -> str:
        return f"{self.node or CAMPAIGN}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "node": self.node,
            "severity": self.severity,
            "message": self.message,
        }
        if self.code:
            out["code"] = self.code
        if self.edge is not None:
            out["edge"] = {"from": self.edge.source, "port": self.edge.port,
                           "to": self.edge.target}  # fmt: skip
        return out
