"""The headshot, judged the way a greeter judges it: one face, looking straight at the camera, eyes open, evenly
lit, the whole head in the picture, the forehead not hidden by a hat or hood, sharp. Its face descriptor is the
reference for the ID's photo and for identity_changed during the exam.

Limits are for a webcam photo taken at the desk (the face 15-60 % of the frame's width); each is named where it is
used, and the verdict says the measured value beside the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from proctorprep.checkin.measures import crop, luma, sharpness
from proctorprep.checkin.verdict import HEADSHOT, PhotoVerdict, Verdict, failed, passed, sharp_verdict, unknown
from proctorprep.perception.identity import FaceDescriptor

FRONTAL_DEG = 15.0            # head turned or tilted more than this is not "looking at the camera"
EYES_OPEN = 0.21              # eye aspect ratio: about 0.25-0.35 open, under 0.2 closed
FACE_LUMA = (60.0, 215.0)     # mean brightness of the face (0-255)
SIDE_RATIO = 0.6              # the darker half of the face has at least this share of the brighter half's light
BACKLIT_LUMA = 55.0            # the frame this much brighter than the face: a window or lamp behind the candidate
HEAD_MARGIN = 0.35            # room above the face box for the top of the head, in face heights
SIDE_MARGIN = 0.15            # room beside the face box, in face widths
MIN_FACE = 0.12               # face box at least this share of the frame's width
SHARP = 40.0                  # variance of the Laplacian of the face (measures.sharpness)
FOREHEAD_DELTA = 38.0         # colour distance (CIELAB) between forehead and cheeks above which the forehead is covered

# Face-mesh indices (mediapipe's 468+10): the forehead between the brows and the hairline, and the two cheeks.
_FOREHEAD = (10, 151, 9, 108, 337, 67, 297, 109, 338)
_CHEEKS = (50, 280, 205, 425, 187, 411)


@dataclass(frozen=True)
class HeadshotResult:
    verdict: PhotoVerdict
    descriptor: FaceDescriptor | None          # None: no single face to describe
    face_box: tuple[int, int, int, int] | None


def _patch_lab(image_bgr: np.ndarray, pts: np.ndarray, idx: tuple[int, ...], radius: int) -> np.ndarray | None:
    lab = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2LAB).astype(np.float32)
    h, w = image_bgr.shape[:2]
    samples = []
    for i in idx:
        x, y = int(round(pts[i][0])), int(round(pts[i][1]))
        if 0 <= x < w and 0 <= y < h:
            samples.append(lab[max(0, y - radius):y + radius + 1, max(0, x - radius):x + radius + 1].reshape(-1, 3))
    if not samples:
        return None
    # OpenCV's 8-bit Lab: L in 0..255, a and b offset by 128
    s = np.concatenate(samples)
    return np.median(s, axis=0) * np.array([100 / 255, 1, 1]) - np.array([0, 128, 128])


def forehead_delta(image_bgr: np.ndarray, landmarks: np.ndarray, face_w: int) -> float | None:
    """How different the forehead looks from the cheeks: skin against skin is close (< 20), a cap or hood is far."""
    r = max(2, face_w // 40)
    fh = _patch_lab(image_bgr, landmarks, _FOREHEAD, r)
    ch = _patch_lab(image_bgr, landmarks, _CHEEKS, r)
    if fh is None or ch is None:
        return None
    return float(np.linalg.norm(fh - ch))


def judge_headshot(image_bgr: np.ndarray, face_analyser, identifier) -> HeadshotResult:
    """All checks of one headshot. face_analyser: a static-image perception.face.FaceAnalyser; identifier:
    perception.identity.FaceIdentifier."""
    H, W = image_bgr.shape[:2]
    obs = face_analyser.analyse(image_bgr, 0.0)
    v: list[Verdict] = []
    if obs.faces == 0 or obs.face_box is None:
        v.append(failed("one_face", "One face", "No face was found in the photo",
                        "Sit facing the camera, about an arm's length away, with your face lit from the front."))
        return HeadshotResult(PhotoVerdict(HEADSHOT, tuple(v)), None, None)
    if obs.faces > 1:
        v.append(failed("one_face", "One face", f"{obs.faces} faces are in the photo",
                        "Only you may be in the photo: ask others to leave, and take down photos or posters with "
                        "faces behind you.", faces=obs.faces))
    else:
        v.append(passed("one_face", "One face", "One face, yours", faces=1))
    x, y, w, h = obs.face_box
    yaw, pitch = obs.yaw_deg, obs.pitch_deg
    if yaw is None or pitch is None:
        v.append(unknown("frontal", "Looking at the camera", "The head's angle could not be measured"))
    elif max(abs(yaw), abs(pitch)) > FRONTAL_DEG:
        which = "turned" if abs(yaw) >= abs(pitch) else "tilted"
        v.append(failed("frontal", "Looking at the camera",
                        f"Your head is {which} {max(abs(yaw), abs(pitch)):.0f}° away from the camera",
                        "Look straight into the camera lens, chin level.", yaw_deg=round(yaw, 1),
                        pitch_deg=round(pitch, 1), limit_deg=FRONTAL_DEG))
    else:
        v.append(passed("frontal", "Looking at the camera", "You look straight at the camera",
                        yaw_deg=round(yaw, 1), pitch_deg=round(pitch, 1)))
    if obs.eyes_open is None:
        v.append(unknown("eyes_open", "Eyes open", "The eyes could not be measured"))
    elif obs.eyes_open < EYES_OPEN:
        v.append(failed("eyes_open", "Eyes open", "Your eyes are closed or nearly closed",
                        "Keep your eyes open and look at the lens when the photo is taken (blink before, not during).",
                        eye_ratio=round(obs.eyes_open, 3), limit=EYES_OPEN))
    else:
        v.append(passed("eyes_open", "Eyes open", "Eyes open", eye_ratio=round(obs.eyes_open, 3)))
    v.append(_light(image_bgr, obs.face_box, obs.frame_brightness))
    v.append(_framing(obs.face_box, W, H))
    if obs.landmarks is not None:
        delta = forehead_delta(image_bgr, obs.landmarks, w)
    else:
        delta = None
    if delta is None:
        v.append(unknown("forehead", "Forehead uncovered", "The forehead could not be measured"))
    elif delta > FOREHEAD_DELTA:
        v.append(failed("forehead", "Forehead uncovered", "Something covers your forehead (a hat, hood or hair)",
                        "Take off any hat, cap or hood and keep your hair off your forehead; religious headwear is "
                        "allowed but may be inspected.", colour_delta=round(delta, 1), limit=FOREHEAD_DELTA))
    else:
        v.append(passed("forehead", "Forehead uncovered", "Forehead visible", colour_delta=round(delta, 1)))
    v.append(sharp_verdict(sharpness(crop(image_bgr, obs.face_box)), SHARP, "The photo",
                           "Hold still, wipe the camera lens and add light: a dim picture blurs when you move."))
    descriptor = None
    if obs.faces == 1:
        descriptor = identifier.describe(image_bgr, obs.face_box)
    return HeadshotResult(PhotoVerdict(HEADSHOT, tuple(v)), descriptor, obs.face_box)


def _light(image_bgr: np.ndarray, box: tuple[int, int, int, int], frame_luma: float | None) -> Verdict:
    face = crop(image_bgr, box)
    fl = luma(face)
    half = face.shape[1] // 2
    left, right = luma(face[:, :half]), luma(face[:, half:])
    side = min(left, right) / max(left, right, 1.0)
    frame = luma(image_bgr) if frame_luma is None else frame_luma
    m = {"face_luma": round(fl, 1), "side_ratio": round(side, 2), "frame_luma": round(frame, 1)}
    if fl < FACE_LUMA[0]:
        return failed("light", "Evenly lit", f"Your face is too dark (brightness {fl:.0f} of 255)",
                      "Turn on a lamp in front of you, behind the screen; face a window rather than sit with it "
                      "behind you.", **m)
    if fl > FACE_LUMA[1]:
        return failed("light", "Evenly lit", f"Your face is too bright, washed out (brightness {fl:.0f} of 255)",
                      "Move the lamp further away or point it at the wall so its light reaches you softly.", **m)
    if frame - fl > BACKLIT_LUMA:
        return failed("light", "Evenly lit", "The light is behind you: your face is much darker than the room",
                      "Close the curtain or turn so the window is in front of you, not behind.", **m)
    if side < SIDE_RATIO:
        darker = "left" if right < left else "right"       # the image's right half is the candidate's left
        return failed("light", "Evenly lit", f"One side of your face is in shadow (your {darker})",
                      "Light your face from the front, e.g. a lamp behind the screen, not from one side.", **m)
    return passed("light", "Evenly lit", "Evenly lit", **m)


def _framing(box: tuple[int, int, int, int], W: int, H: int) -> Verdict:
    x, y, w, h = box
    m = {"face_width_share": round(w / W, 3)}
    if y - HEAD_MARGIN * h < 0:
        return failed("framing", "Whole head in the picture", "The top of your head is cut off",
                      "Tilt the screen back or sit a little lower, so there is room above your head.", **m)
    if y + h > H or x - SIDE_MARGIN * w < 0 or x + w + SIDE_MARGIN * w > W:
        return failed("framing", "Whole head in the picture", "Your face is cut off at the edge of the picture",
                      "Move to the middle of the picture, your whole head and shoulders in view.", **m)
    if w / W < MIN_FACE:
        return failed("framing", "Whole head in the picture", "You are too far from the camera",
                      "Sit closer, about an arm's length from the camera, so your face fills more of the picture.", **m)
    return passed("framing", "Whole head in the picture", "Your whole head is in the picture", **m)
