"""The lips on faces that Face Mesh reads badly (issue 16): lips parted at rest whose landmarks flicker between closed
and open, and a face whose lip landmarks stay together while the mouth opens (only the picture shows the mouth's dark
inside). Mouthing must follow speech-like lip motion on both, and never fire on the flicker; the voice rules must
neither take the flicker for moving lips nor an opening mouth for still ones."""

from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np
import pytest

from proctorprep.perception.mouth import DARK_OF_FACE, mouth_dark
from proctorprep.rules.calibration import Calibration, CalibrationBuilder
from proctorprep.rules.engine import RuleEngine
from tests.fixtures.obs_streams import audio, faces, run


def of_type(incidents, kind):
    return [i for i in incidents if i.type == kind]


def calibrated(obs, audio_obs=()) -> Calibration:
    """A calibration built from a recording's first 5 s, the way `analyze` builds it."""
    b = CalibrationBuilder()
    b.extend([o for o in obs if o.t_s < 5.0], [a for a in audio_obs if a.t_s < 5.0])
    return b.build()


def judge(obs, audio_obs):
    """Calibrate on the first 5 s, judge the rest (what analyze does)."""
    cal = calibrated(obs, audio_obs)
    incs, _ = run(RuleEngine(cal, "standard"), [o for o in obs if o.t_s >= 5.0], [a for a in audio_obs if a.t_s >= 5.0])
    return incs, cal


def with_dark(obs, dark):
    """The same observations with the mouth's dark share (a callable of t)."""
    return [dataclasses.replace(o, mouth_dark=dark(o.t_s)) for o in obs]


def parted_flicker(seed: int = 3):
    """Lips parted at rest as Face Mesh reads them (Aaron Paul's photo): closed (0.005) in most frames, open to the
    gap (0.03-0.10) in bursts of one or a few frames, a fifth of the time; nothing moves."""
    rng = np.random.default_rng(seed)
    state = {"open": False}

    def mouth(t: float) -> float:
        state["open"] = rng.uniform() < (0.5 if state["open"] else 0.12)
        return float(rng.uniform(0.03, 0.10)) if state["open"] else 0.005 + float(rng.normal(0, 0.0015))
    return mouth


def syllables(t0: float, t1: float, seed: int = 5, lo: float = 0.07, hi: float = 0.16):
    """Silent speech: syllables at 2-6 Hz (1/6-1/2 s each) of irregular amplitude, phrase pauses of 0.3-1.2 s every
    3-8 syllables (tests.fixtures.sessions' irregular syllables); returns opening(t) >= 0."""
    rng = np.random.default_rng(seed)
    segs, t = [], t0
    while t < t1 - 0.5:
        for _ in range(int(rng.integers(3, 9))):
            dur = float(rng.uniform(1 / 6, 1 / 2))
            if t + dur > t1:
                break
            segs.append((t, dur, float(rng.uniform(lo, hi))))
            t += dur
        t += float(rng.uniform(0.3, 1.2))

    def opening(x: float) -> float:
        for s, d, a in segs:
            if s <= x < s + d:
                return a * math.sin(math.pi * (x - s) / d)
        return 0.0
    return opening


def speech(t0: float, t1: float, end: float):
    return audio(0, end, prob=lambda t: 0.95 if t0 <= t < t1 else 0.02, db=lambda t: -28 if t0 <= t < t1 else -58)


# ------------------------------------------------------------------------------------------------ parted lips
def test_parted_lips_whose_landmarks_flicker_are_not_mouthing():
    obs = faces(0, 125, mouth=parted_flicker())
    incs, cal = judge(obs, audio(0, 125))
    assert cal.mouth_rest < 0.02 < cal.mouth_rest_top      # the median sees closed lips, the top their parted gap
    assert of_type(incs, "mouthing") == []


def test_a_minute_of_irregular_small_openings_on_parted_lips_is_one_incident_covering_it():
    flicker, syl = parted_flicker(seed=4), syllables(10, 70)
    obs = faces(0, 75, mouth=lambda t: max(flicker(t), 0.06 + syl(t)) if 10 <= t < 70 else flicker(t))
    incs, _ = judge(obs, audio(0, 75))
    found = of_type(incs, "mouthing")
    assert len(found) == 1, [(round(i.start_s, 1), round(i.end_s, 1)) for i in found]
    assert found[0].end_s - found[0].start_s >= 0.8 * 60 and found[0].start_s < 13


def test_a_voice_while_parted_lips_only_flicker_is_another_voice():
    # the flicker of still lips is not movement: a voice heard then is someone else's
    obs = faces(0, 20, mouth=parted_flicker(seed=6))
    incs, _ = judge(obs, speech(8, 14, 20))
    assert len(of_type(incs, "other_voice")) == 1 and of_type(incs, "talking") == []


# ------------------------------------------------------------------------------------------------ lips the landmarks do not open
def closed_landmarks(seed: int = 7):
    """Carlo Ancelotti's photo: the inner-lip landmarks stay together (0.003, a little noise) whatever the mouth
    does."""
    rng = np.random.default_rng(seed)
    return lambda t: 0.003 + abs(float(rng.normal(0, 0.0015)))


