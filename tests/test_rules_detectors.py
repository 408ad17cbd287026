"""Each detector on hand-written observation streams: at, just below and just above its thresholds, and the
everyday things (blinks, reading, a cough, a yawn, a key press) that must never become incidents."""

from __future__ import annotations

import math

import numpy as np
import pytest

from proctorprep.perception.gaze import EYE_GAIN_DEG
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors import DwellGate
from proctorprep.rules.engine import RuleEngine
from proctorprep.rules.thresholds import thresholds_for
from tests.fixtures.obs_streams import audio, faces, run

CAL = Calibration(noise_floor_dbfs=-60.0)          # on-screen range ±18° sideways, 10° up, 10° down
THR = thresholds_for("standard")                   # enter at range + 6°, dwell 2.0 s


def engine(**kw) -> RuleEngine:
    return RuleEngine(CAL, "standard", **kw)


def of_type(incidents, kind):
    return [i for i in incidents if i.type == kind]


# ------------------------------------------------------------------------------------------------ the dwell gate
def test_gate_opens_at_dwell_and_closes_after_off_time():
    g = DwellGate(on_s=1.0, off_s=0.5)
    kinds = []
    for i in range(40):
        t = i * 0.1
        kinds += [(round(t, 1), e.kind, round(e.start_s, 1), round(e.end_s, 1)) for e in g.update(t, 1.0 <= t < 2.5)]
    assert kinds == [(1.0, "started", 1.0, 1.0), (2.0, "opened", 1.0, 2.0), (3.0, "closed", 1.0, 2.5)]


def test_gate_unknown_samples_neither_build_nor_break_until_the_gap_is_too_long():
    g = DwellGate(on_s=1.0, off_s=0.5, max_gap_s=1.0)
    assert [e.kind for e in g.update(0.0, True)] == ["started"]
    assert g.update(0.5, None) == []
    assert [e.kind for e in g.update(1.0, True)] == ["opened"]
    assert [e.kind for e in g.update(2.2, None)] == ["closed"]     # 1.2 s without evidence


# ------------------------------------------------------------------------------------------------ looking_away
@pytest.mark.parametrize("seconds, expected", [(1.9, 0), (2.2, 1)])
def test_long_look_needs_the_dwell(seconds, expected):
    obs = faces(0, 5) + faces(5, 5 + seconds, yaw=32) + faces(5 + seconds, 12)
    incs, _ = run(engine(), obs)
    assert len(of_type(incs, "looking_away")) == expected


@pytest.mark.parametrize("yaw, expected", [(23.5, 0), (24.5, 1)])
def test_long_look_angle_threshold_is_range_plus_margin(yaw, expected):
    incs, _ = run(engine(), faces(0, 2) + faces(2, 8, yaw=yaw) + faces(8, 10))
    assert len(of_type(incs, "looking_away")) == expected


def test_long_look_incident_says_what_where_and_how_long():
    incs, ups = run(engine(), faces(0, 3) + faces(3, 7.1, yaw=32) + faces(7.1, 10))
    (inc,) = of_type(incs, "looking_away")
    assert inc.direction == "left"
    assert inc.start_s == pytest.approx(3.0, abs=0.1) and inc.end_s == pytest.approx(7.1, abs=0.1)
    assert inc.explanation == "Head turned 32° to the left for 4.1 s; on-screen range is ±18°"
    assert inc.evidence["peak_angle_deg"] == 32.0 and inc.evidence["range_deg"] == 18.0
    assert inc.advice and 0.5 < inc.confidence <= 1.0
    opened = [u for u in ups if u.kind == "opened" and u.incident.type == "looking_away"]
    assert len(opened) == 1 and opened[0].incident.evidence["decided_s"] == pytest.approx(5.0, abs=0.1)


def offset_for(eye_deg: float) -> float:
    """The iris offset of an eye turned by eye_deg on the physical eye model (perception.gaze.eye_angle_deg)."""
    return math.sin(math.radians(eye_deg)) / math.radians(EYE_GAIN_DEG)


