"""The level meter repaints only when its picture changes (a quiet room sends the same level ten times a second),
and the self-view paints opaquely (no parent background under it)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from proctorprep.ui.widgets.meters import LevelMeter
from proctorprep.ui.widgets.video_view import VideoView


class Counting(LevelMeter):
    def __init__(self) -> None:
        super().__init__()
        self.updates = 0

    def update(self) -> None:          # noqa: D102 - counts the repaints asked for
        self.updates += 1
        super().update()


def test_the_meter_asks_for_a_paint_only_when_the_bar_or_the_floor_moves(qtbot):
    m = Counting()
    qtbot.addWidget(m)
    m.resize(240, 18)
    m.set_level(-50.0, -60.0)
    assert m.updates == 1 and m.accessibleDescription() == "-50 dBFS"
    m.set_level(-50.05, -60.0)                       # less than a pixel
    assert m.updates == 1
    m.set_level(-40.0, -60.0)                        # the bar grows
    assert m.updates == 2 and m.accessibleDescription() == "-40 dBFS"
    m.set_level(-40.0, -50.0)                        # the floor moves
    assert m.updates == 3
    m.set_level(-2.0, -50.0)                         # red
    assert m.updates == 4 and m.level_db == -2.0


def test_the_self_view_is_opaque(qtbot):
    v = VideoView()
    qtbot.addWidget(v)
    assert v.testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
