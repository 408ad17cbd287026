"""Pictures from a bank's folder or zip (exam/assets.py), as pixmaps for the item widgets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel

MAX_SHOWN_WIDTH = 640


def load_pixmap(view: Any, path: str | None) -> QPixmap | None:
    """The image at `path` in the bank's files, or None (no path, no files). The bank was validated on load, so a
    failure here means the files changed since: shown as a missing picture, never a crash."""
    store = getattr(view, "assets", None)
    if not path or store is None:
        return None
    from proctorprep.exam.assets import MAX_IMAGE_BYTES, AssetError

    try:
        data = store.read(path, MAX_IMAGE_BYTES)
    except (AssetError, OSError):
        return None
    pix = QPixmap()
    return pix if pix.loadFromData(data) else None


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
