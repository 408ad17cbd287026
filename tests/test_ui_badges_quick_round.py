"""The quick-round page: pick a bank, answer a handful of questions with no clock, see what was right; the round
is in the history as kind "quick"; leaving mid-round records it as abandoned, never as interrupted."""

from __future__ import annotations

import json

import pytest

from proctorprep.journal.history import list_sessions
from tests.test_progress_journal import QUICK_BANK, quick_bank

pytestmark = pytest.mark.gui


@pytest.fixture()
def page(qtbot, isolated_data_dir):
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.quick_round import create_page

    ctx = make_test_context(isolated_data_dir)
    p = create_page(ctx)
    qtbot.addWidget(p)
    yield p
    ctx.runner.shutdown()


def test_round_from_start_to_results(page):
    page.count.setValue(4)
    page.start(bank=quick_bank(), seed=3)
    assert page.stack.currentIndex() == 1
    assert page.q_header.text() == "Question 1 of 4 — General (no time limit)"
    answers = []
    for i in range(4):
        view = page.round.session.current
        wrong = i == 2                                   # answer the third one wrongly
        page.item.buttons["b" if wrong else "a"].click()
        answers.append(view.question.prompt)
        if i < 3:
            page.next_btn.click()
    assert not page.next_btn.isEnabled()
    page.prev_btn.click()
    assert page.round.session.current.response == "b"   # the answer survived navigation
    sid = page.round.session_id
    page.submit_btn.click()
    assert page.stack.currentIndex() == 2
    assert page.score_label.text().startswith("3 of 4 right (score ")
    [info] = list_sessions(page.ctx.sessions_dir)
    assert (info.id, info.kind, info.status) == (sid, "quick", "complete")
    assert info.score == page.result.score and info.score < 1000


def test_leaving_mid_round_abandons_it(page):
    page.start(bank=quick_bank(), seed=1)
    page.item.buttons["a"].click()
    page.on_leave()
    assert page.round is None and page.stack.currentIndex() == 0
    [info] = list_sessions(page.ctx.sessions_dir)
    assert (info.kind, info.status, info.score) == ("quick", "complete", None)


def test_start_from_a_bank_in_the_user_folder(qtbot, page, isolated_data_dir):
    from proctorprep import paths

    paths.write_private(paths.user_exams_dir(isolated_data_dir) / "quick.json", json.dumps(QUICK_BANK))
    page.on_enter()
    qtbot.waitUntil(lambda: page.ready, timeout=10000)          # what the screenshot tour waits for
    assert page.bank_combo.findData("quick") >= 0 and "Loading" not in page.setup_note.text()
    page.bank_combo.setCurrentIndex(page.bank_combo.findData("quick"))
    page.count.setValue(3)
    page.start_btn.click()
    assert page.stack.currentIndex() == 1 and len(page.round.session) == 3
    assert page.round.bank.id == "quick"
