"""The recipes of docs/architecture.md, followed with the dummies of tests/fixtures/recipes.py: registering is the
only step, and every part of the product that lists incident types, question types or export formats picks the
new one up."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from proctorprep.perception.observations import FaceObservation
from proctorprep.rules.calibration import Calibration
from proctorprep.rules.engine import RuleEngine
from proctorprep.rules.incident_types import UnknownIncidentType, incident_type, registered, type_keys
from tests.fixtures.recipes import DARK, LIGHTS_OFF


def _lit(t: float, brightness: float) -> FaceObservation:
    return FaceObservation(t_s=t, faces=1, trustworthy=True, yaw_deg=0.0, pitch_deg=0.0, roll_deg=0.0, gaze_x=0.0,
                           gaze_y=0.0, eyes_open=0.3, mouth_open=0.02, face_x=0.5, face_y=0.5, face_size=0.25,
                           brightness=brightness, frame_size=(640, 480))


def test_a_registered_incident_type_is_detected_stamped_and_warned_for():
    with registered(LIGHTS_OFF):
        engine = RuleEngine(Calibration(noise_floor_dbfs=-60.0), "standard")
        updates = []
        for k in range(60):                                       # 4 s at 15 fps, dark from 1 s to 3 s
            t = k / 15
            updates += engine.feed_face(_lit(t, 10.0 if 1.0 <= t < 3.0 else 120.0))
        updates += engine.finish(4.0)
        dark = [i for i in engine.incidents() if i.type == DARK]
        assert len(dark) == 1 and dark[0].start_s == pytest.approx(1.0, abs=0.1)
        # what the type means comes from the descriptor, stamped by the engine
        assert dark[0].severity == "warning" and dark[0].advice == LIGHTS_OFF.advice
        opened = next(u.incident for u in updates if u.kind == "opened" and u.incident.type == DARK)

        from proctorprep.rules.policy import ProctorPolicy, summarize

        action = ProctorPolicy("standard").on_incident_opened(opened)
        assert action is not None and action.request == LIGHTS_OFF.request     # the proctor's words, from it
        assert action.message.startswith(LIGHTS_OFF.request)
        assert ProctorPolicy("lenient").on_incident_opened(opened) is None      # warns_in leaves lenient out
        summary = summarize(dark, 4.0, "standard")
        assert summary["by_type"][DARK]["count"] == 1 and "sitting in the dark" in summary["verdict_text"]
    assert DARK not in type_keys()
    with pytest.raises(UnknownIncidentType, match="dummy_lights_off"):
        incident_type(DARK)


def test_a_registered_incident_type_shows_in_every_report_format_chart_streak_and_the_demo(tmp_path):
    from proctorprep.progress.streaks import habit
    from proctorprep.report import charts
    from proctorprep.report.demo import demo_incidents, write_demo_session
    from proctorprep.report.html import render_html
    from proctorprep.report.json_report import report_to_json
    from proctorprep.report.model import build_report
    from proctorprep.report.pdf import render_pdf_bytes

    with registered(LIGHTS_OFF):
        assert demo_incidents()[-1][0] == DARK                      # the demo shows every registered type
        report = build_report(write_demo_session(tmp_path / "sessions", fps=2.0, snapshots=False))
        row = next(r for r in report.incidents if r.type == DARK)
        assert row.label == "Lights off" and row.advice == LIGHTS_OFF.advice
        assert row.explanation == LIGHTS_OFF.example

        html = render_html(report)
        assert "Lights off" in html and "#117733" in html

        doc = report_to_json(report)
        assert [i["type"] for i in doc["incidents"]].count(DARK) == 1
        assert doc["summary"]["by_type"][DARK]["count"] == 1

        scene = charts.incidents_chart(report)
        assert any(isinstance(i, charts.Text) and i.text == "Lights off" for i in scene.items)
        assert any(isinstance(i, charts.Rect) and i.fill == "#117733" for i in scene.items)

        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(render_pdf_bytes(report))
        text = subprocess.run([shutil.which("pdftotext") or "pdftotext", "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True, timeout=60).stdout
        assert "Lights off" in text

        assert habit(DARK) == "keeping your face lit"


def test_a_type_the_code_produces_but_nobody_registered_fails_loudly():
    from proctorprep.rules.engine import _stamped
    from proctorprep.rules.incidents import Incident, IncidentUpdate

    with pytest.raises(UnknownIncidentType, match="register it in proctorprep/rules/incident_types.py"):
        _stamped(IncidentUpdate("opened", Incident("not_registered", 0.0, 1.0)))


def test_registering_refuses_incomplete_or_clashing_descriptors():
    from dataclasses import replace

    from proctorprep.rules.incident_types import IncidentType, register

    with pytest.raises(TypeError):
        IncidentType(key="half", label="Half")                                      # type: ignore[call-arg]
    for bad, why in (({"colour": "green"}, "colour"), ({"severity": "grave"}, "severity"),
                     ({"advice": " "}, "advice is empty"), ({"key": "Lights Off"}, "lower_snake_case"),
                     ({"warns_in": {"gentle"}}, "unknown profiles"), ({"ends_in": {"lenient"}}, "subset"),
                     ({"dwell_threshold": "dark_dwell_s"}, "not a threshold")):
        with pytest.raises(ValueError, match=why):
            replace(LIGHTS_OFF, **bad)
    with pytest.raises(ValueError, match="already registered"):
        register(replace(LIGHTS_OFF, key="talking"))


def test_the_report_schema_lists_exactly_the_registered_types():
    import json
    from importlib import resources

    schema = json.loads((resources.files("proctorprep") / "schema" / "report.schema.json").read_text())
    enum = schema["properties"]["incidents"]["items"]["properties"]["type"]["enum"]
    assert enum == list(type_keys())


def test_no_module_keeps_a_table_of_incident_type_names():
    """The names are spelled in rules/incidents.py (the public vocabulary) and described in the registry; a quoted
    name anywhere else in the package is the start of a per-type table the registry replaced."""
    root = Path(__file__).resolve().parents[1] / "proctorprep"
    offenders = []
    for path in root.rglob("*.py"):
        if path.relative_to(root).as_posix() in ("rules/incidents.py", "rules/incident_types.py"):
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(root)}: {k}" for k in type_keys() if f'"{k}"' in text or f"'{k}'" in text]
    assert offenders == []


# --- recipe 2: a question type -------------------------------------------------------------------------------------

def _number_bank() -> dict:
    return {"format": "proctorprep-question-bank", "version": 1, "id": "numbers", "title": "Numbers",
            "duration_minutes": 5,
            "questions": [
                {"id": "n1", "type": "dummy_number", "skill": "Networking", "prompt": "How many bits in an IPv4 "
                 "address?", "answer": 32, "explanation": "Four octets."},
                {"id": "s1", "type": "single", "skill": "Networking", "prompt": "Which port does HTTPS use?",
                 "options": [{"id": "a", "text": "80"}, {"id": "b", "text": "443"}], "answer": "b",
                 "explanation": "443."}]}


def test_a_registered_question_type_is_validated_scored_saved_and_answered_through_its_widget(qtbot):
    from proctorprep.exam.errors import BankError
    from proctorprep.exam.formats.json_bank import bank_to_dict
    from proctorprep.exam.question_types import registered as question_registered
    from proctorprep.exam.scoring import partial_credit_rule
    from proctorprep.exam.session import ExamSession
    from proctorprep.exam.validate import build_bank
    from proctorprep.ui.widgets.items import make_item_widget, register_widget, unregister_widget, widget_modules
    from tests.fixtures.recipes import NUMBER, NUMBER_WIDGET, number_type

    data = _number_bank()
    with question_registered(number_type()):
        register_widget(NUMBER, NUMBER_WIDGET)
        try:
            bank = build_bank(data, "numbers.json")
            assert bank.question("n1").key == 32
            assert build_bank(bank_to_dict(bank), "numbers.json") == bank
            bad = _number_bank()
            bad["questions"][0]["answer"] = "thirty-two"
            with pytest.raises(BankError, match="question n1: field answer: must be a whole number"):
                build_bank(bad, "bad.json")
            assert "A number earns the item when it is exactly right." in partial_credit_rule()
            assert "tests.fixtures.recipes_ui" in widget_modules()       # the warm-up imports it too
            from proctorprep.exam.answers import answer_text, key_text

            assert key_text(bank.question("n1")) == "32" and answer_text(bank.question("n1"), 7) == "7"

            exam = ExamSession(bank)
            exam.start()
            for i in range(len(exam)):
                view = exam.view(i)
                w = make_item_widget(view)
                qtbot.addWidget(w)
                if view.question.type == NUMBER:
                    w.answer_something()
                    assert w.response() == 3
                    w.set_response(32)
                else:
                    w.set_response("b")
                assert exam.answer(view.question.id, w.response())
            result = exam.submit()
            assert result.score == 1000 and "exactly right" in result.partial_credit_rule
        finally:
            unregister_widget(NUMBER)
    with pytest.raises(BankError, match="unknown type 'dummy_number'"):
        build_bank(data, "numbers.json")


def test_every_registered_question_type_has_a_widget_the_tour_can_answer():
    from proctorprep.exam.question_types import type_keys as question_keys
    from proctorprep.ui.widgets.items import widget_class
    from proctorprep.ui.widgets.items.base import ItemWidget

    for key in question_keys():
        cls = widget_class(key)
        assert issubclass(cls, ItemWidget), key
        assert cls.answer_something is not ItemWidget.answer_something, key


def test_the_bank_schema_describes_exactly_the_registered_question_types():
    import json
    from importlib import resources

    from proctorprep.exam.question_types import type_keys as question_keys

    schema = json.loads((resources.files("proctorprep") / "schema" / "question-bank.schema.json").read_text())
    refs = [r["$ref"].rsplit("/", 1)[-1] for r in schema["$defs"]["question"]["oneOf"]]
    assert refs == list(question_keys())
    assert all(schema["$defs"][k]["properties"]["type"] == {"const": k} for k in refs)


# --- recipe 3: an export format ------------------------------------------------------------------------------------

def test_a_registered_export_format_is_written_by_every_export_path(tmp_path, monkeypatch, capsys):
    import stat

    from proctorprep.cli import main
    from proctorprep.report.demo import write_demo_session
    from proctorprep.report.export import export_all, write_report
    from proctorprep.report.formats import UnknownExportFormat, export_format, registered as format_registered
    from proctorprep.report.model import build_report
    from tests.fixtures.recipes import PLAIN, plain_format

    monkeypatch.setenv("PROCTORPREP_DATA_DIR", str(tmp_path / "data"))
    from proctorprep import paths

    session = write_demo_session(paths.sessions_dir(), duration_s=70.0, fps=2.0, snapshots=False)
    with format_registered(plain_format()):
        out = tmp_path / "one.txt"
        assert write_report(build_report(session), dummy_txt=out) == [out]
        assert out.read_text().startswith("warned: ") and "Looking away" in out.read_text()
        assert stat.S_IMODE(out.stat().st_mode) == 0o600

        written = export_all(tmp_path / "all", paths.sessions_dir())
        assert sorted(p.suffix for p in written) == [".html", ".json", ".pdf", ".txt"]

        assert main(["report", "latest", "--dummy-txt", str(tmp_path / "cli.txt")]) == 0
        assert (tmp_path / "cli.txt").read_text() == out.read_text()
        capsys.readouterr()
        with pytest.raises(SystemExit):
            main(["report", "--help"])
        assert "--dummy-txt OUT" in capsys.readouterr().out
    with pytest.raises(UnknownExportFormat, match="dummy_txt"):
        export_format(PLAIN)
    with pytest.raises(UnknownExportFormat):
        write_report(build_report(session), dummy_txt=tmp_path / "no.txt")
    assert not (tmp_path / "no.txt").exists()


def test_the_results_page_offers_a_registered_export_format(qtbot, isolated_data_dir, tmp_path):
    from proctorprep.report.demo import write_demo_session
    from proctorprep.report.formats import registered as format_registered
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.results import create_page
    from tests.fixtures.recipes import PLAIN, plain_format

    ctx = make_test_context(isolated_data_dir)
    session = write_demo_session(ctx.sessions_dir, duration_s=70.0, fps=2.0, snapshots=False)
    with format_registered(plain_format()):
        page = create_page(ctx)
    qtbot.addWidget(page)
    assert page.export_btns[PLAIN].text() == "As Plain text…"
    page.on_enter(journal_path=session)
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)
    assert page.export_btns[PLAIN].isEnabled()
    with format_registered(plain_format()):
        page.export(PLAIN, tmp_path / "r.txt")
        qtbot.waitUntil(lambda: bool(page.exported), timeout=20000)
    assert (tmp_path / "r.txt").read_text().startswith("warned: ")
    ctx.runner.shutdown()
