"""Pure parts of face perception, on exact synthetic landmarks: angle conventions, pose fit, smoothing lag,
gaze and mouth geometry, hand coverage, the landmark parser, trust rules."""

from __future__ import annotations

import numpy as np
import pytest

from proctorprep.perception import gaze as gaze_mod
from proctorprep.perception import mouth as mouth_mod
from proctorprep.perception.cover import coverage
from proctorprep.perception.face import FaceAnalyser, landmarks_array
from proctorprep.perception.face_model import CANONICAL
from proctorprep.perception.pose import (FACE_SHAPE, SHAPE_INDICES, Camera, HeadPoseEstimator, angles_from_matrix,
                                         camera_matrix, matrix_from_angles)

SIZE = (640, 480)


def posed_landmarks(yaw: float, pitch: float, roll: float, *, perspective: bool = False,
                    hfov_deg: float | None = None) -> np.ndarray:
    """(478, 3) pixel landmarks of the reference shape turned by the given angles, 600 mm from the camera."""
    pts = np.zeros((478, 3))
    rotated = FACE_SHAPE @ matrix_from_angles(yaw, pitch, roll).T
    if perspective:
        cam = camera_matrix(*SIZE) if hfov_deg is None else Camera(*SIZE, hfov_deg).matrix()
        z = rotated[:, 2] + 600.0
        pts[SHAPE_INDICES, 0] = cam[0, 0] * rotated[:, 0] / z + cam[0, 2]
        pts[SHAPE_INDICES, 1] = cam[1, 1] * rotated[:, 1] / z + cam[1, 2]
        pts[SHAPE_INDICES, 2] = rotated[:, 2] * cam[0, 0] / 600.0
    else:
        k = 640 / 600.0      # weak perspective, as Face Mesh reports depth
        pts[SHAPE_INDICES] = rotated * k + (320, 240, 0)
    return pts


@pytest.mark.parametrize("angles", [(0, 0, 0), (30, 0, 0), (-35, 10, 0), (0, -20, 5), (15, 15, -15)])
def test_angles_round_trip(angles):
    assert angles_from_matrix(matrix_from_angles(*angles)) == pytest.approx(angles, abs=1e-9)


def test_sign_conventions_of_the_rotation():
    nose = np.array([0.0, 0.0, -1.0])       # points at the camera
    assert (matrix_from_angles(30, 0, 0) @ nose)[0] > 0      # yaw > 0: nose to the image right (candidate's left)
    assert (matrix_from_angles(0, 20, 0) @ nose)[1] < 0      # pitch > 0: nose up (image y down)
    top = np.array([0.0, -1.0, 0.0])
    assert (matrix_from_angles(0, 0, 15) @ top)[0] > 0       # roll > 0: top of head to the image right


def test_reference_shape_is_mediapipes_canonical_metric_face():
    """The pose is fitted to MediaPipe's canonical face (an average adult face, in mm), not to any test face."""
    assert CANONICAL.shape == (468, 3)
    assert np.allclose(FACE_SHAPE, CANONICAL[SHAPE_INDICES] - CANONICAL[SHAPE_INDICES].mean(axis=0))
    assert np.linalg.norm(CANONICAL[33] - CANONICAL[263]) == pytest.approx(88.9, abs=0.1)   # outer eye corners
    assert CANONICAL[4, 2] < CANONICAL[33, 2] - 40          # nose tip 43 mm in front of the outer eye corners
    assert CANONICAL[152, 1] - CANONICAL[10, 1] == pytest.approx(176.5, abs=0.5)             # forehead to chin
    assert abs(CANONICAL[152, 2] - CANONICAL[10, 2]) < 3    # upright: that line is vertical
    # no lips, jaw or eyelids: talking and blinking do not move the fit
    assert not set(SHAPE_INDICES) & {0, 13, 14, 17, 61, 291, 152, 159, 145, 386, 374}


