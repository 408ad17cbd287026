"""The identity check's picture comparison (perception/appearance.py): a cut to someone else brings the next check
forward; the same person moving, talking and in drifting light does not; the pool of confirmed pictures.
Renders of two tuning faces through the real Face Mesh; the identifier is scripted (no dlib)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import sys
from pathlib import Path

from proctorprep.perception import appearance
from proctorprep.perception.identity import PICTURE_CHECK_GAP_S
from tests.fixtures.face_render import render_face

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import identity_picture  # noqa: E402 - the bench's loop, shared (bench/ is not a package)

FPS = 5.0


def _frames(person: str, t0: float, t1: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    for i in range(int(round(t0 * FPS)), int(round(t1 * FPS))):
        t = i / FPS
        img = render_face(person=person, size=(320, 240), yaw=10 * np.sin(t / 3.1) + rng.normal(0, 1.5),
                          pitch=5 * np.sin(t / 5.3), mouth=max(0.0, 0.25 * np.sin(t * 2.7)),
                          offset=(12 * np.sin(t / 7.0), 6 * np.sin(t / 4.3)))
        light = 1.0 + 0.12 * np.sin(t / 9.0)
        yield t, np.clip(img.astype(np.float32) * light, 0, 255).astype(np.uint8)


def _checks(stream, cut_s: float, pictures: bool = True) -> tuple[list[float], list[float]]:
    """The bench's loop (a video-mode FaceAnalyser, an IdentityWatcher, the scripted identifier): the times of the
    checks that compared a face, and of those the picture brought forward."""
    checks, forward = identity_picture.run(((t, img, cut_s) for t, img in stream), pictures=pictures)
    return [round(t, 1) for t in checks], forward


@pytest.fixture(scope="module")
def swap():
    cut = 12.0
    stream = list(_frames("astronaut", 0, cut)) + list(_frames("obama", cut, 24, seed=1))
    return cut, stream


def test_a_cut_to_someone_else_is_checked_within_seconds_not_at_the_settled_time(swap):
    cut, stream = swap
    checks, forward = _checks(stream, cut)
    after = [t for t in checks if t >= cut]
    assert checks[0] < 1.0 and after, checks
    assert after[0] - cut <= 4.0, checks              # the periodic check would come at ~30 s
    assert len(forward) >= 1


def test_without_the_frames_the_same_cut_waits_for_the_settled_check(swap):
    cut, stream = swap
    checks, forward = _checks(stream, cut, pictures=False)
    assert [t for t in checks if t >= cut] == [] and forward == [], checks   # 24 s < 30 s


def test_the_same_person_moving_and_talking_is_checked_at_the_settled_times():
    checks, _forward = _checks(_frames("hopper", 0, 70), cut_s=1e9)
    assert checks[0] < 1.0
    assert len(checks) <= 3 + 2, checks               # 0, 30, 60 (+ at most two brought forward in 70 s)
    assert all(b - a >= PICTURE_CHECK_GAP_S - 0.01 for a, b in zip(checks, checks[1:])), checks


def test_the_pool_keeps_one_picture_per_pose_and_a_mismatch_empties_it():
    tracker = appearance.AppearanceTracker()
    img = render_face(person="astronaut", size=(320, 240))
    from proctorprep.perception.face import FaceAnalyser

    with FaceAnalyser(hands=False, static_image_mode=True) as face:
        obs = face.analyse(img, 0.0)
    yaws = [0.0, 1.0] + [10.0 * k for k in range(1, appearance.POOL + 2)]
    for k, yaw in enumerate(yaws):
        tracker.confirm(img, dataclasses.replace(obs, yaw_deg=yaw, t_s=float(k)))
    poses = [round(e[1]) for e in tracker._pool]
    # 1 replaced 0 (the same pose), then the oldest went when the pool was full
    assert poses == [round(y) for y in yaws[1:]][-appearance.POOL:], poses
    same = [tracker.changed(img, dataclasses.replace(obs, yaw_deg=24.0, t_s=30.0 + k)) for k in range(3)]
    other = render_face(person="obama", size=(320, 240))
    with FaceAnalyser(hands=False, static_image_mode=True) as face:
        other_obs = face.analyse(other, 0.0)
    assert same == [False] * 3
    changed = [tracker.changed(other, dataclasses.replace(other_obs, t_s=40.0 + k)) for k in range(3)]
    assert changed == [False, True, True], changed          # the median of three: one old, two new
    tracker.forget()
    assert tracker._pool == ()


def test_a_face_picture_is_unit_length_and_none_without_landmarks():
    img = render_face(person="astronaut", size=(320, 240))
    assert appearance.face_picture(img, None) is None
    assert appearance.face_picture(img, np.zeros((478, 2), np.float32)) is None          # all points in one place
    from proctorprep.perception.face import FaceAnalyser

    with FaceAnalyser(hands=False, static_image_mode=True) as face:
        obs = face.analyse(img, 0.0)
    pic = appearance.face_picture(img, obs.landmarks)
    assert pic.shape == (432,) and abs(float(np.linalg.norm(pic)) - 1.0) < 1e-4
    assert float(pic @ appearance.face_picture(img, obs.landmarks + 0.3)) > 0.98   # a third of a pixel: the same

