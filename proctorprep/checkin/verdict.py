"""What a check-in photo was judged: one Verdict per check, in plain words with one fix, and the photo's verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The photos of the check-in, in the order the real one asks for them (Pearson OnVUE: face, ID, then the room).
HEADSHOT, ID_CARD = "headshot", "id"
WORKSPACE_SIDES: tuple[str, ...] = ("front", "left", "right", "behind")
KINDS: tuple[str, ...] = (HEADSHOT, ID_CARD) + tuple(f"workspace_{s}" for s in WORKSPACE_SIDES)

KIND_TITLES: dict[str, str] = {
    HEADSHOT: "Headshot",
    ID_CARD: "ID photo",
    **{f"workspace_{s}": f"Workspace, {s}" for s in WORKSPACE_SIDES},
}

# What the candidate does for each photo, as a greeter asks for it.
KIND_PROMPTS: dict[str, str] = {
    HEADSHOT: ("Sit as you will during the exam, look straight into the camera with your eyes open, no hat or hood, "
               "then take the photo."),
    ID_CARD: ("Hold your government ID up to the camera, photo side out, close enough to fill about half of the "
              "picture, fingers off the text and the photo."),
    "workspace_front": "Turn the camera (or the laptop) to show the desk in front of you.",
    "workspace_left": "Turn the camera to show what is to your left.",
    "workspace_right": "Turn the camera to show what is to your right.",
    "workspace_behind": "Turn the camera to show what is behind you (the wall, the door).",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """One check of one photo. `passed` None: could not be judged (e.g. no face to compare with)."""

    check: str                 # a stable key: "one_face", "sharp", "name_matches", ...
    title: str                 # what was checked, as a greeter says it: "Sharp"
    passed: bool | None
    words: str                 # what was seen, plainly: "The photo is blurred (sharpness 12, needs 40)"
    fix: str = ""              # one thing to do about it ("" when it passed)
    measured: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "title": self.title, "passed": self.passed, "words": self.words,
                "fix": self.fix, "measured": dict(self.measured)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Verdict":
        passed = d.get("passed")
        return cls(check=str(d.get("check", "")), title=str(d.get("title", "")),
                   passed=None if passed is None else bool(passed), words=str(d.get("words", "")),
                   fix=str(d.get("fix", "")), measured=dict(d.get("measured") or {}))


def passed(check: str, title: str, words: str, **measured: Any) -> Verdict:
    return Verdict(check, title, True, words, "", measured)


def failed(check: str, title: str, words: str, fix: str, **measured: Any) -> Verdict:
    return Verdict(check, title, False, words, fix, measured)


def sharp_verdict(value: float, limit: float, what: str, fix: str) -> Verdict:
    """The blur check, the same for every photo: `what` is "The photo", "The card"."""
    if value < limit:
        return failed("sharp", "Sharp", f"{what} is blurred (sharpness {value:.0f}, needs {limit:.0f})", fix,
                      sharpness=round(value, 1), limit=limit)
    return passed("sharp", "Sharp", "Sharp", sharpness=round(value, 1))


def unknown(check: str, title: str, words: str, fix: str = "", **measured: Any) -> Verdict:
    return Verdict(check, title, None, words, fix, measured)


@dataclass(frozen=True)
class PhotoVerdict:
    """One photo: its kind, every check, and whether it passed (all checks that could be judged passed)."""

    kind: str
    verdicts: tuple[Verdict, ...]
    skipped: bool = False          # the candidate skipped this photo
    kept_as: str | None = None     # the file name it was kept under in the session folder (None: not kept)
    cpu_s: float = 0.0             # CPU time the checks took

    @property
    def passed(self) -> bool:
        return not self.skipped and all(v.passed is not False for v in self.verdicts)

    @property
    def failures(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.passed is False]

    @property
    def title(self) -> str:
        return KIND_TITLES.get(self.kind, self.kind)

    def headline(self) -> str:
        """One line: "Headshot: passed" or "ID photo: 2 problems — the photo is blurred; ...". """
        if self.skipped:
            return f"{self.title}: skipped"
        bad = self.failures
        if not bad:
            return f"{self.title}: passed"
        return f"{self.title}: " + "; ".join(v.words for v in bad)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title, "passed": self.passed, "skipped": self.skipped,
                "kept_as": self.kept_as, "cpu_s": round(self.cpu_s, 3),
                "verdicts": [v.to_dict() for v in self.verdicts]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PhotoVerdict":
        return cls(kind=str(d.get("kind", "")), verdicts=tuple(Verdict.from_dict(v) for v in d.get("verdicts") or ()
                                                               if isinstance(v, dict)),
                   skipped=bool(d.get("skipped", False)), kept_as=d.get("kept_as") or None,
                   cpu_s=float(d.get("cpu_s") or 0.0))
