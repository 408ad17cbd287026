"""Head pose in degrees from Face Mesh landmarks and a rigid 3D face shape: a least-squares rigid fit of the shape to
Face Mesh's 3D landmarks (default), or cv2.solvePnP of the 2D landmarks against the same shape (method="pnp").

The shape (`FACE_SHAPE`, millimetres) is 166 landmarks of the upper face and nose that do not move when a person
talks, blinks or smiles (no lips, jaw or eyelids). It was measured once with mediapipe Face Mesh (refined, 3D) on a
real frontal portrait (scikit-image's astronaut), turned so the face is left/right symmetric, made exactly symmetric
by averaging mirror pairs, scaled to an outer-eye-corner distance of 90 mm, and centred. Axes are the camera's for a
frontal face: x to the image right, y down, z away from the camera. Pitch 0 is the portrait's own head pitch: a person
looking straight into the lens. (The forehead-top to chin line of that shape leans 9.7 degrees chin-back.)

For solvePnP the intrinsics are approximated from the frame size: focal length = frame width in pixels (a ~53 degree horizontal field
of view, typical of laptop webcams), principal point at the centre, no distortion. A wrong focal length mostly
changes the estimated distance, very little the angles.

Angle conventions (same as proctorprep.perception.observations, candidate's point of view, non-mirrored camera):
    R_head_to_camera = Rz(roll) @ Rx(pitch) @ Ry(yaw), with
    Ry(yaw)   = [[cos, 0, -sin], [0, 1, 0], [sin, 0, cos]]     yaw > 0: nose towards the image right = the candidate's left
    Rx(pitch) = [[1, 0, 0], [0, cos, sin], [0, -sin, cos]]     pitch > 0: nose up (chin up, looking at the ceiling)
    Rz(roll)  = [[cos, -sin, 0], [sin, cos, 0], [0, 0, 1]]     roll > 0: top of the head towards the image right =
                                                              the head tilts towards the candidate's left shoulder
so pitch = asin(-R[2,1]), yaw = atan2(R[2,0], R[2,2]), roll = atan2(-R[0,1], R[1,1]).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

# landmark index: (x, y, z) in mm
_SHAPE = {
    1: (0.0, 37.6, -33.1),
    2: (0.0, 41.2, -16.6),
    3: (-5.2, 15.9, -26.5),
    4: (0.0, 31.3, -35.6),
    5: (0.0, 22.6, -33.8),
    6: (0.0, 1.3, -19.2),
    8: (0.0, -13.4, -15.9),
    9: (0.0, -21.0, -17.8),
    10: (0.0, -49.0, -14.8),
    19: (0.0, 40.4, -29.7),
    21: (-63.2, -24.5, 30.7),
    31: (-49.5, 3.1, 9.8),
    33: (-45.0, -3.1, 7.3),
    35: (-55.9, -0.9, 15.4),
    36: (-32.5, 25.9, -4.2),
    45: (-6.1, 31.1, -34.9),
    46: (-52.2, -14.1, 1.5),
    47: (-18.3, 12.3, -6.2),
    50: (-50.7, 23.4, 3.7),
    51: (-5.7, 23.0, -31.9),
    52: (-38.6, -19.5, -9.3),
    53: (-46.7, -17.9, -4.7),
    54: (-57.9, -34.1, 17.9),
    55: (-13.1, -13.9, -14.1),
    63: (-49.5, -21.3, -2.1),
    65: (-27.7, -18.6, -12.6),
    66: (-28.5, -22.8, -14.5),
    67: (-34.7, -46.5, -6.5),
    68: (-54.1, -28.0, 6.6),
    70: (-55.5, -16.6, 6.2),
    71: (-59.6, -20.3, 17.9),
    93: (-67.0, 25.2, 63.3),
    94: (0.0, 41.2, -21.3),
    98: (-20.6, 35.8, -8.8),
    100: (-24.9, 14.8, -3.9),
    101: (-35.4, 17.7, -2.0),
    103: (-49.0, -41.7, 5.0),
    104: (-45.1, -33.3, -2.6),
    105: (-40.3, -23.6, -8.7),
    107: (-14.8, -20.9, -17.2),
    108: (-16.7, -35.7, -15.1),
    109: (-18.9, -48.6, -13.0),
    111: (-55.7, 6.4, 13.6),
    113: (-50.3, -7.1, 6.2),
    114: (-13.8, 9.2, -8.8),
    116: (-62.5, 10.2, 20.7),
    117: (-51.8, 10.0, 8.6),
    118: (-44.3, 12.0, 3.4),
    119: (-33.1, 11.6, 0.5),
    120: (-24.9, 9.8, -1.0),
    122: (-5.7, 2.6, -16.6),
    123: (-63.1, 21.5, 20.4),
    124: (-54.5, -8.0, 8.6),
    126: (-18.6, 18.4, -8.5),
    127: (-67.8, -0.9, 55.6),
    129: (-23.8, 29.3, -5.5),
    133: (-17.6, -0.6, 2.3),
    137: (-67.5, 24.2, 41.8),
    139: (-63.1, -11.0, 28.6),
    142: (-24.7, 21.7, -5.8),
    143: (-60.8, -0.2, 21.4),
    151: (0.0, -35.4, -16.6),
    156: (-58.5, -9.4, 14.5),
    162: (-66.3, -14.1, 44.3),
    168: (0.0, -6.3, -15.3),
    188: (-9.6, 5.6, -12.3),
    189: (-13.4, -5.0, -2.4),
    193: (-8.0, -5.3, -10.8),
    195: (0.0, 15.3, -28.6),
    196: (-5.5, 9.6, -22.1),
    197: (0.0, 8.6, -23.7),
    203: (-29.0, 33.5, -3.1),
    205: (-43.3, 32.1, -0.6),
    217: (-14.0, 15.3, -12.6),
    221: (-18.0, -10.3, -4.4),
    222: (-27.7, -14.4, -5.9),
    223: (-36.3, -15.3, -5.6),
    224: (-43.3, -14.2, -3.1),
    225: (-48.1, -11.4, 0.8),
    226: (-50.9, -1.9, 10.9),
    228: (-46.4, 5.4, 7.1),
    229: (-40.3, 7.1, 3.6),
    230: (-32.6, 7.3, 1.2),
    231: (-25.3, 6.4, 0.1),
    232: (-19.7, 4.9, -0.5),
    233: (-15.7, 3.3, -1.0),
    234: (-67.5, 11.9, 61.5),
    236: (-10.0, 18.1, -21.9),
    244: (-12.6, 0.5, -2.2),
    245: (-10.6, 1.3, -6.7),
    248: (5.2, 15.9, -26.5),
    251: (63.2, -24.5, 30.7),
    261: (49.5, 3.1, 9.8),
    263: (45.0, -3.1, 7.3),
    265: (55.9, -0.9, 15.4),
    266: (32.5, 25.9, -4.2),
    275: (6.1, 31.1, -34.9),
    276: (52.2, -14.1, 1.5),
    277: (18.3, 12.3, -6.2),
    280: (50.7, 23.4, 3.7),
    281: (5.7, 23.0, -31.9),
    282: (38.6, -19.5, -9.3),
    283: (46.7, -17.9, -4.7),
    284: (57.9, -34.1, 17.9),
    285: (13.1, -13.9, -14.1),
    293: (49.5, -21.3, -2.1),
    295: (27.7, -18.6, -12.6),
    296: (28.5, -22.8, -14.5),
    297: (34.7, -46.5, -6.5),
    298: (54.1, -28.0, 6.6),
    300: (55.5, -16.6, 6.2),
    301: (59.6, -20.3, 17.9),
    323: (67.0, 25.2, 63.3),
    327: (20.6, 35.8, -8.8),
    329: (24.9, 14.8, -3.9),
    330: (35.4, 17.7, -2.0),
    332: (49.0, -41.7, 5.0),
    333: (45.1, -33.3, -2.6),
    334: (40.3, -23.6, -8.7),
    336: (14.8, -20.9, -17.2),
    337: (16.7, -35.7, -15.1),
    338: (18.9, -48.6, -13.0),
    340: (55.7, 6.4, 13.6),
    342: (50.3, -7.1, 6.2),
    343: (13.8, 9.2, -8.8),
    345: (62.5, 10.2, 20.7),
    346: (51.8, 10.0, 8.6),
    347: (44.3, 12.0, 3.4),
    348: (33.1, 11.6, 0.5),
    349: (24.9, 9.8, -1.0),
    351: (5.7, 2.6, -16.6),
    352: (63.1, 21.5, 20.4),
    353: (54.5, -8.0, 8.6),
    355: (18.6, 18.4, -8.5),
    356: (67.8, -0.9, 55.6),
    358: (23.8, 29.3, -5.5),
    362: (17.6, -0.6, 2.3),
    366: (67.5, 24.2, 41.8),
    368: (63.1, -11.0, 28.6),
    371: (24.7, 21.7, -5.8),
    372: (60.8, -0.2, 21.4),
    383: (58.5, -9.4, 14.5),
    389: (66.3, -14.1, 44.3),
    412: (9.6, 5.6, -12.3),
    413: (13.4, -5.0, -2.4),
    417: (8.0, -5.3, -10.8),
    419: (5.5, 9.6, -22.1),
    423: (29.0, 33.5, -3.1),
    425: (43.3, 32.1, -0.6),
    437: (14.0, 15.3, -12.6),
    441: (18.0, -10.3, -4.4),
    442: (27.7, -14.4, -5.9),
    443: (36.3, -15.3, -5.6),
    444: (43.3, -14.2, -3.1),
    445: (48.1, -11.4, 0.8),
    446: (50.9, -1.9, 10.9),
    448: (46.4, 5.4, 7.1),
    449: (40.3, 7.1, 3.6),
    450: (32.6, 7.3, 1.2),
    451: (25.3, 6.4, 0.1),
    452: (19.7, 4.9, -0.5),
    453: (15.7, 3.3, -1.0),
    454: (67.5, 11.9, 61.5),
    456: (10.0, 18.1, -21.9),
    464: (12.6, 0.5, -2.2),
    465: (10.6, 1.3, -6.7),
}
SHAPE_INDICES = np.array(sorted(_SHAPE), dtype=np.int64)
FACE_SHAPE = np.array([_SHAPE[i] for i in SHAPE_INDICES], dtype=np.float64)


@dataclass(frozen=True, slots=True)
class HeadPose:
    yaw_deg: float
    pitch_deg: float
    roll_deg: float
    distance_mm: float        # from the camera to the face centre, if the focal-length guess is right
    reprojection_px: float    # fit error of the shape points (RMS for rigid, mean for PnP); large = not a rigid face


def angles_from_matrix(r: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees for R = Rz(roll) @ Rx(pitch) @ Ry(yaw) (see the module docstring)."""
    pitch = math.asin(max(-1.0, min(1.0, -float(r[2, 1]))))
    yaw = math.atan2(float(r[2, 0]), float(r[2, 2]))
    roll = math.atan2(-float(r[0, 1]), float(r[1, 1]))
    return math.degrees(yaw), math.degrees(pitch), math.degrees(roll)


