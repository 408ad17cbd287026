"""The Journey page: certifications with their renewal state and an open window offering the renewal round, exams
with readiness reasons, a failed exam's plan whose step opens a quick round on that skill, forms that refuse bad
fields, a hostile badge refused with its text shown literally, the calendar export, and the start-up banner."""

from __future__ import annotations

import json
from datetime import date

import pytest

from proctorprep.progress import journey as jr
from proctorprep.progress import openbadges as ob
from proctorprep.progress.journey import Certification, Exam, SkillBar

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]
TODAY = date(2026, 12, 1)


def seed(data_dir) -> None:
    j = jr.Journey()
    jr.add_certification(j, Certification(id="az-104", name="Azure Administrator Associate", exam_codes=("AZ-104",),
                                          earned_on=date(2026, 3, 2), bank_id="cloud-fundamentals"))
    jr.add_certification(j, Certification(id="az-900", name="Azure Fundamentals", kind="fundamentals",
                                          earned_on=date(2025, 10, 1)))
    jr.add_exam(j, Exam(id="az-305", code="AZ-305", title="Solutions Architect", status="booked",
                        date=date(2027, 1, 20), time="09:30", bank_id="cloud-fundamentals"))
    jr.add_exam(j, Exam(id="az-500", code="AZ-500", status="failed", date=date(2026, 11, 20), score=640,
                        bank_id="cloud-fundamentals", skills=(SkillBar("Security and identity", 42),
                                                              SkillBar("Cloud concepts", 85))))
    jr.save(j, data_dir)


@pytest.fixture()
def page(qtbot, isolated_data_dir):
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.journey import create_page

    seed(isolated_data_dir)
    ctx = make_test_context(isolated_data_dir)
    p = create_page(ctx)
    p.today = lambda: TODAY
    qtbot.addWidget(p)
    yield p
    ctx.runner.shutdown()


def show(qtbot, page) -> None:
    page.overview = None
    page.on_enter()
    qtbot.waitUntil(lambda: page.overview is not None and not page._loading, timeout=15000)


def texts(widget) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def wait_status(qtbot, page, words: str) -> None:
    qtbot.waitUntil(lambda: words in page.status_line.text() and not page._loading, timeout=15000)


def test_the_page_shows_renewals_readiness_and_the_plan_and_the_buttons_go_where_they_say(qtbot, page):
    show(qtbot, page)
    renewals = texts(page.renewals)
    assert "The renewal window of Azure Administrator Associate is open until 2 Mar 2027 (91 days left)." in renewals
    assert "Azure Fundamentals" not in renewals
    assert "Azure Fundamentals does not expire." in texts(page.cert_cards["az-900"])
    from PySide6.QtWidgets import QPushButton

    round_btn = page.renewals.findChild(QPushButton, "renew_round_az-104")
    round_btn.click()
    key, kw = page.ctx.navigated[-1]
    from proctorprep.ui.pages.journey import renewal_page

    # the renewal round page when this build has one, else the quick round standing in for it, as the page says
    assert key == renewal_page()[0] and kw["bank_id"] == "cloud-fundamentals"
    assert (key == "quick_round") == ("stands in for it" in renewals)

    booked = texts(page.exam_cards["az-305"])
    assert "Not ready to book yet (scores, proctoring, habits)." in booked
    assert "○ No full mock exam on Cloud Fundamentals — practice exam yet: take 3." in booked

    # a failed exam: make the plan from the lowest bars, then its first step opens a quick round on that skill
    page.findChild(QPushButton, "plan_az-500").click()
    wait_status(qtbot, page, "Practice plan made for AZ-500")
    qtbot.waitUntil(lambda: "0 of 3 done" in texts(page.exam_cards["az-500"]), timeout=15000)
    page.findChild(QPushButton, "practise_az-500").click()
    assert page.ctx.navigated[-1] == ("quick_round", {"bank_id": "cloud-fundamentals",
                                                      "skills": ("Security and identity",),
                                                      "reason": "Practice plan: Security and identity"})


def test_renewed_today_moves_the_expiry_on_a_year(qtbot, page, isolated_data_dir):
    show(qtbot, page)
    from PySide6.QtWidgets import QPushButton

    page.cert_cards["az-104"].findChild(QPushButton, "renewed_az-104").click()
    wait_status(qtbot, page, "Renewed Azure Administrator Associate: it now expires on 2 Mar 2028.")
    assert jr.load(isolated_data_dir).cert("az-104").renewed_on == (TODAY,)
    qtbot.waitUntil(lambda: "No renewal window is open." in texts(page.renewals), timeout=15000)


