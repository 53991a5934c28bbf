"""Ready-made conditions in the palette, as a Mautic or Braze user looks for them:
"Opened email?" and "Clicked link?" — a `condition.event` on the engine's own events,
named in plain words, asking which email by its name in the inspector."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.catalog import CATALOG, NodeType


@dataclass(frozen=True)
class Preset:
    key: str  # what a palette drag carries
    type: str  # the catalog type it adds
    title: str
    description: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> NodeType:
        return CATALOG[self.type]


PRESETS = (
    Preset("condition.opened_email", "condition.event", "Opened email?",
           "Yes if the contact opened an email of this campaign (pick which one).",
           {"event": "email_opened"}),
    Preset("condition.clicked_link", "condition.event", "Clicked link?",
           "Yes if the contact clicked a link in an email of this campaign.",
           {"event": "email_clicked"}),
)  # fmt: skip
BY_KEY = {preset.key: preset for preset in PRESETS}


def resolve(key: str) -> tuple[str, dict[str, Any] | None, str | None]:
    """(catalog type, params or None for the defaults, label or None) for a palette key."""
    preset = BY_KEY.get(key)
    if preset is None:
        return key, None, None
    return preset.type, {**preset.spec.defaults(), **preset.params}, preset.title
