"""A synthetic, deterministic session with every registered incident type: for the example reports in docs/, for tests and for
trying the report without a camera. Written through the real SessionJournal, so it exercises the real path.

    python -m proctorprep.report.demo OUT_DIR     # writes OUT_DIR/report-example.{html,pdf,json}
"""

from __future__ import annotations

import math
import random
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from proctorprep.journal.record import SessionKind, SessionRecord, open_journal
from proctorprep.perception.observations import AudioObservation, FaceObservation
from proctorprep.rules import incidents as it
from proctorprep.rules.incident_types import incident_type, type_keys
from proctorprep.rules.incidents import Incident
from proctorprep.sources.base import DeviceEvent

DEMO_START = datetime(2026, 11, 28, 14, 5, tzinfo=timezone.utc)
QUESTIONS = 8

# (type, start, end, direction, explanation)
DEMO_INCIDENTS: tuple[tuple[str, float, float, str | None, str], ...] = (
    (it.LOOKING_AWAY, 31.0, 36.5, "left", "Head and eyes turned 34° to your left for 5.5 s; the screen ends at 24°"),
    (it.MOUTHING, 58.0, 63.0, None, "Your lips moved as if speaking for 5.0 s, but no voice was heard"),
    (it.TALKING, 95.0, 101.0, None, "Speech heard for 6.0 s, well above the room's noise"),
    (it.FACE_COVERED, 130.0, 134.0, None, "A hand covered 60% of your mouth and face for 4.0 s"),
    (it.RESTLESS, 150.0, 158.0, None, "You kept moving in your seat for 8.0 s; your head shifted around the picture"),
    (it.FACE_MISSING, 205.0, 212.0, None, "No face in view for 7.0 s (camera was reconnecting)"),
    (it.LOOKING_AWAY, 240.0, 243.5, "down", "Head and eyes turned 30° down for 3.5 s; the screen ends at 20°"),
    (it.MULTIPLE_FACES, 270.0, 274.0, None, "Two faces in view for 4.0 s"),
    (it.FACE_MISSING, 300.0, 306.0, None, "No face in view for 6.0 s: you left the camera's view"),
)
CAMERA_GAP = (200.0, 215.0)
EXTRA_START_S, EXTRA_EVERY_S, EXTRA_LENGTH_S = 312.0, 6.0, 3.0


def demo_incidents() -> tuple[tuple[str, float, float, str | None, str], ...]:
    """The scripted incidents, then one for each registered type the script does not show (a type added later),
    after the last scripted one, explained with its descriptor's example."""
    scripted = {inc[0] for inc in DEMO_INCIDENTS}
    extra = [k for k in type_keys() if k not in scripted]
    return DEMO_INCIDENTS + tuple(
        (k, EXTRA_START_S + n * EXTRA_EVERY_S, EXTRA_START_S + n * EXTRA_EVERY_S + EXTRA_LENGTH_S, None,
         incident_type(k).example) for n, k in enumerate(extra))


def demo_duration_s() -> float:
    return max(330.0, max(inc[2] for inc in demo_incidents()) + 20.0)


def _active(t: float, kind: str) -> tuple[str, float, float, str | None, str] | None:
    for inc in DEMO_INCIDENTS:
        if inc[0] == kind and inc[1] <= t < inc[2]:
            return inc
    return None


