"""The identity check's picture comparison (perception/appearance.py): how often it brings a check forward for the
same person, and how soon after a cut to someone else it does.

    .venv/bin/python bench/identity_picture.py [--faces tuning|held-out|evaluated-once|all] [--minutes M]

Each face is rendered as a candidate at 640x480, 5 analysed frames a second: the head wandering (yaw +-12 deg, pitch
+-6 deg, a look down at the desk of 2 s every 40 s), moving and resizing in the picture, talking (the mouth), and the
light drifting by +-15 %. Every frame goes through a video-mode FaceAnalyser and an IdentityWatcher whose identifier
is scripted (distance 0.30 for the reference person, 0.80 for anyone else), so what is measured is only when checks
happen, not dlib's answers (those are measured in bench/checkin_identity.py).

  * same person, M minutes (default 3): checks a minute (every 6 s, as before the picture comparison: 10 a minute;
    the periodic check alone: 2), of which the picture brought forward;
  * a cut to another person of the same set 20 s into the session (each face to the next three of the set): seconds from the cut to the
    first check of the new face (the periodic check alone: 30 - 20 + a check = up to ~13 s).

The threshold was chosen on the tuning faces (real_faces.TUNING); the held-out faces are measured once.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FPS = 5.0


def _frames(person: str, t0: float, t1: float, seed: int):
    from tests.fixtures.face_render import render_face

    rng = np.random.default_rng(seed)
    for i in range(int(round(t0 * FPS)), int(round(t1 * FPS))):
        t = i / FPS
        desk = (t % 40.0) >= 38.0
        yaw = 12 * np.sin(t / 3.1) + rng.normal(0, 1.5)
        pitch = -32.0 if desk else 6 * np.sin(t / 5.3) + rng.normal(0, 1.0)
        img = render_face(person=person, yaw=yaw, pitch=pitch, mouth=max(0.0, 0.25 * np.sin(t * 2.7)),
                          offset=(25 * np.sin(t / 7.0), 12 * np.sin(t / 4.3)), scale=1 + 0.1 * np.sin(t / 6.1))
        light = 1.0 + 0.15 * np.sin(t / 23.0)
        yield t, np.clip(img.astype(np.float32) * light, 0, 255).astype(np.uint8)


@dataclasses.dataclass
class Scripted:
    """Distance 0.30 while the reference person is shown, 0.80 after the cut."""

    cut_s: float = 1e9
    t: float = 0.0

    def describe(self, image, box):
        from proctorprep.perception.identity import DESCRIPTOR_SIZE, FaceDescriptor

        vec = np.zeros(DESCRIPTOR_SIZE, dtype=np.float32)
        vec[0] = 0.30 if self.t < self.cut_s else 0.80
        return FaceDescriptor(tuple(box), vec)


def run(stream, pictures: bool = True) -> tuple[list[float], list[float]]:
    """Times of the checks that compared a face, and of those the picture brought forward. `stream`: (t, BGR frame,
    the time of the cut to someone else); `pictures=False`: due() is not given the frames (no picture comparison)."""
    from proctorprep.perception.face import FaceAnalyser
    from proctorprep.perception.identity import DESCRIPTOR_SIZE, IdentityWatcher

    ident = Scripted()
    watcher = IdentityWatcher(np.zeros(DESCRIPTOR_SIZE, np.float32), identifier=ident)
    checks, picture = [], []
    with FaceAnalyser(hands=False) as face:
        for t, img, cut_s in stream:
            ident.t, ident.cut_s = t, cut_s
            obs = face.analyse(img, t)
            forward = watcher.picture_checks
            if watcher.due(t, obs.faces, img, obs) if pictures else watcher.due(t, obs.faces):
                before = watcher.checks
                watcher.check(img, obs)
                if watcher.checks > before:
                    checks.append(t)
                    if watcher.picture_checks > forward:
                        picture.append(t)
    return checks, picture


def main() -> int:
    from tests.fixtures import real_faces

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--faces", choices=("tuning", "held-out", "evaluated-once", "all"), default="tuning")
    ap.add_argument("--minutes", type=float, default=3.0)
    args = ap.parse_args()
    sets = {"tuning": real_faces.TUNING, "held-out": real_faces.HELD_OUT,
            "evaluated-once": real_faces.EVALUATED_ONCE}
    people = [p for k, v in sets.items() if args.faces in (k, "all") for p in v]
    people = [p for p in people if not p.startswith("multi_")] + [p for p in people if p.startswith("multi_")]
    seconds = args.minutes * 60.0
    print(f"| face | role | checks a minute (same person, {args.minutes:g} min) | brought forward by the picture |")
    print("|---|---|---:|---:|")
    for k, p in enumerate(people):
        checks, picture = run((t, img, 1e9) for t, img in _frames(p, 0.0, seconds, k))
        print(f"| {p} | {real_faces.role(p)} | {len(checks) / args.minutes:.2f} | {len(picture)} |", flush=True)
    print()
    print("| cut | seconds from the cut to the first check of the new face | brought forward by the picture |")
    print("|---|---:|---:|")
    delays = []
    pairs = [(a, people[(i + k) % len(people)]) for i, a in enumerate(people) for k in range(1, min(4, len(people)))]
    for a, b in pairs:
        cut = 20.0
        stream = itertools.chain(((t, img, cut) for t, img in _frames(a, 0.0, cut, 1)),
                                 ((t, img, cut) for t, img in _frames(b, cut, 45.0, 2)))
        checks, picture = run(stream)
        after = [t for t in checks if t >= cut]
        delay = after[0] - cut if after else float("nan")
        delays.append(delay)
        forward = bool(after) and after[0] in picture
        print(f"| {a} -> {b} | {delay:.1f} | {'yes' if forward else 'no: the periodic check'} |", flush=True)
    d = np.array(delays)
    print(f"\n{len(d)} cuts: median {np.nanmedian(d):.1f} s, 90th percentile {np.nanpercentile(d, 90):.1f} s, "
          f"worst {np.nanmax(d):.1f} s; within 5 s: {int(np.sum(d <= 5))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