@pytest.mark.parametrize("kw, direction, who", [
    ({"yaw": -35}, "right", "Head"),
    ({"gx": offset_for(30)}, "left", "Eyes"),                  # eyes alone: 30°
    ({"yaw": 15, "gx": offset_for(15)}, "left", "Head turned 15° and eyes further to the left (30° in all)"),
    ({"pitch": -25}, "down", "Head"),
    ({"pitch": 18}, "up", "Head"),
])
def test_direction_is_from_the_candidates_point_of_view_and_combines_head_and_eyes(kw, direction, who):
    incs, _ = run(engine(), faces(0, 2) + faces(2, 6, **kw) + faces(6, 8))
    (inc,) = of_type(incs, "looking_away")
    assert inc.direction == direction
    assert inc.explanation.startswith(who if "eyes further" in who else who + " turned")


def test_hysteresis_keeps_a_look_open_between_exit_and_enter_margins():
    # opens at 30°, then hovers at 21.5° (inside enter 24°, outside exit 20°): one incident until it drops to 10°
    incs, _ = run(engine(), faces(0, 2) + faces(2, 5, yaw=30) + faces(5, 9, yaw=21.5) + faces(9, 12, yaw=10))
    (inc,) = of_type(incs, "looking_away")
    assert inc.end_s == pytest.approx(9.0, abs=0.1)


def test_reading_across_the_screen_with_blinks_is_never_looking_away():
    # eyes sweep ±15° like reading lines, head sways ±3°, a blink every 3 s (gaze unreliable, eyes shut)
    def gx(t):
        return offset_for(15.0 * math.sin(2 * math.pi * t / 4.0))

    def eyes(t):
        return 0.05 if (t % 3.0) < 0.2 else 0.3

    def gy(t):
        return -0.8 if (t % 3.0) < 0.2 else offset_for(-3.0 * (t % 4.0))   # the iris "drops" during a blink

    obs = faces(0, 120, gx=gx, gy=gy, eyes=eyes, yaw=lambda t: 3 * math.sin(t / 5), pitch=lambda t: -4 * (t % 4) / 4)
    incs, _ = run(engine(), obs)
    assert incs == []


@pytest.mark.parametrize("n, length, spacing, expected", [
    (4, 0.8, 6.0, 1),     # four glances of 0.8 s within 30 s: frequent glances
    (3, 0.8, 6.0, 0),     # three are not enough
    (4, 0.4, 6.0, 0),     # glances shorter than 0.5 s do not count
    (4, 0.8, 11.0, 0),    # spread over more than 30 s
])
def test_frequent_glances(n, length, spacing, expected):
    obs = faces(0, 2)
    t = 2.0
    for _ in range(n):
        obs += faces(t, t + length, yaw=-35) + faces(t + length, t + spacing)
        t += spacing
    incs, _ = run(engine(), obs)
    found = of_type(incs, "looking_away")
    assert len(found) == expected
    if expected:
        assert found[0].evidence["kind"] == "glances" and found[0].direction == "right"
        assert found[0].explanation.startswith("4 glances to the right")
        # raised as soon as the fourth glance has lasted glance_min_s (a live warning), spanning all four
        assert found[0].evidence["decided_s"] == pytest.approx(2 + 3 * spacing + THR.glance_min_s, abs=0.1)
        assert found[0].start_s == pytest.approx(2.0, abs=0.1)
        assert found[0].end_s == pytest.approx(2 + 3 * spacing + length, abs=0.1)


def test_a_fourth_glance_that_turns_into_a_long_look_is_one_incident():
    obs = faces(0, 2)
    for k in range(3):
        obs += faces(2 + 5 * k, 2.8 + 5 * k, yaw=35) + faces(2.8 + 5 * k, 7 + 5 * k)
    obs += faces(17, 22, yaw=35) + faces(22, 25)
    incs, ups = run(engine(), obs)
    (inc,) = of_type(incs, "looking_away")
    assert inc.evidence["kind"] == "glances" and inc.end_s == pytest.approx(22, abs=0.1)
    assert [u.kind for u in ups] == ["opened", "closed"]


