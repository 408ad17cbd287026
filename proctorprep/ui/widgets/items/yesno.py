"""Yes/No statement series: one row per statement with Yes and No."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QRadioButton, QWidget

from proctorprep.ui.widgets.items.base import ItemWidget, plain_label


class YesNoWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        head = QLabel("Statement")
        head.setObjectName("yesno_head")
        grid.addWidget(head, 0, 0)
        self.groups: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        for row, st in enumerate(view.question.statements, start=1):
            label = plain_label(st.text)
            label.setObjectName("yesno_statement")
            grid.addWidget(label, row, 0)
            # Labelled buttons ("Yes" / "No" beside each dot): a bigger target than a bare radio under a header.
            yes, no = QRadioButton("Yes"), QRadioButton("No")
            yes.setAccessibleName(f"Yes: {st.text}")
            no.setAccessibleName(f"No: {st.text}")
            yes.setObjectName(f"yes_{st.id}")
            no.setObjectName(f"no_{st.id}")
            group = QButtonGroup(self)
            group.addButton(yes)
            group.addButton(no)
            grid.addWidget(yes, row, 1)
            grid.addWidget(no, row, 2)
            self.groups[st.id] = (yes, no)
            group.buttonToggled.connect(lambda _b, on: on and self.changed.emit())
        grid.setColumnStretch(0, 1)
        self.layout_.addWidget(grid_host)
        self.layout_.addStretch(1)
        self.set_response(view.response)

    def instructions(self) -> str:
        return "For each statement, select Yes if it is true, otherwise No."

    def response(self) -> Any:
        out = {sid: yes.isChecked() for sid, (yes, no) in self.groups.items() if yes.isChecked() or no.isChecked()}
        return out or None

    def set_response(self, value: Any) -> None:
        for sid, answer in (value or {}).items():
            if sid in self.groups:
                self.groups[sid][0 if answer else 1].setChecked(True)

    def answer_something(self) -> None:
        for yes, _no in self.groups.values():
            yes.click()

    def first_focus(self):
        return next(iter(self.groups.values()), (None,))[0]
