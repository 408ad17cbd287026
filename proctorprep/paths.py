"""Where proctorprep keeps the user's data, and how files there are created (private to the user)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "PROCTORPREP_DATA_DIR"
DIR_MODE = 0o700
FILE_MODE = 0o600


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The user's data folder: an explicit override, then $PROCTORPREP_DATA_DIR, then the platform's user data dir."""
    if override:
        base = Path(override)
    elif os.environ.get(ENV_DATA_DIR):
        base = Path(os.environ[ENV_DATA_DIR])
    else:
        from platformdirs import user_data_dir

        base = Path(user_data_dir("proctorprep", appauthor=False))
    return ensure_private_dir(base)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the user alone; tighten it if it already exists."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty if missing with mode 0600, or tighten an existing one; returns the path."""
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
    os.close(fd)
    os.chmod(path, FILE_MODE)
    return path


def write_private(path: Path, data: bytes | str, *, private_parent: bool = True) -> Path:
    """Write a whole file atomically (temp file + rename) with mode 0600.

    With private_parent=False the parent folder is created if missing but its permissions are left alone: a folder
    the user names for an export (a Desktop, a USB stick) must not be chmod-ed to 0700."""
    path = Path(path)
    if private_parent:
        ensure_private_dir(path.parent)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.chmod(path, FILE_MODE)
    return path


def sessions_dir(base: Path | None = None) -> Path:
    return ensure_private_dir((base or data_dir()) / "sessions")


def user_exams_dir(base: Path | None = None) -> Path:
    return ensure_private_dir((base or data_dir()) / "exams")


def settings_file(base: Path | None = None) -> Path:
    return (base or data_dir()) / "settings.json"
