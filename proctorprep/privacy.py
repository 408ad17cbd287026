"""What proctorprep keeps on disk, and "delete all my data".

Everything proctorprep writes lives under one folder (proctorprep.paths.data_dir). This module tells the candidate
what is there, in plain words with sizes, and removes all of it on request, saying what it removed.

"All of it" means what proctorprep can prove it made, because the data folder may be one the user named (a shared
folder, by mistake /tmp): the entries named in OURS, session folders with a session id and a journal, imported banks
(*.json under exams/), and our own temporary files. Anything else is left alone and listed; a session still being
recorded (its writer holds the journal's lock) is never removed.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from proctorprep import paths
from proctorprep.oscompat import files as osfiles

# What each top-level entry of the data folder holds, in plain words.
DESCRIPTIONS: dict[str, str] = {
    "settings.json": "your settings (name on badges, camera, proctor profile)",
    "sessions": "practice sessions: journals (incidents, answers, head/voice summaries), snapshots, reports",
    "exams": "question banks you added",
    "badges": "badge images you exported",
}


# What proctorprep itself creates at the top of the data folder.
OURS = ("settings.json", "sessions", "exams", "badges")


@dataclass(frozen=True)
class StorageItem:
    path: Path
    what: str
    files: int
    bytes: int
    is_dir: bool


@dataclass(frozen=True)
class StorageReport:
    data_dir: Path
    items: list[StorageItem]
    sessions: int

    @property
    def total_bytes(self) -> int:
        return sum(i.bytes for i in self.items)

    @property
    def total_files(self) -> int:
        return sum(i.files for i in self.items)

    def lines(self) -> list[str]:
        out = [f"Data folder: {self.data_dir}"]
        if not self.items:
            out.append("  (empty: proctorprep stores nothing for you at the moment)")
        for item in self.items:
            name = item.path.name + ("/" if item.is_dir else "")
            count = f", {plural(item.files, 'file')}" if item.is_dir else ""
            out.append(f"  {name:<16} {human_size(item.bytes):>9}{count}  {item.what}")
        out.append(f"Total: {human_size(self.total_bytes)} in {plural(self.total_files, 'file')}; "
                   f"{plural(self.sessions, 'practice session')}.")
        out.append("Nothing is ever sent anywhere: proctorprep has no network code.")
        return out


class DeleteError(Exception):
    """Some entries could not be removed; `removed` lists what was, `failed` what was not and why."""

    def __init__(self, removed: list[StorageItem], failed: list[tuple[Path, str]],
                 kept: list[tuple[Path, str]] | None = None):
        self.removed, self.failed, self.kept = removed, failed, kept or []
        super().__init__("could not remove " + "; ".join(f"{p}: {why}" for p, why in failed))


class Removed(list):
    """What delete_all_data removed (a list of StorageItem); `.kept` lists what it left alone and why."""

    def __init__(self, items: list[StorageItem], kept: list[tuple[Path, str]]) -> None:
        super().__init__(items)
        self.kept = kept


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"   # pragma: no cover - loop always returns


def _measure(path: Path) -> tuple[int, int]:
    """(files, bytes) under path, never following symbolic links out of the data folder."""
    st = path.lstat()
    if not stat.S_ISDIR(st.st_mode):
        return 1, st.st_size
    files = size = 0
    for root, dirs, names in os.walk(path, followlinks=False):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            files += 1
            size += os.lstat(os.path.join(root, name)).st_size
    return files, size


def _item(path: Path) -> StorageItem:
    files, size = _measure(path)
    what = DESCRIPTIONS.get(path.name, "other files")
    return StorageItem(path, what, files, size, path.is_dir() and not path.is_symlink())


def storage_report(data_dir: Path | None = None) -> StorageReport:
    """What is stored, where, and how big, per top-level entry of the data folder."""
    base = Path(data_dir) if data_dir else paths.data_dir()
    entries = sorted(base.iterdir(), key=lambda p: p.name) if base.is_dir() else []
    items = [_item(p) for p in entries]
    sessions_root = base / "sessions"
    sessions = sum(1 for p in sessions_root.iterdir() if p.is_dir()) if sessions_root.is_dir() else 0
    return StorageReport(base, items, sessions)


def _refuse_dangerous(base: Path) -> None:
    """A mistyped PROCTORPREP_DATA_DIR must never wipe a home folder or the whole disk."""
    resolved = base.resolve()
    home = Path.home().resolve()
    if resolved == Path(resolved.anchor) or resolved == home or resolved in home.parents:
        raise ValueError(f"refusing to delete everything under {base}: it is not a proctorprep data folder")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        def make_writable_and_retry(func, p, _exc):   # a read-only file or folder of ours must not stop us
            osfiles.make_removable(p, paths.DIR_MODE)
            func(p)

        shutil.rmtree(path, onerror=make_writable_and_retry)
    else:
        path.unlink()


def _is_our_temp(entry: Path) -> bool:
    """A temporary file of proctorprep.exports.AtomicFile (".settings.json.<pid>.<n>.tmp"), left by a crash."""
    return entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file()


def _our_children(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Inside sessions/ and exams/: (what proctorprep made, [(what it did not, why it stays)])."""
    from proctorprep.journal.history import SESSION_ID_RE
    from proctorprep.journal.store import JOURNAL_NAME, is_locked

    ours: list[Path] = []
    kept: list[tuple[Path, str]] = []
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if folder.name == "sessions":
            session = (child.is_dir() and not child.is_symlink() and SESSION_ID_RE.match(child.name)
                       and (child / JOURNAL_NAME).is_file())
            if session and is_locked(child):
                kept.append((child, "a session still being recorded"))
            elif session:
                ours.append(child)
            else:
                kept.append((child, "not a proctorprep session"))
        elif folder.name == "exams" and child.suffix == ".json" and (child.is_file() or child.is_symlink()):
            ours.append(child)
        elif _is_our_temp(child):
            ours.append(child)
        else:
            kept.append((child, "not made by proctorprep"))
    return ours, kept


