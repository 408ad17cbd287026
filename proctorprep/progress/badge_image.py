"""Badge images, made on this machine: one drawing, written as SVG and rendered to PNG with Pillow.

The drawing is a short list of shapes (polygons, rectangles, text lines) laid out once, with the real font metrics,
so the SVG and the PNG show the same thing. Nothing is uploaded or fetched: the font is DejaVu Sans, which ships with
matplotlib (already a dependency for the report plots); Pillow's own default font is the fallback.
"""

from __future__ import annotations

import importlib.util
import io
import math
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from proctorprep.progress.badges import BadgeStatus
from proctorprep.progress.summary import day_text
from proctorprep.report.export import write_file

SIZE = 600                       # the drawing is SIZE x SIZE units: SVG user units, PNG pixels at scale 1
COLOURS = {                      # (main, dark edge) per kind of badge
    "etiquette": ("#1f7a6d", "#0f4a41"),
    "passed": ("#2457a6", "#153566"),
    "distinction": ("#b07d12", "#6e4c05"),
    "renewed": ("#6a3fa0", "#40246a"),
    "locked": ("#a7a7a7", "#6f6f6f"),    # not earned yet: shown greyed on the badges page, never exported
}
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"


@dataclass(frozen=True)
class BadgeCard:
    """What a badge image says."""

    badge_name: str
    candidate: str
    earned_on: datetime
    style: str = "etiquette"     # "etiquette" | "passed" | "distinction" | "renewed"


@dataclass(frozen=True)
class Poly:
    points: tuple[tuple[float, float], ...]
    fill: str
    stroke: str | None = None
    width: float = 0.0


@dataclass(frozen=True)
class Text:
    x: float                     # centre of the line
    y: float                     # baseline
    text: str
    size: int
    fill: str
    bold: bool = False


Shape = Poly | Text


# ------------------------------------------------------------------------------------------------ fonts


def _font_file(bold: bool) -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf" / name
    return path if path.is_file() else None


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _font_file(bold)
    if path is not None:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def text_width(text: str, size: int, bold: bool = False) -> float:
    return float(font(size, bold).getlength(text))


def wrap(text: str, size: int, bold: bool, max_width: float, max_lines: int) -> list[str]:
    """Greedy word wrap by real glyph widths; the last line is shortened with an ellipsis if it still overflows."""
    words = text.split()
    lines: list[str] = []
    for word in words:
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return [fit(line, size, bold, max_width) for line in lines] or [""]


def fit(text: str, size: int, bold: bool, max_width: float) -> str:
    if text_width(text, size, bold) <= max_width:
        return text
    while text and text_width(text + "…", size, bold) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


# ------------------------------------------------------------------------------------------------ drawing

NAME_BOX = (380.0, 140.0)        # width and height the badge name may take in the middle of the medal


