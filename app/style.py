"""The application's look: one style sheet with a light and a dark palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#4f46e5"
ACCENT_HOVER = "#4338ca"

PALETTES = {
    "light": {
        "window": "#f6f7fb",
        "surface": "#ffffff",
        "alt": "#f9fafc",
        "border": "#e3e6ee",
        "text": "#1f2433",
        "muted": "#6b7280",
        "sidebar": "#1b1f3b",
        "sidebar_text": "#c7cbe6",
        "sidebar_hover": "#272c52",
        "selection": "#e8e7fd",
        "info_bg": "#eef2ff",
        "info_fg": "#3730a3",
        "success_bg": "#ecfdf3",
        "success_fg": "#166534",
        "error_bg": "#fef2f2",
        "error_fg": "#991b1b",
        "forecast_bg": "#fff7e6",
        "forecast_fg": "#92400e",
        "accent_text": "#4f46e5",
        "field_border": "#80879a",
        "focus": "#4f46e5",
        "sidebar_focus": "#ffffff",
        "good": "#15803d",
    },
    "dark": {
        "window": "#14161f",
        "surface": "#1c1f2b",
        "alt": "#202433",
        "border": "#2e3345",
        "text": "#e6e8f0",
        "muted": "#9aa1b5",
        "sidebar": "#0f1119",
        "sidebar_text": "#a9aecb",
        "sidebar_hover": "#1d2133",
        "selection": "#2f2c66",
        "info_bg": "#1e2250",
        "info_fg": "#c7d2fe",
        "success_bg": "#113222",
        "success_fg": "#86efac",
        "error_bg": "#3b1416",
        "error_fg": "#fca5a5",
        "forecast_bg": "#3a2a0c",
        "forecast_fg": "#fcd34d",
        "accent_text": "#a5b4fc",
        "field_border": "#6b7385",
        "focus": "#a5b4fc",
        "sidebar_focus": "#ffffff",
        "good": "#4ade80",
    },
    # Chosen when the system asks for more contrast (Settings → Theme "Same as the system").
    "high-contrast": {
        "window": "#ffffff",
        "surface": "#ffffff",
        "alt": "#f2f2f2",
        "border": "#000000",
        "text": "#000000",
        "muted": "#333333",
        "sidebar": "#000000",
        "sidebar_text": "#ffffff",
        "sidebar_hover": "#1a1a66",
        "selection": "#cce0ff",
        "info_bg": "#e6eeff",
        "info_fg": "#00186b",
        "success_bg": "#e6ffe9",
        "success_fg": "#004d12",
        "error_bg": "#ffe6e6",
        "error_fg": "#8a0000",
        "forecast_bg": "#fff3d6",
        "forecast_fg": "#5c3300",
        "accent_text": "#0000b3",
        "field_border": "#000000",
        "focus": "#0000b3",
        "sidebar_focus": "#ffff00",
        "good": "#004d12",
    },
}

# Campaign status colours (chip text and dot, page header), per theme; app/contrast.py checks
# them on their chips. The chip always shows the status's name too: colour is never alone.
STATUS_COLOURS = {
    "light": {
        "draft": "#5b6474",
        "scheduled": "#1d4ed8",
        "live": "#166534",
        "paused": "#92400e",
        "stopped": "#b91c1c",
        "completed": "#475569",
    },
    "dark": {
        "draft": "#aab2c2",
        "scheduled": "#93c5fd",
        "live": "#4ade80",
        "paused": "#fbbf24",
        "stopped": "#fca5a5",
        "completed": "#cbd5e1",
    },
    "high-contrast": {
        "draft": "#333333",
        "scheduled": "#00186b",
        "live": "#004d12",
        "paused": "#5c3300",
        "stopped": "#8a0000",
        "completed": "#000000",
    },
}
# Chart series: each also has its own marker and dash (SERIES_MARKS), so colour is not alone.
SERIES_COLOURS = {
    "light": ("#4f46e5", "#15803d", "#b45309", "#0369a1", "#be185d", "#475569", "#b91c1c"),
    "dark": ("#a5b4fc", "#4ade80", "#fbbf24", "#38bdf8", "#f472b6", "#cbd5e1", "#f87171"),
    "high-contrast": ("#0000b3", "#004d12", "#5c3300", "#00556b", "#80004d", "#000000", "#8a0000"),
}

SHEET = """
QMainWindow, QDialog {{ background: {window}; }}
QWidget {{ color: {text}; }}
QLabel {{ background: transparent; }}
/* ".QFrame" is that class exactly: QFileDialog's list of places (a QListView, also named
   "sidebar") keeps the dialog's own colours instead of the window's dark sidebar. */
