"""Renewal windows by Microsoft's rules, on a fake clock: a role-based certification earned on 10 May 2026 expires
on 10 May 2027, its renewal opens on 10 Nov 2026, the reminder gets louder 30 days before, the expiry date is the
last day, and the day after it has expired. Plus the journey file: 0600, atomic, a bad entry or file loses nothing."""

from __future__ import annotations

import json
import stat
from datetime import date, timedelta

import pytest

from proctorprep import paths
from proctorprep.progress import journey as jr
from proctorprep.progress import renewal_window as rn
from proctorprep.progress.journey import Certification, Exam, JourneyError

EARNED = date(2026, 5, 10)


def cert(**kw) -> Certification:
    base = dict(id="az-104", name="Azure Administrator Associate", kind="role-based", earned_on=EARNED)
    base.update(kw)
    return Certification(**base)


def test_a_role_based_certification_expires_a_year_after_it_was_earned_and_opens_six_months_before():
    st = rn.status(cert(), date(2026, 6, 1))
    assert (st.state, st.expires_on, st.opens_on) == ("not-open", date(2027, 5, 10), date(2026, 11, 10))
    assert "opens on 10 Nov 2026 (in 162 days)" in st.text


@pytest.mark.parametrize("today, state", [
    (date(2026, 11, 9), "not-open"),          # the day before the window opens
    (date(2026, 11, 10), "open"),             # opens
    (date(2027, 4, 9), "open"),               # 31 days left
    (date(2027, 4, 10), "closing"),           # 30 days left: reminds louder
    (date(2027, 5, 10), "closing"),           # the expiry date is the last day to renew
    (date(2027, 5, 11), "expired"),           # closed
])
def test_the_window_opens_reminds_closes_and_expires_on_the_stated_days(today, state):
    assert rn.status(cert(), today).state == state


def test_start_up_reminders_name_the_open_and_closing_windows_only_most_urgent_first():
    certs = [cert(), cert(id="az-800", name="Windows Server Hybrid", earned_on=date(2026, 7, 1)),
             cert(id="az-900", name="Azure Fundamentals", kind="fundamentals"),
             cert(id="old", name="Old one", earned_on=date(2025, 1, 1))]
    today = date(2027, 4, 20)
    due = rn.reminders(certs, today)
    assert [(s.cert_id, s.state) for s in due] == [("az-104", "closing"), ("az-800", "open")]
    assert due[0].text == ("Renew Azure Administrator Associate now: its renewal window closes on 10 May 2027 "
                           "(20 days left).")
    assert {s.cert_id: s.state for s in rn.statuses(certs, today)} == {
        "az-104": "closing", "az-800": "open", "az-900": "lifetime", "old": "expired"}


def test_renewing_extends_by_a_year_from_the_current_expiry_not_from_the_renewal_day():
    renewed = rn.renew(cert(), date(2026, 12, 1))
    assert renewed.expires_on == date(2028, 5, 10)
    assert renewed.renewed_on == (date(2026, 12, 1),)
    assert rn.status(renewed, date(2026, 12, 2)).state == "not-open"


@pytest.mark.parametrize("today, words", [(date(2026, 10, 1), "opens on 10 Nov 2026"),
                                          (date(2027, 5, 11), "expired on 10 May 2027")])
def test_renewing_outside_the_window_is_refused_with_the_reason(today, words):
    with pytest.raises(JourneyError, match=words):
        rn.renew(cert(), today)


def test_edited_rules_replace_the_defaults():
    two_years = cert(validity_months=24, window_months=3)
    st = rn.status(two_years, date(2028, 1, 1))
    assert (st.expires_on, st.opens_on, st.state) == (date(2028, 5, 10), date(2028, 2, 10), "not-open")
    fixed = cert(expires_on=date(2027, 1, 31))
    assert rn.status(fixed, date(2026, 8, 1)).opens_on == date(2026, 7, 31)
    assert rn.status(cert(earned_on=None), date(2026, 8, 1)).state == "unknown"


def test_months_are_added_with_the_day_clamped_to_the_end_of_the_month():
    assert rn.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert rn.add_months(date(2027, 8, 31), -6) == date(2027, 2, 28)
    assert rn.add_months(date(2027, 2, 28), 12) == date(2028, 2, 28)
    assert rn.add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)


def test_a_fake_clock_walk_through_a_year_sees_each_state_once_in_order():
    seen: list[str] = []
    day = date(2026, 5, 10)
    while day <= date(2027, 6, 1):
        state = rn.status(cert(), day).state
        if not seen or seen[-1] != state:
            seen.append(state)
        day += timedelta(days=1)
    assert seen == ["not-open", "open", "closing", "expired"]