def test_no_trustworthy_face_is_not_looking_away():
    incs, _ = run(engine(), faces(0, 2) + faces(2, 8, yaw=40, trust=False) + faces(8, 10))
    assert of_type(incs, "looking_away") == []


# ------------------------------------------------------------------------------------------------ talking
@pytest.mark.parametrize("seconds, expected", [(1.4, 0), (1.7, 1)])
def test_talking_needs_the_dwell(seconds, expected):
    a = audio(0, 3) + audio(3, 3 + seconds, prob=0.9, db=-25) + audio(3 + seconds, 8)
    incs, _ = run(engine(), audio_obs=a)
    assert len(of_type(incs, "talking")) == expected


@pytest.mark.parametrize("prob, db, expected", [(0.49, -25, 0), (0.5, -25, 1), (0.9, -57.5, 0), (0.9, -56.5, 1)])
def test_talking_needs_a_sure_voice_above_the_room_noise(prob, db, expected):
    incs, _ = run(engine(), audio_obs=audio(0, 2) + audio(2, 6, prob=prob, db=db) + audio(6, 9))
    assert len(of_type(incs, "talking")) == expected


def test_pauses_between_words_are_bridged_and_a_cough_is_not_talking():
    def words(t):   # 0.5 s words with 0.4 s pauses, for 4 s
        return 0.95 if (t - 2.0) % 0.9 < 0.5 else 0.05

    a = audio(0, 2) + audio(2, 6, prob=words, db=-24) + audio(6, 10) + audio(10, 10.35, prob=0.8, db=-20) \
        + audio(10.35, 14)
    incs, _ = run(engine(), audio_obs=a)
    (inc,) = of_type(incs, "talking")
    assert inc.start_s == pytest.approx(2.0, abs=0.05) and inc.end_s == pytest.approx(5.9, abs=0.15)
    assert "Speech heard for" in inc.explanation and "dB above the room's noise" in inc.explanation


def test_typing_clicks_loud_but_not_speech_are_not_talking():
    a = audio(0, 20, prob=lambda t: 0.1 if (t * 7) % 1 < 0.3 else 0.02, db=lambda t: -20 if (t * 7) % 1 < 0.3 else -55)
    incs, _ = run(engine(), audio_obs=a)
    assert incs == []


# ------------------------------------------------------------------------------------------------ mouthing
def lips(rate_hz: float = 4.0, amp: float = 0.12, start: float = 0.0):
    """Mouth opening oscillating like syllables above the rest of 0.02."""
    return lambda t: 0.02 + amp * max(0.0, math.sin(2 * math.pi * rate_hz * (t - start)))


def test_mouthing_lips_moving_in_silence():
    obs = faces(0, 3) + faces(3, 7, mouth=lips(start=3)) + faces(7, 10)
    incs, ups = run(engine(), obs, audio(0, 10))
    (inc,) = of_type(incs, "mouthing")
    # the end is judged once the lips have been still for a syllable gap (0.6 s)
    assert inc.start_s == pytest.approx(3.0, abs=0.35) and inc.end_s == pytest.approx(7.0, abs=0.6)
    assert inc.evidence["no_audio"] is False and "no voice was heard" in inc.explanation
    assert of_type(incs, "talking") == []
    opened = [u for u in ups if u.kind == "opened" and u.incident.type == "mouthing"][0]
    assert opened.incident.evidence["decided_s"] - 3.0 <= THR.mouth_dwell_s + 0.5


@pytest.mark.parametrize("amp, expected", [(0.045, 0), (0.06, 1)])
def test_mouthing_amplitude_threshold(amp, expected):
    obs = faces(0, 3) + faces(3, 8, mouth=lips(amp=amp, start=3)) + faces(8, 10)
    incs, _ = run(engine(), obs, audio(0, 10))
    assert len(of_type(incs, "mouthing")) == expected


