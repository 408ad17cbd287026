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
    QAbstractItemView, QFileDialog, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from proctorprep.ui.context import AppContext
from proctorprep.ui.theme import colors
from proctorprep.ui.widgets.items.base import plain_label
from proctorprep.ui.widgets.scene_view import SceneView


def create_page(ctx: AppContext) -> QWidget:
    return ResultsPage(ctx)


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setWordWrap(True)
    h = t.horizontalHeader()
    for i in range(len(headers) - 1):
        h.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
    h.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return t


def _fill(t: QTableWidget, rows: list[list[str]]) -> None:
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.setItem(r, c, QTableWidgetItem(text))
    t.resizeRowsToContents()
    height = t.horizontalHeader().height() + sum(t.rowHeight(r) for r in range(t.rowCount())) + 6
    t.setMinimumHeight(min(max(height, 60), 420))
    t.setMaximumHeight(max(height, 60))


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
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 16, 0)
        self.heading = plain_label("No session yet", wrap=True)
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 600;")
        bar.addWidget(self.heading, 1)
        self.export_btns: dict[str, QPushButton] = {}
        for fmt, text in (("html", "Export HTML…"), ("pdf", "Export PDF…"), ("json", "Export JSON…")):
            b = QPushButton(text)
            b.setObjectName(f"export_{fmt}")
            b.setEnabled(False)
            b.clicked.connect(lambda _c=False, f=fmt: self._ask_export(f))
            bar.addWidget(b)
            self.export_btns[fmt] = b
        self.anki_btn = QPushButton("Missed questions to Anki…")
        self.anki_btn.setObjectName("export_anki")
        self.anki_btn.setToolTip("Write every question that earned less than full credit to an Anki deck (.apkg)")
        self.anki_btn.setEnabled(False)
        self.anki_btn.clicked.connect(self._ask_anki)
        bar.addWidget(self.anki_btn)
        outer.addLayout(bar)
        self.status = plain_label("")
        self.status.setObjectName("results_status")
        self.status.setContentsMargins(16, 0, 16, 0)
        outer.addWidget(self.status)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        outer.addWidget(self.scroll, 1)
        self.body = QWidget()
        self.scroll.setWidget(self.body)
        self.lay = QVBoxLayout(self.body)
        self.lay.setContentsMargins(16, 8, 16, 16)
        self.lay.addWidget(plain_label("Finish an exam, or open a past session from History, to see its report."))
        self.lay.addStretch(1)

    def on_enter(self, journal_path: Any = None, **_kw: Any) -> None:
        if journal_path is None:
            return
        self.journal_path = Path(journal_path)
        self.status.setText("Building the report…")
        for b in self.export_btns.values():
            b.setEnabled(False)
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
        while self.lay.count():
            item = self.lay.takeAt(0)
            w = item.widget()
            if w is not None:
                w.hide()
                w.deleteLater()

    def _show(self, built: tuple[Any, dict[str, Any], list[str]]) -> None:
        report, charts, badges = built
        self.report = report
        self._clear()
        self.status.setText("")
        self.heading.setText(f"{report.title} — {report.started_at.replace('T', ' ').replace('Z', ' UTC')}")
        c = colors()

        top = QHBoxLayout()
        score_box = QGroupBox("Exam result")
        sl = QVBoxLayout(score_box)
        ex = report.exam
        if ex is not None and ex.score is not None:
            passed = bool(ex.passed)
            score = plain_label(f"{ex.score} / 1000 — {'PASS' if passed else 'FAIL'} (pass at {ex.pass_score or 700})")
            score.setObjectName("score_label")
            score.setStyleSheet(f"font-size: 15pt; font-weight: 600; color: {(c.ok if passed else c.bad).name()};")
            sl.addWidget(score)
            skills = _table(["Skill area", "Score"])
            skills.setObjectName("skills_table")
            _fill(skills, [[s.skill, "—" if s.percent is None else f"{s.percent:.0f} %"] for s in ex.skills])
            sl.addWidget(skills)
        else:
            sl.addWidget(plain_label("No exam result (the exam did not finish)."))
        top.addWidget(score_box, 1)
        verdict_box = QGroupBox("Proctor verdict")
        vl = QVBoxLayout(verdict_box)
        verdict = plain_label(report.verdict_text)
        verdict.setObjectName("verdict_label")
        colour = {"pass": c.ok, "warned": c.warn, "terminated": c.bad}.get(report.verdict, c.accent)
        verdict.setStyleSheet(f"font-size: 13pt; font-weight: 600; color: {colour.name()};")
        vl.addWidget(verdict)
        if report.end_note:
            vl.addWidget(plain_label(report.end_note))
        for note in report.threshold_notes:
            vl.addWidget(plain_label(f"Threshold override not used: {note.removeprefix('threshold override ')}"))
        for note in report.notes:        # what limits this analysis (file truncated, soundtrack ends early, ...)
            vl.addWidget(plain_label(f"Note: {note}"))
        vl.addWidget(plain_label(f"Compliant for {report.compliant_fraction:.0%} of the session; "
                                 f"{len(report.incidents)} incident(s), {len(report.warnings)} warning(s); "
                                 f"profile: {report.profile}."))
        if report.gaps:
            vl.addWidget(plain_label("Device gaps (not counted against you): " + ", ".join(
                f"{g.device} {g.start_s:.0f}–{g.end_s:.0f} s" for g in report.gaps)))
        if badges:
            earned = plain_label("New badge" + ("s" if len(badges) > 1 else "") + ": " + ", ".join(badges))
            earned.setObjectName("badges_earned")
            earned.setStyleSheet("font-weight: 600;")
            vl.addWidget(earned)
        for w in report.warnings[:8]:
            vl.addWidget(plain_label(f"{w.t_s:6.0f} s  {w.action}: {w.message}"))
        vl.addStretch(1)
        top.addWidget(verdict_box, 1)
        self.lay.addLayout(top)

        charts_box = QGroupBox("Timeline and measurements")
        cl = QVBoxLayout(charts_box)
        self.charts: dict[str, SceneView] = {}
        for key, scene in charts.items():
            view = SceneView(scene)            # each chart carries its own title
            view.setObjectName(f"chart_{key}")
            cl.addWidget(view)
            self.charts[key] = view
        self.lay.addWidget(charts_box)

        inc_box = QGroupBox("Incidents")
        il = QHBoxLayout(inc_box)
        self.incidents = _table(["#", "When", "Question", "What", "Explanation"])
        self.incidents.setObjectName("incidents_table")
        _fill(self.incidents, [[str(r.number), f"{r.start_s:.1f}–{r.end_s:.1f} s", r.question or "",
                                r.label + (" (device gap)" if r.excluded else "")
                                + (" (after the end)" if r.after_end else ""), r.explanation]
                               for r in report.incidents])
        self.incidents.itemSelectionChanged.connect(self._incident_selected)
        il.addWidget(self.incidents, 3, Qt.AlignmentFlag.AlignTop)
        detail = QVBoxLayout()
        self.advice = plain_label("Select an incident to see the advice.")
        self.advice.setObjectName("incident_advice")
        self.advice.setMinimumWidth(260)
        detail.addWidget(self.advice)
        self.snapshot = QLabel()
        self.snapshot.setObjectName("incident_snapshot")
        self.snapshot.setFixedSize(240, 180)
        self.snapshot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        detail.addWidget(self.snapshot)
        detail.addStretch(1)
        il.addLayout(detail, 2)
        if not report.incidents:
            self.advice.setText("No incidents: you behaved like a model candidate.")
        self.lay.addWidget(inc_box)
        self.lay.addStretch(1)
        if report.incidents:
            self.incidents.selectRow(0)
        for b in self.export_btns.values():
            b.setEnabled(True)
        self.anki_btn.setEnabled(self._has_exam_result())

    def _has_exam_result(self) -> bool:
        """Something to put in a deck: an exam with a question that earned less than full credit."""
        exam = getattr(self.report, "exam", None)
        rows = (exam.raw.get("questions") if exam is not None else None) or []
        return any(isinstance(r, dict) and r.get("type") != "info" and (r.get("credit") or 0) < 1 for r in rows)

    def _incident_selected(self) -> None:
        r = self.incidents.currentRow()
        if self.report is None or not 0 <= r < len(self.report.incidents):
            return
        row = self.report.incidents[r]
        self.advice.setText(f"{row.label}: {row.explanation}\n\nAdvice: {row.advice}")
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
        name = f"proctorprep-{self.report.session_id}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, f"Export {fmt.upper()}", str(Path.home() / name),
                                              f"{fmt.upper()} (*.{fmt})")
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
