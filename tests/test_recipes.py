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
        assert action is not None and "Proctor warning (sitting in the dark)" in action.message
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
