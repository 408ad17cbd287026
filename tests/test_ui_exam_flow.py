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


def test_sections_on_the_exam_page_the_palette_and_the_review_screen(window, monkeypatch):
    """The lab bank's two sections: the welcome screen names them; at the end of part 1 Next asks before leaving
    (Stay keeps you there); the palette and the review screen show part 2 as not open yet, then part 1 as locked;
    the review screen finishes the section, not the exam; the journal has the section_locked event."""
    from PySide6.QtWidgets import QMessageBox

    events = []
    s = window.ctx.session
    lab = load_bundled("cloud-operations-lab")
    s.live.exam = ExamSession(lab, clock=s.clock.now, listener=lambda k, d: events.append((k, d)))
    s.exam.start()
    window.navigate("exam")
    page = window.page("exam")
    assert "This exam has 2 sections, taken in order: Part 1 of 2: Questions (16 questions); Part 2 of 2: " \
           "Problem-solution series (3 questions)" in "\n".join(__import__(
               "proctorprep.ui.widgets.exam_intro", fromlist=["x"]).welcome_lines(lab))
    page.stack.setCurrentIndex(1)
    page.render()
    end = s.exam.next_section_start() - 1
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Ok])
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: (asked.append(box.text()), next(answers))[1])
    assert s.exam.goto(end)
    page.render()
    assert page.next_btn.text() == "Next section" and "section 1 of 2" in page.progress.text()
    later = [b for b, r in zip(page.palette_grid.buttons, s.exam.review()) if r.ahead]
    assert len(later) == 3 and not any(b.isEnabled() for b in later)
    assert "in a later section" in later[0].toolTip()
    page.next()                                                  # Stay in the section
    assert s.exam.index == end and len(asked) == 1
    assert asked[0].startswith("Part 1 of 2: Questions: ") and "cannot come back" in asked[0]
    window.navigate("review")
    review = window.page("review")
    assert review.submit_btn.text() == "Finish this section…"
    assert not review.table.isColumnHidden(3)
    later_rows = [i for i, r in enumerate(review.rows) if r.ahead]
    pictured = [i for i, r in enumerate(review.rows) if r.qid in ("icon-queue", "diagram-peering", "portal-nsg")]
    assert len(pictured) == 3 and all(not review.table.item(i, 4).icon().isNull() for i in pictured)
    assert review.table.item([r.qid for r in review.rows].index("multi-burst"), 4).icon().isNull()
    assert "(later section)" in review.table.item(later_rows[0], 1).text()
    review.open_row(later_rows[0])
    assert window.current_key == "review"                        # a later section does not open from here
    review.ask_submit()
    assert "After you finish Part 1 of 2: Questions you cannot come back" in review.confirm.text()
    review.confirm_btn.click()                                   # finish the section: on to part 2
    assert window.current_key == "exam" and s.exam.current_section().id == "part-2"
    assert s.exam.state == "running"
    assert [d["section_id"] for k, d in events if k == "section_locked" and "section_id" in d] == ["part-1"]
    page.render()
    first = page.palette_grid.buttons[0]
    assert not first.isEnabled() and "its section was left" in first.toolTip()
    window.navigate("review")
    assert review.submit_btn.text() == "End the exam…"          # the last section ends the exam
    page._timer.stop()
    window.ctx.lock_navigation(False)


def test_option_pictures_are_drawn_clickable_and_reachable_by_keyboard(qtbot, tmp_path):
    """Single and multiple choice with a picture on each option: the picture is drawn beside its letter at most
    160x120, clicking it chooses the option, and the keyboard reaches the control it belongs to."""
    import json
    import shutil

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from proctorprep.exam.catalog import load_bank
    from proctorprep.ui.widgets.items import make_item_widget

    root = __import__("importlib.resources", fromlist=["files"]).files("proctorprep.assets") / "exams"
    shutil.copytree(str(root / "cloud-operations-lab"), tmp_path / "pics")
    icons = ["img/icon-database.png", "img/icon-queue.png", "img/icon-server.png"]
    opts = [{"id": f"o{i}", "text": f"Picture {i + 1}", "image": p} for i, p in enumerate(icons)]
    (tmp_path / "pics.json").write_text(json.dumps({
        "format": "proctorprep-question-bank", "version": 1, "id": "pics", "title": "Pictures",
        "duration_minutes": 5, "questions": [
            {"id": "one", "type": "single", "skill": "S", "prompt": "Which is a queue?", "options": opts,
             "answer": "o1", "explanation": "e"},
            {"id": "two", "type": "multiple", "skill": "S", "prompt": "Which two store data?", "options": opts,
             "choose": 2, "answer": ["o0", "o1"], "explanation": "e"}]}))
    bank = load_bank(tmp_path / "pics.json")
    exam = ExamSession(bank)
    exam.start()
    single = make_item_widget(exam.view(0))
    qtbot.addWidget(single)
    single.resize(800, 600)
    single.show()
    for opt in exam.view(0).options:
        pic = single.rows[opt.id].picture
        assert isinstance(pic, QLabel) and pic.pixmap() is not None and not pic.pixmap().isNull()
        assert pic.width() <= 160 and pic.height() <= 120 and pic.isVisible()
        assert single.buttons[opt.id].accessibleName().endswith(f"{opt.text} (picture)")
    qtbot.mouseClick(single.rows["o1"].picture, Qt.MouseButton.LeftButton)
    assert single.response() == "o1"
    single.buttons["o2"].setFocus()
    qtbot.keyClick(single.buttons["o2"], Qt.Key.Key_Space)
    assert single.response() == "o2"
    multi = make_item_widget(exam.view(1))
    qtbot.addWidget(multi)
    multi.show()
    assert all(multi.rows[o.id].picture.pixmap() is not None for o in exam.view(1).options)
    qtbot.mouseClick(multi.rows["o0"].picture, Qt.MouseButton.LeftButton)
    multi.boxes["o1"].setFocus()
    qtbot.keyClick(multi.boxes["o1"], Qt.Key.Key_Space)
    assert sorted(multi.response()) == ["o0", "o1"]
    (tmp_path / "pics" / icons[2]).write_bytes(b"gone")          # a picture that changed since the bank loaded
    again = make_item_widget(exam.view(0))
    qtbot.addWidget(again)
    assert "could not be shown" in again.rows["o2"].picture.text()
