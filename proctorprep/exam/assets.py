"""A bank's images and reference pages: a folder or a zip next to the bank's JSON, with the bank's file stem.

    aws-practice.json            the bank
    aws-practice/ or .zip        img/topology.png, ref/vm-sizes.txt, ...

Everything is checked before the exam can start, with the same precise errors as the bank itself:
- paths are relative POSIX paths inside the bank (no "..", no absolute path, no drive, no backslash), and in a
  folder no symbolic link (a link could point anywhere on the disk);
- images are PNG, JPEG or GIF, told by their bytes (a renamed file is refused), at most MAX_IMAGE_BYTES and
  MAX_IMAGE_SIDE pixels a side; reference pages are UTF-8 text (.txt or .md, shown as plain text) of at most
  MAX_REFERENCE_BYTES;
- a zip holds at most MAX_ENTRIES entries and MAX_TOTAL_BYTES unpacked, each entry's size is read from the
  directory and then enforced while reading (a lying header cannot balloon), and nothing is ever extracted to disk.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from proctorprep.exam.errors import BankError, Problem

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4096
MAX_REFERENCE_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 32 * 1024 * 1024
MAX_ENTRIES = 500
IMAGE_SUFFIXES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF"}
REFERENCE_SUFFIXES = (".txt", ".md")
_MAGIC = {"PNG": (b"\x89PNG\r\n\x1a\n",), "JPEG": (b"\xff\xd8\xff",), "GIF": (b"GIF87a", b"GIF89a")}


class AssetError(ValueError):
    pass


def safe_relative(path: str) -> PurePosixPath:
    """A bank-relative path, or AssetError saying why it may not be one."""
    if not isinstance(path, str) or not path.strip():
        raise AssetError("must be a file path inside the bank's folder, not empty")
    if "\\" in path or "\x00" in path:
        raise AssetError(f"{path!r}: use forward slashes; backslashes and NUL are not allowed in a bank path")
    p = PurePosixPath(path)
    if p.is_absolute() or (len(path) > 1 and path[1] == ":"):
        raise AssetError(f"{path!r} is an absolute path; give it relative to the bank's folder")
    if any(part in ("..", ".", "") for part in path.split("/")):
        raise AssetError(f"{path!r} is not a plain path inside the bank's folder (no '..', '.' or empty parts)")
    return p


@dataclass
class AssetStore:
    """The files of one bank, from a folder or a zip; `read` checks the path each time."""

    label: str                                  # the folder or zip, for messages
    _folder: Path | None = None
    _zip: zipfile.ZipFile | None = None
    _sizes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(cls, location: Path) -> AssetStore:
        location = Path(location)
        label = str(location)
        try:
            if location.is_dir() and not location.is_symlink():
                return cls(label, _folder=location.resolve())
            z = zipfile.ZipFile(location)
        except (OSError, zipfile.BadZipFile) as exc:
            raise BankError([Problem(label, f"cannot be opened as the bank's folder or zip ({exc})")]) from None
        store = cls(label, _zip=z)
        problems = store._check_zip()
        if problems:
            z.close()
            raise BankError(problems)
        return store

    def _check_zip(self) -> list[Problem]:
        assert self._zip is not None
        infos = self._zip.infolist()
        if len(infos) > MAX_ENTRIES:
            return [Problem(self.label, f"holds {len(infos)} entries; a bank's zip may hold {MAX_ENTRIES}")]
        problems = []
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            try:
                safe_relative(info.filename)
            except AssetError as exc:
                problems.append(Problem(self.label, f"entry {exc}"))
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                problems.append(Problem(self.label, f"entry {info.filename!r} is a symbolic link, which is refused"))
                continue
            total += info.file_size
            self._sizes[info.filename] = info.file_size
        if total > MAX_TOTAL_BYTES:
            problems.append(Problem(self.label, f"unpacks to {total / 1e6:.1f} MB; a bank's files are limited to "
                                                f"{MAX_TOTAL_BYTES // (1024 * 1024)} MiB"))
        return problems

    def names(self) -> list[str]:
        if self._zip is not None:
            return sorted(self._sizes)
        assert self._folder is not None
        out = []
        for root, _dirs, files in os.walk(self._folder):
            for f in files:
                out.append((Path(root) / f).relative_to(self._folder).as_posix())
        return sorted(out)

    def read(self, path: str, limit: int) -> bytes:
        """The bytes of `path`, or AssetError (missing, outside the bank, a link, larger than `limit`)."""
        rel = safe_relative(path)
        if self._zip is not None:
            name = rel.as_posix()
            if name not in self._sizes:
                raise AssetError(f"{path!r} is not in {Path(self.label).name}")
            if self._sizes[name] > limit:
                raise AssetError(f"{path!r} is {self._sizes[name] / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB")
            with self._zip.open(name) as fh:
                data = fh.read(limit + 1)         # the directory said small; the stream is held to it too
            if len(data) > limit:
                raise AssetError(f"{path!r} unpacks to more than {limit / 1e6:.1f} MB")
            return data
        assert self._folder is not None
        target = self._folder.joinpath(*rel.parts)
        # Walk each part: a symbolic link anywhere on the way could lead out of the bank's folder.
        cur = self._folder
        for part in rel.parts:
            cur = cur / part
            if cur.is_symlink():
                raise AssetError(f"{path!r} goes through a symbolic link, which is refused")
        if not target.is_file():
            raise AssetError(f"{path!r} does not exist in {self.label}")
        size = target.stat().st_size
        if size > limit:
            raise AssetError(f"{path!r} is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB")
        with target.open("rb") as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:                   # it grew since stat()
            raise AssetError(f"{path!r} is larger than {limit / 1e6:.1f} MB")
        return data

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def check_image(store: AssetStore, path: str) -> tuple[int, int]:
    """(width, height) of a valid image, or AssetError."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        raise AssetError(f"{path!r}: images must be {', '.join(sorted(IMAGE_SUFFIXES))}")
    data = store.read(path, MAX_IMAGE_BYTES)
    kind = IMAGE_SUFFIXES[suffix]
    if not data.startswith(_MAGIC[kind]):
        found = next((k for k, sigs in _MAGIC.items() if data.startswith(sigs)), "not an image")
        raise AssetError(f"{path!r} is named {suffix} but its bytes are {found}")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            w, h = img.size
            img.verify()
    except Exception as exc:   # noqa: BLE001 - Pillow raises many kinds for a damaged file; all mean "broken"
        raise AssetError(f"{path!r} is a damaged {kind} ({type(exc).__name__})") from None
    if max(w, h) > MAX_IMAGE_SIDE:
        raise AssetError(f"{path!r} is {w}x{h} pixels; images are limited to {MAX_IMAGE_SIDE} a side")
    return w, h


