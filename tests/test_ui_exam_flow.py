"""The exam flow of issue 21 D (offscreen): the agreement and welcome screens before the clock starts (declining
records nothing), the open-book reference pane (journaled, the clock running), and after a fail the top three
skills to improve with a practice round on them."""

from __future__ import annotations

import pytest

from proctorprep.exam import ExamSession
from proctorprep.exam.catalog import load_bundled
from proctorprep.exam.result import skills_to_improve
from tests.test_ui_pages import window  # noqa: F401  (the app window fixture)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_agreement_then_welcome_then_the_clock(window, monkeypatch):
    started = []
    monkeypatch.setattr(window.ctx.session, "start_exam", lambda bank: started.append(bank.id))
    window.navigate("exam")
    page = window.page("exam")
    lab = load_bundled("cloud-operations-lab")
    page._show_agreement(lab)
    assert page.stack.currentIndex() == 4 and "not to copy" in page.agreement.text.text()
    page.agreement.accept_btn.click()
    assert page.stack.currentIndex() == 5
    text = page.welcome.text.text()
    assert text.startswith("19 questions, 30 minutes") and "Drag and drop" in text
    assert "1 problem-solution series" in text and "Well-known ports" in text
    assert not started                                   # the clock has not started on the welcome screen
    page.welcome.start_btn.click()
    assert started == ["cloud-operations-lab"]
    page._show_agreement(lab)
    page.agreement.decline_btn.click()
    assert "did not accept the agreement" in page.waiting.text() and started == ["cloud-operations-lab"]


def test_reference_pane_opens_the_bank_pages_and_is_journaled(window, qtbot):
    events = []
    s = window.ctx.session
    s.live.exam = ExamSession(load_bundled("cloud-operations-lab"), clock=s.clock.now,
                              listener=lambda k, d: events.append((k, d)))
    s.exam.start()
    window.navigate("exam")
    page = window.page("exam")
    page.stack.setCurrentIndex(1)
    page.render()
    assert page.reference_btn.isVisibleTo(page)
    window.ctx.actions.trigger("exam_reference")
    assert page.reference.isVisibleTo(page)
    assert page.reference.tabs.count() == 2
    assert "Standard D4s" in page.reference.tabs.widget(0).toPlainText()
    page.reference.tabs.setCurrentIndex(1)
    assert "3389 RDP" in page.reference.tabs.widget(1).toPlainText()
    assert [d["title"] for k, d in events if k == "reference_opened"] == ["Virtual machine sizes", "Well-known ports"]
    assert s.exam.state == "running" and s.exam.remaining_s() is not None    # the clock never stopped
    window.ctx.actions.trigger("exam_reference")
    assert not page.reference.isVisibleTo(page)


def test_skills_to_improve_are_the_three_weakest():
    skills = [("A", 80.0), ("B", 20.0), ("C", 100.0), ("D", 20.0), ("E", 55.0), ("F", None)]
    assert skills_to_improve(skills) == ["B", "D", "E"]
    assert skills_to_improve([("A", 100.0)]) == []


def test_a_failed_exam_offers_a_practice_round_on_the_weakest_skills(qtbot, isolated_data_dir):
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.results import create_page
    from tests.test_ui_items_21 import _exam_journal

    ctx = make_test_context(isolated_data_dir)
    lab = load_bundled("cloud-operations-lab")
    path = _exam_journal(ctx.sessions_dir, lab, {"short-protocol": "SSH", "numeric-memory": 32})
    page = create_page(ctx)
    qtbot.addWidget(page)
    page.on_enter(journal_path=path)
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)
    assert len(page.improve_skills) == 3
    assert page.findChild(type(page.heading), "improve_skills").text().startswith("Top skills to improve:\n1. ")
    page.practice_btn.click()
    key, kwargs = ctx.navigated[-1]
    assert key == "quick_round" and kwargs["bank_id"] == "cloud-operations-lab"
    assert list(kwargs["skills"]) == page.improve_skills
    ctx.runner.shutdown()


def test_comments_are_journaled_kept_in_the_result_and_shown(window, qtbot, isolated_data_dir):
    events = []
    lab = load_bundled("cloud-operations-lab")
    s = window.ctx.session
    s.live.exam = ExamSession(lab, clock=s.clock.now, listener=lambda k, d: events.append((k, d)))
    s.exam.start()
    window.navigate("exam")
    page = window.page("exam")
    page.stack.setCurrentIndex(1)
    page.render()
    page.set_comment("  The   wording of option B is unclear. ")
    assert page.comment_btn.text() == "Comment ✓"
    assert ("commented", "The wording of option B is unclear.") in [(k, d.get("comment")) for k, d in events]
    qid = s.exam.current.question.id
    s.exam.next()
    page.render()
    assert page.comment_btn.text() == "Comment…"
    result = s.exam.submit()
    row = next(r for r in result.rows if r.qid == qid)
    assert row.comment == "The wording of option B is unclear." and result.to_dict()["questions"][0]["comment"]
    assert "comment" not in result.to_dict()["questions"][1]
    assert not s.exam.comment(qid, "too late")

    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.results import create_page
    from proctorprep.journal.store import SessionJournal

    ctx = make_test_context(isolated_data_dir)
    j = SessionJournal.create(ctx.sessions_dir, {"kind": "exam", "exam_id": lab.id, "exam_title": lab.title,
                                                 "profile": "standard"})
    j.set_exam_result(result.to_dict())
    j.finish({"verdict": "clean"})
    results = create_page(ctx)
    qtbot.addWidget(results)
    results.on_enter(journal_path=j.path)
    qtbot.waitUntil(lambda: results.report is not None, timeout=20000)
    shown = results.findChild(type(results.heading), "exam_comments").text()
    assert shown == "Your comments:\nQuestion 1: The wording of option B is unclear."
    ctx.runner.shutdown()
