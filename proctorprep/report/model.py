"""Report model: what a report says, built from the journal alone (never from live objects). No Qt.

`build_report(journal_path)` reads one session's journal (plus the earlier sessions' journals for the comparison)
and returns a frozen `Report`; the HTML, PDF and JSON renderers only format it. The same journal always gives the
same Report, so a report rebuilt later is byte-identical.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from proctorprep.journal.history import (SessionInfo, device_gaps, previous_sessions, session_duration,
                                         summarize_reader)
from proctorprep.journal.record import SessionRecord, read_record
from proctorprep.journal.store import JournalReader, StoredIncident, journal_file
from proctorprep.sources.base import PICTURE_DEVICES, SOUND_DEVICES
from proctorprep.rules.detectors.lips import opening_level
from proctorprep.rules.incident_types import recorded_type
from proctorprep.exam.result import skills_to_improve
from proctorprep.report.conditions import ConditionsSummary, build_conditions

REPORT_VERSION = 1
MAX_PLOT_POINTS = 900        # per series; longer series are reduced to a min/max envelope (spikes survive)

DIRECTION_WORDS = {"left": "to your left", "right": "to your right", "up": "up", "down": "down"}
VERDICT_WORDS = {"pass": "Clean session", "warned": "Warned by the proctor", "terminated": "Exam ended by the proctor"}


def type_label(incident_type_key: str, direction: str | None = None) -> str:
    label = recorded_type(incident_type_key).label
    return f"{label} ({DIRECTION_WORDS.get(direction, direction)})" if direction else label


def clock(t_s: float) -> str:
    """Session time as m:ss (h:mm:ss past an hour)."""
    t = max(0, int(round(t_s)))
    h, rem = divmod(t, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# --------------------------------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    t: tuple[float, ...]
    values: tuple[float | None, ...]     # None = no measurement (breaks the line)
    style: str = "main"                  # "main" | "secondary"


@dataclass(frozen=True, slots=True)
class ThresholdLine:
    value: float
    label: str


@dataclass(frozen=True, slots=True)
class Plot:
    key: str
    title: str
    unit: str
    caption: str
    series: tuple[Series, ...]
    thresholds: tuple[ThresholdLine, ...]
    y_range: tuple[float, float]
    band: tuple[float, float] | None = None   # the allowed zone, shaded (between the thresholds)
    devices: tuple[str, ...] = PICTURE_DEVICES   # whose gaps are shaded on this plot


@dataclass(frozen=True, slots=True)
class IncidentRow:
    number: int
    type: str
    direction: str | None
    label: str
    start_s: float
    end_s: float
    severity: str
    confidence: float
    explanation: str
    advice: str
    question: str | None              # the question on screen when it began ("Q3")
    excluded: bool                    # mostly inside a device gap: shown, not counted
    evidence: dict[str, Any] = field(default_factory=dict)
    snapshot_jpeg: bytes | None = field(default=None, repr=False)
    after_end: bool = False           # began after the proctor ended the exam (the candidate went on practising)

    @property
    def duration_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)


@dataclass(frozen=True, slots=True)
class WarningRow:
    t_s: float
    incident_type: str
    message: str
    action: str                       # "warn" | "pause" | "end"


@dataclass(frozen=True, slots=True)
class ProctorEnd:
    """The live proctor ended the exam here (journaled when it happened)."""

    t_s: float
    incident_type: str
    rule: str


@dataclass(frozen=True, slots=True)
class QuestionMarker:
    t_s: float
    label: str                        # "Q3"
    question_id: str | None


@dataclass(frozen=True, slots=True)
class DeviceGap:
    start_s: float
    end_s: float
    device: str


@dataclass(frozen=True, slots=True)
class SkillRow:
    skill: str
    percent: float | None
    correct: float | None
    total: float | None


@dataclass(frozen=True, slots=True)
class QuestionRow:
    number: int
    question_id: str
    text: str
    skill: str
    result: str                       # "correct" | "partly" | "wrong" | "unanswered" | ""
    marked: bool
    comment: str = ""                 # the candidate's optional comment on the question (never scored)


@dataclass(frozen=True, slots=True)
class ExamSummary:
    score: int | None
    passed: bool | None
    pass_score: int | None
    skills: tuple[SkillRow, ...]
    questions: tuple[QuestionRow, ...]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    improve: tuple[str, ...] = ()     # after a fail: the top three skills to improve (exam.result.skills_to_improve)

    @property
    def comments(self) -> tuple[QuestionRow, ...]:
        """The questions the candidate commented on, in presented order."""
        return tuple(q for q in self.questions if q.comment)


@dataclass(frozen=True, slots=True)
class PastSession:
    id: str
    started_at: str
    exam_title: str | None
    score: int | None
    verdict: str
    compliant_fraction: float
    incident_total: int
    current: bool = False


@dataclass(frozen=True)
class Report:
    session_id: str
    started_at: str
    kind: str
    exam_id: str | None
    exam_title: str | None
    profile: str
    status: str
    duration_s: float
    candidate: str
    source: dict[str, Any]
    calibration: dict[str, Any] | None
    calibration_text: str              # the calibration in plain words (Calibration.describe)
    thresholds: dict[str, Any]
    summary: dict[str, Any]            # policy.summarize: by_type, verdict, verdict_text, compliant_fraction, warnings
    incidents: tuple[IncidentRow, ...]
    warnings: tuple[WarningRow, ...]
    questions: tuple[QuestionMarker, ...]
    gaps: tuple[DeviceGap, ...]
    device_events: tuple[tuple[float, str, str, str], ...]   # t_s, device, kind, message
    plots: tuple[Plot, ...]
    exam: ExamSummary | None
    history: tuple[PastSession, ...]   # earlier sessions, oldest first, then this one (current=True)
    version: int = REPORT_VERSION
    threshold_notes: tuple[str, ...] = ()   # threshold overrides refused (their defaults were used)
    proctor_end: ProctorEnd | None = None   # a live exam the proctor ended
    practice_after_end: bool = False        # ... and the candidate went on in practice mode
    conditions: ConditionsSummary | None = None   # screens, the exam window, breaks (or what was not judged)
    notes: tuple[str, ...] = ()        # what limits the analysis: a truncated file, a soundtrack that ends early,
                                       # a calibration that fell back to defaults, a recovered session
    checkin: Any = None                # report.checkin.CheckinSection: the check-in before the exam (None: none)

    @property
    def verdict(self) -> str:
        return str(self.summary.get("verdict", ""))

    @property
    def analysis_notes(self) -> tuple[str, ...]:
        """The live analysis rate lowered because the computer was busy ("slow" events), in the session's words."""
        return tuple(f"{clock(t)}: {message}" for t, _device, kind, message in self.device_events if kind == "slow")

    @property
    def end_note(self) -> str:
        """The live proctor's end in one sentence ("" if the proctor did not end the exam)."""
        end = self.proctor_end
        if end is None:
            return ""
        rule = f" ({end.rule})" if end.rule else ""
        tail = (" You went on in practice mode: incidents after that are marked \"after the end\"."
                if self.practice_after_end else "")
        return f"The proctor ended the exam at {clock(end.t_s)}{rule}.{tail}"

    @property
    def verdict_text(self) -> str:
        return str(self.summary.get("verdict_text") or VERDICT_WORDS.get(self.verdict, self.verdict))

    @property
    def compliant_fraction(self) -> float:
        return float(self.summary.get("compliant_fraction", 1.0))

    @property
    def title(self) -> str:
        return self.exam_title or ("Recording analysis" if self.kind == "analysis" else "Practice session")

    @property
    def snapshots_kept(self) -> bool:
        return any(r.snapshot_jpeg for r in self.incidents)


