"""What each part of a session's analysis costs in CPU time: the accounting behind the live budget (a live session
stays within 15 % of one core at 15 analysed frames a second; `./run-bench` prints the table).

Why CPU time and not wall time: the candidate's laptop runs a video call beside us, and the figure that matters is
how much of a core we take, whatever else runs. Two views, because neither alone sees everything:
- `CostLedger`: each named part timed where it is called, in the CPU time of the calling thread (`thread_time`),
  so a part is charged for its own work only, never for what other threads did meanwhile. Every detector of the
  rule engine is counted this way, whoever registers it (`RuleEngine(costs=...)` wraps each one), and so are the
  pipeline's perception calls. A library that does its work on threads of its own (mediapipe's graph) shows only
  its caller's share here;
- the benchmark's thread table (bench/bench_live.py `thread_cpu`): the CPU time of every thread of the process
  by name, which catches those library threads ("mediapipe"), the decoder, the GUI and anything not yet named.
Cheap enough to stay on: one ledger entry costs two thread-clock reads (~1 us) per call.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator

METERED_PREFIXES = ("feed_", "tick", "finish", "set_has_audio")   # a detector's work methods


@dataclass
class Cost:
    calls: int = 0
    cpu_s: float = 0.0

    @property
    def us_per_call(self) -> float:
        return self.cpu_s / self.calls * 1e6 if self.calls else 0.0


class CostLedger:
    """CPU seconds per named part, each measured in the calling thread's CPU time. Thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.thread_time) -> None:
        self._clock = clock
        self._costs: dict[str, Cost] = {}
        self._lock = threading.Lock()

    def add(self, name: str, cpu_s: float, calls: int = 1) -> None:
        with self._lock:
            c = self._costs.get(name)
            if c is None:
                c = self._costs[name] = Cost()
            c.calls += calls
            c.cpu_s += cpu_s

    def measure(self, name: str) -> "_Measure":
        """`with ledger.measure("face analysis"): ...` charges the block's CPU time to `name`."""
        return _Measure(self, name)

    def timed(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        clock, add = self._clock, self.add

        def call(*args: Any, **kwargs: Any) -> Any:
            t0 = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                add(name, clock() - t0)

        return call

    def detector(self, detector: Any, name: str | None = None) -> Any:
        """`detector` with its work methods (feed_*, tick, finish, ...) charged to `name` (default: its class)."""
        return MeteredDetector(detector, self, name or detector_name(detector))

    def snapshot(self) -> dict[str, Cost]:
        with self._lock:
            return {k: Cost(v.calls, v.cpu_s) for k, v in self._costs.items()}

    def since(self, before: dict[str, Cost]) -> dict[str, Cost]:
        """What was spent after `before` (an earlier snapshot): a measurement window, e.g. the exam alone."""
        out = {}
        for k, v in self.snapshot().items():
            b = before.get(k, Cost())
            if v.calls - b.calls:
                out[k] = Cost(v.calls - b.calls, v.cpu_s - b.cpu_s)
        return out


class _Measure:
    __slots__ = ("_ledger", "_name", "_t0")

    def __init__(self, ledger: CostLedger, name: str) -> None:
        self._ledger, self._name, self._t0 = ledger, name, 0.0

    def __enter__(self) -> None:
        self._t0 = self._ledger._clock()

    def __exit__(self, *_: object) -> None:
        self._ledger.add(self._name, self._ledger._clock() - self._t0)


def detector_name(detector: Any) -> str:
    """'LookingAwayDetector' -> 'rule: looking away'."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(detector).__name__.removesuffix("Detector")).lower()
    return f"rule: {words}"


class MeteredDetector:
    """A detector whose work methods are timed into a ledger; everything else passes through unchanged, and it
    has exactly the methods the detector has (the engine sorts detectors by `hasattr(d, "feed_face")`)."""

    def __init__(self, inner: Any, ledger: CostLedger, name: str) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_ledger", ledger)
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._inner, attr)
        if callable(value) and attr.startswith(METERED_PREFIXES):
            value = self._ledger.timed(self._name, value)
            object.__setattr__(self, attr, value)      # built once per method
        return value

    def __setattr__(self, attr: str, value: Any) -> None:
        setattr(self._inner, attr, value)

    def __repr__(self) -> str:
        return f"MeteredDetector({self._inner!r})"


def iter_rows(costs: dict[str, Cost], wall_s: float) -> Iterator[tuple[str, float, int, float]]:
    """(name, % of one core, calls, microseconds a call), the costliest first."""
    for name, c in sorted(costs.items(), key=lambda kv: -kv[1].cpu_s):
        yield name, c.cpu_s / wall_s * 100.0 if wall_s > 0 else 0.0, c.calls, c.us_per_call
