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


def test_pacing_holds_back_warnings_and_what_is_held_back_is_not_counted():
    # (was the GUI's WarningLimiter: the same timeline, now decided where the warnings are counted, so the warnings
    # shown and the warnings counted are the same ones)
    from proctorprep.rules.policy import Pacing

    p = ProctorPolicy("standard", pacing=Pacing(per_type_s=20, any_s=6))

    def at(kind, t):
        return p.on_incident_opened(Incident(kind, t - 2, t, evidence={"decided_s": t}))

    assert at("talking", 0).action == "warn"
    assert at("looking_away", 3) is None                   # any rule: 6 s apart
    assert at("looking_away", 7).action == "warn"
    assert at("talking", 15) is None                       # same rule: 20 s apart
    assert at("talking", 21).action == "warn"
    assert (p.counts, p.total) == ({"talking": 2, "looking_away": 1}, 3)     # what was held back is not counted
    assert at("multiple_faces", 22).action == "end"         # an end-at-once rule is never held back


def test_three_mouthing_incidents_4_s_apart_do_not_end_the_exam_in_28_s():
    # issue 17 item 2: the display was rate-limited while the policy still counted every warning
    from proctorprep.rules.policy import PROCTOR_PACING

    p = ProctorPolicy("standard", pacing=PROCTOR_PACING)
    got = [p.on_incident_opened(Incident("mouthing", t - 2, t, evidence={"decided_s": t})) for t in (20, 24, 28)]
    assert [a.action if a else None for a in got] == ["warn", None, None]
    assert p.ended is None
    assert summarize([Incident("mouthing", t - 2, t, evidence={"decided_s": t}) for t in (20, 24, 28)], 60,
                     "standard")["verdict"] == "warned"


def test_a_strict_pause_holds_the_proctor_until_acknowledged():
    p = ProctorPolicy("strict", wait_for_ack=True)
    assert p.on_incident_opened(inc("looking_away", 0)).action == "pause"
    assert p.on_incident_opened(inc("looking_away", 10)) is None       # behind the pause screen: nothing counts
    assert p.on_incident_opened(inc("multiple_faces", 20)) is None     # not even an end
    assert p.ended is None and p.total == 1
    p.acknowledge()
    assert p.on_incident_opened(inc("looking_away", 30)).action == "end"


def test_a_live_summary_holds_at_each_pause_until_it_was_acknowledged():
    incidents = [inc("looking_away", 0), inc("looking_away", 20), inc("looking_away", 40)]
    assert summarize(incidents, 60, "strict")["verdict"] == "terminated"          # a recording: no one to wait for
    held = summarize(incidents, 60, "strict", acks=[30.0])      # the first pause was acknowledged at 30 s
    assert [w["action"] for w in held["warnings"]] == ["pause", "end"] and held["warnings"][1]["t_s"] == 42.0
    never = summarize(incidents, 60, "strict", acks=[])          # never acknowledged: nothing after the pause counts
    assert [w["action"] for w in never["warnings"]] == ["pause"] and never["verdict"] == "warned"
