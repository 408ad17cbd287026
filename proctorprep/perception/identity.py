"""Who is in the picture: a 128-number face descriptor (dlib's ResNet face recognition model, the model behind the
`face_recognition` package) and the distance between two descriptors.

Why dlib directly and not `face_recognition`: that package needs dlib compiled from source (no wheel), while
`dlib-bin` is a wheel and `face-recognition-models` carries the model files; the few calls it wraps are here.
Nothing is downloaded: the model files are read from the installed `face_recognition_models` package. The choice
was measured (docs/readme/checkin.md): about 20 ms of CPU per face on a 640x480 frame, equal error rate 0 on the
packaged photos of nine people at the threshold below.

Distances: the model was trained so that the same person is closer than 0.6 (Euclidean) in 99.38 % of LFW's pairs.
MATCH_DISTANCE is stricter than that (see docs/readme/checkin.md for the pairs it was chosen on).
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MATCH_DISTANCE = 0.55        # at or below: the same person (dlib's own rule of thumb is 0.6)
DESCRIPTOR_SIZE = 128


class IdentityModelMissing(RuntimeError):
    """dlib-bin or face-recognition-models is not installed; the message says what to install."""


@dataclass(frozen=True, slots=True)
class FaceDescriptor:
    """One face: its box in the image (x, y, w, h) and its 128-number descriptor."""

    box: tuple[int, int, int, int]
    vector: np.ndarray

    def distance(self, other: "FaceDescriptor | np.ndarray") -> float:
        return descriptor_distance(self.vector, other.vector if isinstance(other, FaceDescriptor) else other)


def descriptor_distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)))


def model_folder() -> Path:
    """The installed face_recognition_models package's model folder, found without importing the package (its
    __init__ needs pkg_resources, which new setuptools no longer ship)."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise IdentityModelMissing("face recognition needs its model files: pip install face-recognition-models")
    folder = Path(list(spec.submodule_search_locations)[0]) / "models"
    if not (folder / "dlib_face_recognition_resnet_model_v1.dat").is_file():
        raise IdentityModelMissing(f"the face recognition model is missing from {folder}: reinstall "
                                   "face-recognition-models")
    return folder


_MODELS: dict[str, Any] = {}
_LOAD_LOCK = threading.Lock()


def _models() -> dict[str, Any]:
    """The detector, the 5-point aligner and the recogniser, loaded once per process (about 1 s, 33 MB)."""
    with _LOAD_LOCK:
        if not _MODELS:
            try:
                import dlib
            except ImportError as exc:          # pragma: no cover - a dependency
                raise IdentityModelMissing("face recognition needs dlib-bin: pip install dlib-bin") from exc
            folder = model_folder()
            _MODELS["dlib"] = dlib
            _MODELS["detector"] = dlib.get_frontal_face_detector()
            _MODELS["aligner"] = dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat"))
            _MODELS["recogniser"] = dlib.face_recognition_model_v1(
                str(folder / "dlib_face_recognition_resnet_model_v1.dat"))
        return _MODELS


def _rgb(image_bgr: np.ndarray) -> np.ndarray:
    if image_bgr.ndim == 2:
        return np.ascontiguousarray(np.stack([image_bgr] * 3, axis=-1))
    return np.ascontiguousarray(image_bgr[:, :, ::-1])


class FaceIdentifier:
    """Finds faces and describes them. Thread-safe in use (dlib's calls hold no shared state); the models are
    shared by every instance. `remote` (perception.identity_process.DescriptorProcess): the descriptor's network
    runs in that child process, on the face chip cut here (the live session: dlib holds the GIL while it runs)."""

    def __init__(self, remote: Any | None = None) -> None:
        self._m = _models()
        self.remote = remote

    def find(self, image_bgr: np.ndarray, upsample: int = 1) -> list[tuple[int, int, int, int]]:
        """Face boxes (x, y, w, h), largest first. upsample=1 finds faces down to about 40 px wide."""
        rects = self._m["detector"](_rgb(image_bgr), upsample)
        boxes = [(r.left(), r.top(), r.width(), r.height()) for r in rects]
        return sorted(boxes, key=lambda b: -b[2] * b[3])

    def describe(self, image_bgr: np.ndarray, box: tuple[int, int, int, int]) -> FaceDescriptor:
        """The descriptor of the face in `box` (from find(), or a face box from the face mesh)."""
        dlib = self._m["dlib"]
        x, y, w, h = (int(v) for v in box)
        rgb = _rgb(image_bgr)
        shape = self._m["aligner"](rgb, dlib.rectangle(x, y, x + w, y + h))
        if self.remote is not None:
            chip = dlib.get_face_chip(rgb, shape, size=CHIP_SIZE, padding=CHIP_PADDING)
            vec = np.asarray(self.remote.describe_chip(chip), dtype=np.float32)
        else:
            vec = np.asarray(self._m["recogniser"].compute_face_descriptor(rgb, shape), dtype=np.float32)
        return FaceDescriptor((x, y, w, h), vec)

    def describe_all(self, image_bgr: np.ndarray, upsample: int = 1) -> list[FaceDescriptor]:
        return [self.describe(image_bgr, b) for b in self.find(image_bgr, upsample)]


