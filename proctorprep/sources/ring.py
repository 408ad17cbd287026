"""A preallocated single-producer / single-consumer ring buffer for the PortAudio callback.

The producer (the audio callback, on PortAudio's thread) only copies samples in and moves its own counter; the
consumer (a worker) only copies out and moves its own counter. Each counter has one writer and Python int assignment
is atomic, so no lock is needed and the callback never waits. When the ring is full the NEW block is dropped and
counted: the callback must not touch the reader's counter.
"""

from __future__ import annotations

import numpy as np


class AudioRing:
    def __init__(self, capacity_frames: int, channels: int):
        if capacity_frames <= 0 or channels <= 0:
            raise ValueError("ring capacity and channel count must be positive")
        self.capacity = int(capacity_frames)
        self.channels = int(channels)
        self._buf = np.zeros((self.capacity, self.channels), dtype=np.float32)
        self._written = 0        # frames ever written (producer's counter)
        self._read = 0           # frames ever read (consumer's counter)
        self.overflows = 0       # blocks that did not fit and were dropped
        self.dropped_frames = 0  # frames in those blocks

    def write(self, data: np.ndarray) -> bool:
        """Producer side, called from the audio callback: copy `data` (frames x channels) in, or drop and count it."""
        n = data.shape[0]
        w = self._written
        if n > self.capacity - (w - self._read):
            self.overflows += 1
            self.dropped_frames += n
            return False
        i = w % self.capacity
        first = min(n, self.capacity - i)
        self._buf[i:i + first] = data[:first]
        if first < n:
            self._buf[:n - first] = data[first:]
        self._written = w + n     # publish only after the copy is complete
        return True

    def available(self) -> int:
        return self._written - self._read

    def read(self, max_frames: int | None = None) -> np.ndarray:
        """Consumer side: a copy of up to `max_frames` of the oldest unread frames (frames x channels)."""
        n = self._written - self._read
        if max_frames is not None:
            n = min(n, int(max_frames))
        out = np.empty((n, self.channels), dtype=np.float32)
        i = self._read % self.capacity
        first = min(n, self.capacity - i)
        out[:first] = self._buf[i:i + first]
        if first < n:
            out[first:] = self._buf[:n - first]
        self._read += n
        return out
