"""The face-analysis rate of a live session: the settings' rate while the machine keeps up, and a lower FIXED rate
from the moment it does not.

A camera delivers 30 frames a second; the rules need far fewer (their dwell times are seconds), so the live session
analyses at `settings.analysis_fps` (15 by default). On a laptop that is also running a video call the analysis of
one frame can take longer than its share of time: frames then queue up behind the analyser in effect (the newest
frame wins, but every analysis is late), the fan spins and the GUI competes for the CPU. So the rate is watched: when
the analyser was busy more than `busy_share` of the last `window_s` seconds, the rate drops one step and stays there
(a rate that went up and down would make a session's observations uneven and its report harder to read). Each drop
is announced as a DeviceEvent of kind "slow", which the session journals, so the report can say at what rate the
session was analysed. No Qt here: the video worker calls it.
"""

from __future__ import annotations

# frames/s. 10 is the floor: below it the rules cannot count the syllables of silent mouthing (measured in the rules'
# evaluation); a machine too slow even for 10 simply analyses the newest frame whenever it is free.
STEPS = (30.0, 20.0, 15.0, 12.0, 10.0)


class AnalysisRate:
    def __init__(self, fps: float, window_s: float = 3.0, busy_share: float = 0.7, floor_fps: float = 10.0) -> None:
        self.fps = max(1.0, float(fps))
        self.requested_fps = self.fps
        self.window_s = window_s
        self.busy_share = busy_share
        self.floor_fps = floor_fps
        self._window_t0: float | None = None
        self._busy_s = 0.0
        self._last_t = -1e9

    @property
    def period_s(self) -> float:
        return 1.0 / self.fps

    def due(self, t_s: float) -> bool:
        """Whether the frame at t_s should be analysed (a little slack so a 30 fps feed gives exactly 15)."""
        if t_s - self._last_t >= self.period_s * 0.95:
            self._last_t = t_s
            return True
        return False

    def record(self, t_s: float, analysis_s: float) -> float | None:
        """One analysis of the frame at t_s took analysis_s (wall time). Returns the new rate when it was lowered."""
        if self._window_t0 is None:
            self._window_t0 = t_s
        self._busy_s += analysis_s
        span = t_s - self._window_t0
        if span < self.window_s:
            return None
        busy = self._busy_s / span
        self._window_t0, self._busy_s = t_s, 0.0
        if busy <= self.busy_share or self.fps <= self.floor_fps:
            return None
        lower = [s for s in STEPS if s < self.fps - 1e-6]
        self.fps = max(lower[0] if lower else self.floor_fps, self.floor_fps)
        return self.fps

    def message(self) -> str:
        return (f"The computer is busy: the face is analysed {self.fps:g} times a second instead of "
                f"{self.requested_fps:g} from now on.")
