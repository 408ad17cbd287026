"""From a finished session to an Anki deck of the questions missed in it (the deck itself: exam/anki.py)."""

from __future__ import annotations

from pathlib import Path

from proctorprep.exam.anki import AnkiExportError, export_missed
from proctorprep.exam.catalog import find_bank
from proctorprep.exam.errors import BankError
from proctorprep.journal.store import JournalReader


def export_session_missed(session_dir: Path, out: Path, user_exams: Path | None = None) -> int:
    """Write the missed questions of the session's exam to `out` (.apkg); returns the number of cards.
    AnkiExportError says why not (no exam in the session, its bank is gone, nothing missed)."""
    with JournalReader(Path(session_dir)) as reader:
        result = reader.exam_result()
    if not result:
        raise AnkiExportError(f"session {Path(session_dir).name} has no exam result to export")
    exam_id = str(result.get("exam_id") or "")
    try:
        bank = find_bank(exam_id, user_exams)
    except BankError:
        raise AnkiExportError(f"the bank {exam_id!r} of this session is no longer installed, so its questions "
                              "cannot be written out") from None
    return export_missed(bank, result, out)
