"""Journey page: the certifications and exams the practice is for, their renewal windows, whether each planned exam
is ready to book (and why), the practice plan after a failed exam, real badges attached, and the calendar export.

The page owns no rules: everything it shows comes from `proctorprep.progress.journey_overview.load_overview`,
computed on a worker thread each time the page is shown; every change is load → edit → save of the journey file on a
worker thread, then a refresh. Every text that came from a file (badge names, issuers, exam titles) is shown as plain
text, never as rich text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QFileDialog, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from proctorprep.progress import journey as jr
from proctorprep.progress.journey import Certification, Exam, ImportedBadge, Journey
from proctorprep.progress.journey_overview import JourneyOverview, badge_dir, load_overview
from proctorprep.progress.renewal_window import RenewalStatus
from proctorprep.ui.context import AppContext
from proctorprep.ui.theme import colors
from proctorprep.ui.widgets.common import page_title, plain_label, scrolled_body

THUMB = 72
EXAM_ORDER = {"booked": 0, "planned": 1, "failed": 2, "passed": 3}     # what is coming first, history last


def create_page(ctx: AppContext) -> QWidget:
    return JourneyPage(ctx)


RENEWAL_KEYS = ("renewal_round", "renewal")    # the renewal round page's key (issue 21), as registered in ui.pages


def renewal_page() -> tuple[str, str]:
    """(page key, button words) for a certification's renewal round: the renewal round page when this build has it
    (issue 21), else the quick round on the same bank, which stands in for it (a handful of questions, no proctor,
    no clock)."""
    from proctorprep.ui.pages import available_pages

    keys = {p.key for p in available_pages()}
    for key in RENEWAL_KEYS:
        if key in keys:
            return key, "Start the renewal round"
    return "quick_round", "Renewal practice (quick round)"


def marks(lines: list[str]) -> str:
    """The model's '[x]' / '[ ]' check lines, drawn as ticks and circles."""
    out = []
    for line in lines:
        stripped = line.lstrip()
        pad = line[:len(line) - len(stripped)]
        if stripped.startswith("[x] "):
            line = pad + "✓ " + stripped[4:]
        elif stripped.startswith("[ ] "):
            line = pad + "○ " + stripped[4:]
        out.append(line)
    return "\n".join(out)


def _day(d: date | None) -> str:
    return jr.day_words(d) if d else ""


def _state_colour(state: str) -> str:
    c = colors()
    return {"closing": c.bad, "expired": c.bad, "open": c.warn, "not-open": c.ok}.get(state, c.muted).name()


def _heading(text: str) -> QLabel:
    label = plain_label(text)
    label.setStyleSheet("font-size: 13pt; font-weight: 600; margin-top: 6px;")
    return label


def _button(text: str, name: str, slot: Callable[[], None], tip: str = "") -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setAccessibleName(tip or text)
    if tip:
        b.setToolTip(tip)
    b.clicked.connect(lambda: slot())
    return b


