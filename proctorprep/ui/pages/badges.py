"""Badges page: every badge with when and in which session it was earned (or what is still missing), streaks and
trends, export of a badge as SVG + PNG, and the way to a quick round.

Badges are computed from the journals each time the page is shown (on a worker thread), never stored, so a deleted
session's badges are gone the next time the page opens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFileDialog, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
    QSizePolicy, QVBoxLayout, QWidget,
)

from proctorprep.journal.store import JOURNAL_NAME
from proctorprep.progress.badge_image import export_badge, icon_png
from proctorprep.progress.badges import BadgeStatus
from proctorprep.progress.overview import Progress, export_earned, load_progress
from proctorprep.progress.streaks import RatePoint, Trends
from proctorprep.progress.summary import day_text
from proctorprep.ui.context import AppContext
from proctorprep.ui.theme import colors

ICON_SCALE = 0.2             # 600-unit drawing -> 120 px icons
COLUMNS = 3                  # at the most: fewer when the cards would not fit side by side (1024 px wide)
SPACING = 10                 # between cards
MARGIN = 24                  # the page's left and right margin


def create_page(ctx: AppContext) -> QWidget:
    return BadgesPage(ctx)


def _plain(text: str = "", wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)     # session titles come from question banks: never rich text
    label.setText(text)
    label.setWordWrap(wrap)
    return label


class TrendChart(QWidget):
    """Incidents per hour, one bar per proctored session (the latest 12), oldest on the left."""

    def __init__(self) -> None:
        super().__init__()
        self.points: list[RatePoint] = []
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Incidents per hour, session by session")

    def set_points(self, points: list[RatePoint]) -> None:
        self.points = points[-12:]
        self.setToolTip("\n".join(f"{p.label}: {p.per_hour:.1f} per hour" for p in self.points))
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        w, h = self.width(), self.height()
        p.setPen(pal.color(pal.ColorRole.WindowText))
        if not self.points:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No proctored sessions yet")
            return
        top = max(max(pt.per_hour for pt in self.points), 1.0)
        n = len(self.points)
        slot = (w - 20) / n
        base = h - 22
        for i, pt in enumerate(self.points):
            bar_h = (base - 18) * pt.per_hour / top
            x = 10 + i * slot + slot * 0.2
            colour = colors().ok if pt.per_hour == 0 else colors().warn
            p.fillRect(QRectF(x, base - bar_h, slot * 0.6, max(bar_h, 2)), colour)
            p.drawText(QRectF(x - slot * 0.2, base - bar_h - 16, slot, 14), Qt.AlignmentFlag.AlignCenter,
                       f"{pt.per_hour:.0f}" if pt.per_hour >= 10 else f"{pt.per_hour:.1f}")
            p.drawText(QRectF(x - slot * 0.2, base + 4, slot, 16), Qt.AlignmentFlag.AlignCenter,
                       day_text(pt.started_at)[:-5])     # "3 Nov"
        p.setPen(QColor(pal.color(pal.ColorRole.Mid)))
        p.drawLine(10, int(base), w - 10, int(base))


class StreaksPanel(QGroupBox):
    """Streaks and trends in plain words with the incidents-per-hour chart. The history page can embed it too:
    `panel.set_trends(proctorprep.progress.streaks.trends(sessions))` (compute that on a worker thread)."""

    def __init__(self) -> None:
        super().__init__("Streaks and trends")
        lay = QVBoxLayout(self)
        self.text = _plain("")
        self.text.setObjectName("trend_text")
        lay.addWidget(self.text)
        self.chart = TrendChart()
        lay.addWidget(self.chart)

    def set_trends(self, trends: Trends) -> None:
        self.text.setText("\n".join(trends.lines()))
        self.chart.set_points(trends.rates)


class BadgeCardWidget(QFrame):
    """One badge: its picture, name, how to earn it, and when/where it was earned or what is missing."""

    def __init__(self, status: BadgeStatus, icon: bytes, on_export: Callable[[BadgeStatus], None],
                 on_open: Callable[[BadgeStatus], None]) -> None:
        super().__init__()
        self.status = status
        self.setObjectName(f"badge_{status.badge.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QHBoxLayout(self)
        self.icon = QLabel()
        pix = QPixmap()
        pix.loadFromData(icon, "PNG")
        self.icon.setPixmap(pix)
        self.icon.setFixedSize(pix.size())
        self.icon.setAccessibleName(f"{status.badge.name} badge picture")
        lay.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        self.name = _plain(status.badge.name)
        self.name.setStyleSheet("font-weight: 600; font-size: 12pt;")
        text.addWidget(self.name)
        if status.earned:
            when = day_text(status.earned_at) if status.earned_at else ""
            self.state = _plain(f"Earned {when} in {status.session_label}")
            self.state.setStyleSheet(f"color: {colors().ok.name()};")
        else:
            self.state = _plain(status.missing)
        self.state.setObjectName("badge_state")
        text.addWidget(self.state)
        how = _plain(status.badge.how)
        how.setStyleSheet("color: palette(mid);")
        text.addWidget(how)
        self.export_btn = QPushButton("Save image…")
        self.export_btn.setEnabled(status.earned)
        self.export_btn.setAccessibleName(f"Export the {status.badge.name} badge as SVG and PNG")
        self.export_btn.setToolTip("Save this badge as SVG and PNG with your name and the date" if status.earned
                                   else "Earn this badge first")
        self.export_btn.clicked.connect(lambda: on_export(status))
        # one above the other: side by side they made a card 390 px wide, and three such cards did not fit at 1024
        buttons = QVBoxLayout()
        buttons.addWidget(self.export_btn, 0, Qt.AlignmentFlag.AlignLeft)
        self.open_btn = QPushButton("Open session")
        self.open_btn.setVisible(status.earned)
        self.open_btn.setAccessibleName(f"Open the report of the session that earned {status.badge.name}")
        self.open_btn.clicked.connect(lambda: on_open(status))
        buttons.addWidget(self.open_btn, 0, Qt.AlignmentFlag.AlignLeft)
        text.addLayout(buttons)
        text.addStretch(1)
        lay.addLayout(text, 1)


class BadgesPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.progress: Progress | None = None
        self.cards: list[BadgeCardWidget] = []
        self._grids: list[tuple[QGridLayout, list[BadgeCardWidget]]] = []
        self.columns = COLUMNS
        self._loading = False
        # Replaced in tests; the real one asks the user for a folder.
        self.choose_folder: Callable[[], str] = lambda: QFileDialog.getExistingDirectory(
            self, "Save badge images in", str(Path.home()))

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # cards wrap their text to the width there is; a sideways scroll bar would hide the buttons on the right
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(MARGIN, 16, MARGIN, 16)

        title = QLabel("Badges and progress")
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        lay.addWidget(title)
        lay.addWidget(_plain("Earned from your practice sessions, never hand-edited: delete a session and its badges "
                             "go with it. Badge images are made on this computer; nothing is uploaded."))

        top = QHBoxLayout()
        top.addWidget(QLabel("Name on badges:"))
        self.name_edit = QLineEdit(ctx.settings.candidate_name)
        self.name_edit.setObjectName("candidate_name")
        self.name_edit.setPlaceholderText("your name, as it should appear on exported badges")
        self.name_edit.setAccessibleName("Name printed on badges")
        self.name_edit.setMaxLength(80)
        self.name_edit.editingFinished.connect(self._save_name)
        top.addWidget(self.name_edit, 1)
        self.export_all_btn = QPushButton("Export all earned…")
        self.export_all_btn.clicked.connect(self._export_all)
        top.addWidget(self.export_all_btn)
        self.quick_btn = QPushButton("Start a quick round")
        self.quick_btn.setToolTip("A handful of questions, no camera, no clock: keep your knowledge fresh")
        self.quick_btn.clicked.connect(lambda: ctx.navigate("quick_round"))
        top.addWidget(self.quick_btn)
        lay.addLayout(top)

        self.summary = _plain("Reading your sessions…")
        self.summary.setObjectName("badges_summary")
        self.summary.setStyleSheet("font-size: 11pt;")
        lay.addWidget(self.summary)

        self.streaks = StreaksPanel()
        self.trend_text, self.chart = self.streaks.text, self.streaks.chart
        lay.addWidget(self.streaks)

        # Rebuilt on every refresh: a heading and a grid of cards per kind of badge.
        self.sections = QWidget()
        self.sections_lay = QVBoxLayout(self.sections)
        self.sections_lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.sections)
        self.status_line = _plain("")
        self.status_line.setObjectName("badges_status")
        lay.addWidget(self.status_line)
        lay.addStretch(1)

    # ---- lifecycle

    def on_enter(self, **_kwargs) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute badges from the journals on a worker thread; the page fills in when done."""
        if self._loading:
            return
        self._loading = True
        data_dir, name = self.ctx.data_dir, self.ctx.settings.candidate_name

        def work() -> tuple[Progress, dict[str, bytes]]:
            progress = load_progress(data_dir)
            return progress, {b.badge.id: icon_png(b, name, ICON_SCALE) for b in progress.badges}

        self.ctx.run_background(work, self._show, self._failed)

    def _failed(self, message: str) -> None:
        self._loading = False
        self.summary.setText(f"Could not read your sessions: {message}")

    def _show(self, result: tuple[Progress, dict[str, bytes]]) -> None:
        self._loading = False
        progress, icons = result
        self.progress = progress
        earned = progress.earned
        goal = progress.next_goal
        lines = [f"{len(earned)} of {len(progress.badges)} badges earned."]
        if goal is not None:
            lines.append(f"Next: {goal.badge.name} — {goal.missing}")
        quick = progress.quick_rounds
        if quick:
            lines.append(f"Quick rounds done: {len(quick)} (they keep knowledge fresh but earn no etiquette badges).")
        lines += progress.problems
        self.summary.setText("\n".join(lines))
        self.streaks.set_trends(progress.trends)
        while self.sections_lay.count():
            old = self.sections_lay.takeAt(0).widget()
            if old is not None:
                old.deleteLater()
        self.cards = []
        self._grids = []
        etiquette = [b for b in progress.badges if b.badge.category == "etiquette"]
        # score badges: exams taken first (they are the ones in reach), each exam's pass before its distinction
        scores = [b for b in progress.badges if b.badge.category == "score"]
        taken = {b.badge.exam_id for b in scores if b.have > 0 or b.earned}
        scores.sort(key=lambda b: b.badge.exam_id not in taken)
        renewals = [b for b in progress.badges if b.badge.category == "renewal"]
        for heading, statuses in (("Proctoring etiquette", etiquette), ("Exam scores", scores),
                                  ("Renewal rounds", renewals)):
            if not statuses:
                continue
            label = QLabel(heading)
            label.setStyleSheet("font-size: 13pt; font-weight: 600; margin-top: 8px;")
            self.sections_lay.addWidget(label)
            box = QWidget()
            grid = QGridLayout(box)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setSpacing(SPACING)
            section = [BadgeCardWidget(status, icons[status.badge.id], self._export_one, self._open_session)
                       for status in statuses]
            self._grids.append((grid, section))
            self.cards += section
            self.sections_lay.addWidget(box)
        self.columns = 0
        self._place_cards()
        self.export_all_btn.setEnabled(bool(earned))

    def fitting_columns(self) -> int:
        """As many columns of cards (up to COLUMNS) as fit side by side in the page's width, at least one."""
        if not self.cards:
            return COLUMNS
        room = self.scroll.viewport().width() - 2 * MARGIN
        card = max(c.minimumSizeHint().width() for c in self.cards)
        return max(1, min(COLUMNS, (room + SPACING) // (card + SPACING)))

    def _place_cards(self) -> None:
        columns = self.fitting_columns()
        if columns == self.columns:
            return
        self.columns = columns
        for grid, section in self._grids:
            for card in section:
                grid.removeWidget(card)
            for c in range(COLUMNS):
                grid.setColumnStretch(c, 1 if c < columns else 0)
            for i, card in enumerate(section):
                grid.addWidget(card, i // columns, i % columns)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._place_cards()

    # ---- actions

    def _open_session(self, status: BadgeStatus) -> None:
        if status.session_id:
            self.ctx.navigate("results", journal_path=self.ctx.sessions_dir / status.session_id / JOURNAL_NAME)

    def _save_name(self) -> None:
        name = self.name_edit.text().strip()
        if name != self.ctx.settings.candidate_name:
            self.ctx.settings.candidate_name = name
            self.ctx.save_settings()
            self.refresh()

    def _export_to(self, dest: str, job: Callable[[Path], list[Path]]) -> None:
        if not dest:
            return
        self.status_line.setText("Saving badge images…")

        def done(written: list[Path]) -> None:
            names = ", ".join(p.name for p in written)
            self.status_line.setText(f"Saved {names} in {dest}")
            self.ctx.show_banner("badges", f"Badge images saved in {dest}", "info")

        def failed(message: str) -> None:
            self.status_line.setText(f"Could not save badge images in {dest}: {message}")
            self.ctx.show_banner("badges", f"Could not save badge images in {dest}: {message}", "error")

        self.ctx.run_background(lambda: job(Path(dest)), done, failed)

    def _export_one(self, status: BadgeStatus) -> None:
        self._save_name()
        name, data_dir = self.ctx.settings.candidate_name, self.ctx.data_dir
        self._export_to(self.choose_folder(), lambda d: list(export_badge(status, name, d, data_dir=data_dir)))

    def _export_all(self) -> None:
        if self.progress is None:
            return
        self._save_name()
        name, progress, data_dir = self.ctx.settings.candidate_name, self.progress, self.ctx.data_dir
        self._export_to(self.choose_folder(), lambda d: export_earned(progress, name, d, data_dir))
