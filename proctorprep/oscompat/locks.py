"""The session journal's "still running" lock: a lock the OS drops when the process dies, even when it is killed.

POSIX: flock on the lock file. Windows has no flock; msvcrt.locking locks a byte range of the file instead (one byte
at offset 0, beyond the end of the empty file, which Windows allows), with the same guarantee. On Windows an open
file cannot be deleted, so removing the lock file while a reader probes it may fail: that is harmless (an unlocked
lock file means "not running").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from proctorprep.oscompat.files import open_fd


def _backend() -> tuple[str, Any]:
    if os.name == "nt":
        import msvcrt

        return "msvcrt", msvcrt
    import fcntl

    return "fcntl", fcntl


def try_lock(fd: int) -> bool:
    """Take the exclusive lock on an open file without waiting. False when another process (or another open of the
    file) holds it."""
    kind, mod = _backend()
    try:
        if kind == "fcntl":
            mod.flock(fd, mod.LOCK_EX | mod.LOCK_NB)
        else:
            os.lseek(fd, 0, os.SEEK_SET)          # msvcrt locks from the current position
            mod.locking(fd, mod.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def unlock(fd: int) -> None:
    kind, mod = _backend()
    if kind == "fcntl":
        mod.flock(fd, mod.LOCK_UN)
    else:
        os.lseek(fd, 0, os.SEEK_SET)
        mod.locking(fd, mod.LK_UNLCK, 1)


def hold(path: Path, mode: int) -> int:
    """Create (or open) the lock file and take its lock; returns the descriptor to keep open. Raises
    BlockingIOError when it is held elsewhere."""
    fd = open_fd(path, os.O_CREAT | os.O_RDWR, mode)
    if not try_lock(fd):
        os.close(fd)
        raise BlockingIOError(f"{path} is locked by another process")
    return fd


def release(fd: int, path: Path) -> None:
    """Drop the lock, close the descriptor and remove the lock file (see the module doc for Windows)."""
    try:
        unlock(fd)
    except OSError:
        pass                                     # closing drops it anyway
    os.close(fd)
    try:
        path.unlink(missing_ok=True)
    except PermissionError:
        if os.name != "nt":
            raise


def is_held(path: Path) -> bool:
    """True while another process holds the lock on `path`. Only reads: works on a read-only folder."""
    try:
        fd = open_fd(path, os.O_RDONLY)           # read access is enough to probe either kind of lock
    except OSError:
        return False
    try:
        if not try_lock(fd):
            return True
        try:
            unlock(fd)
        except OSError:
            pass
        return False
    finally:
        os.close(fd)
