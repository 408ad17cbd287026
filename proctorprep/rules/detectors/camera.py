"""camera_moved: the view behind the candidate shifted or changed compared with the check-in's.

The reference is the check-in's background (DetectorSetup.scene_reference, a perception.scene.SceneSignature), or,
when a session has none (a recording), the median of its first REF_FRAMES usable views. Every scene signature after
that is compared with it (perception.scene.compare): a "change" of `camera_change` or more, explained by a shift of
the whole background (perception.scene.estimate_shift) or so large that no shift matches (another view), that lasts
`camera_dwell_s` is a move. Lighting changes barely touch the edges, and the candidate's own movement is masked out
with the face and body, so neither is a move; a person walking past behind is shorter than the dwell.

A moved camera usually stays where it was put. So once an incident is open, the detector watches for the view to be
steady in its new place for `camera_settle_s`: the incident ends there and that view becomes the reference (a
second move from there is a second incident; moving it back is one too).
"""

from __future__ import annotations

from typing import Any

from proctorprep.perception.scene import SceneSignature, compare, estimate_shift, median_signature
from proctorprep.rules.detectors.base import GatedDetector, confidence
from proctorprep.rules.incidents import CAMERA_MOVED, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds

REF_FRAMES = 5
SHIFT_GAIN = 0.15     # a shift must explain this much more of the edges than no shift ...
OTHER_VIEW = 0.35     # ... or even the best shift matches this little: the camera looks at another view


class CameraMovedDetector(GatedDetector):
    type = CAMERA_MOVED

    def __init__(self, thr: Thresholds, reference: SceneSignature | None = None) -> None:
        super().__init__(thr.camera_dwell_s, off_s=1.0, bridge_s=0.7, max_gap_s=max(thr.max_gap_s, 3.0))
        self.thr = thr
        self.reference = reference if reference is not None and reference.usable else None
        self.reference_from = "check-in" if self.reference is not None else "first seconds"
        self._first: list[SceneSignature] = []
        self._place: SceneSignature | None = None     # where the view is now, while a move is open
        self._place_since = 0.0
        self._last_shift: tuple[float, float, float] | None = None

    def feed_scene(self, sig: SceneSignature) -> list[IncidentUpdate]:
        if self.reference is None:
            if sig.usable:
                self._first.append(sig)
            if len(self._first) >= REF_FRAMES:
                self.reference = median_signature(self._first)
                self._first = []
            return []
        c = compare(self.reference, sig)
        cond = self._moved(sig, c.change) if c.usable else None
        updates, in_run = self.step(sig.t_s, cond)
        if in_run:
            a = self.acc
            a["change_max"] = max(a.get("change_max", 0.0), c.change)
            a["brightness_ratio"] = c.brightness_ratio
            a.setdefault("moved", sig)
            if self._last_shift is not None:
                a.setdefault("shift", self._last_shift)
        if self.gate.is_open and cond:
            updates += self._settle(sig)
        return updates

    def _moved(self, sig: SceneSignature, change: float) -> bool:
        if change < self.thr.camera_change:
            return False
        assert self.reference is not None
        dx, dy, fit = estimate_shift(self.reference, sig)
        self._last_shift = (dx, dy, fit)
        return fit - (1.0 - change) >= SHIFT_GAIN or fit < OTHER_VIEW

    def _settle(self, sig: SceneSignature) -> list[IncidentUpdate]:
        if self._place is None or not compare(self._place, sig).usable \
                or compare(self._place, sig).change >= self.thr.camera_change / 2:
            self._place, self._place_since = sig, sig.t_s
            return []
        if sig.t_s - self._place_since < self.thr.camera_settle_s:
            return []
        out = self._handle(self.gate.force_end(sig.t_s))
        self.reference, self._place = self._place, None
        self.reference_from = "the camera's new place"
        return out

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        a = self.acc
        change = a.get("change_max", 0.0)
        moved = a.get("moved")
        if "shift" not in a and moved is not None and self.reference is not None:
            a["shift"] = estimate_shift(self.reference, moved)
        dx, dy, fit = a.get("shift", (0.0, 0.0, 0.0))
        evidence = {"change": round(change, 3), "threshold": self.thr.camera_change,
                    "shift_x": round(dx, 3), "shift_y": round(dy, 3), "shift_fit": fit,
                    "brightness_ratio": a.get("brightness_ratio", 1.0), "reference": self.reference_from}
        if fit >= 0.5 and (abs(dx) >= 0.01 or abs(dy) >= 0.01):
            side = ("left" if dx < 0 else "right") if abs(dx) >= abs(dy) else ("up" if dy < 0 else "down")
            how = f"the background shifted about {100 * max(abs(dx), abs(dy)):.0f}% of the picture {side}"
        else:
            how = "the view behind you is not the one you checked in with"
        text = f"The camera was moved: {how} ({100 * change:.0f}% of its edges changed) for {end_s - start_s:.1f} s"
        return None, confidence((change - self.thr.camera_change) * 3 + 0.3), evidence, text
