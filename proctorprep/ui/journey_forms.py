"""The two forms of the journey page: a certification and an exam. Each is a small modeless dialog whose fields are
turned into the model's values by `values()` (through the journey's own checks, so the page, the CLI and the file
agree on what is valid); a bad field is said under the form and the dialog stays open."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget,
)

from proctorprep.progress import journey as jr
from proctorprep.progress.journey import Certification, Exam, JourneyError
from proctorprep.ui.theme import colors
from proctorprep.ui.widgets.common import plain_label


def _line(text: str = "", placeholder: str = "", name: str = "") -> QLineEdit:
    w = QLineEdit(text)
    w.setPlaceholderText(placeholder)
    w.setMaxLength(jr.MAX_TEXT)
    if name:
        w.setObjectName(name)
        w.setAccessibleName(name.replace("_", " "))
    return w


def _combo(items: list[tuple[str, Any]], current: Any, name: str) -> QComboBox:
    w = QComboBox()
    w.setObjectName(name)
    w.setAccessibleName(name.replace("_", " "))
    for text, data in items:
        w.addItem(text, data)
    i = w.findData(current)
    w.setCurrentIndex(max(i, 0))
    return w


def _months(value: int | None, lo: int, hi: int, name: str) -> QSpinBox:
    """A month count; the lowest value (shown as "default") means: use the rule of the certification's kind."""
    w = QSpinBox()
    w.setObjectName(name)
    w.setRange(lo - 1, hi)
    w.setSpecialValueText("default")
    w.setValue(value if value is not None else lo - 1)
    w.setSuffix(" months")
    return w


class _Form(QDialog):
    def __init__(self, parent: QWidget | None, title: str, on_accept: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.on_accept = on_accept
        lay = QVBoxLayout(self)
        self.form = QFormLayout()
        lay.addLayout(self.form)
        self.error = plain_label("")
        self.error.setObjectName("form_error")
        self.error.setStyleSheet(f"color: {colors().bad.name()};")
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def submit(self) -> None:
        """Check the fields; a bad one is said and the form stays open, else `on_accept(values)`."""
        try:
            values = self.values()
        except JourneyError as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        self.on_accept(values)
        self.accept()


class CertForm(_Form):
    def __init__(self, parent: QWidget | None, banks: list[tuple[str, str]], on_accept: Callable[[dict[str, Any]],
                 None], cert: Certification | None = None) -> None:
        super().__init__(parent, "Edit certification" if cert else "Add a certification", on_accept)
        c = cert or Certification(id="", name="")
        self.name = _line(c.name, "e.g. Microsoft Certified: Azure Administrator Associate", "cert_name")
        self.kind = _combo([("role-based (expires yearly)", "role-based"), ("specialty (expires yearly)", "specialty"),
                            ("fundamentals (does not expire)", "fundamentals"), ("other", "other")], c.kind,
                           "cert_kind")
        self.codes = _line(", ".join(c.exam_codes), "AZ-104 (several: comma-separated)", "cert_codes")
        self.bank = _combo([("(none)", None)] + [(t, i) for i, t in banks], c.bank_id, "cert_bank")
        self.earned = _line(c.earned_on.isoformat() if c.earned_on else "", "YYYY-MM-DD", "cert_earned")
        self.expires = _line(c.expires_on.isoformat() if c.expires_on else "", "YYYY-MM-DD (default: from the rule)",
                             "cert_expires")
        self.validity = _months(c.validity_months, 1, 120, "cert_validity")
        self.window = _months(c.window_months, 1, 24, "cert_window")
        for label, w in (("Name:", self.name), ("Kind:", self.kind), ("Exam codes:", self.codes),
                         ("Practice bank:", self.bank), ("Earned on:", self.earned), ("Expires on:", self.expires),
                         ("Valid for:", self.validity), ("Renewal opens:", self.window)):
            self.form.addRow(label, w)
        self.form.addRow("", plain_label("Microsoft's rule by default: role-based and specialty certifications "
                                         "expire a year after they are earned; the free online renewal opens six "
                                         "months before."))

    def values(self) -> dict[str, Any]:
        name = jr.check_text(self.name.text(), "name", required=True)
        codes = tuple(c.strip() for c in self.codes.text().split(",") if c.strip())
        values = {"name": name, "kind": self.kind.currentData(), "exam_codes": codes,
                  "bank_id": self.bank.currentData(),
                  "earned_on": jr.parse_date(self.earned.text().strip(), "earned on"),
                  "expires_on": jr.parse_date(self.expires.text().strip(), "expires on"),
                  "validity_months": self.validity.value() if self.validity.value() >= 1 else None,
                  "window_months": self.window.value() if self.window.value() >= 1 else None}
        jr.checked_cert(Certification(id="form", **values))       # the same checks as on save, said here
        return values


class ExamForm(_Form):
    def __init__(self, parent: QWidget | None, banks: list[tuple[str, str]], certs: list[tuple[str, str]],
                 on_accept: Callable[[dict[str, Any]], None], exam: Exam | None = None) -> None:
        super().__init__(parent, "Edit exam" if exam else "Add an exam", on_accept)
        e = exam or Exam(id="", code="")
        self.code = _line(e.code, "AZ-104", "exam_code")
        self.title = _line(e.title, "Microsoft Azure Administrator", "exam_title")
        self.status = _combo([(s, s) for s in jr.EXAM_STATUSES], e.status, "exam_status")
        self.date = _line(e.date.isoformat() if e.date else "", "YYYY-MM-DD", "exam_date")
        self.time = _line(e.time, "HH:MM, your local time", "exam_time")
        self.score = _line("" if e.score is None else str(e.score), "1–1000 (700 passes)", "exam_score")
        self.cert = _combo([("(none)", None)] + [(n, i) for i, n in certs], e.cert_id, "exam_cert")
        self.bank = _combo([("(the certification's)", None)] + [(t, i) for i, t in banks], e.bank_id, "exam_bank")
        self.skills = QPlainTextEdit("\n".join(f"{s.skill}={s.percent:g}" for s in e.skills))
        self.skills.setObjectName("exam_skills")
        self.skills.setPlaceholderText("The score report's skill bars, one per line:\nManage identities=45\n"
                                       "Implement storage=62")
        self.skills.setFixedHeight(90)
        for label, w in (("Exam code:", self.code), ("Title:", self.title), ("Status:", self.status),
                         ("Date:", self.date), ("Time:", self.time), ("Score:", self.score),
                         ("Certification:", self.cert), ("Practice bank:", self.bank), ("Skill bars:", self.skills)):
            self.form.addRow(label, w)
        self.form.labelForField(self.skills).setAlignment(Qt.AlignmentFlag.AlignTop)

    def values(self) -> dict[str, Any]:
        score_text = self.score.text().strip()
        if score_text and not score_text.isdigit():
            raise JourneyError(f"score: expected a whole number from 1 to 1000, got {score_text!r}")
        skills = tuple(jr.parse_skill(line) for line in self.skills.toPlainText().splitlines() if line.strip())
        values = {"code": jr.check_text(self.code.text(), "exam code", required=True), "title": self.title.text(),
                  "status": self.status.currentData(), "date": jr.parse_date(self.date.text().strip()),
                  "time": self.time.text().strip(), "score": int(score_text) if score_text else None,
                  "cert_id": self.cert.currentData(), "bank_id": self.bank.currentData(), "skills": skills}
        jr.checked_exam(Exam(id="form", **values))                # the same checks as on save, said here
        return values