# --------------------------------------------------------------------------------------------------- building


def checkin_section(data: Any, session_dir: Path) -> Any:
    from proctorprep.report.checkin import checkin_section as section

    return section(data, session_dir)


def build_report(journal_path: Path, sessions_root: Path | None = None, compare: bool = True) -> Report:
    """Build the report of one session from its journal (a session folder or journal.sqlite).

    `sessions_root` (default: the journal's parent folder) is where earlier sessions are looked up for the
    comparison. Raises proctorprep.journal.store.JournalError naming the file if it cannot be read."""
    jpath = journal_file(Path(journal_path))
    with JournalReader(jpath) as reader:
        record = read_record(reader)
        duration = session_duration(reader)
        status_row = reader.final_status()
        summary = summarize_reader(reader, record, duration)
        stored = reader.incidents()
        events = reader.exam_events()
        dev_events = reader.device_events()
        face = reader.face_rows()
        audio = reader.audio_rows()
        journal_warnings = reader.warnings()
        result = reader.exam_result()
    calibration, thresholds = record.calibration, dict(record.thresholds)
    session_id = record.session_id or jpath.parent.name
    gaps = tuple(DeviceGap(a, b, d) for a, b, d in device_gaps(dev_events, duration))
    markers = _question_markers(events)
    end = _proctor_end(events)
    status = status_row.status if status_row else "interrupted"
    if journal_warnings:
        warnings = tuple(WarningRow(w.t_s, w.incident_type, w.message, w.action) for w in journal_warnings)
    else:   # analysis sessions have no live proctor: show what the policy would have said
        warnings = tuple(WarningRow(float(w.get("t_s", 0.0)), str(w.get("type", "")), str(w.get("message", "")),
                                    str(w.get("action", "warn"))) for w in summary.get("warnings", []))
    history: tuple[PastSession, ...] = ()
    if compare:
        root = Path(sessions_root) if sessions_root is not None else jpath.parent.parent
        history = _history(root, session_id, summary, record, result, stored)
    return Report(
        session_id=session_id, started_at=record.started_at, kind=record.kind.value, exam_id=record.exam_id,
        exam_title=record.exam_title, profile=record.profile, status=status, duration_s=round(duration, 3),
        candidate=record.candidate_name, source=dict(record.source), calibration=calibration,
        calibration_text=_calibration_text(calibration), thresholds=thresholds, summary=summary,
        incidents=_incident_rows(stored, markers, gaps, end), warnings=warnings, questions=markers, gaps=gaps,
        device_events=tuple((e.t_s, e.device, e.kind, e.message) for e in dev_events),
        plots=_plots(face, audio, calibration, thresholds), exam=_exam(result), history=history,
        threshold_notes=record.threshold_notes, proctor_end=end,
        practice_after_end=any(e.kind == "practice_continued" for e in events),
        notes=_notes(status_row.summary if status_row else None, status),
        conditions=build_conditions(events, duration, record.kind.value),
        checkin=checkin_section(record.checkin, jpath.parent),
    )


