"""Stretches of speech cut from the audio stream where the voice detector (Silero) hears speech, for the speech-content
analyser: silence and noise never reach the recogniser, so they cost nothing.

`StretchCollector.add(samples, t_s, observations)` takes each block of 16 kHz samples with the observations the
voice analyser made of it and returns the stretches that ended. A stretch opens at the first chunk whose speech
probability reaches `speech_prob` (with `pre_s` of sound before it, so the first syllable is not cut), goes on through
pauses shorter than `hang_s`, and ends after them or at `max_s` (a long monologue is judged piece by piece, so a
warning does not wait for the candidate to stop). Stretches shorter than `min_s` of voiced sound are dropped: a cough
says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

RATE = 16000


@dataclass(frozen=True, slots=True)
class SpeechStretch:
    start_s: float
    samples: np.ndarray = field(repr=False)     # float32 mono at 16 kHz
    voiced_s: float = 0.0

    @property
    def end_s(self) -> float:
        return self.start_s + len(self.samples) / RATE


class StretchCollector:
    def __init__(self, speech_prob: float = 0.5, pre_s: float = 0.3, hang_s: float = 0.6, max_s: float = 12.0,
                 min_s: float = 0.4) -> None:
        self.speech_prob, self.pre_s, self.hang_s, self.max_s, self.min_s = speech_prob, pre_s, hang_s, max_s, min_s
        self._buf = np.zeros(0, np.float32)
        self._buf_t = 0.0                 # session time of _buf[0]
        self._start: float | None = None  # start of the open stretch
        self._last_voiced = 0.0           # end of its last voiced chunk
        self._voiced_s = 0.0

    def add(self, samples: np.ndarray, t_s: float, observations: Iterable) -> list[SpeechStretch]:
        x = np.asarray(samples, dtype=np.float32).reshape(-1)
        end_buf = self._buf_t + len(self._buf) / RATE
        if len(self._buf) and abs(t_s - end_buf) > 1.5 / RATE * 512:
            # a gap (a lost microphone): what was open ends where the sound stopped
            out = self._close(end_buf)
            self._buf, self._buf_t = x.copy(), float(t_s)
        else:
            out = []
            if not len(self._buf):
                self._buf_t = float(t_s)
            self._buf = np.concatenate((self._buf, x)) if len(self._buf) else x.copy()
        for obs in observations:
            t_end = obs.t_s + obs.duration_s
            if obs.speech_prob >= self.speech_prob:
                if self._start is None:
                    self._start = max(self._buf_t, obs.t_s - self.pre_s)
                    self._voiced_s = 0.0
                self._last_voiced = t_end
                self._voiced_s += obs.duration_s
            elif self._start is not None and t_end - self._last_voiced >= self.hang_s:
                out += self._close(min(t_end, self._last_voiced + self.pre_s))
            if self._start is not None and t_end - self._start >= self.max_s:
                out += self._close(t_end)
        self._trim()
        return out

    def flush(self) -> list[SpeechStretch]:
        """The end of the stream: the open stretch, if any."""
        return self._close(self._buf_t + len(self._buf) / RATE)

    def _close(self, end_s: float) -> list[SpeechStretch]:
        if self._start is None:
            return []
        start, voiced = self._start, self._voiced_s
        self._start = None
        if voiced < self.min_s:
            return []
        i = max(0, int(round((start - self._buf_t) * RATE)))
        j = min(len(self._buf), int(round((end_s - self._buf_t) * RATE)))
        return [SpeechStretch(self._buf_t + i / RATE, self._buf[i:j].copy(), voiced)] if j > i else []

    def _trim(self) -> None:
        """Keep only what a stretch may still need: the open one, or the last pre_s seconds."""
        end = self._buf_t + len(self._buf) / RATE
        keep_from = self._start if self._start is not None else end - self.pre_s - 0.1
        cut = int((keep_from - self._buf_t) * RATE)
        if cut > 0:
            self._buf = self._buf[cut:]
            self._buf_t += cut / RATE
