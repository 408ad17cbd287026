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


def shown_window(options: Any, size: str) -> Any:
    """The screenshot tools' main window: built with `options` (ui.context.LaunchOptions), sized "WxH", shown."""
    from proctorprep.ui.app import build_window

    window = build_window(options)
    w, h = (int(v) for v in size.split("x"))
    window.resize(w, h)
    window.show()
    return window


def output_folder(out_dir: str | Path) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return out


def tool_arguments(description: str, theme: str = "light") -> Any:
    """The screenshot tools' shared command line: OUT_DIR, --prefix, --theme, --size (add a tool's own after)."""
    import argparse

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("out_dir", nargs="?", default="docs/screenshots")
    ap.add_argument("--prefix", default="", help="file name prefix, e.g. dark-")
    ap.add_argument("--theme", default=theme, choices=("system", "light", "dark"))
    ap.add_argument("--size", default="1366x768", help="window size, e.g. 1024x700")
    return ap


def snapper(window: Any, out: Path, prefix: str = "", settle_s: float = 0.6) -> Callable[[str], None]:
    """The screenshot tools' one way to take a picture: let the window settle, save it as <prefix><name>.png."""
    def snap(name: str) -> None:
        pump(settle_s)
        path = out / f"{prefix}{name}.png"
        window.grab().save(str(path))
        print("saved", path)

    return snap


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


def pass_intro(exam: Any, wait_until: Wait, snap: Any = None) -> None:
    """Accept the agreement and start from the welcome screen, as a candidate does before the first question."""
    wait_until(lambda: exam.stack.currentIndex() == 4, 30)
    if snap is not None:
        snap("exam-agreement")
    exam.agreement.accept_btn.click()
    if snap is not None:
        snap("exam-welcome")
    exam.welcome.start_btn.click()


Inspect = Callable[[str, Any], None]


def visit_every_item_type(exam: Any, inspect: Inspect) -> None:
    """Show one question of each item type (the case study's last: leaving it locks it), answer it, and let
    `inspect("question", page)` look at it."""
    model = exam.ctx.session.exam
    seen: set[tuple[str, bool]] = set()
    order = sorted(range(len(model.questions)), key=lambda i: model.questions[i].case_id is not None)
    for i in order:
        q = model.questions[i]
        kind = (q.type, q.case_id is not None)
        if kind in seen or not model.can_goto(i):
            continue
        seen.add(kind)
        if model.goto(i):
            exam.render()
            answer_current(exam)
            inspect("question", exam)


def run_checkin(window: Any, wait_until: Wait, snap: Callable[[str], None] = lambda name: None,
                inspect: Inspect = lambda stage, widget: None, take: tuple[str, ...] = ("headshot", "id")) -> Any:
    """The check-in page, as a candidate goes through it: the photos in `take` taken from the camera (the clip; it
    holds no card, so the ID's verdict says so), the others skipped, the checklist ticked but for one item, then
    on. The headshot taken is the identity reference of the exam that follows. Returns the page."""
    page = window.page("checkin")
    if take:                                  # photos need a picture; skipping them all needs none (no camera)
        wait_until(lambda: page.view.frames_shown > 3, 30)
    for kind in ("headshot", "id", "workspace_front", "workspace_left", "workspace_right", "workspace_behind"):
        if kind in take:
            page.keep.setChecked(False)
            page.take_btn.click()
            wait_until(lambda: not page.busy and kind in page.checkin.verdicts, 60)
            snap(f"checkin-{kind.replace('_', '-')}")
            if kind == "headshot":
                inspect("page", page)
        (page.next_btn if page.next_btn.isVisible() else page.skip_btn).click()
    for key, box in page.confirms.items():
        box.setChecked(key != "one_monitor")
    snap("checkin-checklist")
    inspect("page", page)
    page.next_btn.click()
    snap("checkin-summary")
    inspect("page", page)
    page.next_btn.click()
    return page