def read_reference(store: AssetStore, path: str) -> str:
    if not PurePosixPath(path).suffix.lower() in REFERENCE_SUFFIXES:
        raise AssetError(f"{path!r}: reference pages must be {' or '.join(REFERENCE_SUFFIXES)} (plain text)")
    data = store.read(path, MAX_REFERENCE_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AssetError(f"{path!r} is not UTF-8 text") from None


def assets_location(bank_file: Path) -> Path | None:
    """The folder or zip next to a bank file with its stem (the folder wins if both exist), or None."""
    stem = bank_file.with_suffix("")
    if stem.is_dir():
        return stem
    z = stem.with_suffix(".zip")
    return z if z.is_file() else None


def check_bank_files(bank, store: AssetStore | None) -> list[Problem]:  # bank: exam.bank.Bank
    """Every picture and reference page the bank names, checked in its folder or zip; hot-area regions must lie
    inside their picture. One Problem per fault, with the question and field."""
    problems: list[Problem] = []
    if not bank.uses_files():
        return problems
    if store is None:
        stem = Path(bank.source).stem or bank.id
        return [Problem(bank.source, f"names pictures or reference pages, but there is no folder {stem}/ or zip "
                                     f"{stem}.zip next to it")]
    sizes: dict[str, tuple[int, int] | None] = {}

    def image(path: str, qid: str | None, fld: str) -> tuple[int, int] | None:
        if path not in sizes:
            try:
                sizes[path] = check_image(store, path)
            except AssetError as exc:
                sizes[path] = None
                problems.append(Problem(bank.source, str(exc), qid, fld))
        return sizes[path]

    for q in bank.questions:
        if q.image:
            size = image(q.image, q.id, "image")
            regions = getattr(q.detail, "regions", None)
            if size is not None and regions:
                for i, r in enumerate(regions):
                    if r.x + r.w > size[0] or r.y + r.h > size[1]:
                        problems.append(Problem(bank.source, f"reaches beyond the {size[0]}x{size[1]} picture "
                                                             f"{q.image}", q.id, f"regions[{i}]"))
        for i, o in enumerate(q.options):
            if o.image:
                image(o.image, q.id, f"options[{i}].image")
    for i, ref in enumerate(bank.references):
        try:
            read_reference(store, ref.file)
        except AssetError as exc:
            problems.append(Problem(bank.source, str(exc), None, f"references[{i}].file"))
    return problems


def attach_files(bank, bank_file: Path):   # -> exam.bank.Bank
    """The bank with its folder or zip attached (bank.assets), everything it names checked; BankError if not."""
    import dataclasses

    location = assets_location(Path(bank_file))
    store = AssetStore.open(location) if location is not None and bank.uses_files() else None
    problems = check_bank_files(bank, store)
    if problems:
        if store is not None:
            store.close()
        raise BankError(problems)
    return dataclasses.replace(bank, assets=store) if store is not None else bank


def copy_files(store: AssetStore, dest: Path) -> list[Path]:
    """Copy a bank's files into `dest` (a folder next to the stored JSON), each 0600; returns what was written."""
    from proctorprep.paths import ensure_private_dir, write_private

    written = []
    for name in store.names():
        data = store.read(name, MAX_TOTAL_BYTES)
        target = ensure_private_dir(dest).joinpath(*PurePosixPath(name).parts)
        ensure_private_dir(target.parent)
        written.append(write_private(target, data))
    return written