def test_lips_moving_while_speech_is_heard_is_talking_not_mouthing_even_with_audio_late():
    obs = faces(0, 3) + faces(3, 7, mouth=lips(start=3)) + faces(7, 10)
    # the voice arrives 0.4 s after the picture (audio lag)
    a = audio(0, 3.4) + audio(3.4, 7.4, prob=0.95, db=-24) + audio(7.4, 10)
    incs, _ = run(engine(), obs, a)
    assert of_type(incs, "mouthing") == []
    assert len(of_type(incs, "talking")) == 1


def test_mouthing_waits_for_late_audio_before_deciding():
    e = engine()
    ups = []
    for o in faces(0, 3) + faces(3, 7, mouth=lips(start=3)):
        ups += e.feed_face(o)
    assert [u for u in ups if u.incident.type == "mouthing"] == []     # no audio yet: cannot tell
    for a in audio(0, 7.5, prob=0.95, db=-24):                          # ... it was speech all along
        ups += e.feed_audio(a)
    ups += e.finish(7.5)
    assert [u for u in ups if u.incident.type == "mouthing"] == []


def test_a_stalled_microphone_does_not_hold_mouthing_back_forever():
    e = engine()
    ups = []
    for o in faces(0, 3) + faces(3, 9, mouth=lips(start=3)):     # the audio never comes
        ups += e.feed_face(o)
    opened = [u for u in ups if u.kind == "opened" and u.incident.type == "mouthing"]
    assert len(opened) == 1 and opened[0].incident.evidence["decided_s"] <= 3.0 + THR.mouth_dwell_s + 0.5


def test_without_audio_mouthing_says_it_may_be_talking():
    obs = faces(0, 3) + faces(3, 7, mouth=lips(start=3)) + faces(7, 10)
    incs, _ = run(engine(has_audio=False), obs)
    (inc,) = of_type(incs, "mouthing")
    assert inc.evidence["no_audio"] is True and inc.confidence == pytest.approx(0.6)
    assert "no sound was being recorded" in inc.explanation and "openings" not in inc.explanation


def test_lips_are_not_judged_while_the_head_is_turned_away():
    # the measured lip gap jitters with a large head turn; that look is looking_away, not mouthing
    obs = faces(0, 3) + faces(3, 7, yaw=35, mouth=lips(start=3)) + faces(7, 10)
    incs, _ = run(engine(), obs, audio(0, 10))
    assert [i.type for i in incs] == ["looking_away"]


def test_a_yawn_or_held_open_mouth_is_not_mouthing():
    obs = faces(0, 3) + faces(3, 6, mouth=0.4) + faces(6, 10)
    incs, _ = run(engine(), obs, audio(0, 10))
    assert incs == []


def irregular_speech(t0: float, t1: float, seed: int = 5):
    """Lip gap of a person talking without voice: syllables at 2-6 Hz of irregular, often small amplitude (0.03 to
    0.10 above rest), lips not always closing between them, and phrase pauses of 0.3-1.2 s every 3-8 syllables."""
    rng = np.random.default_rng(seed)
    segs, t = [], t0
    while t < t1:
        for _ in range(int(rng.integers(3, 9))):
            dur = float(rng.uniform(1 / 6, 1 / 2))
            segs.append((t, dur, float(rng.uniform(0.03, 0.10)), float(rng.uniform(0.0, 0.015))))
            t += dur
        t += float(rng.uniform(0.3, 1.2))

    def mouth(x: float) -> float:
        for start, dur, amp, floor in segs:
            if start <= x < start + dur:
                return 0.02 + floor + amp * math.sin(math.pi * (x - start) / dur)
        return 0.02
    return mouth


def test_a_minute_of_continuous_irregular_lip_motion_is_one_incident():
    obs = faces(0, 5) + faces(5, 65, mouth=irregular_speech(5, 65)) + faces(65, 70)
    incs, _ = run(engine(), obs, audio(0, 70))
    found = of_type(incs, "mouthing")
    assert len(found) == 1, [(round(i.start_s, 1), round(i.end_s, 1)) for i in found]
    covered = found[0].end_s - found[0].start_s
    assert covered >= 0.8 * 60 and found[0].start_s < 8 and found[0].end_s > 63


