"""One typed, versioned settings schema, loaded tolerantly: a bad value is reported and replaced by its default,
and a broken file never stops the app from starting."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from proctorprep import paths

SCHEMA_VERSION = 1
PROFILES: tuple[str, ...] = ("lenient", "standard", "strict")


@dataclass
class Settings:
    version: int = SCHEMA_VERSION
    profile: str = "standard"                 # proctor strictness: lenient | standard | strict
    live_warnings: bool = True                # show proctor-style warnings during the exam
    keep_snapshots: bool = True               # keep a small picture per incident for the report
    show_self_view: bool = True               # small camera tile during the exam
    show_landmarks: bool = False              # draw the face mesh in the check-in preview
    show_timer: bool = True
    camera_index: int = 0
    camera_width: int = 640
    camera_height: int = 480
    camera_fps: int = 30
    microphone: str = ""                      # device name or index as text; "" = system default
    analysis_fps: float = 15.0                # face analysis rate; lower it on slow machines
    calibration_seconds: float = 5.0          # for recordings: the first N seconds are taken as "looking at the screen"
    candidate_name: str = ""                  # printed on badges and reports
    theme: str = "system"                     # system | light | dark
    warning_sound: bool = True                # a soft chime with each live proctor warning
    full_screen_exam: bool = False            # run the exam full screen, as real exam clients do
    last_exam: str = ""                       # the exam chosen last time (Home starts there)
    last_video: str = ""                      # the video file used last time ("" = the camera)
    last_audio: str = ""                      # the audio file used last time ("" = the microphone)
    exam_minutes: int = 0                     # exam length chosen on Home; 0 = the bank's own time limit
    threshold_overrides: dict[str, dict[str, float]] = field(default_factory=dict)  # profile -> {threshold: value}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_CHOICES: dict[str, tuple[str, ...]] = {"profile": PROFILES, "theme": ("system", "light", "dark")}
_RANGES: dict[str, tuple[float, float]] = {
    "camera_index": (0, 63), "camera_width": (160, 3840), "camera_height": (120, 2160), "camera_fps": (1, 120),
    "analysis_fps": (1.0, 60.0), "calibration_seconds": (1.0, 60.0), "exam_minutes": (0, 600),
}


def _check(name: str, value: Any, default: Any) -> Any:
    """Return the value if valid for the field, else raise ValueError with a reason."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {value!r}")
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise ValueError(f"expected a number, got {value!r}")
        value = float(value)
    elif isinstance(default, str):
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        if len(value) > 500:
            raise ValueError("text longer than 500 characters")
    elif isinstance(default, dict):
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, dict)
            and all(isinstance(tk, str) and isinstance(tv, (int, float)) and not isinstance(tv, bool)
                    for tk, tv in v.items())
            for k, v in value.items()
        ):
            raise ValueError("expected {profile: {threshold: number}}")
        return {k: {tk: float(tv) for tk, tv in v.items()} for k, v in value.items()}
    if name in _CHOICES and value not in _CHOICES[name]:
        raise ValueError(f"expected one of {', '.join(_CHOICES[name])}, got {value!r}")
    if name in _RANGES:
        lo, hi = _RANGES[name]
        if not lo <= value <= hi:
            raise ValueError(f"expected {lo:g} to {hi:g}, got {value!r}")
    return value


def from_dict(raw: Any) -> tuple[Settings, list[str]]:
    """Build settings from parsed JSON; returns the settings and one problem line per value that was replaced."""
    problems: list[str] = []
    defaults = Settings()
    if not isinstance(raw, dict):
        return defaults, [f"settings: expected an object, got {type(raw).__name__}; using defaults"]
    values: dict[str, Any] = {}
    known = {f.name for f in fields(Settings)}
    for key in raw:
        if key not in known:
            problems.append(f"settings: unknown setting {key!r} ignored")
    for f in fields(Settings):
        if f.name == "version" or f.name not in raw:
            continue
        default = getattr(defaults, f.name)
        try:
            values[f.name] = _check(f.name, raw[f.name], default)
        except ValueError as exc:
            problems.append(f"settings: {f.name}: {exc}; using the default {default!r}")
    return Settings(**values), problems


def load(path: Path | None = None) -> tuple[Settings, list[str]]:
    """Load settings from `path` (default: the user's settings file). Never raises for a bad file."""
    path = path or paths.settings_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), [f"settings: cannot read {path}: {exc}; using defaults"]
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        return Settings(), [f"settings: {path} is not valid JSON ({exc}); using defaults"]
    return from_dict(raw)


def save(settings: Settings, path: Path | None = None) -> Path:
    path = path or paths.settings_file()
    return paths.write_private(path, json.dumps(settings.to_dict(), indent=2, sort_keys=True))
