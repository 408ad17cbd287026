"""`proctorprep journey` end to end: add and edit certifications and exams, renewals on a fixed day, a failed exam's
practice plan advanced by real quick rounds on its weak skill (journals written like the app writes them),
readiness, the .ics file, badge import and show, and bad input refused with one line."""

from __future__ import annotations

import json
import stat
from datetime import date

import pytest

from proctorprep import paths
from proctorprep.cli import main
from proctorprep.exam.catalog import load_bundled
from proctorprep.progress import journey as jr
from proctorprep.progress.quick_round import QuickRound

TODAY = "2026-12-01"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def setup_journey(capsys) -> None:
    for argv in (
        ["add-cert", "Azure Administrator Associate", "--code", "AZ-104", "--earned", "2026-03-02",
         "--bank", "cloud-fundamentals"],
        ["add-cert", "Azure Fundamentals", "--code", "AZ-900", "--kind", "fundamentals", "--earned", "2025-10-01"],
        ["add-exam", "AZ-305", "--title", "Solutions Architect", "--status", "booked", "--date", "2027-01-20",
         "--time", "09:30", "--bank", "cloud-fundamentals"],
        ["add-exam", "AZ-500", "--status", "failed", "--date", "2026-11-20", "--score", "640", "--bank",
         "cloud-fundamentals", "--skill", "Security and identity=42", "--skill", "Cloud concepts=85"],
    ):
        code, _out, err = run(capsys, "journey", *argv, "--today", TODAY)
        assert code == 0, err


def test_the_journey_from_empty_to_a_plan_advanced_by_real_quick_rounds(capsys, isolated_data_dir):
    code, out, _ = run(capsys, "journey")
    assert code == 0 and "Your journey is empty" in out
    setup_journey(capsys)
    assert stat.S_IMODE(jr.journey_file(isolated_data_dir).stat().st_mode) == paths.FILE_MODE

    code, out, _ = run(capsys, "journey", "renewals", "--today", TODAY)
    assert out.splitlines()[0] == ("The renewal window of Azure Administrator Associate is open until 2 Mar 2027 "
                                   "(91 days left).")
    assert "quick round (stands in for the renewal round)" in out or "renewal round" in out

    code, out, _ = run(capsys, "journey", "plan", "az-500", "--today", TODAY)
    assert code == 0
    assert "Practice plan from 1 Dec 2026 on Cloud Fundamentals — practice exam: 0 of 3 done." in out
    assert "[ ] 1. quick round of 5 questions on Security and identity" in out

    # the candidate does the plan's first round: a quick round on that skill, journaled like the app does it
    bank = load_bundled("cloud-fundamentals")
    qr = QuickRound(bank, paths.sessions_dir(isolated_data_dir), count=5, seed=3, skills=["Security and identity"])
    assert {q.skill for q in qr.session.questions} == {"Security and identity"}
    qr.start()
    qr.submit()
    code, out, _ = run(capsys, "journey", "--today", TODAY)
    assert "1 of 3 done" in out and "[x] 1. quick round of 5 questions on Security and identity" in out
    assert "[ ] 2. quick round" in out
    assert "az-305: AZ-305 Solutions Architect — booked on 20 Jan 2027 09:30" in out
    assert "Not ready to book yet (scores, proctoring, habits)." in out

    code, out, _ = run(capsys, "journey", "readiness", "az-305")
    assert out.startswith("Ready to book when your last 3 full mock exams")
    assert "[ ] No full mock exam on Cloud Fundamentals — practice exam yet: take 3." in out

    code, out, _ = run(capsys, "journey", "--json", "--today", TODAY)
    doc = json.loads(out)
    assert {r["cert_id"]: r["state"] for r in doc["renewals"]} == {"az-104": "open", "az-900": "lifetime"}
    assert doc["readiness"]["az-305"]["ready"] is False
    assert doc["plans"]["az-500"][0].endswith("1 of 3 done.")