def dark_share(opening, seed: int = 8):
    """The lips' region darkens as the mouth opens (0.33 at rest, +1.5 x the opening), with frame noise."""
    rng = np.random.default_rng(seed)
    return lambda t: 0.33 + 1.5 * opening(t) + float(rng.normal(0, 0.015))


def test_a_minute_of_silent_speech_seen_only_in_the_picture_is_one_incident():
    syl = syllables(10, 70, seed=9)
    obs = with_dark(faces(0, 75, mouth=closed_landmarks()), dark_share(syl))
    incs, cal = judge(obs, audio(0, 75))
    assert 0.3 < cal.mouth_dark_rest < 0.36
    found = of_type(incs, "mouthing")
    assert len(found) == 1, [(round(i.start_s, 1), round(i.end_s, 1)) for i in found]
    assert found[0].end_s - found[0].start_s >= 0.8 * 60


def test_talking_seen_only_in_the_picture_is_talking_not_another_voice():
    syl = syllables(8, 14, seed=10)
    obs = with_dark(faces(0, 20, mouth=closed_landmarks()), dark_share(syl))
    incs, _ = judge(obs, speech(8, 14, 20))
    assert len(of_type(incs, "talking")) == 1 and of_type(incs, "other_voice") == []


def test_a_still_mouth_whose_dark_share_swings_as_the_head_rocks_is_not_mouthing():
    # a beard or the shading of the lips changes with the angle: rocking +-10 degrees at 1 Hz makes the dark share
    # swing with it; it is judged only near the calibrated pose, so it is not taken for syllables
    yaw = lambda t: 10.0 * math.sin(2 * math.pi * 1.0 * t) if t >= 8 else 0.0
    dark = lambda t: 0.30 + 0.02 * yaw(t) if abs(yaw(t)) > 6 else 0.30
    obs = with_dark(faces(0, 30, mouth=closed_landmarks(), yaw=yaw), dark)
    incs, _ = judge(obs, audio(0, 30))
    assert of_type(incs, "mouthing") == []


def test_without_a_measured_dark_share_the_picture_is_not_judged():
    # old calibrations (and recordings replayed from a journal) have no dark share: the landmarks alone decide
    cal = Calibration.from_dict({"mouth_rest": 0.003, "mouth_spread": 0.002})
    assert cal.mouth_dark_top == 1.0
    syl = syllables(5, 30, seed=11)
    obs = with_dark(faces(0, 35, mouth=closed_landmarks()), dark_share(syl))
    incs, _ = run(RuleEngine(cal, "standard"), obs, audio(0, 35))
    assert of_type(incs, "mouthing") == []


# ------------------------------------------------------------------------------------------------ the measure
def test_mouth_dark_is_the_share_of_the_lips_region_darker_than_the_face():
    img = np.full((240, 320, 3), 150, np.uint8)
    pts = np.zeros((478, 2), np.float32)
    # an outer lip contour: an ellipse 60 x 24 px around (160, 150), in Face Mesh's order
    from proctorprep.perception.mouth import _LIPS_OUTER

    ang = np.linspace(0, 2 * np.pi, len(_LIPS_OUTER), endpoint=False)
    pts[_LIPS_OUTER] = np.stack([160 + 30 * np.cos(ang), 150 + 12 * np.sin(ang)], axis=1)
    assert mouth_dark(img, pts, 150.0) == 0.0
    cv2.ellipse(img, (160, 150), (15, 6), 0, 0, 360, (20, 20, 20), -1)      # a dark opening, a quarter of the area
    share = mouth_dark(img, pts, 150.0)
    assert share == pytest.approx(0.25, abs=0.06)
    assert mouth_dark(img, pts, 20.0 / DARK_OF_FACE - 1) == 0.0                # a face as dark as the opening
    assert mouth_dark(img, pts, None) is None
    pts[_LIPS_OUTER] += 1000                                                   # off the frame
    assert mouth_dark(img, pts, 150.0) is None


def test_syllables_whose_lips_do_not_close_between_them_start_mouthing_in_time():
    # the lips stay apart between syllables (0.12 .. 0.22, never back near the rest of 0.02): each fall by a whole
    # amplitude from its peak closes a syllable, so the rhythm is seen while the dwell builds up
    mouth = lambda t: 0.17 + 0.05 * math.sin(2 * math.pi * 3.0 * t) if t >= 8 else 0.02
    obs = faces(0, 20, mouth=mouth)
    incs, ups = run(RuleEngine(calibrated(obs), "standard"), [o for o in obs if o.t_s >= 5.0], audio(5, 20))
    (inc,) = of_type(incs, "mouthing")
    opened = [u for u in ups if u.kind == "opened" and u.incident.type == "mouthing"][0]
    assert inc.start_s < 8.5 and opened.incident.evidence["decided_s"] - 8.0 <= 2.0 + 0.5