def test_lips_that_stop_for_a_few_seconds_end_the_run():
    """Following continuous speech does not glue separate episodes: 4 s of still lips end the incident."""
    speech = irregular_speech(0, 100, seed=8)
    obs = (faces(0, 3) + faces(3, 15, mouth=lambda t: speech(t)) + faces(15, 19)
           + faces(19, 30, mouth=lambda t: speech(t)) + faces(30, 33))
    incs, _ = run(engine(), obs, audio(0, 33))
    found = of_type(incs, "mouthing")
    assert len(found) == 2
    assert found[0].end_s < 16 and found[1].start_s > 18


# ------------------------------------------------------------------------------------------------ faces in view
@pytest.mark.parametrize("seconds, expected", [(1.4, 0), (1.7, 1)])
def test_face_missing_needs_the_dwell(seconds, expected):
    incs, _ = run(engine(), faces(0, 2) + faces(2, 2 + seconds, faces=0) + faces(2 + seconds, 5))
    assert len(of_type(incs, "face_missing")) == expected
    if expected:
        assert incs[0].explanation == "No face in view for 1.7 s"


@pytest.mark.parametrize("seconds, expected", [(0.9, 0), (1.2, 1)])
def test_multiple_faces_needs_the_dwell_and_is_critical(seconds, expected):
    incs, _ = run(engine(), faces(0, 2) + faces(2, 2 + seconds, faces=2) + faces(2 + seconds, 5))
    found = of_type(incs, "multiple_faces")
    assert len(found) == expected
    if expected:
        assert found[0].severity == "critical" and found[0].explanation.startswith("2 faces in view")


def test_a_flickering_second_face_is_not_another_person():
    obs = faces(0, 20, faces=lambda t: 2 if (t * 15) % 10 < 1 else 1)     # one frame in ten
    incs, _ = run(engine(), obs)
    assert incs == []


# ------------------------------------------------------------------------------------------------ restless
def sway(amp_face_widths: float, hz: float, start: float = 0.0):
    return lambda t: 0.5 + amp_face_widths * 0.25 * math.sin(2 * math.pi * hz * (t - start))


@pytest.mark.parametrize("amp, expected", [(0.05, 0), (0.1, 0), (0.4, 1)])
def test_restless_needs_sustained_movement(amp, expected):
    obs = faces(0, 5) + faces(5, 15, x=sway(amp, 0.5, 5)) + faces(15, 25)
    incs, _ = run(engine(), obs)
    assert len(of_type(incs, "restless")) == expected
    if expected:
        inc = of_type(incs, "restless")[0]
        assert inc.start_s == pytest.approx(5.0, abs=1.0) and inc.severity == "info"
        assert inc.evidence["decided_s"] - 5.0 <= THR.restless_dwell_s + 1.0


def test_one_change_of_position_is_not_restless():
    obs = faces(0, 5) + faces(5, 6, x=lambda t: 0.5 + 0.25 * (t - 5)) + faces(6, 20, x=0.75)
    incs, _ = run(engine(), obs)
    assert of_type(incs, "restless") == []


def test_landmark_jitter_is_not_restless():
    obs = faces(0, 60, x=lambda t: 0.5 + 0.004 * math.sin(t * 37.0), size=lambda t: 0.25 + 0.003 * math.cos(t * 23))
    incs, _ = run(engine(), obs)
    assert incs == []


@pytest.mark.parametrize("axis", ["yaw", "pitch"])
def test_rocking_or_swaying_the_head_alone_is_restless(axis):
    """+-10 degrees at about 1 Hz while seated (sway: yaw; rocking: pitch), the face centre shifting only a little."""
    turn = {axis: lambda t: 10.0 * math.sin(2 * math.pi * 0.9 * (t - 5))}
    obs = faces(0, 5) + faces(5, 20, x=lambda t: 0.5 + 0.004 * math.sin(2 * math.pi * 0.9 * t), **turn) + faces(20, 30)
    incs, _ = run(engine(), obs)
    found = of_type(incs, "restless")
    assert len(found) == 1
    inc = found[0]
    assert inc.start_s == pytest.approx(5.0, abs=1.0) and inc.end_s == pytest.approx(20.0, abs=1.5)
    assert inc.evidence["turn_deg_per_s"] > 25 and inc.evidence["speed_face_widths_per_s"] < THR.restless_speed
    assert "rocking or turning" in inc.explanation


