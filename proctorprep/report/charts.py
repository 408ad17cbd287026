"""Charts for the report, drawn from the report model as a tiny scene of shapes.

One scene, two back-ends: `to_svg` here (inline in the HTML) and the PDF renderer draws the same shapes with
reportlab, so both reports show exactly the same charts. Written by hand rather than with matplotlib because the
output must be small, byte-stable (reports rebuild identically) and readable in light print.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape
from typing import Sequence

from proctorprep.report.model import DeviceGap, Plot, QuestionMarker, Report, clock, type_label
from proctorprep.report.presentation import DEVICE_WORDS
from proctorprep.rules.incident_types import recorded_type, type_keys

# Each incident type's lane colour is its descriptor's (rules/incident_types.py: Okabe-Ito, distinguishable with
# colour-blindness and in greyscale print).
INK, GRID, MUTED = "#222222", "#dddddd", "#666666"
MAIN, SECONDARY = "#0b5fa5", "#9a9a9a"
THRESHOLD, BAND, GAP, MARKER = "#c0392b", "#e8f5e9", "#d9d9d9", "#b8b8d8"
FONT = 11
LANE = "#f6f6f6"
# Every chart keeps the same plot-area margins, so stacked charts share one time axis: a second is at the same x
# on the timeline and on each measurement.
LEFT, RIGHT = 170.0, 112.0


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = INK
    width: float = 1.0
    dash: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    stroke: str = MAIN
    width: float = 1.4


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str = "none"
    stroke: str = "none"
    width: float = 1.0


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float                      # baseline
    text: str
    size: float = FONT
    anchor: str = "start"         # start | middle | end
    fill: str = INK
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Poly:
    """A closed, filled polygon (warning markers)."""
    points: tuple[tuple[float, float], ...]
    fill: str = INK


@dataclass
class Scene:
    width: float
    height: float
    title: str
    items: list = field(default_factory=list)

    def add(self, *items: object) -> None:
        self.items.extend(items)


# --------------------------------------------------------------------------------------------------- SVG


def _f(x: float) -> str:
    """Short, stable number formatting (byte-identical output)."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def to_svg(scene: Scene) -> str:
    """The scene as one inline <svg> element; all text is XML-escaped."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_f(scene.width)} {_f(scene.height)}" '
           f'width="100%" role="img" aria-label="{escape(scene.title)}" '
           f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="{FONT}">',
           f"<title>{escape(scene.title)}</title>"]
    for it in scene.items:
        if isinstance(it, Rect):
            out.append(f'<rect x="{_f(it.x)}" y="{_f(it.y)}" width="{_f(it.w)}" height="{_f(it.h)}" '
                       f'fill="{it.fill}" stroke="{it.stroke}" stroke-width="{_f(it.width)}"/>')
        elif isinstance(it, Line):
            dash = f' stroke-dasharray="{",".join(_f(d) for d in it.dash)}"' if it.dash else ""
            out.append(f'<line x1="{_f(it.x1)}" y1="{_f(it.y1)}" x2="{_f(it.x2)}" y2="{_f(it.y2)}" '
                       f'stroke="{it.stroke}" stroke-width="{_f(it.width)}"{dash}/>')
        elif isinstance(it, Polyline):
            pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in it.points)
            out.append(f'<polyline points="{pts}" fill="none" stroke="{it.stroke}" stroke-width="{_f(it.width)}" '
                       'stroke-linejoin="round"/>')
        elif isinstance(it, Poly):
            pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in it.points)
            out.append(f'<polygon points="{pts}" fill="{it.fill}"/>')
        elif isinstance(it, Text):
            weight = ' font-weight="bold"' if it.bold else ""
            out.append(f'<text x="{_f(it.x)}" y="{_f(it.y)}" font-size="{_f(it.size)}" text-anchor="{it.anchor}" '
                       f'fill="{it.fill}"{weight}>{escape(it.text)}</text>')
    out.append("</svg>")
    return "".join(out)


# --------------------------------------------------------------------------------------------------- axes


def nice_step(span: float, max_ticks: int) -> float:
    """A 1-2-5 step giving at most `max_ticks` ticks over `span`."""
    if span <= 0:
        return 1.0
    raw = span / max(1, max_ticks)
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


def time_step(duration_s: float, max_ticks: int = 10) -> float:
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600):
        if duration_s / step <= max_ticks:
            return float(step)
    return 7200.0


class _Frame:
    """Plot area inside a scene: maps session time and values to pixels."""

    def __init__(self, scene: Scene, left: float, top: float, right: float, bottom: float,
                 duration_s: float, y_range: tuple[float, float] = (0.0, 1.0)) -> None:
        self.scene, self.left, self.top = scene, left, top
        self.w, self.h = scene.width - left - right, scene.height - top - bottom
        self.duration = max(duration_s, 1.0)
        self.y0, self.y1 = y_range

    def x(self, t: float) -> float:
        return self.left + self.w * min(max(t, 0.0), self.duration) / self.duration

    def y(self, v: float) -> float:
        v = min(max(v, self.y0), self.y1)
        return self.top + self.h * (1 - (v - self.y0) / (self.y1 - self.y0))

    def time_axis(self) -> None:
        bottom = self.top + self.h
        self.scene.add(Line(self.left, bottom, self.left + self.w, bottom, INK, 1))
        step = time_step(self.duration)
        t = 0.0
        while t <= self.duration + 1e-6:
            x = self.x(t)
            self.scene.add(Line(x, bottom, x, bottom + 4, INK, 1), Text(x, bottom + 16, clock(t), FONT - 1, "middle"))
            t += step

    def gaps(self, gaps: Sequence[DeviceGap], label: bool = True) -> None:
        for g in gaps:
            x0, x1 = self.x(g.start_s), self.x(g.end_s)
            self.scene.add(Rect(x0, self.top, max(1.5, x1 - x0), self.h, fill=GAP))
            if label and x1 - x0 > 40:
                self.scene.add(Text((x0 + x1) / 2, self.top + 12, f"{DEVICE_WORDS.get(g.device, g.device)} off",
                                    FONT - 2, "middle", MUTED))

    def markers(self, markers: Sequence[QuestionMarker], labels: bool) -> None:
        last_label_x = -1e9
        for m in markers:
            x = self.x(m.t_s)
            self.scene.add(Line(x, self.top, x, self.top + self.h, MARKER, 0.8, (2, 2)))
            if labels and x - last_label_x >= 26:
                self.scene.add(Text(x + 2, self.top - 4, m.label, FONT - 2, "start", MUTED))
                last_label_x = x


# --------------------------------------------------------------------------------------------------- charts


def incidents_chart(report: Report, width: float = 760) -> Scene:
    """All incidents on one time line, one lane per type, question markers, device gaps and proctor warnings."""
    lanes = list(type_keys()) + sorted({r.type for r in report.incidents} - set(type_keys()))  # + newer versions' types

    lane_h = 20
    top, bottom, left, right = 26, 28 + 22, LEFT, RIGHT      # the legend sits under the time axis
    height = top + lane_h * (len(lanes) + 1) + bottom
    scene = Scene(width, height, "Incidents over the session, with the question on screen")
    fr = _Frame(scene, left, top, right, bottom, report.duration_s)
    for i, lane in enumerate(lanes):
        y = top + i * lane_h
        if i % 2 == 0:
            scene.add(Rect(left, y, fr.w, lane_h, fill=LANE))
        scene.add(Text(left - 6, y + lane_h / 2 + 4, type_label(lane), FONT - 1, "end"))
    fr.gaps(report.gaps)          # over the lane stripes: a gap is shaded across every row
    y_warn = top + len(lanes) * lane_h
    scene.add(Text(left - 6, y_warn + lane_h / 2 + 4, "Proctor warnings", FONT - 1, "end", bold=True))
    fr.markers(report.questions, labels=True)
    for row in report.incidents:
        lane = lanes.index(row.type)
        x0, x1 = fr.x(row.start_s), fr.x(row.end_s)
        colour = MUTED if row.excluded else recorded_type(row.type).colour
        scene.add(Rect(x0, top + lane * lane_h + 3, max(2.5, x1 - x0), lane_h - 6, fill=colour))
    for w in report.warnings:
        x, y = fr.x(w.t_s), y_warn + lane_h / 2
        colour = THRESHOLD if w.action in ("pause", "end") else "#e67e22"
        scene.add(Poly(((x, y - 6), (x + 6, y + 5), (x - 6, y + 5)), colour))
    fr.time_axis()
    _timeline_legend(scene, left, height - 8, bool(report.gaps))
    return scene


def _timeline_legend(scene: Scene, x: float, y: float, gaps: bool) -> None:
    """What the marks mean, under the axis: a grey span, a triangle, a dotted line."""
    scene.add(Poly(((x + 6, y - 9), (x + 12, y + 1), (x, y + 1)), "#e67e22"),
              Text(x + 18, y, "proctor warning", FONT - 1, "start", MUTED))
    x += 130
    scene.add(Poly(((x + 6, y - 9), (x + 12, y + 1), (x, y + 1)), THRESHOLD),
              Text(x + 18, y, "pause or end of the exam", FONT - 1, "start", MUTED))
    x += 190
    scene.add(Line(x, y - 10, x, y + 2, MARKER, 1.2, (2, 2)), Text(x + 6, y, "a question shown", FONT - 1, "start", MUTED))
    x += 130
    if gaps:
        scene.add(Rect(x, y - 10, 14, 12, fill=GAP), Text(x + 20, y, "device off: not counted", FONT - 1, "start",
                                                          MUTED))


def plot_chart(plot: Plot, report: Report, width: float = 760, height: float = 170) -> Scene:
    """One measurement over time with its thresholds, the allowed band, device gaps and question markers."""
    top, bottom, left, right = 22, 28, LEFT, RIGHT     # right margin: threshold labels sit beside the plot
    scene = Scene(width, height, plot.title)
    fr = _Frame(scene, left, top, right, bottom, report.duration_s, plot.y_range)
    if plot.band is not None:
        ya, yb = fr.y(plot.band[1]), fr.y(plot.band[0])
        scene.add(Rect(left, ya, fr.w, yb - ya, fill=BAND))
    fr.gaps([g for g in report.gaps if g.device in plot.devices], label=True)
    step = nice_step(fr.y1 - fr.y0, 5)
    v = math.ceil(fr.y0 / step) * step
    while v <= fr.y1 + 1e-9:
        y = fr.y(v)
        scene.add(Line(left, y, left + fr.w, y, GRID, 0.7),
                  Text(left - 5, y + 4, _tick(v, step) + plot.unit, FONT - 1, "end", MUTED))
        v += step
    fr.markers(report.questions, labels=False)
    for s in reversed(plot.series):     # the main series last, on top
        colour, width_ = (MAIN, 1.3) if s.style == "main" else (SECONDARY, 1.0)
        for run in _runs(s.t, s.values):
            pts = tuple((fr.x(t), fr.y(v)) for t, v in run)
            scene.add(Polyline(pts if len(pts) > 1 else pts + ((pts[0][0] + 1, pts[0][1]),), colour, width_))
    for th in plot.thresholds:          # dashed, over the data: visible even where the data sits on the line
        y = fr.y(th.value)
        scene.add(Line(left, y, left + fr.w, y, THRESHOLD, 1.2, (6, 3)))
    placed: list[float] = []
    for th in sorted(plot.thresholds, key=lambda th_: -th_.value):   # labels beside the plot, never over the data
        y = fr.y(th.value) + 3
        if placed and y - placed[-1] < 11:
            y = placed[-1] + 11
        placed.append(y)
        scene.add(Text(left + fr.w + 4, y, th.label, FONT - 2, "start", THRESHOLD))
    _legend(scene, plot, 8)
    fr.time_axis()
    return scene


def _legend(scene: Scene, plot: Plot, left: float) -> None:
    x = left
    scene.add(Text(x, 14, plot.title, FONT, bold=True))
    x += 7.0 * len(plot.title) + 18
    for s in plot.series:
        colour = MAIN if s.style == "main" else SECONDARY
        scene.add(Line(x, 10, x + 18, 10, colour, 2), Text(x + 22, 14, s.label, FONT - 1, "start", MUTED))
        x += 30 + 6.2 * len(s.label)
    scene.add(Line(x, 10, x + 18, 10, THRESHOLD, 1.1, (6, 3)), Text(x + 22, 14, "threshold", FONT - 1, "start", MUTED))


def _tick(v: float, step: float) -> str:
    if abs(v) < 1e-9:
        return "0"
    text = f"{v:.0f}" if step >= 1 else (f"{v:.1f}" if step >= 0.1 else f"{v:.2f}")
    return text.replace("-", "−")


def _runs(t: Sequence[float], values: Sequence[float | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for ti, v in zip(t, values):
        if v is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((ti, v))
    return [r for r in runs if r]


def trend_chart(report: Report, width: float = 760, height: float = 170) -> Scene:
    """Compliant share (bars) and exam score (dots) of this and the earlier sessions."""
    sessions = report.history
    top, bottom, left, right = 24, 34, 52, 52
    scene = Scene(width, height, "This session compared with your earlier ones")
    plot_w, plot_h = width - left - right, height - top - bottom
    scene.add(Text(left, 14, "Compliant share of the session (bars) and exam score (dots)", FONT, bold=True))
    for pct in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - pct / 100)
        scene.add(Line(left, y, left + plot_w, y, GRID, 0.7), Text(left - 5, y + 4, f"{pct}%", FONT - 1, "end", MUTED),
                  Text(left + plot_w + 5, y + 4, str(pct * 10), FONT - 1, "start", MUTED))
    n = max(1, len(sessions))
    slot = plot_w / n
    bar_w = min(48.0, slot * 0.6)
    for i, s in enumerate(sessions):
        cx = left + slot * (i + 0.5)
        h = plot_h * max(0.0, min(1.0, s.compliant_fraction))
        scene.add(Rect(cx - bar_w / 2, top + plot_h - h, bar_w, h, fill=MAIN if s.current else "#9ec3e6"))
        if s.score is not None:
            y = top + plot_h * (1 - max(0, min(1000, s.score)) / 1000)
            scene.add(Poly(((cx, y - 5), (cx + 5, y), (cx, y + 5), (cx - 5, y)), "#e67e22"))
        label = "this one" if s.current else _short_date(s.started_at)
        scene.add(Text(cx, top + plot_h + 15, label, FONT - 1, "middle", INK if s.current else MUTED, s.current))
    return scene


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short_date(iso: str) -> str:
    """'2026-11-21T14:05:00Z' -> '21 Nov' (no locale: the same bytes everywhere)."""
    try:
        return f"{int(iso[8:10])} {_MONTHS[int(iso[5:7]) - 1]}"
    except (ValueError, IndexError):
        return iso[:10]


def report_charts(report: Report, width: float = 760) -> dict[str, Scene]:
    """Every chart of a report, by key: "incidents", each plot's key, and "trend" (with earlier sessions)."""
    charts: dict[str, Scene] = {"incidents": incidents_chart(report, width)}
    for p in report.plots:
        charts[p.key] = plot_chart(p, report, width)
    if len(report.history) > 1:
        charts["trend"] = trend_chart(report, width)
    return charts