def _notes(summary: dict[str, Any] | None, status: str) -> tuple[str, ...]:
    """The notes the session journaled with its final status (analyze: truncation, soundtrack, calibration)."""
    summary = summary if isinstance(summary, dict) else {}
    notes = [str(summary["calibration_note"])] if summary.get("calibration_note") else []
    notes += [str(n) for n in summary.get("notes") or () if isinstance(n, str) and n]
    if status == "recovered":
        notes.append("the session stopped unexpectedly (the app was closed or crashed); it was recovered from its "
                     "journal, so its last second or two may be missing")
    elif status == "interrupted":
        notes.append("the session stopped unexpectedly and has not been recovered yet (`proctorprep report "
                     "--recover`); its last second or two may be missing")
    return tuple(notes)


def _calibration_text(calibration: dict[str, Any] | None) -> str:
    from proctorprep.rules.calibration import Calibration, CalibrationError

    if not calibration:
        return "No calibration was stored; typical values were used."
    try:
        return Calibration.from_dict(calibration).describe()
    except CalibrationError as exc:
        return f"The stored calibration is unusable ({exc}); typical values were used."


def _proctor_end(events: Sequence) -> ProctorEnd | None:
    ev = next((e for e in events if e.kind == "ended_by_proctor"), None)
    if ev is None:
        return None
    d = ev.data if isinstance(ev.data, dict) else {}
    return ProctorEnd(ev.t_s, str(d.get("type") or ""), str(d.get("rule") or ""))


def _question_markers(events: Sequence) -> tuple[QuestionMarker, ...]:
    markers: list[QuestionMarker] = []
    for ev in events:
        if ev.kind != "question_shown":
            continue
        d = ev.data if isinstance(ev.data, dict) else {}
        number = d.get("number")
        if number is None and isinstance(d.get("index"), int):
            number = d["index"] + 1
        qid = d.get("qid", d.get("question_id", d.get("id")))
        label = f"Q{number}" if number is not None else str(qid or "Q")
        if markers and markers[-1].label == label:
            continue      # re-showing the same question (e.g. after a warning) is not a new marker
        markers.append(QuestionMarker(ev.t_s, label, None if qid is None else str(qid)))
    return tuple(markers)