def delete_all_data(data_dir: Path | None = None) -> Removed:
    """Remove everything proctorprep made under the data folder (the folder itself stays); returns what was
    removed, with `.kept` saying what was left alone (not ours) and why.

    Symbolic links are removed, never followed. If something of ours cannot be removed (or a session is still
    being recorded) the rest is still removed and DeleteError says what is left and why.
    """
    base = Path(data_dir) if data_dir else paths.data_dir()
    _refuse_dangerous(base)
    if not base.is_dir():
        return Removed([], [])
    removed: list[StorageItem] = []
    failed: list[tuple[Path, str]] = []
    kept: list[tuple[Path, str]] = []
    for entry in sorted(base.iterdir(), key=lambda p: p.name):
        if entry.name in ("sessions", "exams") and entry.is_dir() and not entry.is_symlink():
            children, left = _our_children(entry)
            failed += [(p, why) for p, why in left if why.startswith("a session still")]
            kept += [(p, why) for p, why in left if not why.startswith("a session still")]
            files = size = 0
            for child in children:
                n, b = _measure(child)
                try:
                    _remove(child)
                except OSError as exc:
                    failed.append((child, exc.strerror or str(exc)))
                    continue
                files, size = files + n, size + b
            if children:
                removed.append(StorageItem(entry, DESCRIPTIONS[entry.name], files, size, True))
            try:
                entry.rmdir()             # only once empty: what is left in it is not ours
            except OSError:
                pass
            continue
        if entry.name not in OURS and not _is_our_temp(entry):
            kept.append((entry, "not made by proctorprep"))
            continue
        item = _item(entry)
        try:
            _remove(entry)
        except OSError as exc:
            failed.append((entry, exc.strerror or str(exc)))
            continue
        removed.append(item)
    if failed:
        raise DeleteError(removed, failed, kept)
    return Removed(removed, kept)
