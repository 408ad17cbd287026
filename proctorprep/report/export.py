"""Write a session's report files: build the model once, render the formats asked for.

Files go through proctorprep.exports: regular files only (a device, a FIFO, a link, a folder or a read-only file is
refused), never an input, "-" for stdout, atomic, mode 0600; a folder the user names is created if missing but never
re-permissioned: exporting into ~/Desktop must not chmod ~/Desktop.
"""

from __future__ import annotations

from pathlib import Path

from typing import Iterable

from proctorprep.exports import check_target
from proctorprep.exports import write_file as _write_file
from proctorprep.report.model import Report, build_report


def write_file(path: Path, data: bytes | str, inputs: Iterable[Path | str | None] = ()) -> Path:
    """proctorprep.exports.write_file: a regular file only, never an input, atomic, 0600."""
    return _write_file(path, data, inputs)


def write_report(report: Report, html: Path | None = None, pdf: Path | None = None,
                 json: Path | None = None, inputs: Iterable[Path | str | None] = ()) -> list[Path]:
    """Render `report` into each format given a path; returns the files written (html, pdf, json order).
    Every target is checked before anything is rendered, so a refused one leaves the others unwritten too."""
    inputs = list(inputs)
    for target in (html, pdf, json):
        if target is not None:
            check_target(target, inputs)
    written: list[Path] = []
    if html is not None:
        from proctorprep.report.html import render_html

        written.append(write_file(html, render_html(report), inputs))
    if pdf is not None:
        from proctorprep.report.pdf import render_pdf_bytes

        written.append(write_file(pdf, render_pdf_bytes(report), inputs))
    if json is not None:
        from proctorprep.report.json_report import dumps

        written.append(write_file(json, dumps(report), inputs))
    return written


def export_report(journal_path: Path, html: Path | None = None, pdf: Path | None = None, json: Path | None = None,
                  sessions_root: Path | None = None, inputs: Iterable[Path | str | None] = ()) -> list[Path]:
    """Build the report of one session from its journal and write the formats asked for (never over `inputs`)."""
    inputs = [*inputs, journal_path]
    for target in (html, pdf, json):
        if target is not None:
            check_target(target, inputs)
    return write_report(build_report(journal_path, sessions_root=sessions_root), html=html, pdf=pdf, json=json,
                        inputs=inputs)
