"""Icons from the package's assets (one-colour SVGs drawn in black), tinted to the palette's text colour so they
read on the light and the dark theme alike. Rendered once per (name, colour, size) and cached."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from importlib import resources

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

_INK = "#000000"      # the colour the SVG files are drawn in; replaced by the tint


def icon_names() -> list[str]:
    folder = resources.files("proctorprep.assets") / "icons"
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".svg"))


@lru_cache(maxsize=None)
def _svg(name: str) -> str:
    """The SVG text of an icon; KeyError naming the icon when it is not in the assets (a typo fails loudly)."""
    path = resources.files("proctorprep.assets") / "icons" / f"{name}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"no icon {name!r} in assets/icons (have: {', '.join(icon_names())})") from None


@lru_cache(maxsize=256)
def _pixmap(name: str, colour: str, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(_svg(name).replace(_INK, colour).encode("utf-8")))
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    renderer.render(p)
    p.end()
    return pix


def icon(name: str, colour: QColor | str | None = None) -> QIcon:
    """The icon `name` tinted with `colour` (default: the application palette's text colour)."""
    if colour is None:
        colour = QApplication.palette().color(QPalette.ColorRole.WindowText)
    hexcol = QColor(colour).name()
    ic = QIcon()
    for size in (16, 20, 24, 32, 48):
        ic.addPixmap(_pixmap(name, hexcol, size))
    return ic


def _tint(button: Any) -> str | None:
    if button.property("primary"):
        from proctorprep.ui.theme import tokens

        return tokens().accent_text       # a primary button's fill is the accent: its text colour, not the page's
    return None


def set_icon(button: Any, name: str) -> None:
    """Give `button` the icon `name`, tinted as its text is (set a button's "primary" property first). With the
    page's text colour on a primary button the icon was black on blue (light theme) or near white on light blue
    (dark). retint_icons tints it again when the theme changes."""
    button.setProperty("icon_name", name)
    button.setIcon(icon(name, _tint(button)))


def retint_icons(root: Any) -> None:
    """Every button under `root` given its icon by set_icon, tinted for the theme now applied (a theme chosen in
    Settings left them in the old theme's colour: black icons on the dark theme's dark buttons)."""
    from PySide6.QtWidgets import QAbstractButton

    for button in root.findChildren(QAbstractButton):
        name = button.property("icon_name")
        if name:
            button.setIcon(icon(name, _tint(button)))
