"""A workspace photo (front, left, right, behind): nothing readable in view (notes, a printed sheet, a whiteboard
with writing), and light enough for a greeter to see the room. What no model here can see (a phone in reach,
headphones, a watch, a second monitor) is the candidate's to confirm: checkin/checklist.py.
"""

from __future__ import annotations

import numpy as np

from proctorprep.checkin.measures import luma
from proctorprep.checkin.ocr import read_text
from proctorprep.checkin.verdict import PhotoVerdict, Verdict, failed, passed

ROOM_LUMA = (45.0, 225.0)       # mean brightness of the photo (0-255)
WRITING_SCORE = 0.75            # a line read at least this surely ...
WRITING_LETTERS = 6             # ... with at least this many letters or digits is readable writing
WRITING_LINES = 1               # this many such lines are "writing in view"


def judge_workspace(image_bgr: np.ndarray, side: str) -> tuple[PhotoVerdict, tuple[str, ...]]:
    """The verdict of one side's photo and the writing read in it (analysed in memory, for the verdict's words)."""
    v: list[Verdict] = []
    lines = [l for l in read_text(image_bgr) if l.score >= WRITING_SCORE and l.letters >= WRITING_LETTERS]
    if len(lines) >= WRITING_LINES:
        sample = "; ".join(f"“{l.text}”" for l in lines[:2])
        v.append(failed("no_writing", "No writing in view",
                        f"Readable writing is in view: {len(lines)} line{'s' if len(lines) != 1 else ''} ({sample})",
                        "Clear the desk and the walls in view of notes, books and papers; wipe or turn a "
                        "whiteboard.", lines=len(lines)))
    else:
        v.append(passed("no_writing", "No writing in view", "No readable writing in view", lines=0))
    lum = luma(image_bgr)
    if lum < ROOM_LUMA[0]:
        v.append(failed("light", "Bright enough", f"The photo is too dark to see the room (brightness {lum:.0f})",
                        "Turn on the room's light for the check-in photos.", luma=round(lum, 1)))
    elif lum > ROOM_LUMA[1]:
        v.append(failed("light", "Bright enough", f"The photo is washed out (brightness {lum:.0f})",
                        "Do not point the camera at a window or lamp.", luma=round(lum, 1)))
    else:
        v.append(passed("light", "Bright enough", "Bright enough", luma=round(lum, 1)))
    return PhotoVerdict(f"workspace_{side}", tuple(v)), tuple(l.text for l in lines)
