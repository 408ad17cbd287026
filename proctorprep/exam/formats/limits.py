"""Limits every bank loader enforces before parsing, so a hostile file costs neither memory nor a crash."""

from __future__ import annotations

import os
import re
from itertools import accumulate
from pathlib import Path
from typing import Protocol

from proctorprep.exam.errors import BankError, Problem

MAX_BANK_BYTES = 5 * 1024 * 1024   # 5 MiB: the bundled banks are ~100 kB; a real bank of 2,000 questions fits
MAX_DEPTH = 32                     # a bank needs 6 levels of nesting; anything deeper is not a bank

_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET_RE = re.compile(r"[\[\]{}]")
_NOT_BRACKET_RE = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class Readable(Protocol):   # a Path, or an importlib.resources Traversable for bundled banks
    name: str

    def read_bytes(self) -> bytes: ...


def read_limited(path: str | os.PathLike[str] | Readable, label: str | None = None) -> tuple[str, bytes]:
    """Return (label for messages, raw bytes), refusing missing, unreadable or oversized files by BankError."""
    if isinstance(path, (str, os.PathLike)):
        path = Path(path)
        label = label or str(path)
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise BankError([Problem(label, "is not a file")])
            if size > MAX_BANK_BYTES:
                raise BankError([Problem(label, f"is {size / 1e6:.1f} MB; question banks are limited to "
                                                f"{MAX_BANK_BYTES // (1024 * 1024)} MiB")])
            with path.open("rb") as fh:
                raw = fh.read(MAX_BANK_BYTES + 1)   # the file may have grown since stat()
        except FileNotFoundError:
            raise BankError([Problem(label, "does not exist")]) from None
        except OSError as exc:
            raise BankError([Problem(label, f"cannot be read ({exc.strerror or exc})")]) from None
    else:
        label = label or path.name
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise BankError([Problem(label, f"cannot be read ({exc})")]) from None
    if len(raw) > MAX_BANK_BYTES:
        raise BankError([Problem(label, f"is larger than {MAX_BANK_BYTES // (1024 * 1024)} MiB; question banks "
                                        "are limited to that size")])
    return label, raw


def decode_text(raw: bytes, label: str) -> str:
    """UTF-8 (a BOM is allowed), or a BankError naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BankError([Problem(label, f"is not UTF-8 text (bad byte 0x{raw[exc.start]:02x})", line=line)]) from None


def check_json_depth(text: str, label: str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH before json.loads sees it (which would hit RecursionError)."""
    # Blank out strings (brackets inside them do not count) but keep their newlines so line numbers stay right.
    stripped = _STRING_RE.sub(lambda m: '"' + "\n" * m.group().count("\n") + '"', text)
    brackets = _NOT_BRACKET_RE.sub("", stripped)
    # C-level scan (map + accumulate + max): a 5 MB file of brackets takes tens of milliseconds, not a second.
    if not brackets or max(accumulate(map(_STEP.__getitem__, brackets))) <= MAX_DEPTH:
        return
    depth = 0
    for m in _BRACKET_RE.finditer(stripped):   # only for a file already refused: find the line to name
        depth += _STEP[m.group()]
        if depth > MAX_DEPTH:
            line = stripped.count("\n", 0, m.start()) + 1
            raise BankError([Problem(label, f"is nested more than {MAX_DEPTH} levels deep; "
                                            "a question bank never needs that", line=line)])
