"""One row of the benchmark table: a measured figure, its goal and "ok"/"short"; and the generated clips the
pipeline and live benchmarks share (rendered once, cached in the temp folder, never committed)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Figure:
    name: str
    value: float | None          # None: could not be measured (`note` says why)
    unit: str = ""
    goal: str = ""               # e.g. "<= 40"; "" for a figure reported without a goal
    note: str = ""

    @property
    def measured(self) -> bool:
        return self.value is not None

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "NOT MEASURED"
        if not self.goal:
            return "-"
        op, limit = self.goal.split()
        ok = self.value <= float(limit) if op == "<=" else self.value >= float(limit)
        return "ok" if ok else "short"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "verdict": self.verdict}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Figure":
        return cls(d["name"], d["value"], d.get("unit", ""), d.get("goal", ""), d.get("note", ""))


def failed(name: str, unit: str, goal: str, exc: BaseException | str) -> Figure:
    why = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    return Figure(name, None, unit, goal, why)


def _fmt(v: float | None) -> str:
    if v is None:
        return "-"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def table(figures: Iterable[Figure]) -> str:
    """A plain-text (and Markdown-compatible) table."""
    rows = ["| figure | value | unit | goal | verdict |", "|---|---:|---|---|---|"]
    for f in figures:
        verdict = f.verdict + (f" ({f.note})" if f.note and f.value is None else "")
        rows.append(f"| {f.name} | {_fmt(f.value)} | {f.unit} | {f.goal or '-'} | {verdict} |")
    return "\n".join(rows)


def notes(figures: Iterable[Figure]) -> str:
    return "\n".join(f"- {f.name}: {f.note}" for f in figures if f.note and f.value is not None)


def finish(figures: list[Figure], json_out: str | None) -> int:
    """Print the table (and write JSON); exit status 1 only when something could not be measured."""
    print(table(figures))
    print(notes(figures))
    if json_out:
        dump(figures, json_out)
    return 0 if all(f.measured for f in figures) else 1


def dump(figures: list[Figure], path: str | os.PathLike) -> None:
    Path(path).write_text(json.dumps([f.to_dict() for f in figures], indent=1))


def load(path: str | os.PathLike) -> list[Figure]:
    return [Figure.from_dict(d) for d in json.loads(Path(path).read_text())]


# ------------------------------------------------------------------------------------------------- clips
def cache_dir() -> Path:
    d = Path(os.environ.get("PROCTORPREP_BENCH_CACHE", Path(tempfile.gettempdir()) / "proctorprep-bench"))
    d.mkdir(parents=True, exist_ok=True)
    return d


# A mixed session (incidents of every kind between compliant stretches) for `analyze` and the latency run, and a
# compliant one for the long live run (a live proctor ends a session that keeps misbehaving for ten minutes).
SCRIPTS = {
    "mixed": [("compliant", 10), ("looking_away", 4, "left"), ("compliant", 8), ("talking", 6), ("compliant", 8),
              ("face_missing", 3), ("compliant", 8), ("mouthing", 5), ("compliant", 8)],
    "compliant": [("compliant", 30)],
}
SCRIPTS["mixed2"] = SCRIPTS["mixed"] * 2       # 2 minutes: the whole-command ratio against bare Face Mesh


def bench_clip(kind: str, fps: float = 30.0, size: tuple[int, int] = (640, 480),
               seconds: float | None = None) -> tuple[Path, Path, Path]:
    """(video .avi, audio .wav, both muxed in one .mkv) of a labelled session from tests/fixtures/sessions.py:
    the rendered real face at `size` and `fps`, with its soundtrack (typing, clicks, coughs, speech, room noise).
    `seconds` shortens the script (tiny clips for the smoke test)."""
    from tests.fixtures.sessions import Behaviour, make_session, mux

    script = [Behaviour(*b) for b in SCRIPTS[kind]]
    if seconds is not None:
        kind, script = "compliant", [Behaviour("compliant", seconds)]
    total = sum(b.seconds for b in script)
    tag = f"{kind}-{total:g}s-{fps:g}fps-{size[0]}x{size[1]}"
    d = cache_dir()
    video, audio, muxed = d / f"{tag}.avi", d / f"{tag}.wav", d / f"{tag}.mkv"
    if not (video.exists() and audio.exists() and muxed.exists()):
        s = make_session(d, tag, script, fps=fps, size=size, seed=3)
        mux(s.video, s.audio, muxed)
    return video, audio, muxed