def _face(t: float, rng: random.Random) -> FaceObservation | None:
    if CAMERA_GAP[0] <= t < CAMERA_GAP[1]:
        return None
    if _active(t, it.FACE_MISSING):
        return FaceObservation(t_s=t, faces=0)
    yaw = 2.0 + rng.gauss(0, 1.5) + 4 * math.sin(t / 9)
    pitch = -4.0 + rng.gauss(0, 1.2)
    gx, gy = rng.gauss(0, 0.04), rng.gauss(0, 0.04)
    look = _active(t, it.LOOKING_AWAY)
    if look and look[3] == "left":
        yaw, gx = 26.0 + rng.gauss(0, 2), 0.3
    elif look and look[3] == "down":
        pitch, gy = -24.0 + rng.gauss(0, 2), -0.35
    mouth = 0.02 + abs(rng.gauss(0, 0.008))
    if _active(t, it.MOUTHING) or _active(t, it.TALKING):
        mouth = 0.03 + 0.14 * max(0.0, math.sin(t * 2 * math.pi * 2.5))
    face_x = 0.5 + rng.gauss(0, 0.005)
    if _active(t, it.RESTLESS):
        face_x = 0.5 + 0.15 * math.sin(t * 2.2)
    covered = 0.6 if _active(t, it.FACE_COVERED) else 0.0
    return FaceObservation(
        t_s=t, faces=2 if _active(t, it.MULTIPLE_FACES) else 1, trustworthy=covered < 0.5, yaw_deg=yaw,
        pitch_deg=pitch, roll_deg=rng.gauss(0, 1), gaze_x=gx, gaze_y=gy, eyes_open=0.3, mouth_open=mouth,
        face_x=face_x, face_y=0.45, face_size=0.26, brightness=120.0, face_covered=covered)


def _audio(t: float, rng: random.Random) -> AudioObservation:
    talking = _active(t, it.TALKING) is not None
    level = (-28.0 + rng.gauss(0, 3)) if talking else (-58.0 + rng.gauss(0, 1.5))
    prob = min(1.0, max(0.0, (0.9 if talking else 0.03) + rng.gauss(0, 0.05)))
    return AudioObservation(t_s=t, duration_s=0.032, rms_dbfs=level, peak_dbfs=level + 8,
                            noise_floor_dbfs=-58.0, speech_prob=prob)


def snapshot_jpeg(label: str, seed: int = 0) -> bytes:
    """A small synthetic "webcam" picture (no real person): a face-like drawing with the incident's name."""
    import cv2
    import numpy as np

    img = np.full((120, 160, 3), (70, 60, 50), np.uint8)
    cv2.circle(img, (80 + seed % 20 - 10, 58), 30, (150, 180, 215), -1)
    cv2.circle(img, (70 + seed % 20 - 10, 52), 4, (40, 40, 40), -1)
    cv2.circle(img, (90 + seed % 20 - 10, 52), 4, (40, 40, 40), -1)
    cv2.ellipse(img, (80 + seed % 20 - 10, 72), (10, 4), 0, 0, 360, (60, 60, 150), -1)
    cv2.putText(img, label.replace("_", " ")[:22], (4, 114), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (255, 255, 255), 1, cv2.LINE_AA)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return bytes(buf) if ok else b""


DEMO_COMMENT = "Two answers look right to me: the question does not say which region the data must stay in."


def exam_result(title: str, question_text: str | None = None, score: int = 742,
                comment: str = DEMO_COMMENT) -> dict[str, Any]:
    skills = ["Cloud concepts", "Security and compliance", "Pricing and support"]
    rows = []
    for i in range(QUESTIONS):
        credit = 1.0 if i % 3 != 1 else (0.5 if i == 4 else 0.0)
        text = question_text if (question_text and i == 0) else f"Sample question {i + 1}: which service fits best?"
        rows.append({"number": i + 1, "id": f"q{i + 1}", "type": "single", "skill": skills[i % 3], "prompt": text,
                     "response": None if i == 7 else "a", "credit": 0.0 if i == 7 else credit,
                     "complete": i != 7, "marked": i == 2, **({"comment": comment} if comment and i == 2 else {})})
    return {"exam_id": "demo-az900", "exam_title": title, "score": score, "passed": score >= 700, "pass_score": 700,
            "by_skill": [{"skill": "Cloud concepts", "earned": 2.0, "possible": 3, "percent": 66.7},
                         {"skill": "Security and compliance", "earned": 1.5, "possible": 3, "percent": 50.0},
                         {"skill": "Pricing and support", "earned": 2.0, "possible": 2, "percent": 100.0}],
            "questions": rows}


