"""The check-in in the session record and the HTML/PDF/JSON report, and `proctorprep checkin` on files."""

from __future__ import annotations

import json
from importlib import resources

import cv2
import jsonschema
import pytest

from proctorprep.checkin.run import Checkin
from proctorprep.cli import main
from proctorprep.journal.record import SessionKind, SessionRecord, open_journal
from proctorprep.report.html import render_html
from proctorprep.report.json_report import report_to_json
from proctorprep.report.model import build_report
from proctorprep.report.pdf import render_pdf_bytes
from tests.fixtures import id_card as idc
from tests.fixtures.face_render import _photo, render_face


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """An exam session whose check-in kept the headshot, skipped the ID and found notes on the desk."""
    from tests.test_checkin_photos import _MODELS

    ck = Checkin("Eileen Collins", models=_MODELS)
    ck.judge("headshot", render_face(), keep=True)
    ck.skip("id")
    ck.confirm(["no_phone", "no_watch"])
    record = SessionRecord.new(SessionKind.EXAM, "standard", exam_id="x", exam_title="Check-in exam",
                               checkin=ck.result().to_dict())
    root = tmp_path_factory.mktemp("checkin") / "sessions"
    journal = open_journal(root, record)
    ck.write_kept(journal.session_dir)
    journal.finish({}, status="complete")
    journal.close()
    return journal.session_dir


def test_the_json_report_has_each_verdict_and_never_a_photo(session) -> None:
    doc = report_to_json(build_report(session))
    schema = json.loads((resources.files("proctorprep") / "schema" / "report.schema.json").read_text())
    jsonschema.validate(doc, schema)
    c = doc["checkin"]
    photos = {p["kind"]: p for p in c["photos"]}
    assert photos["headshot"]["passed"] and photos["headshot"]["kept"]
    assert photos["id"]["skipped"] and not photos["id"]["kept"]
    assert {v["check"] for v in photos["headshot"]["verdicts"]} >= {"one_face", "sharp", "forehead"}
    assert [i["confirmed"] for i in c["confirmed"] if i["key"] == "no_phone"] == [True]
    assert all(i["seen"] is False for i in c["confirmed"]) and c["passed"] is False
    assert "base64" not in json.dumps(doc) and "jpeg" not in json.dumps(doc).lower()


def test_html_and_pdf_show_the_check_in_and_say_confirmed_not_seen(session, tmp_path) -> None:
    report = build_report(session)
    html = render_html(report)
    assert "The check-in" in html and "Confirmed by you, not seen" in html
    assert html.count('class="snap"') == 1                      # only the headshot, which was kept
    assert "Not confirmed: My phone" not in html and "Not confirmed: I wear no headphones" in html
    pdf = render_pdf_bytes(report)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_a_record_cannot_point_the_report_at_another_file(tmp_path) -> None:
    from proctorprep.report.checkin import checkin_section

    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"x")
    data = {"photos": [{"kind": "headshot", "verdicts": [], "kept_as": "../secret.jpg"}], "confirmed": []}
    section = checkin_section(data, tmp_path / "session")
    assert section is not None and section.photos[0].jpeg is None


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    cv2.imwrite(str(d / "head.png"), render_face())
    cv2.imwrite(str(d / "id.png"), idc.held_card(idc.card("Eileen Collins", _photo("astronaut"))))
    cv2.imwrite(str(d / "desk.png"), idc.desk(text=False))
    cv2.imwrite(str(d / "notes.png"), idc.desk(text=True))
    (d / "broken.png").write_bytes(b"not a picture")
    return d


@pytest.mark.slow
def test_cli_exit_codes_and_json(files, capsys) -> None:
    out = files / "v.json"
    rc = main(["checkin", "--headshot", str(files / "head.png"), "--id", str(files / "id.png"),
               "--workspace", str(files / "desk.png"), "--name", "Eileen Collins", "--json", str(out)])
    text = capsys.readouterr().out
    assert rc == 0, text
    assert "PASS  Headshot" in text and "PASS  ID photo" in text
    doc = json.loads(out.read_text())
    assert doc["passed"] and (out.stat().st_mode & 0o777) == 0o600
    rc = main(["checkin", "--headshot", str(files / "head.png"), "--id", str(files / "id.png"),
               "--workspace", str(files / "notes.png"), "--name", "Grace Hopper"])
    text = capsys.readouterr().out
    assert rc == 1 and "FAIL  ID photo" in text and "FAIL  Workspace, front" in text and "fix:" in text


def test_cli_bad_input_is_one_line_and_exit_2(files, capsys) -> None:
    head = str(files / "head.png")
    cases = [
        (["--headshot", str(files / "missing.png"), "--id", head], "no such file"),
        (["--headshot", head, "--id", str(files / "broken.png")], "not a picture"),
        (["--headshot", head, "--id", head] + ["--workspace", head] * 5, "at most 4"),
        (["--headshot", head, "--id", head, "--json", head], "input of this command"),
    ]
    for args, words in cases:
        assert main(["checkin", *args]) == 2
        err = capsys.readouterr().err.strip()
        assert words in err and len(err.splitlines()) == 1, err


@pytest.mark.slow
def test_an_exam_after_the_check_in_keeps_the_chosen_photo_and_watches_the_face(tmp_path) -> None:
    """LiveSession.open_parts: the record holds the check-in, the kept headshot is in the session's folder (0600),
    the ID (not kept) is not, and the pipeline compares faces with the headshot."""
    from proctorprep.session.live import LiveSession, SessionSetup
    from proctorprep.settings import Settings
    from tests.test_checkin_photos import _MODELS
    from tests.test_exam_fixtures import sample_bank

    live = LiveSession(SessionSetup(), Settings(candidate_name="Eileen Collins"), tmp_path / "sessions")
    ck = live.begin_checkin()
    ck.models = _MODELS
    ck.judge("headshot", render_face(), keep=True)
    ck.judge("id", idc.held_card(idc.card("Eileen Collins", _photo("astronaut"))))
    record, journal, pipeline = live.open_parts(sample_bank(), face=None, audio=None, has_audio=False)
    try:
        assert record.checkin is not None and pipeline.identity is not None
        files = {p.name: p.stat().st_mode & 0o777 for p in journal.session_dir.iterdir() if p.suffix == ".jpg"}
        assert files == {"checkin-headshot.jpg": 0o600}
    finally:
        journal.close()
