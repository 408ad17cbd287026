"""One widget per item type. Each takes a QuestionView and offers `response()`, `set_response(value)`, `set_locked()`
and a `changed` signal; responses have the shapes of proctorprep.exam.scoring. All text is plain text."""

from __future__ import annotations

from typing import Any

from proctorprep.ui.widgets.items.base import ItemWidget


def make_item_widget(view: Any) -> ItemWidget:
    kind = view.question.type
    if kind == "single":
        from proctorprep.ui.widgets.items.single import SingleChoiceWidget as cls
    elif kind == "multiple":
        from proctorprep.ui.widgets.items.multiple import MultipleResponseWidget as cls
    elif kind == "yesno":
        from proctorprep.ui.widgets.items.yesno import YesNoWidget as cls
    elif kind == "order":
        from proctorprep.ui.widgets.items.order import BuildListWidget as cls
    elif kind == "matching":
        from proctorprep.ui.widgets.items.matching import MatchingWidget as cls
    elif kind == "short_answer":
        from proctorprep.ui.widgets.items.short_answer import ShortAnswerWidget as cls
    elif kind == "numeric":
        from proctorprep.ui.widgets.items.numeric import NumericWidget as cls
    elif kind == "info":
        from proctorprep.ui.widgets.items.info import InfoWidget as cls
    else:
        raise ValueError(f"question {view.question.id}: unknown item type {kind!r}")
    return cls(view)
