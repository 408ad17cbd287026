"""Screenshots of the exam page showing each item type of the lab bank, and of the renewal round, under Xvfb.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshot_items.py docs/screenshots
    ... --size 1024x700 --theme dark --prefix dark-

The exam is put on the page without camera or microphone (as the UI tests do); the window is grabbed."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHOTS = {   # question id -> file name
    "cmd-resize": "item-dropdown-code", "portal-two": "item-hot-area", "drag-services": "item-drag-drop",
    "screen-backup": "item-active-screen", "ps-latency-cdn": "item-problem-solution",
    "icon-queue": "item-option-images", "numeric-memory": "item-numeric",
}


def main(out_dir: str, size: str = "1366x768", theme: str = "light", prefix: str = "") -> int:
    import os

    work = Path(tempfile.mkdtemp(prefix="pp-items-"))
    os.environ["PROCTORPREP_DATA_DIR"] = str(work / "data")
    from proctorprep import settings

    settings.save(settings.Settings(theme=theme), work / "data" / "settings.json")
    from PySide6.QtWidgets import QApplication

    from proctorprep.exam.catalog import load_bundled
    from proctorprep.exam.session import ExamSession
    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import output_folder, shown_window, snapper

    window = shown_window(LaunchOptions(), size)
    out = output_folder(out_dir)

    snap = snapper(window, out, prefix, settle_s=0.5)

    snap.out, snap.prefix = out, prefix

    bank = load_bundled("cloud-operations-lab")
    window.navigate("exam")
    page = window.page("exam")
    page._show_agreement(bank)
    snap("exam-agreement")
    page.agreement.accept_btn.click()
    snap("exam-welcome")
    s = window.ctx.session
    s.live.exam = ExamSession(bank, clock=s.clock.now)
    s.exam.start()
    window.navigate("exam")
    page = window.page("exam")
    page.stack.setCurrentIndex(1)
    ids = [q.id for q in s.exam.questions]
    part_two = s.exam.next_section_start()
    for qid in sorted(SHOTS, key=ids.index):    # in exam order: a section once left cannot be reopened
        name = SHOTS[qid]
        if part_two is not None and ids.index(qid) >= part_two and s.exam.section_number() == 0:
            sections(window, page, s.exam, snap)
        s.exam.goto(ids.index(qid))
        page.render()
        if qid in ("portal-two", "drag-services", "screen-backup"):
            page.item.answer_something()
        if qid == "numeric-memory":
            page.reference_btn.setChecked(True)     # the open-book pane next to the question it helps with
        snap(name)
        page.reference_btn.setChecked(False)
    page._timer.stop()               # leave the exam unfinished: this tour has no journal to write a result to
    window.ctx.lock_navigation(False)
    window.navigate("renewal_round", bank_id="cloud-fundamentals")
    rp = window.page("renewal_round")
    from proctorprep.ui.tour import wait_until

    wait_until(lambda: rp.ready and rp.start_btn.isEnabled(), 20)
    snap("renewal-start")
    rp.start(seed=4)
    snap("renewal-question")
    for _ in range(len(rp.round.session)):
        rp.item.answer_something()
        rp.next()
    snap("renewal-results")
    window.close()
    QApplication.instance().quit()
    return 0


def sections(window, page, exam, snap) -> None:
    """The end of the lab's part 1: the review screen of the section, and the question asked before it is left
    (a dialog is its own window: the whole screen is grabbed while it is up, then it is answered)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    exam.goto(exam.next_section_start() - 1)
    page.render()
    window.navigate("review")
    snap("review-sections")
    window.navigate("exam")
    page.render()

    def grab_and_leave() -> None:
        box = getattr(page, "leave_section_dialog", None)
        QApplication.primaryScreen().grabWindow(0).copy(window.frameGeometry()).save(
            str(snap.out / f"{snap.prefix}exam-section-confirm.png"))
        print("saved", snap.out / f"{snap.prefix}exam-section-confirm.png")
        if box is not None:
            box.done(QMessageBox.StandardButton.Ok)

    QTimer.singleShot(700, grab_and_leave)
    page.next()


if __name__ == "__main__":
    from proctorprep.ui.tour import tool_arguments

    a = tool_arguments("screenshots of the item types and the renewal round").parse_args()
    raise SystemExit(main(a.out_dir, a.size, a.theme, a.prefix))
