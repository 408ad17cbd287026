"""`proctorprep install-desktop-entry`: the Linux applications-menu entry and icon, written only where and when asked,
never over a file proctorprep did not make, valid for desktop-file-validate, and taken out again by --remove."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from proctorprep import desktop_entry
from proctorprep.cli import main


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_installs_two_files_of_its_own_and_says_where(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["install-desktop-entry"]) == 0
    out = capsys.readouterr().out
    entry = tmp_path / "share" / "applications" / "proctorprep.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "proctorprep.svg"
    assert _files(tmp_path) == sorted(p.relative_to(tmp_path).as_posix() for p in (entry, icon))
    assert str(entry) in out and str(icon) in out and "--remove" in out
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in (entry, icon))
    assert icon.read_bytes() == desktop_entry.icon_bytes()
    text = entry.read_text()
    assert "\nIcon=proctorprep\n" in text and "\nTerminal=false\n" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert shlex.split(exec_line[5:]) == desktop_entry.launch_command()     # the proctorprep that installed it
    assert Path(desktop_entry.launch_command()[0]).is_absolute()
    # a second install refreshes our own files
    assert main(["install-desktop-entry"]) == 0


def test_the_entry_passes_desktop_file_validate(tmp_path):
    files = desktop_entry.install(tmp_path, argv=["/opt/My Apps/proctor$prep", "--profile", "100%"])
    r = subprocess.run(["desktop-file-validate", str(files.entry)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stdout.strip() == "", r.stdout + r.stderr


def test_exec_quoting_follows_the_spec():
    assert desktop_entry.exec_value(["/usr/bin/proctorprep"]) == "/usr/bin/proctorprep"
    # quoted for the space; $ escaped; then the string's own escaping doubles the backslash; % doubled
    assert desktop_entry.exec_value(["/opt/My Apps/pp$1", "50%"]) == '"/opt/My Apps/pp\\\\$1" 50%%'
    assert desktop_entry.exec_value(['a"b']) == '"a\\\\"b"'


def test_a_file_proctorprep_did_not_make_is_left_alone(tmp_path, capsys):
    entry = desktop_entry.targets(tmp_path).entry
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\nName=someone else's\n")
    assert main(["install-desktop-entry", "--data-home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(entry) in err and "not made by proctorprep" in err
    assert entry.read_text() == "[Desktop Entry]\nName=someone else's\n"
    assert _files(tmp_path) == ["applications/proctorprep.desktop"]          # nothing written, not even the icon
    assert main(["install-desktop-entry", "--data-home", str(tmp_path), "--remove"]) == 1
    assert "Left" in capsys.readouterr().out and entry.exists()


def test_a_symlink_in_its_place_is_refused(tmp_path):
    target = tmp_path / "elsewhere.svg"
    target.write_text("<svg/>")
    icon = desktop_entry.targets(tmp_path / "share").icon
    icon.parent.mkdir(parents=True)
    icon.symlink_to(target)
    with pytest.raises(desktop_entry.DesktopEntryError, match="not made by proctorprep"):
        desktop_entry.install(tmp_path / "share")
    assert target.read_text() == "<svg/>"


def test_remove_takes_out_only_its_own_files(tmp_path, capsys):
    files = desktop_entry.install(tmp_path)
    other = files.entry.parent / "another-app.desktop"
    other.write_text("[Desktop Entry]\n")
    assert main(["install-desktop-entry", "--data-home", str(tmp_path), "--remove"]) == 0
    out = capsys.readouterr().out
    assert f"Removed {files.entry}" in out and f"Removed {files.icon}" in out
    assert _files(tmp_path) == ["applications/another-app.desktop"]
    assert main(["install-desktop-entry", "--data-home", str(tmp_path), "--remove"]) == 0
    assert "Nothing to remove" in capsys.readouterr().out


def test_windows_and_macos_are_told_where_to_look(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert main(["install-desktop-entry", "--data-home", str(tmp_path)]) == 2
    assert "README" in capsys.readouterr().err and not any(tmp_path.iterdir())


def test_launch_command_of_a_frozen_app(monkeypatch, tmp_path):
    exe = tmp_path / "proctorprep"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert desktop_entry.launch_command() == [str(exe)]
    monkeypatch.setattr(sys, "frozen", False)
    assert desktop_entry.launch_command() == [str(exe), "-m", "proctorprep"]   # no console script beside it
    exe.write_text("")
    (tmp_path / "python").write_text("")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    assert desktop_entry.launch_command() == [str(exe)]


@pytest.mark.gui
def test_the_window_carries_the_same_icon_and_the_desktop_name(qapp):
    from PySide6.QtGui import QImage

    from proctorprep.ui.app import create_app

    app = create_app()
    assert app.desktopFileName() == "proctorprep"       # Wayland and GNOME match the window to proctorprep.desktop
    image = app.windowIcon().pixmap(64, 64).toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert not image.isNull()
    # the icon's accent blue (#1f6fd1) fills its corner area: it is our SVG, drawn
    c = image.pixelColor(12, 32)
    assert (c.red(), c.green(), c.blue()) == pytest.approx((0x1f, 0x6f, 0xd1), abs=8)