def badge_pixmap(path: Path) -> QPixmap | None:
    """A thumbnail of a kept badge image. An SVG that refers to anything outside itself is not drawn (a hostile
    picture must not make Qt read other files); what does not decode is not drawn either."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    pix = QPixmap()
    if path.suffix == ".svg":
        import re

        from PySide6.QtSvg import QSvgRenderer

        if any(not ref.startswith((b"data:", b"#")) for ref in re.findall(rb'href\s*=\s*["\']([^"\']*)', data)):
            return None
        renderer = QSvgRenderer(QByteArray(data))
        if not renderer.isValid():
            return None
        pix = QPixmap(THUMB, THUMB)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        renderer.render(painter)
        painter.end()
        return pix
    if not pix.loadFromData(data):
        return None
    return pix.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class Card(QFrame):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(10, 8, 10, 8)
        self.lay.setSpacing(4)

    def buttons(self, *buttons: QPushButton) -> None:
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        row.addStretch(1)
        self.lay.addLayout(row)


class JourneyPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.overview: JourneyOverview | None = None
        self._loading = False
        self.message = ""
        self.forms: list[Any] = []
        self.cert_cards: dict[str, Card] = {}
        self.exam_cards: dict[str, Card] = {}
        # replaced in tests: the real ones ask the user
        self.choose_badge_file: Callable[[], str] = lambda: QFileDialog.getOpenFileName(
            self, "Attach a badge downloaded from your badge wallet", str(Path.home()),
            "Badge images (*.png *.svg)")[0]
        self.choose_ics_path: Callable[[], str] = lambda: QFileDialog.getSaveFileName(
            self, "Save the calendar", str(Path.home() / "certification-journey.ics"), "iCalendar (*.ics)")[0]
        self.confirm: Callable[[str], bool] = lambda text: QMessageBox.question(
            self, "Remove?", text) == QMessageBox.StandardButton.Yes
        self.today: Callable[[], date] = date.today

        lay = scrolled_body(self, (24, 16, 24, 16))
        lay.addWidget(page_title("Certification journey", 18))
        lay.addWidget(plain_label("The real certifications and exams your practice is for: renewal windows, whether "
                                  "each planned exam is ready to book, what to practise after a fail, and the badges "
                                  "you downloaded. Kept on this computer only."))
        top = QHBoxLayout()
        self.add_cert_btn = _button("Add certification…", "add_cert", self.add_certification)
        self.add_exam_btn = _button("Add exam…", "add_exam", self.add_exam)
        self.ics_btn = _button("Export calendar…", "export_ics", self.export_calendar,
                               "Save exam dates and renewal windows as an .ics file for your calendar")
        for b in (self.add_cert_btn, self.add_exam_btn, self.ics_btn):
            top.addWidget(b)
        top.addStretch(1)
        lay.addLayout(top)

        self.renewals = QGroupBox("Renewals")
        self.renewals.setObjectName("renewals")
        self.renewals_lay = QVBoxLayout(self.renewals)
        lay.addWidget(self.renewals)
        self.body = QWidget()
        self.body_lay = QVBoxLayout(self.body)
        self.body_lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.body)
        self.status_line = plain_label("Reading your journey…")
        self.status_line.setObjectName("journey_status")
        lay.addWidget(self.status_line)
        lay.addStretch(1)

    # ---- lifecycle

    def on_enter(self, **_kwargs: Any) -> None:
        # The start-up card about an open renewal window says what this page's Renewals box says, with the same
        # button; floating over the top right here, it covered the page's first lines.
        self.ctx.clear_banner("renewal")
        self.refresh()

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        data, today = self.ctx.data_dir, self.today()
        self.ctx.run_background(lambda: load_overview(data, today), self._show, self._failed)

    def _failed(self, message: str) -> None:
        self._loading = False
        self.status_line.setText(f"Could not read your journey: {message}")

    def _show(self, ov: JourneyOverview) -> None:
        self._loading = False
        self.overview = ov
        self._fill_renewals(ov)
        _clear(self.body_lay)
        self.cert_cards, self.exam_cards = {}, {}
        j = ov.journey
        if not j.certifications and not j.exams:
            self.body_lay.addWidget(plain_label("Nothing here yet. Add the certification you are working towards "
                                                "and the exam that leads to it; the app then tells you when you are "
                                                "ready to book and when to renew."))
        if j.certifications:
            self.body_lay.addWidget(_heading("Certifications"))
            for c in j.certifications:
                card = self._cert_card(c, ov.renewal(c.id))
                self.cert_cards[c.id] = card
                self.body_lay.addWidget(card)
        if j.exams:
            self.body_lay.addWidget(_heading("Exams"))
            for e in sorted(j.exams, key=lambda e: (EXAM_ORDER[e.status], e.date or date.max)):
                card = self._exam_card(e, ov)
                self.exam_cards[e.id] = card
                self.body_lay.addWidget(card)
        self.status_line.setText("\n".join(([self.message] if self.message else []) + ov.problems))
        for b in (self.add_cert_btn, self.add_exam_btn):
            b.setEnabled(j.writable)

    def _fill_renewals(self, ov: JourneyOverview) -> None:
        _clear(self.renewals_lay)
        due = ov.reminders
        if not due:
            self.renewals_lay.addWidget(plain_label("No renewal window is open."))
            return
        key, words = renewal_page()
        for s in due:
            row = QHBoxLayout()
            text = plain_label(s.text)
            text.setObjectName(f"renewal_{s.cert_id}")
            text.setStyleSheet(f"color: {_state_colour(s.state)}; font-weight: 600;")
            row.addWidget(text, 1)
            cert = ov.journey.cert(s.cert_id)
            btn = _button(words, f"renew_round_{s.cert_id}",
                          lambda c=cert, k=key: self.renewal_round(c, k))
            btn.setEnabled(bool(cert.bank_id))
            if not cert.bank_id:
                btn.setToolTip("Link a practice bank to this certification first (Edit…)")
            row.addWidget(btn, 0, Qt.AlignmentFlag.AlignTop)
            self.renewals_lay.addLayout(row)
        if key == "quick_round":
            self.renewals_lay.addWidget(plain_label("The renewal round is not in this version yet: a quick round on "
                                                    "the same bank (a handful of questions, no proctor, no clock) "
                                                    "stands in for it. Renew on Microsoft Learn, then press "
                                                    "“Renewed today”."))

    # ---- cards

    def _cert_card(self, c: Certification, st: RenewalStatus | None) -> Card:
        card = Card(f"cert_{c.id}")
        head = plain_label(c.name)
        head.setStyleSheet("font-weight: 600; font-size: 12pt;")
        card.lay.addWidget(head)
        codes = f" · {', '.join(c.exam_codes)}" if c.exam_codes else ""
        bank = f" · practice bank: {self.overview.bank_title(c.bank_id)}" if c.bank_id and self.overview else ""
        card.lay.addWidget(plain_label(f"{c.kind}{codes}{bank}" + (f" · earned {_day(c.earned_on)}"
                                                                    if c.earned_on else "")))
        if st is not None:
            state = plain_label(st.text)
            state.setObjectName("cert_state")
            state.setStyleSheet(f"color: {_state_colour(st.state)};")
            card.lay.addWidget(state)
        for b in c.badges:
            card.lay.addLayout(self._badge_row(b))
        buttons = [_button("Attach badge…", f"attach_{c.id}", lambda: self.attach_badge(c.id),
                           f"Attach a badge image downloaded from your badge wallet to {c.name}"),
                   _button("Edit…", f"edit_{c.id}", lambda: self.edit_certification(c.id))]
        if st is not None and st.window_open:
            buttons.append(_button("Renewed today", f"renewed_{c.id}", lambda: self.record_renewal(c.id),
                                   "You passed the renewal assessment today: move the expiry on by a year"))
        buttons.append(_button("Remove", f"remove_{c.id}", lambda: self.remove(c.id, c.name)))
        card.buttons(*buttons)
        return card

    def _badge_row(self, b: ImportedBadge) -> QHBoxLayout:
        row = QHBoxLayout()
        pic = QLabel()
        pic.setFixedSize(THUMB, THUMB)
        pix = badge_pixmap(badge_dir(self.ctx.data_dir) / b.image_file) if b.image_file else None
        if pix is not None:
            pic.setPixmap(pix)
        else:
            pic.setText("(no picture)")
        pic.setAccessibleName(f"Badge picture: {b.name}")
        row.addWidget(pic, 0, Qt.AlignmentFlag.AlignTop)
        expires = f", expires {b.expires}" if b.expires else ""
        text = plain_label(f"{b.name}\nfrom {b.issuer or 'an unnamed issuer'} · Open Badges {b.version} · issued "
                           f"{b.issued or 'on an unknown date'}{expires}\n{b.signature}")
        text.setObjectName("badge_text")
        row.addWidget(text, 1)
        return row

    def _exam_card(self, e: Exam, ov: JourneyOverview) -> Card:
        card = Card(f"exam_{e.id}")
        when = f" — {_day(e.date)}{' ' + e.time if e.time else ''}" if e.date else ""
        head = plain_label(f"{e.label} · {e.status}{when}")
        head.setStyleSheet("font-weight: 600; font-size: 12pt;")
        card.lay.addWidget(head)
        if e.score is not None:
            card.lay.addWidget(plain_label(f"Score {e.score} of 1000 (700 passes)"))
        if e.skills:
            card.lay.addWidget(SkillBars(e.skills))
        r = ov.readiness.get(e.id)
        if r is not None:
            lines = plain_label(marks(r.lines()[1:]))
            lines.setObjectName("readiness")
            headline = plain_label(r.headline)
            headline.setObjectName("readiness_headline")
            headline.setStyleSheet(f"font-weight: 600; color: {(colors().ok if r.ready else colors().warn).name()};")
            card.lay.addWidget(headline)
            card.lay.addWidget(lines)
        buttons = [_button("Edit…", f"edit_{e.id}", lambda: self.edit_exam(e.id))]
        steps = ov.plans.get(e.id)
        if e.plan is not None and steps is not None:
            from proctorprep.progress.plan import next_step, plan_lines

            plan = plain_label(marks(plan_lines(e.plan, steps, ov.bank_title(e.plan.bank_id))))
            plan.setObjectName("plan")
            card.lay.addWidget(plan)
            step = next_step(steps)
            if step is not None:
                what = f"Practise: {step.skill}" if step.kind == "quick" else "Take the full mock exam"
                buttons.append(_button(what, f"practise_{e.id}", lambda: self.practise(e.plan.bank_id, step)))
        if e.status == "failed":
            self.weak_edit = QLineEdit()
            self.weak_edit.setObjectName(f"weak_{e.id}")
            self.weak_edit.setPlaceholderText("weakest skills, comma-separated (empty: the lowest skill bars)")
            self.weak_edit.setAccessibleName("Weakest skills from the score report")
            self.weak_edit.setMaxLength(jr.MAX_TEXT)
            card.lay.addWidget(self.weak_edit)
            weak = self.weak_edit
            buttons.append(_button("Remake practice plan" if e.plan else "Make practice plan", f"plan_{e.id}",
                                   lambda: self.make_plan(e.id, weak.text())))
        buttons.append(_button("Remove", f"remove_{e.id}", lambda: self.remove(e.id, e.label)))
        card.buttons(*buttons)
        return card

    # ---- changes (load, change, save on a worker thread; then refresh)

    def say(self, text: str) -> None:
        """What the last action did (kept above the problems when the page refreshes)."""
        self.message = text
        self.status_line.setText(text)

    def _change(self, change: Callable[[Journey], str]) -> None:
        data = self.ctx.data_dir

        def work() -> str:
            j = jr.load(data)
            text = change(j)
            jr.save(j)
            return text

        def done(text: str) -> None:
            self.say(text)
            self.refresh()

        def failed(message: str) -> None:
            self.say(message)
            self.ctx.show_banner("journey", message, "error")

        self.ctx.run_background(work, done, failed)

    def _banks(self) -> list[tuple[str, str]]:
        return [(b.id, b.title) for b in self.overview.banks.values()] if self.overview else []

    def _open(self, form: Any) -> None:
        self.forms = [f for f in self.forms if f.isVisible()] + [form]
        form.open()

    def add_certification(self) -> None:
        from proctorprep.ui.journey_forms import CertForm

        def save(values: dict[str, Any]) -> None:
            self._change(lambda j: f"Added {jr.add_certification(j, Certification(id='', **values)).name}.")

        self._open(CertForm(self, self._banks(), save))

    def edit_certification(self, cert_id: str) -> None:
        from proctorprep.ui.journey_forms import CertForm

        assert self.overview is not None
        cert = self.overview.journey.cert(cert_id)
        self._open(CertForm(self, self._banks(), lambda v: self._change(
            lambda j: f"Changed {jr.update_certification(j, cert_id, **v).name}."), cert))

    def add_exam(self) -> None:
        from proctorprep.ui.journey_forms import ExamForm

        certs = [(c.id, c.name) for c in self.overview.journey.certifications] if self.overview else []
        self._open(ExamForm(self, self._banks(), certs, lambda v: self._change(
            lambda j: f"Added exam {jr.add_exam(j, Exam(id='', **v)).label}.")))

    def edit_exam(self, exam_id: str) -> None:
        from proctorprep.ui.journey_forms import ExamForm

        assert self.overview is not None
        certs = [(c.id, c.name) for c in self.overview.journey.certifications]
        exam = self.overview.journey.exam(exam_id)
        self._open(ExamForm(self, self._banks(), certs, lambda v: self._change(
            lambda j: f"Changed exam {jr.update_exam(j, exam_id, **v).label}."), exam))

    def remove(self, entry_id: str, label: str) -> None:
        if self.confirm(f"Remove {label} from your journey? Its attached badges go with it."):
            self._change(lambda j: f"Removed {jr.remove(j, entry_id)}.")

    def record_renewal(self, cert_id: str) -> None:
        from proctorprep.progress.renewal_window import renew

        today = self.today()

        def change(j: Journey) -> str:
            new = renew(j.cert(cert_id), today)
            jr.update_certification(j, cert_id, expires_on=new.expires_on, renewed_on=new.renewed_on)
            return f"Renewed {new.name}: it now expires on {_day(new.expires_on)}."

        self._change(change)

    def make_plan(self, exam_id: str, weak_text: str) -> None:
        from proctorprep.progress.journey_overview import plan_for_failed

        weak = [w.strip() for w in weak_text.split(",") if w.strip()]
        data, today = self.ctx.data_dir, self.today()
        self._change(lambda j: f"Practice plan made for {plan_for_failed(j, exam_id, weak, data, today).label}.")

    def attach_badge(self, cert_id: str) -> None:
        from proctorprep.progress.journey_overview import import_badge

        source = self.choose_badge_file()
        if not source:
            return
        data, today = self.ctx.data_dir, self.today()
        self._change(lambda j: f"Attached {import_badge(j, cert_id, Path(source), data, today).name}.")

    def export_calendar(self) -> None:
        from proctorprep.progress.calendar_export import write_calendar

        dest = self.choose_ics_path()
        if not dest:
            return
        data, today = self.ctx.data_dir, self.today()

        def work() -> Path:
            return write_calendar(jr.load(data), Path(dest), today)

        self.ctx.run_background(work, lambda p: self.say(f"Saved {p}: import it into your calendar."),
                                lambda m: self.say(f"Could not save the calendar in {dest}: {m}"))

    # ---- practice

    def renewal_round(self, cert: Certification, key: str) -> None:
        self.ctx.navigate(key, bank_id=cert.bank_id, reason=f"Renewal practice for {cert.name}")

    def practise(self, bank_id: str, step: Any) -> None:
        if step.kind == "quick":
            self.ctx.navigate("quick_round", bank_id=bank_id, skills=(step.skill,),
                              reason=f"Practice plan: {step.skill}")
        else:
            title = self.overview.bank_title(bank_id) if self.overview else bank_id
            self.say(f"Choose {title} on the Home page and start the full mock exam.")
            self.ctx.navigate("home")


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())


class SkillBars(QWidget):
    """The real score report's bars: one thin bar per skill area, 0–100 %, the weak ones (< 70 %) in the warning
    colour."""

    def __init__(self, skills: tuple[jr.SkillBar, ...]) -> None:
        super().__init__()
        self.skills = skills
        self.setObjectName("skill_bars")
        self.setMinimumHeight(18 * len(skills) + 4)
        self.setAccessibleName("Score report: " + "; ".join(f"{s.skill} {s.percent:.0f} %" for s in skills))

    def paintEvent(self, _e: Any) -> None:  # noqa: N802 (Qt name)
        from PySide6.QtCore import QRectF

        p = QPainter(self)
        c = colors()
        text = self.palette().text().color()
        label_w = min(300, self.width() // 2)
        for i, s in enumerate(self.skills):
            y = 2 + i * 18
            p.setPen(text)
            p.drawText(QRectF(0, y, label_w - 8, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       p.fontMetrics().elidedText(s.skill, Qt.TextElideMode.ElideRight, label_w - 8))
            full = max(10, self.width() - label_w - 50)
            track = self.palette().mid().color()
            track.setAlpha(70)                      # a faint track on light and dark windows alike
            p.fillRect(QRectF(label_w, y + 3, full, 10), track)
            p.fillRect(QRectF(label_w, y + 3, full * s.percent / 100, 10), c.warn if s.percent < 70 else c.ok)
            p.drawText(QRectF(label_w + full + 6, y, 44, 16), Qt.AlignmentFlag.AlignVCenter, f"{s.percent:.0f} %")
