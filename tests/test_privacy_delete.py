"""'Delete all my data' and `proctorprep data`: what is stored is shown with sizes; deletion removes everything and
says what it removed; a mistyped data folder is never wiped."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from proctorprep import paths, privacy
from proctorprep.cli import main
from tests.test_progress_journal import history  # noqa: F401  (fixture)


def _fill(base: Path) -> dict[str, int]:
    """A data folder like one after a few sessions; returns bytes written per top-level entry."""
    paths.write_private(base / "settings.json", '{"candidate_name": "Ada"}')
    s1 = paths.ensure_private_dir(base / "sessions" / "20261101-100000-0abc")
    paths.write_private(s1 / "journal.sqlite", b"x" * 5000)
    paths.write_private(paths.ensure_private_dir(s1 / "snapshots") / "0001.jpg", b"j" * 1200)
    s2 = paths.ensure_private_dir(base / "sessions" / "20261102-100000-0def")
    paths.write_private(s2 / "journal.sqlite", b"y" * 3000)
    paths.write_private(paths.ensure_private_dir(base / "exams") / "mine.json", b"{}")
    return {"settings.json": len('{"candidate_name": "Ada"}'), "sessions": 9200, "exams": 2}


def test_storage_report_lists_every_entry_with_sizes(isolated_data_dir):
    sizes = _fill(isolated_data_dir)
    report = privacy.storage_report(isolated_data_dir)
    by_name = {i.path.name: i for i in report.items}
    assert set(by_name) == set(sizes)
    assert {n: i.bytes for n, i in by_name.items()} == sizes
    assert by_name["sessions"].files == 3
    assert report.sessions == 2
    assert report.total_bytes == sum(sizes.values())
    text = "\n".join(report.lines())
    assert str(isolated_data_dir) in text and "practice sessions" in text and "2 practice sessions" in text


def test_delete_all_removes_everything_of_ours_and_says_what(isolated_data_dir):
    sizes = _fill(isolated_data_dir)
    (isolated_data_dir / "stray.log").write_text("left by something else")
    (isolated_data_dir / "sessions" / "holiday-photos").mkdir()
    removed = privacy.delete_all_data(isolated_data_dir)
    assert {i.path.name for i in removed} == set(sizes)
    assert next(i for i in removed if i.path.name == "sessions").files == 3
    # what proctorprep cannot prove it made stays, and is said
    assert {p.name for p, _ in removed.kept} == {"stray.log", "holiday-photos"}
    assert sorted(p.name for p in isolated_data_dir.rglob("*")) == ["holiday-photos", "sessions", "stray.log"]


def test_delete_all_removes_symlinks_without_following_them(isolated_data_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("not ours")
    (isolated_data_dir / "sessions").symlink_to(outside, target_is_directory=True)
    privacy.delete_all_data(isolated_data_dir)
    assert list(isolated_data_dir.iterdir()) == []
    sess = paths.ensure_private_dir(isolated_data_dir / "sessions" / "20261101-100000-0abc")
    (sess / "journal.sqlite").write_bytes(b"z")
    (sess / "inner-link").symlink_to(outside / "precious.txt")
    privacy.delete_all_data(isolated_data_dir)
    assert list(isolated_data_dir.iterdir()) == []
    assert (outside / "precious.txt").read_text() == "not ours"


def test_delete_all_copes_with_read_only_entries(isolated_data_dir):
    sess = paths.ensure_private_dir(isolated_data_dir / "sessions" / "20261101-100000-0abc")
    (sess / "journal.sqlite").write_bytes(b"z")
    os.chmod(sess / "journal.sqlite", 0o400)
    os.chmod(sess, 0o500)
    privacy.delete_all_data(isolated_data_dir)
    assert list(isolated_data_dir.iterdir()) == []


def test_delete_all_refuses_the_home_folder_or_the_root(monkeypatch, tmp_path):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    for bad in (home, tmp_path, Path("/")):
        with pytest.raises(ValueError, match="refusing"):
            privacy.delete_all_data(bad)
    assert (home / "Documents").is_dir()


def test_cli_data_shows_folder_and_sizes(isolated_data_dir, capsys):
    _fill(isolated_data_dir)
    assert main(["data"]) == 0
    out = capsys.readouterr().out
    assert str(isolated_data_dir) in out
    assert "sessions/" in out and "9.0 KB" in out and "3 files" in out
    assert main(["data", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sessions"] == 2 and doc["total_bytes"] == 9200 + 2 + len('{"candidate_name": "Ada"}')


def test_cli_delete_all_needs_confirmation(isolated_data_dir, capsys, monkeypatch):
    _fill(isolated_data_dir)
    monkeypatch.setattr("sys.stdin", io.StringIO("delete\n"))   # not a terminal: refuses without --yes
    assert main(["data", "--delete-all"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert (isolated_data_dir / "sessions").is_dir()

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty("no\n"))
    assert main(["data", "--delete-all"]) == 1
    assert "Nothing deleted" in capsys.readouterr().out
    assert (isolated_data_dir / "sessions").is_dir()

    monkeypatch.setattr("sys.stdin", Tty("delete\n"))
    assert main(["data", "--delete-all"]) == 0
    out = capsys.readouterr().out
    assert "removed" in out and "sessions" in out and "(3 files)" in out and "settings.json" in out
    assert list(isolated_data_dir.iterdir()) == []


def test_cli_delete_all_yes_and_empty_folder(isolated_data_dir, capsys):
    _fill(isolated_data_dir)
    assert main(["data", "--delete-all", "--yes"]) == 0
    assert "Deleted 3 entries" in capsys.readouterr().out
    assert main(["data", "--delete-all", "--yes"]) == 0
    assert "Nothing to delete" in capsys.readouterr().out


def test_cli_delete_one_session_takes_its_badges(history, capsys):  # noqa: F811
    from proctorprep.progress.overview import load_progress

    _, ids = history
    assert main(["data"]) == 0
    listing = capsys.readouterr().out
    assert f"  {ids['s2']}  2026-11-03 18:00  exam     complete" in listing
    assert f"  {ids['s4']}  2026-11-05 18:00  exam     interrupted" in listing
    assert {b.badge.id for b in load_progress().earned if b.session_id == ids["s2"]} >= {"first-clean-session"}
    assert main(["data", "--delete", ids["s2"]]) == 0
    assert f"deleted session {ids['s2']}" in capsys.readouterr().out
    assert all(b.session_id != ids["s2"] for b in load_progress().earned)
    assert main(["data", "--delete", ids["s2"]]) == 2
    assert "no session" in capsys.readouterr().err
    assert main(["data", "--delete", "../../etc"]) == 2
    assert "is not a session id" in capsys.readouterr().err
