"""The renewal round (issue 21 B): the draw across skills, forward-only locking, the journal entry with its
nominal time, the attempt rule with a fake clock, the badge, the CLI and the page."""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from proctorprep.cli import main
from proctorprep.exam import ExamSession, load_bundled
from proctorprep.exam.scoring import correct_answer
from proctorprep.exam.renewal import MAX_QUESTIONS, MIN_QUESTIONS, RenewalError, draw_renewal
from proctorprep.journal.store import JournalReader
from proctorprep.progress.badges import evaluate
from proctorprep.progress.from_journal import load_history
from proctorprep.progress.renewal_round import Attempt, RenewalRound, attempts_from, gate, load_attempts
from tests.test_exam_fixtures import FakeClock

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)
BANK = "cloud-fundamentals"


def test_draw_is_spread_across_every_skill_in_proportion():
    bank = load_bundled(BANK)
    ids = draw_renewal(bank, 30, seed=7)
    assert len(ids) == len(set(ids)) == 30
    picked = Counter(bank.question(i).skill for i in ids)
    pool = Counter(q.skill for q in bank.questions if q.case_id is None)
    assert set(picked) == set(pool)
    for skill, n in pool.items():            # Hamilton shares: within one of the exact proportion
        assert abs(picked[skill] - 30 * n / sum(pool.values())) < 1
    assert all(bank.question(i).case_id is None for i in ids)
    assert draw_renewal(bank, 30, seed=7) == ids
    with pytest.raises(RenewalError, match="25-40 questions, not 41"):
        draw_renewal(bank, MAX_QUESTIONS + 1)
    with pytest.raises(RenewalError, match="has 18 questions outside case studies; a renewal round needs at least 25"):
        draw_renewal(load_bundled("proctoring-etiquette"), MIN_QUESTIONS)


def test_forward_only_locks_each_question_left_behind():
    bank = load_bundled(BANK)
    events = []
    s = ExamSession.renewal(bank, draw_renewal(bank, 25, seed=1), seed=1, clock=FakeClock(),
                            listener=lambda k, d: events.append((k, d)))
    s.start()
    assert s.remaining_s() is None and s.duration_s is None            # no clock at all
    first = s.current.question
    assert s.answer(first.id, correct_answer(s.current.question))
    assert not s.prev() and not s.goto(2) and s.index == 0           # no step back, no skipping ahead
    assert s.next() and s.index == 1
    assert not s.prev() and not s.goto(0)                              # no going back
    assert s.view(0).locked and not s.answer(first.id, None)           # its answer stays as given
    assert s.response(first.id) is not None
    assert ("question_locked", first.id) in [(k, d.get("qid")) for k, d in events]
    r = s.submit()
    assert r.mode == "renewal" and r.duration_s is None


def test_attempt_rule_with_a_fake_clock():
    def fail(h):
        return Attempt(BANK, T0 + timedelta(hours=h), False)

    assert gate([], BANK, T0).allowed
    one = [fail(0)]
    g = gate(one, BANK, T0 + timedelta(minutes=1))
    assert g.allowed and g.failed_in_a_row == 1 and "1 more before a 24-hour wait" in g.reason
    two = [fail(0), fail(1)]
    g = gate(two, BANK, T0 + timedelta(hours=1, minutes=5))
    assert not g.allowed and g.wait_until == T0 + timedelta(hours=25) and "24 hours after the last" in g.reason
    assert not gate(two, BANK, T0 + timedelta(hours=24, minutes=59, seconds=59)).allowed
    assert gate(two, BANK, T0 + timedelta(hours=25)).allowed            # exactly 24 h after the second fail
    three = two + [fail(26)]                                            # a third fail: another 24 hours
    assert not gate(three, BANK, T0 + timedelta(hours=49)).allowed
    assert gate(three, BANK, T0 + timedelta(hours=50)).allowed
    passed = three + [Attempt(BANK, T0 + timedelta(hours=51), True)]   # a pass clears the count
    assert gate(passed, BANK, T0 + timedelta(hours=51, minutes=1)).failed_in_a_row == 0
    assert gate(two, "windows-server-admin", T0 + timedelta(hours=2)).allowed   # per bank


def test_rounds_are_journaled_counted_and_badged(isolated_data_dir):
    from proctorprep import paths

    root = paths.sessions_dir()
    bank = load_bundled(BANK)
    now = T0
    for _ in range(2):                       # two failed rounds (nothing answered) ...
        r = RenewalRound(bank, root, load_attempts(root), count=25, seed=3, clock=FakeClock(), now=now)
        r.start()
        assert not r.submit().passed
    attempts = load_attempts(root)
    assert [a.passed for a in attempts] == [False, False]
    with pytest.raises(RenewalError, match="2 failed attempts in a row"):   # ... then the wait
        RenewalRound(bank, root, attempts, count=25, now=datetime.now().astimezone())
    with JournalReader(r.journal.path) as reader:
        meta = reader.meta()
        assert meta["kind"] == "renewal" and meta["settings"]["nominal_s"] == 25 * 60.0 and meta["source"] == {"proctored": False}
        assert {e.kind for e in reader.exam_events()} >= {"started", "question_shown", "submitted"}
    # A pass later (the fake "now" is a day after the last failure) earns the bank's renewal badge.
    later = datetime.now().astimezone() + timedelta(hours=25)
    ok = RenewalRound(bank, root, attempts, count=25, seed=4, clock=FakeClock(), now=later)
    ok.start()
    s = ok.session
    for i in range(len(s)):
        s.answer(s.current.question.id, correct_answer(s.current.question))
        s.next()
    assert ok.submit().score == 1000
    with JournalReader(ok.journal.path) as reader:
        assert sum(e.kind == "question_locked" for e in reader.exam_events()) == 24
    history = load_history(root).sessions
    statuses = {b.badge.id: b for b in evaluate(history)}
    assert statuses[f"renewed:{BANK}"].earned
    assert not any(b.earned for b in statuses.values() if b.badge.category == "etiquette")   # unproctored
    assert sorted(a.passed for a in attempts_from(history)) == [False, False, True]   # same second: any order


