"""What each proctor profile would have said about a past session, asked of the one proctor policy (rules.policy).

Badges and streaks never judge incidents themselves: they ask the same policy the live proctor and the report use,
so a badge always agrees with the session report.
"""

from __future__ import annotations

from typing import Callable

from proctorprep.progress.summary import SessionSummary
from proctorprep.rules.incidents import Incident

# (incidents, duration_s, profile, excluded) -> "pass" | "warned" | "terminated"
VerdictFn = Callable[[list[Incident], float, str, list[tuple[float, float]]], str]


def policy_verdict(incidents: list[Incident], duration_s: float, profile: str,
                   excluded: list[tuple[float, float]]) -> str:
    from proctorprep.rules.policy import summarize

    return str(summarize(incidents, duration_s, profile, excluded=excluded)["verdict"])


def verdict(summary: SessionSummary, profile: str, fn: VerdictFn | None = None) -> str:
    """The verdict `profile` gives this session; cached on the summary per profile and judge (the policy is
    deterministic, and badges and streaks ask the same question several times)."""
    judge = fn or policy_verdict
    key = (profile, judge)
    if key not in summary.verdicts:
        summary.verdicts[key] = judge(list(summary.incidents), summary.duration_s, profile, list(summary.excluded))
    return summary.verdicts[key]

