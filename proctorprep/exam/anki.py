"""Export the questions a candidate missed to an Anki deck (.apkg), built with genanki.

A question counts as missed when it earned less than full credit. Each becomes one note: the front is the prompt
with its choices, the back the right answer, the candidate's answer and the explanation. Ids are stable (the deck
from the bank id, each note's guid from bank and question id), so exporting again after another attempt updates
the same cards in Anki instead of adding duplicates. Nothing touches the disk but the .apkg itself: genanki's own
write_to_file leaves its SQLite file in the system temp folder, so the collection is built in memory here."""

from __future__ import annotations

import hashlib
import html
import io
import json
import sqlite3
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from proctorprep.exam.answers import answer_text, key_text, question_text
from proctorprep.exam.bank import Bank

MODEL_ID = 1_719_402_211          # fixed: every proctorprep deck shares one note type
_CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; } .meta { color: #777; font-size: 13px; }"


@dataclass(frozen=True, slots=True)
class MissedCard:
    qid: str
    skill: str
    front: str      # plain text
    right: str
    given: str
    explanation: str


class AnkiExportError(RuntimeError):
    pass


def missed_cards(bank: Bank, result: dict[str, Any]) -> list[MissedCard]:
    """The missed questions of a stored exam result (ExamResult.to_dict()), in the order they were presented.
    Questions no longer in the bank (it was edited since) are left out."""
    ids = {q.id for q in bank.questions}
    out = []
    for row in result.get("questions") or []:
        qid = row.get("id")
        if qid not in ids or not isinstance(row.get("credit"), (int, float)) or row["credit"] >= 1:
            continue
        q = bank.question(qid)
        if not q.scored:
            continue
        out.append(MissedCard(qid, q.skill, question_text(q), key_text(q),
                              answer_text(q, row.get("response")) or "(no answer)", q.explanation))
    return out


def _stable_id(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:6], "big") | 1 << 40


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def build_apkg(bank: Bank, cards: list[MissedCard], timestamp: float | None = None) -> bytes:
    """The .apkg file's bytes (a zip holding the SQLite collection and an empty media list)."""
    import genanki

    if not cards:
        raise AnkiExportError("no missed questions to export: every question earned full credit")
    model = genanki.Model(
        MODEL_ID, "proctorprep missed question",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Skill"}, {"name": "Bank"}],
        templates=[{"name": "Card 1", "qfmt": "{{Question}}<div class=meta>{{Skill}} · {{Bank}}</div>",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}"}],
        css=_CSS)
    deck = genanki.Deck(_stable_id("deck", bank.id), f"proctorprep::{bank.title} (missed)")
    for c in cards:
        back = (f"<b>Right answer:</b> {_html(c.right)}<br><b>Your answer:</b> {_html(c.given)}"
                + (f"<br><br>{_html(c.explanation)}" if c.explanation else ""))
        deck.add_note(genanki.Note(model=model, fields=[_html(c.front), back, _html(c.skill), _html(bank.title)],
                                   guid=genanki.guid_for("proctorprep", bank.id, c.qid),
                                   tags=["proctorprep", "".join(ch if ch.isalnum() else "_" for ch in c.skill)]))
    conn = sqlite3.connect(":memory:")
    try:
        ts = time.time() if timestamp is None else timestamp
        genanki.Package(deck).write_to_db(conn.cursor(), ts, iter(range(int(ts * 1000), 2**62)))
        conn.commit()
        db = conn.serialize()
    finally:
        conn.close()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("collection.anki2", db)
        z.writestr("media", json.dumps({}))
    return buf.getvalue()


def export_missed(bank: Bank, result: dict[str, Any], out: Path, timestamp: float | None = None) -> int:
    """Write the deck to `out` (atomically, mode 0600; the folder's permissions are left alone). Returns the
    number of cards; AnkiExportError when nothing was missed."""
    from proctorprep.paths import write_private

    cards = missed_cards(bank, result)
    write_private(Path(out), build_apkg(bank, cards, timestamp), private_parent=False)
    return len(cards)
