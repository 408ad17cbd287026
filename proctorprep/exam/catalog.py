"""Finding and loading banks: the bundled ones (package data, read with importlib.resources) and the user's."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from proctorprep.exam.bank import Bank
from proctorprep.exam.errors import BankError, Problem
from proctorprep.exam.formats.limits import Readable




@dataclass(frozen=True, slots=True)
class BankInfo:
    id: str
    title: str
    question_count: int
    duration_minutes: int
    origin: str                  # "bundled" | "user"
    path: str                    # file path, or "assets/exams/<name>" for bundled banks
    error: str | None = None     # a user bank that no longer loads is listed with its problems, not hidden


def load_bank(path: str | os.PathLike[str] | Readable, label: str | None = None) -> Bank:
    """Load a bank: JSON, or any import format by its suffix (GIFT, Aiken, Moodle XML, CSV/TSV, IMS QTI; see
    proctorprep.exam.formats). Raises BankError listing every problem."""
    name = path.name if not isinstance(path, (str, os.PathLike)) else os.fspath(path)
    if str(name).lower().endswith(".json"):
        from proctorprep.exam.formats.json_bank import load_json_bank

        return load_json_bank(path, label)
    from proctorprep.exam.formats import import_file

    return import_file(path, label=label).bank


def _bundled_files() -> list[Traversable]:
    root = resources.files("proctorprep.assets").joinpath("exams")
    return sorted((f for f in root.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)


def _info(bank: Bank, origin: str, path: str) -> BankInfo:
    return BankInfo(bank.id, bank.title, bank.question_count, bank.duration_minutes, origin, path)


def bundled_banks() -> list[BankInfo]:
    """The banks shipped with proctorprep (they are tested to load, so no error handling hides problems here)."""
    return [_info(load_bank(f, f"assets/exams/{f.name}"), "bundled", f"assets/exams/{f.name}")
            for f in _bundled_files()]


def load_bundled(bank_id: str) -> Bank:
    for f in _bundled_files():
        bank = load_bank(f, f"assets/exams/{f.name}")
        if bank.id == bank_id:
            return bank
    raise BankError([Problem("assets/exams", f"no bundled bank with id {bank_id!r}")])


def user_banks(user_dir: Path) -> list[BankInfo]:
    return [info for info, _bank in _user_loaded(user_dir)]


def _user_loaded(user_dir: Path) -> list[tuple[BankInfo, Bank | None]]:
    out: list[tuple[BankInfo, Bank | None]] = []
    if not user_dir.is_dir():
        return out
    for f in sorted(user_dir.iterdir()):
        if not f.name.endswith(".json") or f.name.startswith("."):
            continue
        try:
            bank = load_bank(f)
            out.append((_info(bank, "user", str(f)), bank))
        except BankError as exc:
            out.append((BankInfo(f.stem, "", 0, 0, "user", str(f), error=str(exc)), None))
    return out


def loaded_banks(user_dir: Path) -> list[tuple[BankInfo, Bank]]:
    """Every bank that loads, with its info, each read once (a page that needs the banks themselves, not only the
    list: calling find_bank per listed bank would read every bank again for each one)."""
    bundled = [(load_bank(f, f"assets/exams/{f.name}"), f"assets/exams/{f.name}") for f in _bundled_files()]
    return ([(_info(b, "bundled", p), b) for b, p in bundled]
            + [(info, bank) for info, bank in _user_loaded(user_dir) if bank is not None])


def list_banks(user_dir: Path | None = None) -> list[BankInfo]:
    """Bundled banks first, then the user's folder (proctorprep.paths.user_exams_dir() by default)."""
    if user_dir is None:
        from proctorprep.paths import user_exams_dir

        user_dir = user_exams_dir()
    return bundled_banks() + user_banks(user_dir)


def find_bank(bank_id: str, user_dir: Path | None = None) -> Bank:
    """A bank by id: user banks shadow nothing (import refuses bundled ids), so the first match wins."""
    for info in list_banks(user_dir):
        if info.id == bank_id and info.error is None:
            return load_bundled(bank_id) if info.origin == "bundled" else load_bank(Path(info.path))
    raise BankError([Problem(str(user_dir or "exams"), f"no question bank with id {bank_id!r}")])


def install_bank(bank: Bank, user_dir: Path, replace: bool = False) -> Path:
    """Store an imported bank as native JSON (mode 0600) in the user's exams folder, where the catalogue finds it.
    Refuses a bundled bank's id, and an existing file unless `replace`: nothing the user made is overwritten."""
    import json

    from proctorprep import paths
    from proctorprep.exam.formats.json_bank import bank_to_dict

    if bank.id in {b.id for b in bundled_banks()}:
        raise BankError([Problem(bank.source, f"bank id {bank.id!r} belongs to a bundled bank; choose another id")])
    dest = paths.ensure_private_dir(Path(user_dir)) / f"{bank.id}.json"
    if dest.exists() and not replace:
        raise BankError([Problem(bank.source, f"{dest} already exists; use --replace to overwrite it")])
    if bank.assets is not None:   # its pictures and reference pages go along, into <id>/ next to <id>.json
        from proctorprep.exam.assets import copy_files

        copy_files(bank.assets, dest.with_suffix(""))
    paths.write_private(dest, json.dumps(bank_to_dict(bank), ensure_ascii=False, indent=1) + "\n")
    return dest