def _question_at(markers: Sequence[QuestionMarker], t_s: float) -> str | None:
    current = None
    for m in markers:
        if m.t_s <= t_s + 1e-9:
            current = m.label
        else:
            break
    return current


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _incident_rows(stored: Sequence[StoredIncident], markers: Sequence[QuestionMarker],
                   gaps: Sequence[DeviceGap], end: ProctorEnd | None = None) -> tuple[IncidentRow, ...]:
    rows = []
    for n, s in enumerate(stored, 1):
        inc = s.incident
        dur = max(inc.end_s - inc.start_s, 1e-6)
        in_gap = sum(_overlap(inc.start_s, inc.end_s, g.start_s, g.end_s)
                     for g in gaps if g.device in PICTURE_DEVICES)
        rows.append(IncidentRow(
            number=n, type=inc.type, direction=inc.direction, label=type_label(inc.type, inc.direction), start_s=inc.start_s,
            end_s=inc.end_s, severity=inc.severity, confidence=inc.confidence,
            explanation=_numbered(inc.explanation, inc.evidence, markers)
            or _default_explanation(inc.type, inc.direction, inc.duration_s),
            advice=inc.advice or recorded_type(inc.type).advice, question=_question_at(markers, inc.start_s),
            excluded=in_gap >= 0.5 * dur, evidence=dict(inc.evidence), snapshot_jpeg=s.snapshot_jpeg,
            after_end=bool(inc.evidence.get("after_end")) or (end is not None and inc.start_s >= end.t_s),
        ))
    return tuple(rows)


def _numbered(text: str, evidence: dict[str, Any], markers: Sequence[QuestionMarker]) -> str:
    """A speech-content incident names the question read aloud by its bank id (the detector knows nothing of the
    order the exam presented them in); the report says its number as the candidate saw it: "question Q12"."""
    qid = evidence.get("question_id")
    if not text or not isinstance(qid, str):
        return text
    label = next((m.label for m in markers if m.question_id == qid), None)
    return text.replace(f"question {qid} ", f"question {label} ", 1) if label else text


def _default_explanation(type_key: str, direction: str | None, duration_s: float) -> str:
    return f"{type_label(type_key, direction)} for {duration_s:.1f} s."


def _exam(result: dict[str, Any] | None) -> ExamSummary | None:
    if not result:
        return None

    def num(v: Any) -> float | None:
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) else None

    skills: list[SkillRow] = []
    by_skill = result.get("by_skill") or {}
    items: Iterable = (by_skill.items() if isinstance(by_skill, dict)
                       else ((r.get("skill", ""), r) for r in by_skill if isinstance(r, dict)))
    for name, row in items:
        if isinstance(row, dict):
            correct = num(row.get("correct", row.get("earned")))
            total = num(row.get("total", row.get("possible")))
            percent = num(row.get("percent"))
            if percent is None and correct is not None and total:
                percent = 100.0 * correct / total
            skills.append(SkillRow(str(name), percent, correct, total))
        elif num(row) is not None:
            value = num(row)
            skills.append(SkillRow(str(name), value * 100 if value <= 1 else value, None, None))
    questions: list[QuestionRow] = []
    rows = result.get("questions") or result.get("rows") or []
    for i, q in enumerate(rows if isinstance(rows, list) else [], 1):
        if not isinstance(q, dict):
            continue
        questions.append(QuestionRow(
            number=int(q["number"]) if isinstance(q.get("number"), int) else i,
            question_id=str(q.get("id", q.get("qid", ""))), text=str(q.get("text", q.get("prompt", ""))),
            skill=str(q.get("skill", "")), result=_question_result(q), marked=bool(q.get("marked", False)),
            comment=q["comment"] if isinstance(q.get("comment"), str) else ""))
    score = num(result.get("score"))
    pass_score = num(result.get("pass_score", result.get("passing_score")))
    passed = result.get("passed")
    improve = (tuple(skills_to_improve([(s.skill, s.percent) for s in skills])) if passed is False else ())
    return ExamSummary(score=None if score is None else int(round(score)),
                       passed=passed if isinstance(passed, bool) else None,
                       pass_score=None if pass_score is None else int(pass_score),
                       skills=tuple(skills), questions=tuple(questions), raw=result, improve=improve)


