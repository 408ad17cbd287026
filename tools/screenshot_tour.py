"""Screenshots of every page of the real app: run under Xvfb, drives a whole session with the test clip.

    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python tools/screenshot_tour.py docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(out_dir: str) -> int:
    import os

    work = Path(tempfile.mkdtemp(prefix="pp-tour-"))
    os.environ["PROCTORPREP_DATA_DIR"] = str(work / "data")
    from tests.ui_clip import END_S, make_clip

    video, audio = make_clip(work / "clip")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from proctorprep.ui.app import build_window
    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import run_session

    window = build_window(LaunchOptions(video=str(video), audio=str(audio), exam="proctoring-etiquette",
                                        calibration_dot_s=5.0 / 6))
    window.resize(1240, 860)
    window.show()
    app = QApplication.instance()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    def pump(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    def wait(pred, timeout_s: float) -> None:
        end = time.monotonic() + timeout_s
        while not pred():
            if time.monotonic() > end:
                raise TimeoutError("page did not get ready in time")
            pump(0.05)

    def snap(name: str) -> None:
        pump(0.6)
        window.grab().save(str(out / f"{name}.png"))
        print("saved", out / f"{name}.png")

    run_session(window, wait, END_S + 0.5, work / "export", snap)
    window.navigate("results")
    window.page("results").scroll.verticalScrollBar().setValue(10_000)
    snap("results-incidents")
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
