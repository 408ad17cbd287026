"""Calibration from a recording's first seconds and from the app's dot step; thresholds and their overrides."""

from __future__ import annotations

import math

import pytest

from proctorprep.perception.gaze import EYE_GAIN_DEG
from proctorprep.rules.calibration import (
    Calibration, CalibrationBuilder, CalibrationError, from_dot_calibration,
)
from proctorprep.rules.thresholds import PROFILES, ThresholdError, thresholds_for
from tests.fixtures.obs_streams import audio, face, faces


def test_builder_uses_robust_statistics_so_stray_frames_do_not_move_it():
    b = CalibrationBuilder()
    obs = faces(0, 5, yaw=lambda t: 8 + 0.5 * math.sin(t * 9), pitch=-12.0, gx=0.1, gy=-0.2,
                mouth=lambda t: 0.03 + 0.004 * math.sin(t * 5), size=0.3, x=0.45)
    obs[10] = face(obs[10].t_s, yaw=70, pitch=30, mouth=0.5)     # one glitch
    obs[20] = face(obs[20].t_s, faces=0)                          # one dropped face
    b.extend(obs, audio(0, 5, db=lambda t: -48 if t % 1 < 0.8 else -20))   # a key press now and then
    cal = b.build()
    assert cal.yaw_deg == pytest.approx(8, abs=0.5) and cal.pitch_deg == pytest.approx(-12)
    assert cal.gaze_x == pytest.approx(0.1) and cal.gaze_y == pytest.approx(-0.2)
    assert cal.mouth_rest == pytest.approx(0.03, abs=0.003) and 0.002 <= cal.mouth_spread < 0.01
    assert cal.noise_floor_dbfs == pytest.approx(-48)
    assert cal.face_size == pytest.approx(0.3) and cal.face_x == pytest.approx(0.45)
    assert cal.range_x_deg == 18.0 and cal.source == "recording" and cal.frames == 74


def test_a_candidate_moving_a_lot_while_calibrating_widens_the_range():
    obs = faces(0, 5, yaw=lambda t: 24 * math.sin(t * 3))
    b = CalibrationBuilder()
    b.extend(obs)
    cal = b.build()
    farthest = max(abs(o.yaw_deg - cal.yaw_deg) for o in obs)      # from the calibrated centre (the median)
    assert 18.0 < cal.range_x_deg <= farthest                        # as far as the head went, no further


def test_reading_sweeps_inside_the_screen_do_not_widen_the_range():
    """Eyes sweeping lines of text across +-14 degrees are spread evenly, so 3 MADs of them would claim +-25 degrees
    and hide every glance just past the edge; the range widens only to where the line of sight went."""
    def sweep(t: float) -> float:          # eye angle going evenly from -14 to +14 degrees every 2.3 s, then back
        return -14 + 28 * ((t % 2.3) / 2.3)
    obs = faces(0, 5, gx=lambda t: math.sin(math.radians(sweep(t))) / math.radians(EYE_GAIN_DEG),
                gy=lambda t: -0.05 - 0.05 * t / 5)
    b = CalibrationBuilder()
    b.extend(obs)
    cal = b.build()
    assert (cal.range_x_deg, cal.range_up_deg, cal.range_down_deg) == (18.0, 10.0, 10.0)


def test_the_eyes_of_a_blink_do_not_widen_the_range():
    # a shut eye's iris landmarks land anywhere: 8 frames of blinks reading 40 degrees to the side
    obs = faces(0, 5, gx=lambda t: 0.4 if t % 1.0 < 0.1 else 0.0, eyes=lambda t: 0.1 if t % 1.0 < 0.1 else 0.3)
    b = CalibrationBuilder()
    b.extend(obs)
    assert b.build().range_x_deg == 18.0