CHIP_SIZE = 150              # the face chip dlib's recogniser takes, cut with this padding (the child process
CHIP_PADDING = 0.25          # of perception/identity_process.py is sent this chip)
CHECK_INTERVAL_S = 3.0       # the face is compared every this many seconds while it is not clearly the reference
SETTLED_INTERVAL_S = 30.0    # ... and this far apart while it clearly is (most of an exam), unless the picture of
#                              the face changes in between (appearance.py): then at once, but
PICTURE_CHECK_GAP_S = 6.0    # not sooner than this after the last check (a face whose picture keeps changing is
#                              checked as often as every settled face was before the picture comparison: 6 s)
CLEAR_MATCH = 0.45           # "clearly the reference": under MATCH_DISTANCE with a margin (same people: <= 0.49)
RETURN_AFTER_S = 1.0         # a single face back after this long without one is compared at once (a new sitter)
MAX_TURN_DEG = 25.0          # a head turned further than this is not compared ("cannot tell", not "someone else")
MIN_FACE_PX = 60             # nor a face smaller than this (the descriptor needs detail)


class IdentityWatcher:
    """Compares the face in the camera with the reference (the headshot's descriptor) every few seconds: every
    CHECK_INTERVAL_S, or SETTLED_INTERVAL_S after a clear match, and at once when a single face comes back after
    RETURN_AFTER_S without one (someone else sitting down passes through an empty chair or two faces) or when the
    face's picture no longer looks like the one the last clear match was made on (appearance.AppearanceTracker: a
    person changed without passing through either, as at a cut in a recording; given the frames to due()). The face box
    comes from the face mesh's observation of the same frame, so no face detection is run here: one alignment and
    one descriptor per check (~0.17 s of CPU on the 2026-12-02 build machine, see docs/readme/checkin.md). `cpu_s`
    and `checks` say what it cost. due()/claim() and check() may run on different threads (the live session checks
    on its own thread, session/identity_worker.py): they share only the time of the next check."""

    def __init__(self, reference: np.ndarray, interval_s: float = CHECK_INTERVAL_S,
                 identifier: FaceIdentifier | None = None, settled_interval_s: float | None = SETTLED_INTERVAL_S
                 ) -> None:
        ref = np.asarray(reference, dtype=np.float32).reshape(-1)
        if ref.shape != (DESCRIPTOR_SIZE,) or not np.all(np.isfinite(ref)):
            raise ValueError(f"an identity reference is a face descriptor of {DESCRIPTOR_SIZE} numbers")
        self.reference = ref
        self.interval_s = float(interval_s)
        self.settled_interval_s = float(settled_interval_s) if settled_interval_s else self.interval_s
        self._identifier = identifier
        self._next_t: float | None = None
        self._without_since: float | None = None     # since when no single face was seen
        self._last_check_t: float | None = None
        from proctorprep.perception.appearance import AppearanceTracker

        self.appearance = AppearanceTracker()
        self.cpu_s = 0.0
        self.checks = 0
        self.picture_checks = 0        # checks brought forward because the face's picture changed

    @property
    def identifier(self) -> FaceIdentifier | None:
        """The FaceIdentifier the comparisons use (made on the first check if none was given)."""
        return self._identifier

    @identifier.setter
    def identifier(self, identifier: FaceIdentifier | None) -> None:
        self._identifier = identifier

    def due(self, t_s: float, faces: int = 1, image_bgr: np.ndarray | None = None, obs: Any = None) -> bool:
        """Time for a comparison at this frame (`faces`: how many faces it shows; `image_bgr` and its face
        observation `obs`, when given, let a changed picture of the face bring the next comparison forward)."""
        if faces != 1:
            if self._without_since is None:
                self._without_since = t_s
        elif self._without_since is not None:
            away, self._without_since = t_s - self._without_since, None
            if away >= RETURN_AFTER_S:
                self._next_t = t_s                 # whoever sits down now is compared at once
        if self._next_t is None or t_s >= self._next_t:
            return True
        if image_bgr is not None and obs is not None and self._last_check_t is not None \
                and t_s - self._last_check_t >= PICTURE_CHECK_GAP_S and self.appearance.changed(image_bgr, obs):
            self._next_t = t_s
            self.picture_checks += 1
            return True
        return False

    def claim(self, t_s: float) -> None:
        """A comparison of the frame at t_s is on its way (check() will run later, on another thread)."""
        self._next_t = t_s + self.interval_s
        self._last_check_t = t_s

    def check(self, image_bgr: np.ndarray, obs: Any) -> Any:
        """An IdentityObservation for this frame (call when due(); the next check is interval_s later)."""
        import time

        from proctorprep.perception.observations import IdentityObservation

        t = float(obs.t_s)
        self._next_t = t + self.interval_s
        self._last_check_t = t
        if obs.faces != 1 or obs.face_box is None:
            return IdentityObservation(t, None, "no single face")
        if not obs.trustworthy:
            return IdentityObservation(t, None, "face not clear")
        if max(abs(obs.yaw_deg or 0.0), abs(obs.pitch_deg or 0.0)) > MAX_TURN_DEG:
            return IdentityObservation(t, None, "head turned")
        if min(obs.face_box[2], obs.face_box[3]) < MIN_FACE_PX:
            return IdentityObservation(t, None, "face too small")
        if self._identifier is None:
            self._identifier = FaceIdentifier()
        c0 = time.thread_time()
        d = self._identifier.describe(image_bgr, obs.face_box).distance(self.reference)
        self.cpu_s += time.thread_time() - c0
        self.checks += 1
        if d <= CLEAR_MATCH:
            self._next_t = max(self._next_t or t, t + self.settled_interval_s)
            self.appearance.confirm(image_bgr, obs)
        else:
            self.appearance.forget()
        return IdentityObservation(t, round(d, 4))
