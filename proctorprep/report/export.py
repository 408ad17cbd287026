"""Write a session's report files: build the model once, render each registered format asked for
(report/formats.py), and `export_all` every session at once.

Files go through proctorprep.exports: regular files only (a device, a FIFO, a link, a folder or a read-only file is
refused), never an input, "-" for stdout, atomic, mode 0600; a folder the user names is created if missing but never
re-permissioned: exporting into ~/Desktop must not chmod ~/Desktop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from proctorprep.exports import check_target
from proctorprep.exports import write_file as _write_file
from proctorprep.journal.history import SessionInfo, list_sessions
from proctorprep.report.formats import export_format, export_formats, format_keys
from proctorprep.report.model import Report, build_report


def write_file(path: Path, data: bytes | str, inputs: Iterable[Path | str | None] = (),
               keep_existing: bool = False) -> Path:
    """proctorprep.exports.write_file: a regular file only, never an input, atomic, 0600 (`keep_existing`: never
    over an existing file, the first free numbered name instead)."""
    return _write_file(path, data, inputs, keep_existing=keep_existing)


def _targets(targets: dict[str, Path | None], inputs: list, keep_existing: bool = False) -> dict[str, Path]:
    """{format key: path} of the formats asked for; an unknown key, or a target that must not be replaced (a
    device, a FIFO, a folder, a link, a read-only file, an input), is refused before anything is written
    (`keep_existing`: nothing is replaced anyway, so only unknown keys are refused)."""
    wanted = {export_format(key).key: Path(path) for key, path in targets.items() if path is not None}
    for target in wanted.values() if not keep_existing else ():
        check_target(target, inputs)
    return wanted


def write_report(report: Report, inputs: Iterable[Path | str | None] = (), keep_existing: bool = False,
                 **targets: Path | None) -> list[Path]:
    """Render `report` into each format given a path (`html=..., pdf=..., json=...`: any registered format key);
    returns the files written, in registration order. Nothing is written over `inputs`; with `keep_existing`
    nothing is written over any existing file (the first free numbered name instead: `analyze` in a batch)."""
    inputs = list(inputs)
    wanted = _targets(targets, inputs, keep_existing)
    return [write_file(wanted[f.key], f.render(report), inputs, keep_existing)
            for f in export_formats() if f.key in wanted]


def export_report(journal_path: Path, sessions_root: Path | None = None, inputs: Iterable[Path | str | None] = (),
                  keep_existing: bool = False, **targets: Path | None) -> list[Path]:
    """Build the report of one session from its journal and write the formats asked for (never over `inputs`
    or the journal itself; targets are checked before the report is built)."""
    inputs = [*inputs, journal_path]
    _targets(targets, inputs, keep_existing)
    return write_report(build_report(journal_path, sessions_root=sessions_root), inputs=inputs,
                        keep_existing=keep_existing, **targets)


def export_all(dest: Path, sessions_root: Path | None = None, formats: Iterable[str] | None = None,
               progress: Callable[[SessionInfo], None] | None = None) -> list[Path]:
    """Write every finished session's report into `dest` as <id><suffix>, in every registered format (or those
    named); returns the files written."""
    chosen = [export_format(k) for k in (format_keys() if formats is None else formats)]
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)         # the user's folder: made if missing, never re-permissioned
    written: list[Path] = []
    for info in list_sessions(sessions_root):
        if info.status == "running":
            continue
        if progress is not None:
            progress(info)
        written += export_report(info.path, **{f.key: dest / f"{info.id}{f.suffix}" for f in chosen})
    return written
