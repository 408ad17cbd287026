"""The garbage collector's pauses in a live session.

Python's full (generation 2) collection walks every object the process holds, and a live session holds a great many
that live as long as it does: Qt's wrappers, the mediapipe and dlib bindings, numpy, the exam bank, every module.
Measured on the 2026-12-02 build machine (2 vCPUs): a full collection during the exam took 80-90 ms, with the GIL
held, about every 2-3 minutes, so the GUI, the video worker and the audio worker all stopped that long (the live
bench's longest GUI stall read 80-85 ms, goal 50). gc.freeze() moves everything alive at that moment out of the
collector's sight: later collections walk only what the exam itself creates. It is done once the exam's parts are
built (a collection first, so no garbage is frozen), off the GUI thread; when the exam is over the objects are
handed back (gc.unfreeze), so what the exam page and its models leave behind can be collected again.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> int:
    """Collect, then exclude every object alive now from later collections; returns how many were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def unfreeze() -> None:
    """Hand the frozen objects back to the collector (the next full collection sees them again)."""
    gc.unfreeze()
