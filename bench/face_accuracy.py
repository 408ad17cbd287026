"""Face perception accuracy on rendered real faces (the astronaut photo, and Grace Hopper's as a second person whose
face did not shape the 3D reference, turned in 3D by tests/fixtures/face_render.py).

    .venv/bin/python bench/face_accuracy.py

Prints yaw and pitch error per rendered angle for both pose methods (rigid fit, the default, and solvePnP), relative
to the frontal frame's estimate, the mean absolute errors against the goal (<= 5 degrees), roll, mouth opening against
the rendered opening, gaze, blinks and face counts. Every pose is fed for three frames at 10 frames/s to a video-mode
analyser, as the app runs it, and the last observation counts. Exits 1 only if it could not measure.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402


class Feeder:
    def __init__(self, method: str):
        from proctorprep.perception.face import FaceAnalyser

        self.fa = FaceAnalyser(hands=False)
        self.fa._pose.method = method     # the analyser's estimator, switched for the comparison
        self.t = 0.0

    def __call__(self, img):
        obs = None
        for _ in range(3):
            obs = self.fa.analyse(img, self.t)
            self.t += 0.1
        if obs.faces == 0:
            raise RuntimeError("no face found in a rendered frame")
        return obs


def sweep(feed: Feeder, axis: str, values, person: str = "astronaut") -> list[float]:
    from tests.fixtures.face_render import render_face

    front = getattr(feed(render_face(person=person)), f"{axis}_deg")
    return [getattr(feed(render_face(person=person, **{axis: v})), f"{axis}_deg") - front for v in values]


def main() -> int:
    from tests.fixtures.face_render import render_empty, render_face, render_two_faces

    yaws, pitches = list(range(-40, 41, 10)), list(range(-25, 26, 5))
    try:
        res = {}
        for method in ("rigid", "pnp"):
            feed = Feeder(method)
            res[method] = (sweep(feed, "yaw", yaws), sweep(feed, "pitch", pitches), feed)
        feed = res["rigid"][2]
        hop = (sweep(feed, "yaw", yaws, "hopper"), sweep(feed, "pitch", pitches, "hopper"))
        roll = [feed(render_face(roll=r)).roll_deg for r in (-20, 0, 20)]
        mouths = [0.0, 0.075, 0.15, 0.225, 0.3]
        mouth = [feed(render_face(mouth=m)).mouth_open for m in mouths]
        gz = {g: feed(render_face(gaze=g)) for g in [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]}
        ear_open, ear_closed = feed(render_face()).eyes_open, feed(render_face(eyes_closed=True)).eyes_open
        counts = (feed.fa.analyse(render_empty(), feed.t).faces, feed(render_face()).faces,
                  feed(render_two_faces()).faces)
    except Exception as exc:
        print(f"could not measure: {type(exc).__name__}: {exc}")
        return 1

    def ok(flag: bool) -> str:
        return "ok" if flag else "short"

    print("Head pose on rendered real faces, error = estimate relative to the frontal frame - rendered angle (deg)")
    print(f"{'rendered':>10} {'yaw rigid':>10} {'yaw PnP':>10}")
    for i, v in enumerate(yaws):
        print(f"{v:>10} {res['rigid'][0][i] - v:>10.1f} {res['pnp'][0][i] - v:>10.1f}")
    print(f"{'rendered':>10} {'pitch rigid':>11} {'pitch PnP':>10}")
    for i, v in enumerate(pitches):
        print(f"{v:>10} {res['rigid'][1][i] - v:>11.1f} {res['pnp'][1][i] - v:>10.1f}")
    print()
    print(f"{'figure':<44}{'value':>10}  {'goal':>8}  verdict")
    for method in ("rigid", "pnp"):
        ymae = float(np.mean(np.abs(np.array(res[method][0]) - yaws)))
        pmae = float(np.mean(np.abs(np.array(res[method][1]) - pitches)))
        tag = "default" if method == "rigid" else "alternative"
        print(f"{f'yaw MAE -40..40, {method} ({tag}), deg':<44}{ymae:>10.2f}  {'<= 5':>8}  {ok(ymae <= 5)}")
        print(f"{f'pitch MAE -25..25, {method} ({tag}), deg':<44}{pmae:>10.2f}  {'<= 5':>8}  {ok(pmae <= 5)}")
    hy = float(np.mean(np.abs(np.array(hop[0]) - yaws)))
    hp = float(np.mean(np.abs(np.array(hop[1]) - pitches)))
    print(f"{'yaw MAE, 2nd person (Grace Hopper), rigid':<44}{hy:>10.2f}  {'<= 5':>8}  {ok(hy <= 5)}")
    print(f"{'pitch MAE, 2nd person (Grace Hopper), rigid':<44}{hp:>10.2f}  {'<= 5':>8}  {ok(hp <= 5)}")
    print(f"{'roll at -20 / +20 (rel. to 0), deg':<44}{roll[0] - roll[1]:>5.1f}/{roll[2] - roll[1]:<4.1f}  "
          f"{'+-20':>8}  -")
    inc = all(b > a for a, b in zip(mouth, mouth[1:]))
    print(f"{'mouth_open at rendered 0..0.3 (5 steps)':<44}{' '.join(f'{m:.2f}' for m in mouth)}  "
          f"{'rising':>8}  {ok(inc)}")
    gx_ok = gz[(1, 0)].gaze_x > gz[(0, 0)].gaze_x > gz[(-1, 0)].gaze_x
    gy_ok = gz[(0, 1)].gaze_y > gz[(0, 0)].gaze_y > gz[(0, -1)].gaze_y
    print(f"{'gaze_x irises left / centre / right':<44}"
          f"{gz[(1, 0)].gaze_x:.2f} {gz[(0, 0)].gaze_x:.2f} {gz[(-1, 0)].gaze_x:.2f}  {'signs':>8}  {ok(gx_ok)}")
    print(f"{'gaze_y irises up / centre / down':<44}"
          f"{gz[(0, 1)].gaze_y:.2f} {gz[(0, 0)].gaze_y:.2f} {gz[(0, -1)].gaze_y:.2f}  {'signs':>8}  {ok(gy_ok)}")
    print(f"{'eyes_open (EAR) open / closed':<44}{ear_open:>5.2f}/{ear_closed:<4.2f}  {'drop':>8}  "
          f"{ok(ear_closed < 0.7 * ear_open)}")
    print(f"{'faces counted for 0 / 1 / 2 faces':<44}{'%d/%d/%d' % counts:>10}  {'0/1/2':>8}  "
          f"{ok(counts == (0, 1, 2))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