def test_the_forms_refuse_a_bad_field_and_save_a_good_one(qtbot, page, isolated_data_dir):
    show(qtbot, page)
    page.add_exam()
    form = page.forms[-1]
    form.code.setText("AZ-700")
    form.status.setCurrentIndex(form.status.findData("passed"))
    form.score.setText("650")
    form.submit()
    assert form.error.text() == "AZ-700: a score of 650 is a fail (the pass mark is 700), not 'passed'"
    assert form.isVisible()
    form.score.setText("812")
    form.skills.setPlainText("Design networks=55\nbad line")
    form.submit()
    assert "expected 'name=percent'" in form.error.text()
    form.skills.setPlainText("Design networks=55")
    form.date.setText("2026-11-30")
    form.submit()
    wait_status(qtbot, page, "Added exam AZ-700")
    got = jr.load(isolated_data_dir).exam("az-700")
    assert (got.status, got.score, got.date, got.skills) == ("passed", 812, date(2026, 11, 30),
                                                            (SkillBar("Design networks", 55.0),))
    page.add_certification()
    cform = page.forms[-1]
    cform.name.setText("Azure Network Engineer Associate")
    cform.earned.setText("30/11/2026")
    cform.submit()
    assert cform.error.text() == "earned on: expected a date like 2026-12-31, got '30/11/2026'"


