"""HTML, PDF and JSON renderers: self-contained, identical on rebuild, hostile text printed literally; the CLI."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from proctorprep.cli import main
from proctorprep.report.demo import DEMO_START, write_demo_session
from proctorprep.report.html import render_html
from proctorprep.report.json_report import dumps, report_to_json
from proctorprep.report.model import build_report
from proctorprep.report.pdf import render_pdf_bytes

HOSTILE_TITLE = '<script>alert("t")</script> & <b>Exam</b>'
HOSTILE_QUESTION = "Which tag runs code? <img src=x onerror=alert(1)> <script>steal()</script>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("render") / "sessions"
    write_demo_session(root, duration_s=60.0, fps=5.0, snapshots=False, start=DEMO_START - timedelta(days=1))
    return write_demo_session(root, title=HOSTILE_TITLE, question_text=HOSTILE_QUESTION, duration_s=330.0, fps=5.0)


@pytest.fixture(scope="module")
def report(hostile):
    return build_report(hostile)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(data)
    return subprocess.run([shutil.which("pdftotext") or "pdftotext", "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout


def test_html_is_one_self_contained_file_with_no_network(report):
    html = render_html(report)
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()                         # no script at all, hostile or ours
    # nothing to fetch: no external src/href/url(), only inline SVG and data: images
    assert not re.search(r'(src|href)\s*=\s*"(?!data:)', html)
    assert "url(" not in html and "@import" not in html
    assert set(re.findall(r"https?://[^\"' ]+", html)) == {"http://www.w3.org/2000/svg"}   # a name, not fetched
    assert "default-src 'none'" in html
    assert html.count("<svg") == 7                                # incidents, 5 measurement plots, trend
    assert html.count('src="data:image/jpeg;base64,') == len(report.incidents)


def test_hostile_exam_and_question_text_is_literal_in_every_format(report, tmp_path):
    html = render_html(report)
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; &lt;b&gt;Exam&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;steal()&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>Exam" not in html

    text = pdf_text(render_pdf_bytes(report), tmp_path)
    assert HOSTILE_TITLE in text
    assert "<img src=x onerror=alert(1)>" in text and "<script>steal()</script>" in text

    doc = json.loads(dumps(report))
    assert doc["session"]["exam_title"] == HOSTILE_TITLE
    assert doc["exam"]["questions"][0]["text"] == HOSTILE_QUESTION


def test_rebuilding_from_the_same_journal_is_byte_identical(hostile):
    a, b = build_report(hostile), build_report(hostile)
    assert render_html(a) == render_html(b)
    assert dumps(a) == dumps(b)
    assert render_pdf_bytes(a) == render_pdf_bytes(b)


def test_pdf_is_paginated_with_everything_in_it(report, tmp_path):
    data = render_pdf_bytes(report)
    assert data.startswith(b"%PDF") and len(data) < 1_000_000
    text = pdf_text(data, tmp_path)
    assert text.count("\f") >= 3                                   # several pages
    # the same order as the results page: what matters first, the charts, the details, the rules in an appendix
    headings = ("What to practise next", "Incidents over time", "Head and eyes: sideways", "Speech probability",
                "The details", "Proctor warnings", "Incidents in detail", "Exam result", "Device gaps",
                "Compared with your earlier sessions", "Appendix: how this session was judged")
    at = 0
    for h in headings:                     # each one after the one before
        found = text.find(h, at)
        assert found >= 0, f"{h!r} missing or out of order"
        at = found + len(h)
    assert "away_dwell_s" not in text and "calibration: " not in text        # no internal keys for a candidate
    assert "Looking away: seconds of one continuous look that make an incident" in text
    assert "Another person in view" in text and "page 3" in text


def test_json_follows_the_analyze_contract(report):
    doc = report_to_json(report)
    assert doc["version"] == 1 and doc["duration_s"] == 330.0
    assert doc["calibration"]["source"] == "dots"
    assert {"by_type", "verdict", "compliant_fraction", "warnings"} <= set(doc["summary"])
    assert doc["summary"]["verdict"] in ("pass", "warned", "terminated")
    first = doc["incidents"][0]
    assert {"type", "start_s", "end_s", "direction", "severity", "confidence", "evidence"} <= set(first)
    assert first["type"] == "looking_away" and first["direction"] == "left" and first["snapshot"] is True
    assert [g["device"] for g in doc["device_gaps"]] == ["camera"]
    assert doc["exam"]["score"] == 742 and len(doc["history"]) == 2
    json.dumps(doc, allow_nan=False)                               # plain JSON: no NaN, no bytes


def test_json_schema_file_accepts_the_document(report):
    from importlib import resources

    schema = json.loads((resources.files("proctorprep") / "schema" / "report.schema.json").read_text())
    doc = report_to_json(report)
    assert set(schema["required"]) <= set(doc)
    for key, spec in schema["properties"].items():
        if key in doc and "required" in spec:
            assert set(spec["required"]) <= set(doc[key]), key


def test_without_kept_snapshots_there_are_no_pictures(tmp_path):
    session = write_demo_session(tmp_path / "s", duration_s=70.0, fps=5.0, snapshots=False)
    report = build_report(session)
    html = render_html(report)
    assert "<img" not in html and "Snapshot" not in html
    assert all(i["snapshot"] is False for i in report_to_json(report)["incidents"])


def test_cli_lists_exports_and_names_bad_ids(tmp_path, capsys, monkeypatch):
    from proctorprep import paths

    session = write_demo_session(paths.sessions_dir(), duration_s=70.0, fps=5.0)
    monkeypatch.chdir(tmp_path)
    assert main(["report"]) == 0
    listing = capsys.readouterr().out
    assert session.name in listing and "742" in listing and "complete" in listing

    out = tmp_path / "out"
    assert main(["report", session.name, "--html", str(out / "r.html"), "--json", str(out / "r.json")]) == 0
    assert (out / "r.html").read_text().startswith("<!DOCTYPE html>") and not (out / "r.pdf").exists()
    assert json.loads((out / "r.json").read_text())["session"]["id"] == session.name

    assert main(["report", "latest"]) == 0
    assert sorted(p.name for p in tmp_path.glob(f"{session.name}.*")) == [
        f"{session.name}.html", f"{session.name}.json", f"{session.name}.pdf"]

    assert main(["report", "20990101-000000-abcd"]) == 2
    assert "no session 20990101-000000-abcd" in capsys.readouterr().err
    assert main(["report", "--all", str(tmp_path / "all")]) == 0
    assert len(list((tmp_path / "all").iterdir())) == 3


def test_cli_deletes_a_session_and_says_what_it_removed(capsys):
    from proctorprep import paths

    session = write_demo_session(paths.sessions_dir(), duration_s=20.0, fps=5.0)
    assert main(["report", "--delete", session.name]) == 0
    out = capsys.readouterr().out
    assert f"deleted session {session.name}" in out and "journal.sqlite" in out
    assert not session.exists()
    assert main(["report", "--delete", "../../etc"]) == 2


def test_pdf_without_a_unicode_font_falls_back_to_helvetica(report, tmp_path, monkeypatch):
    from reportlab.pdfbase import pdfmetrics

    from proctorprep.report import pdf

    monkeypatch.setattr(pdf, "_font_candidates", lambda: [(tmp_path / "missing.ttf", tmp_path / "missing-Bold.ttf")])
    monkeypatch.setattr(pdfmetrics, "getRegisteredFontNames", lambda: [])
    assert pdf._fonts() == ("Helvetica", "Helvetica-Bold")
    text = pdf_text(pdf.render_pdf_bytes(report), tmp_path)
    assert "Incidents over time" in text and "-24° your right" in text     # U+2212 spelled as "-"


def test_a_lowered_analysis_rate_is_said_in_html_and_pdf(tmp_path):
    from proctorprep.journal.store import SessionJournal
    from proctorprep.sources.base import DeviceEvent

    j = SessionJournal.create(tmp_path / "s", {"kind": "exam", "profile": "standard"})
    msg = "The computer is busy: the face is analysed 12 times a second instead of 15 from now on."
    j.add_device_event(DeviceEvent(65.0, "camera", "slow", msg))
    j.finish({"duration_s": 120.0})
    report = build_report(j.session_dir)
    assert report.analysis_notes == ("1:05: " + msg,)
    assert report.gaps == ()                    # a slower analysis is not a lost camera
    html = render_html(report)
    assert "Analysis rate" in html and msg in html
    text = " ".join(pdf_text(render_pdf_bytes(report), tmp_path).split())
    assert "Analysis rate" in text and "12 times a second instead of 15" in text


HOSTILE_COMMENT = 'Q3 is ambiguous <script>x()</script> & "both" fit'


@pytest.fixture(scope="module")
def failed(tmp_path_factory):
    """A failed exam with a comment: the score report's top three skills and the comments in every format."""
    root = tmp_path_factory.mktemp("failed") / "sessions"
    return build_report(write_demo_session(root, duration_s=60.0, fps=5.0, snapshots=False, score=612,
                                           comment=HOSTILE_COMMENT))


