"""One solution of a problem-solution series: the shared scenario and goal, the proposed solution, and Yes/No.
Once the candidate moves on, it is locked (the exam says so before)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QFrame, QRadioButton, QVBoxLayout

from proctorprep.ui.widgets.items.base import ItemWidget, plain_label


class SolutionWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        series = getattr(view, "series", None)
        if series is not None:
            box = QFrame()
            box.setObjectName("series_scenario")
            box.setFrameShape(QFrame.Shape.StyledPanel)
            lay = QVBoxLayout(box)
            title = plain_label(series.title)
            title.setStyleSheet("font-weight: 600;")
            lay.addWidget(title)
            lay.addWidget(plain_label(series.scenario))
            goal = plain_label(f"Goal: {series.goal}")
            goal.setStyleSheet("font-weight: 600;")
            lay.addWidget(goal)
            self.layout_.insertWidget(0, box)
        self.layout_.addWidget(plain_label("Does the solution meet the goal?"))
        self.group = QButtonGroup(self)
        self.yes = QRadioButton("Yes")
        self.yes.setObjectName("solution_yes")
        self.no = QRadioButton("No")
        self.no.setObjectName("solution_no")
        for b in (self.yes, self.no):
            self.group.addButton(b)
            self.layout_.addWidget(b)
        self.layout_.addStretch(1)
        self.set_response(view.response)
        self.group.buttonToggled.connect(lambda _b, on: on and self.changed.emit())

    def instructions(self) -> str:
        return ("This question is one of a series that presents the same scenario, each with a different solution. "
                "After you answer it and move on, you cannot return to it.")

    def response(self) -> Any:
        return True if self.yes.isChecked() else False if self.no.isChecked() else None

    def set_response(self, value: Any) -> None:
        if value is True:
            self.yes.setChecked(True)
        elif value is False:
            self.no.setChecked(True)

    def answer_something(self) -> None:
        self.yes.setChecked(True)

    def first_focus(self):
        return self.yes
