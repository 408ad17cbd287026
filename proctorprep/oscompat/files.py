"""Permissions, opening and renaming files: POSIX modes where they mean something, Windows' own rules elsewhere.

Why each helper exists:
- restrict / restrict_fd: on POSIX, chmod is how the data folder becomes private (0700 folders, 0600 files). On
  Windows os.chmod only sets or clears the read-only attribute (0o600 has the write bit, so it would change
  nothing useful) and os.fchmod does not exist before Python 3.13. The data folder sits in the user's profile
  (%LOCALAPPDATA%), whose access list already keeps other users out, so there is nothing to do.
- open_fd: os.open on Windows opens in text mode unless O_BINARY is given, and writes through such a descriptor turn
  every "\\n" into "\\r\\n" (a PNG, a PDF, a JSON file would be damaged). O_NOFOLLOW exists only on POSIX.
- replace: on Windows, os.replace fails while another program has the target open (a report in a PDF viewer) and
  for a moment after a virus scanner or the search indexer opened a new file. A short retry covers the second; the
  first becomes a clear message. On POSIX a rename over an open file simply works.
- read_only_mount: os.access says yes to root on a read-only file system; statvfs knows (POSIX only).
- make_removable: what deleting a read-only entry needs: write permission on its folder on POSIX; on Windows the
  entry's own read-only attribute cleared.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path
from typing import Callable

StrPath = str | os.PathLike[str]

# Windows' "access denied" (5) and "sharing violation" (32): the file is open elsewhere or being scanned
_WINDOWS_IN_USE = (5, 32)
REPLACE_ATTEMPTS = 8
REPLACE_FIRST_WAIT_S = 0.05


def posix_permissions() -> bool:
    """True where chmod bits decide who may read a file (Linux, macOS, the BSDs)."""
    return os.name == "posix"


def restrict(path: StrPath, mode: int) -> None:
    """Set `path`'s permission bits to `mode` (0o700, 0o600) on POSIX; nothing on Windows (see the module doc)."""
    if posix_permissions():
        os.chmod(path, mode)


def restrict_fd(fd: int, mode: int) -> None:
    """restrict() for an open descriptor (no race with a rename of the path)."""
    if posix_permissions():
        os.fchmod(fd, mode)


def open_fd(path: StrPath, flags: int, mode: int = 0o600, *, nofollow: bool = False) -> int:
    """os.open in binary mode on every platform; `nofollow` refuses a symbolic link where the OS can (POSIX)."""
    flags |= getattr(os, "O_BINARY", 0)
    if nofollow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags, mode)


def replace(src: StrPath, dst: StrPath, *, sleep: Callable[[float], object] = time.sleep,
            attempts: int = REPLACE_ATTEMPTS) -> None:
    """Rename `src` over `dst` atomically. On Windows a target held open by another program is retried for about
    a second (scanners, indexers), then refused with a PermissionError that says to close it."""
    if os.name != "nt":
        os.replace(src, dst)
        return
    wait = REPLACE_FIRST_WAIT_S
    for attempt in range(attempts):
        try:
            os.replace(src, dst)
            return
        except PermissionError as exc:
            if getattr(exc, "winerror", None) not in _WINDOWS_IN_USE or attempt == attempts - 1:
                raise PermissionError(
                    exc.errno or errno.EACCES,
                    "it is open in another program or read-only; close it there (or choose another name) and try "
                    "again", os.fspath(dst)) from None
            sleep(wait)
            wait = min(wait * 2, 0.4)


def read_only_mount(path: StrPath) -> bool:
    """True when `path` is on a file system mounted read-only (POSIX); False where that cannot be asked (Windows,
    whose os.access already sees the read-only attribute)."""
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:
        return False
    try:
        return bool(statvfs(path).f_flag & getattr(os, "ST_RDONLY", 1))
    except OSError:
        return False


def make_removable(path: StrPath, dir_mode: int) -> None:
    """Let a read-only entry of ours be deleted: on POSIX its folder (and the entry, if a folder) get `dir_mode`;
    on Windows the entry's read-only attribute is cleared."""
    if posix_permissions():
        os.chmod(os.path.dirname(path), dir_mode)
        if not os.path.islink(path) and os.path.isdir(path):
            os.chmod(path, dir_mode)
    else:
        os.chmod(path, stat.S_IWRITE)


def user_data_home() -> Path:
    """The folder of per-user application data the desktop looks in ($XDG_DATA_HOME, ~/.local/share on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(appname=None, appauthor=False))
