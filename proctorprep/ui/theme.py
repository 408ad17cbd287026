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


def _dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor(30, 30, 30), QColor(45, 45, 48), QColor(230, 230, 230)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, window)
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, window)
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.Highlight, QColor(38, 112, 196))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
        p.setColor(group, QPalette.ColorRole.ToolTipBase, window)
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(150, 150, 150))
        p.setColor(group, QPalette.ColorRole.Link, QColor(100, 181, 246))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(127, 127, 127))
    return p


def heading_font_css(size_pt: int = 16) -> str:
    return f"font-size: {size_pt}pt; font-weight: 600;"