# ------------------------------------------------------------------------------------------------ the file


def test_the_journey_round_trips_through_a_private_file(isolated_data_dir):
    j = jr.load(isolated_data_dir)
    jr.add_certification(j, cert(id="", exam_codes=("az-104",), bank_id="cloud-fundamentals"))
    jr.add_exam(j, Exam(id="", code="az-305", status="booked", date=date(2027, 1, 20), time="09:30",
                        cert_id="az-104"))
    jr.add_exam(j, Exam(id="", code="az-305", status="planned"))
    path = jr.save(j)
    assert stat.S_IMODE(path.stat().st_mode) == paths.FILE_MODE
    back = jr.load(isolated_data_dir)
    assert back.problems == [] and back.writable
    assert back.certifications == j.certifications and back.exams == j.exams
    assert [e.id for e in back.exams] == ["az-305", "az-305-2"]
    assert back.certifications[0].exam_codes == ("AZ-104",)


def test_a_bad_entry_is_reported_skipped_and_written_back_untouched(isolated_data_dir):
    j = jr.Journey()
    jr.add_certification(j, cert())
    doc = jr.to_dict(j)
    odd = {"type": "exam", "id": "x", "code": "AZ-1", "status": "passd", "future_field": [1, 2]}
    doc["entries"].append(odd)
    jr.journey_file(isolated_data_dir).write_text(json.dumps(doc))
    back = jr.load(isolated_data_dir)
    assert [c.id for c in back.certifications] == ["az-104"] and back.exams == []
    assert len(back.problems) == 1 and "entry 2 ('x') skipped and kept as it is: status" in back.problems[0]
    jr.add_exam(back, Exam(id="", code="AZ-305"))
    jr.save(back)
    again = json.loads(jr.journey_file(isolated_data_dir).read_text())
    assert odd in again["entries"]


@pytest.mark.parametrize("content", ["{not json", '{"format": "something-else", "entries": []}', "\udcff"])
def test_an_unreadable_file_is_reported_and_never_overwritten(isolated_data_dir, content):
    path = jr.journey_file(isolated_data_dir)
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    before = path.read_bytes()
    j = jr.load(isolated_data_dir)
    assert not j.writable and len(j.problems) == 1
    assert "left untouched" in j.problems[0] or "nothing in it was changed" in j.problems[0]
    jr.add_certification(j, cert())
    with pytest.raises(JourneyError, match="not overwritten"):
        jr.save(j)
    assert path.read_bytes() == before


@pytest.mark.parametrize("kw, words", [
    (dict(status="passed", score=640), "a score of 640 is a fail"),
    (dict(score=1200), "score: expected a whole number from 1 to 1000"),
    (dict(time="9.30"), "time: expected HH:MM"),
    (dict(code="  "), "exam code: must not be empty"),
    (dict(title="a\nb"), "title: contains control characters"),
    (dict(cert_id="nope"), "no certification 'nope'"),
])
def test_bad_exam_input_is_refused_with_a_specific_line(kw, words):
    j = jr.Journey()
    with pytest.raises(JourneyError, match=words):
        jr.add_exam(j, Exam(**{"id": "", "code": "AZ-104", **kw}))
    assert j.exams == []


def test_skill_bars_are_read_from_name_equals_percent():
    assert jr.parse_skill("Manage identities = 55%") == jr.SkillBar("Manage identities", 55.0)
    assert jr.parse_skill("Deploy: 70") == jr.SkillBar("Deploy", 70.0)
    with pytest.raises(JourneyError, match="percentage from 0 to 100"):
        jr.parse_skill("Deploy=170")
    with pytest.raises(JourneyError, match="name=percent"):
        jr.parse_skill("Deploy")


def test_removing_a_certification_keeps_its_exams_unlinked():
    j = jr.Journey()
    jr.add_certification(j, cert())
    jr.add_exam(j, Exam(id="", code="AZ-104", cert_id="az-104"))
    assert jr.remove(j, "az-104") == "certification Azure Administrator Associate"
    assert j.exams[0].cert_id is None


def test_a_failed_write_is_said_and_the_file_on_disk_stays_as_it_was(isolated_data_dir, monkeypatch):
    j = jr.load(isolated_data_dir)
    jr.add_certification(j, cert())
    jr.save(j)
    before = jr.journey_file(isolated_data_dir).read_bytes()

    def full_disk(*_a, **_kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(paths, "write_private", full_disk)
    jr.add_exam(j, Exam(id="", code="AZ-305"))
    with pytest.raises(JourneyError, match="cannot write .*journey.json: No space left on device"):
        jr.save(j)
    assert jr.journey_file(isolated_data_dir).read_bytes() == before
