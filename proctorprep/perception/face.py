"""FaceAnalyser: one BGR frame in, one FaceObservation out (mediapipe Face Mesh with irises, up to 3 faces).

Per frame: one BGR->RGB conversion (mediapipe wants RGB), Face Mesh, then cheap geometry on the main face only:
head pose (pose.py), gaze (gaze.py), mouth and eye openness and the mouth's dark inside (mouth.py), face box and luma
statistics, and at a
reduced rate the hand-over-face score (cover.py). Landmarks are read from the protobuf in one go (a byte view of the
serialised list) instead of 1434 attribute look-ups: that alone is about a fifth of a tracked Face Mesh frame.

The main face is the one that overlaps the previous main face most (IoU > 0.3), otherwise the largest, so a second
person leaning in does not steal the candidate's pose track.

Two Face Mesh graphs in video mode: a one-face graph tracks the candidate on every frame, and the up-to-3-face graph
runs only while someone else is in view. A Face Mesh asked for 3 faces runs its face detector on every frame on
which it tracks fewer than 3, which a candidate alone paid for on each frame (about a third of Face Mesh's cost);
face_count.FaceCounter asks the same detector a few times a second, and whenever the track starts or jumps, whether
another face is there, and from then until no second face has been seen for MULTI_HOLD_S the 3-face graph gives
every face (the one-face graph keeps being fed, so its track stays fresh). Still images (check-in photos) have no
track to keep: one graph with all faces.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from proctorprep.perception import gaze as gaze_mod
from proctorprep.perception import mouth as mouth_mod
from proctorprep.perception.observations import FaceObservation
from proctorprep.perception.pose import HeadPoseEstimator

# Face-oval and outer-lip contours (Face Mesh indices) for the hand-coverage score.
_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176,
         149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109)
_LIPS_OUTER = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185)
_OVAL_IDX = np.array(_OVAL)
_LIPS_OUTER_IDX = np.array(_LIPS_OUTER)

# When is a face's geometry worth judging? Beyond these limits Face Mesh guesses more than it sees.
MIN_FACE_PX = 48            # face-box width in pixels
MIN_FACE_FRACTION = 0.06    # face-box width / frame width
EDGE_MARGIN = 0.01          # landmarks this close to (or beyond) the frame edge mean the face is cut off
MAX_ABS_YAW = 50.0
MAX_ABS_PITCH = 45.0      # pitch 0 is the canonical face upright: facing the lens reads -9..+4, a desk look -40
MAX_REPROJECTION = 0.06     # pose-fit error (RMS) over face-box width: larger = not a rigid, frontal-ish face
MULTI_HOLD_S = 1.0          # all faces from the 3-face graph until no second face was seen for this long


def landmarks_array(landmark_list, width: int, height: int) -> np.ndarray:
    """(N, 3) float32 pixel coordinates (x, y, z scaled like x) of a NormalizedLandmarkList."""
    n = len(landmark_list.landmark)
    buf = landmark_list.SerializeToString()
    # Each landmark serialises as 0x0a 0x0f | 0x0d x | 0x15 y | 0x1d z (17 bytes) when only x, y, z are set, so the
    # floats sit at byte 3, 8 and 13 of every 17: one strided view reads all of them, one multiply copies them out.
    if n and len(buf) == 17 * n and buf[:3] == b"\x0a\x0f\x0d" and buf[7] == 0x15 and buf[12] == 0x1D \
            and buf[-17:-14] == b"\x0a\x0f\x0d":
        xyz = np.ndarray((n, 3), dtype="<f4", buffer=buf, offset=3, strides=(17, 5))
        return xyz * np.array([width, height, width], np.float32)
    return np.array([(p.x * width, p.y * height, p.z * width) for p in landmark_list.landmark], np.float32)


def _extent(pts: np.ndarray) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of the 468 mesh points (irises excluded), unclipped."""
    xs, ys = pts[:468, 0], pts[:468, 1]     # four 1-D reductions beat one axis=0 reduction on a strided view
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


def _box(ext: tuple[float, float, float, float], width: int, height: int) -> tuple[int, int, int, int]:
    x0, y0 = max(int(ext[0]), 0), max(int(ext[1]), 0)
    x1, y1 = min(int(ext[2]) + 1, width), min(int(ext[3]) + 1, height)
    return x0, y0, max(x1 - x0, 0), max(y1 - y0, 0)


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