def test_camera_model_is_explicit():
    assert Camera(640, 480).focal_px == pytest.approx(640)             # 53.13 degrees: f = frame width
    assert Camera(640, 480, hfov_deg=90).focal_px == pytest.approx(320)
    assert Camera(320, 240).matrix()[:2, 2] == pytest.approx([160, 120])
    with pytest.raises(ValueError, match="field of view"):
        HeadPoseEstimator(hfov_deg=2)


@pytest.mark.parametrize("hfov", [40.0, 53.13, 78.0])
@pytest.mark.parametrize("angles", [(30, 0, 0), (-40, 10, 5), (10, -25, -10)])
def test_known_rotation_of_the_shape_through_the_camera_comes_back_exactly(hfov, angles):
    """The canonical shape turned by known angles and projected through a pinhole camera of the given field of view:
    solvePnP through the same camera returns the angles and the distance; the rigid fit returns the angles."""
    pts = posed_landmarks(*angles, perspective=True, hfov_deg=hfov)
    pnp = HeadPoseEstimator(smooth=False, method="pnp", hfov_deg=hfov).estimate(pts, SIZE, 0.0)
    assert (pnp.yaw_deg, pnp.pitch_deg, pnp.roll_deg) == pytest.approx(angles, abs=0.01)
    assert pnp.distance_mm == pytest.approx(600, rel=0.002)
    weak = posed_landmarks(*angles)
    rigid = HeadPoseEstimator(smooth=False, hfov_deg=hfov).estimate(weak, SIZE, 0.0)
    assert (rigid.yaw_deg, rigid.pitch_deg, rigid.roll_deg) == pytest.approx(angles, abs=1e-6)


def test_reference_shape_is_symmetric_and_frontal():
    mirrored = FACE_SHAPE * (-1, 1, 1)
    # every point has a mirror twin
    d = np.linalg.norm(mirrored[:, None, :] - FACE_SHAPE[None, :, :], axis=2).min(axis=1)
    assert d.max() < 0.2
    nose_tip = FACE_SHAPE[list(SHAPE_INDICES).index(1)]
    assert nose_tip[2] < FACE_SHAPE[:, 2].mean() - 20        # the nose points at the camera (z towards it < 0)


@pytest.mark.parametrize("angles", [(0, 0, 0), (40, 0, 0), (-40, 0, 0), (0, 25, 0), (0, -25, 0), (20, -15, 10)])
def test_rigid_fit_recovers_exact_angles(angles):
    est = HeadPoseEstimator(smooth=False)
    pose = est.estimate(posed_landmarks(*angles), SIZE, 0.0)
    assert (pose.yaw_deg, pose.pitch_deg, pose.roll_deg) == pytest.approx(angles, abs=0.01)
    assert pose.reprojection_px < 1e-3


def test_rigid_fit_residual_measures_landmark_noise():
    pts = posed_landmarks(10, 5, 0)
    noise = np.random.default_rng(3).normal(0, 2.0, (len(SHAPE_INDICES), 3))
    pts[SHAPE_INDICES] += noise
    pose = HeadPoseEstimator(smooth=False).estimate(pts, SIZE, 0.0)
    assert 2.5 < pose.reprojection_px < 4.0          # RMS of 3D noise with sigma 2 per axis is ~3.46
    assert pose.yaw_deg == pytest.approx(10, abs=1.0)


@pytest.mark.parametrize("angles", [(0, 0, 0), (35, 0, 0), (0, -20, 0), (-20, 15, 10)])
def test_solvepnp_recovers_exact_angles_under_perspective(angles):
    est = HeadPoseEstimator(smooth=False, method="pnp")
    pose = est.estimate(posed_landmarks(*angles, perspective=True), SIZE, 0.0)
    assert (pose.yaw_deg, pose.pitch_deg, pose.roll_deg) == pytest.approx(angles, abs=0.05)
    assert pose.distance_mm == pytest.approx(600, rel=0.02)
    again = est.estimate(posed_landmarks(*angles, perspective=True), SIZE, 0.033)   # warm-started path
    assert again.yaw_deg == pytest.approx(angles[0], abs=0.05)


