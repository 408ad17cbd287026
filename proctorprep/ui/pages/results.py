"""Results: score and pass/fail with the skill breakdown, the proctor's verdict, the incident timeline with question
markers, the head/gaze/audio/speech plots with thresholds, the incidents with explanation, advice and snapshot, and
export to HTML, PDF and JSON. The report is built from the journal alone, off the GUI thread."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QMenu, QPushButton,
    QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from proctorprep.report.formats import export_format, export_formats
from proctorprep.ui.context import AppContext
from proctorprep.ui.icons import set_icon
from proctorprep.ui.widgets.items.base import plain_label
from proctorprep.ui.widgets.scene_view import SceneView


def create_page(ctx: AppContext) -> QWidget:
    return ResultsPage(ctx)


WHAT_WIDTH = 150     # px of the incidents table's "What" column at most (it wraps); "Why" takes the rest


class _WrapTable(QTableWidget):
    """A table whose rows grow to show their whole text: the row heights (and the table's own, it never scrolls
    inside the page) follow the columns' widths. Measured once at fill time, before the page had its width, the
    "Why" column was cut to two elided lines at 1024x700."""

    def resizeEvent(self, event: Any) -> None:   # noqa: N802 - Qt naming
        super().resizeEvent(event)
        _fit_rows(self)


def _fit_rows(t: QTableWidget) -> None:
    t.resizeRowsToContents()
    # Qt wraps the last column within its own item margins; a style with wider ones (or a text that ends right at
    # the edge) wraps one line more when painted, and the row cut it. Leave room for the wider margin.
    last = t.columnCount() - 1
    if last >= 0 and t.rowCount():
        from PySide6.QtCore import QRect

        fm, width = t.fontMetrics(), max(10, t.columnWidth(last) - 8)
        for r in range(t.rowCount()):
            item = t.item(r, last)
            if item is not None:
                need = fm.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, item.text()).height()
                if t.rowHeight(r) < need + 4:
                    t.setRowHeight(r, need + 4)
    height = t.horizontalHeader().height() + sum(t.rowHeight(r) for r in range(t.rowCount())) + 6
    if t.maximumHeight() != max(height, 60):
        t.setMinimumHeight(min(max(height, 60), 420))
        t.setMaximumHeight(max(height, 60))


def _table(headers: list[str]) -> QTableWidget:
    t = _WrapTable(0, len(headers))
    t.setTextElideMode(Qt.TextElideMode.ElideNone)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setWordWrap(True)
    t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    h = t.horizontalHeader()
    for i in range(len(headers) - 1):
        h.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
    h.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    # the Why column narrows when another column grows to its contents (no resize of the table itself): refit then
    last = len(headers) - 1
    h.sectionResized.connect(lambda i, _old, _new: _fit_rows(t) if i == last else None)
    return t


def _fill(t: QTableWidget, rows: list[list[str]]) -> None:
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.setItem(r, c, QTableWidgetItem(text))
    _fit_rows(t)


class _StatusLabel(QLabel):
    """A line that is only there while it has something to say (no empty band above the report)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.hide()

    def setText(self, text: str) -> None:   # noqa: N802 - Qt naming
        super().setText(text)
        self.setVisible(bool(text))


def _card(name: str) -> QFrame:
    box = QFrame()
    box.setObjectName("card")
    box.setAccessibleName(name.replace("_", " "))
    box.setProperty("role", name)
    return box


def _section(text: str) -> QLabel:
    label = plain_label(text)
    label.setObjectName("section_title")
    return label


def _clock(t_s: float) -> str:
    from proctorprep.report.model import clock

    return clock(t_s)


def _badges_earned(data_dir: Path, session_id: str) -> list[str]:
    """Names of the badges this session earned (the progress package is optional: none if it is missing)."""
    try:
        from proctorprep.progress.overview import load_progress
    except ImportError:
        return []
    try:
        return [b.badge.name for b in load_progress(data_dir).earned_in(session_id)]
    except Exception:   # noqa: BLE001 - badges are a bonus: the report must show even if they cannot be worked out
        logging.getLogger(__name__).exception("badges for %s could not be evaluated", session_id)
        return []


class ResultsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.report: Any = None
        self.journal_path: Path | None = None
        self.exported: list[Path] = []
        self.improve_skills: list[str] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 12, 16, 4)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.heading = plain_label("No session yet", wrap=True)
        self.heading.setObjectName("page_title")
        titles.addWidget(self.heading)
        self.subheading = plain_label("")
        self.subheading.setObjectName("results_small")
        titles.addWidget(self.subheading)
        bar.addLayout(titles, 1)
        self.weakest: list[str] = []
        self.retake_btn = QPushButton("Retake")
        self.retake_btn.setObjectName("retake_button")
        set_icon(self.retake_btn, "retake")
        self.retake_btn.setToolTip("Take this mock exam again")
        self.retake_btn.setEnabled(False)
        self.retake_btn.clicked.connect(self.retake)
        bar.addWidget(self.retake_btn, 0, Qt.AlignmentFlag.AlignTop)
        self.practice_btn = QPushButton("Practise weak areas")
        self.practice_btn.setObjectName("practice_button")
        self.practice_btn.setProperty("primary", True)
        set_icon(self.practice_btn, "practice")
        self.practice_btn.setEnabled(False)
        self.practice_btn.clicked.connect(self.practise_weakest)
        bar.addWidget(self.practice_btn, 0, Qt.AlignmentFlag.AlignTop)
        self.save_btn = QPushButton("Save the report")
        self.save_btn.setObjectName("save_report")
        set_icon(self.save_btn, "export")
        self.save_btn.setEnabled(False)
        menu = QMenu(self.save_btn)
        self.export_btns: dict[str, Any] = {}
        for f in export_formats():
            act = menu.addAction(f"{f.save_as}…")
            act.setObjectName(f"export_{f.key}")
            act.triggered.connect(lambda _c=False, key=f.key: self._ask_export(key))
            self.export_btns[f.key] = act
        menu.addSeparator()
        # Missed questions to flash cards: an action beside the other saves (it writes a file too).
        self.anki_btn = menu.addAction("Missed questions to an Anki deck…")
        self.anki_btn.setObjectName("export_anki")
        self.anki_btn.setToolTip("Write every question that earned less than full credit to an Anki deck (.apkg)")
        self.anki_btn.setEnabled(False)
        self.anki_btn.triggered.connect(self._ask_anki)
        self.save_btn.setMenu(menu)
        bar.insertWidget(1, self.save_btn, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(bar)
        self.status = _StatusLabel()
        self.status.setObjectName("results_status")
        self.status.setContentsMargins(16, 0, 16, 0)
        outer.addWidget(self.status)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroll, 1)
        self.body = QWidget()
        self.scroll.setWidget(self.body)
        self.lay = QVBoxLayout(self.body)
        self.lay.setContentsMargins(16, 8, 16, 16)
        self.body.setObjectName("report_body")
        self.lay.addWidget(plain_label("Finish an exam, or open a past session from History, to see its report."))
        self.lay.addStretch(1)

    def on_enter(self, journal_path: Any = None, **_kw: Any) -> None:
        if journal_path is None:
            return
        self.journal_path = Path(journal_path)
        self.status.setText("Building the report…")
        self.save_btn.setEnabled(False)
        self.anki_btn.setEnabled(False)
        root, data_dir = self.ctx.sessions_dir, self.ctx.data_dir

        def build() -> tuple[Any, dict[str, Any], list[str]]:
            from proctorprep.report.charts import report_charts
            from proctorprep.report.model import build_report

            report = build_report(self.journal_path, sessions_root=root)
            return report, report_charts(report), _badges_earned(data_dir, report.session_id)

        self.ctx.run_background(build, self._show, lambda msg: self.status.setText(
            f"The report could not be built from {self.journal_path}: {msg}"))

    # ---- showing --------------------------------------------------------------------------------------------
    def _clear(self) -> None:
        """Throw the previous report away whole: a fresh body widget replaces the old one (deleting it and every
        widget and nested layout in it), so the page never holds more than one report."""
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.body = QWidget()
        self.body.setObjectName("report_body")
        self.lay = QVBoxLayout(self.body)
        self.lay.setContentsMargins(16, 8, 16, 16)
        self.lay.setSpacing(12)
        self.scroll.setWidget(self.body)

    def _show(self, built: tuple[Any, dict[str, Any], list[str]]) -> None:
        from proctorprep.report import presentation as pr

        report, charts, badges = built
        self.report = report
        self._clear()
        self.status.setText("")
        self.heading.setText(report.title)
        self.subheading.setText(f"Taken {pr.taken_at(report)} · {pr.plural_minutes(report.duration_s)}")
        self.retake_btn.setEnabled(bool(report.exam_id) and report.kind == "exam")
        self.weakest = pr.weakest_skills(report)
        self.improve_skills = []
        self.practice_btn.setEnabled(bool(report.exam_id) and bool(self.weakest))
        self.practice_btn.setToolTip("A short round of questions from " + " and ".join(self.weakest)
                                     if self.weakest else "No skill breakdown to practise from")

        # 1. What matters: the score and pass/fail, and the proctor's verdict in one sentence.
        top = QHBoxLayout()
        top.setSpacing(12)
        h = pr.headline(report)
        score_box = _card("score_card")
        sl = QVBoxLayout(score_box)
        score_row = QHBoxLayout()
        score = plain_label(h.score, wrap=False)
        score.setObjectName("score_value")
        score.setProperty("passed", h.passed)
        score_row.addWidget(score)
        if h.out_of:
            out_of = plain_label(h.out_of, wrap=False)
            out_of.setObjectName("results_small")
            score_row.addWidget(out_of, 0, Qt.AlignmentFlag.AlignBottom)
        score_row.addStretch(1)
        sl.addLayout(score_row)
        status = plain_label(h.status)
        status.setObjectName("pass_label")
        status.setProperty("passed", h.passed)
        sl.addWidget(status)
        self.score_label = status
        detail = plain_label(h.detail)
        detail.setObjectName("results_small")
        sl.addWidget(detail)
        sl.addStretch(1)
        top.addWidget(score_box, 2)
        verdict_box = _card("verdict_card")
        vl = QVBoxLayout(verdict_box)
        vl.addWidget(_section("The proctor's verdict"))
        verdict = plain_label(pr.verdict_sentence(report))
        verdict.setObjectName("verdict_label")
        verdict.setProperty("verdict", report.verdict)
        vl.addWidget(verdict)
        if report.end_note:
            end_note = plain_label(report.end_note)
            end_note.setObjectName("end_note")
            vl.addWidget(end_note)
        counts = plain_label(pr.counts_line(report))
        counts.setObjectName("results_small")
        vl.addWidget(counts)
        for note in report.threshold_notes:
            line = plain_label(f"A threshold you set was not used: {note.removeprefix('threshold override ')}")
            line.setObjectName("results_small")
            vl.addWidget(line)
        for note in report.notes:        # what limits this analysis (file truncated, soundtrack ends early, ...)
            line = plain_label(f"Note: {note}")
            line.setObjectName("results_small")
            vl.addWidget(line)
        if report.gaps:
            gaps = plain_label("Not counted against you (a device was off): "
                               + ", ".join(pr.gap_text(g.device, g.start_s, g.end_s) for g in report.gaps) + ".")
            gaps.setObjectName("results_small")
            vl.addWidget(gaps)
        if report.conditions is not None:     # screens, the exam window, breaks (or: not judged in a recording)
            cond = plain_label("Exam conditions: " + " ".join(report.conditions.lines()))
            cond.setObjectName("results_conditions")
            vl.addWidget(cond)
        if badges:
            earned = plain_label("New badge" + ("s" if len(badges) > 1 else "") + ": " + ", ".join(badges))
            earned.setObjectName("badges_earned")
            vl.addWidget(earned)
        vl.addStretch(1)
        top.addWidget(verdict_box, 3)
        self.lay.addLayout(top)

        # 2. The three habits to practise, with their advice.
        habits_box = _card("habits_card")
        hl = QVBoxLayout(habits_box)
        hl.addWidget(_section("What to practise next"))
        habits = pr.top_habits(report)
        if not habits:
            hl.addWidget(plain_label("Nothing: no incident at all. Keep the same habits on the day."))
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        for i, hb in enumerate(habits):
            title = plain_label(f"{i + 1}. {hb.label} — {hb.summary}")
            title.setObjectName("habit_title")
            grid.addWidget(title, 2 * i, 0)
            advice = plain_label(f"{hb.request} {hb.advice}")
            grid.addWidget(advice, 2 * i + 1, 0)
        hl.addLayout(grid)
        self.lay.addWidget(habits_box)

        # 3. Timeline and measurements: every chart on the same time axis.
        charts_box = _card("charts_card")
        cl = QVBoxLayout(charts_box)
        cl.addWidget(_section("When it happened"))
        self.charts: dict[str, SceneView] = {}
        for key, scene in charts.items():
            view = SceneView(scene)            # each chart carries its own title
            view.setObjectName(f"chart_{key}")
            cl.addWidget(view)
            self.charts[key] = view
        self.lay.addWidget(charts_box)

        # 4. The details: every incident with its explanation, advice and picture; the skills; the warnings.
        inc_box = _card("incidents_card")
        ib = QVBoxLayout(inc_box)
        ib.addWidget(_section("Every incident"))
        il = QHBoxLayout()
        self.incidents = _table(["#", "When", "Question", "What", "Why"])
        self.incidents.setObjectName("incidents_table")
        _fill(self.incidents, [[str(r.number), f"{_clock(r.start_s)}–{_clock(r.end_s)}", r.question or "",
                                r.label + (" (not counted)" if r.excluded else "")
                                + (" (after the end)" if r.after_end else ""), r.explanation]
                               for r in report.incidents])
        # "What" wraps at a bounded width, so "Why" (the longest text) keeps the room: sized to its contents
        # it took half the table at 1024x700 and left "Why" a column of single words
        head = self.incidents.horizontalHeader()
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        head.resizeSection(3, min(self.incidents.sizeHintForColumn(3), WHAT_WIDTH))
        _fit_rows(self.incidents)
        self.incidents.itemSelectionChanged.connect(self._incident_selected)
        il.addWidget(self.incidents, 1, Qt.AlignmentFlag.AlignTop)
        detail_col = QVBoxLayout()
        self.advice = plain_label("Select an incident to see the advice.")
        self.advice.setObjectName("incident_advice")
        self.advice.setFixedWidth(250)
        detail_col.addWidget(self.advice)
        self.snapshot = QLabel()
        self.snapshot.setObjectName("incident_snapshot")
        self.snapshot.setFixedSize(250, 188)
        self.snapshot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        detail_col.addWidget(self.snapshot)
        detail_col.addStretch(1)
        il.addLayout(detail_col, 0)
        ib.addLayout(il)
        if not report.incidents:
            self.advice.setText("No incidents: you behaved like a model candidate.")
            self.incidents.hide()
            self.snapshot.hide()
        self.lay.addWidget(inc_box)

        row = QHBoxLayout()
        row.setSpacing(12)
        if report.exam is not None and report.exam.skills:
            skills_box = _card("skills_card")
            sk = QVBoxLayout(skills_box)
            sk.addWidget(_section("Score by skill area"))
            skills = _table(["Skill area", "Score"])
            skills.setObjectName("skills_table")
            _fill(skills, [[s.skill, "—" if s.percent is None else f"{s.percent:.0f} %"] for s in report.exam.skills])
            sk.addWidget(skills)
            if report.exam.improve:
                self._improve(sk, report.exam)
            comments = report.exam.comments
            if comments:
                box = plain_label("Your comments:\n" + "\n".join(f"Question {q.number}: {q.comment}"
                                                                   for q in comments))
                box.setObjectName("exam_comments")
                sk.addWidget(box)
            sk.addStretch(1)
            row.addWidget(skills_box, 1)
        if report.warnings:
            warn_box = _card("warnings_card")
            wl = QVBoxLayout(warn_box)
            wl.addWidget(_section("What the proctor said"))
            for w in report.warnings[:8]:
                line = plain_label(f"{_clock(w.t_s)}  {w.message}")
                wl.addWidget(line)
            if len(report.warnings) > 8:
                wl.addWidget(plain_label(f"… and {pr.plural(len(report.warnings) - 8, 'more warning')}"))
            wl.addStretch(1)
            row.addWidget(warn_box, 1)
        self.lay.addLayout(row)
        self.lay.addStretch(1)
        if report.incidents:
            self.incidents.selectRow(0)
        self.save_btn.setEnabled(True)
        self.anki_btn.setEnabled(self._has_exam_result())

    def retake(self) -> None:
        if self.report is not None and self.report.exam_id:
            self.ctx.navigate("home", exam=self.report.exam_id)

    def practise_weakest(self) -> None:
        if self.report is not None and self.report.exam_id and self.weakest:
            self.ctx.navigate("quick_round", bank_id=self.report.exam_id, skills=tuple(self.weakest),
                              reason="Your weakest areas in this exam: " + " and ".join(self.weakest) + ".")

    def _has_exam_result(self) -> bool:
        """Something to put in a deck: an exam with a question that earned less than full credit."""
        exam = getattr(self.report, "exam", None)
        rows = (exam.raw.get("questions") if exam is not None else None) or []
        return any(isinstance(r, dict) and r.get("type") != "info" and (r.get("credit") or 0) < 1 for r in rows)

    def _improve(self, lay: QVBoxLayout, ex: Any) -> None:
        """After a fail, as on the real score report: the top three skills to improve (the report model's, the
        same the HTML, PDF and JSON reports print); "Practise weak areas" then practises exactly these."""
        self.improve_skills = list(ex.improve)
        self.weakest = list(self.improve_skills)
        self.practice_btn.setToolTip("A short round of questions from " + ", ".join(self.weakest))
        lines = "\n".join(f"{i}. {s}" for i, s in enumerate(self.improve_skills, 1))
        box = plain_label(f"Top skills to improve:\n{lines}")
        box.setObjectName("improve_skills")
        lay.addWidget(box)

    def _incident_selected(self) -> None:
        r = self.incidents.currentRow()
        if self.report is None or not 0 <= r < len(self.report.incidents):
            return
        row = self.report.incidents[r]
        self.advice.setText(f"{row.label}: {row.explanation}\n\nWhat to do: {row.advice}")
        if row.snapshot_jpeg:
            pix = QPixmap()
            pix.loadFromData(row.snapshot_jpeg, "JPG")
            self.snapshot.setPixmap(pix.scaled(self.snapshot.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))
        else:
            self.snapshot.clear()
            self.snapshot.setText("No snapshot kept")

    # ---- export ---------------------------------------------------------------------------------------------
    def _ask_export(self, fmt: str) -> None:
        if self.report is None:
            return
        f = export_format(fmt)
        name = f"proctorprep-{self.report.session_id}{f.suffix}"
        path, _ = QFileDialog.getSaveFileName(self, f"Save the report {f.save_as.lower()}", str(Path.home() / name),
                                              f"{f.title} (*{f.suffix})")
        if path:
            self.export(fmt, Path(path))

    def _ask_anki(self) -> None:
        if self.report is None or self.journal_path is None:
            return
        name = f"proctorprep-{self.report.session_id}-missed.apkg"
        path, _ = QFileDialog.getSaveFileName(self, "Export missed questions to Anki", str(Path.home() / name),
                                              "Anki deck (*.apkg)")
        if path:
            self.export_anki(Path(path))

    def export_anki(self, path: Path) -> None:
        """Write the missed questions of this session to an Anki deck on a worker thread."""
        session_dir = self.journal_path if self.journal_path.is_dir() else self.journal_path.parent
        user_exams = self.ctx.data_dir / "exams"
        self.status.setText(f"Writing {path.name}…")

        def write() -> int:
            from proctorprep.report.anki import export_session_missed

            return export_session_missed(session_dir, path, user_exams)

        def done(n: int) -> None:
            self.exported.append(path)
            self.status.setText(f"Saved {n} missed question{'s' if n != 1 else ''} to {path} (open it with Anki)")

        self.ctx.run_background(write, done, lambda msg: self.status.setText(f"Anki export: {msg}"))

    def export(self, fmt: str, path: Path) -> None:
        """Write the report in `fmt` to `path` on a worker thread."""
        report = self.report
        self.status.setText(f"Writing {path.name}…")

        def write() -> list[Path]:
            from proctorprep.report.export import write_report

            return write_report(report, **{fmt: path})

        def done(paths: list[Path]) -> None:
            self.exported.extend(paths)
            self.status.setText(f"Saved {', '.join(str(p) for p in paths)}")

        self.ctx.run_background(write, done, lambda msg: self.status.setText(f"Export failed: {msg}"))
