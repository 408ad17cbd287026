"""Exam conditions: what the exam client itself knows, as plain events on the session clock.

Webcam and microphone are not the only witnesses a real proctor has. The exam client reports how many screens are
connected, whether its window has the focus (or was minimised, or left full screen), and what phase the session is
in (between the check-in and the first question, the exam, a break). The desktop app's thin Qt adapter
(ui/conditions.py) turns Qt's screens and application state into these events; the session layer journals them and
hands them to the rules. A recording replayed by `analyze` has none of them, and the report says those rules were
not judged rather than pretending they were kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# kinds
SCREENS = "screens"        # value: the number of screens connected; detail["names"]: their names
WINDOW = "window"          # value: one of WINDOW_STATES
PHASE = "phase"            # value: one of PHASES

# the exam window's state
ACTIVE = "active"                    # focused, as it should be
INACTIVE = "inactive"                # another window has the focus
MINIMISED = "minimised"              # hidden or minimised
LEFT_FULL_SCREEN = "left_full_screen"  # focused, but the exam ran full screen and no longer does
WINDOW_STATES: tuple[str, ...] = (ACTIVE, INACTIVE, MINIMISED, LEFT_FULL_SCREEN)

# the session's phase
PRE_START = "pre_start"    # the check-in is done, the first question not shown yet (the greeter's strict rule)
EXAM = "exam"              # questions on screen
BREAK = "break"            # an allowed break: leaving the camera is fine, nothing is judged from the camera
PHASES: tuple[str, ...] = (PRE_START, EXAM, BREAK)

KINDS = {SCREENS: None, WINDOW: WINDOW_STATES, PHASE: PHASES}


class ConditionError(ValueError):
    """An event of an unknown kind or value; the message names it."""


@dataclass(frozen=True, slots=True)
class ConditionEvent:
    t_s: float                 # session clock
    kind: str                  # SCREENS | WINDOW | PHASE
    value: Any                 # int for SCREENS, a state or phase name otherwise
    detail: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ConditionError(f"unknown condition kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        allowed = KINDS[self.kind]
        if allowed is None:
            if isinstance(self.value, bool) or not isinstance(self.value, int) or self.value < 0:
                raise ConditionError(f"a {self.kind} event needs a screen count, got {self.value!r}")
        elif self.value not in allowed:
            raise ConditionError(f"unknown {self.kind} value {self.value!r}; expected one of {', '.join(allowed)}")

    def to_dict(self) -> dict[str, Any]:
        """As journaled (an exam event of kind "condition")."""
        return {"kind": self.kind, "value": self.value, **({"detail": self.detail} if self.detail else {})}

    @classmethod
    def from_dict(cls, t_s: float, d: dict[str, Any]) -> "ConditionEvent":
        return cls(float(t_s), str(d.get("kind")), d.get("value"), dict(d.get("detail") or {}))
