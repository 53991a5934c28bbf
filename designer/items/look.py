"""What items share to draw: the theme and the fonts (one object per scene, read at paint)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem

from designer.theme import LIGHT, Theme

FONT_FAMILIES = [
    "Inter",
    "Segoe UI",
    "SF Pro Text",
    "Helvetica Neue",
    "Cantarell",
    "Noto Sans",
    "DejaVu Sans",
    "Arial",
]


ADDED = QColor("#15803d")  # green enough on both themes' cards


def diff_colour(mark: str, theme: Theme) -> QColor:
    """The colour of a version comparison's mark: added green, removed red, changed amber."""
    return {"added": ADDED, "removed": theme.error}.get(mark, theme.warning)


def ui_font(pixel_size: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(pixel_size)
    font.setWeight(weight)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


class Look:
    """The scene's theme and fonts; switching theme changes this object and repaints."""

    def __init__(self, theme: Theme = LIGHT) -> None:
        self.theme = theme
        # Node pictures are cached per device pixel only where painting them is dear (text,
        # icons: zoom >= 0.5, see CampaignView); zoomed out they are cheap and a cache would
        # be rebuilt at every zoom step.
        self.cache_mode = QGraphicsItem.CacheMode.NoCache
        self.title_font = ui_font(12, QFont.Weight.DemiBold)
        self.summary_font = ui_font(11)
        self.port_font = ui_font(10)
        self.badge_font = ui_font(10, QFont.Weight.Medium)
        self.note_font = ui_font(12)
        self.group_font = ui_font(13, QFont.Weight.DemiBold)
        self.title_metrics = QFontMetricsF(self.title_font)
        self.summary_metrics = QFontMetricsF(self.summary_font)
        self.port_metrics = QFontMetricsF(self.port_font)
        self.badge_metrics = QFontMetricsF(self.badge_font)
