"""Write a session's report files: build the model once, render each registered format asked for
(report/formats.py), and `export_all` every session at once.

Files are written atomically with mode 0600 (a report shows the candidate's face and behaviour). A folder the user
names is created if missing but never re-permissioned: exporting into ~/Desktop must not chmod ~/Desktop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from proctorprep import paths
from proctorprep.journal.history import SessionInfo, list_sessions
from proctorprep.paths import write_private
from proctorprep.report.formats import export_format, export_formats, format_keys
from proctorprep.report.model import Report, build_report


def write_file(path: Path, data: bytes | str) -> Path:
    """Atomic write (temp file + rename), mode 0600; the parent folder is created but not re-permissioned."""
    return write_private(Path(path), data, private_parent=False)


def write_report(report: Report, **targets: Path | None) -> list[Path]:
    """Render `report` into each format given a path (`html=..., pdf=..., json=...`: any registered format key);
    returns the files written, in registration order. An unknown key is refused before anything is written."""
    wanted = {export_format(key).key: Path(path) for key, path in targets.items() if path is not None}
    return [write_file(wanted[f.key], f.render(report)) for f in export_formats() if f.key in wanted]


def export_report(journal_path: Path, sessions_root: Path | None = None, **targets: Path | None) -> list[Path]:
    """Build the report of one session from its journal and write the formats asked for."""
    return write_report(build_report(journal_path, sessions_root=sessions_root), **targets)


def export_all(dest: Path, sessions_root: Path | None = None, formats: Iterable[str] | None = None,
               progress: Callable[[SessionInfo], None] | None = None) -> list[Path]:
    """Write every finished session's report into `dest` as <id><suffix>, in every registered format (or those
    named); returns the files written."""
    chosen = [export_format(k) for k in (format_keys() if formats is None else formats)]
    dest = paths.ensure_private_dir(Path(dest))
    written: list[Path] = []
    for info in list_sessions(sessions_root):
        if info.status == "running":
            continue
        if progress is not None:
            progress(info)
        written += export_report(info.path, **{f.key: dest / f"{info.id}{f.suffix}" for f in chosen})
    return written
