"""The PDF report: the same content as the HTML, paginated (A4), drawn with reportlab (no Qt, no display needed,
so `analyze --pdf` works on a server). Charts are the very same scenes as the HTML's SVG, drawn as vector shapes.

Byte-stable: reportlab's invariant mode fixes the creation date and document id, so rebuilding a report from the
same journal gives the same file. All text from the journal is escaped before it reaches reportlab's paragraph
mini-markup, so a question containing <b> or <script> prints literally.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (CondPageBreak, Flowable, Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer,
                                Table, TableStyle)

from proctorprep.oscompat.fonts import unicode_fonts
from proctorprep.report import charts
from proctorprep.report import presentation as pr
from proctorprep.wording import local_time
from proctorprep.report.model import Report, clock, type_label

def _font_candidates() -> list[tuple[Path, Path]]:
    """(regular, bold) font files to try: this platform's (oscompat.fonts), then matplotlib's DejaVu Sans."""
    found = unicode_fonts()
    spec = importlib.util.find_spec("matplotlib")     # ships DejaVu Sans; located, never imported
    if spec is not None and spec.origin:
        ttf = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"
        found.append((ttf / "DejaVuSans.ttf", ttf / "DejaVuSans-Bold.ttf"))
    return found


def _fonts() -> tuple[str, str]:
    """A Unicode TrueType font if the system has one (°, ±, −, accents, non-Latin question text), else Helvetica."""
    if "PP-Sans" in pdfmetrics.getRegisteredFontNames():
        return "PP-Sans", "PP-Sans-Bold"
    for path, bold in _font_candidates():
        if path.is_file():
            try:
                pdfmetrics.registerFont(TTFont("PP-Sans", str(path)))
                pdfmetrics.registerFont(TTFont("PP-Sans-Bold", str(bold if bold.is_file() else path)))
                # so <b> in a paragraph picks the bold face
                pdfmetrics.registerFontFamily("PP-Sans", normal="PP-Sans", bold="PP-Sans-Bold", italic="PP-Sans",
                                              boldItalic="PP-Sans-Bold")
                return "PP-Sans", "PP-Sans-Bold"
            except Exception:   # a broken font file: fall back to the built-in one
                continue
    return "Helvetica", "Helvetica-Bold"


# Helvetica (the fallback) only has WinAnsi glyphs: spell the few other characters we print ourselves in ASCII
_WINANSI_FIXES = str.maketrans({"\u2212": "-", "\u2264": "<=", "\u2265": ">="})


def _t(text: Any) -> str:
    """Plain text for a Paragraph (its markup is XML-like): escaped, so it is printed literally."""
    return escape(str(text))


def _for_font(text: str, font: str) -> str:
    return text.translate(_WINANSI_FIXES) if font.startswith("Helvetica") else text


class SceneFlowable(Flowable):
    """A charts.Scene drawn as vector shapes, scaled to the frame width."""

    def __init__(self, scene: charts.Scene, font: str, bold: str) -> None:
        super().__init__()
        self.scene, self.font, self.bold = scene, font, bold
        self.scale = 1.0

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.scale = avail_w / self.scene.width
        self.width, self.height = avail_w, self.scene.height * self.scale
        return self.width, self.height

    def draw(self) -> None:
        c, s, h = self.canv, self.scale, self.scene.height

        def X(x: float) -> float:
            return x * s

        def Y(y: float) -> float:
            return (h - y) * s

        for it in self.scene.items:
            if isinstance(it, charts.Rect):
                if it.fill == "none" and it.stroke == "none":
                    continue
                if it.fill != "none":
                    c.setFillColor(colors.HexColor(it.fill))
                if it.stroke != "none":
                    c.setStrokeColor(colors.HexColor(it.stroke))
                    c.setLineWidth(it.width * s)
                c.rect(X(it.x), Y(it.y + it.h), it.w * s, it.h * s, stroke=int(it.stroke != "none"),
                       fill=int(it.fill != "none"))
            elif isinstance(it, charts.Line):
                c.setStrokeColor(colors.HexColor(it.stroke))
                c.setLineWidth(it.width * s)
                c.setDash([d * s for d in it.dash] if it.dash else [])
                c.line(X(it.x1), Y(it.y1), X(it.x2), Y(it.y2))
                c.setDash([])
            elif isinstance(it, charts.Polyline):
                c.setStrokeColor(colors.HexColor(it.stroke))
                c.setLineWidth(it.width * s)
                c.setLineJoin(1)
                p = c.beginPath()
                (x0, y0), rest = it.points[0], it.points[1:]
                p.moveTo(X(x0), Y(y0))
                for x, y in rest:
                    p.lineTo(X(x), Y(y))
                c.drawPath(p, stroke=1, fill=0)
            elif isinstance(it, charts.Poly):
                c.setFillColor(colors.HexColor(it.fill))
                p = c.beginPath()
                (x0, y0), rest = it.points[0], it.points[1:]
                p.moveTo(X(x0), Y(y0))
                for x, y in rest:
                    p.lineTo(X(x), Y(y))
                p.close()
                c.drawPath(p, stroke=0, fill=1)
            elif isinstance(it, charts.Text):
                c.setFillColor(colors.HexColor(it.fill))
                c.setFont(self.bold if it.bold else self.font, it.size * s)
                draw = {"middle": c.drawCentredString, "end": c.drawRightString}.get(it.anchor, c.drawString)
                draw(X(it.x), Y(it.y), _for_font(it.text, self.font))


def _styles(font: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "muted": ParagraphStyle("muted", parent=base, fontSize=8.5, leading=11, textColor=colors.HexColor("#666666")),
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=18, leading=22, spaceAfter=3),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=13, leading=16, spaceBefore=10,
                             spaceAfter=5, textColor=colors.HexColor("#0b5fa5")),
        "note": ParagraphStyle("note", parent=base, backColor=colors.HexColor("#fff8e1"), borderPadding=5,
                               spaceBefore=4, spaceAfter=8),
        "th": ParagraphStyle("th", parent=base, fontName=bold, fontSize=8.5, leading=11,
                             textColor=colors.HexColor("#555555")),
        "num": ParagraphStyle("num", parent=base, alignment=TA_RIGHT),
        "card_k": ParagraphStyle("card_k", parent=base, fontSize=7.5, leading=9, textColor=colors.HexColor("#666666")),
        "card_v": ParagraphStyle("card_v", parent=base, fontName=bold, fontSize=16, leading=19),
        "verdict": ParagraphStyle("verdict", parent=base, fontName=bold, fontSize=11, leading=14),
        "h3": ParagraphStyle("h3", parent=base, fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4),
    }


_GRID = TableStyle([
    ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#dddddd")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
])


def _table(rows: list[list[Any]], widths: list[float], st: dict[str, ParagraphStyle]) -> Table:
    cells = [[c if isinstance(c, (Flowable, list)) else Paragraph(_t(c), st["th"] if i == 0 else st["base"])
              for c in row]
             for i, row in enumerate(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(_GRID)
    return table


def _checkin(section: Any, width: float, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The check-in: each photo's verdicts (and the photo, if kept), the checklist as confirmed, not seen."""
    from proctorprep.report.checkin import NOT_SEEN

    P = Paragraph
    out: list[Flowable] = [CondPageBreak(50 * mm), P("The check-in", st["h2"]),
                           P(_t(section.summary + (" (rehearsed on its own)" if section.rehearsal else "")),
                             st["base"])]
    for row in section.photos:
        out.append(P(_t(f"{row.photo.title}: {row.status}"), st["h3"]))
        if row.jpeg:
            out.append(_thumb(row.jpeg, 50 * mm, st))
        if row.photo.verdicts:
            rows: list[list[Any]] = [["Check", "What was seen", "What to do"]]
            rows += [[f"{ {True: 'ok', False: 'NOT OK', None: '?'}[v.passed]}: {v.title}", v.words, v.fix or "–"]
                     for v in row.photo.verdicts]
            out.append(_table(rows, [width * 0.25, width * 0.4, width * 0.35], st))
    out.append(P("Checklist", st["h3"]))
    for _key, text, ok in section.confirmed:
        out.append(P(_t(f"{'Confirmed' if ok else 'Not confirmed'}: {text}"), st["base"]))
    out.append(P(_t(NOT_SEEN), st["muted"]))
    return out