_LUMA = np.array([0.114, 0.587, 0.299])   # BGR weights (ITU-R BT.601)


def frame_luma(image_bgr: np.ndarray) -> float:
    """Mean luma (0..255) of the whole frame from every 16th pixel each way (~1200 samples, a few microseconds;
    no OpenCV call, whose worker threads cost more to wake than this takes)."""
    sample = image_bgr[::16, ::16].reshape(-1, 3)
    return float(sample.mean(axis=0) @ _LUMA)


def box_luma(image_bgr: np.ndarray, box: tuple[int, int, int, int]) -> tuple[float, float] | None:
    """(mean, std) of luma inside the box, from a grid of at most ~48 x 48 samples (a view, no copy of the frame)."""
    x, y, w, h = box
    if w < 2 or h < 2:
        return None
    step = max(1, max(w, h) // 48)
    luma = image_bgr[y:y + h:step, x:x + w:step].reshape(-1, 3) @ _LUMA
    return float(luma.mean()), float(luma.std())


def _lean_api(mesh) -> tuple | None:
    """(packet_creator, packet_getter, SRGB) when `mesh` is the SolutionBase FaceAnalyser._landmark_lists knows (one
    "image" input, a "multi_face_landmarks" output, a graph and its output dict); else None: use process()."""
    try:
        from mediapipe.python import packet_creator, packet_getter
        from mediapipe.python._framework_bindings import image_frame
    except ImportError:
        return None
    known = (list(getattr(mesh, "_input_stream_type_info", None) or ()) == ["image"]
             and "multi_face_landmarks" in (getattr(mesh, "_output_stream_type_info", None) or {})
             and isinstance(getattr(mesh, "_graph_outputs", None), dict)
             and hasattr(mesh, "_graph") and hasattr(mesh, "_simulated_timestamp"))
    return (packet_creator, packet_getter, image_frame.ImageFormat.SRGB) if known else None


@dataclass(frozen=True)
class _Found:
    """One face of a frame: pixel landmarks, their extent and the face box, each computed once."""

    pts: np.ndarray
    extent: tuple[float, float, float, float]
    box: tuple[int, int, int, int]

    @classmethod
    def of(cls, landmark_list, width: int, height: int) -> "_Found":
        pts = landmarks_array(landmark_list, width, height)
        ext = _extent(pts)
        return cls(pts, ext, _box(ext, width, height))


class FaceAnalyser:
    """Face Mesh (refine_landmarks=True) and the measurements of one frame. Not thread-safe: one per worker."""

    def __init__(self, max_faces: int = 3, hands: bool = True, *, static_image_mode: bool = False,
                 smooth: bool = True, hands_interval_s: float = 3.0, min_detection_confidence: float = 0.5,
                 min_tracking_confidence: float = 0.5, hands_after_loss_s: float = 3.0):
        from proctorprep.perception.mp_import import import_mediapipe

        mp = import_mediapipe()   # heavy: imported when an analyser is made; without PortAudio or matplotlib

        self.max_faces = max_faces
        track_one = not static_image_mode and max_faces > 1
        self._mesh_options = dict(static_image_mode=static_image_mode, refine_landmarks=True,
                                  min_detection_confidence=min_detection_confidence,
                                  min_tracking_confidence=min_tracking_confidence)
        self._mp = mp
        self._mesh = mp.solutions.face_mesh.FaceMesh(max_num_faces=1 if track_one else max_faces,
                                                     **self._mesh_options)
        self._multi_mesh = None         # the max_faces graph, made the first time someone else is in view
        self._multi_until: float | None = None
        self._counter = None
        if track_one:
            from proctorprep.perception.face_count import FaceCounter
            self._counter = FaceCounter(min_confidence=min_detection_confidence)
        self._static = static_image_mode
        self._lean = _lean_api(self._mesh)
        self._pose = HeadPoseEstimator(smooth=smooth and not static_image_mode)
        self._hands = None
        if hands:
            from proctorprep.perception.cover import HandCoverage
            self._hands = HandCoverage(interval_s=hands_interval_s)
        self._hands_after_loss_s = hands_after_loss_s
        self._main_box: tuple[int, int, int, int] | None = None
        # Lighting changes slowly: luma is measured at most every `luma_interval_s` and held in between.
        self.luma_interval_s = 0.2
        self._luma_t: float | None = None
        self._frame_luma = 0.0
        self._box_luma: tuple[float, float] | None = None
        self._last_seen: tuple[float, tuple[int, int, int, int], np.ndarray] | None = None   # t, box, landmarks

    @property
    def hand_runs(self) -> int:
        return self._hands.runs if self._hands is not None else 0

    @property
    def count_runs(self) -> int:
        """How often the face counter ran (0 for still images: one graph finds every face)."""
        return self._counter.runs if self._counter is not None else 0

    def analyse(self, image_bgr: np.ndarray, t_s: float) -> FaceObservation:
        hgt, wid = image_bgr.shape[:2]
        rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
        faces = self._find_faces(rgb, t_s, wid, hgt)
        fresh_luma = (self._static or self._luma_t is None
                      or not 0 <= t_s - self._luma_t < self.luma_interval_s)
        if fresh_luma:
            self._luma_t = t_s
            self._frame_luma = frame_luma(image_bgr)
        frame_bright = self._frame_luma
        if not faces:
            return self._no_face(rgb, t_s, frame_bright, (wid, hgt))
        main = self._choose([f.box for f in faces])
        if main != 0:   # main face first, the rest in mediapipe's order
            faces.insert(0, faces.pop(main))
        boxes = [f.box for f in faces]
        pts, box = faces[0].pts, faces[0].box
        if self._main_box is None or _iou(self._main_box, box) <= 0.3:
            self._pose.reset()
            self._box_luma = None
        self._main_box = box

        pose = self._pose.estimate(pts, (wid, hgt), t_s)
        # the eyes in the head's own frame (gaze.py): the head's turn is not also read as the eyes'
        (glx, gly), (grx, gry) = gaze_mod.gaze(pts, pose.rotation if pose is not None else None)
        mouth_open, eyes_open = mouth_mod.mouth_and_eyes(pts)
        if fresh_luma or self._box_luma is None:
            self._box_luma = box_luma(image_bgr, box)
        luma = self._box_luma
        # the open mouth's dark inside, in the picture (for faces whose lip landmarks stay together as it opens)
        mouth_dark = mouth_mod.mouth_dark(image_bgr, pts, luma[0] if luma else None)
        bx, by, bw, bh = box
        self._last_seen = (t_s, box, pts)

        covered = None
        if self._hands is not None:
            covered = self._hands.held(t_s)
            if self._hands.due(t_s):
                covered = self._hands.measure(rgb, box, pts[_LIPS_OUTER_IDX, :2], pts[_OVAL_IDX, :2], t_s)

        trust = self._trustworthy(faces[0].extent, box, pose, wid, hgt)
        return FaceObservation(
            t_s=t_s, faces=len(faces), trustworthy=trust,
            yaw_deg=pose.yaw_deg if pose else None,
            pitch_deg=pose.pitch_deg if pose else None,
            roll_deg=pose.roll_deg if pose else None,
            gaze_x=(glx + grx) / 2.0, gaze_y=(gly + gry) / 2.0,
            gaze_left_eye=(glx, gly), gaze_right_eye=(grx, gry),
            eyes_open=eyes_open, mouth_open=mouth_open, mouth_dark=mouth_dark,
            face_x=(bx + bw / 2.0) / wid, face_y=(by + bh / 2.0) / hgt, face_size=bw / wid,
            face_box=box,
            brightness=luma[0] if luma else None, contrast=luma[1] if luma else None,
            frame_brightness=frame_bright, face_covered=covered, frame_size=(wid, hgt),
            landmarks=pts[:, :2], all_boxes=tuple(boxes))

    def _find_faces(self, rgb: np.ndarray, t_s: float, wid: int, hgt: int) -> list["_Found"]:
        """Every face in view with its extent and box, each computed once (see the module doc for the graphs)."""
        found = self._landmark_lists(rgb, self._mesh)      # fed on every frame, so its track stays fresh
        if self._counter is not None and self._multi_until is not None and \
                0 <= self._multi_until - t_s <= MULTI_HOLD_S:
            return self._all_faces(rgb, t_s, wid, hgt)      # the one-face graph's landmarks are not even read
        faces = [_Found.of(f, wid, hgt) for f in found]
        if self._counter is None or not faces:
            return faces
        new_track = self._main_box is None or _iou(self._main_box, faces[0].box) <= 0.3
        if (new_track or self._counter.due(t_s)) and self._counter.count(rgb, t_s) > 1:
            return self._all_faces(rgb, t_s, wid, hgt)
        return faces

    def _all_faces(self, rgb: np.ndarray, t_s: float, wid: int, hgt: int) -> list["_Found"]:
        if self._multi_mesh is None:
            self._multi_mesh = self._mp.solutions.face_mesh.FaceMesh(max_num_faces=self.max_faces,
                                                                     **self._mesh_options)
        faces = [_Found.of(f, wid, hgt) for f in self._landmark_lists(rgb, self._multi_mesh)]
        if len(faces) > 1:
            self._multi_until = t_s + MULTI_HOLD_S
        return faces

    def _landmark_lists(self, rgb: np.ndarray, mesh) -> list:
        """Face Mesh on one RGB frame: its NormalizedLandmarkLists (empty when no face).

        What FaceMesh.process does, minus the results class it builds with collections.namedtuple on every call
        (~0.13 ms a frame, more than all our geometry). Uses SolutionBase's graph the way process() does (mediapipe
        is pinned to 0.10.21); if those internals are not there, falls back to process()."""
        if self._lean is None:
            return mesh.process(rgb).multi_face_landmarks or []
        creator, getter, srgb = self._lean
        mesh._graph_outputs.clear()
        mesh._simulated_timestamp += 33333
        mesh._graph.add_packet_to_input_stream(
            stream="image", packet=creator.create_image(rgb, image_format=srgb).at(mesh._simulated_timestamp))
        mesh._graph.wait_until_idle()
        packet = mesh._graph_outputs.get("multi_face_landmarks")
        if packet is None or packet.is_empty():
            return []
        return getter.get_proto_list(packet)

    def _choose(self, boxes: list[tuple[int, int, int, int]]) -> int:
        if self._main_box is not None and len(boxes) > 1:
            ious = [_iou(self._main_box, b) for b in boxes]
            best = int(np.argmax(ious))
            if ious[best] > 0.3:
                return best
        return int(np.argmax([b[2] * b[3] for b in boxes]))

    def _no_face(self, rgb: np.ndarray, t_s: float, frame_bright: float, size: tuple[int, int]) -> FaceObservation:
        self._pose.reset()
        self._main_box = None
        self._box_luma = None
        covered = None
        # A hand over the face often hides it from Face Mesh: look for one where the face just was.
        if self._hands is not None and self._last_seen is not None:
            seen_t, box, pts = self._last_seen
            if 0 <= t_s - seen_t <= self._hands_after_loss_s:
                covered = self._hands.held(t_s)
                if self._hands.due(t_s):
                    covered = self._hands.measure(rgb, box, pts[_LIPS_OUTER_IDX, :2], pts[_OVAL_IDX, :2], t_s)
        return FaceObservation(t_s=t_s, faces=0, trustworthy=False, frame_brightness=frame_bright,
                               face_covered=covered, frame_size=size)

    @staticmethod
    def _trustworthy(ext: tuple[float, float, float, float], box: tuple[int, int, int, int], pose, wid: int,
                     hgt: int) -> bool:
        if pose is None:
            return False
        bw = box[2]
        if bw < MIN_FACE_PX or bw < MIN_FACE_FRACTION * wid:
            return False
        mx, my = EDGE_MARGIN * wid, EDGE_MARGIN * hgt
        if ext[0] < mx or ext[1] < my or ext[2] > wid - mx or ext[3] > hgt - my:
            return False
        if abs(pose.yaw_deg) > MAX_ABS_YAW or abs(pose.pitch_deg) > MAX_ABS_PITCH:
            return False
        return pose.reprojection_px <= MAX_REPROJECTION * bw

    def close(self) -> None:
        self._mesh.close()
        if self._multi_mesh is not None:
            self._multi_mesh.close()
        if self._counter is not None:
            self._counter.close()
        if self._hands is not None:
            self._hands.close()

    def __enter__(self) -> "FaceAnalyser":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