def test_renew_edit_remove_and_the_ics_file(capsys, isolated_data_dir, tmp_path):
    setup_journey(capsys)
    code, out, _ = run(capsys, "journey", "renew", "az-104", "--on", "2026-12-01")
    assert out.strip() == "Renewed Azure Administrator Associate on 1 Dec 2026: it now expires on 2 Mar 2028."
    code, out, err = run(capsys, "journey", "renew", "az-104", "--on", "2026-12-02")
    assert code == 2 and "its renewal window opens on 2 Sep 2027" in err
    code, out, _ = run(capsys, "journey", "edit-exam", "az-305", "--status", "passed", "--score", "812")
    assert code == 0 and "Changed exam AZ-305 Solutions Architect (passed)." in out
    code, out, _ = run(capsys, "journey", "remove", "az-900")
    assert out.strip() == "Removed certification Azure Fundamentals."
    ics = tmp_path / "mine" / "journey.ics"
    code, out, _ = run(capsys, "journey", "ics", str(ics))
    assert code == 0 and "2 exam date(s)" in out
    assert stat.S_IMODE(ics.stat().st_mode) == paths.FILE_MODE
    from icalendar import Calendar

    cal = Calendar.from_ical(ics.read_bytes())
    assert {str(e["summary"]) for e in cal.walk("VEVENT")} == {
        "Exam AZ-305 Solutions Architect", "Exam AZ-500", "Renewal window opens: Azure Administrator Associate",
        "Last day to renew: Azure Administrator Associate"}


@pytest.mark.parametrize("argv, words", [
    (["add-exam", "AZ-104", "--score", "640", "--status", "passed"], "a score of 640 is a fail"),
    (["add-exam", "AZ-104", "--skill", "identities"], "expected 'name=percent'"),
    (["add-exam", "AZ-104", "--cert", "nope"], "no certification 'nope'"),
    (["edit-cert", "nope", "--kind", "specialty"], "no certification 'nope'"),
    (["plan", "az-305"], "a practice plan is made after a failed exam"),
    (["readiness", "az-500"], "'az-500' is not a planned or booked exam"),
    (["badge-import", "missing.png", "--cert", "az-104"], "missing.png: cannot be read"),
])
def test_bad_input_is_one_line_and_changes_nothing(capsys, isolated_data_dir, argv, words):
    setup_journey(capsys)
    before = jr.journey_file(isolated_data_dir).read_bytes()
    code, out, err = run(capsys, "journey", *argv)
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err
    assert jr.journey_file(isolated_data_dir).read_bytes() == before


def test_a_broken_journey_file_is_reported_and_not_overwritten(capsys, isolated_data_dir):
    path = jr.journey_file(isolated_data_dir)
    path.write_text('{"format": "proctorprep-journey", "version": 1, "entries": [')
    code, out, err = run(capsys, "journey", "add-cert", "Azure Administrator Associate")
    assert code == 2 and "is not overwritten" in err and "is not valid JSON" in out
    assert path.read_text().endswith("[")


@pytest.mark.slow          # renders five full-size badge images (~1 s each on a busy machine)
def test_badge_export_import_and_show_through_the_commands(capsys, isolated_data_dir, tmp_path):
    from tests.test_progress_journal import T0, record  # noqa: F401

    from proctorprep.rules.incidents import Incident  # noqa: F401

    setup_journey(capsys)
    # earn "first clean session" with one clean proctored session, then export it
    record(paths.sessions_dir(isolated_data_dir), 1, duration=900.0, score=800)
    code, out, err = run(capsys, "badges", "--export", str(tmp_path / "out"), "--name", "Ada")
    assert code == 0, err
    png = tmp_path / "out" / "first-clean-session.png"
    code, out, _ = run(capsys, "journey", "badge-show", str(png))
    assert "Open Badges 3.0 (PNG)" in out and "name:      Practice: First clean session" in out
    assert "PRACTICE badge: a practice achievement, not a certification" in out
    code, out, _ = run(capsys, "journey", "badge-import", str(png), "--cert", "az-104")
    assert code == 0 and "PRACTICE badge from proctorprep, not a certification" in out
    [badge] = jr.load(isolated_data_dir).cert("az-104").badges
    assert (isolated_data_dir / "journey-badges" / badge.image_file).is_file()
    evil = tmp_path / "evil.svg"
    evil.write_text('<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
                    "<openbadges:assertion><![CDATA[<script>alert(1)</script>]]></openbadges:assertion></svg>")
    code, out, err = run(capsys, "journey", "badge-import", str(evil), "--cert", "az-104")
    assert code == 2 and err.strip() == ("proctorprep: evil.svg: the baked badge data is neither JSON nor a signed "
                                         "token: “<script>alert(1)</script>”")
    assert date.today()      # (the import above used today's date for imported_on)
