"""The check-in checklist, as pure logic: observations in, item states with a plain-language fix out."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

OK, BAD, PENDING = "ok", "bad", "pending"


@dataclass(frozen=True)
class CheckItem:
    key: str
    title: str
    state: str          # ok | bad | pending
    fix: str            # what to do when it is not ok (plain words)


TITLES = {
    "face": "Face found",
    "one_person": "Only you in view",
    "position": "Centred and close enough",
    "lighting": "Lit from the front (no backlight)",
    "microphone": "Microphone working",
    "quiet": "Room quiet",
    "speech": "Speech heard when you talk",
}
FIXES = {
    "face": "Sit in front of the camera and face it; make sure nothing covers the lens.",
    "one_person": "Only you may be in view: ask anyone else to leave the room, and cover photos or posters of faces.",
    "position": "Move so your face is in the middle of the picture, about an arm's length from the screen.",
    "lighting": "Light your face from the front: face a window or a lamp, and do not sit with a window behind you.",
    "microphone": "No sound arrives: check the microphone is plugged in, not muted, and chosen on the home page.",
    "quiet": "The room is noisy: close doors and windows, switch off music, TV and fans.",
    "speech": "Say a few words out loud: the speech light should come on. If it does not, move closer to the microphone.",
}


NO_CAMERA = ("No camera picture: check that the camera is connected, not used by another app and allowed for this "
             "app, and chosen on the home page — or use a video file instead.")
NO_MICROPHONE = ("No sound: check that a microphone is connected, not muted, and chosen on the home page — or use an "
                 "audio file instead. The exam can run without one, but talking is then not checked.")


class Checklist:
    """Judges the last ~1.5 s of observations (a single odd frame never flips an item)."""

    def __init__(self, window: int = 20, quiet_dbfs: float = -45.0) -> None:
        self.face_obs: deque[Any] = deque(maxlen=window)
        self.levels: deque[Any] = deque(maxlen=30)
        self.quiet_dbfs = quiet_dbfs
        self.speech_heard = False
        self.speech_now = False

    def add_face(self, obs: Any) -> None:
        if obs is not None:
            self.face_obs.append(obs)

    def add_level(self, view: Any) -> None:
        if view is None:
            return
        self.levels.append(view)
        self.speech_now = view.speech_prob >= 0.5
        self.speech_heard = self.speech_heard or self.speech_now

    def _share(self, pred) -> float:
        obs = list(self.face_obs)
        return sum(1 for o in obs if pred(o)) / len(obs) if obs else 0.0

    def items(self, camera: bool = True, microphone: bool = True) -> list[CheckItem]:
        out: list[CheckItem] = []

        def add(key: str, state: str, fix: str | None = None) -> None:
            out.append(CheckItem(key, TITLES[key], state, fix or FIXES[key]))

        if not camera:
            add("face", BAD, NO_CAMERA)
            for key in ("one_person", "position", "lighting"):
                add(key, BAD, "Needs the camera picture.")
        elif len(self.face_obs) < 5:
            for key in ("face", "one_person", "position", "lighting"):
                add(key, PENDING)
        else:
            found = self._share(lambda o: o.faces >= 1) >= 0.7
            add("face", OK if found else BAD)
            add("one_person", OK if found and self._share(lambda o: o.faces <= 1) >= 0.9 else
                BAD if self._share(lambda o: o.faces >= 2) > 0.1 else PENDING)
            add("position", OK if found and self._share(_centred) >= 0.7 else BAD if found else PENDING,
                _position_fix(self.face_obs[-1]) if found else None)
            add("lighting", OK if found and self._share(_lit) >= 0.7 else BAD if found else PENDING,
                _lighting_fix(self.face_obs[-1]) if found else None)
        if not microphone:
            add("microphone", BAD, NO_MICROPHONE)
            for key in ("quiet", "speech"):
                add(key, BAD, "Needs the microphone.")
            return out
        if not self.levels:
            for key in ("microphone", "quiet", "speech"):
                add(key, PENDING)
            return out
        working = any(v.rms_dbfs > -100.0 for v in self.levels)
        add("microphone", OK if working else BAD)
        floor = self.levels[-1].noise_floor_dbfs
        add("quiet", OK if working and floor <= self.quiet_dbfs else BAD,
            FIXES["quiet"] + f" (background noise now {floor:.0f} dBFS; aim for below {self.quiet_dbfs:.0f})")
        add("speech", OK if self.speech_heard else PENDING)
        return out


def _centred(o: Any) -> bool:
    if o.face_x is None or o.face_size is None:
        return False
    return 0.25 <= o.face_x <= 0.75 and 0.2 <= (o.face_y if o.face_y is not None else 0.5) <= 0.8 \
        and o.face_size >= 0.15


def _position_fix(o: Any) -> str:
    if o.face_size is not None and o.face_size < 0.15:
        return "Move closer to the camera: your face should fill about a fifth of the picture's width."
    if o.face_x is not None and not 0.25 <= o.face_x <= 0.75:
        return "Move sideways so your face is in the middle of the picture."
    return FIXES["position"]


def _lit(o: Any) -> bool:
    if o.brightness is None:
        return False
    backlit = o.frame_brightness is not None and o.frame_brightness - o.brightness > 45
    return o.brightness >= 60 and not backlit


def _lighting_fix(o: Any) -> str:
    if o.brightness is not None and o.brightness < 60:
        return "Your face is too dark: switch on a light in front of you."
    return FIXES["lighting"]
