"""The app in a Linux desktop's applications menu: a freedesktop.org desktop entry and its icon, installed into the
user's data folder ($XDG_DATA_HOME, normally ~/.local/share) only when asked (`proctorprep install-desktop-entry`).

Why this shape:
- Only our two files are written (applications/proctorprep.desktop, icons/hicolor/scalable/apps/proctorprep.svg),
  never a system folder, and a file of that name that proctorprep did not make is left as it is (refused with the
  path): ours carry a marker (X-Proctorprep-Installed in the entry, the icon's own comment in the SVG).
- The entry starts the very proctorprep that installed it (the frozen executable, the venv's or pipx's console
  script, or this interpreter with -m), by absolute path: a menu does not see the shell's PATH.
- Windows and macOS have no desktop entries: the Start-menu shortcut comes from pipx or the frozen build, the app
  bundle from packaging/proctorprep.spec (README, "Windows and macOS").
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from proctorprep import oscompat
from proctorprep.exports import write_file
from proctorprep.oscompat.files import user_data_home

APP_ID = "proctorprep"
MARKER_KEY = "X-Proctorprep-Installed"
ICON_MARKER = b"proctorprep's app icon"


class DesktopEntryError(OSError):
    """The entry cannot be installed or removed here; the message names the file or the reason."""


@dataclass(frozen=True)
class DesktopFiles:
    entry: Path
    icon: Path

    def all(self) -> tuple[Path, Path]:
        return (self.entry, self.icon)


def supported() -> bool:
    """Desktop entries are how Linux and BSD desktops (GNOME, KDE, XFCE, ...) list applications."""
    return oscompat.needs_display_variable()


def targets(data_home: Path | None = None) -> DesktopFiles:
    home = Path(data_home) if data_home else user_data_home()
    return DesktopFiles(home / "applications" / f"{APP_ID}.desktop",
                        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg")


def launch_command() -> list[str]:
    """How this proctorprep is started, by absolute paths."""
    if getattr(sys, "frozen", False):                     # packaging/proctorprep.spec's executable
        return [sys.executable]
    script = Path(sys.executable).parent / APP_ID         # the console script beside the venv's (pipx's) python
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", APP_ID]


_RESERVED = re.compile(r"[\s\"'\\><~|&;$*?#()`]")


def exec_value(argv: list[str]) -> str:
    """The Exec= value for `argv` (desktop entry spec, "The Exec key"): an argument with a reserved character is
    double-quoted with ", `, $ and \\ escaped, and the value's own string escaping doubles every backslash; % is %%."""
    out = []
    for arg in argv:
        arg = arg.replace("%", "%%")
        if _RESERVED.search(arg):
            arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
            arg = arg.replace("\\", "\\\\")
        out.append(arg)
    return " ".join(out)


def entry_text(argv: list[str]) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=proctorprep",
        "GenericName=Proctored exam rehearsal",
        "Comment=Rehearse an online-proctored certification exam at home, watched by a local, private proctor",
        f"Exec={exec_value(argv)}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Education;",
        "Keywords=exam;proctor;certification;practice;webcam;",
        f"StartupWMClass={APP_ID}",
        f"{MARKER_KEY}=true",
        "",
    ])


def icon_bytes() -> bytes:
    return (resources.files("proctorprep.assets") / "desktop" / f"{APP_ID}.svg").read_bytes()


def _ours(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if path.suffix == ".desktop":
        return f"\n{MARKER_KEY}=true\n".encode() in data
    return ICON_MARKER in data


def _refuse_foreign(files: DesktopFiles) -> None:
    for path in files.all():
        if (path.exists() or path.is_symlink()) and not (path.is_file() and not path.is_symlink() and _ours(path)):
            raise DesktopEntryError(f"{path} exists and was not made by proctorprep; it is left as it is "
                                    "(move it away to install proctorprep's)")


def install(data_home: Path | None = None, argv: list[str] | None = None) -> DesktopFiles:
    """Write (or refresh) the entry and the icon; returns where. Raises DesktopEntryError before writing anything
    when either file exists and is not ours; OSError naming the file when a write fails."""
    if not supported():
        raise DesktopEntryError("desktop entries are for Linux desktops; on Windows and macOS see the README "
                                "(Windows and macOS: a Start-menu shortcut or an app bundle)")
    files = targets(data_home)
    _refuse_foreign(files)
    write_file(files.icon, icon_bytes())
    write_file(files.entry, entry_text(argv or launch_command()))
    return files


def remove(data_home: Path | None = None) -> tuple[list[Path], list[Path]]:
    """Delete our entry and icon: (removed, left because they are not ours). A missing file is neither."""
    removed, kept = [], []
    for path in targets(data_home).all():
        if not (path.exists() or path.is_symlink()):
            continue
        if path.is_file() and not path.is_symlink() and _ours(path):
            path.unlink()
            removed.append(path)
        else:
            kept.append(path)
    return removed, kept
