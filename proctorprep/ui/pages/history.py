"""History: every past session with date, exam, score, verdict and incidents; a trend chart; open an old report;
delete a session (its files really go)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QSizePolicy, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from proctorprep.ui.context import AppContext
from proctorprep.ui.theme import colors
from proctorprep.ui.widgets.common import page_title, plain_label
from proctorprep.wording import local_time, plural


def create_page(ctx: AppContext) -> QWidget:
    return HistoryPage(ctx)


def is_scored_exam(s: Any) -> bool:
    """A mock exam with a score: the only sessions that belong in the score trend and pass/fail (a quick round is
    practice, an analysis has no exam)."""
    return s.kind == "exam" and s.score is not None


def describe_kind(s: Any) -> str:
    """What the session was, in words: the exam, "Quick round: ...", "Analysis of clip.mp4"."""
    if s.kind == "quick":
        return f"Quick round: {s.exam_title or 'practice questions'}"
    if s.kind == "analysis":
        video = str((s.source or {}).get("video") or "")
        return f"Analysis of {Path(video).name}" if video else "Analysis of a recording"
    return s.exam_title or "Mock exam"


def score_text(s: Any) -> str:
    if s.score is None:
        return "—"
    if s.kind == "quick":
        return "practice"            # a quick round is never a pass or fail of the exam
    return f"{s.score} {'pass' if s.passed else 'fail'}"


VERDICT_WORDS = {"pass": "Clean", "warned": "Warned", "terminated": "Ended by the proctor"}
STATUS_WORDS = {"complete": "Finished", "interrupted": "Interrupted", "recovered": "Recovered", "running": "Running"}


class TrendView(QWidget):
    """Score of each mock exam (line, 0-1000, with the 700 pass line) and incidents per session (bars), oldest left,
    dated. Quick rounds and analyses have no exam score: they are left out of the line."""

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[Any] = []
        self.setMinimumHeight(190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Trend of exam scores and incidents")

    def sizeHint(self) -> QSize:
        return QSize(600, 190)

    def paintEvent(self, _e: Any) -> None:
        from proctorprep.wording import short_date

        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = colors()
        text = self.palette().text().color()
        muted = c.muted
        left, top, right, bottom = 52, 28, self.width() - 70, self.height() - 36
        p.setPen(QPen(self.palette().mid().color(), 1))
        p.drawRect(QRectF(left, top, right - left, bottom - top))
        p.setPen(text)
        font = p.font()
        font.setBold(True)
        p.setFont(font)
        p.drawText(QPointF(left, 16), "Your mock exams, oldest first")
        font.setBold(False)
        p.setFont(font)
        p.setPen(c.accent)
        p.drawText(QRectF(0, top - 16, left - 6, 14), Qt.AlignmentFlag.AlignRight, "score")
        p.setPen(muted)
        p.drawText(QRectF(0, top, left - 6, 14), Qt.AlignmentFlag.AlignRight, "1000")
        p.drawText(QRectF(0, bottom - 14, left - 6, 14), Qt.AlignmentFlag.AlignRight, "0")
        data = [s for s in reversed(self.sessions) if s.kind != "quick"][-20:]
        if not data:
            p.drawText(QRectF(left, top, right - left, bottom - top), Qt.AlignmentFlag.AlignCenter,
                       "No mock exams yet")
            return
        n = len(data)
        step = (right - left) / max(1, n)
        most = max(1, max(s.incident_total for s in data))
        y700 = bottom - (bottom - top) * 0.7
        p.setPen(QPen(c.bad, 1, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(left, y700), QPointF(right, y700))
        p.drawText(QPointF(left + 4, y700 - 3), "pass 700")
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c.warn)
        for i, s in enumerate(data):
            h = (bottom - top) * 0.5 * s.incident_total / most
            bar = min(step * 0.4, 28.0)
            p.drawRect(QRectF(left + (i + 0.5) * step - bar / 2, bottom - h, bar, h))
        pts = [QPointF(left + (i + 0.5) * step, bottom - (bottom - top) * (s.score or 0) / 1000.0)
               for i, s in enumerate(data) if is_scored_exam(s)]
        p.setPen(QPen(c.accent, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        if len(pts) > 1:
            p.drawPolyline(QPolygonF(pts))
        for pt in pts:
            p.drawEllipse(pt, 3, 3)
        p.setPen(muted)
        last_x = -1e9
        for i, s in enumerate(data):            # dates under the bars, never overlapping
            x = left + (i + 0.5) * step
            if x - last_x >= 48:
                p.drawText(QRectF(x - 30, bottom + 4, 60, 14), Qt.AlignmentFlag.AlignHCenter, short_date(s.started_at))
                last_x = x
        p.setPen(c.warn)
        p.drawText(QRectF(right + 6, top - 16, 64, 14), Qt.AlignmentFlag.AlignLeft, "incidents")
        p.setPen(muted)
        p.drawText(QRectF(right + 6, bottom - 2 - (bottom - top) * 0.5, 50, 14), Qt.AlignmentFlag.AlignLeft, f"{most}")
        p.drawText(QRectF(right + 6, bottom - 14, 50, 14), Qt.AlignmentFlag.AlignLeft, "0")


def _streaks_panel() -> QWidget | None:
    """Streaks and habit trends in plain words, from the badges page (absent if that page is not installed)."""
    try:
        from proctorprep.ui.pages.badges import StreaksPanel
    except ImportError:
        return None
    panel = StreaksPanel()
    panel.setObjectName("history_streaks")
    return panel


class HistoryPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.sessions: list[Any] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        lay.addWidget(page_title("History"))
        trend_row = QHBoxLayout()
        self.trend = TrendView()
        trend_row.addWidget(self.trend, 3)
        self.streaks = _streaks_panel()
        if self.streaks is not None:
            trend_row.addWidget(self.streaks, 2)
        lay.addLayout(trend_row)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("history_table")
        self.table.setHorizontalHeaderLabels(["When", "What", "Score", "Proctor", "Incidents", "Status"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        h = self.table.horizontalHeader()
        for i in (0, 2, 3, 4, 5):
            h.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(lambda _it: self.open_selected())
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.info = plain_label("")
        self.info.setObjectName("history_info")
        row.addWidget(self.info, 1)
        self.open_btn = QPushButton("Open report")
        self.open_btn.setProperty("primary", True)
        self.open_btn.clicked.connect(self.open_selected)
        self.delete_btn = QPushButton("Delete session…")
        self.delete_btn.clicked.connect(self.ask_delete)
        self.confirm_btn = QPushButton("Yes, delete it")
        self.confirm_btn.setObjectName("confirm_delete")
        self.confirm_btn.clicked.connect(self.delete_selected)
        self.confirm_btn.hide()
        for b in (self.open_btn, self.delete_btn, self.confirm_btn):
            row.addWidget(b)
        lay.addLayout(row)

    def on_enter(self, **_kw: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        root = self.ctx.sessions_dir

        want_trends = self.streaks is not None

        def load() -> tuple[list[Any], Any]:
            from proctorprep.journal.history import list_sessions

            sessions = list_sessions(root)
            trends = None
            if want_trends:
                from proctorprep.progress.from_journal import load_history
                from proctorprep.progress.streaks import trends as compute_trends

                trends = compute_trends(load_history(root).sessions)
            return sessions, trends

        self.ctx.run_background(load, self._loaded, lambda msg: self.info.setText(f"History unavailable: {msg}"))

    def _loaded(self, loaded: tuple[list[Any], Any]) -> None:
        sessions, trends = loaded
        if trends is not None and self.streaks is not None:
            self.streaks.set_trends(trends)
        self.sessions = sorted(sessions, key=lambda s: s.started_at, reverse=True)
        self.trend.sessions = self.sessions
        self.trend.update()
        self.table.setRowCount(len(self.sessions))
        for r, s in enumerate(self.sessions):
            proctored = s.kind != "quick"
            cells = [local_time(s.started_at), describe_kind(s), score_text(s),
                     VERDICT_WORDS.get(s.verdict, s.verdict) if proctored else "not proctored",
                     str(s.incident_total) if proctored else "—", STATUS_WORDS.get(s.status, s.status)]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if self.sessions:
            self.table.selectRow(0)
        self.info.setText(f"{plural(len(self.sessions), 'session')}." if self.sessions else
                          "No sessions yet: take a mock exam from Home.")
        self.confirm_btn.hide()
        self.delete_btn.show()

    def _selected(self) -> Any:
        r = self.table.currentRow()
        return self.sessions[r] if 0 <= r < len(self.sessions) else None

    def open_selected(self) -> None:
        s = self._selected()
        if s is not None:
            self.ctx.navigate("results", journal_path=s.journal_path)

    def ask_delete(self) -> None:
        s = self._selected()
        if s is None:
            return
        self.info.setText(f"Delete the session of {local_time(s.started_at)} ({describe_kind(s)})? Its journal, snapshots "
                          "and reports are removed for good.")
        self.delete_btn.hide()
        self.confirm_btn.show()
        self.confirm_btn.setFocus()

    def delete_selected(self) -> None:
        s = self._selected()
        if s is None:
            return
        root = self.ctx.sessions_dir

        def delete() -> list[Any]:
            from proctorprep.journal.history import delete_session

            return delete_session(s.id, root)

        def done(removed: list[Any]) -> None:
            self.refresh()
            self.ctx.show_banner("history", f"Deleted session {s.id} ({plural(len(removed), 'file')} removed).", "info")

        self.ctx.run_background(delete, done, lambda msg: self.info.setText(f"Could not delete: {msg}"))
