"""Screenshot of the system check when neither camera nor microphone can be opened (banners, red items with their
fix). Run under Xvfb:  xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python tools/screenshot_no_devices.py OUT.png
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(out: str) -> int:
    work = Path(tempfile.mkdtemp(prefix="pp-nodev-"))
    os.environ["PROCTORPREP_DATA_DIR"] = str(work / "data")
    from proctorprep.ui.app import build_window
    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import pump

    # A camera index with no device and a microphone name that does not exist: what a laptop without them sees.
    window = build_window(LaunchOptions())
    window.ctx.session.setup.camera_index = 9
    window.ctx.session.setup.microphone = "no such microphone"
    window.resize(1240, 860)
    window.show()
    window.navigate("check")
    end = time.monotonic() + 8
    check = window.page("check")
    while time.monotonic() < end and not (window.ctx.session.camera_state == "none"
                                          and window.ctx.session.mic_state in ("none", "lost")):
        pump(0.1)
    check._refresh()
    pump(0.5)
    window.grab().save(out)
    print("saved", out)
    window.navigate("home")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/check-no-devices.png"))
