"""The JSON report: the `analyze --json` contract of the architecture notes, plus the session, the exam result and
the proctor's warnings. Snapshots are never put in the JSON (only whether one was kept). Schema:
proctorprep/schema/report.schema.json, described in docs/readme/report.md."""

from __future__ import annotations

import json
from typing import Any

from proctorprep.report.model import Report

JSON_VERSION = 1


def _round(x: float | None, nd: int = 3) -> float | None:
    return None if x is None else round(float(x), nd)


def report_to_json(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready dict (keys stable, values plain)."""
    summary = report.summary
    doc: dict[str, Any] = {
        "version": JSON_VERSION,
        "session": {
            "id": report.session_id, "started_at": report.started_at, "kind": report.kind,
            "exam_id": report.exam_id, "exam_title": report.exam_title, "profile": report.profile,
            "status": report.status, "source": report.source,
        },
        "duration_s": _round(report.duration_s),
        "calibration": report.calibration or {},
        "thresholds": report.thresholds,
        "incidents": [
            {"type": r.type, "start_s": _round(r.start_s), "end_s": _round(r.end_s), "direction": r.direction,
             "severity": r.severity, "confidence": _round(r.confidence), "evidence": r.evidence,
             "explanation": r.explanation, "advice": r.advice, "question": r.question,
             "counted": not r.excluded, "snapshot": r.snapshot_jpeg is not None,
             **({"after_end": True} if r.after_end else {})}
            for r in report.incidents
        ],
        "summary": {
            "by_type": summary.get("by_type", {}),
            "verdict": report.verdict,
            "verdict_text": report.verdict_text,
            "compliant_fraction": _round(report.compliant_fraction, 4),
            "warnings": [{"t_s": _round(w.t_s), "type": w.incident_type, "message": w.message, "action": w.action}
                         for w in report.warnings],
        },
        "device_gaps": [{"device": g.device, "start_s": _round(g.start_s), "end_s": _round(g.end_s)}
                        for g in report.gaps],
        "questions": [{"t_s": _round(m.t_s), "label": m.label, "question_id": m.question_id}
                      for m in report.questions],
        "notes": list(report.notes) + list(report.analysis_notes),   # what limits this analysis, in words
    }
    if report.conditions is not None:
        doc["conditions"] = report.conditions.to_dict()     # screens, the exam window, breaks; or "not judged"
    if report.candidate:
        doc["session"]["candidate"] = report.candidate
    if report.threshold_notes:
        doc["threshold_notes"] = list(report.threshold_notes)      # overrides refused, their defaults used
    if report.proctor_end is not None:
        end = report.proctor_end
        doc["proctor_end"] = {"t_s": _round(end.t_s), "type": end.incident_type, "rule": end.rule,
                              "practice_after": report.practice_after_end}
    if report.exam is not None:
        doc["exam"] = {
            "score": report.exam.score, "passed": report.exam.passed, "pass_score": report.exam.pass_score,
            "by_skill": [{"skill": s.skill, "percent": _round(s.percent, 1), "correct": s.correct, "total": s.total}
                         for s in report.exam.skills],
            "questions": [{"number": q.number, "id": q.question_id, "text": q.text, "skill": q.skill,
                           "result": q.result, "marked": q.marked, **({"comment": q.comment} if q.comment else {})}
                          for q in report.exam.questions],
            "improve": list(report.exam.improve),
        }
    if report.checkin is not None:
        doc["checkin"] = report.checkin.to_json()     # verdicts only: never a photo, never the ID's text
    if len(report.history) > 1:
        doc["history"] = [{"id": h.id, "started_at": h.started_at, "score": h.score, "verdict": h.verdict,
                           "compliant_fraction": _round(h.compliant_fraction, 4), "incidents": h.incident_total}
                          for h in report.history]
    return doc


def dumps(report: Report) -> str:
    """The JSON text: sorted keys, 2-space indent, UTF-8 text kept literal (still valid, still escaped JSON)."""
    return json.dumps(report_to_json(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
