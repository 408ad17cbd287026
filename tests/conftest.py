"""Test hygiene for the whole suite: no test sees the real user's data or settings, Qt runs offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
os.environ.setdefault("GLOG_minloglevel", "2")       # mediapipe's C++ logging
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory, monkeypatch):
    """Every test gets a fresh, empty data folder; the user's real one is never touched."""
    d = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("PROCTORPREP_DATA_DIR", str(d))
    monkeypatch.setenv("XDG_DATA_HOME", str(d / "xdg"))
    return d


@pytest.fixture(autouse=True)
def cues(monkeypatch):
    """No test plays a sound: the warning chime is recorded instead (a list of call times)."""
    import time

    from proctorprep.ui import sound

    played: list[float] = []
    monkeypatch.setattr(sound, "play_chime", lambda: played.append(time.monotonic()) or True)
    return played
