"""Live proctor warnings on the exam page: a card floating over the question (it never takes layout space, so the
question, its answers and the buttons stay exactly where they were) and a log of every warning of the session,
opened from the top bar. The card stays until the candidate closes it or a newer warning replaces it: a warning
that vanishes on its own is one the candidate may never have read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame, QGraphicsDropShadowEffect, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
    QVBoxLayout, QWidget,
)

from proctorprep.ui.widgets.items.base import plain_label


@dataclass(frozen=True)
class WarningEntry:
    """One warning as the candidate sees it."""

    t_s: float          # seconds into the exam
    request: str        # the proctor's words, e.g. "Please keep your eyes on the screen."
    reason: str         # what was measured, in plain words
    consequence: str    # what happens if it goes on ("" when nothing more to say)
    level: str          # "warn" | "pause" | "end" | "device"


def entry_from_warning(w: Any, t0: float = 0.0) -> WarningEntry:
    """A LiveWarning (or anything shaped like it) as an entry. Older actions carry only a message: it becomes the
    request, with the rule's request taken from the rules when the message does not speak to the candidate."""
    from proctorprep.rules.incident_types import recorded_type

    request = str(getattr(w, "request", "") or "")
    reason = str(getattr(w, "reason", "") or "")
    message = str(getattr(w, "message", "") or "")
    if not request:
        request = recorded_type(str(getattr(w, "incident_type", "") or "unknown")).request
        if not reason:
            reason = message
    return WarningEntry(max(0.0, float(getattr(w, "t_s", 0.0)) - t0), request, reason,
                        str(getattr(w, "consequence", "") or ""), str(getattr(w, "action", "warn")))


def fitted_height(widget: QWidget, width: int) -> int:
    """The height `widget` needs at `width` for its wrapped text, with the stylesheet's fonts applied first (an
    unpolished label measures with the default font and the last line would be cut off)."""
    widget.ensurePolished()
    for child in widget.findChildren(QWidget):
        child.ensurePolished()
    lay = widget.layout()
    lay.invalidate()
    # QWidget.heightForWidth asks the layout for its total height at `width`: its margins, the frame's and
    # the stylesheet's borders included.
    height = widget.heightForWidth(width)
    return max(height if height > 0 else widget.sizeHint().height(), widget.minimumSizeHint().height()) + 4


def clock_text(t_s: float) -> str:
    t = max(0, int(t_s))
    return f"{t // 60}:{t % 60:02d}"


class WarningCard(QFrame):
    """The floating card. Call `attach(host)`: it places itself at the top centre of `host` and follows its
    size."""

    dismissed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("warning_card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.entry: WarningEntry | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(16, 12, 12, 12)
        lay.setSpacing(12)
        self.icon = QLabel()
        self.icon.setObjectName("warning_icon")
        self.icon.setFixedSize(28, 28)
        lay.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(4)
        self.request = plain_label("")
        self.request.setObjectName("warning_request")
        self.reason = plain_label("")
        self.reason.setObjectName("warning_reason")
        text.addWidget(self.request)
        text.addWidget(self.reason)
        lay.addLayout(text, 1)
        self.close_btn = QPushButton("OK")
        self.close_btn.setObjectName("warning_ok")
        self.close_btn.setAccessibleName("Close the proctor's message")
        self.close_btn.clicked.connect(self.dismiss)
        lay.addWidget(self.close_btn, 0, Qt.AlignmentFlag.AlignTop)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(24)
        shadow.setOffset(0, 4)
        self.setGraphicsEffect(shadow)
        self.hide()
        parent.installEventFilter(self)

    def show_entry(self, entry: WarningEntry) -> None:
        from proctorprep.ui.icons import icon

        self.entry = entry
        self.setProperty("level", entry.level)
        self.request.setText(entry.request)
        small = " ".join(x for x in (entry.reason, entry.consequence) if x)
        self.reason.setText(small)
        self.reason.setVisible(bool(small))
        self.icon.setPixmap(icon("warning").pixmap(28, 28))
        self.style().unpolish(self)
        self.style().polish(self)
        self.place()
        self.show()
        self.raise_()

    def dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def place(self) -> None:
        """Bottom centre of the question area: the question and its answers usually fill the top, so the card
        covers the least there (and it never pushes anything)."""
        host = self.parentWidget()
        width = max(260, min(620, host.width() - 32))
        self.setFixedWidth(width)
        for w in (self, self.request, self.reason, self.close_btn):
            w.ensurePolished()
        m = self.layout().contentsMargins()
        spacing = self.layout().spacing()
        text_w = width - m.left() - m.right() - self.icon.width() - self.close_btn.sizeHint().width() - 2 * spacing - 4
        text_h = self.request.heightForWidth(text_w)
        if self.reason.isVisibleTo(self) and self.reason.text():
            text_h += self.layout().itemAt(1).layout().spacing() + self.reason.heightForWidth(text_w)
        height = m.top() + m.bottom() + max(text_h, self.close_btn.sizeHint().height(), self.icon.height()) + 4
        self.setFixedHeight(max(height, fitted_height(self, width)))
        self.move((host.width() - width) // 2, max(8, host.height() - self.height() - 16))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self.place()
        return False


class WarningLog(QFrame):
    """Every warning of the session, newest first, in a panel that floats over the top-right of its host."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("warning_log")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.entries: list[WarningEntry] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 12)
        head = QHBoxLayout()
        title = plain_label("The proctor's messages", wrap=False)
        title.setObjectName("warning_log_title")
        head.addWidget(title, 1)
        close = QPushButton("Close")
        close.setObjectName("warning_log_close")
        close.clicked.connect(self.hide)
        head.addWidget(close)
        lay.addLayout(head)
        self.list = QListWidget()
        self.list.setObjectName("warning_log_list")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(self.list, 1)
        self.empty = plain_label("No messages from the proctor so far.")
        self.empty.setObjectName("warning_log_empty")
        lay.addWidget(self.empty)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(24)
        shadow.setOffset(0, 4)
        self.setGraphicsEffect(shadow)
        self.hide()
        parent.installEventFilter(self)

    def add(self, entry: WarningEntry) -> None:
        self.entries.append(entry)
        text = f"{clock_text(entry.t_s)}  {entry.request}"
        small = " ".join(x for x in (entry.reason, entry.consequence) if x)
        item = QListWidgetItem(text + (f"\n{small}" if small else ""))
        item.setToolTip(small)
        self.list.insertItem(0, item)
        self.empty.hide()

    def clear(self) -> None:
        self.entries.clear()
        self.list.clear()
        self.empty.show()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
        else:
            self.place()
            self.show()
            self.raise_()

    def place(self) -> None:
        host = self.parentWidget()
        width = max(280, min(420, host.width() - 24))
        height = max(160, min(420, host.height() - 24))
        self.setFixedSize(width, height)
        self.move(host.width() - width - 12, 8)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self.place()
        return False
