"""The window's colour pairs (app/style.py tables and the screens' chips, tags and charts).

tests/app/test_contrast.py computes every pair here and in designer/contrast.py for each
theme and fails below WCAG 2.1 AA.
"""

from __future__ import annotations

from app.screen_parts import TAG_COLOURS, TAG_TEXT
from app.style import ACCENT, ACCENT_HOVER, PALETTES, SERIES_COLOURS, STATUS_COLOURS
from designer.contrast import NON_TEXT, TEXT, Pair, blend

CHIP_ALPHA = 38  # the status chip's fill: its colour at this alpha over the table


def app_pairs(theme: str) -> list[Pair]:
    c = PALETTES[theme]
    pairs = []
    for bg in ("window", "surface", "alt", "selection"):
        pairs.append(Pair(f"text on {bg}", c["text"], c[bg], TEXT))
    for bg in ("window", "surface", "alt"):
        pairs.append(Pair(f"muted text on {bg}", c["muted"], c[bg], TEXT))
        pairs.append(Pair(f"error text on {bg}", c["error_fg"], c[bg], TEXT))
        pairs.append(Pair(f"good text on {bg}", c["good"], c[bg], TEXT))
    for kind in ("info", "success", "error", "forecast"):
        pairs.append(Pair(f"{kind} message", c[f"{kind}_fg"], c[f"{kind}_bg"], TEXT))
    pairs += [
        Pair("sidebar page", c["sidebar_text"], c["sidebar"], TEXT),
        Pair("sidebar page under the mouse", "#ffffff", c["sidebar_hover"], TEXT),
        Pair("brand on sidebar", "#ffffff", c["sidebar"], TEXT),
        Pair("current sidebar page", "#ffffff", ACCENT, TEXT),
        Pair("primary button text", "#ffffff", ACCENT, TEXT),
        Pair("primary button under the mouse", "#ffffff", ACCENT_HOVER, TEXT),
        Pair("current tab title", c["accent_text"], c["surface"], TEXT),
        Pair("chart title", c["text"], c["surface"], TEXT),
        Pair("input border on surface", c["field_border"], c["surface"], NON_TEXT),
        Pair("input border on window", c["field_border"], c["window"], NON_TEXT),
        Pair("focus ring on surface", c["focus"], c["surface"], NON_TEXT),
        Pair("focus ring on window", c["focus"], c["window"], NON_TEXT),
        Pair("focus ring of the primary button", c["text"], c["window"], NON_TEXT),
        Pair("focus ring on sidebar", c["sidebar_focus"], c["sidebar"], NON_TEXT),
        Pair("focus ring on current page", c["sidebar_focus"], ACCENT, NON_TEXT),
    ]
    for status, colour in STATUS_COLOURS[theme].items():
        chip = blend(colour, CHIP_ALPHA, c["surface"])
        pairs.append(Pair(f"{status} status chip", colour, chip, TEXT))
        pairs.append(Pair(f"{status} status on the page header", colour, c["window"], TEXT))
    for i, colour in enumerate(SERIES_COLOURS[theme]):
        pairs.append(Pair(f"chart series {i + 1}", colour, c["surface"], NON_TEXT))
    for background, foreground in zip(TAG_COLOURS, TAG_TEXT, strict=True):
        pairs.append(Pair(f"tag {foreground} on {background}", foreground, background, TEXT))
    return pairs
