"""face_covered in the analyser: measured (0 with no hand), at a reduced rate, held between runs, off when asked,
and looked for where the face just was when Face Mesh loses it."""

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
    # a palm of 21 points spanning x 260..380, y 250..340 in frame pixels, given in crop-normalised coordinates
    x0, y0, side = 100, 20, 440
    palm = [((260 + 120 * (i % 5) / 4 - x0) / side, (250 + 90 * (i // 5) / 4 - y0) / side) for i in range(21)]
    fake.hands = [palm]
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
