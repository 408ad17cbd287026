"""Question-bank file formats: the native JSON, and imports from GIFT, Aiken, Moodle XML, CSV/TSV and IMS QTI.

`import_file` picks the format by suffix (or `fmt=`) and returns an `Imported`: the bank, plus the items of the
file that could not become questions (an essay, a type that cannot be scored), each with its line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from proctorprep.exam.errors import BankError, Problem
from proctorprep.exam.formats.common import Imported
from proctorprep.exam.formats.limits import Readable, decode_text, read_limited

FORMATS: dict[str, tuple[str, ...]] = {     # format name -> file suffixes it is chosen for
    "json": (".json",),
    "gift": (".gift",),
    "aiken": (".aiken",),
    "moodle-xml": (".xml",),
    "csv": (".csv",),
    "tsv": (".tsv", ".tab"),
    "qti": (".zip",),           # a content package; a loose QTI item or manifest is an .xml told by its content
}
TXT_SUFFIX = ".txt"   # GIFT or Aiken: told apart by their content


def detect_format(name: str, text: str) -> str | None:
    lower = name.lower()
    for fmt, suffixes in FORMATS.items():
        if lower.endswith(suffixes):
            return fmt
    if lower.endswith(TXT_SUFFIX):
        from proctorprep.exam.formats.aiken import looks_like_aiken

        return "aiken" if looks_like_aiken(text) else "gift"
    return None


def import_file(path: str | os.PathLike[str] | Readable, fmt: str | None = None, label: str | None = None,
                **options: Any) -> Imported:
    """Read a bank in any supported format. `options` (bank_id, title, duration_minutes) apply to imports;
    a JSON bank carries its own. Raises BankError listing every problem, each with file and line."""
    name = path.name if not isinstance(path, (str, os.PathLike)) else Path(path).name
    if fmt is not None and fmt not in FORMATS:
        raise BankError([Problem(label or name, f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")])
    if isinstance(path, (str, os.PathLike)) and fmt in (None, "qti") and (
            name.lower().endswith(".zip") or name.lower() == "imsmanifest.xml"):
        from proctorprep.exam.formats.qti import import_qti   # a package: it reads its own files, with its limits

        return import_qti(path, label, **options)
    label, raw = read_limited(path, label)
    if fmt == "qti" or (fmt is None and name.lower().endswith(".xml")):
        from proctorprep.exam.formats.qti import import_qti_item, looks_like_qti

        if fmt == "qti" or looks_like_qti(raw):     # an .xml is QTI or Moodle XML by its first element
            return import_qti_item(raw, label, **options)
    if fmt == "moodle-xml" or (fmt is None and name.lower().endswith(".xml")):
        from proctorprep.exam.formats.moodle_xml import import_moodle_xml

        return import_moodle_xml(raw, label, **options)
    text = decode_text(raw, label)
    fmt = fmt or detect_format(name, text)
    if fmt is None:
        known = ", ".join(s for ss in FORMATS.values() for s in ss) + ", " + TXT_SUFFIX
        raise BankError([Problem(label, f"has a file name proctorprep does not know ({known}); "
                                        "name the format with --format")])
    if fmt == "json":
        from proctorprep.exam.formats.json_bank import parse_json_bank

        bank = parse_json_bank(text, label)
        if bank.uses_files() and isinstance(path, (str, os.PathLike)):
            from proctorprep.exam.assets import attach_files   # its pictures and pages, checked, go along

            bank = attach_files(bank, Path(path))
        return Imported(bank, (), "JSON")
    if fmt == "gift":
        from proctorprep.exam.formats.gift import import_gift

        return import_gift(text, label, **options)
    if fmt == "aiken":
        from proctorprep.exam.formats.aiken import import_aiken

        return import_aiken(text, label, **options)
    from proctorprep.exam.formats.table import import_table

    return import_table(text, label, tsv=fmt == "tsv", **options)
