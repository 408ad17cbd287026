"""Screenshots of the exam-condition screens: the exam page with its "Take a break" button, the break dialog, the
break screen (waiting for a face, then back in view), a live warning for leaving the exam window, and the results
page with the new report rows and its "Exam conditions" line. Run under Xvfb, like tools/screenshot_tour.py:

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshot_conditions.py OUT --size 1024x700 \
        --theme dark --prefix dark-1024-
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(out_dir: str, size: str, theme: str, prefix: str) -> int:
    import os

    work = Path(tempfile.mkdtemp(prefix="pp-conditions-"))
    os.environ["PROCTORPREP_DATA_DIR"] = str(work / "data")
    from proctorprep import paths, settings

    settings.save(settings.Settings(theme=theme), work / "data" / "settings.json")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from proctorprep.exam.catalog import load_bundled
    from proctorprep.exam.session import ExamSession
    from proctorprep.perception.observations import FaceObservation
    from proctorprep.report.demo import write_demo_session
    from proctorprep.rules.calibration import Calibration
    from proctorprep.session.pipeline import PipelineConfig, SessionPipeline
    from proctorprep.session.proctor import LiveWarning
    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import output_folder, pump, shown_window

    window = shown_window(LaunchOptions(), size)
    out = output_folder(out_dir)

    def snap(name: str, widget: object = None) -> None:
        pump(0.5)
        (widget or window).grab().save(str(out / f"{prefix}{name}.png"))
        print("saved", out / f"{prefix}{name}.png")

    s = window.ctx.session
    live = s.live
    live.exam = ExamSession(load_bundled("cloud-fundamentals"), clock=s.clock.now, listener=live._exam_event)
    live.pipeline = SessionPipeline(PipelineConfig(), calibration=Calibration(source="dots"))
    live.exam_t0 = s.clock.now()
    live.exam.start()
    window.navigate("exam")
    page = window.page("exam")
    page._ready()
    page.next()
    page.next()
    snap("exam-break-button")
    # the confirmation: grabbed while it is open, then accepted
    def grab_dialog() -> None:
        box = getattr(page, "break_dialog", None)
        if isinstance(box, QMessageBox) and box.isVisible():
            box.grab().save(str(out / f"{prefix}break-dialog.png"))
            print("saved", out / f"{prefix}break-dialog.png")
            box.button(QMessageBox.StandardButton.Ok).click()
        else:
            QTimer.singleShot(200, grab_dialog)

    QTimer.singleShot(400, grab_dialog)
    page.ask_break()
    snap("break-waiting")
    now = s.clock.now()
    for k in range(16):
        live.pipeline.process_face_observation(FaceObservation(t_s=now - 1.5 + 0.1 * k, faces=1))
    page._tick()
    snap("break-back")
    page.end_break()
    page.show_warning(LiveWarning(s.clock.now(), "left_exam_window", "Proctor warning (leaving the exam window): "
                                  "You were away from the exam window for 22 s: another window was in front of "
                                  "the exam", "warn", request="Please stay in the exam window.",
                                  reason="You were away from the exam window for 22 s: another window was in front "
                                         "of the exam"))
    snap("exam-window-warning")
    page.card.hide()
    page._timer.stop()             # the tool has no journal to finish: leave the exam where it is
    path = write_demo_session(paths.sessions_dir(work / "data"), duration_s=300.0, fps=2.0, snapshots=False,
                              score=612)
    window.ctx.lock_navigation(False)
    window.navigate("results", journal_path=path)
    results = window.page("results")
    for _ in range(100):
        pump(0.1)
        if results.report is not None:
            break
    snap("results-conditions")
    results.scroll.verticalScrollBar().setValue(10_000)
    snap("results-conditions-incidents")
    window.close()
    QApplication.instance().quit()
    return 0


if __name__ == "__main__":
    from proctorprep.ui.tour import tool_arguments

    a = tool_arguments("screenshots of the exam-condition screens").parse_args()
    raise SystemExit(main(a.out_dir, a.size, a.theme, a.prefix))
