"""The ID photo, judged the way a greeter judges it: the card fills enough of the frame and is not cut off, it is
sharp, no glare spot hides part of it, its text can be read; the name read from it is the candidate's name, and the
face on it is the face of the headshot.

Finding the card: the largest four-cornered outline in the edges of the photo with an ID card's proportions
(ISO ID-1 is 85.6 x 54 mm, 1.59:1; 1.25-2.1 is accepted for the camera's slant), else the box around the text read.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from proctorprep.checkin.measures import boxes_overlap, crop, glare_spot, sharpness
from proctorprep.checkin.names import match_name
from proctorprep.checkin.ocr import read_text
from proctorprep.checkin.verdict import ID_CARD, PhotoVerdict, Verdict, failed, passed, sharp_verdict, unknown
from proctorprep.perception.identity import FaceDescriptor

MIN_FILL = 0.15               # the card covers at least this share of the photo's area
EDGE_PX = 3                   # a card outline this close to the photo's edge is cut off
SHARP = 40.0                  # variance of the Laplacian of the card at CARD_WIDTH (sharp 250+, sigma 1.5 blur ~30)
CARD_WIDTH = 600              # the card is judged at this width: blur that spoils its text shows at text size
GLARE_SHARE = 0.006           # a blown-out blob over this share of the card's area hides what is under it
READABLE_LINES = 3            # lines read with at least READ_SCORE ...
READ_SCORE = 0.8
CARD_FACE_DISTANCE = 0.6      # a printed, shrunk ID photo is further from a live face than two photos are
_ASPECT = (1.25, 2.1)


@dataclass(frozen=True)
class CardResult:
    verdict: PhotoVerdict
    text: tuple[str, ...]             # the lines read (analysed in memory; never kept unless the candidate asks)
    card_box: tuple[int, int, int, int] | None


def find_card(image_bgr: np.ndarray) -> tuple[tuple[int, int, int, int], np.ndarray] | None:
    """(bounding box, 4 corner points) of the largest card-shaped outline, or None."""
    g = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
    H, W = g.shape
    g = cv2.GaussianBlur(g, (5, 5), 0)
    edges = cv2.Canny(g, 30, 90)
    edges = cv2.dilate(edges, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best = None
    for c in contours:
        rect = cv2.minAreaRect(c)
        (rw, rh) = rect[1]
        if min(rw, rh) < 20:
            continue
        aspect = max(rw, rh) / min(rw, rh)
        area = rw * rh
        if not _ASPECT[0] <= aspect <= _ASPECT[1] or area < 0.03 * W * H:
            continue
        # a card is a filled convex shape: its outline fills most of its rotated rectangle
        if cv2.contourArea(cv2.convexHull(c)) < 0.8 * area:
            continue
        if best is None or area > best[0]:
            best = (area, rect)
    if best is None:
        return None
    corners = cv2.boxPoints(best[1])
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    return (int(x0), int(y0), int(round(x1 - x0)), int(round(y1 - y0))), corners


def judge_id(image_bgr: np.ndarray, expected_name: str, headshot: FaceDescriptor | None, identifier) -> CardResult:
    H, W = image_bgr.shape[:2]
    v: list[Verdict] = []
    lines = read_text(image_bgr)
    found = find_card(image_bgr)
    if found is None and lines:
        xs = [l.box[0] for l in lines] + [l.box[0] + l.box[2] for l in lines]
        ys = [l.box[1] for l in lines] + [l.box[1] + l.box[3] for l in lines]
        pad = 0.1 * (max(xs) - min(xs))
        box = (int(min(xs) - pad), int(min(ys) - pad), int(max(xs) - min(xs) + 2 * pad),
               int(max(ys) - min(ys) + 2 * pad))
        corners = None
    elif found is None:
        v.append(failed("card_found", "Card in view", "No ID card was found in the photo",
                        "Hold the card flat towards the camera, photo side out, close enough to fill about half of "
                        "the picture."))
        return CardResult(PhotoVerdict(ID_CARD, tuple(v)), (), None)
    else:
        box, corners = found
    fill = box[2] * box[3] / float(W * H) if corners is None else cv2.contourArea(corners) / float(W * H)
    cut = corners is not None and (corners[:, 0].min() < EDGE_PX or corners[:, 1].min() < EDGE_PX or
                                   corners[:, 0].max() > W - 1 - EDGE_PX or corners[:, 1].max() > H - 1 - EDGE_PX)
    m = {"fill": round(fill, 3)}
    if cut:
        v.append(failed("framing", "Whole card, close enough", "The card is cut off at the edge of the photo",
                        "Move the card to the middle of the picture so all four corners show.", **m))
    elif fill < MIN_FILL:
        v.append(failed("framing", "Whole card, close enough",
                        f"The card is too small in the photo ({fill:.0%} of it, needs {MIN_FILL:.0%})",
                        "Hold the card closer to the camera, until it fills about half of the picture.", **m))
    else:
        v.append(passed("framing", "Whole card, close enough", f"The card fills {fill:.0%} of the photo", **m))
    card = crop(image_bgr, box)
    v.append(sharp_verdict(sharpness(card, width=CARD_WIDTH), SHARP, "The card",
                           "Hold the card still, a little further from the lens so the camera can focus on it."))
    spot = glare_spot(card)
    if spot.share > GLARE_SHARE and spot.box is not None:
        sx, sy, sw, sh = spot.box
        over_text = any(boxes_overlap((sx + box[0], sy + box[1], sw, sh), l.box) for l in lines) or spot.share > 0.02
        where = "over the text" if over_text else "on the card"
        v.append(failed("glare", "No glare", f"A glare spot {where} hides part of the card ({spot.share:.1%} of it)",
                        "Tilt the card a little away from the lamp or window until the bright spot is gone.",
                        share=round(spot.share, 4), limit=GLARE_SHARE))
    else:
        v.append(passed("glare", "No glare", "No glare spot", share=round(spot.share, 4)))
    on_card = [l for l in lines if boxes_overlap(l.box, box)]
    good = [l for l in on_card if l.score >= READ_SCORE and l.letters >= 2]
    if len(good) < READABLE_LINES:
        v.append(failed("readable", "Text readable", f"The card's text cannot be read ({len(good)} lines read)",
                        "Hold the card steady and square to the camera, in good light, without covering it with "
                        "your fingers.", lines=len(good), limit=READABLE_LINES))
    else:
        v.append(passed("readable", "Text readable", f"{len(good)} lines of text read", lines=len(good)))
    v.append(_name(expected_name, [l.text for l in on_card]))
    v.append(_face(image_bgr, box, headshot, identifier))
    return CardResult(PhotoVerdict(ID_CARD, tuple(v)), tuple(l.text for l in on_card), box)


def _name(expected: str, lines: list[str]) -> Verdict:
    if not expected.strip():
        return unknown("name_matches", "Name matches", "No name to compare with: your name is not in the settings",
                       "Enter your name in Settings exactly as it is printed on your ID.")
    if not lines:
        return failed("name_matches", "Name matches", "No name could be read on the card",
                      "Make the card's text readable (see above), then take the photo again.")
    nm = match_name(expected, lines)
    if nm.matches:
        return passed("name_matches", "Name matches", f"The card reads “{nm.best_line}”, your name",
                      score=nm.score)
    return failed("name_matches", "Name matches",
                  f"The name on the card (best match “{nm.best_line}”) is not “{expected.strip()}”",
                  "Use an ID in your own name, and make your name in Settings exactly as printed on it (the exam's "
                  "booking must match the ID too).", score=nm.score)


def _face(image_bgr: np.ndarray, box: tuple[int, int, int, int], headshot: FaceDescriptor | None,
          identifier) -> Verdict:
    if headshot is None:
        return unknown("face_matches", "Photo matches your face",
                       "No headshot to compare with (it was skipped or had no single face)",
                       "Take the headshot first.")
    x, y, w, h = box
    pad = int(0.05 * max(w, h))
    x0, y0 = max(0, x - pad), max(0, y - pad)
    card = image_bgr[y0:y + h + pad, x0:x + w + pad]
    scale = 1.0 if card.shape[1] >= 600 else 600.0 / max(1, card.shape[1])
    if scale > 1.0:
        card = cv2.resize(card, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    faces = identifier.find(card, upsample=1)
    if not faces:
        return failed("face_matches", "Photo matches your face", "No face was found on the card",
                      "Hold the card with its photo side towards the camera and your fingers off the photo.")
    d = identifier.describe(card, faces[0]).distance(headshot)
    if d <= CARD_FACE_DISTANCE:
        return passed("face_matches", "Photo matches your face", "The photo on the card looks like you",
                      distance=round(d, 3), limit=CARD_FACE_DISTANCE)
    return failed("face_matches", "Photo matches your face",
                  f"The photo on the card does not look like your headshot (distance {d:.2f}, limit "
                  f"{CARD_FACE_DISTANCE:.2f})",
                  "Use your own ID; if it is yours, retake the headshot facing the camera in even light.",
                  distance=round(d, 3), limit=CARD_FACE_DISTANCE)
