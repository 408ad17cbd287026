"""The candidate's lips, frame by frame: what counts as an opening (LipTrigger, for mouthing) and, for the rules that
judge sound (talking, other_voice), whose voice it was.

Two views of the lips, each with its own rest from the calibration: the inner-lip gap of the landmarks, and the
mouth's dark inside in the picture (perception.mouth.mouth_dark; for faces whose lip landmarks stay together while
the mouth opens, judged only near the calibrated head pose). Each opening threshold clears the rest by an amplitude
(a minimum, spreads and frame jitters of the rest) and the top of the rest's reading (its 95th percentile: lips
parted at rest read closed in most frames and open to their gap in others; that flicker is not movement).

Speech heard while the candidate's lips move (or cannot be seen) is the candidate talking; speech heard while the
lips are seen still and closed all along is someone else — a person in the room, a TV, a phone on speaker. "Still
and closed" means every trustworthy frame of the window (the chunk, widened by `audio_lag_s` on both sides, since
sound and picture may be that far apart) reads within `lips_still` of the way from the rest (and from the top of
its reading) to a mouthing opening, in both views; a single frame beyond that between two still ones is the
landmarks' flicker, not movement. One frame that cannot be judged (no trustworthy face, head turned away) makes the window "cannot
tell", which counts as the candidate (the old rule) for talking and as nothing for other_voice.

The audio rules therefore wait for the picture: a chunk is decided once frames up to its window's end have been
seen, or at once when the session has no picture at all (audio-only tests, a lost camera), or when the picture is
more than MAX_WAIT_S behind (a stalled camera). The decision is stamped with the chunk's own time, so waiting never
moves an incident's start or its decided_s, only when the live warning is shown (at most the lag later).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Iterator

from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors.base import GatedDetector
from proctorprep.rules.incidents import IncidentUpdate
from proctorprep.rules.thresholds import Thresholds

MAX_WAIT_S = 1.5          # the picture this far behind the sound: decide without it
KEEP_S = 6.0              # lip states kept this long behind the newest frame
MAX_FRAME_GAP_S = 0.25    # two judged frames further apart than this are not "in a row"
# What counts as the lips opening (for mouthing, and the reverse, "still and closed", for the voice rules):
JITTER_SPREADS = 6.0      # an opening clears this many frames' jitter of the measure at rest
CLOSE_JITTERS = 4.0       # ... and falling back means dropping by at least this many
SUSTAIN_AMP = 0.6         # inside a mouthing run, openings of this share of the starting amplitude keep it going
DARK_AMP_MIN = 0.08       # the mouth's dark inside: an opening darkens at least this share of the lips' region,
DARK_AMP_SPREADS = 4.0    # ... and this many calibrated spreads (MADs) of that share at rest,
DARK_MAX_TURN_DEG = 6.0   # ... judged within this many degrees of the calibrated head pose


def opening_amplitude(cal: Calibration, amp_min: float, amp_spreads: float) -> float:
    """How far above the rest the inner-lip gap must rise to count as an opening (thresholds mouth_amp_min and
    mouth_amp_spreads; the report draws this line on the lip plot)."""
    return max(amp_min, amp_spreads * cal.mouth_spread, JITTER_SPREADS * cal.mouth_jitter)


def opening_level(cal: Calibration, amp_min: float, amp_spreads: float) -> float:
    """The inner-lip gap an opening must reach: the rest + opening_amplitude, and amp_min above the top of the gap
    at rest (lips parted at rest read open in some frames; the report draws this line)."""
    top = max(cal.mouth_rest, cal.mouth_rest_top)
    return max(cal.mouth_rest + opening_amplitude(cal, amp_min, amp_spreads), top + amp_min)


@dataclass
class LipTrigger:
    """A Schmitt trigger on one measure of the lips' opening, with its thresholds from the calibration.

    To start a run (not yet judged mouthing) an opening is a rise to `open_at` (clear of the rest by `amp`, and of
    the top of the reading at rest) and back, by `close` below it or by a whole `amp` below its peak (the lips do
    not always close between syllables). Inside a run it follows the speech: a rise of SUSTAIN_AMP x
    amp above the last low point that also reaches `follow_at`, closed again by half of that."""

    rest: float
    open_at: float
    follow_at: float
    amp: float
    close: float
    is_open: bool = False
    trough: float = 0.0       # lowest since the lips last closed
    peak: float = 0.0         # highest since they last opened

    @classmethod
    def for_gap(cls, cal: Calibration, thr: Thresholds) -> "LipTrigger":
        amp = opening_amplitude(cal, thr.mouth_amp_min, thr.mouth_amp_spreads)
        top = max(cal.mouth_rest, cal.mouth_rest_top)
        clear = thr.mouth_amp_min
        return cls(rest=cal.mouth_rest, open_at=opening_level(cal, thr.mouth_amp_min, thr.mouth_amp_spreads),
                   follow_at=max(cal.mouth_rest + SUSTAIN_AMP * amp, top + SUSTAIN_AMP * clear),
                   amp=amp, close=max(0.5 * amp, CLOSE_JITTERS * cal.mouth_jitter),
                   trough=cal.mouth_rest, peak=cal.mouth_rest)

    @classmethod
    def for_dark(cls, cal: Calibration) -> "LipTrigger":
        rest, top = cal.mouth_dark_rest, max(cal.mouth_dark_rest, cal.mouth_dark_top)
        amp = max(DARK_AMP_MIN, DARK_AMP_SPREADS * cal.mouth_dark_spread, JITTER_SPREADS * cal.mouth_dark_jitter)
        return cls(rest=rest, open_at=max(rest + amp, top + DARK_AMP_MIN),
                   follow_at=max(rest + SUSTAIN_AMP * amp, top + SUSTAIN_AMP * DARK_AMP_MIN),
                   amp=amp, close=max(0.5 * amp, CLOSE_JITTERS * cal.mouth_dark_jitter), trough=rest, peak=rest)

    def still_level(self, share: float, top: float) -> float:
        """Up to here the lips read still and closed: `share` (thresholds.lips_still) of the way from the rest to an
        opening, and as much of the way from the top of the rest's reading (parted lips that read open in some
        frames are not moving)."""
        return max(self.rest, self.rest + share * (self.open_at - self.rest), top + share * (self.open_at - top))

    def step(self, m: float, running: bool) -> bool:
        """Feed one frame's value; True when an opening starts. `running`: the run has been judged mouthing."""
        if not running:
            if not self.is_open:
                self.trough = min(self.trough, m)
                if m >= self.open_at:
                    self.is_open, self.peak = True, m
                    return True
                return False
            # closed again: back below the opening by `close`, or down by a whole amplitude from the peak (lips that
            # do not quite close between syllables)
            self.peak = max(self.peak, m)
            if m <= self.open_at - self.close or m <= self.peak - self.amp:
                self.is_open, self.trough = False, m
            return False
        amp = SUSTAIN_AMP * self.amp
        if not self.is_open:
            self.trough = min(self.trough, m)
            # ... and still an opening above the rest: a wiggle of a mouth that is noisy at rest is not
            if m >= self.trough + amp and m >= self.follow_at:
                self.is_open, self.peak = True, m
                return True
        else:
            self.peak = max(self.peak, m)
            if m <= self.peak - 0.5 * amp:
                self.is_open, self.trough = False, m
        return False