def name_layout(name: str) -> tuple[int, list[str]]:
    """The largest font size at which the badge name fits the middle of the medal, and its lines."""
    width, height = NAME_BOX
    for size in (46, 40, 34, 30, 26):
        max_lines = int(height // (size * 1.15))
        lines = wrap(name, size, True, width, max_lines)
        if not any(line.endswith("…") for line in lines):
            return size, lines
    return size, lines


def _hexagon(cx: float, cy: float, r: float) -> tuple[tuple[float, float], ...]:
    return tuple((round(cx + r * math.sin(math.pi / 3 * k), 2), round(cy - r * math.cos(math.pi / 3 * k), 2))
                 for k in range(6))


def drawing(card: BadgeCard) -> list[Shape]:
    """The badge as shapes: a hexagon medal, the badge name, a ribbon with the candidate's name, the date."""
    main, edge = COLOURS.get(card.style, COLOURS["etiquette"])
    c = SIZE / 2
    shapes: list[Shape] = [
        Poly(_hexagon(c, c, 285), edge),
        Poly(_hexagon(c, c, 262), main, "#ffffff", 6),
        Text(c, 150, "PROCTORPREP", 24, "#ffffff", bold=True),
        Text(c, 182, "practice badge · not a certification", 20, "#e8f0f0"),
    ]
    size, name_lines = name_layout(card.badge_name)
    step = round(size * 1.15)
    first_baseline = 262 + size * 0.35 - (len(name_lines) - 1) * step / 2   # centre the block on y = 262
    for i, line in enumerate(name_lines):
        shapes.append(Text(c, round(first_baseline + i * step, 1), line, size, "#ffffff", bold=True))
    # ribbon across the lower part, wider than the medal, with folded ends
    y0, y1 = 352, 420
    shapes += [
        Poly(((18, y0 + 14), (70, y0 + 14), (70, y1 + 14), (18, y1 + 14), (40, (y0 + y1) / 2 + 14)), edge),
        Poly(((SIZE - 18, y0 + 14), (SIZE - 70, y0 + 14), (SIZE - 70, y1 + 14), (SIZE - 18, y1 + 14),
              (SIZE - 40, (y0 + y1) / 2 + 14)), edge),
        Poly(((50, y0), (SIZE - 50, y0), (SIZE - 50, y1), (50, y1)), "#ffffff", edge, 3),
        Text(c, y0 + 46, fit(card.candidate.strip() or "Candidate", 32, True, SIZE - 130), 32, edge, bold=True),
        # just under the ribbon, where the medal is still wide enough for the longest month name
        Text(c, 458, "Not earned yet" if card.style == "locked" else f"Earned {day_text(card.earned_on, '%B')}", 22,
             "#ffffff"),
    ]
    return shapes


def svg(card: BadgeCard) -> str:
    """The badge as a standalone SVG document (all text escaped)."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}">',
           f"<title>{escape(card.badge_name)} — {escape(card.candidate)}</title>"]
    for s in drawing(card):
        if isinstance(s, Poly):
            pts = " ".join(f"{x:g},{y:g}" for x, y in s.points)
            stroke = f' stroke="{s.stroke}" stroke-width="{s.width:g}" stroke-linejoin="round"' if s.stroke else ""
            out.append(f'<polygon points="{pts}" fill="{s.fill}"{stroke}/>')
        else:
            weight = ' font-weight="bold"' if s.bold else ""
            out.append(f'<text x="{s.x:g}" y="{s.y:g}" font-family="{FONT_FAMILY}" font-size="{s.size}"'
                       f'{weight} fill="{s.fill}" text-anchor="middle">{escape(s.text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def png(card: BadgeCard, scale: float = 1.0) -> bytes:
    """The same drawing rendered with Pillow (transparent background), `scale` x SIZE pixels square."""
    px = round(SIZE * scale)
    oversample = 2                                   # draw large, then shrink: smooth edges without anti-aliasing
    k = scale * oversample
    img = Image.new("RGBA", (px * oversample, px * oversample), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    for s in drawing(card):
        if isinstance(s, Poly):
            pts = [(x * k, y * k) for x, y in s.points]
            draw.polygon(pts, fill=s.fill)
            if s.stroke:
                draw.line(pts + pts[:1], fill=s.stroke, width=max(1, round(s.width * k)), joint="curve")
        else:
            draw.text((s.x * k, s.y * k), s.text, fill=s.fill, font=font(round(s.size * k), s.bold), anchor="ms")
    img = img.resize((px, px), Image.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------ export


def style_of(status: BadgeStatus) -> str:
    if status.badge.category == "score":
        return "distinction" if status.badge.id.startswith("distinction:") else "passed"
    if status.badge.category == "renewal":
        return "renewed"
    return "etiquette"


def icon_png(status: BadgeStatus, candidate: str, scale: float = 0.25) -> bytes:
    """A small picture of a badge for the badges page; a badge not earned yet is drawn grey, with no date."""
    if status.earned and status.earned_at is not None:
        return png(card_for(status, candidate), scale)
    return png(BadgeCard(status.badge.name, candidate, datetime.now(), "locked"), scale)


def card_for(status: BadgeStatus, candidate: str) -> BadgeCard:
    if not status.earned or status.earned_at is None:
        raise ValueError(f"badge {status.badge.name!r} is not earned yet, so it cannot be exported")
    return BadgeCard(status.badge.name, candidate, status.earned_at, style_of(status))


def file_stem(status: BadgeStatus) -> str:
    return re.sub(r"[^a-z0-9]+", "-", status.badge.id.lower()).strip("-") or "badge"


def practice_token(status: BadgeStatus, candidate: str, data_dir: Path | None = None) -> str:
    """The badge as an Open Badges 3.0 credential (a VC-JWT), self-issued by this machine's key and marked
    everywhere as a practice achievement (see progress.credential)."""
    from proctorprep.progress.credential import PracticeAchievement, issue

    card = card_for(status, candidate)
    return issue(PracticeAchievement(status.badge.id, status.badge.name, status.badge.how, card.earned_on,
                                     candidate), data_dir)


def export_badge(status: BadgeStatus, candidate: str, dest_dir: Path, scale: float = 1.0,
                 data_dir: Path | None = None) -> tuple[Path, Path]:
    """Write <badge>.svg and <badge>.png into dest_dir, each with its Open Badges 3.0 practice credential baked in
    (the `openbadgecredential` chunk / element), so a badge wallet can read what it is; returns both paths. Raises
    ValueError for an unearned badge, CredentialError if the signing key cannot be used, and OSError (naming the
    file) if the folder is not writable."""
    from proctorprep.progress.openbadges import bake_png, bake_svg

    card = card_for(status, candidate)
    stem = file_stem(status)
    token = practice_token(status, candidate, data_dir)
    # write_file: atomic, 0600, and the folder (the user's choice: a Desktop, a USB stick) is created if missing
    # but never re-permissioned
    svg_path = write_file(Path(dest_dir) / f"{stem}.svg", bake_svg(svg(card), token, "3.0"))
    png_path = write_file(Path(dest_dir) / f"{stem}.png", bake_png(png(card, scale), token, "3.0"))
    return svg_path, png_path