.QFrame#sidebar {{ background: {sidebar}; }}
#brand {{ color: #ffffff; font-size: 15px; font-weight: 700; padding: 18px 14px 4px 14px; }}
#brandSub {{ color: {sidebar_text}; font-size: 11px; padding: 0 14px 16px 14px; }}
.QFrame#sidebar QPushButton {{
    color: {sidebar_text}; background: transparent; border: none; text-align: left;
    padding: 9px 18px; margin: 1px 10px; border-radius: 7px; font-size: 13px;
}}
.QFrame#sidebar QPushButton:hover {{ background: {sidebar_hover}; color: #ffffff; }}
.QFrame#sidebar QPushButton:checked {{ background: {accent}; color: #ffffff; font-weight: 600; }}
.QFrame#sidebar QPushButton:focus {{ border: 2px solid {sidebar_focus}; padding: 7px 16px; }}
#engineBadge {{ color: {sidebar_text}; font-size: 11px; padding: 12px 18px; }}
#screenTitle {{ font-size: 22px; font-weight: 700; }}
#screenSubtitle, #mutedLabel {{ color: {muted}; }}
#emptyState {{ color: {muted}; font-size: 14px; }}
#formProblem {{ color: {error_fg}; }}
#campaignFault {{ color: {error_fg}; font-weight: 600; }}
#messageBar {{ border-radius: 6px; padding: 8px 12px; background: {info_bg}; color: {info_fg}; }}
#messageBar[kind="success"] {{ background: {success_bg}; color: {success_fg}; }}
#messageBar[kind="error"] {{ background: {error_bg}; color: {error_fg}; }}
#forecastBanner {{
    border-radius: 6px; padding: 8px 12px; background: {forecast_bg}; color: {forecast_fg};
    font-weight: 600;
}}
QPushButton {{
    background: {surface}; border: 1px solid {field_border}; border-radius: 6px;
    padding: 6px 12px; min-height: 18px;
}}
QPushButton:hover {{ border-color: {accent}; }}
QPushButton:focus {{ border: 2px solid {focus}; }}
QPushButton:disabled {{ color: {muted}; background: {alt}; border-color: {border}; }}
QPushButton#primaryButton {{
    background: {accent}; color: #ffffff; border: 1px solid {accent}; font-weight: 600;
    padding: 7px 16px;
}}
QPushButton#primaryButton:hover {{ background: {accent_hover}; }}
QPushButton#primaryButton:focus {{ border: 2px solid {text}; }}
QPushButton#primaryButton:disabled {{ background: #a5a3f0; border-color: #a5a3f0; }}
QPushButton:checked {{ background: {selection}; border-color: {accent}; }}
QLineEdit, QComboBox, QPlainTextEdit, QTextEdit {{
    background: {surface}; border: 1px solid {field_border}; border-radius: 6px;
    padding: 5px 8px; selection-background-color: {accent};
}}
QComboBox::drop-down {{ border: none; width: 22px; }}
QComboBox::down-arrow {{ image: url("{chevron}"); width: 12px; height: 12px; margin-right: 6px; }}
QComboBox QAbstractItemView {{ background: {surface}; border: 1px solid {border}; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QTextEdit:focus {{
    border: 2px solid {focus};
}}
QTableView, QTreeView, QListWidget, QListView {{
    background: {surface}; alternate-background-color: {alt}; border: 1px solid {border};
    border-radius: 8px; gridline-color: {border};
    selection-background-color: {selection}; selection-color: {text};
}}
QTableView::item, QListWidget::item {{ padding: 4px 8px; }}
QTableView:focus, QTreeView:focus, QListWidget:focus, QListView:focus {{
    border: 2px solid {focus};
}}
QCalendarWidget QTableView::item {{ padding: 0; }}
QHeaderView::section {{
    background: {surface}; color: {muted}; border: none; border-bottom: 1px solid {border};
    padding: 8px; font-weight: 600; font-size: 11px; text-transform: uppercase;
}}
QStatusBar {{ background: {surface}; border-top: 1px solid {border}; color: {muted}; }}
QToolBar {{ background: {surface}; border-bottom: 1px solid {border}; spacing: 4px; padding: 4px; }}
QTabWidget::pane {{ border: 1px solid {border}; border-radius: 8px; background: {surface}; }}
QTabBar::tab {{ padding: 7px 14px; border: none; color: {muted}; }}
QTabBar::tab:selected {{
    color: {accent_text}; border-bottom: 2px solid {accent_text}; font-weight: 600;
}}
QTabBar::tab:focus {{ border: 2px solid {focus}; }}
#statsSummary {{ color: {muted}; padding: 2px 4px; }}
#card {{ background: {surface}; border: 1px solid {border}; border-radius: 10px; }}
#cardValue {{ font-size: 24px; font-weight: 700; }}
#cardLabel {{ color: {muted}; font-size: 11px; font-weight: 600; }}
#cardNote {{ color: {muted}; font-size: 11px; }}
QSplitter::handle {{ background: {border}; }}
"""


def style_sheet(theme: str = "light") -> str:
    colors = dict(PALETTES.get(theme, PALETTES["light"]))
    colors["accent"] = ACCENT
    colors["accent_hover"] = ACCENT_HOVER
    colors["chevron"] = _resource("chevron-down.svg")
    return SHEET.format(**colors)


def _resource(name: str) -> str:
    from engine.paths import resource

    return resource("style", name).as_posix()


def apply_style(app: QApplication, theme: str = "light") -> None:
    """Fusion style, a matching palette and the style sheet, for the whole application."""
    colors = PALETTES.get(theme, PALETTES["light"])
    if app.property("campaignStudioTheme") is None:  # set once: it restyles every widget
        app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(colors["window"]))
    palette.setColor(QPalette.ColorRole.Base, QColor(colors["surface"]))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(colors["alt"]))
    palette.setColor(QPalette.ColorRole.Text, QColor(colors["text"]))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colors["text"]))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(colors["text"]))
    palette.setColor(QPalette.ColorRole.Button, QColor(colors["surface"]))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(colors["muted"]))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor(colors["surface"]))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor(colors["text"]))
    app.setPalette(palette)
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(style_sheet(theme))
    app.setProperty("campaignStudioTheme", theme)


def current_theme() -> str:
    app = QApplication.instance()
    value = app.property("campaignStudioTheme") if app is not None else None
    return value if value in PALETTES else "light"


def status_colour(status: str) -> str:
    """The current theme's colour for a campaign status (chip text and dot, header)."""
    return STATUS_COLOURS[current_theme()].get(status, STATUS_COLOURS[current_theme()]["draft"])


def series_colour(index: int) -> str:
    """The current theme's colour for the chart's series number `index`."""
    colours = SERIES_COLOURS[current_theme()]
    return colours[index % len(colours)]


def palette_colour(key: str) -> str:
    """One colour of the current theme's table (e.g. "good", "error_fg", "muted")."""
    return PALETTES[current_theme()][key]


def chart_colors() -> dict[str, str]:
    """Background, axis and text colours for pyqtgraph charts in the current theme."""
    colors = PALETTES[current_theme()]
    return {"background": colors["surface"], "axis": colors["muted"], "text": colors["text"]}


def style_chart(plot: object) -> None:
    """Give a pyqtgraph PlotWidget the current theme's colours."""
    import pyqtgraph as pg

    colors = chart_colors()
    plot.setBackground(colors["background"])  # type: ignore[attr-defined]
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)  # type: ignore[attr-defined]
        axis.setPen(pg.mkPen(colors["axis"]))
        axis.setTextPen(pg.mkPen(colors["axis"]))
