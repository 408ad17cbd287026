"""`proctorprep badges`: lists earned and missing badges with streaks, exports images, JSON output."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from proctorprep import settings
from proctorprep.cli import main
from proctorprep.progress.overview import load_progress
from tests.test_progress_badges import utc_clock  # noqa: F401  (fixture)
from tests.test_progress_journal import history  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("utc_clock")


def test_badges_lists_earned_missing_and_streaks(history, capsys):  # noqa: F811
    _, ids = history
    assert main(["badges"]) == 0
    out = capsys.readouterr().out
    total = len(load_progress().badges)      # 6 etiquette + 2 per exam (taken or bundled)
    assert f"Badges earned: 7 of {total}" in out
    assert f"[x] Proctor-ready — 7 Nov 2026, in AZ-900 practice, 7 Nov 2026 18:00 (session {ids['s6']})" in out
    assert "Clean sessions in a row: 4 (best 4)." in out


def test_badges_on_an_empty_history(capsys):
    assert main(["badges"]) == 0
    out = capsys.readouterr().out
    assert f"Badges earned: 0 of {len(load_progress().badges)}" in out and "[ ] Proctor-ready — No finished proctored session" in out
    assert main(["badges", "--export", "unused"]) == 0
    assert "nothing exported" in capsys.readouterr().out


def test_badges_json_and_export_with_the_settings_name(history, tmp_path, capsys):  # noqa: F811
    settings.save(settings.Settings(candidate_name="Ada Lovelace"))
    assert main(["badges", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {b["id"] for b in doc["badges"] if b["earned"]} >= {"proctor-ready", "steady"}
    assert doc["streaks"]["clean_in_a_row"] == 4
    dest = tmp_path / "mine"
    assert main(["badges", "--export", str(dest)]) == 0
    files = sorted(p.name for p in dest.iterdir())
    assert len(files) == 14 and "proctor-ready.svg" in files and "distinction-az900.png" in files
    assert "Ada Lovelace" in (dest / "steady.svg").read_text()
    assert Image.open(dest / "steady.png").size == (600, 600)


def test_badges_export_into_an_unwritable_place_is_a_user_error(history, tmp_path, capsys):  # noqa: F811
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["badges", "--export", str(blocker / "sub")]) == 2
    assert "cannot write badges into" in capsys.readouterr().err
