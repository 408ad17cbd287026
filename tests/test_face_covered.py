"""face_covered in the analyser: measured (0 with no hand), at a reduced rate, held between runs, off when asked,
and looked for where the face just was when Face Mesh loses it; which hands count (cover.plausible), on synthetic
hand landmarks."""

from __future__ import annotations

import numpy as np
import pytest

from proctorprep.perception.face import FaceAnalyser
from tests.fixtures.face_render import render_empty, render_face


@pytest.fixture(scope="module")
def frames():
    return render_face(), render_empty()


def test_hand_model_runs_at_a_reduced_rate_and_its_score_is_held(frames):
    face, _ = frames
    with FaceAnalyser(hands=True, hands_interval_s=2.0) as fa:
        scores = [fa.analyse(face, i / 10).face_covered for i in range(50)]      # 5 s at 10 frames/s
        assert fa.hand_runs == 3                                                 # at 0, 2 and 4 s
    assert all(s == 0.0 for s in scores)                                         # measured: no hand, every frame


def test_no_hand_model_means_not_measured(frames):
    face, _ = frames
    with FaceAnalyser(hands=False) as fa:
        assert fa.analyse(face, 0.0).face_covered is None
        assert fa.hand_runs == 0


def test_hands_are_looked_for_where_the_face_vanished(frames):
    face, empty = frames
    with FaceAnalyser(hands=True, hands_interval_s=2.0, hands_after_loss_s=3.0) as fa:
        fa.analyse(face, 0.0)
        runs = fa.hand_runs
        gone = fa.analyse(empty, 2.5)                     # face lost 2.5 s later: due, and recent enough
        assert gone.faces == 0
        assert fa.hand_runs == runs + 1
        assert gone.face_covered == 0.0
        later = fa.analyse(empty, 9.0)                    # long gone: no more looking, nothing claimed
        assert later.face_covered is None
        assert fa.hand_runs == runs + 1


class _Pt:
    def __init__(self, x, y):
        self.x, self.y = x, y


# A right hand's 21 landmarks (mediapipe's order) as (along, across) fractions of its length, wrist to middle
# fingertip: wrist; thumb 1-4; index, middle, ring, little finger 5-20 (knuckle to tip), fingers straight.
_HAND = ((0, 0), (0.12, -0.12), (0.22, -0.22), (0.32, -0.30), (0.40, -0.36),
         (0.50, -0.12), (0.68, -0.13), (0.80, -0.13), (0.92, -0.13),
         (0.52, 0.00), (0.72, 0.00), (0.86, 0.00), (1.00, 0.00),
         (0.50, 0.11), (0.69, 0.12), (0.82, 0.12), (0.94, 0.12),
         (0.46, 0.21), (0.60, 0.23), (0.70, 0.24), (0.80, 0.25))


def synthetic_hand(wrist, towards, length) -> np.ndarray:
    """(21, 2) pixel landmarks of a flat open hand: wrist at `wrist`, fingers pointing at the point `towards`,
    `length` px from the wrist to the middle fingertip."""
    w = np.asarray(wrist, float)
    u = np.asarray(towards, float) - w
    u /= np.linalg.norm(u)
    v = np.array([-u[1], u[0]])
    return np.array([w + length * (a * u + b * v) for a, b in _HAND])


def ellipse_oval(cx=320.0, cy=240.0, w=150.0, h=200.0) -> np.ndarray:
    """A 36-point face oval in face.py's order: forehead top first, the chin 19th, clockwise on screen."""
    t = np.radians(-90 + 10 * np.arange(36))
    return np.stack([cx + w / 2 * np.cos(t), cy + h / 2 * np.sin(t)], axis=1)


def _in_crop(pts, x0, y0, side):
    return [((x - x0) / side, (y - y0) / side) for x, y in pts]


class FakeHands:
    """Stands in for mediapipe Hands: returns the scripted hands (normalised to the crop it is given)."""

    def __init__(self):
        self.hands: list[list[tuple[float, float]]] = []
        self.calls = 0

    def process(self, rgb):
        self.calls += 1

        class Res:
            pass

        res = Res()
        res.multi_hand_landmarks = [type("L", (), {"landmark": [_Pt(x, y) for x, y in h]})() for h in self.hands]
        return res

    def close(self):
        pass


