"""Badges, earned from the session history and never hand-edited.

`evaluate(sessions)` walks the finished sessions in the order they happened and returns, for every badge, whether it
is earned, when and in which session, and in plain words what is still missing. Because badges are recomputed from
the journals every time, a deleted session takes its badges with it.

Which sessions count:
- etiquette badges: finished proctored sessions (an exam, or an analysed recording) of at least
  MIN_PROCTORED_S; a quick round never earns one (no proctor watched it);
- score badges: submitted full exams (kind "exam"), per question bank;
- renewal badges: a passed renewal round (kind "renewal", unproctored), per question bank;
- a session still marked "interrupted" (crashed, report never finished) counts for nothing until it is recovered,
  and it does not break a run of sessions either: the crash was not the candidate's doing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Sequence

from proctorprep.privacy import plural
from proctorprep.progress.summary import SessionSummary
from proctorprep.progress.verdicts import VerdictFn, verdict
from proctorprep.rules.incident_types import incident_types

MIN_PROCTORED_S = 120.0        # shorter sessions prove too little to earn an etiquette badge
PASS_SCORE = 700
DISTINCTION_SCORE = 900
READY_RUN = 3                  # proctor-ready: this many sessions in a row that the strict profile passes


@dataclass(frozen=True)
class BadgeDef:
    id: str
    name: str
    how: str                    # how to earn it, in plain words
    category: str               # "etiquette" | "score" | "renewal"
    exam_id: str | None = None


@dataclass(frozen=True)
class BadgeStatus:
    badge: BadgeDef
    earned: bool
    earned_at: datetime | None = None
    session_id: str | None = None
    session_label: str | None = None
    have: int = 0               # progress towards it, e.g. 2 of 3 sessions in a row
    need: int = 1
    missing: str = ""           # what is still missing, in plain words ("" once earned)

    def to_dict(self) -> dict:
        return {
            "id": self.badge.id, "name": self.badge.name, "how": self.badge.how, "category": self.badge.category,
            "exam_id": self.badge.exam_id, "earned": self.earned,
            "earned_at": self.earned_at.isoformat(timespec="seconds") if self.earned_at else None,
            "session_id": self.session_id, "session": self.session_label,
            "progress": [self.have, self.need], "missing": self.missing,
        }


FIRST_CLEAN = BadgeDef("first-clean-session", "First clean session",
                       "Finish a proctored session that even the lenient proctor passes without a warning.",
                       "etiquette")
EYES_ON_SCREEN = BadgeDef("eyes-on-screen", "Eyes on screen",
                          "Finish a mock exam without once looking away from the screen.", "etiquette")
SILENT = BadgeDef("silent-candidate", "Silent candidate",
                  "Finish a proctored session without talking or mouthing the questions.", "etiquette")
STEADY = BadgeDef("steady", "Steady", "Finish a proctored session sitting still throughout (no restlessness).",
                  "etiquette")
PROCTOR_READY = BadgeDef("proctor-ready", "Proctor-ready",
                         f"Finish {READY_RUN} proctored sessions in a row that the strict proctor would pass.",
                         "etiquette")
CONDITIONS = BadgeDef("exam-conditions", "Exam conditions kept",
                      "Finish a mock exam on one screen, in the exam window, with the camera where it was at the "
                      "check-in, in view until the first question and no other voice in the room.", "etiquette")
ETIQUETTE_BADGES: tuple[BadgeDef, ...] = (FIRST_CLEAN, EYES_ON_SCREEN, SILENT, STEADY, CONDITIONS, PROCTOR_READY)


def score_badges(exam_id: str, title: str) -> tuple[BadgeDef, BadgeDef]:
    return (
        BadgeDef(f"passed:{exam_id}", f"Passed: {title}", f"Score {PASS_SCORE} or more in a full mock exam: {title}.",
                 "score", exam_id),
        BadgeDef(f"distinction:{exam_id}", f"Distinction: {title}",
                 f"Score {DISTINCTION_SCORE} or more in a full mock exam: {title}.", "score", exam_id),
    )


def renewal_badge(exam_id: str, title: str) -> BadgeDef:
    return BadgeDef(f"renewed:{exam_id}", f"Renewed: {title}",
                    f"Pass a renewal round of {title} (25-40 questions, no going back, no proctor).", "renewal",
                    exam_id)


def _renewals(rounds: list[SessionSummary]) -> list[BadgeStatus]:
    """One badge per bank a renewal round was tried on (an untried bank adds nothing: renewal is optional)."""
    out: list[BadgeStatus] = []
    for exam_id in dict.fromkeys(s.exam_id for s in rounds if s.exam_id):
        mine = [s for s in rounds if s.exam_id == exam_id]
        badge = renewal_badge(exam_id, mine[0].exam_title or exam_id)
        hit = next((s for s in mine if s.passed), None)
        if hit is not None:
            out.append(_earned(badge, hit))
        else:
            out.append(BadgeStatus(badge, False, need=1, missing=f"{plural(len(mine), 'renewal round')} tried, "
                                                                  "none passed yet."))
    return out


def counted_types(badge: BadgeDef) -> tuple[str, ...]:
    """The incident types a session must be free of to earn an etiquette badge: those whose descriptor names it
    (IncidentType.badge). A badge nobody names would be earned by every session, so that fails loudly."""
    types = tuple(t.key for t in incident_types() if t.badge == badge.id)
    if not types:
        raise LookupError(f"no incident type counts against the badge {badge.id!r} (IncidentType.badge)")
    return types


def _earned(badge: BadgeDef, s: SessionSummary, have: int = 1, need: int = 1) -> BadgeStatus:
    return BadgeStatus(badge, True, s.started_at, s.session_id, s.label(), have, need)


def _first(badge: BadgeDef, sessions: Sequence[SessionSummary], ok: Callable[[SessionSummary], bool],
           shortfall: Callable[[list[SessionSummary]], str]) -> BadgeStatus:
    """Earned by the first session that satisfies `ok`; else `shortfall` says what is missing."""
    for s in sessions:
        if ok(s):
            return _earned(badge, s)
    return BadgeStatus(badge, False, missing=shortfall(list(sessions)))


def _fewest(sessions: list[SessionSummary], types: tuple[str, ...], what: str, none_yet: str) -> str:
    if not sessions:
        return none_yet
    best = min(sessions, key=lambda s: (s.count(*types), s.started_at))
    n = best.count(*types)
    return f"Your best so far had {plural(n, what)} ({best.label()}). Aim for none."


def _etiquette(sessions: list[SessionSummary], fn: VerdictFn | None) -> list[BadgeStatus]:
    minutes = f"{MIN_PROCTORED_S / 60:g} minutes"
    none_yet = f"No finished proctored session of at least {minutes} yet: start a mock exam."
    exams = [s for s in sessions if s.kind == "exam"]
    out: list[BadgeStatus] = []

    def warnings_line(ss: list[SessionSummary]) -> str:
        if not ss:
            return none_yet
        verdicts = [verdict(s, "lenient", fn) for s in ss]
        return (f"None of your {plural(len(ss), 'session')} yet: even the lenient proctor warned you "
                f"({verdicts.count('warned')} warned, {verdicts.count('terminated')} ended early).")

    out.append(_first(FIRST_CLEAN, sessions, lambda s: verdict(s, "lenient", fn) == "pass", warnings_line))
    eyes, silent, steady = (counted_types(b) for b in (EYES_ON_SCREEN, SILENT, STEADY))
    out.append(_first(EYES_ON_SCREEN, exams, lambda s: s.count(*eyes) == 0,
                      lambda ss: _fewest(ss, eyes, "looking-away incident",
                                         "No finished mock exam yet: start one and keep your eyes on the screen.")))
    out.append(_first(SILENT, sessions, lambda s: s.count(*silent) == 0,
                      lambda ss: _fewest(ss, silent, "talking or mouthing incident", none_yet)))
    out.append(_first(STEADY, sessions, lambda s: s.count(*steady) == 0,
                      lambda ss: _fewest(ss, steady, "restless moment", none_yet)))
    # only a mock exam watches screens, the exam window and the time before the first question
    conditions = counted_types(CONDITIONS)
    out.append(_first(CONDITIONS, exams, lambda s: s.conditions_watched and s.count(*conditions) == 0,
                      lambda ss: _fewest(ss, conditions, "exam-conditions incident",
                                         "No finished mock exam yet: start one on a single screen.")))
    out.append(_proctor_ready(sessions, fn, none_yet))
    return out


def _proctor_ready(sessions: list[SessionSummary], fn: VerdictFn | None, none_yet: str) -> BadgeStatus:
    run = best = 0
    for s in sessions:
        run = run + 1 if verdict(s, "strict", fn) == "pass" else 0
        best = max(best, run)
        if run >= READY_RUN:
            return _earned(PROCTOR_READY, s, READY_RUN, READY_RUN)
    if not sessions:
        return BadgeStatus(PROCTOR_READY, False, have=0, need=READY_RUN, missing=none_yet)
    to_go = READY_RUN - run
    tail = f" (your longest run was {best})" if best > run else ""
    return BadgeStatus(PROCTOR_READY, False, have=run, need=READY_RUN,
                       missing=f"{run} of {READY_RUN} in a row so far{tail}: {plural(to_go, 'more session')} "
                               f"the strict proctor would pass.")


def _scores(exams: list[SessionSummary], known: Iterable[tuple[str, str]]) -> list[BadgeStatus]:
    titles: dict[str, str] = dict(known)
    for s in exams:
        if s.exam_id:
            titles.setdefault(s.exam_id, s.exam_title or s.exam_id)
    out: list[BadgeStatus] = []
    for exam_id, title in titles.items():
        scored = [s for s in exams if s.exam_id == exam_id and s.score is not None]
        best = max((s.score for s in scored), default=None)  # type: ignore[type-var]
        for badge, bar in zip(score_badges(exam_id, title), (PASS_SCORE, DISTINCTION_SCORE)):
            hit = next((s for s in scored if (s.score or 0) >= bar), None)
            if hit is not None:
                out.append(_earned(badge, hit, bar, bar))
            elif best is None:
                out.append(BadgeStatus(badge, False, need=bar,
                                       missing=f"Not taken yet: take this mock exam and score {bar}+."))
            else:
                out.append(BadgeStatus(badge, False, have=int(best), need=bar,
                                       missing=f"Best score so far {best}: {bar - best} points to go."))
    return out


def eligible(sessions: Iterable[SessionSummary]) -> list[SessionSummary]:
    """Finished sessions in the order they happened (interrupted ones are left out until recovered)."""
    return sorted((s for s in sessions if s.counted), key=lambda s: (s.started_at, s.session_id))


def evaluate(sessions: Iterable[SessionSummary], known_exams: Iterable[tuple[str, str]] = (),
             verdict_fn: VerdictFn | None = None) -> list[BadgeStatus]:
    """Every badge with its state. `known_exams` ((exam_id, title), ...) adds score badges for banks not taken yet."""
    done = eligible(sessions)
    proctored = [s for s in done if s.proctored and s.duration_s >= MIN_PROCTORED_S]
    exams = [s for s in done if s.kind == "exam"]
    renewals = [s for s in done if s.kind == "renewal"]
    return _etiquette(proctored, verdict_fn) + _scores(exams, known_exams) + _renewals(renewals)


def next_goal(statuses: Sequence[BadgeStatus]) -> BadgeStatus | None:
    """The unearned badge closest to being earned (most progress first, then list order)."""
    open_ = [b for b in statuses if not b.earned]
    if not open_:
        return None
    return max(open_, key=lambda b: (b.have / b.need if b.need else 0.0, -statuses.index(b)))