def write_demo_session(sessions_root: Path, title: str = "Cloud Fundamentals practice exam",
                       question_text: str | None = None, duration_s: float | None = None, fps: float = 15.0,
                       snapshots: bool = True, start: datetime = DEMO_START, seed: int = 7, score: int = 742,
                       comment: str = DEMO_COMMENT) -> Path:
    """Write the demo session's journal under `sessions_root`; returns the session folder. The default length shows
    every incident type."""
    from proctorprep.rules.calibration import Calibration
    from proctorprep.rules.policy import ProctorPolicy

    rng = random.Random(seed)
    duration_s = demo_duration_s() if duration_s is None else duration_s
    record = SessionRecord.new(SessionKind.EXAM, "standard", exam_id="demo-az900", exam_title=title,
                               source={"camera": "demo", "microphone": "demo"}, settings={"keep_snapshots": snapshots})
    journal = open_journal(Path(sessions_root), record, now=start)
    journal.set_calibration(Calibration(yaw_deg=2.0, pitch_deg=-4.0, mouth_rest=0.02, noise_floor_dbfs=-58.0,
                                        frames=75, source="dots").to_dict())
    journal.add_exam_event(0.0, "started", {"questions": QUESTIONS})
    q_times = [i * duration_s / (QUESTIONS + 0.5) for i in range(QUESTIONS)]
    for i, tq in enumerate(q_times):
        journal.add_exam_event(tq, "question_shown", {"qid": f"q{i + 1}", "number": i + 1})
    if CAMERA_GAP[1] < duration_s:
        journal.add_device_event(DeviceEvent(CAMERA_GAP[0], "camera", "lost", "Camera stopped delivering frames"))
        journal.add_device_event(DeviceEvent(CAMERA_GAP[1], "camera", "reconnected", "Camera is back"))
    n = int(duration_s * fps)
    for k in range(n):
        obs = _face(k / fps, rng)
        if obs is not None:
            journal.add_face(obs)
    for k in range(int(duration_s / 0.032)):
        journal.add_audio(_audio(k * 0.032, rng))
    policy = ProctorPolicy("standard")
    for number, (kind, a, b, direction, text) in enumerate(demo_incidents()):
        if b > duration_s:
            continue
        desc = incident_type(kind)
        evidence: dict[str, Any] = {"decided_s": a + 1.0}
        if kind == it.READING_ALOUD:
            # as the detector writes it: the bank id of the question read (the one on screen here); the report
            # turns it into the number the candidate saw
            qid = f"q{sum(1 for tq in q_times if tq <= a)}"
            evidence["question_id"] = qid
            text = text.replace("question cf-012 ", f"question {qid} ")
        inc = Incident(kind, a, b, severity=desc.severity, confidence=0.9, direction=direction,
                       evidence=evidence, explanation=text, advice=desc.advice)
        journal.add_incident(inc, snapshot_jpeg(kind, number) if snapshots else None)
        in_gap = CAMERA_GAP[0] <= a < CAMERA_GAP[1]
        action = None if in_gap else policy.on_incident_opened(inc)
        if action is not None:
            journal.add_warning(action.t_s, action.incident_type, action.message, action.action)
    journal.add_exam_event(duration_s - 2.0, "submitted", {"score": score, "passed": score >= 700})
    journal.set_exam_result(exam_result(title, question_text, score, comment))
    journal.finish({"duration_s": duration_s})
    return journal.session_dir


def main(argv: list[str] | None = None) -> int:
    import tempfile

    from proctorprep.report.export import export_report

    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else ".")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # two earlier, shorter sessions so the comparison section has something to compare with
        for day, score in ((21, 612), (24, 688)):
            write_demo_session(root, duration_s=120.0, fps=5.0, snapshots=False, start=DEMO_START.replace(day=day),
                               seed=day, score=score)
        session = write_demo_session(root)
        for path in export_report(session, html=out / "report-example.html", pdf=out / "report-example.pdf",
                                  json=out / "report-example.json"):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
