"""Drag and drop, really dragged: tiles from the list onto the targets with the mouse. Keyboard alternative: pick a
tile in the list with the arrow keys, Tab to a target and press Enter to drop it there; Delete empties a target.
A tile dropped once leaves the list unless the item allows reuse."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget, \
    QListWidgetItem, QVBoxLayout

from proctorprep.ui.widgets.items.base import ItemWidget, plain_label

MIME = "application/x-proctorprep-tile"


class TileList(QListWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("drag_tiles")
        self.setAccessibleName("Tiles to drag")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(MIME, str(items[0].data(Qt.ItemDataRole.UserRole)).encode())
        return data

    def mimeTypes(self) -> list[str]:
        return [MIME]


class DropZone(QFrame):
    dropped = Signal(str, str)     # target id, option id
    cleared = Signal(str)
    activated = Signal(str)        # Enter or a click: drop the tile picked in the list

    def __init__(self, tid: str, label: str) -> None:
        super().__init__()
        self.tid = tid
        self.setObjectName(f"zone_{tid}")
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(34)
        self.setMinimumWidth(220)
        self.setAccessibleName(f"Drop target: {label}")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.text)
        self.show_tile(None)

    def show_tile(self, text: str | None) -> None:
        self.text.setText(text if text else "drop a tile here")
        self.setStyleSheet("DropZone { border: 2px dashed palette(mid); }" if not text
                           else "DropZone { border: 2px solid palette(highlight); }")

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if e.mimeData().hasFormat(MIME) and self.isEnabled():
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        if e.mimeData().hasFormat(MIME) and self.isEnabled():
            self.dropped.emit(self.tid, bytes(e.mimeData().data(MIME)).decode())
            e.acceptProposedAction()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.tid)
        elif e.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.cleared.emit(self.tid)
        else:
            super().keyPressEvent(e)

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self.setFocus()
        self.activated.emit(self.tid)


class DragDropWidget(ItemWidget):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        q = self.question
        self.reuse = bool(getattr(q.detail, "reuse", False))
        self.texts = {o.id: o.text for o in view.options}
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(plain_label("Tiles"))
        self.tiles = TileList()
        self.tiles.setMaximumHeight(max(80, 26 * len(self.texts) + 12))
        left.addWidget(self.tiles)
        left.addStretch(1)
        body.addLayout(left, 1)
        grid = QGridLayout()
        self.zones: dict[str, DropZone] = {}
        for row, t in enumerate(q.targets):
            grid.addWidget(plain_label(t.text), row, 0)
            zone = DropZone(t.id, t.text)
            zone.dropped.connect(self.place)
            zone.cleared.connect(lambda tid: self.place(tid, None))
            zone.activated.connect(self._drop_picked)
            grid.addWidget(zone, row, 1)
            self.zones[t.id] = zone
        right = QVBoxLayout()
        right.addWidget(plain_label("Targets"))
        right.addLayout(grid)
        right.addStretch(1)
        body.addLayout(right, 2)
        self.layout_.addLayout(body)
        self.placed: dict[str, str] = {}
        self.set_response(view.response)

    def instructions(self) -> str:
        return ("Drag each tile onto its target. Keyboard: pick a tile in the list, Tab to a target, press Enter; "
                "Delete empties a target." + ("" if getattr(self.question.detail, "reuse", False)
                                              else " Each tile is used once at most."))

    def _refill(self) -> None:
        current = self.tiles.currentItem().data(Qt.ItemDataRole.UserRole) if self.tiles.currentItem() else None
        self.tiles.clear()
        used = set(self.placed.values())
        for oid, text in self.texts.items():
            if self.reuse or oid not in used:
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, oid)
                self.tiles.addItem(item)
                if oid == current:
                    self.tiles.setCurrentItem(item)
        if self.tiles.currentItem() is None and self.tiles.count():
            self.tiles.setCurrentRow(0)
        for tid, zone in self.zones.items():
            zone.show_tile(self.texts.get(self.placed.get(tid, ""), None))

    def _drop_picked(self, tid: str) -> None:
        item = self.tiles.currentItem()
        if item is not None:
            self.place(tid, item.data(Qt.ItemDataRole.UserRole))

    def place(self, tid: str, oid: str | None) -> None:
        if oid is None:
            self.placed.pop(tid, None)
        else:
            if not self.reuse:                 # a tile moved from another target leaves it
                for other, o in list(self.placed.items()):
                    if o == oid:
                        del self.placed[other]
            self.placed[tid] = oid
        self._refill()
        self.changed.emit()

    def response(self) -> Any:
        return dict(self.placed) or None

    def set_response(self, value: Any) -> None:
        self.placed = dict(value or {})
        self._refill()

    def answer_something(self) -> None:
        first = next(iter(self.zones))
        self.place(first, next(iter(self.texts)))

    def first_focus(self):
        return self.tiles