def test_a_fail_names_the_skills_to_improve_and_the_comments_in_every_format(failed, tmp_path):
    import jsonschema
    from importlib import resources

    # weakest first; "Pricing and support" is at 100 % and is never named
    assert failed.exam.improve == ("Security and compliance", "Cloud concepts")
    assert [(q.number, q.comment) for q in failed.exam.comments] == [(3, HOSTILE_COMMENT)]

    doc = report_to_json(failed)
    assert doc["exam"]["improve"] == ["Security and compliance", "Cloud concepts"]
    assert [q.get("comment") for q in doc["exam"]["questions"]].count(HOSTILE_COMMENT) == 1
    assert "comment" not in doc["exam"]["questions"][0]          # absent, not "", where none was made
    schema = json.loads((resources.files("proctorprep") / "schema" / "report.schema.json").read_text())
    jsonschema.validate(doc, schema)

    html = render_html(failed)
    assert "Top skills to improve" in html and "Your comments" in html
    assert html.index("<li>Security and compliance</li>") < html.index("<li>Cloud concepts</li>")
    assert "<li>Pricing and support</li>" not in html
    assert "Q3</td><td class=\"qtext\">Q3 is ambiguous &lt;script&gt;x()&lt;/script&gt; &amp; &#34;both&#34; fit" in html

    text = pdf_text(render_pdf_bytes(failed), tmp_path)
    assert "Top skills to improve: 1. Security and compliance; 2. Cloud concepts" in " ".join(text.split())
    assert "Your comments" in text and HOSTILE_COMMENT in " ".join(text.split())


def test_a_pass_has_no_skills_to_improve_and_no_comment_section_without_comments(tmp_path):
    import jsonschema
    from importlib import resources

    report = build_report(write_demo_session(tmp_path / "s", duration_s=60.0, fps=5.0, snapshots=False, comment=""))
    assert report.exam.passed is True and report.exam.improve == () and report.exam.comments == ()
    doc = report_to_json(report)
    assert doc["exam"]["improve"] == []
    jsonschema.validate(doc, json.loads((resources.files("proctorprep") / "schema" / "report.schema.json").read_text()))
    html = render_html(report)
    assert "Top skills to improve" not in html and "Your comments" not in html
    assert "Top skills to improve" not in pdf_text(render_pdf_bytes(report), tmp_path)
