"""The primitive checks of a question bank (text, whole numbers, lists, records, option ids): each records every
problem in plain words and returns the value only when it is right. Used by validate.py for the bank and by each
question type (exam/items/) for its own fields."""

from __future__ import annotations

from typing import Any

from proctorprep.exam.bank import Option
from proctorprep.exam.errors import Problem

MAX_ID_LEN = 100
MAX_TEXT = 20_000            # characters in one text field: a generous page of scenario text


def kind(value: Any) -> str:
    """A JSON type name for messages ("a number", not "float")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class Checker:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.seen_ids: set[str] = set()
        self.skills: list[str] = []

    def add(self, message: str, qid: str | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(self.source, message, question=qid, field=field))

    # --- primitive checks: return the value when it is right, else None (and record why) ---------------------

    def text(self, obj: dict, key: str, qid: str | None, path: str, required: bool = True) -> str | None:
        if key not in obj:
            if required:
                self.add("is missing", qid, path)
            return None
        value = obj[key]
        if not isinstance(value, str):
            self.add(f"must be text, not {kind(value)}", qid, path)
            return None
        if required and not value.strip():
            self.add("must not be empty", qid, path)
            return None
        if len(value) > MAX_TEXT:
            self.add(f"is {len(value)} characters long; the limit is {MAX_TEXT}", qid, path)
            return None
        return value

    def integer(self, obj: dict, key: str, qid: str | None, path: str, lo: int, hi: int,
                required: bool = True) -> int | None:
        if key not in obj:
            if required:
                self.add("is missing", qid, path)
            return None
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"must be a whole number, not {kind(value)}", qid, path)
            return None
        if not lo <= value <= hi:
            self.add(f"must be between {lo} and {hi}, not {value}", qid, path)
            return None
        return value

    def items(self, obj: dict, key: str, qid: str | None, path: str, minimum: int) -> list | None:
        if key not in obj:
            self.add("is missing", qid, path)
            return None
        value = obj[key]
        if not isinstance(value, list):
            self.add(f"must be a list, not {kind(value)}", qid, path)
            return None
        if len(value) < minimum:
            self.add(f"must list at least {minimum}, found {len(value)}", qid, path)
            return None
        return value

    def unknown_fields(self, obj: dict, allowed: set[str], qid: str | None, path: str = "") -> None:
        for key in obj:
            if key not in allowed:
                name = f"{path}.{key}" if path else str(key)
                self.add(f"is not a known field (allowed: {', '.join(sorted(allowed))})", qid, name)

    def entry_id(self, obj: dict, path: str, fallback: str) -> str:
        """The entry's id for messages (or a positional stand-in) and the duplicate check."""
        value = obj.get("id")
        if "id" not in obj:
            self.add("is missing", fallback, "id")
            return fallback
        if not isinstance(value, str) or not value.strip():
            self.add(f"must be non-empty text, not {kind(value)}", fallback, "id")
            return fallback
        if len(value) > MAX_ID_LEN:
            self.add(f"must be at most {MAX_ID_LEN} characters", fallback, "id")
            return fallback
        if value in self.seen_ids:
            self.add(f"duplicate id {value!r} (ids must be unique in the bank, case studies included)", value, "id")
        self.seen_ids.add(value)
        return value

    def records(self, obj: dict, key: str, qid: str, minimum: int,
                with_answer: bool = False, images: bool = False) -> list[tuple[str, str, Any]] | None:
        """A list of {id, text} objects (plus a true/false answer for statements) with ids unique in the list.
        Returns (id, text, answer) per item, or None if anything in the list is wrong (all of it reported)."""
        raw = self.items(obj, key, qid, key, minimum)
        if raw is None:
            return None
        fields = ({"id", "text", "answer"} if with_answer else {"id", "text"}) | ({"image"} if images else set())
        out: list[tuple[str, str, Any]] = []
        seen: set[str] = set()
        ok = True
        for i, item in enumerate(raw):
            path = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.add(f"must be an object with {', '.join(sorted(fields))}, not {kind(item)}", qid, path)
                ok = False
                continue
            self.unknown_fields(item, fields, qid, path)
            rid = self.text(item, "id", qid, f"{path}.id")
            text = self.text(item, "text", qid, f"{path}.text")
            answer = item.get("answer")
            if with_answer and "answer" not in item:
                self.add("is missing (true for Yes, false for No)", qid, f"{path}.answer")
            elif with_answer and not isinstance(answer, bool):
                self.add(f"must be true or false, not {kind(answer)}", qid, f"{path}.answer")
                answer = None
            if rid is not None and rid in seen:
                self.add(f"duplicate id {rid!r}", qid, f"{path}.id")
                rid = None
            if rid is None or text is None or (with_answer and not isinstance(answer, bool)):
                ok = False
                continue
            seen.add(rid)
            if images:      # the third place carries the option's picture (answers are for statements only)
                answer = self.image_path(item, qid, f"{path}.image") if "image" in item else None
                if "image" in item and answer is None:
                    ok = False
                    continue
            out.append((rid, text, answer))
        return out if ok else None

    def labelled(self, obj: dict, key: str, qid: str, minimum: int, images: bool = False
                 ) -> tuple[Option, ...] | None:
        """Options and matching targets (options of choice items may carry an image)."""
        found = self.records(obj, key, qid, minimum, images=images)
        return None if found is None else tuple(Option(rid, text, image) for rid, text, image in found)

    def image_path(self, obj: dict, qid: str | None, path: str, key: str = "image") -> str | None:
        """A bank-relative file path (its file is checked with the bank's folder or zip, exam/assets.py)."""
        from proctorprep.exam.assets import AssetError, safe_relative

        value = obj.get(key)
        if not isinstance(value, str):
            self.add(f"must be a file path (text), not {kind(value)}", qid, path)
            return None
        try:
            safe_relative(value)
        except AssetError as exc:
            self.add(str(exc), qid, path)
            return None
        return value

    def id_list(self, value: Any, qid: str, path: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.add(f"must be a list of option ids, not {kind(value)}", qid, path)
            return None
        out: list[str] = []
        ok = True
        for i, v in enumerate(value):
            if not isinstance(v, str):
                self.add(f"must be an option id (text), not {kind(v)}", qid, f"{path}[{i}]")
                ok = False
            elif v not in allowed:
                self.add(f"points to option {v!r}, which does not exist (options: {', '.join(allowed)})",
                         qid, f"{path}[{i}]")
                ok = False
            elif v in out:
                self.add(f"lists option {v!r} twice", qid, f"{path}[{i}]")
                ok = False
            else:
                out.append(v)
        return tuple(out) if ok else None
