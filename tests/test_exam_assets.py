"""A bank's images and reference pages, in a folder or a zip next to its JSON: type told by the bytes, sizes, and
no path out of the bank (.., absolute, backslash, symbolic links, zip entries)."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from PIL import Image

from proctorprep.exam.assets import (
    MAX_IMAGE_BYTES, AssetError, AssetStore, assets_location, check_image, read_reference, safe_relative,
)
from proctorprep.exam.errors import BankError


def png(w: int = 40, h: int = 30) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (20, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("bad", ["../x.png", "/etc/passwd", "a/../../x.png", "C:/x.png", "a\\b.png", "", "./a.png",
                                 "a//b.png"])
def test_paths_that_leave_the_bank_are_refused(bad):
    with pytest.raises(AssetError):
        safe_relative(bad)


def test_folder_images_and_references(tmp_path):
    folder = tmp_path / "bank"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "net.png").write_bytes(png())
    (folder / "img" / "fake.png").write_bytes(b"GIF89a" + b"\0" * 20)
    (folder / "img" / "broken.png").write_bytes(png()[:40])
    (folder / "ref.txt").write_text("VM sizes\nB2s: 2 vCPU", encoding="utf-8")
    (tmp_path / "bank.json").write_text("{}")
    assert assets_location(tmp_path / "bank.json") == folder
    store = AssetStore.open(folder)
    assert check_image(store, "img/net.png") == (40, 30)
    with pytest.raises(AssetError, match="named .png but its bytes are GIF"):
        check_image(store, "img/fake.png")
    with pytest.raises(AssetError, match="damaged PNG"):
        check_image(store, "img/broken.png")
    with pytest.raises(AssetError, match="does not exist"):
        check_image(store, "img/none.png")
    with pytest.raises(AssetError, match="images must be"):
        check_image(store, "ref.txt")
    assert read_reference(store, "ref.txt").startswith("VM sizes")
    (folder / "big.png").write_bytes(png() + b"\0" * MAX_IMAGE_BYTES)
    with pytest.raises(AssetError, match="the limit is"):
        check_image(store, "big.png")
    (tmp_path / "secret.txt").write_text("outside")
    os.symlink(tmp_path / "secret.txt", folder / "link.txt")
    with pytest.raises(AssetError, match="symbolic link"):
        read_reference(store, "link.txt")
    Image.new("L", (5000, 10)).save(folder / "wide.png")
    with pytest.raises(AssetError, match="5000x10 pixels"):
        check_image(store, "wide.png")


def test_zip_entries_are_checked_before_anything_is_read(tmp_path):
    z = tmp_path / "bank.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("img/a.png", png())
        f.writestr("ref/notes.md", "# Notes")
    assert assets_location(tmp_path / "bank.json") == z
    store = AssetStore.open(z)
    assert store.names() == ["img/a.png", "ref/notes.md"]
    assert check_image(store, "img/a.png") == (40, 30) and read_reference(store, "ref/notes.md") == "# Notes"
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as f:
        f.writestr("../../escape.png", png())
        link = zipfile.ZipInfo("link.png")
        link.external_attr = (0o120777 << 16)
        f.writestr(link, "/etc/passwd")
    with pytest.raises(BankError) as info:
        AssetStore.open(evil)
    text = str(info.value)
    assert "entry '../../escape.png' is not a plain path" in text and "'link.png' is a symbolic link" in text
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(BankError, match="cannot be opened as the bank's folder or zip"):
        AssetStore.open(tmp_path / "junk.zip")
