"""One widget per item type, registered under the exam registry's key (exam/question_types.py). Each takes a
QuestionView and offers `response()`, `set_response(value)`, `set_locked()`, `answer_something()` (the tour's
candidate) and a `changed` signal; responses have the shapes of exam/items/<type>.py. All text is plain text.

Widgets are named by "module:Class" and imported on first use, so the app starts without importing them all; the
session's warm-up imports `widget_modules()` on a worker thread before the exam begins."""

from __future__ import annotations

import importlib
from typing import Any

from proctorprep.exam.bank import (
    ACTIVE_SCREEN, DRAG_DROP, DROPDOWN, HOT_AREA, INFO, MATCHING, MULTIPLE, NUMERIC, ORDER, SHORT_ANSWER, SINGLE,
    SOLUTION, YESNO,
)
from proctorprep.ui.widgets.items.base import ItemWidget

_PACKAGE = "proctorprep.ui.widgets.items"
WIDGETS: dict[str, str] = {
    SINGLE: f"{_PACKAGE}.single:SingleChoiceWidget",
    MULTIPLE: f"{_PACKAGE}.multiple:MultipleResponseWidget",
    YESNO: f"{_PACKAGE}.yesno:YesNoWidget",
    ORDER: f"{_PACKAGE}.order:BuildListWidget",
    MATCHING: f"{_PACKAGE}.matching:MatchingWidget",
    SHORT_ANSWER: f"{_PACKAGE}.short_answer:ShortAnswerWidget",
    NUMERIC: f"{_PACKAGE}.numeric:NumericWidget",
    INFO: f"{_PACKAGE}.info:InfoWidget",
    DROPDOWN: f"{_PACKAGE}.dropdown:DropdownWidget",
    HOT_AREA: f"{_PACKAGE}.hot_area:HotAreaWidget",
    DRAG_DROP: f"{_PACKAGE}.drag_drop:DragDropWidget",
    ACTIVE_SCREEN: f"{_PACKAGE}.active_screen:ActiveScreenWidget",
    SOLUTION: f"{_PACKAGE}.solution:SolutionWidget",
}


def register_widget(kind: str, target: str) -> None:
    """Register the widget ("package.module:Class") for an item type; a type has one widget."""
    if kind in WIDGETS:
        raise ValueError(f"item type {kind!r} already has a widget ({WIDGETS[kind]})")
    WIDGETS[kind] = target


def unregister_widget(kind: str) -> None:
    WIDGETS.pop(kind, None)


def widget_class(kind: str) -> type[ItemWidget]:
    try:
        module, name = WIDGETS[kind].split(":")
    except KeyError:
        raise LookupError(f"no widget registered for item type {kind!r} (ui/widgets/items/__init__.py)") from None
    return getattr(importlib.import_module(module), name)


def widget_modules() -> tuple[str, ...]:
    return tuple(dict.fromkeys(target.split(":")[0] for target in WIDGETS.values()))


def make_item_widget(view: Any) -> ItemWidget:
    try:
        cls = widget_class(view.question.type)
    except LookupError as exc:
        raise ValueError(f"question {view.question.id}: {exc}") from None
    return cls(view)