def test_reading_typing_and_one_change_of_posture_do_not_count_as_rocking():
    def reading(t):      # slow line-by-line head drift of a few degrees
        return 3.0 * math.sin(2 * math.pi * 0.25 * t)

    def typing(t):       # a look down at the keyboard (25 degrees) for a second every 8 s
        return -25.0 if t % 8.0 < 1.0 else 0.0

    obs = (faces(0, 30, yaw=reading, pitch=lambda t: 1.5 * math.sin(2 * math.pi * 0.4 * t))
           + faces(30, 60, pitch=typing)
           + faces(60, 61, yaw=lambda t: 20.0 * (t - 60), x=lambda t: 0.5 + 0.2 * (t - 60))   # one change of posture
           + faces(61, 80, yaw=20.0, x=0.7))
    incs, _ = run(engine(), obs)
    assert of_type(incs, "restless") == []


# ------------------------------------------------------------------------------------------------ face_covered
@pytest.mark.parametrize("covered, seconds, expected", [(0.3, 3, 0), (0.5, 0.8, 0), (0.5, 1.3, 1)])
def test_face_covered_by_a_hand(covered, seconds, expected):
    incs, _ = run(engine(), faces(0, 2) + faces(2, 2 + seconds, covered=covered) + faces(2 + seconds, 5))
    found = of_type(incs, "face_covered")
    assert len(found) == expected
    if expected:
        assert found[0].explanation.startswith("Hand over the face (50% of it covered)")


def test_a_hand_that_hides_the_whole_face_is_covered_not_missing():
    obs = faces(0, 2) + faces(2, 5, faces=0, covered=0.8) + faces(5, 7)
    incs, _ = run(engine(), obs)
    assert [i.type for i in incs] == ["face_covered"]


def test_a_face_that_suddenly_loses_its_mouth_is_covered_with_lower_confidence():
    obs = faces(0, 2) + faces(2, 4, trust=False, mouth_none=True) + faces(4, 6)
    incs, _ = run(engine(), obs)
    (inc,) = of_type(incs, "face_covered")
    assert inc.confidence == pytest.approx(0.6) and inc.explanation.startswith("Mouth hidden")


@pytest.mark.parametrize("kw", [{"yaw": 45}, {"x": 0.95}, {"size": 0.1}])
def test_an_untrustworthy_face_for_a_visible_reason_is_not_covered(kw):
    # a big head turn, leaning out at the frame edge, or moving far back: the mesh is unsure, nothing is covered
    incs, _ = run(engine(), faces(0, 2) + faces(2, 5, trust=False, **kw) + faces(5, 7))
    assert of_type(incs, "face_covered") == []


# ------------------------------------------------------------------------------------------------ engine
def test_engine_is_deterministic_and_closes_open_incidents_at_the_end():
    obs = faces(0, 2) + faces(2, 10, faces=0)
    a, _ = run(engine(), obs, end_s=10)
    b, _ = run(engine(), obs, end_s=10)
    assert a == b and len(a) == 1 and a[0].end_s == pytest.approx(9.93, abs=0.1)


def test_a_lost_camera_is_not_the_candidate_leaving():
    e = engine()
    ups = []
    for o in faces(0, 3) + faces(3, 4, faces=0):
        ups += e.feed_face(o)
    ups += e.device_lost(4.0)
    for o in faces(4, 10, faces=0):     # whatever arrives while lost is ignored
        ups += e.feed_face(o)
    e.device_back()
    for o in faces(10, 12):
        ups += e.feed_face(o)
    ups += e.finish(12)
    assert e.incidents() == []


