"""The item types issue 21 added, in the model: validation (precise errors), scoring (all right, all wrong,
the stated rules at their edges), the session (an information item costs nothing) and the Anki export."""

from __future__ import annotations

import sqlite3
import stat
import zipfile

import pytest

from proctorprep.exam import BankError, ExamSession
from proctorprep.exam.anki import AnkiExportError, export_missed, missed_cards
from proctorprep.exam.formats.json_bank import bank_to_dict
from proctorprep.exam.scoring import PARTIAL_CREDIT_RULE, ResponseError, credit, normalize_response
from proctorprep.exam.validate import build_bank
from tests.test_exam_fixtures import FakeClock

BANK = {
    "id": "new-types", "title": "New types", "duration_minutes": 10,
    "questions": [
        {"id": "intro", "type": "info", "skill": "Identity", "prompt": "The next questions are about sign-in."},
        {"id": "sa", "type": "short_answer", "skill": "Identity", "prompt": "Name the sign-in protocol.",
         "answer": ["OpenID Connect", "OIDC"], "explanation": "OIDC sits on OAuth 2.0."},
        {"id": "num", "type": "numeric", "skill": "Networking", "prompt": "Usable hosts in a /29?",
         "answer": {"value": 6, "tolerance": 0}, "explanation": "8 addresses minus network and broadcast.", "points": 2},
        {"id": "pi", "type": "numeric", "skill": "Networking", "prompt": "Pi to two places.",
         "answer": [{"value": 3.14, "tolerance": 0.005}, {"value": 3.1416}], "explanation": "3.14."},
    ],
}


def bank():
    return build_bank(BANK, "new.json")


def problems(data) -> list[str]:
    with pytest.raises(BankError) as info:
        build_bank(data, "b.json")
    return [str(p) for p in info.value.problems]


def test_short_answer_ignores_case_and_spacing_and_is_all_or_nothing():
    q = bank().question("sa")
    assert credit(q, normalize_response(q, "  openid   CONNECT ")) == 1
    assert credit(q, normalize_response(q, "oidc")) == 1
    assert credit(q, normalize_response(q, "OAuth")) == 0
    assert normalize_response(q, "   ") is None                    # blank is no answer
    with pytest.raises(ResponseError):
        normalize_response(q, 42)


def test_numeric_tolerance_edges_and_alternatives():
    b = bank()
    num, pi = b.question("num"), b.question("pi")
    assert credit(num, 6.0) == 1 and credit(num, 6.5) == 0 and credit(num, 5) == 0
    assert credit(pi, 3.145) == 1 and credit(pi, 3.135) == 1 and credit(pi, 3.146) == 0
    assert credit(pi, 3.1416) == 1                                 # the second accepted value, tolerance 0
    for bad in ("6", True, float("nan"), float("inf")):
        with pytest.raises(ResponseError):
            normalize_response(num, bad)
    assert "tolerance" in PARTIAL_CREDIT_RULE and "Short answers" in PARTIAL_CREDIT_RULE


def test_session_all_right_all_wrong_and_information_items_carry_no_points():
    b = bank()
    s = ExamSession(b, clock=FakeClock())
    s.start()
    assert s.answer("sa", "OIDC") and s.answer("num", 6) and s.answer("pi", 3.14)
    r = s.submit()
    assert (r.score, r.earned, r.possible, r.answered) == (1000, 4.0, 4, 3)
    assert [sk.skill for sk in r.by_skill] == ["Identity", "Networking"]
    assert r.rows[0].type == "info" and r.rows[0].points == 0
    s = ExamSession(b, clock=FakeClock())
    s.start()
    s.answer("sa", "SAML")
    s.answer("num", 8)
    r = s.submit()
    assert (r.score, r.earned, r.answered) == (1, 0.0, 2)
    assert s.review()[0].status == "answered"                      # nothing to do on an information item


