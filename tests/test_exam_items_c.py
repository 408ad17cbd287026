"""The exam's item types of issue 21 C, in the model: hot area in text (drop-downs) and on a picture, drag and drop,
active screen and the problem-solution series — each all right, all wrong and partial by its stated rule, the
validator's precise errors, the series locking once left, and the bundled lab bank with its pictures."""

from __future__ import annotations

import copy
import json
import shutil
from importlib import resources

import pytest

from proctorprep.exam import BankError, ExamSession
from proctorprep.exam.catalog import install_bank, load_bank, load_bundled
from proctorprep.exam.formats.json_bank import bank_to_dict
from proctorprep.exam.scoring import correct_answer, credit, normalize_response
from proctorprep.exam.validate import build_bank
from tests.test_exam_fixtures import FakeClock

LAB = resources.files("proctorprep.assets").joinpath("exams", "cloud-operations-lab.json")
DATA = json.loads(LAB.read_text(encoding="utf-8"))


def entry(qid: str) -> dict:
    return copy.deepcopy(next(e for e in DATA["questions"] if e["id"] == qid))


def bank_of(*entries: dict):
    return build_bank({"id": "t", "title": "t", "duration_minutes": 5, "questions": list(entries)}, "t.json")


def problems(*entries: dict) -> list[str]:
    with pytest.raises(BankError) as info:
        bank_of(*entries)
    return [str(p) for p in info.value.problems]


def score(q, response) -> float:
    return float(credit(q, normalize_response(q, response))) if response is not None else 0.0


def test_dropdown_right_wrong_partial_and_errors():
    q = bank_of(entry("cmd-resize")).question("cmd-resize")
    assert q.detail.code and [b for b, _ in q.detail.blanks] == ["verb", "size"]
    assert score(q, {"verb": "resize", "size": "d2s"}) == 1.0
    assert score(q, {"verb": "create", "size": "b2s"}) == 0.0
    assert score(q, {"verb": "resize", "size": "b2s"}) == 0.5 and score(q, {"verb": "resize"}) == 0.5
    bad = entry("cmd-resize")
    bad["template"] = "cloudctl vm [[verb]] --size [[sise]]"
    assert problems(bad) == ["t.json: question cmd-resize: field template: has [[sise]] but no blank with that id "
                             "(blanks: verb, size)"]
    bad = entry("cmd-resize")
    bad["answer"]["size"] = "xl"
    assert problems(bad) == ["t.json: question cmd-resize: field answer.size: blank 'size' must be keyed to one of "
                             "its options (b2s, d2s, e4s), not 'xl'"]


def test_hot_area_right_wrong_partial_and_errors():
    one = bank_of(entry("portal-nsg")).question("portal-nsg")
    assert one.choose == 1 and one.detail.at(50, 150).id == "networking" and one.detail.at(300, 300) is None
    assert score(one, ["networking"]) == 1.0 and score(one, ["disks"]) == 0.0
    two = bank_of(entry("portal-two")).question("portal-two")
    assert score(two, ["activity", "backup"]) == 1.0 and score(two, ["activity", "tags"]) == 0.5
    assert score(two, ["tags", "disks"]) == 0.0
    from proctorprep.exam.errors import ResponseError

    with pytest.raises(ResponseError, match="at most 2"):
        normalize_response(two, ["activity", "backup", "tags"])
    bad = entry("portal-nsg")
    bad["regions"][0]["w"] = 3
    bad["answer"] = ["nowhere"]
    del bad["image"]
    found = problems(bad)
    assert "t.json: question portal-nsg: field image: is missing (a hot area is clicked on an image from the " \
           "bank's folder)" in found
    assert "t.json: question portal-nsg: field regions[0].w: must be between 8 and 4096, not 3" in found


def test_drag_drop_reuse_rule_and_credit():
    once = bank_of(entry("drag-services")).question("drag-services")
    assert score(once, {"files": "blob", "orders": "queue", "ledger": "sql"}) == 1.0
    assert score(once, {"files": "cdn"}) == 0.0
    assert score(once, {"files": "blob", "orders": "sql"}) == pytest.approx(1 / 3)
    from proctorprep.exam.errors import ResponseError

    with pytest.raises(ResponseError, match="each tile may be dropped once"):
        normalize_response(once, {"files": "blob", "orders": "blob"})
    reuse = bank_of(entry("drag-ports")).question("drag-ports")
    assert score(reuse, {"web": "p443", "admin": "p22", "api": "p443"}) == 1.0
    bad = entry("drag-ports")
    del bad["reuse"]
    assert problems(bad) == ["t.json: question drag-ports: field answer: uses tile(s) 'p443' for more than one "
                             "target; say \"reuse\": true if a tile may be dropped on several targets"]


def test_active_screen_counts_only_the_required_settings():
    q = bank_of(entry("screen-backup")).question("screen-backup")
    right = {"enabled": True, "frequency": "daily", "retention": 30, "redundancy": "geo"}
    assert score(q, right) == 1.0
    assert score(q, {**right, "name": "Mine"}) == 1.0                      # an unscored control is free
    assert score(q, {"enabled": True, "frequency": "daily"}) == 0.5
    assert normalize_response(q, {"enabled": False, "retention": 7}) is None   # the starting state: no answer
    assert score(q, {"frequency": "monthly"}) == 0.0
    assert correct_answer(q) == right
    bad = entry("screen-backup")
    bad["controls"][2]["initial"] = 999
    bad["answer"]["frequency"] = "hourly"
    assert problems(bad) == [
        "t.json: question screen-backup: field controls[2].initial: is not a valid starting value for this number "
        "control: 999"]
    bad = entry("screen-backup")
    bad["answer"] = {"enabled": False}
    assert problems(bad) == ["t.json: question screen-backup: field answer: every keyed control already starts at "
                             "its right value: nothing to change"]


