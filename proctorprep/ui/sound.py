"""The warning cue: a soft two-note chime, so a candidate whose eyes are on the question notices the proctor's
message. Synthesised (no sound file to ship) and played through PortAudio, which the app already uses for the
microphone; with no PortAudio or no output device it falls back to the system beep. Played off the GUI thread
(opening an output stream can take a moment). The user turns it off in Settings ("Sound with warnings")."""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)
RATE = 44100


def chime(rate: int = RATE) -> np.ndarray:
    """Two short notes (E5 then A5) with a soft attack and decay, at a modest level: float32 mono."""
    parts = []
    for freq, dur in ((659.25, 0.16), (880.0, 0.28)):
        t = np.arange(int(rate * dur)) / rate
        env = np.minimum(1.0, t / 0.01) * np.exp(-t * 9.0)
        parts.append(0.25 * env * np.sin(2 * np.pi * freq * t))
    return np.concatenate(parts).astype(np.float32)


def play_chime() -> bool:
    """Play the chime (blocking: call it off the GUI thread); False when no audio device took it, and the caller
    gives the system beep instead (on the GUI thread, where Qt wants it)."""
    try:
        import sounddevice as sd

        sd.play(chime(), RATE, blocking=True)
        return True
    except Exception as exc:   # noqa: BLE001 - no PortAudio, no output device, a busy device: beep instead
        log.info("warning cue through PortAudio failed (%s); using the system beep", exc)
        return False
