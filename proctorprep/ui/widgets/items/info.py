"""An information item (an imported description): the prompt says it all; nothing to answer."""

from __future__ import annotations

from typing import Any

from proctorprep.ui.widgets.items.base import ItemWidget


class InfoWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.layout_.addStretch(1)

    def instructions(self) -> str:
        return "Information only: there is nothing to answer here. Go on with Next."

    def response(self) -> Any:
        return None

    def set_response(self, value: Any) -> None:
        pass

    def answer_something(self) -> None:
        pass                      # nothing to answer
