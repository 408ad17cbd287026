"""The proctor policy: warnings, escalation per profile, verdict, compliant fraction, device gaps excluded."""

from __future__ import annotations

import pytest

from proctorprep.rules.incidents import Incident
from proctorprep.rules.policy import ProctorPolicy, summarize


def inc(kind: str, start: float, end: float | None = None) -> Incident:
    end = start + 3 if end is None else end
    return Incident(kind, start, end, evidence={"decided_s": start + 2}, explanation=f"{kind} for {end - start:.1f} s")


def actions(profile: str, kinds: list[str]) -> list[str]:
    p = ProctorPolicy(profile)
    out = []
    for n, k in enumerate(kinds):
        a = p.on_incident_opened(inc(k, 10.0 * n))
        out.append(a.action if a else None)
    return out


def test_standard_ends_when_the_same_rule_is_broken_more_than_twice():
    assert actions("standard", ["talking"] * 4) == ["warn", "warn", "end", None]


def test_standard_ends_when_any_rules_are_broken_more_than_four_times():
    kinds = ["talking", "looking_away", "mouthing", "face_missing", "face_covered"]
    assert actions("standard", kinds) == ["warn"] * 4 + ["end"]


def test_another_person_ends_standard_and_strict_at_once_but_only_warns_lenient():
    assert actions("standard", ["multiple_faces"]) == ["end"]
    assert actions("strict", ["multiple_faces"]) == ["end"]
    assert actions("lenient", ["multiple_faces"]) == ["warn"]


def test_strict_pauses_until_acknowledged_and_ends_on_the_second_time():
    assert actions("strict", ["looking_away", "looking_away"]) == ["pause", "end"]


def test_restless_is_a_note_except_under_strict():
    assert actions("standard", ["restless"]) == [None]
    assert actions("lenient", ["restless"]) == [None]
    assert actions("strict", ["restless"]) == ["pause"]


def test_lenient_allows_more():
    assert actions("lenient", ["talking"] * 4) == ["warn", "warn", "warn", "end"]


def test_warning_message_speaks_like_a_proctor_then_says_why_and_what_comes_next():
    a = ProctorPolicy("standard").on_incident_opened(inc("talking", 0))
    assert a.request == "Please stay quiet during the exam."
    assert a.reason == "Talking for 3.0 s."
    assert a.consequence == "Doing this 2 more times ends the exam."
    assert a.message == f"{a.request} {a.reason} {a.consequence}"
    assert a.t_s == 2.0


def test_summary_verdicts():
    assert summarize([], 60, "standard")["verdict"] == "pass"
    s = summarize([inc("looking_away", 5)], 60, "standard")
    assert s["verdict"] == "warned" and s["warnings"][0]["action"] == "warn"
    assert "1 proctor warning (looking away from the screen)" in s["verdict_text"]
    s = summarize([inc("talking", t) for t in (10, 70, 130)], 200, "standard")
    assert s["verdict"] == "terminated" and s["verdict_text"].startswith("A proctor would have ended the exam at 2:12")
    assert s["by_type"]["talking"] == {"count": 3, "total_s": 9.0} and s["by_type"]["mouthing"]["count"] == 0


def test_compliant_fraction_counts_overlaps_once_and_excludes_device_gaps():
    incidents = [inc("talking", 10, 20), inc("mouthing", 15, 25), inc("face_missing", 60, 70)]
    assert summarize(incidents, 100, "lenient")["compliant_fraction"] == pytest.approx(0.75)
    # the camera was lost 60..80: the face_missing inside it is not the candidate's doing
    s = summarize(incidents, 100, "lenient", excluded=[(60, 80)])
    assert s["by_type"]["face_missing"]["count"] == 0
    assert s["compliant_fraction"] == pytest.approx(1 - 15 / 80)
    assert s["considered_s"] == 80 and s["excluded"] == [[60, 80]]


def test_every_threshold_is_explained_in_plain_words():
    from proctorprep.rules.thresholds import THRESHOLD_HELP, Thresholds

    assert set(THRESHOLD_HELP) == set(Thresholds().to_dict())
    assert all(len(text) > 20 and "_" not in text for text in THRESHOLD_HELP.values())