def near_calibrated_pose(obs: FaceObservation, cal: Calibration) -> bool:
    """The picture of the lips (shading, a beard, the teeth) changes with the head's angle: their dark share is
    compared with its rest only near the pose it was calibrated at (rocking would otherwise read as openings)."""
    if obs.yaw_deg is None or obs.pitch_deg is None:
        return False
    return (abs(obs.yaw_deg - cal.yaw_deg) <= DARK_MAX_TURN_DEG
            and abs(obs.pitch_deg - cal.pitch_deg) <= DARK_MAX_TURN_DEG)


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
        # still and closed in both views of the lips: a gap well below an opening (above the top of what lips parted
        # at rest read, so their flicker is not movement), and no dark inside of an open mouth (for faces whose
        # landmarks keep the lips together while the mouth opens)
        gap, dark = LipTrigger.for_gap(cal, thr), LipTrigger.for_dark(cal)
        self._still_gap = gap.still_level(thr.lips_still, max(cal.mouth_rest, cal.mouth_rest_top))
        self._still_dark = dark.still_level(thr.lips_still, max(cal.mouth_dark_rest, cal.mouth_dark_top))
        self.still_gap = self._still_gap - cal.mouth_rest       # above the rest (the evidence says it)
        self._frames: deque[tuple[float, bool | None]] = deque()   # (t, lips still and closed | cannot tell)
        self._beyond: tuple[float, bool] | None = None   # the last judged frame: (t, beyond the still level)
        self.face_clock = float("-inf")
        self.pictures = False          # a face observation was ever fed (the session has a picture)
        self._waiting: deque[AudioObservation] = deque()
        self.lost = False              # the camera is lost: decide without waiting

    def feed_face(self, obs: FaceObservation) -> None:
        self.pictures = True
        ok = obs.faces >= 1 and obs.trustworthy and obs.mouth_open is not None and facing(obs, self.cal)
        still = None
        if ok:
            beyond = obs.mouth_open > self._still_gap or (
                obs.mouth_dark is not None and near_calibrated_pose(obs, self.cal) and obs.mouth_dark > self._still_dark)
            # moving lips stay beyond the still level for more than one frame; one frame's flicker of the landmarks
            # is not movement (the first frame after a gap counts as it reads)
            prev = self._beyond if self._beyond is not None and obs.t_s - self._beyond[0] <= MAX_FRAME_GAP_S else None
            still = not (beyond and (prev is None or prev[1]))
            self._beyond = (obs.t_s, beyond)
        else:
            self._beyond = None
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