def test_unknown_pose_method_is_refused():
    with pytest.raises(ValueError, match="rigid or pnp"):
        HeadPoseEstimator(method="magic")


def test_smoothing_lags_at_most_one_frame():
    est = HeadPoseEstimator(smooth=True)
    a = est.estimate(posed_landmarks(0, 0, 0), SIZE, 0.0)
    b = est.estimate(posed_landmarks(20, 0, 0), SIZE, 1 / 30)     # a step: half-way at once
    c = est.estimate(posed_landmarks(20, 0, 0), SIZE, 2 / 30)     # and there one frame later
    assert a.yaw_deg == pytest.approx(0, abs=0.01)
    assert b.yaw_deg == pytest.approx(10, abs=0.01)
    assert c.yaw_deg == pytest.approx(20, abs=0.01)
    # after a gap the old pose is forgotten
    d = est.estimate(posed_landmarks(-10, 0, 0), SIZE, 5.0)
    assert d.yaw_deg == pytest.approx(-10, abs=0.01)


def eye_landmarks(iris_dx: float, iris_dy: float, roll_deg: float = 0.0) -> np.ndarray:
    """Both eyes 30 px wide, irises shifted by (dx, dy) pixels in image axes (y down), turned by roll."""
    pts = np.zeros((478, 3))
    for eye, cx in ((gaze_mod.RIGHT_EYE, 280.0), (gaze_mod.LEFT_EYE, 360.0)):
        a, b, up, lo, iris = eye
        pts[a, :2] = (cx - 15, 240)
        pts[b, :2] = (cx + 15, 240)
        pts[up, :2] = (cx, 234)
        pts[lo, :2] = (cx, 246)
        pts[iris, :2] = (cx + iris_dx, 240 + iris_dy)
    r = np.radians(roll_deg)
    rot = np.array([[np.cos(r), -np.sin(r)], [np.sin(r), np.cos(r)]])
    pts[:, :2] = (pts[:, :2] - (320, 240)) @ rot.T + (320, 240)
    return pts


@pytest.mark.parametrize("roll", [0.0, 25.0])
def test_gaze_signs_and_scale(roll):
    (lx, ly), (rx, ry) = gaze_mod.gaze(eye_landmarks(0, 0, roll))
    assert (lx, ly, rx, ry) == pytest.approx((0, 0, 0, 0), abs=1e-9)
    (lx, _), (rx, _) = gaze_mod.gaze(eye_landmarks(7.5, 0, roll))     # towards the image right
    assert lx == pytest.approx(0.5) and rx == pytest.approx(0.5)       # = the candidate's left, half-way
    (_, ly), _ = gaze_mod.gaze(eye_landmarks(0, -3, roll))             # iris up (image y smaller)
    assert ly == pytest.approx(0.2)


def test_mouth_ratio_and_eye_aspect_ratio():
    pts = np.zeros((478, 3))
    pts[61, :2], pts[291, :2] = (300, 300), (350, 300)
    for up, lo in ((82, 87), (13, 14), (312, 317)):
        pts[up, :2] = (325, 295)
        pts[lo, :2] = (325, 305)
    for p1, p2, p3, p4, p5, p6 in ((33, 160, 158, 133, 153, 144), (362, 385, 387, 263, 373, 380)):
        pts[p1, :2], pts[p4, :2] = (0, 0), (30, 0)
        pts[p2, :2], pts[p6, :2] = (10, -5), (10, 5)
        pts[p3, :2], pts[p5, :2] = (20, -4), (20, 4)
    mouth, eyes = mouth_mod.mouth_and_eyes(pts)
    assert mouth == pytest.approx(10 / 50)
    assert eyes == pytest.approx((10 + 8) / 60)


