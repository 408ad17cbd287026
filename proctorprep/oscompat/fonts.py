"""Unicode TrueType fonts the PDF report may use, per platform: (regular, bold) pairs, best first.

The PDF needs a font with °, ±, −, accents and non-Latin question text; reportlab's built-in Helvetica has none of
them. Linux has DejaVu Sans (installed by ./run as fonts-dejavu-core); macOS and Windows have Arial, whose bold face
is a file of another name there (Arial Bold.ttf, arialbd.ttf), so each pair is spelled out.
"""

from __future__ import annotations

import os
from pathlib import Path

from proctorprep import oscompat


def unicode_fonts() -> list[tuple[Path, Path]]:
    kind = oscompat.platform_name()
    if kind == "windows":
        fonts = Path(os.environ.get("WINDIR", "C:\\Windows")) / "Fonts"
        return [(fonts / "arial.ttf", fonts / "arialbd.ttf"), (fonts / "segoeui.ttf", fonts / "segoeuib.ttf")]
    if kind == "macos":
        sup = Path("/System/Library/Fonts/Supplemental")
        return [(sup / "Arial.ttf", sup / "Arial Bold.ttf"),
                (sup / "Arial Unicode.ttf", sup / "Arial Unicode.ttf"),
                (Path("/Library/Fonts/Arial Unicode.ttf"), Path("/Library/Fonts/Arial Unicode.ttf"))]
    pairs = []
    for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu",
                   "/usr/local/share/fonts/dejavu"):
        pairs.append((Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"))
    return pairs
