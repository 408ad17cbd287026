"""Settings: typed, versioned, and tolerant — a bad file never stops the app and every problem is named."""

from __future__ import annotations

import json
import os
import stat

from hypothesis import given, settings as hsettings, strategies as st

from proctorprep import paths, settings
from proctorprep.settings import Settings


def test_missing_file_gives_defaults_without_problems(tmp_path):
    s, problems = settings.load(tmp_path / "nope.json")
    assert s == Settings()
    assert problems == []


def test_round_trip_and_private_permissions(tmp_path):
    path = tmp_path / "cfg" / "settings.json"
    s = Settings(profile="strict", live_warnings=False, analysis_fps=10.0, candidate_name="Ada",
                 threshold_overrides={"strict": {"yaw_deg": 15.0}})
    settings.save(s, path)
    loaded, problems = settings.load(path)
    assert problems == []
    assert loaded == s
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_bad_values_are_reported_and_replaced_by_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({
        "profile": "paranoid", "camera_fps": "thirty", "analysis_fps": 500, "live_warnings": "yes",
        "keep_snapshots": False, "colour": "blue", "threshold_overrides": {"strict": {"yaw_deg": "wide"}},
    }))
    s, problems = settings.load(path)
    assert s.profile == "standard" and s.camera_fps == 30 and s.analysis_fps == 15.0 and s.live_warnings is True
    assert s.keep_snapshots is False          # the good value survives next to the bad ones
    assert s.threshold_overrides == {}
    joined = "\n".join(problems)
    for name in ("profile", "camera_fps", "analysis_fps", "live_warnings", "colour", "threshold_overrides"):
        assert name in joined
    assert "paranoid" in joined


def test_not_json_and_not_an_object(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{profile: strict")
    s, problems = settings.load(path)
    assert s == Settings() and "not valid JSON" in problems[0]
    path.write_text("[1, 2]")
    s, problems = settings.load(path)
    assert s == Settings() and "expected an object" in problems[0]


def test_deeply_nested_file_does_not_crash(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("[" * 100000 + "]" * 100000)
    s, problems = settings.load(path)
    assert s == Settings() and problems


def test_binary_garbage_does_not_crash(tmp_path):
    path = tmp_path / "settings.json"
    path.write_bytes(b"\xff\xfe\x00garbage\x80")
    s, problems = settings.load(path)
    assert s == Settings() and problems


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
field_names = st.sampled_from([f for f in Settings().to_dict()] + ["bogus"])


@hsettings(max_examples=300, deadline=None)
@given(st.dictionaries(field_names, json_values, max_size=8))
def test_fuzzed_settings_always_load_to_valid_settings(raw):
    s, problems = settings.from_dict(raw)
    assert isinstance(s, Settings)
    assert s.profile in settings.PROFILES
    # whatever was accepted must survive a save/load round trip unchanged
    again, more = settings.from_dict(json.loads(json.dumps(s.to_dict())))
    assert again == s and more == []


def test_write_private_is_atomic_and_private(tmp_path):
    target = tmp_path / "a" / "b.txt"
    paths.write_private(target, "hello")
    paths.write_private(target, "world")
    assert target.read_text() == "world"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["b.txt"]