def square(cx, cy, half):
    return np.array([(cx - half, cy - half), (cx + half, cy - half), (cx + half, cy + half),
                     (cx - half, cy + half)], float)


def test_hand_coverage_geometry():
    oval = square(100, 100, 50)
    mouth = square(100, 130, 10)
    assert coverage([], mouth, oval) == 0.0
    assert coverage([square(100, 130, 20)], mouth, oval) == pytest.approx(1.0, abs=0.05)    # mouth fully hidden
    assert coverage([square(300, 300, 20)], mouth, oval) == pytest.approx(0.0, abs=0.01)    # hand elsewhere
    half = coverage([np.array([(40, 40), (100, 40), (100, 160), (40, 160)], float)], mouth, oval)
    assert 0.4 < half < 0.75                                                               # half of both


def test_landmark_parser_matches_the_slow_path():
    from mediapipe.framework.formats import landmark_pb2

    lst = landmark_pb2.NormalizedLandmarkList()
    rng = np.random.default_rng(1)
    vals = rng.uniform(0.01, 0.99, (478, 3)).astype(np.float32)
    for x, y, z in vals:
        lst.landmark.add(x=float(x), y=float(y), z=float(z))
    fast = landmarks_array(lst, 640, 480)
    assert fast == pytest.approx(vals * np.array([640, 480, 640], np.float32), rel=1e-6)
    lst.landmark[5].visibility = 0.5          # a different layout takes the slow path, same numbers
    slow = landmarks_array(lst, 640, 480)
    assert slow == pytest.approx(fast, rel=1e-6)


def test_trust_rules():
    class P:
        yaw_deg, pitch_deg, reprojection_px = 10.0, 5.0, 1.0

    ok_ext, ok_box = (200.0, 100.0, 400.0, 340.0), (200, 100, 200, 240)
    assert FaceAnalyser._trustworthy(ok_ext, ok_box, P, 640, 480)
    assert not FaceAnalyser._trustworthy(ok_ext, ok_box, None, 640, 480)
    assert not FaceAnalyser._trustworthy((300.0, 200.0, 330.0, 240.0), (300, 200, 30, 40), P, 640, 480)  # tiny
    assert not FaceAnalyser._trustworthy((500.0, 100.0, 660.0, 340.0), (500, 100, 140, 240), P, 640, 480)  # cut

    class Turned(P):
        yaw_deg = 70.0
    assert not FaceAnalyser._trustworthy(ok_ext, ok_box, Turned, 640, 480)

    class Bent(P):
        reprojection_px = 30.0
    assert not FaceAnalyser._trustworthy(ok_ext, ok_box, Bent, 640, 480)


def test_eye_angle_from_the_physical_eye_model():
    """An eye turned by a moves the iris R sin(a) inside a W-wide opening, of which Face Mesh reports a share:
    offset = 2 (R / W) share sin(a); eye_angle_deg inverts it, and the line of sight adds degrees to degrees."""
    k = 2 * gaze_mod.EYE_RADIUS_MM / gaze_mod.EYE_WIDTH_MM * gaze_mod.FACE_MESH_IRIS_SHARE
    for a in (-35.0, -10.0, 0.0, 5.0, 25.0):
        assert gaze_mod.eye_angle_deg(k * np.sin(np.radians(a))) == pytest.approx(a, abs=1e-9)
    assert gaze_mod.EYE_GAIN_DEG == pytest.approx(np.degrees(1 / k))
    # past the socket's range: held at the range, never a math error and never an impossible angle
    assert gaze_mod.eye_angle_deg(5.0) == pytest.approx(gaze_mod.EYE_RANGE_DEG)
    assert gaze_mod.eye_angle_deg(-k * np.sin(np.radians(70))) == pytest.approx(-gaze_mod.EYE_RANGE_DEG)
    assert gaze_mod.line_of_sight_deg(10.0, k * np.sin(np.radians(20)), 0.0) == pytest.approx(30.0)
    rest = k * np.sin(np.radians(4))
    assert gaze_mod.line_of_sight_deg(0.0, rest, rest) == pytest.approx(0.0)



