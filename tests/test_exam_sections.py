"""Bank-level sections (issue 21): parts of the exam that cannot be reopened once left, as on Microsoft's exams with
several sections — validated with precise errors, in the schema, round-tripped, and honoured by a scripted exam
(order, shuffling within a section, no going back, no jumping ahead, review rows, the journal's events)."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from proctorprep.exam import BankError, ExamSession, load_bundled
from proctorprep.exam.formats.json_bank import bank_to_dict
from proctorprep.exam.validate import build_bank
from tests.test_exam_fixtures import FakeClock, sample_data

SCHEMA = json.loads(resources.files("proctorprep").joinpath("schema", "question-bank.schema.json").read_text())
SECTIONS = [{"id": "core", "title": "Part 1: Core", "questions": ["s1", "m1", "y1", "s2"]},
            {"id": "more", "title": "Part 2: Case study and lists", "questions": ["o1", "x1", "cs1"]}]


def sectioned(sections=None) -> dict:
    data = sample_data()
    data["sections"] = SECTIONS if sections is None else sections
    return data


def problems_of(data) -> list[str]:
    with pytest.raises(BankError) as info:
        build_bank(data, "bank.json")
    return [str(p) for p in info.value.problems]


def test_sections_order_the_bank_and_pass_the_schema_and_round_trip():
    data = sectioned()
    jsonschema.validate(data, SCHEMA)
    bank = build_bank(data, "bank.json")
    assert [q.id for q in bank.questions] == ["s1", "m1", "y1", "s2", "o1", "x1", "c1", "c2"]
    assert [(s.id, s.question_ids) for s in bank.sections] == [
        ("core", ("s1", "m1", "y1", "s2")), ("more", ("o1", "x1", "c1", "c2"))]
    assert bank.section_of("c2").id == "more"
    again = build_bank(bank_to_dict(bank), "bank.json")
    assert again.sections == bank.sections and [q.id for q in again.questions] == [q.id for q in bank.questions]


def test_every_section_mistake_is_named_precisely():
    assert problems_of(sectioned([
        {"id": "a", "title": "A", "questions": ["s1", "c1", "nope", 7]},
        {"id": "a", "title": "B", "questions": ["s1", "m1"], "locks": True},
        {"id": "c", "title": "", "questions": []},
    ])) == [
        "bank.json: field sections[0].questions[1]: 'c1' belongs to 'cs1': list 'cs1' itself (a case study or series "
        "stays in one section)",
        "bank.json: field sections[0].questions[2]: names 'nope', which is not a question, case study or series of "
        "this bank",
        "bank.json: field sections[0].questions[3]: must be the id of a question, case study or series, not a number",
        "bank.json: field sections[1].locks: is not a known field (allowed: id, questions, title)",
        "bank.json: field sections[1].id: duplicate section id 'a'",
        "bank.json: field sections[1].questions[0]: 's1' is already in section 'a': each question is in one section",
        "bank.json: field sections[2].title: must not be empty",
        "bank.json: field sections[2].questions: must list at least 1, found 0",
    ]
    assert problems_of(sectioned([{"id": "a", "title": "A", "questions": ["s1"]},
                                  {"id": "b", "title": "B", "questions": ["m1", "cs1"]}])) == [
        "bank.json: field sections: 'y1', 'o1', 'x1', 's2' are in no section: with sections, every question, case "
        "study and series is in one"]
    assert problems_of(sectioned([{"id": "a", "title": "A", "questions": ["s1"]}])) == [
        "bank.json: field sections: must be a list of 2 to 20 {id, title, questions} objects (one section is no "
        "section: leave the field out)"]


def test_a_scripted_exam_goes_section_by_section_and_never_back():
    clock, events = FakeClock(), []
    s = ExamSession(build_bank(sectioned(), "bank.json"), clock=clock, shuffle_seed=11,
                    listener=lambda k, d: events.append((k, d)))
    s.start()
    first = {q.id for q in s.questions[:4]}
    assert first == {"s1", "m1", "y1", "s2"}                      # shuffled, but only inside its section
    later = [q.id for q in s.questions[4:]]
    assert set(later) == {"o1", "x1", "c1", "c2"} and abs(later.index("c1") - later.index("c2")) == 1
    assert s.current_section().id == "core" and s.next_section_start() == 4
    assert s.goto(3) and s.goto(1)                                # anywhere within the section
    assert not s.can_goto(5) and not s.goto(6)                    # never ahead into the next section's middle
    assert s.leaving_section(2) is None and s.leaving_section(4).id == "core"
    s.answer(s.current.question.id, None)
    assert s.goto(3) and s.next()                                 # from its last question, on to the next one
    assert s.index == 4 and s.current_section().id == "more" and s.next_section_start() is None
    assert [d for k, d in events if k == "section_locked"] == [
        {"t_s": 0.0, "section_id": "core", "title": "Part 1: Core", "number": 1, "of": 2}]
    for i in range(4):                                            # part 1 is locked for good
        assert not s.can_goto(i) and s.view(i).locked
        assert not s.answer(s.questions[i].id, None) and not s.mark(s.questions[i].id)
    assert not s.prev()
    rows = s.review()
    assert [(r.section, r.locked, r.ahead) for r in rows[:1] + rows[4:5]] == [
        ("Part 1: Core", True, False), ("Part 2: Case study and lists", False, False)]
    r = s.submit()
    assert len(r.rows) == 8                                       # every section is scored


def test_review_rows_say_which_section_is_not_open_yet_and_rounds_have_no_sections():
    bank = build_bank(sectioned(), "bank.json")
    s = ExamSession(bank, clock=FakeClock())
    s.start()
    rows = s.review()
    assert [r.ahead for r in rows] == [False] * 4 + [True] * 4
    assert ExamSession.quick_round(bank, count=3, seed=2).sections == ()
    quick = ExamSession(bank, question_ids=["o1", "s1"], timed=False)
    quick.start()
    assert quick.goto(1) and quick.goto(0) and quick.sections == ()


def test_the_lab_bank_has_two_sections_and_its_series_is_the_second():
    lab = load_bundled("cloud-operations-lab")
    assert [s.id for s in lab.sections] == ["part-1", "part-2"]
    assert lab.sections[1].question_ids == lab.series["ps-latency"].question_ids
    assert [q.id for q in lab.questions][-3:] == list(lab.series["ps-latency"].question_ids)


def test_a_break_after_every_question_of_a_section_was_seen_goes_on_in_the_next_section():
    """Breaks (engineer 19's) and sections together: the questions seen lock at the break; if that is all of the
    section, the exam goes on at the next section's first question and the section is left as Next leaves it."""
    data = sectioned()
    data["breaks"] = True
    clock, events = FakeClock(), []
    s = ExamSession(build_bank(data, "bank.json"), clock=clock, listener=lambda k, d: events.append((k, d)))
    s.start()
    for i in range(4):
        assert s.goto(i)
    assert s.take_break() and not s.can_goto(0)
    clock.advance(60)
    assert s.end_break()
    assert s.index == 4 and s.current_section().id == "more"
    assert [d["section_id"] for k, d in events if k == "section_locked"] == ["core"]
    assert not s.can_goto(0) and s.view(0).locked and s.next_section_start() is None
    s2 = ExamSession(build_bank(data, "bank.json"), clock=FakeClock())
    s2.start()
    assert s2.goto(1) and s2.take_break() and s2.end_break()
    assert s2.index == 2 and s2.current_section().id == "core"        # unseen questions left in the section
    assert not s2.can_goto(0) and s2.can_goto(3)
