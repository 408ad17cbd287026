"""Pieces the quick-round and renewal pages share: the bank picker, the length box, and the slot that swaps one
item widget for the next."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QComboBox, QLayout, QSpinBox

from proctorprep.ui.widgets.items import make_item_widget
from proctorprep.ui.widgets.items.base import ItemWidget


def bank_combo(object_name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(object_name)
    combo.setAccessibleName("Question bank")
    combo.setMinimumContentsLength(40)
    return combo


def fill_banks(combo: QComboBox, entries: list[tuple[str, str]], wanted: str | None = None) -> None:
    """(bank id, label) rows, selecting `wanted` (a page opened for one bank) or else keeping the choice the
    candidate had made, if it is still there."""
    current = wanted if wanted is not None else combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for bank_id, label in entries:
        combo.addItem(label, bank_id)
    if current is not None and combo.findData(current) >= 0:
        combo.setCurrentIndex(combo.findData(current))
    combo.blockSignals(False)


def count_spin(lo: int, hi: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(lo, hi)
    spin.setValue(value)
    spin.setSuffix(" questions")
    spin.setAccessibleName("Number of questions")
    return spin


class ItemSlot:
    """The one place in a layout where the current question's item widget sits."""

    def __init__(self, layout: QLayout) -> None:
        self.layout = layout
        self.item: ItemWidget | None = None

    def show(self, view: Any, on_change: Callable[[], None]) -> ItemWidget:
        if self.item is not None:
            self.layout.removeWidget(self.item)
            self.item.deleteLater()
        self.item = make_item_widget(view)
        self.item.changed.connect(on_change)
        self.layout.addWidget(self.item)
        return self.item
