"""Draw the pictures of the bundled bank cloud-operations-lab (original drawings, made here with Pillow).

    .venv/bin/python tools/make_lab_images.py      # rewrites assets/exams/cloud-operations-lab/img/

The hot-area regions in the bank's JSON are the rectangles drawn here (PORTAL_MENU below); keep both in step."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[1] / "assets" / "exams" / "cloud-operations-lab" / "img"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
PORTAL_MENU = ["Overview", "Activity log", "Networking", "Disks", "Backup", "Monitoring", "Tags"]


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(BOLD if bold else FONT, size)
    except OSError:
        return ImageFont.load_default()


def portal() -> Image.Image:
    """A mock cloud console page for a virtual machine: a menu on the left (the hot areas), a content pane."""
    img = Image.new("RGB", (600, 380), "#f4f6f8")
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 600, 40), fill="#23395d")
    d.text((14, 11), "Cloud console  ›  Virtual machines  ›  vm-web-01", font=font(15, True), fill="white")
    d.rectangle((0, 40, 170, 380), fill="#ffffff", outline="#d0d4da")
    for i, item in enumerate(PORTAL_MENU):
        y = 56 + i * 40
        d.rectangle((10, y, 160, y + 32), outline="#e1e4e8", fill="#fafbfc")
        d.text((22, y + 7), item, font=font(14), fill="#23395d")
    d.text((196, 60), "vm-web-01", font=font(20, True), fill="#23395d")
    for j, (k, v) in enumerate([("Status", "Running"), ("Size", "Standard B2s"), ("Public IP", "20.61.14.8"),
                                ("Region", "West Europe"), ("OS", "Ubuntu 22.04")]):
        d.text((196, 104 + j * 30), f"{k}:", font=font(14, True), fill="#333333")
        d.text((300, 104 + j * 30), v, font=font(14), fill="#333333")
    return img


def network() -> Image.Image:
    """Two virtual networks joined by peering, one subnet each, a VM in each subnet."""
    img = Image.new("RGB", (560, 260), "white")
    d = ImageDraw.Draw(img)
    for x, name, cidr, vm in ((20, "vnet-hub", "10.0.0.0/16", "vm-dns"), (320, "vnet-app", "10.1.0.0/16", "vm-web")):
        d.rounded_rectangle((x, 20, x + 220, 230), 14, outline="#2457a6", width=3)
        d.text((x + 14, 30), f"{name}  {cidr}", font=font(14, True), fill="#2457a6")
        d.rectangle((x + 20, 70, x + 200, 210), outline="#8aa4cf", width=2)
        d.text((x + 30, 78), "subnet /24", font=font(13), fill="#44577a")
        d.rectangle((x + 60, 120, x + 160, 180), fill="#e6eefb", outline="#2457a6")
        d.text((x + 80, 142), vm, font=font(13, True), fill="#23395d")
    d.line((240, 125, 320, 125), fill="#b07d12", width=4)
    d.text((248, 100), "peering", font=font(13, True), fill="#b07d12")
    return img


def icon(kind: str) -> Image.Image:
    img = Image.new("RGB", (96, 96), "white")
    d = ImageDraw.Draw(img)
    if kind == "database":
        d.ellipse((18, 10, 78, 30), outline="#2457a6", width=3, fill="#e6eefb")
        d.rectangle((18, 20, 78, 76), fill="#e6eefb")
        d.line((18, 20, 18, 76), fill="#2457a6", width=3)
        d.line((78, 20, 78, 76), fill="#2457a6", width=3)
        d.arc((18, 66, 78, 86), 0, 180, fill="#2457a6", width=3)
    elif kind == "queue":
        for i in range(4):
            d.rectangle((10 + i * 20, 34, 26 + i * 20, 62), outline="#1f7a6d", width=3, fill="#e3f4f1")
        d.polygon([(88, 48), (80, 40), (80, 56)], fill="#1f7a6d")
    else:   # server
        for i in range(3):
            d.rectangle((18, 12 + i * 26, 78, 34 + i * 26), outline="#6e4c05", width=3, fill="#fbf3e1")
            d.ellipse((64, 20 + i * 26, 70, 26 + i * 26), fill="#b07d12")
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    portal().save(OUT / "portal.png", optimize=True)
    network().save(OUT / "network.png", optimize=True)
    for k in ("database", "queue", "server"):
        icon(k).save(OUT / f"icon-{k}.png", optimize=True)
    for y, name in ((56 + i * 40, n) for i, n in enumerate(PORTAL_MENU)):
        print(f"{name}: x=10 y={y} w=150 h=32")


if __name__ == "__main__":
    main()
