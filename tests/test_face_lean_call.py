"""FaceAnalyser calls Face Mesh's graph directly (without the results class mediapipe's process() builds on every
call): it must see exactly what process() sees, and fall back to process() when mediapipe's internals differ."""

from __future__ import annotations

import numpy as np

from proctorprep.perception.face import FaceAnalyser
from tests.fixtures.face_render import render_empty, render_face


def _run(analyser: FaceAnalyser, frames: list[np.ndarray]) -> list:
    return [analyser.analyse(f, i / 30.0) for i, f in enumerate(frames)]


def test_direct_graph_call_matches_process():
    frames = [render_face(yaw=y, mouth=m) for y, m in ((0, 0), (15, 0.2), (-20, 0))] + [render_empty(),
                                                                                         render_face(yaw=5)]
    with FaceAnalyser(hands=False) as lean, FaceAnalyser(hands=False) as plain:
        assert lean._lean is not None                # mediapipe 0.10.21: the direct path is taken
        plain._lean = None                           # what happens with internals it does not know
        a, b = _run(lean, frames), _run(plain, frames)
    assert [o.faces for o in a] == [o.faces for o in b] == [1, 1, 1, 0, 1]
    for x, y in zip(a, b):
        if x.faces:
            assert np.array_equal(x.landmarks, y.landmarks)
            assert (x.yaw_deg, x.pitch_deg, x.gaze_x, x.mouth_open) == (y.yaw_deg, y.pitch_deg, y.gaze_x,
                                                                        y.mouth_open)


def test_unknown_solution_falls_back_to_process():
    from proctorprep.perception.face import _lean_api

    class Odd:                                       # a SolutionBase without the expected streams
        _input_stream_type_info = {"image": None, "extra": None}
        _output_stream_type_info = {"multi_face_landmarks": None}
        _graph_outputs: dict = {}
        _graph = object()
        _simulated_timestamp = 0

    assert _lean_api(Odd()) is None