def test_an_abandoned_round_counts_as_a_failed_attempt(isolated_data_dir):
    from proctorprep import paths

    root = paths.sessions_dir()
    r = RenewalRound(load_bundled(BANK), root, count=25, clock=FakeClock(), now=T0)
    r.start()
    r.abandon()
    assert [a.passed for a in load_attempts(root)] == [False]


def test_cli_round_and_status(isolated_data_dir, monkeypatch, capsys):
    bank = load_bundled(BANK)
    ids = draw_renewal(bank, 25, seed=5)
    s = ExamSession.renewal(bank, ids, seed=5)
    from proctorprep.cli.renewal import LETTERS
    lines = []
    for i in range(len(s)):          # type every right answer the way the prompts ask for it
        v = s.view(i)
        q, key = v.question, correct_answer(v.question)
        pos = {o.id: LETTERS[n] for n, o in enumerate(v.options)}
        if q.type == "yesno":
            lines += ["y" if key[st.id] else "n" for st in q.statements]
        elif q.type == "matching":
            lines += [pos[key[t.id]] for t in q.targets]
        elif q.type == "single":
            lines.append(pos[key])
        else:
            lines.append(" ".join(pos[k] for k in key))
    feed = io.StringIO("".join(f"{x}\n" for x in lines))
    monkeypatch.setattr("sys.stdin", feed)
    assert main(["renewal", BANK, "--questions", "25", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "PASSED: 1000 of 1000" in out and "By skill area:" in out and "100.0 %  Cloud concepts" in out
    import shutil

    from proctorprep import paths

    shutil.rmtree(paths.sessions_dir())     # start the attempt count afresh (the pass above would clear it anyway)
    for n in (1, 2):
        monkeypatch.setattr("sys.stdin", io.StringIO("zz\n"))   # a bad answer is asked again, then input ends
        assert main(["renewal", BANK, "--questions", "25"]) == 1
        out = capsys.readouterr().out
        assert "type letters from A to" in out or "type one letter" in out or "type y or n" in out
        assert "recorded as a failed attempt" in out
    assert main(["renewal", BANK, "--status"]) == 1
    assert "Not yet" in (out := capsys.readouterr().out) and "2 failed attempts in a row" in out
    assert main(["renewal", BANK]) == 2
    assert "24 hours after the last one" in capsys.readouterr().err
    assert main(["renewal", "proctoring-etiquette"]) == 2
    assert "needs at least 25" in capsys.readouterr().err


@pytest.mark.gui
def test_renewal_page_runs_forward_only_and_shows_skills_and_the_wait(qtbot, isolated_data_dir):
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.renewal_round import RenewalPage

    ctx = make_test_context(isolated_data_dir)
    clock = {"now": datetime.now().astimezone()}    # the journals carry the real start time
    page = RenewalPage(ctx, now=lambda: clock["now"])
    qtbot.addWidget(page)
    page.on_enter()
    qtbot.waitUntil(lambda: page.bank_combo.count() > 0, timeout=20000)
    page.bank_combo.setCurrentIndex(page.bank_combo.findData("proctoring-etiquette"))
    assert not page.start_btn.isEnabled() and "fewer than 25" in page.gate_note.text()
    page.bank_combo.setCurrentIndex(page.bank_combo.findData(BANK))
    assert page.start_btn.isEnabled()
    for attempt in range(2):
        page.count.setValue(25)
        page.start()
        assert page.stack.currentIndex() == 1 and "Question 1 of 25" in page.q_header.text()
        # the count beside the bar, not drawn on it (light grey on the dark theme's light blue fill)
        assert page.bar_text.text() == "0 of 25 done" and not page.bar.isTextVisible()
        for _ in range(25):
            qtbot.keyClick(page.next_btn, Qt.Key.Key_Space)   # press Next, answering nothing
        assert page.stack.currentIndex() == 2 and page.verdict.text().startswith("Not passed")
        assert page.skills.rowCount() == 4
        percents = page.skills_box.findChildren(QLabel, "skill_percent")
        assert len(percents) == 4 and all(p.text().endswith(" %") for p in percents)
        assert not any(bar.isTextVisible() for bar in page.skills_box.findChildren(QProgressBar))
        page._back_to_setup()
        qtbot.waitUntil(lambda: page.bank_combo.count() > 0 and page.attempts and len(page.attempts) == attempt + 1,
                        timeout=20000)
    clock["now"] = datetime.now().astimezone() + timedelta(hours=1)
    page._update_gate()
    assert not page.start_btn.isEnabled() and "2 failed attempts in a row" in page.gate_note.text()
    clock["now"] = datetime.now().astimezone() + timedelta(hours=24, minutes=1)
    page._update_gate()
    assert page.start_btn.isEnabled()
    ctx.runner.shutdown()


from PySide6.QtCore import Qt  # noqa: E402  (only the GUI test needs it)
from PySide6.QtWidgets import QLabel, QProgressBar  # noqa: E402
