"""Incidents: what a proctor would have flagged. The type names are a public contract: add, never rename.
What each type means (label, advice, colour, severity, detector, ...) is in rules/incident_types.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TALKING = "talking"
MOUTHING = "mouthing"
LOOKING_AWAY = "looking_away"
FACE_MISSING = "face_missing"
MULTIPLE_FACES = "multiple_faces"
RESTLESS = "restless"
FACE_COVERED = "face_covered"
READING_ALOUD = "reading_aloud"          # speech that matched the question on screen
VOICE_ASSISTANT = "voice_assistant"      # "Hey Siri", "OK Google", "Alexa", "Hey Cortana" heard
# exam conditions (rules/conditions.py): what the exam client knows besides camera and microphone
SECOND_SCREEN = "second_screen"          # more than one screen connected
LEFT_EXAM_WINDOW = "left_exam_window"    # the exam window lost the focus, was minimised or left full screen
CAMERA_MOVED = "camera_moved"            # the view behind the candidate changed since the check-in
OTHER_VOICE = "other_voice"              # speech heard while the candidate's lips were still and closed
LEFT_BEFORE_START = "left_before_start"  # out of the camera's view between the check-in and the first question
IDENTITY_CHANGED = "identity_changed"    # the face in the chair is not the check-in headshot's

DIRECTIONS: tuple[str, ...] = ("left", "right", "up", "down")   # from the candidate's point of view
SEVERITIES: tuple[str, ...] = ("info", "warning", "critical")


@dataclass(frozen=True, slots=True)
class Incident:
    type: str
    start_s: float
    end_s: float
    severity: str = "warning"
    confidence: float = 1.0
    direction: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    explanation: str = ""     # one line in plain words: "Head turned 32° to the left for 4.1 s; on-screen range is ±18°"
    advice: str = ""          # the etiquette it breaks and what to do instead

    @property
    def duration_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "direction": self.direction,
            "severity": self.severity,
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence,
            "explanation": self.explanation,
            "advice": self.advice,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Incident":
        return cls(
            type=str(d["type"]), start_s=float(d["start_s"]), end_s=float(d["end_s"]),
            severity=str(d.get("severity", "warning")), confidence=float(d.get("confidence", 1.0)),
            direction=d.get("direction"), evidence=dict(d.get("evidence") or {}),
            explanation=str(d.get("explanation", "")), advice=str(d.get("advice", "")),
        )


@dataclass(frozen=True, slots=True)
class IncidentUpdate:
    """Emitted by the rules as soon as an incident starts (for live warnings) and again when it ends (final form)."""

    kind: str            # "opened" | "closed"
    incident: Incident   # for "opened", end_s is the time of the decision and may grow