def test_the_lips_jitter_at_rest_is_measured_apart_from_their_slow_movement():
    still = CalibrationBuilder()
    still.extend(faces(0, 5, mouth=lambda t: 0.03 + 0.01 * math.sin(t)))       # lips moving slowly, no noise
    rng = __import__("numpy").random.default_rng(3)
    noisy = CalibrationBuilder()                                                 # a toothy smile, jittering
    noisy.extend(faces(0, 5, mouth=lambda t: 0.17 + float(rng.normal(0, 0.012))))
    a, b = still.build(), noisy.build()
    assert a.mouth_jitter < 0.002 and b.mouth_jitter == pytest.approx(0.012, rel=0.3)
    assert b.mouth_rest == pytest.approx(0.17, abs=0.01)
    assert Calibration.from_dict({k: v for k, v in b.to_dict().items() if k != "mouth_jitter"}).mouth_jitter == \
        Calibration().mouth_jitter      # a calibration saved before it existed still loads


@pytest.mark.parametrize("obs, words", [
    (faces(0, 0.5), "only 8 of 8 frames"),
    (faces(0, 5, faces=0), "only 0 of 75 frames"),
    (faces(0, 2) + faces(2, 5, faces=2), "only 30 of 75 frames"),
])
def test_too_few_clear_frames_raise_a_plain_reason(obs, words):
    b = CalibrationBuilder()
    b.extend(obs)
    with pytest.raises(CalibrationError, match=words):
        b.build()


def test_calibration_round_trips_and_loads_tolerantly():
    cal = Calibration(yaw_deg=3.25, range_x_deg=21.0, source="dots", frames=120)
    d = cal.to_dict()
    assert Calibration.from_dict(d) == cal
    assert Calibration.from_dict({"yaw_deg": 2, "unknown": 1}).yaw_deg == 2.0
    with pytest.raises(CalibrationError, match="'pitch_deg'"):
        Calibration.from_dict({"pitch_deg": "up"})


def test_dot_calibration_measures_the_on_screen_range_from_the_corners():
    eyes6 = math.sin(math.radians(6)) / math.radians(EYE_GAIN_DEG)     # iris offset of eyes turned 6°
    points = {
        "centre": faces(0, 2, yaw=5, pitch=-10),
        "top_left": faces(0, 1, yaw=5 + 14, pitch=-10 + 6, gx=eyes6),       # 14° head + 6° eyes = 20°, 6° up
        "top_right": faces(0, 1, yaw=5 - 14, pitch=-10 + 6, gx=-eyes6),
        "bottom_left": faces(0, 1, yaw=5 + 14, pitch=-10 - 12, gx=eyes6),
        "bottom_right": faces(0, 1, yaw=5 - 14, pitch=-10 - 12, gx=-eyes6),
    }
    cal = from_dot_calibration(points, margin_deg=2.0)
    assert cal.source == "dots" and cal.yaw_deg == pytest.approx(5) and cal.pitch_deg == pytest.approx(-10)
    assert cal.range_x_deg == pytest.approx(22) and cal.range_up_deg == pytest.approx(8)
    assert cal.range_down_deg == pytest.approx(14)


def test_dot_calibration_names_the_target_without_a_face():
    points = {t: faces(0, 1) for t in ("centre", "top_left", "top_right", "bottom_left")}
    points["bottom_right"] = faces(0, 1, faces=0)
    with pytest.raises(CalibrationError, match="bottom right"):
        from_dot_calibration(points)


# ------------------------------------------------------------------------------------------------ thresholds
def test_profiles_get_stricter_in_order():
    le, st, sc = (PROFILES[p] for p in ("lenient", "standard", "strict"))
    for name in ("away_dwell_s", "talk_dwell_s", "mouth_dwell_s", "missing_dwell_s", "away_margin_deg"):
        assert getattr(le, name) > getattr(st, name) > getattr(sc, name), name


def test_overrides_apply_and_bad_ones_are_named():
    assert thresholds_for("standard", {"away_dwell_s": 3}).away_dwell_s == 3.0
    assert thresholds_for("standard", {"glance_count": 5.0}).glance_count == 5
    with pytest.raises(ThresholdError, match="'away_dwel_s' is not a known threshold"):
        thresholds_for("standard", {"away_dwel_s": 3})
    with pytest.raises(ThresholdError, match="'speech_prob'"):
        thresholds_for("standard", {"speech_prob": 5})
    with pytest.raises(ThresholdError, match="unknown profile 'paranoid'"):
        thresholds_for("paranoid")
