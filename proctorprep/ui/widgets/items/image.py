"""Pictures from a bank's folder or zip (exam/assets.py), as pixmaps for the item widgets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QLabel

MAX_SHOWN_WIDTH = 640


def load_pixmap(view: Any, path: str | None) -> QPixmap | None:
    """The image at `path` in the files of the view's bank, or None (no path, no files)."""
    return read_pixmap(getattr(view, "assets", None), path)


def read_pixmap(store: Any, path: str | None) -> QPixmap | None:
    """The image at `path` in a bank's files (exam.assets.AssetStore), or None. The bank was validated on load,
    so a failure here means the files changed since: shown as a missing picture, never a crash."""
    if not path or store is None:
        return None
    from proctorprep.exam.assets import MAX_IMAGE_BYTES, AssetError

    try:
        data = store.read(path, MAX_IMAGE_BYTES)
    except (AssetError, OSError):
        return None
    pix = QPixmap()
    return pix if pix.loadFromData(data) else None


def thumbnail(store: Any, path: str | None, side: int) -> QIcon | None:
    """A picture of the bank's files as an icon at most `side` pixels a side, or None."""
    pix = read_pixmap(store, path)
    if pix is None:
        return None
    return QIcon(pix.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                            Qt.TransformationMode.SmoothTransformation))


def image_label(view: Any, path: str | None, description: str = "") -> QLabel | None:
    """A label showing the picture at its size (scaled down to MAX_SHOWN_WIDTH), or None when there is none."""
    if not path:
        return None
    label = QLabel()
    label.setObjectName("question_image")
    label.setAccessibleName(description or f"Picture {path}")
    pix = load_pixmap(view, path)
    if pix is None:
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setText(f"[picture {path} could not be shown]")
        return label
    if pix.width() > MAX_SHOWN_WIDTH:
        pix = pix.scaledToWidth(MAX_SHOWN_WIDTH, Qt.TransformationMode.SmoothTransformation)
    label.setPixmap(pix)
    return label