def test_problem_solution_series_locks_each_solution_once_left():
    b = bank_of(entry("ps-latency"), entry("short-protocol"))
    series = b.series["ps-latency"]
    assert series.question_ids == ("ps-latency-cdn", "ps-latency-size", "ps-latency-lb")
    assert [b.question(i).key for i in series.question_ids] == [True, False, False]
    s = ExamSession(b, clock=FakeClock(), shuffle_seed=9)
    s.start()
    order = [q.id for q in s.questions]
    start = order.index("ps-latency-cdn")
    assert order[start:start + 3] == list(series.question_ids)           # kept together, in order, when shuffled
    assert s.goto(start) and s.view().series is series
    assert s.answer("ps-latency-cdn", True) and s.next()
    assert s.view(start).locked and not s.answer("ps-latency-cdn", False) and not s.goto(start)
    assert s.response("ps-latency-cdn") is True                         # kept as answered
    assert s.answer("ps-latency-size", True)                            # wrong, and then locked too
    s.next()
    r = s.submit()
    assert {x.qid: x.credit for x in r.rows if x.qid.startswith("ps-")} == {
        "ps-latency-cdn": 1.0, "ps-latency-size": 0.0, "ps-latency-lb": 0.0}
    lone = {"id": "x", "type": "solution", "skill": "S", "prompt": "p", "explanation": "e"}
    assert problems(lone) == ['t.json: question x: field type: is written inside a "series" entry (scenario, goal, '
                              'solutions), not on its own']
    bad = entry("ps-latency")
    bad["solutions"][1]["answer"] = "no"
    assert problems(bad) == ["t.json: question ps-latency-size: field answer: must be true (the solution meets the "
                             "goal) or false, not text"]


def test_lab_bank_round_trips_and_scores_1000(tmp_path):
    lab = load_bundled("cloud-operations-lab")
    assert {q.type for q in lab.questions} >= {"dropdown", "hot_area", "drag_drop", "active_screen", "solution",
                                               "short_answer", "numeric", "info", "single", "multiple", "yesno",
                                               "order", "matching"}
    assert lab.assets is not None and len(lab.references) == 2
    assert any(o.image for q in lab.questions for o in q.options) and lab.question("diagram-peering").image
    again = build_bank(bank_to_dict(lab), "again.json")
    assert again.questions == lab.questions and again.series == lab.series and again.references == lab.references
    dest = install_bank(lab_copy(lab), tmp_path / "exams")
    installed = load_bank(dest)
    assert installed.assets is not None and installed.assets.names() == lab.assets.names()
    assert (dest.with_suffix("") / "img" / "portal.png").stat().st_mode & 0o777 == 0o600


def lab_copy(lab):
    import dataclasses

    return dataclasses.replace(lab, id="my-lab")


def test_files_are_checked_with_the_bank(tmp_path):
    src = resources.files("proctorprep.assets").joinpath("exams")
    shutil.copy(src / "cloud-operations-lab.json", tmp_path / "lab.json")
    with pytest.raises(BankError, match="names pictures or reference pages, but there is no folder lab/ or zip"):
        load_bank(tmp_path / "lab.json")
    shutil.copytree(src / "cloud-operations-lab", tmp_path / "lab")
    (tmp_path / "lab" / "img" / "network.png").write_bytes(b"not a picture")
    (tmp_path / "lab" / "ref" / "ports.md").unlink()
    data = json.loads((tmp_path / "lab.json").read_text())
    hot = next(e for e in data["questions"] if e["id"] == "portal-nsg")
    hot["regions"][6]["y"] = 370
    (tmp_path / "lab.json").write_text(json.dumps(data))
    with pytest.raises(BankError) as info:
        load_bank(tmp_path / "lab.json")
    text = [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems]
    assert text == [
        "lab.json: question portal-nsg: field regions[6]: reaches beyond the 600x380 picture img/portal.png",
        "lab.json: question diagram-peering: field image: 'img/network.png' is named .png but its bytes are not an "
        "image",
        "lab.json: field references[1].file: 'ref/ports.md' does not exist in lab",
    ]


def test_cli_import_of_a_bank_with_a_zip_of_files(tmp_path, capsys):
    import zipfile

    from proctorprep.cli import main
    from proctorprep.paths import user_exams_dir

    src = resources.files("proctorprep.assets").joinpath("exams")
    data = json.loads((src / "cloud-operations-lab.json").read_text())
    data["id"] = "zipped-lab"
    (tmp_path / "zipped.json").write_text(json.dumps(data))
    with zipfile.ZipFile(tmp_path / "zipped.zip", "w") as z:
        for f in (src / "cloud-operations-lab").rglob("*"):
            if f.is_file():
                z.write(f, f.relative_to(src / "cloud-operations-lab").as_posix())
    assert main(["exams", "import", str(tmp_path / "zipped.json")]) == 0
    stored = user_exams_dir() / "zipped-lab.json"
    assert (user_exams_dir() / "zipped-lab" / "img" / "portal.png").is_file()
    bank = load_bank(stored)
    assert bank.assets is not None and len(bank.references) == 2
    assert main(["exams", "validate", str(stored)]) == 0