def matrix_from_angles(yaw: float, pitch: float, roll: float) -> np.ndarray:
    y, p, r = (math.radians(v) for v in (yaw, pitch, roll))
    ry = np.array([[math.cos(y), 0, -math.sin(y)], [0, 1, 0], [math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), math.sin(p)], [0, -math.sin(p), math.cos(p)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return rz @ rx @ ry


def camera_matrix(width: int, height: int) -> np.ndarray:
    f = float(width)
    return np.array([[f, 0.0, width / 2.0], [0.0, f, height / 2.0], [0.0, 0.0, 1.0]])


def rigid_fit(points: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Least-squares rotation of FACE_SHAPE onto Face Mesh's 3D landmarks (x, y in pixels, z in pixels like x).
    Returns (R, scale px/mm, RMS residual px).

    Face Mesh predicts depth in a crop centred on the face, so these angles are relative to the line of sight from
    the camera to the face (what a proctor cares about: is the head turned away from the camera and screen?).
    Measured on rendered faces: a head 200 px right of centre in a 640 px frame (17 degrees off-axis) facing
    parallel to the optical axis reads yaw +13.5 relative to the centred head; 150 px up/down (13 degrees) reads
    pitch +8 / -16. A viewing-ray correction to camera-axis angles was tried and dropped: Face Mesh shows only
    part of the perspective turn, so the correction over-shoots to the other side. Calibration absorbs the seat
    position anyway."""
    b = np.asarray(points, dtype=np.float64)
    # FACE_SHAPE is centred, so the cross-covariance needs no centring of b; only |b - mean|^2 does, from the sum
    h = b.T @ _SHAPE_CENTRED
    total = _ONES @ b
    spread = float(np.vdot(b, b)) - float(total @ total) / len(b)
    # OpenCV's 3x3 SVD: a fifth of numpy's call overhead, and this runs every frame
    s, u, vt = cv2.SVDecomp(h)
    s = s[:, 0]
    d = np.ones(3)
    d[2] = 1.0 if cv2.determinant(u @ vt) >= 0 else -1.0
    r_los = (u * d) @ vt
    trace = float(s @ d)
    scale = trace / _SHAPE_SQ
    # RMS residual from scalars: |b - s R a|^2 summed = |b|^2 - s * trace(S D) when s is the least-squares scale
    resid = math.sqrt(max(spread - scale * trace, 0.0) / len(b))
    return r_los, scale, resid


_SHAPE_CENTRED = FACE_SHAPE - FACE_SHAPE.mean(axis=0)
_SHAPE_SQ = float((_SHAPE_CENTRED ** 2).sum())
_ONES = np.ones(len(FACE_SHAPE))


class HeadPoseEstimator:
    """Head pose per frame, smoothed by a two-frame mean (half a frame of lag, never more than one).

    method "rigid" (default): a least-squares rotation of FACE_SHAPE onto Face Mesh's 3D landmarks (see rigid_fit). "pnp": cv2.solvePnP of the 2D landmarks against FACE_SHAPE (SQPnP on the first
    frame, then iterative from the previous pose). On rendered real faces the rigid fit is the more accurate of the
    two (bench/face_accuracy.py prints both): Face Mesh's 2D points are pulled towards a frontal face at large
    angles, its depth channel much less.
    `reset()` when the main face changes (or after a gap) so a new face does not inherit the old one's pose.
    """

    def __init__(self, smooth: bool = True, max_gap_s: float = 0.5, method: str = "rigid"):
        if method not in ("rigid", "pnp"):
            raise ValueError(f"unknown head-pose method {method!r} (rigid or pnp)")
        self.method = method
        self._smooth = smooth
        self._max_gap_s = max_gap_s
        self._rvec: np.ndarray | None = None
        self._tvec: np.ndarray | None = None
        self._prev: tuple[float, float, float] | None = None
        self._prev_t: float | None = None
        self._cam: np.ndarray | None = None
        self._cam_size: tuple[int, int] | None = None
        self._dist = np.zeros(4)

    def reset(self) -> None:
        self._rvec = self._tvec = None
        self._prev = self._prev_t = None

    def estimate(self, landmarks_px: np.ndarray, size: tuple[int, int], t_s: float) -> HeadPose | None:
        """landmarks_px: (>=468, 3) pixel coordinates (z scaled like x) of one face; size: (width, height)."""
        if self._prev_t is not None and (t_s - self._prev_t > self._max_gap_s or t_s < self._prev_t):
            self.reset()
        pose = self._rigid(landmarks_px, size) if self.method == "rigid" else self._pnp(landmarks_px, size)
        if pose is None:
            self.reset()
            return None
        raw = (pose.yaw_deg, pose.pitch_deg, pose.roll_deg)
        angles = raw
        if self._smooth and self._prev is not None:
            angles = tuple((a + b) / 2.0 for a, b in zip(raw, self._prev))
        self._prev, self._prev_t = raw, t_s
        return HeadPose(angles[0], angles[1], angles[2], pose.distance_mm, pose.reprojection_px)

    def _rigid(self, landmarks_px: np.ndarray, size: tuple[int, int]) -> HeadPose | None:
        r, scale, resid = rigid_fit(landmarks_px[SHAPE_INDICES, :3])
        if not scale > 0:
            return None
        yaw, pitch, roll = angles_from_matrix(r)
        return HeadPose(yaw, pitch, roll, distance_mm=float(size[0]) / scale, reprojection_px=resid)

    def _pnp(self, landmarks_px: np.ndarray, size: tuple[int, int]) -> HeadPose | None:
        if self._cam_size != size:
            self._cam, self._cam_size = camera_matrix(*size), size
        img = np.ascontiguousarray(landmarks_px[SHAPE_INDICES, :2], dtype=np.float64)
        if self._rvec is None:
            ok, rvec, tvec = cv2.solvePnP(FACE_SHAPE, img, self._cam, self._dist, flags=cv2.SOLVEPNP_SQPNP)
        else:
            ok, rvec, tvec = cv2.solvePnP(FACE_SHAPE, img, self._cam, self._dist, self._rvec.copy(),
                                          self._tvec.copy(), useExtrinsicGuess=True, flags=cv2.SOLVEPNP_ITERATIVE)
        if not ok or tvec[2, 0] <= 0:
            return None
        self._rvec, self._tvec = rvec, tvec
        r, _ = cv2.Rodrigues(rvec)
        yaw, pitch, roll = angles_from_matrix(r)
        proj, _ = cv2.projectPoints(FACE_SHAPE, rvec, tvec, self._cam, self._dist)
        err = float(np.mean(np.linalg.norm(proj[:, 0, :] - img, axis=1)))
        return HeadPose(yaw, pitch, roll, distance_mm=float(np.linalg.norm(tvec)), reprojection_px=err)
