"""WCAG 2.1 contrast: relative luminance, ratios, and the canvas/panel colour pairs to check.

Every colour pair a user has to tell apart (text on its background, a control's edge on
what surrounds it) is listed here from the theme tables, so a test can compute them all.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import QColor

from designer.panel_style import PANEL_COLOURS
from designer.theme import Theme

TEXT = 4.5  # WCAG 2.1 1.4.3, normal text
LARGE_TEXT = 3.0  # 1.4.3, text of 18 pt, or 14 pt bold
NON_TEXT = 3.0  # 1.4.11, control boundaries, focus indicators, graphics that carry meaning


class Pair(NamedTuple):
    what: str
    foreground: str  # "#rrggbb"
    background: str
    minimum: float

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.foreground, self.background)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour "#rrggbb" (WCAG 2.1 definition)."""
    c = QColor(colour)
    return 0.2126 * _channel(c.red()) + 0.7152 * _channel(c.green()) + 0.0722 * _channel(c.blue())


def contrast_ratio(a: str, b: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), from 1 (same) to 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    light, dark = max(la, lb), min(la, lb)
    return (light + 0.05) / (dark + 0.05)


def blend(colour: str | QColor, alpha: int, under: str | QColor) -> str:
    """`colour` painted with `alpha` (0–255) over the opaque `under`, as "#rrggbb"."""
    top, bottom = QColor(colour), QColor(under)
    a = alpha / 255
    mixed = QColor(
        round(top.red() * a + bottom.red() * (1 - a)),
        round(top.green() * a + bottom.green() * (1 - a)),
        round(top.blue() * a + bottom.blue() * (1 - a)),
    )
    return mixed.name()


def canvas_pairs(theme: Theme) -> list[Pair]:
    """Pairs drawn on the canvas by the node, edge, note and badge items."""
    t = theme
    bg, card = t.background.name(), t.card.name()
    port_pill = blend(t.background, 225, t.background)
    pairs = [
        Pair("node title on card", t.title.name(), card, TEXT),
        Pair("node summary on card", t.summary.name(), card, TEXT),
        Pair("port label on canvas", t.port_label.name(), port_pill, TEXT),
        Pair("note text on note", t.note_text.name(), t.note.name(), TEXT),
        Pair("group title", t.group_text.name(), blend(t.group, t.group.alpha(), bg), TEXT),
        Pair("figures badge text", t.badge_text.name(), t.badge.name(), TEXT),
        Pair("forecast badge text", t.forecast.name(), blend(t.forecast, 40, bg), TEXT),
        Pair("node card border on canvas", t.card_border.name(), bg, NON_TEXT),
        Pair("edge on canvas", t.edge.name(), bg, NON_TEXT),
        Pair("hovered edge on canvas", t.edge_hover.name(), bg, NON_TEXT),
        Pair("port ring on card", t.port_border.name(), card, NON_TEXT),
        Pair("port ring on canvas", t.port_border.name(), bg, NON_TEXT),
        Pair("selection/focus ring on canvas", t.selection.name(), bg, NON_TEXT),
        Pair("selection/focus ring on card", t.selection.name(), card, NON_TEXT),
        Pair("error marker on card", t.error.name(), card, NON_TEXT),
        Pair("warning marker on card", t.warning.name(), card, NON_TEXT),
        Pair("mark on error marker", t.on_marker.name(), t.error.name(), NON_TEXT),
        Pair("mark on warning marker", t.on_marker.name(), t.warning.name(), NON_TEXT),
    ]
    for name, colour in t.categories.items():
        pairs.append(Pair(f"{name} colour on card", colour.name(), card, NON_TEXT))
    return pairs


def panel_pairs(theme: Theme) -> list[Pair]:
    """Pairs in the palette, inspector and problems panels around the canvas."""
    p = PANEL_COLOURS[theme.name]
    accent, error, warning = theme.selection.name(), theme.error.name(), theme.warning.name()
    pairs = []
    for bg in ("panel", "field", "hover"):
        pairs.append(Pair(f"panel text on {bg}", p["text"], p[bg], TEXT))
        pairs.append(Pair(f"muted text on {bg}", p["muted"], p[bg], TEXT))
    pairs += [
        Pair("field error text on panel", error, p["panel"], TEXT),
        Pair("invalid field text", p["text"], p["invalid_bg"], TEXT),
        Pair("error summary on panel", error, p["panel"], TEXT),
        Pair("warning summary on panel", warning, p["panel"], TEXT),
        Pair("all-clear summary on panel", p["success"], p["panel"], TEXT),
        Pair("selected item text on accent", p["on_accent"], accent, TEXT),
        Pair("'not' button text on error", p["on_accent"], error, TEXT),
        Pair("field border on field", p["field_border"], p["field"], NON_TEXT),
        Pair("field border on panel", p["field_border"], p["panel"], NON_TEXT),
        Pair("invalid field border", error, p["invalid_bg"], NON_TEXT),
        Pair("focus border on field", accent, p["field"], NON_TEXT),
        Pair("focus border on panel", accent, p["panel"], NON_TEXT),
        Pair("scroll bar handle on panel", p["field_border"], p["panel"], NON_TEXT),
    ]
    return pairs
