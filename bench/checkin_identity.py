"""Face recognition for the check-in and identity_changed, on real photos of 17 people from packages (three photos
of Barack Obama, three frames of the carphone clip's man; tests/fixtures/identity_faces.py says where each is from).

    .venv/bin/python bench/checkin_identity.py [--threshold 0.55] [--markdown OUT]

Prints every pair's distance (dlib ResNet descriptors, Euclidean), the genuine (same person) and impostor (different
people) distances, and the false-match and false-non-match rates at the threshold, for the tuning people and the
held-out ones apart; and the CPU time (process time, not wall time) of finding a face and of describing it.
Exits 1 only if it could not measure.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402


def _scaled(img, max_side: int = 960):
    h, w = img.shape[:2]
    f = min(1.0, max_side / max(h, w))
    return (cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else img), f


def measure(threshold: float) -> tuple[list[str], dict[str, float]]:
    from proctorprep.perception.identity import FaceIdentifier
    from tests.fixtures.identity_faces import SAMPLES, photo_bgr, pick

    fi = FaceIdentifier()
    found, lines, find_t, desc_t = [], [], [], []
    for s in SAMPLES:
        img, f = _scaled(photo_bgr(s))
        t = time.process_time()
        boxes = fi.find(img, upsample=1)
        find_t.append((time.process_time() - t) / (img.shape[0] * img.shape[1] / (640 * 480)))
        point = None if s.point is None else (int(s.point[0] * f), int(s.point[1] * f))
        box = pick(boxes, point)
        if box is None:
            lines.append(f"  no face found: {s.person} ({s.media})")
            continue
        t = time.process_time()
        d = fi.describe(img, box)
        desc_t.append(time.process_time() - t)
        found.append((s, d))
    genuine, impostor = [], []
    for (a, da), (b, db) in itertools.combinations(found, 2):
        dist = da.distance(db)
        held = a.held_out or b.held_out
        (genuine if a.person == b.person else impostor).append((dist, held, a, b))
    lines.append(f"faces described: {len(found)} of {len(SAMPLES)} samples, "
                 f"{len({s.person for s, _ in found})} people")
    lines.append("genuine pairs (same person):")
    for dist, held, a, b in sorted(genuine, key=lambda x: -x[0]):
        lines.append(f"  {dist:.3f}  {a.person}: {a.media}#{a.frame or 0} vs {b.media}#{b.frame or 0}"
                     f"{'  (held out)' if held else ''}")
    lines.append("closest impostor pairs (different people):")
    for dist, held, a, b in sorted(impostor, key=lambda x: x[0])[:8]:
        lines.append(f"  {dist:.3f}  {a.person} vs {b.person}{'  (held out)' if held else ''}")
    out: dict[str, float] = {"threshold": threshold}
    for name, keep in (("tuning", lambda h: not h), ("held_out", lambda h: h), ("all", lambda h: True)):
        g = [d for d, h, *_ in genuine if keep(h)]
        i = [d for d, h, *_ in impostor if keep(h)]
        fnm = sum(d > threshold for d in g)
        fm = sum(d <= threshold for d in i)
        out[f"{name}_fnmr"] = fnm / len(g) if g else float("nan")
        out[f"{name}_fmr"] = fm / len(i) if i else float("nan")
        lines.append(f"{name}: {len(g)} genuine pairs, max {max(g, default=float('nan')):.3f}, "
                     f"false non-matches {fnm}; {len(i)} impostor pairs, min {min(i, default=float('nan')):.3f}, "
                     f"false matches {fm}")
    out["find_ms_640x480"] = 1000 * sorted(find_t)[len(find_t) // 2]
    out["describe_ms"] = 1000 * sorted(desc_t)[len(desc_t) // 2]
    lines.append(f"CPU: find faces {out['find_ms_640x480']:.0f} ms per 640x480 frame (median), "
                 f"describe one face {out['describe_ms']:.0f} ms (median)")
    return lines, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    from proctorprep.perception.identity import MATCH_DISTANCE

    ap.add_argument("--threshold", type=float, default=MATCH_DISTANCE)
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args(argv)
    try:
        lines, _ = measure(args.threshold)
    except RuntimeError as exc:
        print(f"checkin_identity: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    if args.markdown:
        args.markdown.write_text("```\n" + "\n".join(lines) + "\n```\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
