"""GIFT (Moodle) import: the supported parts, and a clear error naming the line for the parts that are not."""

from __future__ import annotations

import pytest

from proctorprep.exam import BankError, ExamSession, load_bank
from proctorprep.exam.formats.gift import parse_gift
from tests.test_exam_fixtures import FakeClock

GOOD = r"""// Networking questions, written for the test
$CATEGORY: $course$/Networking/DNS

::Port question::Which port does HTTPS use? {
  ~80 # no, that is plain HTTP
  =443
  ~22
  #### HTTPS listens on TCP 443.
}

::tf:: [html]The DNS protocol can use UDP. {T}

::primes:: Which two numbers are prime? {~%50%2 ~%50%3 ~%-100%4 ~%-100%6}

::ports:: Match each service to its port. { =SSH -> 22 =RDP -> 3389 =DNS -> 53 = -> 25 }

$CATEGORY: Storage
::esc:: Literal \{braces\}, a tilde \~, \= equals, a \# hash and a colon\: here. {=yes ~no}

Paris is the capital of {=France ~Spain ~Italy} in Europe.

::Port question::Duplicate titles get their own id. {F}
"""


def test_supported_gift_parts():
    bank = parse_gift(GOOD, "net.gift")
    assert bank.id == "net" and bank.title == "net" and bank.question_count == 7
    ids = [q.id for q in bank.questions]
    assert ids == ["Port-question", "tf", "primes", "ports", "esc", "q6", "Port-question-2"]
    port = bank.question("Port-question")
    assert port.type == "single" and port.skill == "DNS" and port.prompt == "Which port does HTTPS use?"
    assert [o.text for o in port.options] == ["80", "443", "22"] and port.key == "o2"
    assert port.explanation == "HTTPS listens on TCP 443."            # general feedback
    tf = bank.question("tf")
    assert tf.prompt == "The DNS protocol can use UDP." and tf.key == "true"
    assert tf.explanation == "Correct answer: True"                   # no feedback: the key in words
    primes = bank.question("primes")
    assert primes.type == "multiple" and primes.choose == 2 and primes.key == ("o1", "o2")
    ports = bank.question("ports")
    assert ports.type == "matching" and [t.text for t in ports.targets] == ["SSH", "RDP", "DNS"]
    assert [o.text for o in ports.options] == ["22", "3389", "53", "25"]   # "= -> 25" is a distractor
    assert ports.key == {"t1": "o1", "t2": "o2", "t3": "o3"}
    esc = bank.question("esc")
    assert esc.prompt == "Literal {braces}, a tilde ~, = equals, a # hash and a colon: here."
    assert esc.skill == "Storage"
    assert bank.question("q6").prompt == "Paris is the capital of _____ in Europe."
    assert bank.question("Port-question-2").key == "false"
    assert bank.skill_areas == ("DNS", "Storage")


def test_imported_gift_bank_runs_as_an_exam():
    bank = parse_gift(GOOD, "net.gift", bank_id="net-quiz", title="Net quiz", duration_minutes=12)
    assert (bank.id, bank.title, bank.duration_minutes) == ("net-quiz", "Net quiz", 12)
    s = ExamSession(bank, clock=FakeClock())
    s.start()
    s.answer("primes", ["o1", "o2"])
    s.answer("ports", {"t1": "o1", "t2": "o2", "t3": "o3"})
    r = s.submit()
    assert r.earned == 2 and r.possible == 7


def test_mixed_types_import_what_can_be_scored_and_name_what_is_skipped():
    from proctorprep.exam.formats.gift import import_gift

    text = ("::num:: How many? {#3}\n\n"
            "::sa:: Name the protocol. {=HTTP =http}\n\n"
            "::essay:: Describe DNS. {}\n\n"
            "A description with no answers.\n\n"
            "::ok:: Pick one {=a ~b}\n")
    imported = import_gift(text, "odd.gift")
    bank = imported.bank
    assert [(q.id, q.type) for q in bank.questions] == [
        ("num", "numeric"), ("sa", "short_answer"), ("q4", "info"), ("ok", "single")]
    assert bank.question("sa").key == ("HTTP",)          # "=HTTP =http" is one answer: case is ignored
    assert bank.question("num").key == ((3.0, 0.0),)
    assert [str(p) for p in imported.skipped] == [
        "odd.gift:5: question essay: skipped: an essay question ({}) cannot be scored"]


def test_broken_questions_still_refuse_the_file_with_their_lines():
    text = "::ok:: Fine {=a ~b}\n\n::open:: Never closed {=a ~b\n\n::n:: Number {#lots}\n"
    with pytest.raises(BankError) as info:
        parse_gift(text, "bad.gift")
    assert [str(p) for p in info.value.problems] == [
        "bad.gift:3: question open: opens an answer block with '{' but never closes it with '}'",
        "bad.gift:5: question n: numeric answer 'lots' is not a number, value:tolerance or min..max",
    ]


def test_gift_problems_found_by_the_bank_validator_also_name_the_line():
    text = "::a:: One {=x ~y}\n\n// comment\n::b:: Two {~%50%x ~%50%y}\n"
    with pytest.raises(BankError) as info:
        parse_gift(text, "all-right.gift")
    assert str(info.value) == ("all-right.gift:4: question b: field choose: choose 2 of 2 options leaves nothing "
                               "to get wrong")


def test_choice_with_two_right_answers_and_no_weights_is_explained():
    with pytest.raises(BankError, match=r"x.gift:1: question q1: has 2 answers marked '=': .*~%50%"):
        parse_gift("Pick {=a =b ~c}", "x.gift")


def test_empty_gift_file():
    with pytest.raises(BankError, match="contains no questions"):
        parse_gift("// nothing here\n\n", "empty.gift")


def test_gift_files_load_by_suffix(tmp_path):
    f = tmp_path / "my_quiz.gift"
    f.write_text(GOOD, encoding="utf-8")
    bank = load_bank(f)
    assert bank.id == "my_quiz" and bank.title == "my quiz"
    assert bank.source == str(f)
