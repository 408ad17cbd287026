"""`proctorprep analyze --headshot PHOTO`: a recording's face compared with a check-in headshot (identity_changed),
as a mock exam after the check-in does; a bad photo is one line and exit 2 before any work."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from proctorprep.cli import main
from tests.fixtures.face_render import _photo, render_empty, render_face, write_clip


@pytest.fixture(scope="module")
def switch_clip(tmp_path_factory):
    """26 s at 5 fps: Eileen Collins (the astronaut) for 8 s, then Grace Hopper in the same chair."""
    d = tmp_path_factory.mktemp("switch")
    frames = [render_face(person="astronaut" if i / 5 < 8 else "hopper", size=(320, 240),
                          yaw=3 * np.sin(i / 9), mouth=0.02) for i in range(26 * 5)]
    return write_clip(d / "switch.avi", frames, fps=5.0)


@pytest.fixture(scope="module")
def headshot(tmp_path_factory):
    path = tmp_path_factory.mktemp("photo") / "headshot.jpg"
    cv2.imwrite(str(path), cv2.cvtColor(_photo("astronaut"), cv2.COLOR_RGB2BGR))
    return path


def _identity(report: dict) -> list[dict]:
    return [i for i in report["incidents"] if i["type"] == "identity_changed"]


@pytest.mark.slow
def test_the_headshot_finds_someone_else_in_the_chair(switch_clip, headshot, tmp_path, isolated_data_dir):
    with_photo, without = tmp_path / "with.json", tmp_path / "without.json"
    common = ["--analysis-fps", "5", "--calibration-seconds", "3", "--no-snapshots"]
    assert main(["analyze", str(switch_clip), "--headshot", str(headshot), "--json", str(with_photo), *common]) == 0
    assert main(["analyze", str(switch_clip), "--json", str(without), *common]) == 0
    found = _identity(json.loads(with_photo.read_text()))
    assert len(found) == 1 and 8.0 <= found[0]["start_s"] <= 8.0 + 9.0          # a settled check, then 3 s
    assert _identity(json.loads(without.read_text())) == []                     # no headshot: never compared


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "missing.jpg", "No such file"),
    (lambda d: (d / "notes.jpg").write_text("just text") and d / "notes.jpg", "not a picture"),
    (lambda d: cv2.imwrite(str(d / "wall.png"), render_empty((320, 240))) and d / "wall.png", "no face was found"),
])
def test_a_bad_headshot_is_one_line_and_exit_2(switch_clip, tmp_path, isolated_data_dir, capsys, make, words):
    photo = make(tmp_path)
    assert main(["analyze", str(switch_clip), "--headshot", str(photo)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--headshot" in err[0] and words in err[0], err
    sessions = isolated_data_dir / "sessions"
    assert not sessions.exists() or not any(sessions.iterdir())                  # refused before any work
