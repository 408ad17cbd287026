"""Screenshots of every page of the real app: run under Xvfb, drives a whole session with the test clip.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshot_tour.py docs/screenshots --theme light
    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshot_tour.py docs/screenshots --theme dark \
        --prefix dark-
    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshot_tour.py docs/screenshots --size 1024x700 \
        --prefix 1024-

results-reopened.png is an older report opened again from the history (one of the two demo sessions written first);
results-charts.png and results-incidents.png scroll down that reopened report (two minutes of demo signals).
The window is grabbed with QWidget.grab() (what the real xcb window draws, without the desktop around it).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(out_dir: str, profile: str = "standard", exam: str = "cloud-fundamentals", prefix: str = "",
         theme: str = "system", size: str = "1366x768") -> int:
    import os

    work = Path(tempfile.mkdtemp(prefix="pp-tour-"))
    os.environ["PROCTORPREP_DATA_DIR"] = str(work / "data")
    from tests.ui_clip import END_S, make_clip

    video, audio = make_clip(work / "clip")
    from proctorprep import paths
    from proctorprep.report.demo import DEMO_START, write_demo_session

    for day, score in ((21, 612), (24, 688)):      # two earlier sessions: the history and its trend have a past
        write_demo_session(paths.sessions_dir(work / "data"), duration_s=120.0, fps=5.0, snapshots=True,
                           start=DEMO_START.replace(day=day), seed=day, score=score)
    if theme != "system":
        from proctorprep import settings

        settings.save(settings.Settings(theme=theme), work / "data" / "settings.json")
    from PySide6.QtWidgets import QApplication

    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import output_folder, run_session, shown_window, snapper
    from proctorprep.ui.tour import wait_until as wait

    window = shown_window(LaunchOptions(video=str(video), audio=str(audio), exam=exam, profile=profile,
                                        calibration_dot_s=5.0 / 6), size)
    app = QApplication.instance()
    out = output_folder(out_dir)

    snap = snapper(window, out, prefix)

    run_session(window, wait, END_S + 0.5, work / "export", snap)
    window.navigate("results")
    results = window.page("results")
    results.scroll.verticalScrollBar().setValue(results.scroll.verticalScrollBar().maximum() // 2)
    snap("results-charts")
    results.scroll.verticalScrollBar().setValue(10_000)
    snap("results-incidents")
    for key in ("badges", "journey", "quick_round"):
        if key in window._pages or any(s.key == key for s in window._specs):
            window.navigate(key)
            page = window.page(key)
            if hasattr(page, "ready"):      # a round page lists its banks in the background: wait for the list
                # (the snap's fixed 0.6 s pump lost the race while the report export still held the workers)
                wait(lambda: page.ready, 20)
            snap(key.replace("_", "-"))
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    from proctorprep.ui.tour import tool_arguments

    ap = tool_arguments("screenshots of every page", theme="system")
    ap.add_argument("--profile", default="standard")
    ap.add_argument("--exam", default="cloud-fundamentals")
    a = ap.parse_args()
    raise SystemExit(main(a.out_dir, a.profile, a.exam, a.prefix, a.theme, a.size))
