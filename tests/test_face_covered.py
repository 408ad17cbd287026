"""face_covered in the analyser: measured (0 with no hand), at a reduced rate, held between runs, off when asked,
and looked for where the face just was when Face Mesh loses it."""

from __future__ import annotations

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
