"""Where proctorprep keeps the user's data, and how files there are created (private to the user).

Why this shape:
- Finding the folder has no side effects: listing sessions, badges or banks works on a read-only folder (a backup,
  a mount) and creates nothing.
- proctorprep creates what it needs when it first writes, folders 0700 and files 0600, and changes the permissions
  of nothing it did not create: a data folder the user names (PROCTORPREP_DATA_DIR=/tmp, a shared folder) keeps
  its mode.
- A folder that cannot be written is a DataFolderError naming the folder and the fix, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from proctorprep.oscompat import files as osfiles

ENV_DATA_DIR = "PROCTORPREP_DATA_DIR"
DIR_MODE = 0o700
FILE_MODE = 0o600


class DataFolderError(OSError):
    """The data folder (or a folder in it) cannot be created or written; the message names it and the fix."""


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The user's data folder: an explicit override, then $PROCTORPREP_DATA_DIR, then the platform's user data dir.
    Only locates it: nothing is created (writers call ensure_private_dir on what they write into)."""
    if override:
        return Path(override)
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR])
    from platformdirs import user_data_dir

    return Path(user_data_dir("proctorprep", appauthor=False))


def _fix_hint() -> str:
    return f"make it writable, or set {ENV_DATA_DIR} to a folder you can write"


def ensure_private_dir(path: Path) -> Path:
    """Make sure `path` is a folder we can write into. Missing folders (and missing parents) are created 0700;
    an existing folder keeps its permissions (it may be one the user named). Raises DataFolderError."""
    path = Path(path)
    missing: list[Path] = []
    p = path
    while not p.exists() and not p.is_symlink():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, DIR_MODE)
        except FileExistsError:
            continue                     # made meanwhile by another proctorprep: not ours to re-permission
        except OSError as exc:
            raise DataFolderError(f"cannot create the folder {d} ({exc.strerror or exc}); {_fix_hint()}") from None
        osfiles.restrict(d, DIR_MODE)    # the umask may have taken bits away; never adds any to an old folder
    if not path.is_dir():
        raise DataFolderError(f"{path} is not a folder; {_fix_hint()}")
    if not os.access(path, os.W_OK | os.X_OK) or _read_only_mount(path):
        raise DataFolderError(f"the folder {path} is not writable; {_fix_hint()}")
    return path


def check_readable(path: Path) -> Path:
    """For read-only commands: a data folder that is missing is simply empty, but one that is a file, or that we
    may not read, is a DataFolderError naming it and the fix. Nothing is created or changed."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise DataFolderError(f"the data folder {path} is not a folder; set {ENV_DATA_DIR} to a folder")
    probe = path
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        raise DataFolderError(f"the data folder {path} is under {probe}, which is not a folder; "
                              f"set {ENV_DATA_DIR} to a folder")
    if path.is_dir() and not os.access(path, os.R_OK | os.X_OK):
        raise DataFolderError(f"the data folder {path} cannot be read (permission denied); make it readable, "
                              f"or set {ENV_DATA_DIR} to a folder you own")
    return path


def _read_only_mount(path: Path) -> bool:
    """os.access says yes to root even on a read-only file system."""
    return osfiles.read_only_mount(path)


def private_file(path: Path) -> Path:
    """Create `path` empty if missing with mode 0600 (its folder via ensure_private_dir); returns the path.
    A file proctorprep made earlier is tightened back to 0600 if something loosened it."""
    ensure_private_dir(path.parent)
    fd = osfiles.open_fd(path, os.O_CREAT | os.O_WRONLY, FILE_MODE, nofollow=True)
    try:
        osfiles.restrict_fd(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes | str, *, private_parent: bool = True) -> Path:
    """Write a whole file of the data folder atomically (temp file + rename) with mode 0600.

    Files the user names outside the data folder go through proctorprep.exports instead (regular files only, never
    an input). private_parent=False is kept for callers that name such a file: it routes there."""
    path = Path(path)
    if not private_parent:
        from proctorprep.exports import write_file

        return write_file(path, data)
    ensure_private_dir(path.parent)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    from proctorprep.exports import AtomicFile

    with AtomicFile(path, check=False) as fh:
        fh.write(raw)
    return path


def sessions_dir(base: Path | None = None) -> Path:
    """The sessions folder (not created: SessionJournal creates it when a session starts)."""
    return (base or data_dir()) / "sessions"


def user_exams_dir(base: Path | None = None) -> Path:
    """The imported question banks' folder (not created: an import creates it)."""
    return (base or data_dir()) / "exams"


def settings_file(base: Path | None = None) -> Path:
    return (base or data_dir()) / "settings.json"
