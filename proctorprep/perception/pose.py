"""Head pose in degrees from Face Mesh landmarks and a metric 3D face shape: a least-squares rigid fit of the shape to
Face Mesh's 3D landmarks (default), or cv2.solvePnP of the 2D landmarks against the same shape (method="pnp").

The shape (`FACE_SHAPE`, millimetres) is MediaPipe's canonical metric face model (face_model.py: the average adult
face Face Mesh's 468-point topology is defined on, the same one MediaPipe's face-geometry pipeline fits its pose
to), restricted to the 166 landmarks of the upper face and nose that do not move when a person talks, blinks or
smiles (no lips, jaw or eyelids), and centred. It is not measured on any test face, so no face we evaluate on shaped
it. Axes are the camera's for a frontal face: x to the image right, y down, z away from the camera. Pitch 0 is the
canonical face upright (its forehead-top to chin line is vertical to within 1.5 degrees).

The camera model, explicitly (`Camera`):
  * rigid (default): Face Mesh reports each landmark's x, y in pixels and its depth z "in roughly the same scale as x",
    predicted in a crop centred on the face. That is a scaled-orthographic (weak-perspective) view of the face along
    the ray from the camera to the face: the fitted rotation is the head's orientation relative to that line of
    sight, and the least-squares scale (pixels per mm) gives the distance as focal length / scale. The weak-
    perspective error is the face's depth over its distance (~10 cm at 50-60 cm): small, and equal for all
    orientations, so it does not bend the angles.
  * pnp: a pinhole camera with focal length f = frame width / (2 tan(hfov / 2)) pixels (hfov 53.13 degrees by
    default, typical of laptop webcams: f = frame width), principal point at the centre, no distortion. A wrong f
    mostly changes the distance, very little the angles.

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
from dataclasses import dataclass, field

import cv2
import numpy as np

from proctorprep.perception.face_model import CANONICAL

# Upper face and nose: forehead, brows, eye corners, nose, cheekbones (no lips, jaw or eyelids)
SHAPE_INDICES = np.array([
    1, 2, 3, 4, 5, 6, 8, 9, 10, 19, 21, 31, 33, 35, 36, 45, 46, 47, 50, 51,
    52, 53, 54, 55, 63, 65, 66, 67, 68, 70, 71, 93, 94, 98, 100, 101, 103, 104, 105, 107,
    108, 109, 111, 113, 114, 116, 117, 118, 119, 120, 122, 123, 124, 126, 127, 129, 133, 137, 139, 142,
    143, 151, 156, 162, 168, 188, 189, 193, 195, 196, 197, 203, 205, 217, 221, 222, 223, 224, 225, 226,
    228, 229, 230, 231, 232, 233, 234, 236, 244, 245, 248, 251, 261, 263, 265, 266, 275, 276, 277, 280,
    281, 282, 283, 284, 285, 293, 295, 296, 297, 298, 300, 301, 323, 327, 329, 330, 332, 333, 334, 336,
    337, 338, 340, 342, 343, 345, 346, 347, 348, 349, 351, 352, 353, 355, 356, 358, 362, 366, 368, 371,
    372, 383, 389, 412, 413, 417, 419, 423, 425, 437, 441, 442, 443, 444, 445, 446, 448, 449, 450, 451,
    452, 453, 454, 456, 464, 465,
], dtype=np.int64)
FACE_SHAPE = CANONICAL[SHAPE_INDICES] - CANONICAL[SHAPE_INDICES].mean(axis=0)


@dataclass(frozen=True, slots=True)
class HeadPose:
    yaw_deg: float
    pitch_deg: float
    roll_deg: float
    distance_mm: float        # from the camera to the face centre, if the focal-length guess is right
    reprojection_px: float    # fit error of the shape points (RMS for rigid, mean for PnP); large = not a rigid face
    # head-to-camera rotation of THIS frame's fit (not smoothed): what perception.gaze turns the eyes back by, so
    # the eyes are measured against the landmarks of the same frame
    rotation: np.ndarray | None = field(default=None, compare=False, repr=False)


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


DEFAULT_HFOV_DEG = 2.0 * math.degrees(math.atan(0.5))     # 53.13: focal length = frame width


@dataclass(frozen=True, slots=True)
class Camera:
    """Pinhole camera of a frame: square pixels, principal point at the centre, no distortion."""
    width: int
    height: int
    hfov_deg: float = DEFAULT_HFOV_DEG

    @property
    def focal_px(self) -> float:
        return self.width / (2.0 * math.tan(math.radians(self.hfov_deg) / 2.0))

    def matrix(self) -> np.ndarray:
        f = self.focal_px
        return np.array([[f, 0.0, self.width / 2.0], [0.0, f, self.height / 2.0], [0.0, 0.0, 1.0]])


def camera_matrix(width: int, height: int, hfov_deg: float = DEFAULT_HFOV_DEG) -> np.ndarray:
    return Camera(width, height, hfov_deg).matrix()


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

    method "rigid" (default): a least-squares rotation of FACE_SHAPE onto Face Mesh's 3D landmarks (see rigid_fit).
    "pnp": cv2.solvePnP of the 2D landmarks against FACE_SHAPE through the pinhole `Camera` of the frame (`hfov_deg`)
    (SQPnP on the first frame, then iterative from the previous pose). On rendered real faces the rigid fit is the more accurate of the
    two (bench/face_accuracy.py prints both): Face Mesh's 2D points are pulled towards a frontal face at large
    angles, its depth channel much less.
    `reset()` when the main face changes (or after a gap) so a new face does not inherit the old one's pose.
    """

    def __init__(self, smooth: bool = True, max_gap_s: float = 0.5, method: str = "rigid",
                 hfov_deg: float = DEFAULT_HFOV_DEG):
        if method not in ("rigid", "pnp"):
            raise ValueError(f"unknown head-pose method {method!r} (rigid or pnp)")
        if not 10.0 <= hfov_deg <= 150.0:
            raise ValueError(f"camera field of view {hfov_deg!r} degrees is not a webcam's (10..150)")
        self.method = method
        self.hfov_deg = hfov_deg
        self._smooth = smooth
        self._max_gap_s = max_gap_s
        self._rvec: np.ndarray | None = None
        self._tvec: np.ndarray | None = None
        self._prev: tuple[float, float, float] | None = None
        self._prev_t: float | None = None
        self._cam: Camera | None = None
        self._k = np.eye(3)
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
        return HeadPose(angles[0], angles[1], angles[2], pose.distance_mm, pose.reprojection_px, pose.rotation)

    def _rigid(self, landmarks_px: np.ndarray, size: tuple[int, int]) -> HeadPose | None:
        r, scale, resid = rigid_fit(landmarks_px[SHAPE_INDICES, :3])
        if not scale > 0:
            return None
        yaw, pitch, roll = angles_from_matrix(r)
        return HeadPose(yaw, pitch, roll, distance_mm=self._camera(size).focal_px / scale, reprojection_px=resid,
                        rotation=r)

    def _camera(self, size: tuple[int, int]) -> Camera:
        if self._cam is None or (self._cam.width, self._cam.height) != tuple(size):
            self._cam = Camera(int(size[0]), int(size[1]), self.hfov_deg)
            self._k = self._cam.matrix()
        return self._cam

    def _pnp(self, landmarks_px: np.ndarray, size: tuple[int, int]) -> HeadPose | None:
        self._camera(size)
        img = np.ascontiguousarray(landmarks_px[SHAPE_INDICES, :2], dtype=np.float64)
        if self._rvec is None:
            ok, rvec, tvec = cv2.solvePnP(FACE_SHAPE, img, self._k, self._dist, flags=cv2.SOLVEPNP_SQPNP)
        else:
            ok, rvec, tvec = cv2.solvePnP(FACE_SHAPE, img, self._k, self._dist, self._rvec.copy(),
                                          self._tvec.copy(), useExtrinsicGuess=True, flags=cv2.SOLVEPNP_ITERATIVE)
        if not ok or tvec[2, 0] <= 0:
            return None
        self._rvec, self._tvec = rvec, tvec
        r, _ = cv2.Rodrigues(rvec)
        yaw, pitch, roll = angles_from_matrix(r)
        proj, _ = cv2.projectPoints(FACE_SHAPE, rvec, tvec, self._k, self._dist)
        err = float(np.mean(np.linalg.norm(proj[:, 0, :] - img, axis=1)))
        return HeadPose(yaw, pitch, roll, distance_mm=float(np.linalg.norm(tvec)), reprojection_px=err, rotation=r)
