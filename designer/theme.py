"""Canvas colours for the light and dark themes: categories, background, grid, text.

A theme is plain data; items read it when they paint, so switching re-paints, no rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor


@dataclass(frozen=True)
class Theme:
    name: str
    background: QColor
    grid_minor: QColor
    grid_major: QColor
    card: QColor
    card_border: QColor
    shadow: QColor
    title: QColor
    summary: QColor
    port: QColor
    port_border: QColor
    port_label: QColor
    edge: QColor
    edge_hover: QColor
    selection: QColor
    error: QColor
    warning: QColor
    note: QColor
    note_text: QColor
    group: QColor
    group_text: QColor
    badge: QColor
    badge_text: QColor
    forecast: QColor
    heat: QColor
    rubber_band: QColor
    minimap_background: QColor
    categories: dict[str, QColor] = field(default_factory=dict)
    # the "!" drawn on the error/warning markers (dark text on the dark theme's light markers)
    on_marker: QColor = field(default_factory=lambda: QColor("#ffffff"))

    def category(self, name: str) -> QColor:
        return self.categories.get(name, self.categories["exit"])


def _c(value: str, alpha: int = 255) -> QColor:
    color = QColor(value)
    color.setAlpha(alpha)
    return color


CATEGORY_COLOURS_LIGHT = {
    "trigger": "#16a34a",
    "wait": "#d97706",
    "condition": "#7c3aed",
    "action": "#2563eb",
    "goal": "#db2777",
    "exit": "#64748b",
}
CATEGORY_COLOURS_DARK = {
    "trigger": "#22c55e",
    "wait": "#f59e0b",
    "condition": "#a78bfa",
    "action": "#60a5fa",
    "goal": "#f472b6",
    "exit": "#94a3b8",
}

LIGHT = Theme(
    name="light",
    background=_c("#f6f7f9"),
    grid_minor=_c("#d9dde4"),
    grid_major=_c("#c4c9d2"),
    card=_c("#ffffff"),
    card_border=_c("#868e9c"),
    shadow=_c("#0f172a", 22),
    title=_c("#111827"),
    summary=_c("#5b6472"),
    port=_c("#ffffff"),
    port_border=_c("#7a8394"),
    port_label=_c("#6b7280"),
    edge=_c("#7b8494"),
    edge_hover=_c("#4b5563"),
    selection=_c("#2563eb"),
    error=_c("#dc2626"),
    warning=_c("#b45309"),
    note=_c("#fff4c2"),
    note_text=_c("#57471a"),
    group=_c("#2563eb", 16),
    group_text=_c("#334155"),
    badge=_c("#1f2937"),
    badge_text=_c("#ffffff"),
    forecast=_c("#6d28d9"),
    heat=_c("#ef4444"),
    rubber_band=_c("#2563eb"),
    minimap_background=_c("#ffffff", 225),
    categories={k: _c(v) for k, v in CATEGORY_COLOURS_LIGHT.items()},
)

DARK = Theme(
    name="dark",
    background=_c("#17191e"),
    grid_minor=_c("#2a2e36"),
    grid_major=_c("#3a3f4a"),
    card=_c("#252932"),
    card_border=_c("#6b7383"),
    shadow=_c("#000000", 70),
    title=_c("#f1f3f7"),
    summary=_c("#a3abb9"),
    port=_c("#252932"),
    port_border=_c("#8891a1"),
    port_label=_c("#9ca3af"),
    edge=_c("#6b7383"),
    edge_hover=_c("#d1d5db"),
    selection=_c("#60a5fa"),
    error=_c("#f87171"),
    warning=_c("#fbbf24"),
    note=_c("#4a4326"),
    note_text=_c("#f5e9b8"),
    group=_c("#60a5fa", 20),
    group_text=_c("#cbd5e1"),
    badge=_c("#e5e7eb"),
    badge_text=_c("#111827"),
    forecast=_c("#a78bfa"),
    heat=_c("#f87171"),
    rubber_band=_c("#60a5fa"),
    minimap_background=_c("#1f2228", 225),
    categories={k: _c(v) for k, v in CATEGORY_COLOURS_DARK.items()},
    on_marker=_c("#111827"),
)

# Chosen when the system asks for more contrast: black on white, every edge and border black.
HIGH_CONTRAST = Theme(
    name="high-contrast",
    background=_c("#ffffff"),
    grid_minor=_c("#e6e6e6"),
    grid_major=_c("#cccccc"),
    card=_c("#ffffff"),
    card_border=_c("#000000"),
    shadow=_c("#000000", 0),
    title=_c("#000000"),
    summary=_c("#333333"),
    port=_c("#ffffff"),
    port_border=_c("#000000"),
    port_label=_c("#000000"),
    edge=_c("#000000"),
    edge_hover=_c("#0000b3"),
    selection=_c("#0000b3"),
    error=_c("#b30000"),
    warning=_c("#7a4300"),
    note=_c("#ffffcc"),
    note_text=_c("#000000"),
    group=_c("#0000b3", 16),
    group_text=_c("#000000"),
    badge=_c("#000000"),
    badge_text=_c("#ffffff"),
    forecast=_c("#4b0082"),
    heat=_c("#b30000"),
    rubber_band=_c("#0000b3"),
    minimap_background=_c("#ffffff", 235),
    categories={
        "trigger": _c("#006b1a"),
        "wait": _c("#7a4300"),
        "condition": _c("#4b0082"),
        "action": _c("#0000b3"),
        "goal": _c("#8a004d"),
        "exit": _c("#333333"),
    },
)

THEMES = {"light": LIGHT, "dark": DARK, "high-contrast": HIGH_CONTRAST}


def theme_named(name: str) -> Theme:
    """The theme called `name` ("light" or "dark"); light for anything else."""
    return THEMES.get(name, LIGHT)
