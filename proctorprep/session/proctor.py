"""The proctor's side of a live exam, decided here without Qt: which policy actions the candidate sees, when the
exam is paused, and what happens when the proctor ends it.

- Every action the policy gives is shown (the policy paces its warnings like a proctor, so the warnings a candidate
  sees are the warnings that count: rules.policy.Pacing). With live warnings off, warnings and pauses are not
  shown, but an end always is: the exam was ended either way.
- A pause holds the proctor until the candidate acknowledges it (the policy counts nothing meanwhile), so nothing
  can end the exam behind the pause screen.
- An end does not close the session. The candidate sees what ended it, when and the rule, then chooses: see the
  report, or continue in practice mode (the clock and scoring go on; later incidents are journaled as after the
  end and the report lists them so).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from proctorprep.rules.incident_types import recorded_type
from proctorprep.rules.policy import PolicyAction


class ExamState(str, Enum):
    RUNNING = "running"
    PAUSED = "paused"          # a strict pause waits for "I understand"
    ENDED = "ended"            # the proctor ended it; the candidate has not chosen yet
    PRACTICE = "practice"      # ended, and the candidate goes on practising


@dataclass(frozen=True)
class ExamEnd:
    """What the "The proctor ended your exam" screen says."""

    t_s: float                 # session clock
    exam_s: float              # seconds into the exam
    incident_type: str
    label: str                 # the habit, in words ("another person in view")
    rule: str                  # the policy's rule ("another person in view ends the exam at once")
    message: str               # the proctor's full sentence

    @property
    def rule_sentence(self) -> str:
        """The rule as one sentence: "Another person in view ends the exam at once." """
        rule = self.rule if "ends the exam" in self.rule else f"{self.rule} ends the exam"
        return rule[:1].upper() + rule[1:] + "."

    @property
    def when(self) -> str:
        m, s = divmod(max(0, int(self.exam_s)), 60)
        return f"{m}:{s:02d}"


@dataclass(frozen=True)
class LiveWarning:
    t_s: float
    incident_type: str
    message: str
    action: str                # "warn" | "pause" | "end"
    end: ExamEnd | None = None  # for an end: what the end screen shows
    request: str = ""          # the proctor's words, when the policy gives them apart from the message
    reason: str = ""           # what was measured
    consequence: str = ""      # what happens if it goes on


class ProctorDesk:
    """The live proctor's decisions over one exam. Call on_action for each PolicyAction of the pipeline."""

    def __init__(self, live_warnings: bool = True, exam_t0: float = 0.0) -> None:
        self.live_warnings = live_warnings
        self.exam_t0 = exam_t0
        self.state = ExamState.RUNNING
        self.end: ExamEnd | None = None
        self.shown: list[LiveWarning] = []      # every warning the candidate was shown, in order

    @property
    def may_answer(self) -> bool:
        """Whether the questions are on screen (not behind a pause or the end screen)."""
        return self.state in (ExamState.RUNNING, ExamState.PRACTICE)

    def on_action(self, action: PolicyAction, now_s: float) -> LiveWarning | None:
        """What the candidate is shown for this action (None: nothing)."""
        if self.state in (ExamState.ENDED, ExamState.PRACTICE):
            return None          # the policy gives nothing after its end; an end already decided stays decided
        label = recorded_type(action.incident_type).warning_label
        message = action.message or f"Proctor: {label}"
        words = tuple(str(getattr(action, k, "") or "") for k in ("request", "reason", "consequence"))
        if action.action == "end":
            # when the rules decided it (the session clock of the observations), not when the GUI got to it
            self.state = ExamState.ENDED
            self.end = ExamEnd(action.t_s, max(0.0, action.t_s - self.exam_t0), action.incident_type, label,
                               action.rule or label, message)
            w = LiveWarning(action.t_s, action.incident_type, message, "end", self.end, *words)
        elif not self.live_warnings:
            return None
        else:
            if action.action == "pause":
                self.state = ExamState.PAUSED
            w = LiveWarning(now_s, action.incident_type, message, action.action, None, *words)
        self.shown.append(w)
        return w

    def acknowledge(self) -> bool:
        """The candidate read the pause. True if a pause was waiting."""
        if self.state is not ExamState.PAUSED:
            return False
        self.state = ExamState.RUNNING
        return True

    def continue_in_practice(self) -> bool:
        """The candidate goes on after the end. True if the exam had been ended."""
        if self.state is not ExamState.ENDED:
            return False
        self.state = ExamState.PRACTICE
        return True
