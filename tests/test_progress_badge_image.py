"""Badge images: the SVG and the PNG carry the candidate's name, the badge name and the date; text is escaped;
the PNG is a real image of the same drawing; only earned badges export."""

from __future__ import annotations

import io
import stat
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import numpy as np
import pytest
from PIL import Image

from proctorprep.progress import badge_image, badges
from proctorprep.progress.badges import BadgeStatus

WHEN = datetime(2026, 11, 29, 10, 0, tzinfo=timezone.utc)


def earned(badge=badges.PROCTOR_READY) -> BadgeStatus:
    return BadgeStatus(badge, True, WHEN, "20261129-100000-abcd", "AZ-900 practice, 29 Nov 2026 10:00", 3, 3)


def svg_texts(doc: str) -> list[str]:
    root = ET.fromstring(doc)
    return [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]


def test_svg_names_candidate_badge_and_date_and_escapes_markup():
    card = badge_image.BadgeCard("Steady", 'Ada <script>alert("x")</script> & Co', WHEN)
    doc = badge_image.svg(card)
    texts = svg_texts(doc)                     # parses: the markup in the name did not break the document
    assert "Steady" in texts and "Earned 29 November 2026" in texts
    assert any(t.startswith("Ada <script>") for t in texts)
    assert "<script>" not in doc


def test_long_names_shrink_or_wrap_to_fit_the_medal():
    long = "Distinction: Azure Fundamentals (AZ-900) practice exam, second edition"
    size, lines = badge_image.name_layout(long)
    assert size < 46 and len(lines) >= 2 and len(lines) * size * 1.15 <= badge_image.NAME_BOX[1]
    assert all(badge_image.text_width(line, size, True) <= badge_image.NAME_BOX[0] for line in lines)
    card = badge_image.BadgeCard("x", "N" * 200, WHEN)
    ribbon = [s for s in badge_image.drawing(card) if isinstance(s, badge_image.Text) and s.text.startswith("NNN")]
    assert ribbon and ribbon[0].text.endswith("…") and badge_image.text_width(ribbon[0].text, 32, True) <= 470


def test_png_is_the_same_drawing_in_the_badge_colour():
    for style, colour in (("etiquette", "#1f7a6d"), ("distinction", "#b07d12")):
        data = badge_image.png(badge_image.BadgeCard("Steady", "Ada", WHEN, style))
        img = Image.open(io.BytesIO(data))
        assert img.size == (600, 600) and img.mode == "RGBA"
        px = np.asarray(img)
        assert px[5, 5, 3] == 0                       # transparent corner outside the hexagon
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert np.abs(px[300, 120, :3].astype(int) - (r, g, b)).max() <= 3   # medal face, above the text
        ribbon_row = px[352 + 34, 60:540, :3]          # the white ribbon carries dark text: both present
        assert (ribbon_row.min(axis=1) > 240).sum() > 200 and (ribbon_row.max(axis=1) < 150).sum() > 10


def test_export_writes_svg_and_png_privately_and_refuses_unearned(tmp_path):
    dest = tmp_path / "out" / "badges"
    svg_path, png_path = badge_image.export_badge(earned(), "Ada Lovelace", dest)
    assert (svg_path.name, png_path.name) == ("proctor-ready.svg", "proctor-ready.png")
    assert "Ada Lovelace" in svg_texts(svg_path.read_text())
    assert Image.open(png_path).size == (600, 600)
    assert stat.S_IMODE(svg_path.stat().st_mode) == 0o600 and stat.S_IMODE(png_path.stat().st_mode) == 0o600
    passed = badges.score_badges("az900", "AZ-900 practice")[1]
    _, p2 = badge_image.export_badge(earned(passed), "Ada", dest, scale=0.5)
    assert p2.name == "distinction-az900.png" and Image.open(p2).size == (300, 300)
    with pytest.raises(ValueError, match="not earned yet"):
        badge_image.export_badge(BadgeStatus(badges.STEADY, False), "Ada", dest)
