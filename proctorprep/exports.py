"""The one safe way proctorprep writes a file the user named (a report, a badge image, an observations CSV).

Why this shape:
- A target is replaced only when it is a regular file we may write: a device node, a FIFO, a socket, a folder, a
  symbolic link (`/dev/stdout` is one) or a read-only file is refused with one line, never replaced. Writing goes to
  a private temp file in the same folder, then a rename, so a failed write leaves the old file as it was.
- An input is never overwritten: `analyze clip.mp4 --html clip.mp4` is refused (compared by samefile, so another
  name for the same file is caught too).
- "-" streams to stdout instead of a file.
- Every file written is 0600 (a report shows the candidate's behaviour); the folder the user named is created if
  missing but never re-permissioned (a Desktop, a USB stick).
- Errors while writing name the file they were writing (a full disk under a CSV says which CSV).

Nothing here knows about reports or formats: report.export, progress.badge_image and the analysis CSV all call it.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path
from typing import IO, Iterable

from proctorprep.oscompat import files as osfiles

FILE_MODE = 0o600
STDOUT = "-"


class UnsafeTarget(OSError):
    """The target is not a regular file proctorprep may replace; the message names it and says why."""


def is_stdout(path: str | os.PathLike[str] | None) -> bool:
    return path is not None and os.fspath(path) == STDOUT


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _same(a: Path, b: str | os.PathLike[str]) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_target(path: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str] | None] = ()) -> None:
    """Raise UnsafeTarget unless `path` may be written: "-", a new file in a writable folder, or an existing
    regular, writable file that is none of `inputs`."""
    if is_stdout(path):
        return
    target = Path(path)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UnsafeTarget(f"{target}: cannot be written ({exc.strerror or exc})") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise UnsafeTarget(f"{target}: is a symbolic link; give the file itself (or - for the screen)")
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeTarget(f"{target}: is {_kind(st.st_mode)}, not a regular file; give a file name"
                               + (" (or - for the screen)" if not stat.S_ISDIR(st.st_mode) else ""))
        for source in inputs:
            if source is not None and not is_stdout(source) and _same(target, source):
                raise UnsafeTarget(f"{target}: is an input of this command; give another file name")
        # root may write anything, so the mode bits say what the user meant: a read-only file stays as it is
        if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise UnsafeTarget(f"{target}: is read-only; give another file name or make it writable")
    parent = _existing_parent(target)
    if not parent.is_dir():
        raise UnsafeTarget(f"{target}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UnsafeTarget(f"{target}: the folder {parent} is not writable")


def _existing_parent(target: Path) -> Path:
    parent = target.parent if str(target.parent) else Path(".")
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def _temp_beside(target: Path) -> tuple[int, Path]:
    """A new private file in the target's folder (exclusive creation: never an existing file, never a link)."""
    target.parent.mkdir(parents=True, exist_ok=True)      # the user's folder: created, not re-permissioned
    for n in range(100):
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{n}.tmp")
        try:
            return osfiles.open_fd(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE, nofollow=True), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{target}: cannot create a temporary file beside it")


def write_file(path: str | os.PathLike[str], data: bytes | str,
               inputs: Iterable[str | os.PathLike[str] | None] = ()) -> Path:
    """Write a whole file safely (see the module doc); "-" writes to stdout. Returns the path written.

    Raises UnsafeTarget for a target that must not be replaced, OSError (with the file name) if writing fails."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if is_stdout(path):
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            out.write(raw)
        else:               # a text-only stdout (captured in tests)
            sys.stdout.write(raw.decode("utf-8", "replace"))
        sys.stdout.flush()
        return Path(STDOUT)
    target = Path(path)
    check_target(target, inputs)
    with AtomicFile(target) as fh:
        fh.write(raw)
    return target


class AtomicFile:
    """A binary file written in place of `target` only when closed without error (temp file + rename, 0600).

    For streams written over a long time (the observations CSV): an analysis that fails half way leaves the old
    file untouched. A write error is raised as OSError naming the target."""

    def __init__(self, target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str] | None] = (),
                 check: bool = True) -> None:
        self.target = Path(target)
        if check:
            check_target(self.target, inputs)
        try:
            fd, self._tmp = _temp_beside(self.target)
        except OSError as exc:
            raise _named(exc, self.target) from None
        self._fh: IO[bytes] = os.fdopen(fd, "wb")
        self._done = False

    def write(self, data: bytes) -> int:
        try:
            return self._fh.write(data)
        except OSError as exc:
            raise _named(exc, self.target) from None

    def commit(self) -> None:
        if self._done:
            return
        self._done = True
        try:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            osfiles.replace(self._tmp, self.target)    # Windows: a target open elsewhere is told plainly
        except OSError as exc:
            self._discard()
            raise _named(exc, self.target) from None

    def abort(self) -> None:
        if not self._done:
            self._done = True
            self._discard()

    def _discard(self) -> None:
        try:
            self._fh.close()
        except OSError:
            pass
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> "AtomicFile":
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


class AtomicTextFile(io.TextIOBase):
    """AtomicFile as a text stream (for csv.writer)."""

    def __init__(self, target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str] | None] = (),
                 encoding: str = "utf-8") -> None:
        super().__init__()
        self._file = AtomicFile(target, inputs)
        self._encoding = encoding
        self.target = self._file.target

    def write(self, s: str) -> int:
        self._file.write(s.encode(self._encoding))
        return len(s)

    def writable(self) -> bool:
        return True

    def commit(self) -> None:
        self._file.commit()

    def abort(self) -> None:
        self._file.abort()


def _named(exc: OSError, target: Path) -> OSError:
    """The same error, naming the file we were writing (a write error on an fd has no file name)."""
    if exc.filename:
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), str(target))
