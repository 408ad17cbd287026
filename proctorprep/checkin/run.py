"""One check-in: the photos in the real order (headshot, ID, workspace front/left/right/behind), each judged at
once, retaken or skipped; the confirmed checklist; the result for the session record and the report; and the
reference the exam keeps (the headshot's face descriptor for identity_changed, the check-in frames for the
background).

Privacy: photos are analysed in memory and dropped. A photo is kept only when the candidate ticks "keep" for it; the
ID photo only when asked for it by name (`keep=True` on the ID step), never by a blanket choice. Kept photos are
written as JPEG, 0600, into the session's own folder in the data folder by `write_kept` (exports.write_file),
nowhere else. Text read from the ID stays in memory: the result says whether the name matched, not what was read.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

from proctorprep.checkin.checklist import Confirmations
from proctorprep.checkin.verdict import HEADSHOT, ID_CARD, KINDS, WORKSPACE_SIDES, PhotoVerdict

RESULT_VERSION = 1


@dataclass(frozen=True)
class CheckinReference:
    """What the exam keeps of the check-in, in memory only (never journaled):
    - `face`: the headshot's 128-number face descriptor (perception.identity), the reference of identity_changed;
    - `headshot_frame`: the camera's whole picture when the headshot passed: the candidate's seat and the background
      behind them as the camera saw it at check-in (BGR), e.g. for a camera-moved check;
    - `workspace`: the workspace photos by side ("front", "left", "right", "behind"), BGR, as taken.
    Any of them may be missing (a skipped photo, a rehearsal without a camera)."""

    face: np.ndarray | None = None
    headshot_frame: np.ndarray | None = None
    workspace: dict[str, np.ndarray] = field(default_factory=dict)
    t_s: float | None = None         # when the headshot was taken, on the session clock (None: not known)


@dataclass(frozen=True)
class CheckinResult:
    """The check-in as the session record and the report hold it (plain data, JSON-able)."""

    photos: tuple[PhotoVerdict, ...]
    confirmations: Confirmations
    candidate_name: str = ""
    rehearsal: bool = False           # run on its own from Home, not before an exam

    @property
    def passed(self) -> bool:
        return all(p.passed for p in self.photos) and len(self.photos) == len(KINDS) and \
            self.confirmations.all_confirmed

    def photo(self, kind: str) -> PhotoVerdict | None:
        return next((p for p in self.photos if p.kind == kind), None)

    def problems(self) -> list[str]:
        """One line per photo that did not pass and per item not confirmed."""
        out = [p.headline() for p in self.photos if not p.passed]
        out += [f"Not confirmed: {i['text']}" for i in self.confirmations.to_dict() if not i["confirmed"]]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"version": RESULT_VERSION, "passed": self.passed, "rehearsal": self.rehearsal,
                "photos": [p.to_dict() for p in self.photos],
                "confirmed": self.confirmations.to_dict(),
                "name_checked": bool(self.candidate_name.strip())}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "CheckinResult":
        photos = tuple(PhotoVerdict.from_dict(p) for p in d.get("photos") or () if isinstance(p, Mapping))
        return cls(photos=photos, confirmations=Confirmations.from_dict(d.get("confirmed") or ()),
                   rehearsal=bool(d.get("rehearsal", False)))


class CheckinModels:
    """The models the photo checks use, made on first use and shared (mediapipe's face mesh for pose, eyes and the
    forehead; dlib for the face descriptor; RapidOCR, loaded by checkin.ocr). Thread-safe: one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._face = None
        self._identifier = None

    def face(self) -> Any:
        if self._face is None:
            from proctorprep.perception.face import FaceAnalyser

            self._face = FaceAnalyser(max_faces=3, hands=False, static_image_mode=True)
        return self._face

    def identifier(self) -> Any:
        if self._identifier is None:
            from proctorprep.perception.identity import FaceIdentifier

            self._identifier = FaceIdentifier()
        return self._identifier

    def __enter__(self) -> "CheckinModels":
        self._lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    def close(self) -> None:
        """Free the face mesh; waits for a judgement still running on a worker (it holds the lock)."""
        with self._lock:
            if self._face is not None:
                self._face.close()
                self._face = None


