"""A candidate alone is tracked by the one-face Face Mesh; the three-face graph runs only while someone else is in
view (perception/face_count.py, face.py's module doc): the same faces are counted, at a fraction of the detections."""

from __future__ import annotations

import pytest

from proctorprep.perception.face import MULTI_HOLD_S, FaceAnalyser
from proctorprep.perception.face_count import COUNT_INTERVAL_S
from tests.fixtures.face_render import render_face

DT = 1 / 15


@pytest.fixture(scope="module")
def alone():
    return [render_face(yaw=y, mouth=m) for y, m in ((0, 0), (4, 0.05), (8, 0), (4, 0.1), (0, 0), (-4, 0.05))]


@pytest.fixture(scope="module")
def with_visitor():
    candidate = render_face(scale=0.55, offset=(-170, 0))
    return render_face(scale=0.8, offset=(140, 0), background=candidate, person="hopper"), candidate


def test_a_candidate_alone_never_starts_the_three_face_graph(alone):
    with FaceAnalyser(hands=False) as fa:
        seen = [fa.analyse(alone[i % len(alone)], i * DT) for i in range(60)]          # 4 s
        assert all(o.faces == 1 for o in seen)
        assert fa._multi_mesh is None
        # the detector is asked a few times a second (and when the track starts), not on every frame
        assert fa.count_runs <= 4.0 / COUNT_INTERVAL_S + 2
        assert fa.count_runs >= 4.0 / COUNT_INTERVAL_S - 1


def test_a_second_person_is_counted_within_the_interval_then_forgotten(with_visitor):
    both, candidate = with_visitor
    with FaceAnalyser(hands=False) as fa:
        t = 0.0
        for _ in range(15):                                   # 1 s alone
            assert fa.analyse(candidate, t).faces == 1
            t += DT
        arrived, counts = t, []
        for _ in range(30):                                   # 2 s with someone else in view
            counts.append((t, fa.analyse(both, t).faces))
            t += DT
        first_two = next(ts for ts, n in counts if n == 2)
        assert first_two - arrived <= COUNT_INTERVAL_S + DT
        assert all(n == 2 for ts, n in counts if ts >= first_two)    # held while the visitor stays
        gone, after = t, []
        for _ in range(30):                                   # the visitor leaves
            after.append((t, fa.analyse(candidate, t)))
            t += DT
        assert all(o.faces == 1 for _, o in after)
        assert all(o.face_x < 0.5 for _, o in after)           # still the candidate on the left
        # back to the one-face graph: the 3-face graph is no longer fed once the hold is over
        fed = fa._multi_mesh._simulated_timestamp
        fa.analyse(candidate, t + MULTI_HOLD_S + 1)
        assert fa._multi_mesh._simulated_timestamp == fed
        assert gone > arrived


def test_still_images_use_one_graph_for_every_face(with_visitor):
    both, _ = with_visitor
    with FaceAnalyser(hands=False, static_image_mode=True) as fa:
        obs = fa.analyse(both, 0.0)
        assert obs.faces == 2 and len(obs.all_boxes) == 2
        assert fa.count_runs == 0 and fa._multi_mesh is None
