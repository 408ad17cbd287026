"""Screenshots of the Journey page in the real app window, with a few certifications, one renewal window open, a
booked exam, a failed exam with its score report and plan, and an attached badge. Run under Xvfb:

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshot_journey.py docs/screenshots
    ... tools/screenshot_journey.py /tmp/shots --size 1024x700 --theme dark --prefix dark-1024-

The journey is seeded in a fresh data folder (the user's is never touched); "today" is the real day, and the dates
are chosen relative to it so that exactly one renewal window is open.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def seed(data: Path, today: date) -> None:
    from proctorprep.progress import journey as jr
    from proctorprep.progress import openbadges as ob
    from proctorprep.progress.journey import Certification, Exam, SkillBar
    from proctorprep.progress.journey_overview import import_badge, plan_for_failed
    from proctorprep.progress.renewal_window import add_months

    j = jr.Journey()
    # expires in ~3 months: its renewal window is open
    jr.add_certification(j, Certification(id="az-104", name="Microsoft Certified: Azure Administrator Associate",
                                          exam_codes=("AZ-104",), earned_on=add_months(today, -9),
                                          bank_id="cloud-fundamentals"))
    jr.add_certification(j, Certification(id="az-800", name="Windows Server Hybrid Administrator Associate",
                                          exam_codes=("AZ-800", "AZ-801"), earned_on=add_months(today, -2),
                                          bank_id="windows-server-admin"))
    jr.add_certification(j, Certification(id="az-900", name="Microsoft Certified: Azure Fundamentals",
                                          kind="fundamentals", exam_codes=("AZ-900",),
                                          earned_on=add_months(today, -14)))
    jr.add_exam(j, Exam(id="az-305", code="AZ-305", title="Designing Azure Infrastructure Solutions",
                        status="booked", date=today + timedelta(days=40), time="09:30", bank_id="cloud-fundamentals"))
    jr.add_exam(j, Exam(id="az-500", code="AZ-500", title="Azure Security Technologies", status="failed",
                        date=today - timedelta(days=6), score=642, bank_id="cloud-fundamentals", skills=(
                            SkillBar("Manage identity and access", 41), SkillBar("Secure networking", 66),
                            SkillBar("Secure compute, storage and databases", 74),
                            SkillBar("Governance and cost management", 55))))
    jr.save(j, data)
    plan_for_failed(j, "az-500", ["Security and identity", "Governance and cost management"], data, today)
    png = ob.bake_png(_medal(), json.dumps({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:uuid:demo",
        "issuedOn": add_months(today, -9).isoformat(), "expires": add_months(today, 3).isoformat(),
        "badge": {"type": "BadgeClass", "name": "Microsoft Certified: Azure Administrator Associate",
                  "issuer": {"type": "Profile", "name": "Microsoft (demo badge made for this screenshot)"}},
        "verification": {"type": "hosted"}}), "2.0")
    src = data.parent / "wallet-download.png"
    src.write_bytes(png)
    import_badge(j, "az-104", src, data, today)
    jr.save(j, data)


def _medal() -> bytes:
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.regular_polygon((60, 60, 56), 6, fill="#1f5fa8")
    d.regular_polygon((60, 60, 44), 6, fill="#3b82d0")
    d.text((38, 52), "AZ-104", fill="white")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def main(out_dir: str, size: str = "1366x768", theme: str = "light", prefix: str = "") -> int:
    import os

    work = Path(tempfile.mkdtemp(prefix="pp-journey-"))
    data = work / "data"
    os.environ["PROCTORPREP_DATA_DIR"] = str(data)
    from proctorprep import paths, settings

    paths.ensure_private_dir(data)
    settings.save(settings.Settings(theme=theme), paths.settings_file(data))
    seed(data, date.today())
    from PySide6.QtWidgets import QApplication

    from proctorprep.ui.app import after_show
    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import output_folder, pump, shown_window, wait_until

    window = shown_window(LaunchOptions(), size)
    after_show(window)
    # the start-up card about the open renewal window comes on Home; the journey page, which shows the same in its
    # Renewals box, takes it away
    wait_until(lambda: "renewal" in window.banners.keys(), 10)
    window.navigate("journey")
    page = window.page("journey")
    wait_until(lambda: page.overview is not None and not page._loading, 30)
    pump(0.8)
    out = output_folder(out_dir)
    name = out / f"{prefix}journey.png"
    window.grab().save(str(name))
    print("saved", name)
    scroll = page.findChild(__import__("PySide6.QtWidgets", fromlist=["QScrollArea"]).QScrollArea)
    if scroll is not None:
        scroll.verticalScrollBar().setValue(10_000)
        pump(0.5)
        lower = out / f"{prefix}journey-exams.png"
        window.grab().save(str(lower))
        print("saved", lower)
    window.close()
    QApplication.instance().quit()
    return 0


if __name__ == "__main__":
    from proctorprep.ui.tour import tool_arguments

    a = tool_arguments("screenshots of the Journey page").parse_args()
    raise SystemExit(main(a.out_dir, a.size, a.theme, a.prefix))