# ------------------------------------------------------------------------------------------------ eyes in the head
_CONTOUR = {gaze_mod.RIGHT_EYE: (33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173),
            gaze_mod.LEFT_EYE: (263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398)}


def face_with_eyes(yaw: float, pitch: float, roll: float, eye: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """(478, 3) weak-perspective pixel landmarks of MediaPipe's canonical face turned by (yaw, pitch, roll), with each
    iris centre where Face Mesh puts it: between the lids, at the mean depth of its eye's contour (the graph assigns
    the iris that depth), moved in the head by `eye` (x to the candidate's left, y up) in units of half an eye width."""
    head = np.zeros((478, 3))
    head[:468] = CANONICAL
    for idx, contour in _CONTOUR.items():
        a, b, up, lo, iris = idx
        half = np.linalg.norm(CANONICAL[b, :2] - CANONICAL[a, :2]) / 2
        centre = (CANONICAL[up] + CANONICAL[lo]) / 2
        head[iris] = (centre[0] + eye[0] * half, centre[1] - eye[1] * half, CANONICAL[list(contour), 2].mean())
    k = 640 / 600.0
    return head @ matrix_from_angles(yaw, pitch, roll).T * k + (320, 240, 0)


def _head_frame_gaze(pts: np.ndarray):
    pose = HeadPoseEstimator(smooth=False).estimate(pts, SIZE, 0.0)
    return gaze_mod.gaze(pts, pose.rotation), pose


def _observed(t: float, yaw: float, pitch: float, eye=(0.0, 0.0), in_head: bool = True, face_x: float = 0.5):
    """The FaceObservation FaceAnalyser would make of face_with_eyes(...): pose fit, then gaze in the head's frame
    (or, in_head=False, in the picture)."""
    from proctorprep.perception.observations import FaceObservation

    pts = face_with_eyes(yaw, pitch, 0.0, eye)
    pose = HeadPoseEstimator(smooth=False).estimate(pts, SIZE, t)
    (lx, ly), (rx, ry) = gaze_mod.gaze(pts, pose.rotation if in_head else None)
    return FaceObservation(t_s=t, faces=1, trustworthy=True, yaw_deg=pose.yaw_deg, pitch_deg=pose.pitch_deg,
                           roll_deg=pose.roll_deg, gaze_x=(lx + rx) / 2, gaze_y=(ly + ry) / 2, eyes_open=0.3,
                           face_x=face_x, face_y=0.5, face_size=0.3)


def test_eyes_measured_in_the_head_do_not_move_when_the_head_turns():
    """In the picture the iris (at its contour's mean depth, ~2 mm behind the lids and in front of the corners)
    slides across the opening when the head turns; turned back by the pose fit's rotation it stays where it is in
    the head, for a still eye and a turned one alike."""
    rest, _ = _head_frame_gaze(face_with_eyes(0, 0, 0))
    for eye in ((0.0, 0.0), (0.2, -0.1)):
        front, _ = _head_frame_gaze(face_with_eyes(0, 0, 0, eye))
        # (the canonical corner lines slope a few degrees, so the two axes mix a little)
        assert np.array(front) - np.array(rest) == pytest.approx(np.array([eye, eye]), abs=0.01)
        for angles in ((0, -22, 0), (20, 0, 0), (-15, 12, 8)):
            both, pose = _head_frame_gaze(face_with_eyes(*angles, eye))
            assert np.array(both) == pytest.approx(np.array(front), abs=1e-6)
    # what the head-frame measurement removes: in the picture a head 22° down moves the iris UP in the opening
    # (~7.5° of eye reading the wrong way), and a head turned 20° moves it the way the head turned (counted twice)
    (still, _), (down, _), (turned, _) = (gaze_mod.gaze(face_with_eyes(*a)) for a in ((0, 0, 0), (0, -22, 0), (20, 0, 0)))
    assert down[1] - still[1] > 0.05 and turned[0] - still[0] > 0.04


def test_a_desk_look_at_22_degrees_of_head_pitch_is_off_screen_and_reading_is_not():
    """A head 22° down with the eyes still in the head: measured in the head's frame the line of sight is 22° down,
    past the screen (10° + the 6° margin); measured in the picture the iris reading would pull it back on screen.
    Eyes sweeping a line like reading (±14°, head swaying a few degrees) stay on screen."""
    from proctorprep.rules.calibration import CalibrationBuilder
    from proctorprep.rules.detectors.looking import sight_of
    from proctorprep.rules.thresholds import thresholds_for

    thr = thresholds_for("standard")
    shift = 0.8 * gaze_mod.FACE_MESH_IRIS_SHARE * np.sin(np.radians(14.0))   # an eye 14° to the side, as read
    b = CalibrationBuilder()
    b.extend(_observed(i / 10, 0.0, -1.0) for i in range(30))
    cal = b.build()
    desk = sight_of(_observed(5.0, 0.0, -23.0), cal, thr)
    assert desk.direction == "down" and desk.excess_deg > thr.away_margin_deg
    assert sight_of(_observed(5.0, 0.0, -23.0, in_head=False), cal, thr).excess_deg < thr.away_margin_deg
    for i in range(60):
        t = i / 10
        sweep = np.sin(2 * np.pi * t / 2.6)
        s = sight_of(_observed(t, 3.0 * np.sin(t), -1.0 + 1.5 * np.sin(t / 1.3), (sweep * shift, -0.05)), cal, thr)
        assert s.excess_deg < thr.away_exit_margin_deg


def test_the_eye_angle_counts_from_the_calibrated_rest():
    """At rest the eye looks at the screen: an iris that sits off-centre there (a corner landmark on the caruncle, a
    little vergence) is the eye's zero, not an eye already turned; a 38° glance reads 38° whatever the rest offset."""
    k = 2 * gaze_mod.EYE_RADIUS_MM / gaze_mod.EYE_WIDTH_MM * gaze_mod.FACE_MESH_IRIS_SHARE
    for rest in (-0.21, 0.0, 0.15):
        glance = rest - k * np.sin(np.radians(38))
        assert gaze_mod.line_of_sight_deg(0.0, glance, rest) == pytest.approx(-38.0, abs=1e-9)
        assert gaze_mod.line_of_sight_deg(5.0, rest, rest) == pytest.approx(5.0)


def test_one_change_of_posture_with_the_eyes_on_the_screen_is_not_looking_away():
    """The candidate shifts in the chair: the head ends up turned 20° and pitched 10° down for good while the eyes turn
    back towards the screen by half of it; the line of sight stays inside the range, no incident."""
    from proctorprep.rules.calibration import CalibrationBuilder
    from proctorprep.rules.detectors.looking import LookingAwayDetector
    from proctorprep.rules.thresholds import thresholds_for

    def read(deg):       # the iris offset Face Mesh reports for an eye turned by deg (physical model, mean share)
        return 0.8 * gaze_mod.FACE_MESH_IRIS_SHARE * np.sin(np.radians(deg))

    def obs(t):
        k = min(max((t - 10.0) / 1.5, 0.0), 1.0)          # the shift takes 1.5 s
        return _observed(t, 20.0 * k, -1.0 - 10.0 * k, (read(-10.0 * k), read(5.0 * k)), face_x=0.5 + 0.1 * k)

    b = CalibrationBuilder()
    b.extend(obs(i / 10) for i in range(50))
    det = LookingAwayDetector(b.build(), thresholds_for("standard"))
    updates = [u for i in range(50, 400) for u in det.feed_face(obs(i / 10))]
    assert updates == [] and det.finish(40.0) == []
