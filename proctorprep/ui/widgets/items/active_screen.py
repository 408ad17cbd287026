"""Active screen: a mock settings dialog to change (drop-downs, switches, number and text boxes). Every control is
an ordinary Qt control, so Tab, the arrow keys and Space work as in any dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLineEdit, QSpinBox, QWidget

from proctorprep.ui.widgets.items.base import ItemWidget


class ActiveScreenWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        d = self.question.detail
        self.dialog = QGroupBox(d.title)
        self.dialog.setObjectName("active_screen")
        form = QFormLayout(self.dialog)
        self.controls: dict[str, QWidget] = {}
        for ctl in d.controls:
            if ctl.kind == "choice":
                w: QWidget = QComboBox()
                for o in ctl.options:
                    w.addItem(o.text, o.id)
                w.currentIndexChanged.connect(lambda _i: self.changed.emit())
            elif ctl.kind == "toggle":
                w = QCheckBox("On")
                w.toggled.connect(lambda _b: self.changed.emit())
            elif ctl.kind == "number":
                w = QSpinBox()
                w.setRange(ctl.minimum, ctl.maximum)
                w.valueChanged.connect(lambda _v: self.changed.emit())
            else:
                w = QLineEdit()
                w.setMaxLength(200)
                w.textEdited.connect(lambda _t: self.changed.emit())
            w.setObjectName(f"control_{ctl.id}")
            w.setAccessibleName(ctl.label)
            self.controls[ctl.id] = w
            form.addRow(ctl.label.replace("&", "&&") + ":", w)
        self.layout_.addWidget(self.dialog)
        self.layout_.addStretch(1)
        self.set_response(view.response)

    def instructions(self) -> str:
        return "Change the settings in the dialog so that they meet the requirements."

    def _value(self, ctl: Any) -> Any:
        w = self.controls[ctl.id]
        if ctl.kind == "choice":
            return w.currentData()
        if ctl.kind == "toggle":
            return w.isChecked()
        if ctl.kind == "number":
            return w.value()
        return w.text()

    def response(self) -> Any:
        """Only what differs from the dialog's starting state (an untouched dialog is no answer)."""
        d = self.question.detail
        out = {c.id: self._value(c) for c in d.controls if self._value(c) != c.initial}
        return out or None

    def set_response(self, value: Any) -> None:
        d = self.question.detail
        for ctl in d.controls:
            v = (value or {}).get(ctl.id, ctl.initial)
            w = self.controls[ctl.id]
            w.blockSignals(True)
            if ctl.kind == "choice":
                w.setCurrentIndex(max(0, w.findData(v)))
            elif ctl.kind == "toggle":
                w.setChecked(bool(v))
            elif ctl.kind == "number":
                w.setValue(int(v))
            else:
                w.setText(str(v))
            w.blockSignals(False)

    def answer_something(self) -> None:
        ctl = self.question.detail.controls[0]
        w = self.controls[ctl.id]
        if ctl.kind == "choice":
            w.setCurrentIndex((w.currentIndex() + 1) % w.count())
        elif ctl.kind == "toggle":
            w.toggle()
        elif ctl.kind == "number":
            w.setValue(ctl.maximum if w.value() != ctl.maximum else ctl.minimum)
        else:
            w.setText("changed")
            w.textEdited.emit("changed")

    def first_focus(self):
        return next(iter(self.controls.values()), None)
