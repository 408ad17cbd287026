"""Whose voice was it? The candidate's lips, frame by frame, for the rules that judge sound (talking, other_voice).

Speech heard while the candidate's lips move (or cannot be seen) is the candidate talking; speech heard while the
lips are seen still and closed all along is someone else — a person in the room, a TV, a phone on speaker. "Still
and closed" means every trustworthy frame of the window (the chunk, widened by `audio_lag_s` on both sides, since
sound and picture may be that far apart) has the inner-lip gap within `lips_still` of a mouthing opening of the
calibrated rest. One frame that cannot be judged (no trustworthy face, head turned away) makes the window "cannot
tell", which counts as the candidate (the old rule) for talking and as nothing for other_voice.

The audio rules therefore wait for the picture: a chunk is decided once frames up to its window's end have been
seen, or at once when the session has no picture at all (audio-only tests, a lost camera), or when the picture is
more than MAX_WAIT_S behind (a stalled camera). The decision is stamped with the chunk's own time, so waiting never
moves an incident's start or its decided_s, only when the live warning is shown (at most the lag later).
"""

from __future__ import annotations

from collections import deque
from typing import Iterator

from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors.base import GatedDetector
from proctorprep.rules.incidents import IncidentUpdate
from proctorprep.rules.thresholds import Thresholds

MAX_WAIT_S = 1.5          # the picture this far behind the sound: decide without it
KEEP_S = 6.0              # lip states kept this long behind the newest frame


def facing(obs: FaceObservation, cal: Calibration) -> bool:
    """The head faces the screen: the lip gap a face mesh measures is only comparable to the calibrated rest then."""
    if obs.yaw_deg is None or obs.pitch_deg is None:
        return False
    dy = obs.pitch_deg - cal.pitch_deg
    return (abs(obs.yaw_deg - cal.yaw_deg) <= cal.range_x_deg + 10.0
            and -cal.range_down_deg - 10.0 <= dy <= cal.range_up_deg + 10.0)


class LipTrack:
    def __init__(self, cal: Calibration, thr: Thresholds) -> None:
        self.cal, self.thr = cal, thr
        opening = max(thr.mouth_amp_min, thr.mouth_amp_spreads * cal.mouth_spread)
        self.still_gap = thr.lips_still * opening
        self._frames: deque[tuple[float, bool | None]] = deque()   # (t, lips still and closed | cannot tell)
        self.face_clock = float("-inf")
        self.pictures = False          # a face observation was ever fed (the session has a picture)
        self._waiting: deque[AudioObservation] = deque()
        self.lost = False              # the camera is lost: decide without waiting

    def feed_face(self, obs: FaceObservation) -> None:
        self.pictures = True
        ok = obs.faces >= 1 and obs.trustworthy and obs.mouth_open is not None and facing(obs, self.cal)
        still = None if not ok else bool(obs.mouth_open - self.cal.mouth_rest <= self.still_gap)
        self._frames.append((obs.t_s, still))
        self.face_clock = max(self.face_clock, obs.t_s)
        while self._frames and self._frames[0][0] < self.face_clock - KEEP_S:
            self._frames.popleft()

    def lips_still(self, t0: float, t1: float) -> bool | None:
        """True: every frame in [t0, t1] shows the lips still and closed; False: some frame shows them moving;
        None: no frame, or some frame cannot be judged."""
        states = [s for t, s in self._frames if t0 <= t <= t1]
        if not states:
            return None
        if any(s is False for s in states):
            return False
        return None if any(s is None for s in states) else True

    def window(self, obs: AudioObservation) -> tuple[float, float]:
        lag = self.thr.audio_lag_s
        return obs.t_s - lag, obs.t_s + obs.duration_s + lag

    # --- waiting for the picture
    def push(self, obs: AudioObservation) -> None:
        self._waiting.append(obs)

    def ready(self, final: bool = False) -> Iterator[tuple[AudioObservation, bool | None]]:
        """The waiting chunks that can be decided now, each with the lips' state over its window."""
        while self._waiting:
            obs = self._waiting[0]
            t0, t1 = self.window(obs)
            behind = self._waiting[-1].t_s - obs.t_s > MAX_WAIT_S
            if not (final or self.lost or not self.pictures or self.face_clock >= t1 or behind):
                return
            self._waiting.popleft()
            yield obs, (self.lips_still(t0, t1) if self.pictures and not self.lost else None)


class VoiceRule(GatedDetector):
    """A rule of sound that asks whose voice it was: subclasses judge one chunk with the lips' state over its
    window (`judge(obs, still)`); this class feeds the LipTrack and waits for the picture."""

    lips: LipTrack

    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        self.lips.feed_face(obs)
        return self._decide()

    def feed_audio(self, obs: AudioObservation) -> list[IncidentUpdate]:
        self.lips.push(obs)
        return self._decide()

    def set_camera(self, available: bool) -> list[IncidentUpdate]:
        """The camera was lost (or came back): do not wait for pictures that will not come."""
        self.lips.lost = not available
        return self._decide()

    def finish(self, t: float) -> list[IncidentUpdate]:
        return self._decide(final=True) + super().finish(t)

    def _decide(self, final: bool = False) -> list[IncidentUpdate]:
        out: list[IncidentUpdate] = []
        for obs, still in self.lips.ready(final):
            out.extend(self.judge(obs, still))
        return out

    def judge(self, obs: AudioObservation, still: bool | None) -> list[IncidentUpdate]:
        raise NotImplementedError
