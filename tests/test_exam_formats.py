"""Import formats (issue 21 A): GIFT with mixed types, Aiken, Moodle XML, CSV/TSV — each on hand-written files:
a valid one, a mixed one (items that cannot be scored are skipped by line), a broken one (every problem with its
file, line, question and field); and `proctorprep exams import` over all of them."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from proctorprep.cli import main
from proctorprep.exam import BankError, ExamSession
from proctorprep.exam.formats import detect_format, import_file
from proctorprep.paths import user_exams_dir
from proctorprep.exam.scoring import correct_answer
from tests.test_exam_fixtures import FakeClock

FILES = Path(__file__).parent / "fixtures" / "exam_formats"


def problems(name: str) -> list[str]:
    with pytest.raises(BankError) as info:
        import_file(FILES / name)
    return [str(p).replace(str(FILES) + "/", "") for p in info.value.problems]


def full_marks(bank) -> int:
    s = ExamSession(bank, clock=FakeClock())
    s.start()
    for q in bank.questions:
        s.answer(q.id, correct_answer(q))
    return s.submit().score


def test_gift_with_mixed_types_imports_every_scorable_question():
    im = import_file(FILES / "mixed.gift")
    assert [(q.id, q.type, q.skill) for q in im.bank.questions] == [
        ("q1", "info", "Identity"), ("mfa", "single", "Identity"), ("proto", "short_answer", "Identity"),
        ("mask", "numeric", "Networking"), ("pi", "numeric", "Networking"), ("tf", "single", "Networking")]
    assert [p.line for p in im.skipped] == [13, 22]
    assert all("essay" in p.message for p in im.skipped)
    assert im.bank.question("pi").key == ((3.14, 0.005),)
    assert im.bank.question("proto").explanation == "Correct answer: OIDC or OpenID Connect"
    assert full_marks(im.bank) == 1000


def test_gift_broken():
    assert problems("broken.gift") == [
        "broken.gift:3: question open: opens an answer block with '{' but never closes it with '}'",
        "broken.gift:5: question two: has 2 answers marked '=': a multiple-choice question needs exactly one "
        "(use ~%50% weights for multiple answers)"]


def test_aiken_valid_and_txt_detection():
    im = import_file(FILES / "valid.aiken")
    q1, q2 = im.bank.questions
    assert (q1.prompt, [o.text for o in q1.options], q1.key) == (
        "Which port does SSH listen on by default?", ["21", "22", "443", "3389"], "B")
    assert q2.key == "B" and q1.skill == "General" and q1.explanation == "Correct answer: 22"
    text = (FILES / "valid.aiken").read_text()
    assert detect_format("quiz.txt", text) == "aiken"
    assert detect_format("quiz.txt", "Q {=a ~b}") == "gift"


def test_aiken_broken():
    assert problems("broken.aiken") == [
        "broken.aiken:4: question q1: field answer: ANSWER names 'C', which is not one of the options (A, B)",
        "broken.aiken:6: question q2: has 1 option(s); an Aiken question needs at least 2 (A. ..., B. ...)",
        "broken.aiken:10: question q3: has no 'ANSWER: <letter>' line (the question ends before line 13)"]


def test_moodle_xml_mixed():
    im = import_file(FILES / "mixed.xml")
    bank = im.bank
    assert [(q.id, q.type) for q in bank.questions] == [
        ("redundancy", "single"), ("tiers", "multiple"), ("unit", "short_answer"), ("kib", "numeric"),
        ("match", "matching"), ("tf", "single"), ("intro", "info")]
    red = bank.question("redundancy")
    assert red.prompt == "Which option keeps copies in two regions?"      # HTML became plain text
    assert red.points == 2 and red.skill == "Storage" and red.explanation.startswith("Geo-redundant storage")
    assert bank.question("tiers").choose == 2
    assert [o.text for o in bank.question("match").options] == ["Objects", "Messages", "Rows"]
    assert [(p.line, p.question) for p in im.skipped] == [(22, "plan"), (54, "drag")]
    assert "'ddwtos'" in im.skipped[1].message
    assert full_marks(bank) == 1000


def test_moodle_xml_broken_and_hostile():
    assert problems("broken.xml") == [
        "broken.xml:3: question none-right: field answer: has no answer with a positive fraction: nothing is right",
        "broken.xml:12: question nan: field answer: numerical answer 'lots' with tolerance '0' is not a number"]
    from proctorprep.exam.formats.moodle_xml import import_moodle_xml

    lol = '<?xml version="1.0"?>\n<!DOCTYPE q [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]>\n<quiz>&b;</quiz>'
    with pytest.raises(BankError, match=r"x.xml:2: has a DOCTYPE declaration"):
        import_moodle_xml(lol, "x.xml")
    with pytest.raises(BankError, match=r"x.xml:2:\d+: is not well-formed XML"):
        import_moodle_xml("<quiz>\n<question>", "x.xml")
    with pytest.raises(BankError, match=r"top element is <html>, not <quiz>"):
        import_moodle_xml("<html/>", "x.xml")


def test_csv_and_tsv_valid():
    bank = import_file(FILES / "valid.csv").bank
    assert [(q.id, q.type, q.points) for q in bank.questions] == [
        ("ports", "single", 1), ("primes", "multiple", 2), ("steps", "order", 1), ("proto", "short_answer", 1),
        ("hosts", "numeric", 1), ("note", "info", 0)]
    assert bank.question("ports").prompt == "Which port does HTTPS use, by default?"   # a quoted comma
    assert bank.question("primes").key == ("A", "C") and bank.question("primes").choose == 2
    assert full_marks(bank) == 1000
    tsv = import_file(FILES / "valid.tsv").bank
    assert [(q.skill, q.key) for q in tsv.questions] == [("Networking", "A"), ("Letters", "B")]


def test_csv_broken():
    assert problems("badheader.csv") == [
        "badheader.csv:1: field column 5: column 5 'colour' is not a known column (known: answer, explanation, id, "
        "points, prompt, skill, type, and option letters A-Z)"]
    assert problems("broken.csv") == [
        "broken.csv:2: question q2: field answer: the answer names option(s) C, whose cells are empty or missing "
        "(options given: A, B)",
        "broken.csv:3: question q3: field answer: the answer cell is empty: give the letter(s) of the right "
        "option(s)",
        "broken.csv:4: question q4: field type: type 'essay' is not one of single, multiple, order, short_answer, "
        "numeric, info",
        "broken.csv:5: question q5: field answer: numeric answer 'three' is not a number, value:tolerance or "
        "min..max"]


def test_a_file_of_essays_only_says_so():
    with pytest.raises(BankError, match=r"contains no questions that can be imported \(2 skipped\)"):
        import_file(_write("essays.gift", "::a:: Say {}\n\n::b:: Write {}\n"))


def _write(name: str, text: str) -> Path:
    import tempfile

    p = Path(tempfile.mkdtemp()) / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("name", ["mixed.gift", "valid.aiken", "mixed.xml", "valid.csv", "valid.tsv"])
def test_cli_import_stores_json_0600_and_lists_skipped(name, capsys):
    assert main(["exams", "import", str(FILES / name), "--id", f"imp-{name.replace('.', '-')}"]) == 0
    out, err = capsys.readouterr()
    dest = user_exams_dir() / f"imp-{name.replace('.', '-')}.json"
    assert f"into {dest}" in out and stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert json.loads(dest.read_text())["id"] == f"imp-{name.replace('.', '-')}"
    if name.startswith("mixed"):
        assert "skipped:" in err and err.count("\n") == 2


def test_cli_validate_broken_exits_2(capsys):
    assert main(["exams", "validate", str(FILES / "broken.csv")]) == 2
    err = capsys.readouterr().err
    assert "broken.csv:2: question q2" in err and "4 problems" in err
    assert main(["exams", "validate", "--format", "aiken", str(FILES / "valid.csv")]) == 2