def _story(report: Report, width: float, font: str, bold: str) -> list[Flowable]:
    st = _styles(font, bold)
    P = Paragraph
    story: list[Flowable] = [
        P(_t(report.title), st["h1"]),
        P(_t(f"Taken {pr.taken_at(report)} · {clock(report.duration_s)} · {report.profile} proctor"
             + (f" · {report.candidate}" if report.candidate else "")), st["muted"]),
        Spacer(1, 6),
    ]
    if report.status in ("recovered", "interrupted"):
        story.append(P(_t(f"This session was interrupted (the app closed unexpectedly). The report covers everything "
                          f"saved up to {clock(report.duration_s)}; at most the last two seconds may be missing."),
                       st["note"]))
    exam = report.exam
    h = pr.headline(report)
    # 1. What matters, as on the results page: the score and pass/fail, the verdict in one sentence.
    cards = [
        ("EXAM SCORE", h.score, f"{h.status} · {h.detail}"),
        ("THE PROCTOR'S VERDICT", pr.verdict_sentence(report), pr.counts_line(report)),
    ]
    card_cells = [[P(_t(k), st["card_k"]), P(_t(v), st["card_v"] if i == 0 else st["verdict"]), P(_t(n), st["small"])]
                  for i, (k, v, n) in enumerate(cards)]
    card_table = Table([card_cells], colWidths=[width / 3, 2 * width / 3], hAlign="LEFT")
    card_table.setStyle(TableStyle([
        ("BOX", (0, 0), (0, 0), 0.6, colors.HexColor("#cccccc")), ("BOX", (1, 0), (1, 0), 0.6, colors.HexColor("#cccccc")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ]))
    story.append(card_table)
    # 2. The three habits to practise.
    story.append(P("What to practise next", st["h2"]))
    habits = pr.top_habits(report)
    for i, hb in enumerate(habits, 1):
        story.append(P(f"<b>{i}. {_t(hb.label)}</b> — {_t(hb.summary)}", st["base"]))
        story.append(P(_t(f"{hb.request} {hb.advice}"), st["muted"]))
        story.append(Spacer(1, 3))
    if not habits:
        story.append(P("Nothing: no incident at all. Keep the same habits on the day.", st["base"]))
    scenes = charts.report_charts(report, width=760)
    story.append(CondPageBreak(60 * mm))
    story.append(P("When it happened", st["h2"]))
    story.append(P("Incidents over time", st["h3"]))
    story.append(SceneFlowable(scenes["incidents"], font, bold))
    story.append(P(_t("Each bar is an incident; dotted lines mark when a question was shown"
                      + ("; grey spans are device gaps (not counted against you)" if report.gaps else "")
                      + ". Triangles are proctor warnings (red: a pause or the end of the exam)."), st["muted"]))
    by_type = [(t, v) for t, v in sorted(report.summary.get("by_type", {}).items()) if v.get("count")]
    if by_type:
        rows = [["Type", "Count", "Total time"]] + [[type_label(t), str(v["count"]), f"{v['total_s']:.1f} s"]
                                                   for t, v in by_type]
        story.append(_table(rows, [width * 0.6, width * 0.2, width * 0.2], st))

    story.append(CondPageBreak(70 * mm))
    story.append(P("What the camera and microphone measured", st["h3"]))
    for p in report.plots:
        story.append(KeepTogether([SceneFlowable(scenes[p.key], font, bold), P(_t(p.caption), st["muted"]),
                                   Spacer(1, 6)]))
    if not report.plots:
        story.append(P("No measurements were recorded.", st["base"]))

    if report.checkin is not None:
        story.extend(_checkin(report.checkin, width, st))

    story.append(P("The details", st["h2"]))
    story.append(P("Proctor warnings", st["h3"]))
    if report.warnings:
        rows = [["Time", "For", "What the proctor did", "What the proctor said"]]
        rows += [[clock(w.t_s), type_label(w.incident_type), pr.ACTION_WORDS.get(w.action, w.action), w.message]
                 for w in report.warnings]
        story.append(_table(rows, [width * 0.09, width * 0.2, width * 0.09, width * 0.62], st))
    else:
        story.append(P("No warnings.", st["base"]))

    story.append(CondPageBreak(50 * mm))
    story.append(P("Incidents in detail", st["h3"]))
    if report.end_note:
        story.append(P(f"<b>{_t(report.end_note)}</b>", st["base"]))
    if report.incidents:
        shots = report.snapshots_kept
        head = ["#", "When", "What happened and what to do"] + (["Snapshot"] if shots else [])
        rows = [head]
        for r in report.incidents:
            when = f"{clock(r.start_s)}–{clock(r.end_s)}\n{r.duration_s:.1f} s" + (f"\n{r.question}" if r.question else "")
            what = [P(f"<b>{_t(r.label)}</b>" + (_t(" — during a device gap, not counted") if r.excluded else "")
                      + (_t(" — after the end (practice)") if r.after_end else ""), st["base"]),
                    P(_t(r.explanation), st["base"]), P(_t(r.advice), st["muted"])]
            row: list[Any] = [str(r.number), P(_t(when).replace("\n", "<br/>"), st["small"]), what]
            if shots:
                row.append(_thumb(r.snapshot_jpeg, 34 * mm, st) if r.snapshot_jpeg else "")
            rows.append(row)
        widths = ([width * 0.05, width * 0.13, width * 0.82 - 36 * mm, 36 * mm] if shots
                  else [width * 0.05, width * 0.13, width * 0.82])
        story.append(_table(rows, widths, st))
    else:
        story.append(P("No incidents: this is what a clean session looks like.", st["base"]))

    if exam is not None:
        story.append(P("Exam result", st["h3"]))
        if exam.skills:
            rows: list[list[Any]] = [["Skill", "Score", "Share"]]
            for s in exam.skills:
                score = (f"{s.correct:g} / {s.total:g}" if s.correct is not None and s.total else "")
                rows.append([s.skill, score, "" if s.percent is None else f"{s.percent:.0f}%"])
            story.append(_table(rows, [width * 0.6, width * 0.2, width * 0.2], st))
            story.append(Spacer(1, 8))
        if exam.improve:
            story.append(P("<b>Top skills to improve:</b> " + "; ".join(
                f"{i}. {_t(s)}" for i, s in enumerate(exam.improve, 1)), st["base"]))
            story.append(Spacer(1, 8))
        if exam.questions:
            rows = [["#", "Question", "Skill", "Result"]]
            for q in exam.questions:
                rows.append([str(q.number), q.text + (" (marked for review)" if q.marked else ""), q.skill, q.result])
            story.append(_table(rows, [width * 0.07, width * 0.61, width * 0.18, width * 0.14], st))
        if exam.comments:
            story.append(P("Your comments", st["h3"]))
            rows = [["#", "Comment"]] + [[f"Q{q.number}", q.comment] for q in exam.comments]
            story.append(_table(rows, [width * 0.1, width * 0.9], st))
            story.append(P("Comments never change the score: on the real exam they go to the people who write "
                           "the questions.", st["muted"]))

    if report.conditions is not None:
        story.append(P("Exam conditions", st["h3"]))
        story += [P(_t(line), st["base"]) for line in report.conditions.lines()]

    if report.gaps:
        story.append(P("Device gaps", st["h3"]))
        rows = [["Device", "From", "To", "Length"]]
        rows += [[pr.DEVICE_WORDS.get(g.device, g.device), clock(g.start_s), clock(g.end_s),
                  f"{g.end_s - g.start_s:.1f} s"] for g in report.gaps]
        story.append(_table(rows, [width * 0.4, width * 0.2, width * 0.2, width * 0.2], st))
        story.append(P("While the camera was lost nothing could be judged: those spans are not counted against "
                       "you. While the microphone was lost, talking could not be heard; what the camera saw still "
                       "counts.", st["muted"]))
    if report.notes:
        story.append(P("About this analysis", st["h2"]))
        story += [P(_t(n), st["base"]) for n in report.notes]
    if report.analysis_notes:
        story.append(P("Analysis rate", st["h3"]))
        story += [P(_t(n), st["base"]) for n in report.analysis_notes]
        story.append(P("The computer was busy, so the face was analysed less often from then on; short or silent "
                       "habits such as mouthing are harder to see at a lower rate.", st["muted"]))
    if report.threshold_notes:
        story.append(P("Threshold overrides not used", st["h3"]))
        story += [P(_t(n), st["base"]) for n in report.threshold_notes]
        story.append(P("These values in your settings were refused, so this session ran with the profile's defaults "
                       "for them. Correct them on the Settings page.", st["muted"]))

    if "trend" in scenes:
        story.append(CondPageBreak(80 * mm))
        story.append(P("Compared with your earlier sessions", st["h3"]))
        story.append(SceneFlowable(scenes["trend"], font, bold))
        rows = [["Date", "Exam", "Score", "Verdict", "Compliant", "Incidents"]]
        for h in report.history:
            rows.append([local_time(h.started_at) + (" (this one)" if h.current else ""),
                         h.exam_title or "–", "–" if h.score is None else str(h.score), h.verdict,
                         f"{100 * h.compliant_fraction:.0f}%", str(h.incident_total)])
        story.append(_table(rows, [width * 0.25, width * 0.27, width * 0.1, width * 0.13, width * 0.13, width * 0.12],
                            st))

    story.append(CondPageBreak(40 * mm))
    story.append(P("Appendix: how this session was judged", st["h2"]))
    story.append(P(_t(report.calibration_text), st["base"]))
    rows = [["Rule", "Value"]] + [[words, value] for words, value in pr.threshold_lines(report)]
    story.append(_table(rows, [width * 0.85, width * 0.15], st))
    story.append(Spacer(1, 8))
    story.append(P(_t(f"Made by proctorprep from session journal {report.session_id} (report format "
                      f"{report.version}). This file was created on this computer; nothing was sent anywhere."),
                   st["muted"]))
    return story


def _thumb(jpeg: bytes, width: float, st: dict[str, Any]) -> Flowable:
    """The incident's snapshot; one that cannot be decoded (a damaged journal row) is said, and the rest of the
    report is still written."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(jpeg)) as picture:
            picture.load()                  # decode it all now: reportlab would only fail when drawing the page
            w, h = picture.size
        if not w or not h:
            raise ValueError("empty picture")
        return Image(io.BytesIO(jpeg), width=width, height=width * h / max(1, w))
    except Exception:       # PIL raises UnidentifiedImageError, OSError, ValueError, SyntaxError...
        return Paragraph("(snapshot unreadable)", st["muted"])


def render_pdf_bytes(report: Report) -> bytes:
    """The PDF as bytes (A4)."""
    font, bold = _fonts()
    buf = io.BytesIO()
    margin = 14 * mm
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=16 * mm, title=f"proctorprep report: {report.title}",
                            author="proctorprep", subject=f"session {report.session_id}", creator="proctorprep",
                            invariant=1)
    footer_text = f"proctorprep · {report.title} · {pr.taken_at(report)}"

    def footer(canvas: Any, doc_: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(margin, 9 * mm, footer_text[:120])
        canvas.drawRightString(A4[0] - margin, 9 * mm, f"page {doc_.page}")
        canvas.restoreState()

    doc.build(_story(report, A4[0] - 2 * margin, font, bold), onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
