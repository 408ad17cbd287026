"""Write a session's report files: build the model once, render the formats asked for.

Files are written atomically with mode 0600 (a report shows the candidate's face and behaviour). A folder the user
names is created if missing but never re-permissioned: exporting into ~/Desktop must not chmod ~/Desktop.
"""

from __future__ import annotations

from pathlib import Path

from proctorprep.paths import write_private

from proctorprep.report.model import Report, build_report


def write_file(path: Path, data: bytes | str) -> Path:
    """Atomic write (temp file + rename), mode 0600; the parent folder is created but not re-permissioned."""
    return write_private(Path(path), data, private_parent=False)


def write_report(report: Report, html: Path | None = None, pdf: Path | None = None,
                 json: Path | None = None) -> list[Path]:
    """Render `report` into each format given a path; returns the files written (html, pdf, json order)."""
    written: list[Path] = []
    if html is not None:
        from proctorprep.report.html import render_html

        written.append(write_file(html, render_html(report)))
    if pdf is not None:
        from proctorprep.report.pdf import render_pdf_bytes

        written.append(write_file(pdf, render_pdf_bytes(report)))
    if json is not None:
        from proctorprep.report.json_report import dumps

        written.append(write_file(json, dumps(report)))
    return written


def export_report(journal_path: Path, html: Path | None = None, pdf: Path | None = None, json: Path | None = None,
                  sessions_root: Path | None = None) -> list[Path]:
    """Build the report of one session from its journal and write the formats asked for."""
    return write_report(build_report(journal_path, sessions_root=sessions_root), html=html, pdf=pdf, json=json)
