"""The HTML report: one self-contained file (inline CSS, inline SVG charts, snapshots as data: URIs), no network.

Templates are package resources rendered by jinja2 with autoescaping and StrictUndefined: every piece of text from
the journal (exam titles, question text, explanations) is escaped, and a template typo fails loudly instead of
printing nothing. Only the SVG built by charts.to_svg (which escapes its own text) is marked safe.
"""

from __future__ import annotations

import base64
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from proctorprep.report import charts
from proctorprep.report.checkin import NOT_SEEN
from proctorprep.report import presentation as pr
from proctorprep.wording import local_time
from proctorprep.report.model import Report, clock, type_label
from proctorprep.rules.incident_types import recorded_type

def _load_template(name: str) -> str:
    return (resources.files("proctorprep.assets") / "report" / name).read_text(encoding="utf-8")


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load_template),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["clock"] = clock
    env.filters["pct"] = lambda x: f"{100 * float(x):.0f}%"
    env.filters["type_label"] = type_label
    env.filters["type_colour"] = lambda key: recorded_type(key).colour
    env.filters["data_uri"] = lambda b: f"data:image/jpeg;base64,{base64.b64encode(b).decode('ascii')}"
    env.filters["local_time"] = local_time
    return env


def template_context(report: Report) -> dict[str, Any]:
    """Everything the templates use, shared by the HTML renderer and tests."""
    scenes = charts.report_charts(report)
    return {
        "r": report,
        "charts": {k: Markup(charts.to_svg(s)) for k, s in scenes.items()},
        "plot_captions": {p.key: p.caption for p in report.plots},
        "by_type": [(k, v) for k, v in sorted(report.summary.get("by_type", {}).items()) if v.get("count")],
        "counted": [row for row in report.incidents if not row.excluded],
        # what leads the report, in the same words and order as the results page
        "headline": pr.headline(report), "verdict": pr.verdict_sentence(report), "counts": pr.counts_line(report),
        "habits": pr.top_habits(report), "taken_at": pr.taken_at(report),
        "threshold_lines": pr.threshold_lines(report), "device_words": pr.DEVICE_WORDS,
        "action_words": pr.ACTION_WORDS, "not_seen": NOT_SEEN,
    }


def render_html(report: Report) -> str:
    """The whole report as one HTML document (a str; write it as UTF-8)."""
    env = make_environment()
    return env.get_template("report.html.j2").render(**template_context(report))
