"""Issue 21 in the UI (offscreen): the short-answer, numeric and information widgets, answered from the keyboard,
and the Anki export from the results page and the CLI."""

from __future__ import annotations

import zipfile

import pytest
from PySide6.QtCore import Qt

from proctorprep.cli import main
from proctorprep.exam import ExamSession
from proctorprep.exam.validate import build_bank
from tests.test_exam_item_types import BANK

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _widget(qtbot, exam, qid):
    from proctorprep.ui.widgets.items import make_item_widget

    view = exam.view([q.id for q in exam.questions].index(qid))
    w = make_item_widget(view)
    qtbot.addWidget(w)
    return w


def test_short_answer_numeric_and_info_widgets_from_the_keyboard(qtbot):
    exam = ExamSession(build_bank(BANK, "new.json"))
    exam.start()
    sa = _widget(qtbot, exam, "sa")
    qtbot.keyClicks(sa.first_focus(), "  oidc ")
    assert sa.response() == "oidc" and exam.answer("sa", sa.response())
    num = _widget(qtbot, exam, "num")
    qtbot.keyClicks(num.first_focus(), "six")
    assert num.response() is None and "not a number" in num.status.text()
    num.first_focus().clear()
    qtbot.keyClicks(num.first_focus(), "6")
    assert num.response() == 6.0 and num.status.text() == "" and exam.answer("num", num.response())
    pi = _widget(qtbot, exam, "pi")
    qtbot.keyClicks(pi.first_focus(), "3,14")                    # a decimal comma is read as a point
    assert exam.answer("pi", pi.response())
    info = _widget(qtbot, exam, "intro")
    assert info.response() is None and "nothing to answer" in info.hint.text()
    assert exam.submit().score == 1000
    again = _widget(qtbot, exam, "num")                          # a stored answer is shown again
    assert again.first_focus().text() == "6"


def _exam_journal(sessions, bank, answers):
    from proctorprep.journal.store import SessionJournal

    s = ExamSession(bank)
    s.start()
    for qid, value in answers.items():
        s.answer(qid, value)
    j = SessionJournal.create(sessions, {"kind": "exam", "exam_id": bank.id, "exam_title": bank.title,
                                         "profile": "standard"})
    j.set_exam_result(s.submit().to_dict())
    j.finish({"verdict": "clean"})
    return j.path


def test_results_page_exports_missed_questions_to_anki(qtbot, isolated_data_dir, tmp_path):
    from proctorprep.exam.catalog import install_bank
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.results import create_page

    ctx = make_test_context(isolated_data_dir)
    bank = build_bank(BANK, "new.json")
    install_bank(bank, ctx.data_dir / "exams")
    path = _exam_journal(ctx.sessions_dir, bank, {"sa": "OIDC"})
    page = create_page(ctx)
    qtbot.addWidget(page)
    page.on_enter(journal_path=path)
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)
    assert page.anki_btn.isEnabled()
    page.export_anki(tmp_path / "missed.apkg")
    qtbot.waitUntil(lambda: bool(page.exported), timeout=20000)
    assert "Saved 2 missed questions" in page.status.text()
    assert "collection.anki2" in zipfile.ZipFile(tmp_path / "missed.apkg").namelist()
    ctx.runner.shutdown()


def test_cli_anki_export(isolated_data_dir, tmp_path, capsys):
    from proctorprep import paths
    from proctorprep.exam.catalog import install_bank

    bank = build_bank(BANK, "new.json")
    install_bank(bank, paths.user_exams_dir())
    _exam_journal(paths.sessions_dir(), bank, {"sa": "OIDC", "num": 6})
    out = tmp_path / "deck.apkg"
    assert main(["exams", "anki", "latest", "--out", str(out)]) == 0
    assert f"wrote 1 card to {out}" in capsys.readouterr().out
    perfect = _exam_journal(paths.sessions_dir(), bank, {"sa": "OIDC", "num": 6, "pi": 3.14})
    assert main(["exams", "anki", perfect.parent.name, "--out", str(tmp_path / "none.apkg")]) != 0
    assert "no missed questions" in capsys.readouterr().err
    assert main(["exams", "anki", "no-such-session"]) != 0
