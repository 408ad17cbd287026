"""Drives the real main window through a whole session (home → check → calibration → exam → review → results →
export). Used by the UI test and by tools/screenshot_tour.py; `wait_until(predicate, timeout_s)` is supplied by
the caller (qtbot.waitUntil in tests, an event-loop wait in the tool), `snap(name)` is called on each page."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

Wait = Callable[[Callable[[], bool], float], None]


def pump(seconds: float) -> None:
    """Run the Qt event loop for `seconds` (outside pytest-qt: tools and benchmarks)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> None:
    """Run the event loop until `predicate()` holds; TimeoutError after `timeout_s`."""
    import time

    end = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("the app did not reach the next step in time")
        pump(0.05)


def answer_current(page: Any) -> None:
    """Give some answer to the question on screen, through its widget (as a candidate would)."""
    page.item.answer_something()


def run_session(window: Any, wait_until: Wait, clip_end_s: float, export_dir: Path,
                snap: Callable[[str], None] = lambda name: None) -> dict[str, Any]:
    ctx = window.ctx
    home = window.page("home")
    wait_until(lambda: home.exam_combo.count() > 0, 20)
    snap("home")
    home.start_btn.click()
    check = window.page("check")
    wait_until(lambda: check.view.frames_shown > 10 and check.checklist.items()[0].state == "ok", 40)
    check.landmarks.setChecked(True)          # the face mesh, as the candidate can switch it on
    snap("check")
    check.landmarks.setChecked(False)
    check.next_btn.click()
    cal = window.page("calibrate")
    wait_until(lambda: cal._dot >= 1, 20)
    snap("calibrate")
    wait_until(lambda: not cal.running and cal.start_btn.isEnabled(), 40)
    snap("calibrate-result")
    cal.start_btn.click()
    exam = window.page("exam")
    wait_until(lambda: exam.stack.currentIndex() == 1, 30)
    answer_current(exam)
    snap("exam")
    ctx.actions.trigger("exam_next")
    answer_current(exam)
    ctx.actions.trigger("exam_mark")
    ctx.actions.trigger("exam_next")
    answer_current(exam)
    # The clip looks away from 7 s on: the live proctor's warning shows on the exam page.
    wait_until(lambda: exam.proctor.isVisible() or exam.stack.currentIndex() == 2, 25)
    warned = exam.proctor.text() or exam.pause_text.text()
    snap("exam-warning")
    if exam.stack.currentIndex() == 2:
        exam.acknowledge()
    model = ctx.session.exam
    case = next((i for i, q in enumerate(model.questions) if q.case_id), None)
    if case is not None and model.goto(case):
        exam.render()
        snap("exam-case-study")
    ctx.actions.trigger("exam_review")
    review = window.page("review")
    review.set_filter("marked")
    marked_rows = len(review.rows)
    snap("review")
    review.set_filter("all")
    # Let the rest of the clip play while the exam runs, as a candidate reading questions would.
    wait_until(lambda: ctx.session.clock.now() >= clip_end_s, clip_end_s + 30)
    review.ask_submit()
    review.confirm_btn.click()
    results = window.page("results")
    wait_until(lambda: results.report is not None, 60)
    snap("results")
    export_dir.mkdir(parents=True, exist_ok=True)
    for fmt in ("html", "json", "pdf"):
        results.export(fmt, export_dir / f"report.{fmt}")
    wait_until(lambda: len(results.exported) == 3, 60)
    window.navigate("history")
    history = window.page("history")
    wait_until(lambda: history.table.rowCount() > 0, 20)
    snap("history")
    window.navigate("settings")
    snap("settings")
    return {"marked_rows": marked_rows, "warning": warned, "report": results.report, "exported": list(results.exported)}