def test_a_hostile_badge_is_refused_with_its_text_shown_literally_and_a_real_one_is_attached(
        qtbot, page, isolated_data_dir, tmp_path):
    show(qtbot, page)
    evil = tmp_path / "evil.svg"
    evil.write_text(ob.bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', "<b>Certified!</b>", "2.0"))
    page.choose_badge_file = lambda: str(evil)
    from PySide6.QtWidgets import QPushButton

    page.cert_cards["az-104"].findChild(QPushButton, "attach_az-104").click()
    wait_status(qtbot, page, "evil.svg:")
    assert page.status_line.text() == ("evil.svg: the baked badge data is neither JSON nor a signed token: "
                                       "“<b>Certified!</b>”")
    from PySide6.QtCore import Qt

    assert page.status_line.textFormat() == Qt.TextFormat.PlainText
    assert page.ctx.banners["journey"][1] == "error"
    assert jr.load(isolated_data_dir).cert("az-104").badges == ()

    from tests.test_journey_badges import ASSERTION_20, plain_png

    good = tmp_path / "wallet.png"
    doc = json.loads(json.dumps(ASSERTION_20))
    doc["badge"]["name"] = "<i>Azure Administrator</i>"
    good.write_bytes(ob.bake_png(plain_png(), json.dumps(doc), "2.0"))
    page.choose_badge_file = lambda: str(good)
    page.cert_cards["az-104"].findChild(QPushButton, "attach_az-104").click()
    wait_status(qtbot, page, "Attached <i>Azure Administrator</i>.")
    qtbot.waitUntil(lambda: "<i>Azure Administrator</i>\nfrom Microsoft" in texts(page.cert_cards.get("az-104")
                                                                                  or page), timeout=15000)
    from PySide6.QtWidgets import QLabel

    label = page.cert_cards["az-104"].findChild(QLabel, "badge_text")
    assert label.textFormat() == Qt.TextFormat.PlainText
    pic = [w for w in page.cert_cards["az-104"].findChildren(QLabel) if w.pixmap() and not w.pixmap().isNull()]
    assert pic, "the badge picture is shown"


def test_export_calendar(qtbot, page, tmp_path):
    show(qtbot, page)
    dest = tmp_path / "cal" / "journey.ics"
    page.choose_ics_path = lambda: str(dest)
    page.ics_btn.click()
    wait_status(qtbot, page, "Saved")
    from icalendar import Calendar

    summaries = {str(e["summary"]) for e in Calendar.from_ical(dest.read_bytes()).walk("VEVENT")}
    assert "Renewal window opens: Azure Administrator Associate" in summaries


def test_an_unreadable_journey_is_said_and_the_add_buttons_are_off(qtbot, page, isolated_data_dir):
    jr.journey_file(isolated_data_dir).write_text("{oops")
    show(qtbot, page)
    assert "is not valid JSON" in page.status_line.text()
    assert not page.add_cert_btn.isEnabled() and not page.add_exam_btn.isEnabled()
    assert jr.journey_file(isolated_data_dir).read_text() == "{oops"


def test_a_plan_step_opens_a_quick_round_on_that_skill_area_only(qtbot, isolated_data_dir):
    from proctorprep.journal.history import list_sessions
    from proctorprep.journal.record import read_record
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.quick_round import create_page

    ctx = make_test_context(isolated_data_dir)
    qr = create_page(ctx)
    qtbot.addWidget(qr)
    try:
        qr.on_enter(bank_id="windows-server-admin", skills=("Networking services",),
                    reason="Practice plan: Networking services")
        qtbot.waitUntil(lambda: qr.start_btn.isEnabled(), timeout=15000)
        assert qr.bank_combo.currentData() == "windows-server-admin"
        assert qr.setup_note.text() == "Practice plan: Networking services. Only questions on Networking services."
        qr.start_btn.click()
        assert {q.skill for q in qr.round.session.questions} == {"Networking services"}
        qr.submit()
        [info] = list_sessions(ctx.sessions_dir)
        from proctorprep.journal.store import JournalReader

        with JournalReader(info.path) as reader:
            assert read_record(reader).settings["skills"] == ["Networking services"]
    finally:
        ctx.runner.shutdown()


def test_the_renewal_button_finds_the_renewal_round_page_once_it_is_registered(monkeypatch):
    from proctorprep.ui import pages
    from proctorprep.ui.pages.journey import renewal_page

    monkeypatch.setattr(pages, "PAGES", [p for p in pages.PAGES if p.key not in ("renewal_round", "renewal")])
    assert renewal_page() == ("quick_round", "Renewal practice (quick round)")
    monkeypatch.setattr(pages, "PAGES", pages.PAGES + [pages.PageSpec("renewal_round", "Renewal round",
                                                                      "proctorprep.ui.pages.quick_round")])
    assert renewal_page() == ("renewal_round", "Start the renewal round")


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_start_up_says_which_renewal_window_is_open_and_offers_the_round(qtbot, isolated_data_dir, monkeypatch):
    from proctorprep.progress.renewal_window import add_months
    from proctorprep.ui.app import after_show, build_window
    from proctorprep.ui.context import LaunchOptions

    j = jr.Journey()
    jr.add_certification(j, Certification(id="az-104", name="Azure Administrator Associate",
                                          earned_on=add_months(date.today(), -11), bank_id="cloud-fundamentals"))
    jr.add_certification(j, Certification(id="az-800", name="Windows Server Hybrid", earned_on=date.today()))
    jr.save(j, isolated_data_dir)
    window = build_window(LaunchOptions(), isolated_data_dir)
    qtbot.addWidget(window)
    window.show()
    after_show(window)
    qtbot.waitUntil(lambda: "renewal" in window.banners.keys(), timeout=15000)
    text = window.banners.text("renewal")
    assert text.startswith("The renewal window of Azure Administrator Associate is open until")
    assert "Windows Server Hybrid" not in text
    from PySide6.QtWidgets import QPushButton

    action = window.banners.findChild(QPushButton, "banner_renewal_action")
    assert action.isVisible() and action.text() in ("Renewal round", "Practise now")
    assert (action.text() == "Practise now") == ("stands in for the renewal round" in text)
    action.click()
    from proctorprep.ui.pages.journey import renewal_page

    assert window.current_key == renewal_page()[0]
    assert "renewal" not in window.banners.keys()
    window.close()


def test_the_renewal_card_from_start_up_goes_when_the_journey_page_shows_the_same(qtbot, page):
    # tools/screenshot_journey.py: the card floated over the page's first lines, saying what its Renewals box says
    page.ctx.show_banner("renewal", "The renewal window of … is open", "info")
    page.ctx.show_banner("disk", "The disk is full", "warning")
    show(qtbot, page)
    assert "renewal" not in page.ctx.banners and "disk" in page.ctx.banners
    # and the start-up check, when its answer comes while the journey page is up, puts none there
    from types import SimpleNamespace

    from proctorprep.ui.app import show_renewals

    shown = []
    window = SimpleNamespace(current_key="journey", banners=SimpleNamespace(show_banner=lambda *a: shown.append(a)))
    due = [SimpleNamespace(text="The renewal window of … is open", cert_id="az-104", state="open")]
    show_renewals(window, due, jr.Journey())
    assert shown == []
    window.current_key = "home"
    show_renewals(window, due, jr.Journey())
    assert shown and shown[0][0] == "renewal"
