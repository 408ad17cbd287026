"""Checks a real photo as TEST MATERIAL for the face evaluation, before it is registered in
tests/fixtures/real_faces.py: perception only, no rule runs and no rule output is shown, so a face checked here can
still be held out.

    .venv/bin/python tools/check_face_material.py nanjiani starr ...          (keys of real_faces.MEDIA)
    .venv/bin/python tools/check_face_material.py --photo FILE[:FRAME] --crop X,Y,W,H [--name NAME]

For each face, at 640x480, at 320x240 and in a third of the light with sensor noise (as bench/face_accuracy.py):
  * Face Mesh finds the photo, and the face in every render (tests/fixtures/face_render.py): yaw -40..40, pitch
    -25..25, eyes turned -25..25 degrees with the head still ("lost" counts the renders with no face);
  * both eyes follow the renderer's eye turns the same way: the correlation of the two eyes' gaze_x over the eye
    sweep (a photo whose irises the renderer cannot move reads the eyes in opposite directions: negative or low;
    the accepted faces so far read 0.92-0.99);
  * head turns read the right way round: every render turned one way reads turned that way, relative to the frontal
    render (wrong signs are listed).
Writes a strip of renders (frontal, yaw -30/+30, pitch -20, eyes -25/+25) to --sheet DIR to look at.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

CONDITIONS = (("640x480", (640, 480), False), ("320x240", (320, 240), False), ("dim", (640, 480), True))


def _candidate(photo: str, crop: str | None):
    """An RGB loader for a photo (or a video's frame, FILE:FRAME) that is not registered yet."""
    path, _, frame = photo.partition(":") if not Path(photo).exists() else (photo, "", "")

    def load() -> np.ndarray:
        if frame:
            cap = cv2.VideoCapture(path)
            cap.set(cv2.CAP_PROP_POS_FRAMES, int(frame))
            ok, bgr = cap.read()
            cap.release()
        else:
            bgr = cv2.imread(path)
        if bgr is None:
            raise SystemExit(f"could not read {photo}")
        if crop:
            x, y, w, h = (int(v) for v in crop.split(","))
            bgr = bgr[y:y + h, x:x + w]
        return cv2.cvtColor(np.ascontiguousarray(bgr), cv2.COLOR_BGR2RGB)
    return load


def check(feed, person: str, size, dim: bool) -> dict:
    from tests.fixtures.face_render import render_face

    rng = np.random.default_rng(3)

    def shot(**kw):
        img = render_face(person=person, size=size, **kw)
        if dim:
            img = np.clip(img * 0.33 + rng.normal(0, 4, img.shape), 0, 255).astype(np.uint8)
        return feed(img)

    front = shot()
    if front.faces != 1 or front.yaw_deg is None:
        return {"front": "no face"}
    lost, wrong = 0, []
    for axis, values in (("yaw", (-40, -30, -20, -10, 10, 20, 30, 40)), ("pitch", (-25, -15, -5, 5, 15, 25))):
        for v in values:
            o = shot(**{axis: v})
            got = getattr(o, f"{axis}_deg")
            if o.faces != 1 or got is None:
                lost += 1
            elif np.sign(got - getattr(front, f"{axis}_deg")) != np.sign(v):
                wrong.append(f"{axis} {v:+d} read {got - getattr(front, f'{axis}_deg'):+.1f}")
    left, right = [], []
    for a in range(-25, 26, 5):
        o = shot(eye_deg=(a, 0))
        if o.faces != 1 or o.gaze_left_eye is None:
            lost += 1
            continue
        left.append(o.gaze_left_eye[0])
        right.append(o.gaze_right_eye[0])
    corr = float(np.corrcoef(left, right)[0, 1]) if len(left) > 2 else float("nan")
    return {"lost": lost, "eyes_corr": round(corr, 2), "wrong_way": wrong}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("keys", nargs="*", help="keys of tests.fixtures.real_faces.MEDIA")
    ap.add_argument("--photo", help="a photo not registered yet (FILE, or VIDEO:FRAME)")
    ap.add_argument("--crop", help="X,Y,W,H around the face, in the photo's pixels")
    ap.add_argument("--name", default="candidate")
    ap.add_argument("--sheet", type=Path, help="folder for a strip of renders per face")
    args = ap.parse_args(argv)
    from tests.fixtures import face_render as fr

    people = list(args.keys)
    if args.photo:
        load, known = _candidate(args.photo, args.crop), fr._photo
        fr._photo = lambda p: load() if p == args.name else known(p)
        people.append(args.name)
    from proctorprep.perception.face import FaceAnalyser

    fa = FaceAnalyser(hands=False)
    t = [0.0]

    def feed(img):      # three frames per pose, as a camera would (see bench/face_accuracy.py)
        o = None
        for _ in range(3):
            o = fa.analyse(img, t[0])
            t[0] += 0.1
        return o

    for p in people:
        try:
            head = fr._head(p)
        except RuntimeError as exc:
            print(f"{p}: {exc}")
            continue
        print(f"{p}: Face Mesh finds the photo, face {head.face_w:.0f} px wide")
        if args.sheet:
            args.sheet.mkdir(parents=True, exist_ok=True)
            poses = ({}, {"yaw": -30}, {"yaw": 30}, {"pitch": -20}, {"eye_deg": (-25, 0)}, {"eye_deg": (25, 0)})
            cv2.imwrite(str(args.sheet / f"{p}.png"),
                        np.hstack([fr.render_face(person=p, size=(320, 240), **kw) for kw in poses]))
        for name, size, dim in CONDITIONS:
            print(f"  {name:<8} {check(feed, p, size, dim)}")
    fa.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
