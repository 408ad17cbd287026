"""Screenshots of the proctor's end of the exam (the end screen, then practice mode) and of the banner for a bad
threshold override, at the sizes the exam must fit. Run under Xvfb:

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshot_proctor_end.py /tmp/end

No camera or clip is needed: the exam model is started as the live session starts it, and the proctor's end comes
as the pipeline delivers it (an "opened" incident with the policy's end action).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = ((1024, 700), (1366, 768))


def shoot(out: Path, theme: str) -> None:
    import os

    work = Path(tempfile.mkdtemp(prefix="pp-end-"))
    os.environ["PROCTORPREP_DATA_DIR"] = str(work / "data")
    from proctorprep import settings

    settings.save(settings.Settings(theme=theme, threshold_overrides={"standard": {"speech_prob": 5}}),
                  work / "data" / "settings.json")
    from PySide6.QtWidgets import QApplication

    from proctorprep.exam.catalog import find_bank
    from proctorprep.rules.incidents import Incident, IncidentUpdate
    from proctorprep.rules.policy import PolicyAction
    from proctorprep.ui.app import build_window
    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import pump

    window = build_window(LaunchOptions())
    window.show()
    s = window.ctx.session
    bank = find_bank("cloud-fundamentals", work / "data" / "exams")
    parts = s.live.open_parts(bank, face=None, audio=None, has_audio=False)
    s._exam_built(bank, parts)                 # as start_exam does once the journal and pipeline exist
    window.navigate("exam")
    page = window.page("exam")
    page._ready()

    def snap(name: str) -> None:
        for w, h in SIZES:
            window.resize(w, h)
            pump(0.5)
            path = out / f"{name}-{theme}-{w}x{h}.png"
            window.grab().save(str(path))
            print("saved", path)

    snap("threshold-banner")
    s.clock.t0 -= 754.0                        # 12:34 into the exam
    end = PolicyAction(754.0, "multiple_faces", "end", "The exam would end here: another person in view ends the "
                       "exam at once. Two faces in view for 1.0 s.", 1, 2,
                       rule="another person in view ends the exam at once")
    s._on_pipeline_update((IncidentUpdate("opened", Incident("multiple_faces", 753.0, 754.0)), end))
    snap("proctor-ended")
    page.practice_btn.click()
    snap("practice-mode")
    window._leave_confirmed = True
    s.journal.close()
    window.close()
    QApplication.instance().processEvents()


def main(out_dir: str, themes: tuple[str, ...] = ("light", "dark")) -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for theme in themes:
        shoot(out, theme)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/proctor-end"))
