"""Down-mix to mono and resample to the analysis rate (16 kHz) with soxr, one stream at a time.

Every audio source (microphone, audio file, video soundtrack) goes through `StreamResampler`, so the same sound gives
the same samples whatever rate, channel count or sample format it arrived in.
"""

from __future__ import annotations

import numpy as np
import soxr

ANALYSIS_RATE = 16000


def to_mono_float32(data: np.ndarray) -> np.ndarray:
    """(n,) or (n, channels) samples of any numeric dtype -> (n,) float32 in -1..1.

    Integer PCM is scaled by its full-scale value; channels are averaged (a stereo mic's two capsules hear the same
    voice, and averaging keeps the level of a centred source).
    """
    a = np.asarray(data)
    if a.dtype.kind in "iu":
        info = np.iinfo(a.dtype)
        scale = float(-int(info.min)) if info.min < 0 else (info.max + 1) / 2.0
        offset = 0.0 if info.min < 0 else scale
        a = (a.astype(np.float32) - np.float32(offset)) / np.float32(scale)
    elif a.dtype != np.float32:
        a = a.astype(np.float32)
    if a.ndim == 2:
        a = a[:, 0] if a.shape[1] == 1 else a.mean(axis=1, dtype=np.float32)
    elif a.ndim != 1:
        raise ValueError(f"audio must be 1-D or 2-D (samples x channels), got shape {a.shape}")
    return np.ascontiguousarray(a, dtype=np.float32)


class StreamResampler:
    """Mono float32 at `in_rate` -> mono float32 at `out_rate`, fed piece by piece without clicks at the seams."""

    def __init__(self, in_rate: float, out_rate: int = ANALYSIS_RATE, quality: str = "HQ"):
        if in_rate <= 0:
            raise ValueError(f"sample rate must be positive, got {in_rate}")
        self.in_rate = float(in_rate)
        self.out_rate = int(out_rate)
        # Same rate: pass through, no filter delay.
        self._rs = None if self.in_rate == self.out_rate else soxr.ResampleStream(
            self.in_rate, self.out_rate, 1, dtype="float32", quality=quality)

    def process(self, mono: np.ndarray, last: bool = False) -> np.ndarray:
        if self._rs is None:
            return np.ascontiguousarray(mono, dtype=np.float32)
        return self._rs.resample_chunk(np.ascontiguousarray(mono, dtype=np.float32), last=last)

    def flush(self) -> np.ndarray:
        """The samples still inside the filter at the end of the stream."""
        if self._rs is None:
            return np.zeros(0, np.float32)
        return self._rs.resample_chunk(np.zeros(0, np.float32), last=True)


def resample_to_analysis_rate(data: np.ndarray, rate: float) -> np.ndarray:
    """A whole buffer (any dtype, mono or samples x channels) -> mono float32 at 16 kHz."""
    mono = to_mono_float32(data)
    if rate == ANALYSIS_RATE:
        return mono
    return soxr.resample(mono, rate, ANALYSIS_RATE, quality="HQ").astype(np.float32, copy=False)
