"""What a page gets from the app: settings, data folder, navigation, banners, background jobs, actions and the
live session. Pages depend on this small object, never on the main window."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from proctorprep import paths
from proctorprep import settings as settings_mod
from proctorprep.settings import Settings


@dataclass
class LaunchOptions:
    """What the command line chose (`--video`, `--audio`, `--exam`, `--profile`)."""

    video: str | None = None
    audio: str | None = None
    exam: str | None = None
    profile: str | None = None
    # Debug/test knobs, not on the public command line.
    calibration_dot_s: float | None = None     # seconds per calibration dot (default: from settings)
    screenshot_tour: str | None = None


@dataclass
class AppContext:
    settings: Settings
    data_dir: Path
    actions: Any                               # ActionRegistry
    runner: Any                                # BackgroundRunner
    launch: LaunchOptions = field(default_factory=LaunchOptions)
    settings_problems: list[str] = field(default_factory=list)
    navigate: Callable[..., None] = lambda key, **kw: None
    show_banner: Callable[..., None] = lambda key, text, level="info": None
    clear_banner: Callable[[str], None] = lambda key: None
    lock_navigation: Callable[[bool], None] = lambda locked: None
    session: Any = None                        # SessionController, created by the app
    window: Any = None                         # the main window (parent for dialogs only)

    @property
    def sessions_dir(self) -> Path:
        return paths.sessions_dir(self.data_dir)

    def run_background(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                       on_error: Callable[[str], None] | None = None) -> None:
        self.runner.run(fn, on_done, on_error)

    def save_settings(self) -> None:
        settings_mod.save(self.settings, paths.settings_file(self.data_dir))


def make_test_context(tmp_path: Path) -> AppContext:
    """A context for testing one page alone: fresh settings in `tmp_path`, no devices, navigation recorded in
    `ctx.navigated` (list of (key, kwargs))."""
    from PySide6.QtWidgets import QWidget

    from proctorprep.ui.actions import ActionRegistry
    from proctorprep.ui.background import BackgroundRunner

    holder = QWidget()
    data = paths.ensure_private_dir(Path(tmp_path))
    ctx = AppContext(settings=Settings(), data_dir=data, actions=ActionRegistry(holder),
                     runner=BackgroundRunner(holder))
    navigated: list[tuple[str, dict[str, Any]]] = []
    banners: dict[str, tuple[str, str]] = {}
    ctx.navigate = lambda key, **kw: navigated.append((key, kw))
    ctx.show_banner = lambda key, text, level="info": banners.__setitem__(key, (text, level))
    ctx.clear_banner = lambda key: banners.pop(key, None)
    ctx.window = holder
    ctx.navigated = navigated          # type: ignore[attr-defined]
    ctx.banners = banners              # type: ignore[attr-defined]
    return ctx
