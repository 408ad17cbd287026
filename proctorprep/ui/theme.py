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
    """Palette and the one stylesheet for `choice` ("system", "light" or "dark"). Safe to call again while the app
    runs: a theme chosen in Settings applies at once, no restart."""
    app.setStyle("Fusion")          # same widgets everywhere; Fusion follows the palette for dark mode
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):
        scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(choice, Qt.ColorScheme.Unknown)
        hints.setColorScheme(scheme)   # Unknown = follow the system
    global _SYSTEM_DARK
    if _SYSTEM_DARK is None:
        _SYSTEM_DARK = is_dark(app.palette())    # what the system gave, before we ever changed the palette
    dark = choice == "dark" or (choice == "system" and _SYSTEM_DARK)
    app.setPalette(_dark_palette() if dark else _light_palette())
    app.setStyleSheet(stylesheet(tokens(dark)))


_SYSTEM_DARK: bool | None = None


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
    t = tokens()
    return Colors(QColor(t.ok), QColor(t.warn), QColor(t.bad), QColor(t.muted), QColor(t.accent))


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


def _light_palette() -> QPalette:
    p = QPalette()
    R = QPalette.ColorRole
    window, base, text = QColor("#f4f5f7"), QColor("#ffffff"), QColor("#1d2127")
    roles = {
        R.Window: window, R.WindowText: text, R.Base: base, R.AlternateBase: QColor("#f0f2f5"), R.Text: text,
        R.Button: QColor("#ffffff"), R.ButtonText: text, R.Highlight: QColor("#1f6fd1"),
        R.HighlightedText: QColor("#ffffff"), R.ToolTipBase: QColor("#ffffff"), R.ToolTipText: text,
        R.PlaceholderText: QColor("#6b7280"), R.Link: QColor("#1558b0"), R.BrightText: QColor("#c62828"),
        R.Light: QColor("#ffffff"), R.Midlight: QColor("#e3e6ea"), R.Mid: QColor("#8a929c"),
        R.Dark: QColor("#a0a7b0"), R.Shadow: QColor("#6b7280"),
    }
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
        for role, colour in roles.items():
            p.setColor(group, role, colour)
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9aa1ab"))
    return p


@dataclass(frozen=True)
class Tokens:
    """The design tokens of one theme: every colour the stylesheet uses comes from here."""

    window: str
    surface: str        # cards, panes, the top bar
    surface_alt: str    # hover, zebra rows
    border: str
    text: str
    muted: str          # secondary text; still 4.5:1 on the window
    accent: str
    accent_text: str
    accent_soft: str    # a selected choice's background
    ok: str
    warn: str
    bad: str
    warn_soft: str      # the proctor card's background
    bad_soft: str
    disabled: str = ""  # a disabled button's text: dimmer than `muted`, which on the dark theme made a disabled
                        # footer (the break screen's) look as clickable as ever


def tokens(dark: bool | None = None) -> Tokens:
    if dark is None:
        dark = is_dark()
    if dark:
        return Tokens("#1f2124", "#2a2d31", "#33373c", "#444a51", "#e8eaed", "#b4bac2", "#5aa2f0", "#0d1117",
                      "#233a55", "#4caf50", "#ffb74d", "#ef6b67", "#3d3322", "#452626", "#80868e")
    return Tokens("#f4f5f7", "#ffffff", "#eef1f5", "#d5dae0", "#1d2127", "#555d68", "#1f6fd1", "#ffffff",
                  "#e6f0fc", "#2e7d32", "#9a5b00", "#c62828", "#fff4e0", "#fdecea", "#8a919b")


def _tick() -> str:
    """The check mark drawn in a ticked box (a white tick from the assets; the stylesheet needs a file path)."""
    from importlib import resources

    return str(resources.files("proctorprep.assets") / "icons" / "check-on-accent.svg").replace("\\", "/")