class Checkin:
    """The check-in's state. Photos may be taken in any order and retaken (the last take counts); the UI and the CLI
    follow KINDS. Not thread-safe, except `judge` (the slow part) may run on a worker while nothing else is called."""

    def __init__(self, candidate_name: str = "", models: CheckinModels | None = None, rehearsal: bool = False) -> None:
        self.candidate_name = candidate_name
        self.models = models or CheckinModels()
        self.rehearsal = rehearsal
        self.verdicts: dict[str, PhotoVerdict] = {}
        self._kept: dict[str, np.ndarray] = {}
        self._face: np.ndarray | None = None
        self._headshot_frame: np.ndarray | None = None
        self._headshot_t: float | None = None
        self._workspace: dict[str, np.ndarray] = {}
        self.confirmations = Confirmations.of(())
        self.read_text: dict[str, tuple[str, ...]] = {}     # text read per photo, in memory, for the verdict's words

    def judge(self, kind: str, image_bgr: np.ndarray, keep: bool = False, t_s: float | None = None) -> PhotoVerdict:
        """Judge one photo now; it replaces an earlier take of the same kind. keep: keep this photo for the report
        (written by write_kept)."""
        if kind not in KINDS:
            raise ValueError(f"unknown check-in photo {kind!r}; one of {', '.join(KINDS)}")
        if not isinstance(image_bgr, np.ndarray) or image_bgr.ndim != 3 or image_bgr.shape[2] != 3 \
                or image_bgr.dtype != np.uint8 or min(image_bgr.shape[:2]) < 32:
            raise ValueError("a check-in photo must be a colour picture of at least 32x32 pixels")
        t0 = time.process_time()
        with self.models as m:
            if kind == HEADSHOT:
                from proctorprep.checkin.headshot import judge_headshot

                res = judge_headshot(image_bgr, m.face(), m.identifier())
                verdict = res.verdict
                self._face = None if res.descriptor is None else res.descriptor.vector
                self._headshot_frame = image_bgr.copy() if res.descriptor is not None else None
                self._headshot_t = t_s
            elif kind == ID_CARD:
                from proctorprep.checkin.idcard import judge_id
                from proctorprep.perception.identity import FaceDescriptor

                ref = None if self._face is None else FaceDescriptor((0, 0, 0, 0), self._face)
                card = judge_id(image_bgr, self.candidate_name, ref, m.identifier())
                verdict = card.verdict
                self.read_text[kind] = card.text
            else:
                from proctorprep.checkin.workspace import judge_workspace

                side = kind.removeprefix("workspace_")
                verdict, text = judge_workspace(image_bgr, side)
                self.read_text[kind] = text
                self._workspace[side] = image_bgr.copy()
        verdict = PhotoVerdict(verdict.kind, verdict.verdicts, cpu_s=time.process_time() - t0,
                               kept_as=f"checkin-{kind}.jpg" if keep else None)
        self.verdicts[kind] = verdict
        if keep:
            self._kept[kind] = image_bgr.copy()
        else:
            self._kept.pop(kind, None)
        return verdict

    def skip(self, kind: str) -> PhotoVerdict:
        if kind not in KINDS:
            raise ValueError(f"unknown check-in photo {kind!r}")
        self.verdicts[kind] = PhotoVerdict(kind, (), skipped=True)
        self._kept.pop(kind, None)
        if kind == HEADSHOT:
            self._face = self._headshot_frame = None
        return self.verdicts[kind]

    def confirm(self, keys: Iterable[str]) -> Confirmations:
        self.confirmations = Confirmations.of(keys)
        return self.confirmations

    def result(self) -> CheckinResult:
        """The photos judged so far in check-in order; a photo never taken counts as skipped."""
        photos = tuple(self.verdicts.get(k) or PhotoVerdict(k, (), skipped=True) for k in KINDS)
        return CheckinResult(photos, self.confirmations, self.candidate_name, self.rehearsal)

    def reference(self) -> CheckinReference:
        return CheckinReference(face=None if self._face is None else self._face.copy(),
                                headshot_frame=self._headshot_frame, workspace=dict(self._workspace),
                                t_s=self._headshot_t)

    @property
    def kept(self) -> list[str]:
        return [k for k in KINDS if k in self._kept]

    def write_kept(self, folder: Path) -> list[Path]:
        """Write the photos the candidate chose to keep into `folder` (the session's folder), 0600, and forget them.
        Raises OSError naming the file when one cannot be written (nothing is silently lost: the rest stay)."""
        import cv2

        from proctorprep.exports import write_file

        written = []
        for kind in list(self.kept):
            name = self.verdicts[kind].kept_as or f"checkin-{kind}.jpg"
            ok, buf = cv2.imencode(".jpg", self._kept[kind], [cv2.IMWRITE_JPEG_QUALITY, 85])
            if not ok:
                raise OSError(f"{name}: the photo could not be encoded")
            written.append(write_file(Path(folder) / name, buf.tobytes()))
            del self._kept[kind]
        return written

    def close(self) -> None:
        """Forget the photos not yet written and free the face mesh (the reference's descriptor stays)."""
        self._kept.clear()
        self.models.close()
