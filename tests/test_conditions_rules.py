"""The exam-condition rules on hand-written streams: second_screen, left_exam_window, left_before_start,
other_voice (and talking's side of it), camera_moved; each at, just below and just above its threshold."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from proctorprep.perception.scene import SceneSignature, signature
from proctorprep.rules import conditions as cd
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.engine import RuleEngine
from proctorprep.rules.thresholds import thresholds_for
from tests.fixtures.obs_streams import audio, faces, run

CAL = Calibration(noise_floor_dbfs=-60.0)
THR = thresholds_for("standard")


def engine(profile: str = "standard", **kw) -> RuleEngine:
    return RuleEngine(CAL, profile, **kw)


def of_type(incidents, kind):
    return [i for i in incidents if i.type == kind]


def ev(t: float, kind: str, value, **detail) -> cd.ConditionEvent:
    return cd.ConditionEvent(t, kind, value, detail)


def drive(e: RuleEngine, events, end_s: float, fps: float = 5.0, face_kw=None):
    """Events at their times, with face observations (ticks) between them; returns (incidents, updates)."""
    items = [(x.t_s, 0, x) for x in events] + [(o.t_s, 1, o) for o in faces(0, end_s, fps=fps, **(face_kw or {}))]
    ups = []
    for _, kind, x in sorted(items, key=lambda i: (i[0], i[1])):
        ups += e.feed_event(x) if kind == 0 else e.feed_face(x)
    ups += e.finish(end_s)
    return e.incidents(), ups


# ------------------------------------------------------------------------------------------------ events
def test_a_condition_event_refuses_an_unknown_kind_or_value():
    with pytest.raises(cd.ConditionError, match="unknown condition kind"):
        cd.ConditionEvent(0.0, "moon", 1)
    with pytest.raises(cd.ConditionError, match="screen count"):
        cd.ConditionEvent(0.0, cd.SCREENS, "two")
    with pytest.raises(cd.ConditionError, match="unknown window value"):
        cd.ConditionEvent(0.0, cd.WINDOW, "sideways")
    e = ev(3.0, cd.SCREENS, 2, names=["A", "B"])
    assert cd.ConditionEvent.from_dict(3.0, e.to_dict()) == e


# ------------------------------------------------------------------------------------------------ second_screen
@pytest.mark.parametrize("count, expected", [(1, 0), (2, 1), (3, 1)])
def test_second_screen_at_the_check_in_is_an_incident_at_once(count, expected):
    incs, ups = drive(engine(), [ev(0.0, cd.SCREENS, count, names=[f"S{i}" for i in range(count)]),
                                 ev(0.5, cd.PHASE, cd.EXAM)], 10.0)
    found = of_type(incs, "second_screen")
    assert len(found) == expected
    if expected:
        assert found[0].evidence["at_check_in"] is True and found[0].end_s == pytest.approx(10.0)
        assert f"{count} screens connected at the check-in" in found[0].explanation
        assert found[0].severity == "critical"
        opened = [u for u in ups if u.kind == "opened" and u.incident.type == "second_screen"]
        assert opened[0].incident.evidence["decided_s"] == 0.0


def test_a_screen_added_mid_exam_is_an_incident_at_once_and_ends_when_it_is_unplugged():
    incs, ups = drive(engine(), [ev(0.0, cd.SCREENS, 1), ev(0.1, cd.PHASE, cd.EXAM),
                                 ev(4.0, cd.SCREENS, 2, names=["Built-in", "HDMI-1"]), ev(7.5, cd.SCREENS, 1)], 10.0)
    (inc,) = of_type(incs, "second_screen")
    assert (inc.start_s, inc.end_s) == (4.0, 7.5)
    assert "during the exam" in inc.explanation and "HDMI-1" in inc.explanation
    assert [u.kind for u in ups if u.incident.type == "second_screen"] == ["opened", "closed"]


# ------------------------------------------------------------------------------------------------ left_exam_window
@pytest.mark.parametrize("away_s, expected", [(THR.window_grace_s - 0.4, 0), (THR.window_grace_s, 1),
                                              (THR.window_grace_s + 0.4, 1)])
def test_leaving_the_exam_window_longer_than_the_grace_is_an_incident(away_s, expected):
    incs, ups = drive(engine(), [ev(0.0, cd.PHASE, cd.EXAM), ev(2.0, cd.WINDOW, cd.INACTIVE),
                                 ev(2.0 + away_s, cd.WINDOW, cd.ACTIVE)], 30.0)
    found = of_type(incs, "left_exam_window")
    assert len(found) == expected
    if expected:
        assert found[0].start_s == 2.0 and found[0].end_s == pytest.approx(2.0 + away_s)
        assert "another window was in front" in found[0].explanation
        opened = [u for u in ups if u.kind == "opened" and u.incident.type == "left_exam_window"]
        # the grace runs out on the engine's clock (ticks), not at the next event
        assert opened[0].incident.evidence["decided_s"] == pytest.approx(2.0 + THR.window_grace_s, abs=0.21)


@pytest.mark.parametrize("exits, expected", [(THR.window_exits - 1, 0), (THR.window_exits, 1),
                                             (THR.window_exits + 1, 1)])
def test_leaving_the_exam_window_often_is_an_incident_however_short(exits, expected):
    events = [ev(0.0, cd.PHASE, cd.EXAM)]
    for k in range(exits):
        events += [ev(5.0 + 20 * k, cd.WINDOW, cd.MINIMISED), ev(7.0 + 20 * k, cd.WINDOW, cd.ACTIVE)]
    incs, _ = drive(engine(), events, 100.0)
    found = of_type(incs, "left_exam_window")
    assert len(found) == expected
    if expected:
        assert found[0].evidence["often"] is True and found[0].evidence["state"] == cd.MINIMISED
        assert f"{THR.window_exits} times" in found[0].explanation


def test_exits_spread_wider_than_the_window_are_not_often():
    events = [ev(0.0, cd.PHASE, cd.EXAM)]
    gap = THR.window_exits_s / (THR.window_exits - 1) + 5
    for k in range(THR.window_exits):
        events += [ev(5.0 + gap * k, cd.WINDOW, cd.INACTIVE), ev(6.0 + gap * k, cd.WINDOW, cd.ACTIVE)]
    incs, _ = drive(engine(), events, 5.0 + gap * THR.window_exits)
    assert of_type(incs, "left_exam_window") == []


def test_leaving_the_window_during_a_break_is_fine():
    incs, _ = drive(engine(), [ev(0.0, cd.PHASE, cd.EXAM), ev(2.0, cd.PHASE, cd.BREAK),
                               ev(3.0, cd.WINDOW, cd.MINIMISED), ev(40.0, cd.WINDOW, cd.ACTIVE),
                               ev(41.0, cd.PHASE, cd.EXAM)], 50.0)
    assert of_type(incs, "left_exam_window") == []


def test_the_grace_follows_the_profile():
    events = [ev(0.0, cd.PHASE, cd.EXAM), ev(1.0, cd.WINDOW, cd.LEFT_FULL_SCREEN), ev(9.0, cd.WINDOW, cd.ACTIVE)]
    assert len(of_type(drive(engine("strict"), events, 12.0)[0], "left_exam_window")) == 1
    assert of_type(drive(engine("standard"), events, 12.0)[0], "left_exam_window") == []


# ------------------------------------------------------------------------------------------------ left_before_start
@pytest.mark.parametrize("gone_s, expected", [(THR.before_start_dwell_s - 0.2, 0),
                                              (THR.before_start_dwell_s + 0.2, 1)])
def test_leaving_the_view_before_the_first_question_uses_the_stricter_dwell(gone_s, expected):
    obs = faces(0, 2) + faces(2, 2 + gone_s, faces=0) + faces(2 + gone_s, 6)
    e = engine()
    e.feed_event(ev(0.0, cd.PHASE, cd.PRE_START))
    ups = []
    for o in obs:
        if o.t_s >= 5.0 and not e.on_break and getattr(e, "_started", False) is False:
            ups += e.feed_event(ev(5.0, cd.PHASE, cd.EXAM))
            e._started = True
        ups += e.feed_face(o)
    ups += e.finish(6.0)
    incs = e.incidents()
    assert len(of_type(incs, "left_before_start")) == expected
    assert of_type(incs, "face_missing") == []        # not both: one rule judges each phase
    if expected:
        assert "before the first question" in of_type(incs, "left_before_start")[0].explanation


def test_the_same_absence_after_the_first_question_is_face_missing_with_its_own_dwell():
    e = engine()
    e.feed_event(ev(0.0, cd.PHASE, cd.PRE_START))
    e.feed_event(ev(1.0, cd.PHASE, cd.EXAM))
    short = THR.before_start_dwell_s + 0.3          # long enough before the start, too short in the exam
    incs, _ = run(e, faces(1, 3) + faces(3, 3 + short, faces=0) + faces(3 + short, 8))
    assert of_type(incs, "left_before_start") == [] and of_type(incs, "face_missing") == []
    e2 = engine()
    e2.feed_event(ev(0.0, cd.PHASE, cd.EXAM))
    incs2, _ = run(e2, faces(0, 2) + faces(2, 2 + THR.missing_dwell_s + 0.3, faces=0) + faces(4.5, 8))
    assert len(of_type(incs2, "face_missing")) == 1


def test_a_recording_without_phases_judges_face_missing_as_before():
    incs, _ = run(engine(), faces(0, 2) + faces(2, 5, faces=0) + faces(5, 8))
    assert len(of_type(incs, "face_missing")) == 1 and of_type(incs, "left_before_start") == []


# ------------------------------------------------------------------------------------------------ breaks
def test_nothing_from_camera_or_microphone_is_judged_during_a_break():
    e = engine()
    e.feed_event(ev(0.0, cd.PHASE, cd.EXAM))
    ups = []
    obs = faces(0, 2) + faces(2, 30, faces=0) + faces(30, 35)
    items = sorted([(o.t_s, 1, o) for o in obs] + [(a.t_s, 0, a) for a in audio(0, 35, prob=lambda t: 0.9 if 10 < t < 20 else 0.0, db=lambda t: -30 if 10 < t < 20 else -55)], key=lambda x: (x[0], x[1]))
    for t, k, o in items:
        if t >= 2.5 and not e.on_break and t < 29:
            ups += e.feed_event(ev(2.5, cd.PHASE, cd.BREAK))
        if t >= 29 and e.on_break:
            ups += e.feed_event(ev(29.0, cd.PHASE, cd.EXAM))
        ups += e.feed_audio(o) if k == 0 else e.feed_face(o)
    ups += e.finish(35.0)
    assert [i.type for i in e.incidents()] == []     # the 0.5 s out of view before the break is under the dwell


# ------------------------------------------------------------------------------------------------ other_voice
def lips(rate_hz: float = 4.0, amp: float = 0.12, start: float = 0.0):
    return lambda t: 0.02 + amp * max(0.0, math.sin(2 * math.pi * rate_hz * (t - start)))


def speech(t0: float, t1: float):
    return audio(0, 12, prob=lambda t: 0.95 if t0 <= t < t1 else 0.02, db=lambda t: -28 if t0 <= t < t1 else -58)


@pytest.mark.parametrize("seconds, expected", [(THR.other_voice_dwell_s - 0.3, 0), (THR.other_voice_dwell_s + 0.3, 1)])
def test_a_voice_while_the_lips_stay_closed_is_another_voice_not_talking(seconds, expected):
    incs, _ = run(engine(), faces(0, 12), speech(3, 3 + seconds))
    assert len(of_type(incs, "other_voice")) == expected
    assert of_type(incs, "talking") == []
    if expected:
        assert "lips stayed still and closed" in of_type(incs, "other_voice")[0].explanation


def test_the_same_voice_with_the_lips_moving_is_talking_not_another_voice():
    obs = faces(0, 3) + faces(3, 7, mouth=lips(start=3)) + faces(7, 12)
    incs, _ = run(engine(), obs, speech(3, 7))
    assert len(of_type(incs, "talking")) == 1
    assert of_type(incs, "other_voice") == [] and of_type(incs, "mouthing") == []


@pytest.mark.parametrize("gap, still", [(THR.lips_still * 0.05 * 0.8, True), (THR.lips_still * 0.05 * 1.3, False)])
def test_lips_count_as_closed_within_the_still_share_of_a_mouthing_opening(gap, still):
    # the lips held a little open (no rhythm): within `lips_still` of an opening they are closed, beyond it not
    incs, _ = run(engine(), faces(0, 12, mouth=0.02 + gap), speech(3, 7))
    assert bool(of_type(incs, "other_voice")) is still
    assert bool(of_type(incs, "talking")) is not still


def test_without_a_trustworthy_face_a_voice_is_talking_and_never_another_voice():
    incs, _ = run(engine(), faces(0, 12, trust=False), speech(3, 7))
    assert of_type(incs, "other_voice") == [] and len(of_type(incs, "talking")) == 1


def test_audio_only_sessions_keep_talking_as_before():
    incs, _ = run(engine(), (), speech(3, 7))
    assert len(of_type(incs, "talking")) == 1 and of_type(incs, "other_voice") == []


def test_audio_fed_ahead_of_the_picture_still_sees_the_lips():
    e = engine()
    sound = speech(3, 7)
    for o in faces(0, 12):
        while sound and sound[0].t_s < o.t_s + 1.0:     # the sound a second ahead, as a file feeder may
            e.feed_audio(sound.pop(0))
        e.feed_face(o)
    e.finish(12.0)
    assert len(of_type(e.incidents(), "other_voice")) == 1 and of_type(e.incidents(), "talking") == []


# ------------------------------------------------------------------------------------------------ camera_moved
@functools.lru_cache(maxsize=1)
def _wall() -> np.ndarray:
    import cv2

    noise = np.random.default_rng(0).normal(0, 1, (120, 160)).astype(np.float32)
    return 120 + 25 * cv2.GaussianBlur(noise, (0, 0), 2.0) / 0.15


def scene(t: float, shift_px: float, usable: bool = True) -> SceneSignature:
    """A hand-made signature of a textured wall seen by a camera moved `shift_px` pixels (of 96) sideways."""
    x0 = 30 + int(round(shift_px))
    g = _wall()[20:92, x0:x0 + 96].astype(np.float32)
    mask = np.ones((72, 96), bool)
    mask[30:, 30:66] = False                    # the candidate's head and body
    return SceneSignature(t, g, mask, 0.1, 120.0, usable)


def feed_scenes(e: RuleEngine, plan, end_s: float, fps: float = 3.0):
    ups = []
    for t in np.arange(0, end_s, 1 / fps):
        ups += e.feed_scene(scene(float(t), plan(float(t))))
    ups += e.finish(end_s)
    return e.incidents(), ups


def test_camera_moved_needs_the_change_threshold_and_the_dwell():
    from proctorprep.perception.scene import compare

    ref = scene(0, 0)
    small, big = compare(ref, scene(0, 1)).change, compare(ref, scene(0, 4)).change
    assert small < THR.camera_change < big        # 1 px of 96 is jitter, 4 px (4 %) a move
    moved = lambda px: (lambda t: px if 4 <= t < 9 else 0)   # noqa: E731
    for px, expected in ((0, 0), (1, 0), (4, 1)):
        incs, _ = feed_scenes(engine(scene_reference=ref), moved(px), 14.0)
        assert len(of_type(incs, "camera_moved")) == expected, px
    # the same 4 px judged with the threshold set just above and just below the change it makes
    over = {"camera_change": round(big + 0.02, 3)}
    under = {"camera_change": round(big - 0.02, 3)}
    assert of_type(feed_scenes(engine(scene_reference=ref, overrides=over), moved(4), 14.0)[0], "camera_moved") == []
    assert len(of_type(feed_scenes(engine(scene_reference=ref, overrides=under), moved(4), 14.0)[0],
                       "camera_moved")) == 1
    short = lambda t: 4 if 4 <= t < 4 + THR.camera_dwell_s - 0.5 else 0   # noqa: E731
    assert of_type(feed_scenes(engine(scene_reference=ref), short, 14.0)[0], "camera_moved") == []
    (inc,) = of_type(feed_scenes(engine(scene_reference=ref), moved(4), 14.0)[0], "camera_moved")
    assert inc.evidence["shift_x"] == pytest.approx(-4 / 96, abs=0.012) and "shifted about 4%" in inc.explanation


def test_a_camera_left_in_its_new_place_is_one_incident_that_ends_once_steady():
    ref = scene(0, 0)
    incs, ups = feed_scenes(engine(scene_reference=ref), lambda t: 4 if t >= 4 else 0, 30.0)
    (inc,) = of_type(incs, "camera_moved")
    assert inc.start_s == pytest.approx(4.0, abs=0.4)
    # decided after the dwell, ended once steady for camera_settle_s: not open for the rest of the exam
    assert inc.end_s < 4.0 + THR.camera_dwell_s + THR.camera_settle_s + 1.0
    assert inc.evidence["reference"] == "check-in"


def test_without_a_check_in_reference_the_first_views_are_the_reference():
    incs, _ = feed_scenes(engine(), lambda t: 4 if t >= 6 else 0, 16.0)
    (inc,) = of_type(incs, "camera_moved")
    assert inc.evidence["reference"] == "first seconds"


def test_views_too_plain_to_tell_are_not_judged():
    e = engine(scene_reference=scene(0, 0))
    ups = []
    for t in np.arange(0, 12, 1 / 3):
        ups += e.feed_scene(scene(float(t), 6 if 3 <= t < 9 else 0, usable=not 3 <= t < 9))
    e.finish(12)
    assert of_type(e.incidents(), "camera_moved") == []


def test_a_plain_wall_signature_is_not_usable():
    wall = np.full((240, 320, 3), 150, np.uint8)
    assert signature(wall, 0.0).usable is False