# Spacing follows a 4 px grid; type sizes: 10pt body, 9pt small, 12pt question, 16pt page titles.
def stylesheet(t: Tokens) -> str:
    return f"""
QWidget {{ font-size: 10pt; }}
QToolTip {{ color: {t.text}; background: {t.surface}; border: 1px solid {t.border}; padding: 4px; }}
QLabel#page_title {{ font-size: 16pt; font-weight: 600; }}
QLabel#section_title {{ font-size: 12pt; font-weight: 600; }}
QLabel[hint="true"], QLabel#item_hint, QLabel#keys_hint, QLabel#palette_legend, QLabel#warning_reason,
QLabel#results_small, QLabel#results_conditions {{ color: {t.muted}; }}
QLabel#item_hint {{ font-style: italic; }}
QListWidget#navigation {{ font-size: 11pt; padding-top: 8px; border: none; outline: 0; border-right: 1px solid {t.border};
    background: {t.surface}; }}
QListWidget#navigation::item {{ padding: 8px 10px; border-radius: 6px; margin: 1px 6px; }}
QListWidget#navigation::item:selected {{ background: {t.accent_soft}; color: {t.text}; }}
QPushButton {{ padding: 6px 14px; border: 1px solid {t.border}; border-radius: 6px; background: {t.surface};
    color: {t.text}; min-height: 18px; }}
QPushButton:hover {{ background: {t.surface_alt}; }}
QPushButton:focus {{ border-color: {t.accent}; }}
QPushButton:checked {{ background: {t.accent_soft}; border-color: {t.accent}; }}
QPushButton:disabled {{ color: {t.disabled}; background: {t.window}; }}
QPushButton[primary="true"] {{ background: {t.accent}; color: {t.accent_text}; border-color: {t.accent};
    font-weight: 600; }}
QPushButton[primary="true"]:disabled {{ background: {t.surface_alt}; color: {t.disabled}; border-color: {t.border}; }}
QToolButton {{ padding: 4px 8px; border: 1px solid transparent; border-radius: 6px; color: {t.text}; }}
QToolButton:hover {{ background: {t.surface_alt}; border-color: {t.border}; }}
QToolButton:checked {{ background: {t.accent_soft}; border-color: {t.accent}; }}
/* a tab bar's scroll arrows are 16 px tool buttons: the padding above left no room to draw the arrow in */
QTabBar QToolButton {{ padding: 0; border: 1px solid {t.border}; border-radius: 0; background: {t.surface}; }}
QGroupBox {{ border: 1px solid {t.border}; border-radius: 8px; margin-top: 14px; padding: 12px 10px 10px 10px;
    background: {t.surface}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 12px; padding: 0 4px; font-weight: 600; }}
QFrame#card {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px; }}
QTabWidget::pane {{ border: 1px solid {t.border}; border-radius: 6px; background: {t.surface}; top: -1px; }}
QTabBar::tab {{ padding: 6px 12px; border: 1px solid {t.border}; border-bottom: none; background: {t.window};
    border-top-left-radius: 6px; border-top-right-radius: 6px; margin-right: 2px; color: {t.text}; }}
QTabBar::tab:selected {{ background: {t.surface}; font-weight: 600; }}
QProgressBar {{ border: none; border-radius: 3px; background: {t.surface_alt}; }}
QProgressBar::chunk {{ border-radius: 3px; background: {t.accent}; }}
QRadioButton::indicator, QCheckBox::indicator {{ width: 18px; height: 18px; border: 2px solid {t.muted};
    background: {t.surface}; }}
QRadioButton::indicator {{ border-radius: 11px; }}
QCheckBox::indicator {{ border-radius: 4px; }}
QRadioButton::indicator:checked {{ background: qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5,
    stop:0 {t.accent}, stop:0.45 {t.accent}, stop:0.55 {t.surface}, stop:1 {t.surface}); border-color: {t.accent}; }}
QCheckBox::indicator:checked {{ background: {t.accent}; border-color: {t.accent}; image: url({_tick()}); }}
QRadioButton::indicator:focus, QCheckBox::indicator:focus {{ border-color: {t.accent}; }}
QRadioButton::indicator:disabled, QCheckBox::indicator:disabled {{ border-color: {t.border}; }}
QFrame#exam_top_bar, QFrame#exam_footer {{ background: {t.surface}; }}
QFrame#exam_top_bar {{ border-bottom: 1px solid {t.border}; }}
QFrame#exam_footer {{ border-top: 1px solid {t.border}; }}
QLabel#exam_title {{ font-size: 11pt; font-weight: 600; }}
QLabel#exam_progress {{ font-weight: 600; }}
QLabel#exam_clock {{ font-family: monospace; font-size: 12pt; }}
QLabel#exam_clock[near_end="true"] {{ color: {t.bad}; font-weight: 600; }}
QLabel#question_prompt {{ font-size: 12pt; }}
QLabel#case_title, QLabel#palette_title {{ font-weight: 600; }}
QWidget#choice_row {{ border: 1px solid {t.border}; border-radius: 6px; background: {t.surface}; }}
QWidget#choice_row:hover {{ background: {t.surface_alt}; }}
QWidget#choice_row[checked="true"] {{ background: {t.accent_soft}; border-color: {t.accent}; }}
QLabel#choice_letter {{ font-weight: 600; color: {t.muted}; }}
QToolButton#palette_button {{ border: 1px solid {t.border}; border-radius: 4px; background: {t.surface};
    padding: 0; font-size: 9pt; }}
QToolButton#palette_button[state="answered"] {{ background: {t.accent_soft}; }}
QToolButton#palette_button[state="incomplete"] {{ background: {t.warn_soft}; }}
QToolButton#palette_button[state="ahead"] {{ border-style: dashed; }}
QToolButton#palette_button[marked="true"] {{ color: {t.warn}; font-weight: 600; }}
QToolButton#palette_button[current="true"] {{ border: 2px solid {t.accent}; font-weight: 600; }}
QToolButton#palette_button:disabled {{ color: {t.disabled}; background: {t.window}; }}
QFrame#warning_card {{ background: {t.warn_soft}; border: 1px solid {t.warn}; border-left: 6px solid {t.warn};
    border-radius: 8px; }}
QFrame#warning_card[level="time"] {{ background: {t.accent_soft}; border-color: {t.accent}; }}
QLabel#warning_request {{ font-size: 12pt; font-weight: 600; }}
QLabel#warning_reason {{ font-size: 9pt; }}
QFrame#warning_log, QFrame#toast {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px; }}
QFrame#toast[level="warning"] {{ border-left: 6px solid {t.warn}; }}
QFrame#toast[level="error"] {{ border-left: 6px solid {t.bad}; }}
QFrame#toast[level="info"] {{ border-left: 6px solid {t.accent}; }}
QLabel#warning_log_title {{ font-weight: 600; }}
QLabel#exam_notice {{ background: {t.accent_soft}; color: {t.text}; font-weight: 600; padding: 6px 16px;
    border-bottom: 1px solid {t.accent}; }}
QLabel#end_title {{ font-size: 16pt; font-weight: 600; }}
QLabel#end_text {{ font-size: 12pt; }}
QLabel#end_hint, QLabel#end_note {{ color: {t.muted}; }}
QLabel#pause_title, QLabel#break_title {{ font-size: 16pt; font-weight: 600; }}
QLabel#break_status {{ color: {t.muted}; }}
QLabel#pause_text {{ font-size: 11pt; }}
QLabel#score_value {{ font-size: 28pt; font-weight: 700; }}
QLabel#score_value[passed="true"], QLabel#pass_label[passed="true"] {{ color: {t.ok}; }}
QLabel#score_value[passed="false"], QLabel#pass_label[passed="false"] {{ color: {t.bad}; }}
QLabel#pass_label {{ font-size: 14pt; font-weight: 700; }}
QLabel#verdict_label {{ font-size: 12pt; font-weight: 600; }}
QLabel#verdict_label[verdict="pass"] {{ color: {t.ok}; }}
QLabel#verdict_label[verdict="warned"] {{ color: {t.warn}; }}
QLabel#verdict_label[verdict="terminated"] {{ color: {t.bad}; }}
QLabel#habit_title {{ font-weight: 600; }}
QLabel#field_error {{ color: {t.bad}; font-size: 9pt; }}
QHeaderView::section {{ padding: 4px 6px; border: none; border-bottom: 1px solid {t.border};
    background: {t.surface_alt}; color: {t.text}; font-weight: 600; }}
QTableWidget {{ gridline-color: {t.border}; background: {t.surface}; border: 1px solid {t.border};
    border-radius: 6px; }}
"""