def _question_result(q: dict[str, Any]) -> str:
    if q.get("answered") is False or q.get("response", 0) is None:
        return "unanswered"
    correct = q.get("correct")
    if isinstance(correct, bool):
        return "correct" if correct else "wrong"
    credit = q.get("credit")
    if isinstance(credit, (int, float)) and not isinstance(credit, bool):
        return "correct" if credit >= 1 else ("partly" if credit > 0 else "wrong")
    return ""


def _history(root: Path, session_id: str, summary: dict[str, Any], record: SessionRecord,
             result: dict[str, Any] | None, stored: Sequence[StoredIncident]) -> tuple[PastSession, ...]:
    def past(s: SessionInfo) -> PastSession:
        return PastSession(s.id, s.started_at, s.exam_title, s.score, s.verdict, s.compliant_fraction,
                           s.incident_total)

    # Quick rounds are unproctored practice: they are no point of comparison for a proctored session (their
    # perfect "compliance" and 1000 scores would be spikes in the trend).
    earlier = [past(s) for s in previous_sessions(session_id, root) if s.kind != "quick"] if root.is_dir() else []
    score = (result or {}).get("score")
    me = PastSession(session_id, record.started_at, record.exam_title,
                     int(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
                     str(summary.get("verdict", "")), float(summary.get("compliant_fraction", 1.0)),
                     sum(int(v.get("count", 0)) for v in summary.get("by_type", {}).values()), current=True)
    return tuple(earlier) + (me,)


# --------------------------------------------------------------------------------------------------- plots


def reduce_series(t: Sequence[float], values: Sequence[float | None],
                  max_points: int = MAX_PLOT_POINTS) -> tuple[tuple[float, ...], tuple[float | None, ...]]:
    """Thin a long series to about `max_points` keeping each bucket's min and max (spikes stay visible) and the
    gaps (None)."""
    if len(t) <= max_points:
        return tuple(t), tuple(values)
    buckets = max(1, max_points // 2)
    size = len(t) / buckets
    out_t: list[float] = []
    out_v: list[float | None] = []
    for b in range(buckets):
        lo, hi = int(b * size), int((b + 1) * size)
        chunk = [(t[i], values[i]) for i in range(lo, hi)]
        real = [(ti, v) for ti, v in chunk if v is not None]
        if not real:
            out_t.append(chunk[0][0])
            out_v.append(None)
            continue
        a = min(real, key=lambda p: p[1])
        z = max(real, key=lambda p: p[1])
        for ti, v in sorted({a, z}):
            out_t.append(ti)
            out_v.append(v)
        if len(real) < len(chunk):    # keep a break in the line where measurements were missing
            out_t.append(chunk[-1][0])
            out_v.append(None)
    return tuple(out_t), tuple(out_v)


MAX_STEP_S = 1.0     # consecutive rows further apart than this (device gap, dropped frames) break the line


def _series(label: str, t: Sequence[float], values: Sequence[float | None], style: str = "main") -> Series:
    tt: list[float] = []
    vv: list[float | None] = []
    for i, (ti, v) in enumerate(zip(t, values)):
        if i and ti - t[i - 1] > MAX_STEP_S:
            tt.append(t[i - 1])
            vv.append(None)
        tt.append(ti)
        vv.append(None if v is None else round(float(v), 3))
    rt, rv = reduce_series(tt, vv)
    return Series(label, tuple(round(x, 3) for x in rt), rv, style)


def _span(values: Iterable[float | None], must: Iterable[float], pad: float, lo_min: float | None = None,
          hi_max: float | None = None) -> tuple[float, float]:
    vals = [v for v in values if v is not None] + list(must)
    lo, hi = min(vals), max(vals)
    lo, hi = lo - pad, hi + pad
    if lo_min is not None:
        lo = max(lo, lo_min)
    if hi_max is not None:
        hi = min(hi, hi_max)
    return (round(lo, 3), round(hi, 3)) if hi > lo else (round(lo - 1, 3), round(hi + 1, 3))


def _plots(face: Sequence, audio: Sequence, calibration: dict[str, Any] | None,
           th: dict[str, Any]) -> tuple[Plot, ...]:
    from proctorprep.perception.gaze import EYE_GAIN_DEG, line_of_sight_deg
    from proctorprep.rules.calibration import Calibration, CalibrationError

    try:
        cal = Calibration.from_dict(calibration or {})
    except CalibrationError:
        cal = Calibration()
    note = "" if calibration else " (no calibration stored: typical values used)"
    margin = float(th.get("away_margin_deg", 6.0))
    gx, gy = float(th.get("gaze_gain_x_deg", EYE_GAIN_DEG)), float(th.get("gaze_gain_y_deg", EYE_GAIN_DEG))
    plots: list[Plot] = []
    if face:
        t = [r.t_s for r in face]
        yaw = [None if r.yaw is None else r.yaw - cal.yaw_deg for r in face]
        pitch = [None if r.pitch is None else r.pitch - cal.pitch_deg for r in face]
        comb_x = [None if (r.yaw is None or r.gaze_x is None) else
                  line_of_sight_deg(r.yaw - cal.yaw_deg, r.gaze_x, cal.gaze_x, gx) for r in face]
        comb_y = [None if (r.pitch is None or r.gaze_y is None) else
                  line_of_sight_deg(r.pitch - cal.pitch_deg, r.gaze_y, cal.gaze_y, gy) for r in face]
        lim_x = cal.range_x_deg + margin
        lim_up, lim_down = cal.range_up_deg + margin, cal.range_down_deg + margin
        plots.append(Plot(
            "sideways", "Head and eyes: sideways", "°",
            "Angle from where you looked during calibration; positive = to your left. Outside the shaded band for "
            f"more than {th.get('away_dwell_s', 2.0):g} s counts as looking away{note}.",
            (_series("head + eyes", t, comb_x), _series("head only", t, yaw, "secondary")),
            (ThresholdLine(lim_x, f"+{lim_x:.0f}° your left"), ThresholdLine(-lim_x, f"−{lim_x:.0f}° your right")),
            _span(comb_x + yaw, (lim_x, -lim_x), 5.0, -90.0, 90.0), band=(-lim_x, lim_x)))
        plots.append(Plot(
            "updown", "Head and eyes: up and down", "°",
            f"Positive = up. The screen reaches further down than up from the camera{note}.",
            (_series("head + eyes", t, comb_y), _series("head only", t, pitch, "secondary")),
            (ThresholdLine(lim_up, f"+{lim_up:.0f}° up"), ThresholdLine(-lim_down, f"−{lim_down:.0f}° down")),
            _span(comb_y + pitch, (lim_up, -lim_down), 5.0, -90.0, 90.0), band=(-lim_down, lim_up)))
        mouth = [r.mouth for r in face]
        lim_m = opening_level(cal, float(th.get("mouth_amp_min", 0.05)), float(th.get("mouth_amp_spreads", 4.0)))
        plots.append(Plot(
            "mouth", "Lip opening", "",
            "Inner-lip gap over mouth width. Repeated openings above the line with no speech heard count as "
            "mouthing; with speech, as talking.",
            (_series("lip opening", t, mouth),),
            (ThresholdLine(lim_m, f"moving lips {lim_m:.2f}"), ThresholdLine(cal.mouth_rest, "at rest")),
            _span(mouth, (0.0, lim_m), 0.03, 0.0, 1.0)))
    if audio:
        t = [r.t_s for r in audio]
        rms = [r.rms_dbfs for r in audio]
        floor = cal.noise_floor_dbfs if calibration else _median([r.noise_floor_dbfs for r in audio])
        speech_level = floor + float(th.get("speech_margin_db", 3.0))
        plots.append(Plot(
            "level", "Sound level (dBFS)", "",
            "Loudest 32 ms block in each 0.2 s. Speech must be above the line (room noise + margin) to count.",
            (_series("level", t, rms),),
            (ThresholdLine(speech_level, f"room noise + {th.get('speech_margin_db', 3.0):g} dB"),),
            _span(rms, (speech_level,), 5.0, -120.0, 0.0), devices=SOUND_DEVICES))
        prob = [r.speech_prob for r in audio]
        p_lim = float(th.get("speech_prob", 0.5))
        plots.append(Plot(
            "speech", "Speech probability", "",
            f"From the trained voice detector. Above {p_lim:g} for more than {th.get('talk_dwell_s', 1.5):g} s "
            "counts as talking.",
            (_series("speech probability", t, prob),), (ThresholdLine(p_lim, f"speech {p_lim:g}"),), (0.0, 1.0),
            devices=SOUND_DEVICES))
    return tuple(plots)




def _median(values: list[float]) -> float:
    vals = sorted(v for v in values if v is not None and math.isfinite(v))
    if not vals:
        return -60.0
    mid = len(vals) // 2
    return vals[mid] if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2
