"""Import mediapipe without what it drags in at import time: PortAudio and matplotlib.

`import mediapipe` imports its audio-recording helper, which imports sounddevice, which loads PortAudio: PortAudio
starts ALSA's PulseAudio/JACK plugins, which open local socket connections and write ~/.config/pulse and
/tmp/pulse-* (in `analyze`, which never opens a microphone). It also imports its drawing helper, which imports
matplotlib.pyplot: matplotlib writes a font cache to ~/.cache/matplotlib. We use neither (Face Mesh and Hands only),
so while mediapipe is imported: sounddevice is made unimportable (mediapipe copes: it sets its recorder's `sd` to
None) and matplotlib is a stand-in module that is never used. Both are removed from sys.modules afterwards, so the
microphone (proctorprep.sources.microphone) loads the real sounddevice when one is opened.
"""

from __future__ import annotations

import sys
import threading
import types
from typing import Any

_LOCK = threading.Lock()
_STANDINS = ("matplotlib", "matplotlib.pyplot")


def import_mediapipe() -> Any:
    """The mediapipe package, imported once without loading PortAudio or matplotlib."""
    with _LOCK:
        if "mediapipe" in sys.modules:
            return sys.modules["mediapipe"]
        saved = {name: sys.modules.get(name) for name in ("sounddevice", *_STANDINS)}
        if saved["sounddevice"] is None:
            sys.modules["sounddevice"] = None          # type: ignore[assignment]  # -> ImportError, handled
        if saved["matplotlib"] is None:
            mpl = types.ModuleType("matplotlib")
            mpl.__path__ = []                          # a package, so `import matplotlib.pyplot` resolves
            plt = types.ModuleType("matplotlib.pyplot")
            mpl.pyplot = plt                           # type: ignore[attr-defined]
            sys.modules["matplotlib"], sys.modules["matplotlib.pyplot"] = mpl, plt
        try:
            import mediapipe
        finally:
            for name, module in saved.items():
                if module is None:
                    sys.modules.pop(name, None)
                else:
                    sys.modules[name] = module
        return mediapipe
