"""Pages of the app, registered in one place.

A page module exposes `create_page(ctx: AppContext) -> QWidget`; the widget may define `on_enter(**kwargs)`,
`on_leave()` and `shutdown()`. Modules are imported on first show, so start-up stays fast, and an entry whose
module does not exist (yet) is skipped.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageSpec:
    key: str
    title: str
    module: str
    in_nav: bool = True     # False: a step of the exam flow, reached through the flow, not the navigation list
    icon: str = ""          # name of its icon in assets/icons ("" = none)


PAGES: list[PageSpec] = [
    PageSpec("home", "Home", "proctorprep.ui.pages.home", icon="home"),
    PageSpec("check", "System check", "proctorprep.ui.pages.check", in_nav=False),
    PageSpec("checkin", "Check-in", "proctorprep.ui.pages.checkin", in_nav=False),
    PageSpec("calibrate", "Calibration", "proctorprep.ui.pages.calibrate", in_nav=False),
    PageSpec("exam", "Exam", "proctorprep.ui.pages.exam", in_nav=False),
    PageSpec("review", "Review", "proctorprep.ui.pages.review", in_nav=False),
    PageSpec("results", "Results", "proctorprep.ui.pages.results", icon="results"),
    PageSpec("history", "History", "proctorprep.ui.pages.history", icon="history"),
    PageSpec("badges", "Badges", "proctorprep.ui.pages.badges", icon="badge"),
    PageSpec("journey", "Journey", "proctorprep.ui.pages.journey", icon="open"),
    PageSpec("quick_round", "Quick round", "proctorprep.ui.pages.quick_round", icon="quick"),
    PageSpec("renewal_round", "Renewal round", "proctorprep.ui.pages.renewal_round", icon="quick"),
    PageSpec("settings", "Settings", "proctorprep.ui.pages.settings", icon="settings"),
]


def available_pages() -> list[PageSpec]:
    """The registered pages whose module is installed (a page being written elsewhere may not be there yet)."""
    return [p for p in PAGES if importlib.util.find_spec(p.module) is not None]


def page_spec(key: str) -> PageSpec:
    for p in PAGES:
        if p.key == key:
            return p
    raise KeyError(f"no page registered under {key!r}")
