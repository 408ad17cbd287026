"""The export-format registry: one descriptor per report format. The CLI (`report --html/--pdf/--json`, `report
--all`), the results page's export buttons, the tour and `export_all` list what is registered here.

To add a format: write its renderer module in report/ (`render(report) -> str | bytes`) and add one
`ExportFormat(...)` line to `BUILTIN` (see docs/architecture.md). Renderers are named "module:function" and
imported on first use, so listing the formats (for --help, for the buttons) never loads reportlab."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any, Callable

from proctorprep.registry import Registry

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


class UnknownExportFormat(LookupError):
    """A format nobody registered."""


@dataclass(frozen=True, slots=True)
class ExportFormat:
    key: str            # "html": the CLI option (--html) and the results page's button
    title: str          # "HTML", as people say it
    suffix: str         # ".html"
    renderer: str       # "proctorprep.report.html:render_html": Report -> str (UTF-8) or bytes
    save_as: str = ""   # the results page's menu entry, "As a web page (HTML)" (default: "As <title>")

    def __post_init__(self) -> None:
        if not _KEY.match(self.key) or not self.title.strip() or not self.suffix.startswith("."):
            raise ValueError(f"export format {self.key!r}: key lower_snake_case, a title, a suffix like '.html'")
        if not _TARGET.match(self.renderer):
            raise ValueError(f"export format {self.key!r}: renderer must be 'package.module:function'")
        if not self.save_as:
            object.__setattr__(self, "save_as", f"As {self.title}")

    def render(self, report: Any) -> str | bytes:
        module, name = self.renderer.split(":")
        fn: Callable[[Any], str | bytes] = getattr(importlib.import_module(module), name)
        return fn(report)


_REGISTRY: Registry[ExportFormat] = Registry("export format", "proctorprep/report/formats.py", UnknownExportFormat)
register = _REGISTRY.register
registered = _REGISTRY.registered
export_format = _REGISTRY.get
export_formats = _REGISTRY.items
format_keys = _REGISTRY.keys

BUILTIN: tuple[ExportFormat, ...] = (
    ExportFormat("html", "HTML", ".html", "proctorprep.report.html:render_html", "As a web page (HTML)"),
    ExportFormat("pdf", "PDF", ".pdf", "proctorprep.report.pdf:render_pdf_bytes", "As a PDF"),
    ExportFormat("json", "JSON", ".json", "proctorprep.report.json_report:dumps", "As data (JSON)"),
)

for _fmt in BUILTIN:
    register(_fmt)
