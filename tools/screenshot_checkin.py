"""Screenshots of the check-in page, rehearsed from Home, each photo taken from a clip that stands in for the camera:
the candidate's face (the headshot passes), an ID card held up (read, name and face matched), a desk with printed
notes (flagged), then the checklist and the summary.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshot_checkin.py docs/screenshots \
        --size 1024x700 --theme light --prefix 1024-
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(out_dir: str, prefix: str = "", theme: str = "system", size: str = "1366x768") -> int:
    import os

    work = Path(tempfile.mkdtemp(prefix="pp-checkin-"))
    os.environ["PROCTORPREP_DATA_DIR"] = str(work / "data")
    from proctorprep import settings

    settings.save(settings.Settings(theme=theme if theme != "system" else "system", candidate_name="Eileen Collins"),
                  work / "data" / "settings.json")
    from tests.fixtures import id_card as idc
    from tests.fixtures.face_render import _photo, render_face, write_clip

    clips = {
        "face": write_clip(work / "face.avi", (render_face(yaw=0.4 * (i % 7)) for i in range(40)), fps=10.0),
        "card": write_clip(work / "card.avi", [idc.held_card(idc.card("Eileen Collins", _photo("astronaut")),
                                                             frame=(640, 480), fill=0.8)] * 20, fps=10.0),
        "desk": write_clip(work / "desk.avi", [idc.desk(text=True, size=(640, 480))] * 20, fps=10.0),
    }
    from PySide6.QtWidgets import QApplication

    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import output_folder, shown_window, snapper
    from proctorprep.ui.tour import wait_until as wait

    window = shown_window(LaunchOptions(video=str(clips["face"])), size)
    app = QApplication.instance()
    out = output_folder(out_dir)

    snap = snapper(window, out, prefix)

    session = window.ctx.session
    session.setup.video_file, session.setup.use_microphone = str(clips["face"]), False
    window.navigate("checkin", rehearsal=True)
    page = window.page("checkin")

    def take(kind: str, clip: str) -> None:
        if session.setup.video_file != str(clips[clip]):
            session.setup.video_file = str(clips[clip])
            session.start_devices(loop_files=True)
        frames = page.view.frames_shown
        wait(lambda: page.view.frames_shown > frames + 3, 30)
        page.take_btn.click()
        wait(lambda: not page.busy and kind in page.checkin.verdicts, 90)

    snap("checkin-start")
    take("headshot", "face")
    snap("checkin-headshot")
    page.next_btn.click()
    take("id", "card")
    snap("checkin-id")
    page.next_btn.click()
    take("workspace_front", "desk")
    snap("checkin-workspace")
    for _ in range(4):
        page.skip_btn.click()
    for key, box in page.confirms.items():
        box.setChecked(key != "one_monitor")
    snap("checkin-checklist")
    page.next_btn.click()
    snap("checkin-summary")
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    from proctorprep.ui.tour import tool_arguments

    a = tool_arguments("screenshots of the check-in page", theme="system").parse_args()
    raise SystemExit(main(a.out_dir, a.prefix, a.theme, a.size))
