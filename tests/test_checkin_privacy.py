"""`proctorprep checkin` in a fresh process, watched from outside like `analyze` (tests/test_privacy_subprocess.py):
the face and text models load from the installed packages, nothing is downloaded (no socket, from Python or native
code), nothing is written but the JSON the user asked for, and no photo is kept."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import cv2
import pytest

from tests.fixtures import id_card as idc
from tests.fixtures.face_render import _photo, render_face
from tests.test_privacy_subprocess import GUARD, HARMLESS, WRITE_CALLS, _inside, _strace_events


@pytest.mark.slow
def test_checkin_loads_its_models_offline_and_writes_only_its_json(tmp_path) -> None:
    photos, home, tmp, data, out = (tmp_path / n for n in ("photos", "home", "tmp", "data", "out"))
    for d in (photos, home, tmp, out):
        d.mkdir()
    cv2.imwrite(str(photos / "head.png"), render_face())
    cv2.imwrite(str(photos / "id.png"), idc.held_card(idc.card("Ada Lovelace", _photo("astronaut"))))
    cv2.imwrite(str(photos / "desk.png"), idc.desk(text=True))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MPLCONFIGDIR", "PROCTORPREP_"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), PROCTORPREP_DATA_DIR=str(data), PYTHONDONTWRITEBYTECODE="1")
    guard_log = tmp_path / "guard.log"
    argv = [sys.executable, "-c", GUARD, str(guard_log), "checkin", "--headshot", str(photos / "head.png"),
            "--id", str(photos / "id.png"), "--workspace", str(photos / "desk.png"), "--name", "Ada Lovelace",
            "--json", "v.json"]
    strace = shutil.which("strace")
    trace = tmp_path / "strace.log"
    if strace:
        argv = [strace, "-f", "-qq", "-o", str(trace),
                "-e", "trace=" + ",".join(WRITE_CALLS + ("socket", "connect", "socketpair", "bind")), *argv]
    done = subprocess.run(argv, cwd=out, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 1, done.stderr          # the desk has notes on it
    assert "FAIL  Workspace, front" in done.stdout and "PASS  Headshot" in done.stdout
    assert not guard_log.exists() or guard_log.read_text() == ""
    if strace:
        written, sockets = _strace_events(trace, out)
        assert sockets == [], f"sockets opened: {sockets[:10]}"
        outside = sorted({p for p in written if not _inside(p, [out]) and p not in HARMLESS and p != str(guard_log)})
        assert outside == [], f"written outside the folder chosen: {outside[:20]}"
    assert [p.name for p in out.iterdir()] == ["v.json"] and stat.S_IMODE((out / "v.json").stat().st_mode) == 0o600
    assert [str(p) for d in (home, tmp) for p in d.rglob("*")] == []
    assert not data.exists() or not any(p.suffix in (".jpg", ".png") for p in data.rglob("*"))