def test_a_hand_over_the_mouth_scores_high_and_is_followed_closely():
    from proctorprep.perception.cover import HandCoverage

    hc = HandCoverage(interval_s=3.0, near_interval_s=0.5)
    hc._hands.close()
    fake = FakeHands()
    hc._hands = fake
    rgb = np.zeros((480, 640, 3), np.uint8)
    box = (220, 140, 200, 200)                         # the face; the search square is 440 px around it
    oval = np.array([(220, 140), (420, 140), (420, 340), (220, 340)], float)
    mouth = np.array([(290, 280), (350, 280), (350, 310), (290, 310)], float)
    # an open hand, the wrist under the chin and the fingers up over the mouth, given in crop-normalised coordinates
    x0, y0, side = 100, 20, 440
    fake.hands = [_in_crop(synthetic_hand((320, 400), (320, 0), 200), x0, y0, side)]
    assert hc.due(0.0)
    score = hc.measure(rgb, box, mouth, oval, 0.0)
    assert score > 0.95                                 # the whole mouth is under the hand
    assert hc.held(0.2) == score
    assert hc.due(0.5)                                  # a hand near the face: checked again after 0.5 s
    fake.hands = []
    assert hc.measure(rgb, box, mouth, oval, 0.5) == 0.0
    assert not hc.due(1.0) and not hc.due(3.4)          # gone: back to every 3 s
    assert hc.due(3.5)
    assert fake.calls == 2


def test_radial_position_in_the_oval():
    from proctorprep.perception.cover import radial_position

    oval = ellipse_oval()
    assert radial_position(np.array([320.0, 240.0]), oval) == 0.0
    assert radial_position(np.array([320.0, 390.0]), oval) == pytest.approx(1.5, abs=0.01)    # 50 px under the chin
    assert radial_position(np.array([357.5, 240.0]), oval) == pytest.approx(0.5, abs=0.01)    # half way to the cheek


@pytest.mark.parametrize("name, wrist, towards, length, counted", [
    ("a hand-sized hand over the mouth, wrist below the chin", (320, 400), (320, 0), 190, True),
    ("curled fingers at the mouth (short span), wrist below the chin", (320, 380), (320, 0), 70, True),
    ("a hand across the face from the side, wrist on the cheek", (380, 270), (0, 270), 170, True),
    ("a hand on the forehead from the side, wrist beside the temple", (420, 160), (200, 150), 170, True),
    ("a hand-sized hand pointing up, wrist just inside the jaw", (330, 335), (320, 0), 170, True),
    ("a tiny hand inside the oval", (320, 270), (320, 0), 60, False),
    ("a half-face-sized hand whose wrist is inside the oval", (330, 300), (300, 0), 100, False),
    ("a 0.65-face hand on the jaw, wrist just outside the oval", (320, 350), (300, 0), 130, False),
])
def test_which_hands_count(name, wrist, towards, length, counted):
    from proctorprep.perception.cover import HandSeen, plausible

    h = plausible(HandSeen(synthetic_hand(wrist, towards, length)), ellipse_oval())
    assert h.counted is counted, (name, h.wrist_at, h.span)


def test_a_hand_that_does_not_count_does_not_cover_and_keeps_the_slow_rate():
    from proctorprep.perception.cover import HandCoverage

    hc = HandCoverage(interval_s=3.0, near_interval_s=0.5)
    hc._hands.close()
    fake = FakeHands()
    hc._hands = fake
    rgb = np.zeros((480, 640, 3), np.uint8)
    oval = ellipse_oval()
    mouth = np.array([(295, 295), (345, 295), (345, 315), (295, 315)], float)
    x0, y0, side = 100, 20, 440                              # the search square 2.2 face boxes wide
    box = (245, 140, 150, 200)
    fake.hands = [_in_crop(synthetic_hand((320, 330), (320, 200), 60), x0, y0, side)]      # tiny, on the mouth
    assert hc.measure(rgb, box, mouth, oval, 0.0) == 0.0
    assert [h.counted for h in hc.last_hands] == [False]
    assert not hc.due(0.5) and hc.due(3.0)
    fake.hands.append(_in_crop(synthetic_hand((330, 420), (320, 0), 190), x0, y0, side))   # and a real one
    assert hc.measure(rgb, box, mouth, oval, 3.0) > 0.95
    assert [h.counted for h in hc.last_hands] == [False, True]
    assert hc.due(3.5)