def test_quick_round_never_draws_information_items():
    for seed in range(10):
        s = ExamSession.quick_round(bank(), count=3, seed=seed)
        assert "intro" not in [q.id for q in s.questions]


def test_round_trip_through_native_json_keeps_every_accepted_answer():
    b = bank()
    again = build_bank(bank_to_dict(b), "again.json")
    assert again.questions == b.questions


def test_validation_names_the_field():
    data = {"id": "b", "title": "t", "duration_minutes": 5, "questions": [
        {"id": "a", "type": "short_answer", "skill": "S", "prompt": "p", "explanation": "e", "answer": "OIDC"},
        {"id": "b", "type": "short_answer", "skill": "S", "prompt": "p", "explanation": "e",
         "answer": ["OIDC", " oidc "]},
        {"id": "c", "type": "numeric", "skill": "S", "prompt": "p", "explanation": "e",
         "answer": {"value": "six"}},
        {"id": "d", "type": "numeric", "skill": "S", "prompt": "p", "explanation": "e",
         "answer": [{"value": 1, "tolerance": -1}]},
        {"id": "e", "type": "info", "skill": "S", "prompt": "p", "points": 2},
    ]}
    assert problems(data) == [
        "b.json: question a: field answer: must be a non-empty list of accepted answers (text), not text",
        "b.json: question b: field answer[1]: repeats the accepted answer ' oidc ' (case and spacing are ignored)",
        "b.json: question c: field answer[0].value: must be a number of at most 1e+15 in size, not 'six'",
        "b.json: question d: field answer[0].tolerance: must not be negative, not -1",
        "b.json: question e: field points: is not a known field (allowed: explanation, id, image, prompt, skill, type)",
    ]
    only_info = {"id": "b", "title": "t", "duration_minutes": 5,
                 "questions": [{"id": "i", "type": "info", "skill": "S", "prompt": "Read me"}]}
    assert problems(only_info) == ["b.json: field questions: has only information items: a bank needs at least "
                                   "one question that can be scored"]


def test_anki_export_of_missed_questions(tmp_path):
    b = bank()
    s = ExamSession(b, clock=FakeClock())
    s.start()
    s.answer("sa", "OIDC")          # right: not in the deck
    s.answer("num", 7)              # wrong
    result = s.submit().to_dict()
    cards = missed_cards(b, result)
    assert [c.qid for c in cards] == ["num", "pi"]
    assert cards[0].right == "6" and cards[0].given == "7" and cards[1].given == "(no answer)"
    assert cards[1].right == "3.14 (± 0.005) or 3.1416"
    out = tmp_path / "deck.apkg"
    assert export_missed(b, result, out, timestamp=1_700_000_000) == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == ["collection.anki2", "media"]
        (tmp_path / "c.db").write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(tmp_path / "c.db")
    notes = con.execute("SELECT guid, flds FROM notes ORDER BY id").fetchall()
    assert len(notes) == 2 and "Usable hosts in a /29?" in notes[0][1] and "Your answer:</b> 7" in notes[0][1]
    assert con.execute("SELECT count(*) FROM cards").fetchone() == (2,)
    con.close()
    # The same export again gives the same note guids: Anki updates the cards instead of duplicating them.
    export_missed(b, result, tmp_path / "again.apkg", timestamp=1_700_000_500)
    with zipfile.ZipFile(tmp_path / "again.apkg") as z:
        (tmp_path / "d.db").write_bytes(z.read("collection.anki2"))
    con = sqlite3.connect(tmp_path / "d.db")
    assert [g for g, _ in notes] == [g for (g,) in con.execute("SELECT guid FROM notes ORDER BY id")]
    con.close()
    s = ExamSession(b, clock=FakeClock())
    s.start()
    s.answer("sa", "oidc"), s.answer("num", 6), s.answer("pi", 3.14)
    with pytest.raises(AnkiExportError, match="no missed questions"):
        export_missed(b, s.submit().to_dict(), tmp_path / "none.apkg")
    assert not (tmp_path / "none.apkg").exists()
