"""Validation of question banks: every broken case gives its precise message (file, question id, field), all
problems come at once, hostile files are refused before parsing, and every bundled bank validates."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from proctorprep.exam import BankError, bundled_banks, load_bank, load_bundled
from proctorprep.exam.formats.json_bank import bank_to_dict, parse_json_bank
from proctorprep.exam.formats.limits import MAX_BANK_BYTES, MAX_DEPTH
from proctorprep.exam.validate import build_bank
from proctorprep.exam.scoring import correct_answer
from tests.test_exam_fixtures import sample_data, write_json

SCHEMA = json.loads(resources.files("proctorprep").joinpath("schema", "question-bank.schema.json").read_text())


def problems_of(data, name="bank.json") -> list[str]:
    with pytest.raises(BankError) as info:
        build_bank(data, name)
    return [str(p) for p in info.value.problems]


def q(data, qid):
    for entry in data["questions"]:
        if entry["id"] == qid:
            return entry
        for inner in entry.get("questions", []):
            if inner["id"] == qid:
                return inner
    raise KeyError(qid)


def test_the_sample_bank_is_valid_for_the_validator_and_the_schema():
    data = sample_data()
    bank = build_bank(data, "bank.json")
    assert bank.question_count == 8 and list(bank.case_studies) == ["cs1"]
    jsonschema.validate(data, SCHEMA)


def test_bad_json_names_line_and_column(tmp_path):
    f = tmp_path / "broken.json"
    f.write_text('{\n  "id": "x",\n  "title": ,\n}')
    with pytest.raises(BankError) as info:
        load_bank(f)
    assert str(info.value) == f"{f}:3:12: is not valid JSON: Expecting value"


def test_missing_fields_each_named():
    data = sample_data()
    del q(data, "s1")["prompt"]
    del q(data, "m1")["explanation"]
    del data["duration_minutes"]
    assert problems_of(data) == [
        "bank.json: field duration_minutes: is missing",
        "bank.json: question s1: field prompt: is missing",
        "bank.json: question m1: field explanation: is missing",
    ]


def test_wrong_types_each_named():
    data = sample_data()
    data["duration_minutes"] = "60"
    q(data, "m1")["choose"] = True
    q(data, "y1")["statements"][1]["answer"] = "no"
    q(data, "s2")["options"] = "a, b"
    assert problems_of(data) == [
        "bank.json: field duration_minutes: must be a whole number, not text",
        "bank.json: question m1: field choose: must be a whole number, not true/false",
        "bank.json: question y1: field statements[1].answer: must be true or false, not text",
        "bank.json: question s2: field options: must be a list, not text",
    ]


def test_duplicate_ids_across_questions_and_case_studies():
    data = sample_data()
    q(data, "c2")["id"] = "s1"
    q(data, "o1")["options"][1]["id"] = "a"
    assert problems_of(data) == [
        "bank.json: question o1: field options[1].id: duplicate id 'a'",
        "bank.json: question s1: field id: duplicate id 's1' (ids must be unique in the bank, case studies included)",
    ]


def test_answer_key_pointing_nowhere():
    data = sample_data()
    q(data, "s1")["answer"] = "z"
    q(data, "o1")["answer"] = ["b", "q"]
    q(data, "x1")["answer"] = {"t1": "p22", "t2": "p3389", "t3": "p53", "t9": "p389"}
    assert problems_of(data) == [
        "bank.json: question s1: field answer: points to option 'z', which does not exist (options: a, b, c)",
        "bank.json: question o1: field answer[1]: points to option 'q', which does not exist (options: a, b, c, d)",
        "bank.json: question x1: field answer.t9: names target 't9', which does not exist (targets: t1, t2, t3, t4)",
        "bank.json: question x1: field answer: has no option for target 't4'",
    ]


def test_multiple_response_count_must_match_the_key():
    data = sample_data()
    q(data, "m1")["choose"] = 3
    assert problems_of(data) == [
        "bank.json: question m1: field choose: says choose 3 but the answer key lists 2 option(s)"]


def test_empty_options_and_empty_texts():
    data = sample_data()
    q(data, "s1")["options"] = []
    q(data, "s2")["options"][0]["text"] = "   "
    q(data, "y1")["statements"] = []
    assert problems_of(data) == [
        "bank.json: question s1: field options: must list at least 2, found 0",
        "bank.json: question y1: field statements: must list at least 1, found 0",
        "bank.json: question s2: field options[0].text: must not be empty",
    ]


def test_unknown_type_and_unknown_field():
    data = sample_data()
    q(data, "s1")["type"] = "hotspot"
    q(data, "s2")["explaination"] = "typo"
    found = problems_of(data)
    assert found[0] == ("bank.json: question s1: field type: unknown type 'hotspot' (known: single, multiple, "
                        "yesno, order, matching, short_answer, numeric, info, dropdown, hot_area, drag_drop, active_screen, "
                        "solution, case_study, series)")
    assert found[1].startswith("bank.json: question s2: field explaination: is not a known field (allowed: ")


def test_case_study_rules():
    data = sample_data()
    case = q(data, "cs1")
    case["tabs"] = []
    case["questions"].append({"id": "inner", "type": "case_study", "title": "x", "tabs": [], "questions": []})
    assert problems_of(data) == [
        "bank.json: question cs1: field tabs: must list at least 1, found 0",
        "bank.json: question inner: field type: a case study cannot contain another case study",
    ]


def test_skill_must_be_a_declared_skill_area():
    data = sample_data()
    q(data, "s1")["skill"] = "Cooking"
    assert problems_of(data) == ["bank.json: question s1: field skill: skill 'Cooking' is not one of the bank's "
                                 "skill_areas"]


def test_every_problem_is_reported_at_once():
    data = sample_data()
    data["id"] = "has spaces"
    q(data, "s1")["answer"] = "z"
    q(data, "m1")["choose"] = 1
    q(data, "y1")["statements"][0]["answer"] = None
    q(data, "c1")["prompt"] = ""
    q(data, "s2")["id"] = "o1"
    found = problems_of(data)
    assert len(found) == 6
    for needle in ("field id: must be 1-64", "question s1: field answer", "question m1: field choose",
                   "question y1: field statements[0].answer", "question c1: field prompt",
                   "question o1: field id: duplicate"):
        assert any(needle in p for p in found), needle


def test_not_an_object_nan_and_newer_versions():
    assert problems_of([1, 2]) == ["bank.json: the bank must be a JSON object, not a list"]
    with pytest.raises(BankError, match="NaN is not allowed"):
        parse_json_bank('{"id": NaN}', "bank.json")
    data = sample_data()
    data["version"] = 2
    assert problems_of(data) == ["bank.json: field version: is 2: this bank was written for a newer proctorprep "
                                 "(this one reads version 1)"]


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "huge.json"
    with big.open("wb") as fh:            # sparse: costs no disk and no time
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(BankError) as info:
        load_bank(big)
    assert str(info.value) == f"{big}: is 52.4 MB; question banks are limited to 5 MiB"
    assert MAX_BANK_BYTES == 5 * 1024 * 1024


def test_deep_nesting_is_refused_without_recursion_error(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"id": "x",\n"questions": ' + "[" * 200_000 + "]" * 200_000 + "}")
    with pytest.raises(BankError) as info:
        load_bank(deep)
    assert str(info.value) == f"{deep}:2: is nested more than {MAX_DEPTH} levels deep; a question bank never needs that"
    # brackets inside text do not count
    data = sample_data()
    q(data, "s1")["prompt"] = "[" * 500 + " {{{ "
    assert build_bank(json.loads(json.dumps(data)), "x").question("s1").prompt.startswith("[[[")
    parse_json_bank(json.dumps(data), "x")


def test_non_utf8_missing_and_directory(tmp_path):
    f = tmp_path / "latin1.json"
    f.write_bytes(b'{"id": "x",\n"title": "caf\xe9"}')
    with pytest.raises(BankError, match=r"latin1.json:2: is not UTF-8 text \(bad byte 0xe9\)"):
        load_bank(f)
    with pytest.raises(BankError, match="does not exist"):
        load_bank(tmp_path / "nope.json")
    with pytest.raises(BankError, match="is not a file"):
        load_bank(tmp_path)


def test_html_and_script_in_text_round_trips_unchanged(tmp_path):
    nasty = '<script>alert("x")</script><b onmouseover=steal()>bold</b> &amp; {{ jinja }} \u202e'
    data = sample_data()
    q(data, "s1")["prompt"] = nasty
    q(data, "s1")["options"][0]["text"] = nasty
    q(data, "cs1")["tabs"][0]["text"] = nasty
    q(data, "y1")["explanation"] = nasty
    bank = load_bank(write_json(tmp_path / "html.json", data))
    assert bank.question("s1").prompt == nasty
    assert bank.question("s1").options[0].text == nasty
    assert bank.case_studies["cs1"].tabs[0].text == nasty
    assert bank.question("y1").explanation == nasty
    assert build_bank(json.loads(json.dumps(bank_to_dict(bank))), bank.source) == bank   # stored again: same


def test_bank_to_dict_round_trips_and_matches_the_schema():
    bank = build_bank(sample_data(), "bank.json")
    again = build_bank(bank_to_dict(bank), "bank.json")
    assert again == bank
    jsonschema.validate(bank_to_dict(bank), SCHEMA)


def test_the_schema_rejects_what_the_validator_rejects_structurally():
    data = sample_data()
    q(data, "s1")["type"] = "hotspot"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    data = sample_data()
    del q(data, "m1")["choose"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


BUNDLED = sorted(p.name for p in resources.files("proctorprep.assets").joinpath("exams").iterdir()
                 if p.name.endswith(".json"))


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_bank_validates_against_the_validator_and_the_schema(name):
    f = resources.files("proctorprep.assets").joinpath("exams", name)
    data = json.loads(f.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    bank = load_bank(f)
    assert all(question.explanation.strip() for question in bank.questions if question.scored)
    assert Path(name).stem == bank.id


def test_bundled_banks_meet_the_brief():
    infos = {b.id: b for b in bundled_banks()}
    assert set(infos) == {"windows-server-admin", "cloud-fundamentals", "proctoring-etiquette",
                          "cloud-operations-lab"}
    for bank_id in ("windows-server-admin", "cloud-fundamentals"):
        bank = load_bundled(bank_id)
        assert bank.question_count >= 40 and 45 <= bank.duration_minutes <= 60
        assert len(bank.case_studies) >= 1
        assert {q.type for q in bank.questions} == {"single", "multiple", "yesno", "order", "matching"}
        assert len(bank.skill_areas) >= 4
        assert all(sum(q.skill == s for q in bank.questions) >= 5 for s in bank.skill_areas)
    quiz = load_bundled("proctoring-etiquette")
    assert quiz.question_count >= 15
    text = " ".join(q.prompt + " " + q.explanation for q in quiz.questions).lower()
    for topic in ("aloud", "lips", "screen", "desk", "monitor", "view", "another person", "warning"):
        assert topic in text, topic


def test_bundled_single_choice_answers_are_not_all_in_one_position():
    # a lazy bank puts every right answer first; candidates notice
    for bank_id in ("windows-server-admin", "cloud-fundamentals"):
        bank = load_bundled(bank_id)
        positions = [q.option_ids().index(q.key) for q in bank.questions if q.type == "single"]
        assert max(positions.count(i) for i in set(positions)) / len(positions) < 0.4


@pytest.mark.parametrize("bank_id", ["windows-server-admin", "cloud-fundamentals", "proctoring-etiquette",
                                     "cloud-operations-lab"])
def test_every_bundled_bank_runs_shuffled_and_its_keys_score_1000(bank_id):
    from proctorprep.exam import ExamSession
    from tests.test_exam_fixtures import FakeClock

    bank = load_bundled(bank_id)
    clock = FakeClock()
    s = ExamSession(bank, clock=clock, shuffle_seed=3)
    s.start()
    for i in range(len(s)):
        assert s.goto(i), f"{bank_id}: question {i} unreachable"     # forward only: case studies lock behind
        s.answer(s.current.question.id, correct_answer(s.current.question))
        clock.advance(30)
    result = s.submit()
    assert result.score == 1000 and result.answered == sum(q.scored for q in bank.questions)
    assert [k.skill for k in result.by_skill] == list(bank.skill_areas)