def test_profiles_change_the_dwell():
    obs = faces(0, 2) + faces(2, 3.7, yaw=35) + faces(3.7, 6)
    assert of_type(run(RuleEngine(CAL, "strict"), obs)[0], "looking_away")
    assert not of_type(run(RuleEngine(CAL, "standard"), obs)[0], "looking_away")
    assert of_type(run(RuleEngine(CAL, "standard", overrides={"away_dwell_s": 1.5}), obs)[0], "looking_away")


# ------------------------------------------------------------------------------- real-face cases (issue 16)
def calibrated(obs, audio_obs=()):
    """A calibration built from a recording's first 5 s, the way `analyze` builds it."""
    from proctorprep.rules.calibration import CalibrationBuilder

    b = CalibrationBuilder()
    b.extend([o for o in obs if o.t_s < 5.0], [a for a in audio_obs if a.t_s < 5.0])
    return b.build()


def smile(seed: int = 4, syllables=None):
    """The lip gap of a toothy smile as Face Mesh reads it: wide (0.17), jittering from frame to frame (sd 0.012),
    and rising by 0.07 for a second or two as the head nods (the gap of parted lips changes with the angle)."""
    rng = np.random.default_rng(seed)

    def mouth(t: float) -> float:
        nod = 0.07 * max(0.0, math.sin(2 * math.pi * (t - 5.0) / 9.0)) ** 2
        return 0.17 + nod + float(rng.normal(0.0, 0.012)) + (syllables(t) - 0.02 if syllables else 0.0)
    return mouth


def test_a_toothy_smile_that_jitters_and_widens_is_not_mouthing():
    obs = faces(0, 120, mouth=smile())
    cal = calibrated(obs)
    assert cal.mouth_jitter == pytest.approx(0.012, rel=0.35)
    incs, _ = run(RuleEngine(cal, "standard"), [o for o in obs if o.t_s >= 5.0], audio(5, 120))
    assert of_type(incs, "mouthing") == []


def test_a_smile_that_stays_is_one_opening_not_a_rhythm():
    # lips at rest, then a wide smile held for 20 s with the jitter of parted lips
    rng = np.random.default_rng(9)
    obs = faces(0, 10) + faces(10, 30, mouth=lambda t: 0.16 + float(rng.normal(0, 0.012))) + faces(30, 35)
    incs, _ = run(RuleEngine(calibrated(obs), "standard"), [o for o in obs if o.t_s >= 5.0], audio(5, 35))
    assert of_type(incs, "mouthing") == []


def test_mouthing_through_a_smile_is_still_mouthing():
    speech = irregular_speech(20, 50, seed=6)
    syl = lambda t: 0.02 + 1.6 * (speech(t) - 0.02)           # syllables of 0.05-0.16 over the smile's gap
    obs = faces(0, 20, mouth=smile()) + faces(20, 50, mouth=smile(syllables=syl)) + faces(50, 60, mouth=smile())
    incs, _ = run(RuleEngine(calibrated(obs), "standard"), [o for o in obs if o.t_s >= 5.0], audio(5, 60))
    (inc,) = of_type(incs, "mouthing")
    assert inc.start_s < 24 and inc.end_s > 46


def test_an_eyes_only_glance_past_the_edge_is_looking_away_after_calibrating_on_reading():
    """Calibrating while reading (eyes sweeping +-14 degrees) keeps the range at the screen's +-18 degrees, so four
    glances of the eyes alone to 38 degrees, head still, are frequent glances."""
    def gx(t: float) -> float:
        if t >= 10 and (t - 10) % 4.0 < 1.0:                  # a glance every 4 s from t=10
            return offset_for(-38.0)
        return offset_for(-14 + 28 * ((t % 2.3) / 2.3))     # reading
    obs = faces(0, 30, gx=gx)
    cal = calibrated(obs)
    assert cal.range_x_deg == 18.0
    incs, _ = run(RuleEngine(cal, "standard"), [o for o in obs if o.t_s >= 5.0])
    (inc,) = of_type(incs, "looking_away")
    assert inc.direction == "right" and inc.evidence["kind"] == "glances"