def run_session(window: Any, wait_until: Wait, clip_end_s: float, export_dir: Path,
                snap: Callable[[str], None] = lambda name: None,
                inspect: Inspect = lambda stage, widget: None) -> dict[str, Any]:
    """The whole journey. `snap(name)` on each page (screenshots); `inspect(stage, widget)` where a test looks at
    what a person would see: "question" (each item type), "warning" (a proctor message shown), "results" (each
    report opened), "page" (every other page)."""
    ctx = window.ctx
    home = window.page("home")
    wait_until(lambda: home.exam_combo.count() > 0, 20)
    snap("home")
    inspect("page", home)
    home.start_btn.click()
    check = window.page("check")
    wait_until(lambda: check.view.frames_shown > 10 and check.checklist.items()[0].state == "ok", 40)
    check.landmarks.setChecked(True)          # the face mesh, as the candidate can switch it on
    snap("check")
    inspect("page", check)
    check.landmarks.setChecked(False)
    check.next_btn.click()
    if check.confirming:                      # a check still red: the page asks once, the candidate goes on
        check.next_btn.click()
    run_checkin(window, wait_until, snap, inspect)
    cal = window.page("calibrate")
    wait_until(lambda: cal._dot >= 1, 20)
    snap("calibrate")
    wait_until(lambda: not cal.running and cal.start_btn.isEnabled(), 40)
    snap("calibrate-result")
    inspect("page", cal)
    cal.start_btn.click()
    exam = window.page("exam")
    pass_intro(exam, wait_until, snap)
    wait_until(lambda: exam.stack.currentIndex() == 1, 30)
    answer_current(exam)
    snap("exam")
    inspect("question", exam)
    ctx.actions.trigger("exam_next")
    answer_current(exam)
    ctx.actions.trigger("exam_mark")
    ctx.actions.trigger("exam_next")
    answer_current(exam)
    # The clip looks away from 7 s on: the live proctor's message floats over the exam page.
    wait_until(lambda: exam.card.isVisible() or exam.stack.currentIndex() == 2, 25)
    warned = (f"{exam.card.request.text()} {exam.card.reason.text()}" if exam.card.isVisible()
              else exam.pause_text.text())
    snap("exam-warning")
    exam.log.toggle()                         # the log of every message, over the question too
    snap("exam-messages")
    exam.log.toggle()
    inspect("warning", exam)
    if exam.stack.currentIndex() == 2:
        exam.acknowledge()
    exam.card.dismiss()
    visit_every_item_type(exam, inspect)
    model = ctx.session.exam
    if model.questions[model.index].case_id:
        snap("exam-case-study")
    ctx.actions.trigger("exam_review")
    review = window.page("review")
    review.set_filter("marked")
    marked_rows = len(review.rows)
    snap("review")
    inspect("page", review)
    review.set_filter("all")
    # Let the rest of the clip play while the exam runs, as a candidate reading questions would.
    wait_until(lambda: ctx.session.clock.now() >= clip_end_s, clip_end_s + 30)
    review.ask_submit()
    review.confirm_btn.click()
    results = window.page("results")
    wait_until(lambda: results.report is not None, 60)
    report = results.report
    snap("results")
    inspect("results", results)
    export_dir.mkdir(parents=True, exist_ok=True)
    from proctorprep.report.formats import export_formats

    for f in export_formats():
        results.export(f.key, export_dir / f"report{f.suffix}")
    wait_until(lambda: len(results.exported) == len(export_formats()), 60)
    window.navigate("history")
    history = window.page("history")
    wait_until(lambda: history.table.rowCount() > 0, 20)
    snap("history")
    inspect("page", history)
    opened = []
    for row in range(min(2, history.table.rowCount())):      # reopen reports one after the other
        history.table.selectRow(row)
        before = results.report
        history.open_selected()
        wait_until(lambda: results.report is not None and results.report is not before, 30)
        opened.append(results.report.session_id)
        if row == 1:                  # an older report, reopened from the history: what a candidate sees again
            snap("results-reopened")
        inspect("results", results)
        window.navigate("history")
    window.navigate("settings")
    snap("settings")
    inspect("page", window.page("settings"))
    return {"marked_rows": marked_rows, "warning": warned, "report": report, "exported": list(results.exported),
            "opened": opened}
