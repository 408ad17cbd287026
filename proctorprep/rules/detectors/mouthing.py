"""mouthing: the lips move like speech while no speech is heard ("repeating the question with your mouth").

Lip activity: to start, the lips open clearly and close again (a Schmitt trigger counts openings); at least
`mouth_min_openings` openings within `mouth_window_s` is speech-like rhythm. A yawn (one long opening), a smile or a
held-open mouth are not. The lips are seen two ways (rules/detectors/lips.py, LipTrigger), and an opening of either
counts (one syllable seen by both, or openings faster than syllables, MIN_SYLLABLE_S apart, count once):
- the inner-lip gap of the landmarks, rising above the lips' rest by a clear amplitude and above the top of what
  they read at rest (lips parted at rest read closed in most frames and open to their gap in others: that flicker
  is not speech);
- the mouth's dark inside in the picture (perception.mouth.mouth_dark), for faces whose lip landmarks stay together
  while the mouth opens; judged only near the calibrated head pose (the lips' shading changes with the angle).

A smile is wide and static; mouthing is a 2-6 Hz oscillation. A toothy smile reads as a wide gap that Face Mesh
follows unsteadily (it jitters from frame to frame and drifts by several hundredths as the head nods), so: an opening
must clear JITTER_SPREADS times the frame-to-frame jitter the calibration measured at rest (`opening_amplitude`);
falling back needs a drop of at least CLOSE_JITTERS jitters, so noise on a steady gap does not toggle the trigger;
and while the dwell builds up every opening must be a clear one; only a run already judged mouthing is followed with
the smaller openings below. A mouth that widens into a smile and stays there is one opening, not a rhythm.

Once a run has been judged mouthing (its dwell reached), it follows the speech for as long as it lasts rather than
breaking into fragments: real syllables are irregular (2-6 Hz) and often small, the lips do not always close between
them, and phrases have pauses. So within a run an opening is a rise of SUSTAIN_AMP of the starting amplitude above
the last low point (closed again by half of that) that also reaches that much above the rest, one opening is enough,
and the lips may rest up to MAX_PAUSE_IN_RUN_S between openings before the run's off-time starts.

No speech heard: no voiced audio in [t - window - lag, t + lag]. Audio may reach the rules up to `audio_lag_s` later
than video, so each frame's decision waits until the audio clock has passed t + lag (analyze feeds audio ahead, so
it rarely waits). When the session has no audio source at all, lips moving like speech are still reported as
mouthing, with `evidence.no_audio = true`, a lower confidence and an explanation that it may also have been talking.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.detectors.base import GatedDetector, confidence
from proctorprep.rules.detectors.lips import LipTrigger, near_calibrated_pose
from proctorprep.rules.detectors.talking import is_voiced
from proctorprep.rules.incidents import MOUTHING, Incident, IncidentUpdate
from proctorprep.rules.thresholds import Thresholds

SUPPRESS_PROB = 0.35      # a chunk this likely to be speech counts as "heard" (err on the side of talking)
NO_AUDIO_CONFIDENCE = 0.6
MAX_SYLLABLE_GAP_S = 0.8   # lips still for longer than this: the speech-like movement has stopped (a word gap)
MAX_AUDIO_WAIT_S = 3.0    # audio this far behind the picture (a stalled microphone): judge with what was heard
SYLLABLE_S = 0.3          # an opening lasts about this long: a run ends this long after its last opening
MAX_PAUSE_IN_RUN_S = 1.5  # ... and the lips may rest this long between them (a pause between phrases)
MIN_SYLLABLE_S = 1 / 6    # openings closer than this are one syllable (syllables come at 6 Hz at most)


class MouthingDetector(GatedDetector):
    type = MOUTHING

    def __init__(self, cal: Calibration, thr: Thresholds, has_audio: bool = True) -> None:
        super().__init__(thr.mouth_dwell_s, thr.mouth_off_s, bridge_s=0.4, max_gap_s=thr.max_gap_s)
        self.cal, self.thr = cal, thr
        self.has_audio = has_audio
        # two views of the same lips: the inner-lip gap of the landmarks, and the dark inside of an open mouth in
        # the picture (for faces whose landmarks keep the lips together while the mouth opens)
        self._gap = LipTrigger.for_gap(cal, thr)
        self._dark = LipTrigger.for_dark(cal)
        self._openings: deque[float] = deque()
        self._voiced: deque[tuple[float, float]] = deque()   # (start, end) of chunks that may be speech
        self._audio_clock = float("-inf")
        # frames waiting for the audio to catch up: (t, lips moving, run start, peak opening, last opening, openings)
        self._waiting: deque[tuple[float, bool | None, float | None, float, float | None, int]] = deque()

    # --- audio side: remember where speech might have been
    def feed_audio(self, obs: AudioObservation) -> list[IncidentUpdate]:
        self._audio_clock = max(self._audio_clock, obs.t_s + obs.duration_s)
        if is_voiced(obs, self.cal, self.thr, prob=SUPPRESS_PROB):
            self._voiced.append((obs.t_s, obs.t_s + obs.duration_s))
        return self._drain(final=False)

    def set_has_audio(self, has_audio: bool) -> list[IncidentUpdate]:
        self.has_audio = has_audio
        return self._drain(final=False)

    # --- video side: lip activity
    def feed_face(self, obs: FaceObservation) -> list[IncidentUpdate]:
        t = obs.t_s
        # the lip gap a face mesh measures changes with the head's angle: judge the lips only while the head
        # faces the screen (a candidate turned away is looking away, whatever the lips do)
        m = obs.mouth_open if (obs.faces >= 1 and obs.trustworthy and self._facing(obs)) else None
        lips: bool | None
        since: float | None = None
        peak = 0.0
        if m is None:
            lips = None
        else:
            running = self.gate.is_open
            opened = self._gap.step(m, running)
            if obs.mouth_dark is not None and near_calibrated_pose(obs, self.cal):
                opened = self._dark.step(obs.mouth_dark, running) or opened
            # one syllable seen by both views (or a flicker faster than syllables) is one opening
            if opened and (not self._openings or t - self._openings[-1] >= MIN_SYLLABLE_S):
                self._openings.append(t)
            while self._openings and self._openings[0] < t - max(self.thr.mouth_window_s, MAX_PAUSE_IN_RUN_S):
                self._openings.popleft()
            recent = [o for o in self._openings if o >= t - self.thr.mouth_window_s]
            if self.gate.is_open:     # keep following the speech: one opening, and pauses between phrases
                lips = bool(self._openings) and t - self._openings[-1] <= MAX_PAUSE_IN_RUN_S
            else:           # speech-like: enough openings in the window, the last one recent
                lips = (len(recent) >= self.thr.mouth_min_openings
                        and t - self._openings[-1] <= MAX_SYLLABLE_GAP_S)
            since = recent[0] if lips and recent else None
            peak = m - self.cal.mouth_rest
        last = self._openings[-1] if self._openings else None
        n_recent = sum(1 for o in self._openings if o >= t - self.thr.mouth_window_s)
        self._waiting.append((t, lips, since, peak, last, n_recent))
        return self._drain(final=False)

    def _facing(self, obs: FaceObservation) -> bool:
        if obs.yaw_deg is None or obs.pitch_deg is None:
            return False
        dy = obs.pitch_deg - self.cal.pitch_deg
        return (abs(obs.yaw_deg - self.cal.yaw_deg) <= self.cal.range_x_deg
                and -self.cal.range_down_deg <= dy <= self.cal.range_up_deg)

    def finish(self, t: float) -> list[IncidentUpdate]:
        return self._drain(final=True) + super().finish(t)

    def _drain(self, final: bool) -> list[IncidentUpdate]:
        out: list[IncidentUpdate] = []
        lag = self.thr.audio_lag_s
        while self._waiting and (final or not self.has_audio or self._audio_clock >= self._waiting[0][0] + lag
                                 or self._waiting[-1][0] - self._waiting[0][0] > MAX_AUDIO_WAIT_S):
            t, lips, since, peak, last, n_open = self._waiting.popleft()
            heard = self._heard(t) if self.has_audio else False
            cond = None if lips is None else (lips and not heard)
            updates, in_run = self.step(t, cond, since)
            out.extend(updates)
            if in_run:
                a = self.acc
                if last is not None:
                    a["last_open_s"] = max(a.get("last_open_s", last), last)
                a["peak"] = max(a.get("peak", 0.0), peak)
                a["openings"] = max(a.get("openings", 0), n_open)
        while self._voiced and self._voiced[0][1] < (self._waiting[0][0] if self._waiting else self._audio_clock) \
                - self.thr.mouth_window_s - 2 * lag:
            self._voiced.popleft()
        return out

    def _heard(self, t: float) -> bool:
        lo, hi = t - self.thr.mouth_window_s - self.thr.audio_lag_s, t + self.thr.audio_lag_s
        return any(s < hi and e > lo for s, e in self._voiced)

    def make(self, start_s: float, end_s: float, decided_s: float | None = None) -> Incident:
        # the gate closes a word gap after the lips stopped; the movement itself ended with the last syllable
        last = self.acc.get("last_open_s")
        end = end_s if last is None else max(start_s, min(end_s, last + SYLLABLE_S))
        return super().make(start_s, end, decided_s)

    def describe(self, start_s: float, end_s: float) -> tuple[str | None, float, dict[str, Any], str]:
        a = self.acc
        dur = end_s - start_s
        rate = a.get("openings", 0) / self.thr.mouth_window_s
        evidence: dict[str, Any] = {"openings_per_s": round(rate, 2), "rest": round(self.cal.mouth_rest, 3),
                                    "peak_opening_above_rest": round(a.get("peak", 0.0), 3),
                                    "no_audio": not self.has_audio}
        if self.has_audio:
            text = f"Your lips moved as if speaking for {dur:.1f} s, but no voice was heard"
            conf = confidence(0.3 + 0.4 * dur / self.thr.mouth_dwell_s + 2 * a.get("peak", 0.0))
        else:
            # No sound reached the rules then: no microphone, a lost one, or an audio file that had ended.
            text = (f"Your lips moved as if speaking for {dur:.1f} s; no sound was being recorded then, so this "
                    "may also have been talking")
            conf = NO_AUDIO_CONFIDENCE
        return None, conf, evidence, text
