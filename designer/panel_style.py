"""The style sheet of the panels around the canvas (palette, inspector, problems), per theme."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from designer.theme import Theme

# The panels' colours per theme; designer/contrast.py checks every pair against WCAG 2.1 AA.
PANEL_COLOURS = {
    "light": {
        "panel": "#ffffff",
        "text": "#1f2937",
        "muted": "#5f6673",
        "border": "#e3e6eb",
        "field": "#ffffff",
        "field_border": "#8a919e",
        "hover": "#f1f4f8",
        "invalid_bg": "#fff5f5",
        "on_accent": "#ffffff",
        "success": "#15803d",
    },
    "dark": {
        "panel": "#1e2127",
        "text": "#e5e7eb",
        "muted": "#a3abb9",
        "border": "#30343d",
        "field": "#262a32",
        "field_border": "#767f8f",
        "hover": "#2b3039",
        "invalid_bg": "#3a2326",
        "on_accent": "#0b1220",
        "success": "#4ade80",
    },
    "high-contrast": {
        "panel": "#ffffff",
        "text": "#000000",
        "muted": "#333333",
        "border": "#000000",
        "field": "#ffffff",
        "field_border": "#000000",
        "hover": "#e6e6e6",
        "invalid_bg": "#ffe6e6",
        "on_accent": "#ffffff",
        "success": "#004d12",
    },
}


def panel_palette(theme: Theme, base: QPalette) -> QPalette:
    """Text and background colours for the panels (style sheets do not pass `color` down)."""
    colours = PANEL_COLOURS[theme.name]
    palette = QPalette(base)
    text, panel = QColor(colours["text"]), QColor(colours["panel"])
    field, muted = QColor(colours["field"]), QColor(colours["muted"])
    for role, colour in (
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.Window, panel),
        (QPalette.ColorRole.Base, field),
        (QPalette.ColorRole.AlternateBase, panel),
        (QPalette.ColorRole.Button, field),
        (QPalette.ColorRole.PlaceholderText, muted),
        (QPalette.ColorRole.Highlight, theme.selection),
        (QPalette.ColorRole.ToolTipBase, field),
        (QPalette.ColorRole.ToolTipText, text),
    ):
        palette.setColor(role, colour)
    return palette


def panel_style(theme: Theme) -> str:
    """Qt style sheet for the editor's panels, coloured from the canvas theme."""
    c = PANEL_COLOURS[theme.name]
    panel, text, muted, border = c["panel"], c["text"], c["muted"], c["border"]
    field, field_border, hover = c["field"], c["field_border"], c["hover"]
    invalid_bg, on_accent = c["invalid_bg"], c["on_accent"]
    accent = theme.selection.name()
    error = theme.error.name()
    return f"""
QWidget#campaignEditor {{ background: {panel}; color: {text}; }}
QLabel, QToolButton, QCheckBox, QPushButton, QRadioButton {{ color: {text}; }}
QWidget#palette, QWidget#inspector, QWidget#inspectorForm, QWidget#problems,
QFrame#canvasBar, QFrame#problemsHeader {{ background: {panel}; }}
QScrollArea {{ background: {panel}; border: none; }}
QSplitter::handle {{ background: {border}; }}
QFrame#canvasBar {{ border-bottom: 1px solid {border}; }}
QFrame#problemsHeader {{ border-bottom: 1px solid {border}; }}
QLabel#campaignTitle {{ font-size: 13px; padding-left: 4px; }}
QLabel#zoomLabel, QLabel#panelHint, QLabel#inspectorSubtitle, QLabel#problemsSummary,
QLabel#ruleEmpty, QLabel#problemsAllClear {{ color: {muted}; }}
QLabel#panelHint {{ font-size: 11px; }}
QLabel#panelTitle {{ font-weight: 600; font-size: 13px; }}
QLabel#sectionTitle {{ color: {muted}; font-size: 10px; font-weight: 700;
    letter-spacing: 1px; padding-top: 6px; }}
QLabel#inspectorTitle {{ font-size: 15px; font-weight: 600; }}
QLabel#inspectorAbout {{ color: {muted}; }}
QFrame#inspectorRule {{ color: {border}; background: {border}; max-height: 1px;
    border: none; }}
QLabel#fieldLabel {{ font-size: 12px; }}
QLabel#fieldError {{ color: {error}; font-size: 11px; }}
QLineEdit, QPlainTextEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateTimeEdit {{
    color: {text}; placeholder-text-color: {muted};
    background: {field}; border: 1px solid {field_border}; border-radius: 5px;
    padding: 3px 6px; min-height: 20px; selection-background-color: {accent}; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus,
QDoubleSpinBox:focus {{ border: 1px solid {accent}; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QTableWidget[invalid="true"] {{
    border: 1px solid {error}; background: {invalid_bg}; }}
QComboBox::drop-down {{ border: none; width: 18px; }}
QSpinBox::up-button, QSpinBox::down-button, QDoubleSpinBox::up-button,
QDoubleSpinBox::down-button {{ width: 0px; border: none; }}
QTreeWidget, QListWidget, QTableWidget {{ color: {text}; background: {panel}; border: none;
    outline: none; alternate-background-color: {hover}; }}
QTreeWidget::item {{ padding: 2px 2px; border-radius: 5px; }}
QTreeWidget::item:hover, QListWidget::item:hover {{ background: {hover}; }}
QTreeWidget::item:selected, QListWidget::item:selected {{ background: {accent};
    color: {on_accent}; }}
QTableWidget {{ border: 1px solid {field_border}; border-radius: 5px; }}
QHeaderView::section {{ background: {hover}; color: {muted}; border: none;
    border-bottom: 1px solid {border}; padding: 3px 6px; font-size: 11px; }}
QFrame#segmented {{ background: {hover}; border: 1px solid {field_border};
    border-radius: 6px; }}
QFrame#segmented QPushButton {{ border: none; border-radius: 5px; padding: 4px 10px;
    background: transparent; color: {muted}; }}
QFrame#segmented QPushButton:checked {{ background: {field}; color: {text};
    font-weight: 600; border: 1px solid {field_border}; }}
QToolButton {{ border: 1px solid transparent; border-radius: 5px; padding: 3px 7px; }}
QToolButton:hover {{ background: {hover}; border: 1px solid {border}; }}
QToolButton:checked {{ background: {accent}; color: {on_accent}; }}
QToolButton#ruleNot {{ color: {muted}; font-size: 11px; padding: 2px 5px; }}
QToolButton#ruleNot:checked {{ background: {error}; color: {on_accent}; }}
QToolButton#ruleRemove {{ color: {muted}; }}
QFrame#ruleGroup {{ border-left: 2px solid {accent}; background: transparent; }}
QPushButton {{ border: 1px solid {field_border}; border-radius: 5px; padding: 4px 10px;
    background: {field}; }}
QPushButton:hover {{ background: {hover}; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
QScrollBar::handle:vertical {{ background: {field_border}; border-radius: 4px;
    min-height: 30px; margin: 2px; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; }}
QScrollBar::handle:horizontal {{ background: {field_border}; border-radius: 4px;
    min-width: 30px; margin: 2px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
QLineEdit#paletteSearch {{ border-radius: 14px; padding: 4px 10px; }}
QFrame#quickAdd {{ background: {panel}; border: 1px solid {field_border};
    border-radius: 8px; }}
"""
