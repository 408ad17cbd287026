"""Look and feel: the system's dark/light scheme (or the user's choice), high-DPI friendly, and a few semantic
colours (ok / warning / bad) that read well on both palettes."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


def configure_before_app() -> None:
    """High-DPI: keep fractional scale factors (125 %, 150 %) instead of rounding them."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def apply_theme(app: QApplication, choice: str = "system") -> None:
    app.setStyle("Fusion")          # same widgets everywhere; Fusion follows the palette for dark mode
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):
        scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(choice, Qt.ColorScheme.Unknown)
        hints.setColorScheme(scheme)   # Unknown = follow the system
    if choice == "dark" or (choice == "system" and is_dark(app.palette())):
        app.setPalette(_dark_palette())
        # Fusion outlines radio buttons and check boxes with a darker shade of the window: invisible on a dark
        # window. Draw them with a light outline instead.
        app.setStyleSheet(_DARK_INDICATORS)
    elif choice == "light":
        app.setPalette(app.style().standardPalette())


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


@dataclass(frozen=True)
class Colors:
    ok: QColor
    warn: QColor
    bad: QColor
    muted: QColor
    accent: QColor


def colors() -> Colors:
    if is_dark():
        return Colors(QColor("#4caf50"), QColor("#ffb74d"), QColor("#ef5350"), QColor("#9e9e9e"), QColor("#64b5f6"))
    return Colors(QColor("#2e7d32"), QColor("#b26a00"), QColor("#c62828"), QColor("#616161"), QColor("#1565c0"))


_DARK_INDICATORS = """
QRadioButton::indicator, QCheckBox::indicator { width: 13px; height: 13px; border: 1px solid #a0a0a6;
    background: #202022; }
QRadioButton::indicator { border-radius: 7px; }
QRadioButton::indicator:checked { background: qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5,
    stop:0 #64b5f6, stop:0.5 #64b5f6, stop:0.56 #202022, stop:1 #202022); }
QCheckBox::indicator:checked { background: #64b5f6; border-color: #64b5f6; }
QRadioButton::indicator:disabled, QCheckBox::indicator:disabled { border-color: #5a5a5e; }
QRadioButton::indicator:focus, QCheckBox::indicator:focus { border-color: #64b5f6; }
"""


def _dark_palette() -> QPalette:
    p = QPalette()
    R = QPalette.ColorRole
    window, base, text = QColor(45, 45, 48), QColor(32, 32, 34), QColor(230, 230, 230)
    roles = {
        R.Window: window, R.WindowText: text, R.Base: base, R.AlternateBase: QColor(52, 52, 56), R.Text: text,
        R.Button: QColor(58, 58, 62), R.ButtonText: text, R.Highlight: QColor(38, 112, 196),
        R.HighlightedText: QColor(255, 255, 255), R.ToolTipBase: window, R.ToolTipText: text,
        R.PlaceholderText: QColor(150, 150, 150), R.Link: QColor(100, 181, 246), R.BrightText: QColor(255, 90, 90),
        # Fusion draws frames and radio/check outlines from these: keep them visible on a dark window.
        R.Light: QColor(110, 110, 116), R.Midlight: QColor(85, 85, 90), R.Mid: QColor(150, 150, 156),
        R.Dark: QColor(25, 25, 27), R.Shadow: QColor(10, 10, 10),
    }
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
        for role, colour in roles.items():
            p.setColor(group, role, colour)
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(130, 130, 130))
    p.setColor(QPalette.ColorGroup.Disabled, R.Base, window)   # a disabled list stays dark, its text greyed
    return p


def heading_font_css(size_pt: int = 16) -> str:
    return f"font-size: {size_pt}pt; font-weight: 600;"
