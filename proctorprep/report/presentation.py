"""What a report leads with, in the candidate's words: the score and pass/fail, the proctor's verdict in one
sentence, the three habits to practise with their advice, device gaps and thresholds in plain words. The results
page, the HTML and the PDF report all read these, so the three say the same thing in the same order. No Qt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from proctorprep.report.model import Report, clock, type_label  # noqa: F401 - clock: for the pages
from proctorprep.rules.incident_types import recorded_type
from proctorprep.wording import local_time, plural  # noqa: F401 - plural is used by the pages too

ACTION_WORDS = {"warn": "warned", "pause": "paused the exam", "end": "ended the exam"}
DEVICE_WORDS = {"camera": "camera", "video_file": "video", "microphone": "microphone", "audio_file": "sound file"}


@dataclass(frozen=True)
class Headline:
    score: str            # "742" or "—"
    out_of: str           # "of 1000"
    status: str           # "Pass", "Below the pass mark", "No score"
    passed: bool | None
    detail: str           # "700 of 1000 needed to pass" / why there is no score


@dataclass(frozen=True)
class Habit:
    incident_type: str
    label: str            # "Looking away"
    count: int
    total_s: float
    request: str          # the proctor's request: "Please keep your eyes on the screen."
    advice: str

    @property
    def summary(self) -> str:
        return f"{plural(self.count, 'time')}, {self.total_s:.0f} s in all"


def headline(report: Report) -> Headline:
    ex = report.exam
    if ex is None or ex.score is None:
        why = ("The exam was ended before it was scored." if report.verdict == "terminated" else
               "This session had no exam to score." if report.kind == "analysis" else "The exam did not finish.")
        return Headline("—", "", "No score", None, why)
    answered = [q for q in ex.questions if q.result not in ("unanswered", "")]
    pass_score = ex.pass_score or 700
    if ex.questions and not answered:
        # The scaled score of an empty answer sheet is not a result worth a number.
        return Headline("—", "", "No answers", False, f"No question was answered; {pass_score} of 1000 passes.")
    passed = bool(ex.passed)
    return Headline(str(ex.score), "of 1000", "Pass" if passed else "Below the pass mark", passed,
                    f"{pass_score} of 1000 needed to pass; "
                    f"{plural(len(answered), 'question')} of {len(ex.questions)} answered.")


def verdict_sentence(report: Report) -> str:
    """The proctor's verdict in one sentence."""
    counted = [r for r in report.incidents if not r.excluded]
    warnings = [w for w in report.warnings if w.action in ("warn", "pause")]
    if report.verdict == "terminated":
        # The policy's own verdict names the rule that ended it ("... at 4:01: more than 4 warnings in all. ...");
        # its first sentence is the verdict.
        text = report.verdict_text.strip()
        first = text.split(". ")[0].rstrip(".")
        return first + "." if first else "A proctor would have ended this exam."
    if warnings:
        kinds = sorted({type_label(w.incident_type).lower() for w in warnings})
        return (f"A proctor would have warned you {_times(len(warnings))}, for {_and(kinds)}; "
                "the exam would have gone on.")
    if counted:
        return f"No warnings: a proctor would have let this run, with {plural(len(counted), 'small thing')} noted."
    return "A proctor would have let this session run to the end without a word."


def counts_line(report: Report) -> str:
    counted = [r for r in report.incidents if not r.excluded]
    return (f"Compliant for {report.compliant_fraction:.0%} of the session · {plural(len(counted), 'incident')} · "
            f"{plural(len(report.warnings), 'warning')} · {report.profile} proctor")


def top_habits(report: Report, n: int = 3) -> list[Habit]:
    """The habits to practise first: the incident types that drew the most (then the longest) incidents."""
    by: dict[str, list[Any]] = {}
    for r in report.incidents:
        if not r.excluded:
            by.setdefault(r.type, []).append(r)
    ranked = sorted(by.items(), key=lambda kv: (-len(kv[1]), -sum(r.duration_s for r in kv[1]), kv[0]))
    return [Habit(t, type_label(t), len(rows), sum(r.duration_s for r in rows), recorded_type(t).request,
                  rows[0].advice or recorded_type(t).advice) for t, rows in ranked[:n]]


def weakest_skills(report: Report, n: int = 2) -> list[str]:
    """The skill areas with the lowest share of points (for a practice round)."""
    if report.exam is None:
        return []
    scored = [s for s in report.exam.skills if s.percent is not None]
    return [s.skill for s in sorted(scored, key=lambda s: (s.percent, s.skill))[:n]]


def gap_text(device: str, start_s: float, end_s: float) -> str:
    return f"{DEVICE_WORDS.get(device, device.replace('_', ' '))} {clock(start_s)}–{clock(end_s)}"


def taken_at(report: Report) -> str:
    return local_time(report.started_at)


def plural_minutes(duration_s: float) -> str:
    minutes = int(round(duration_s / 60))
    return f"{int(round(duration_s))} seconds" if minutes < 1 else plural(minutes, "minute")


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def threshold_lines(report: Report) -> list[tuple[str, str]]:
    """The rules the session ran with, in the settings page's plain words: (what it means, the value)."""
    from proctorprep.rules.thresholds import THRESHOLD_HELP

    th = report.thresholds or {}
    return [(words, f"{th[key]:g}") for key, words in THRESHOLD_HELP.items()
            if isinstance(th.get(key), (int, float)) and not isinstance(th.get(key), bool)]
