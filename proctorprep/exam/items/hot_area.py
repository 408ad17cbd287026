"""hot_area (a click on an image): the candidate clicks the right region(s) of a picture, e.g. the setting to
change in a screenshot. Regions are rectangles in the image's pixels, each with a label that the keyboard
alternative and screen readers use. Response: the region ids selected (at most as many as the key holds).
Earns the share of the keyed regions selected, as multiple response does."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from proctorprep.exam.bank import Question
from proctorprep.exam.checker import Checker, kind
from proctorprep.exam.errors import ResponseError

MIN_SIDE = 8                     # pixels: a region smaller than a fingertip cannot be clicked on purpose
MAX_COORD = 4096


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    label: str
    x: int
    y: int
    w: int
    h: int

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px < self.x + self.w and self.y <= py < self.y + self.h


@dataclass(frozen=True, slots=True)
class HotArea:
    regions: tuple[Region, ...]

    def at(self, px: float, py: float) -> Region | None:
        """The smallest region under a point (a small one drawn over a big one wins)."""
        hits = [r for r in self.regions if r.contains(px, py)]
        return min(hits, key=lambda r: r.w * r.h) if hits else None


def build(c: Checker, obj: dict, qid: str) -> dict | None:
    if "image" not in obj:
        c.add("is missing (a hot area is clicked on an image from the bank's folder)", qid, "image")
    raw = c.items(obj, "regions", qid, "regions", 2)
    if raw is None:
        return None
    regions: list[Region] = []
    for i, r in enumerate(raw):
        path = f"regions[{i}]"
        if not isinstance(r, dict):
            c.add(f"must be an object with id, label, x, y, w, h, not {kind(r)}", qid, path)
            return None
        c.unknown_fields(r, {"id", "label", "x", "y", "w", "h"}, qid, path)
        rid = c.text(r, "id", qid, f"{path}.id")
        label = c.text(r, "label", qid, f"{path}.label")
        nums = [c.integer(r, k, qid, f"{path}.{k}", lo, MAX_COORD) for k, lo in
                (("x", 0), ("y", 0), ("w", MIN_SIDE), ("h", MIN_SIDE))]
        if rid is None or label is None or None in nums:
            return None
        if rid in [x.id for x in regions]:
            c.add(f"duplicate region id {rid!r}", qid, f"{path}.id")
            return None
        regions.append(Region(rid, label, *nums))   # type: ignore[arg-type]
    key = c.id_list(obj.get("answer"), qid, "answer", tuple(r.id for r in regions)) if "answer" in obj else None
    if key is None:
        return None
    if not key or len(key) >= len(regions):
        c.add(f"must key 1 to {len(regions) - 1} of the {len(regions)} regions, not {len(key)}", qid, "answer")
        return None
    return {"key": key, "choose": len(key), "detail": HotArea(tuple(regions))}


def to_json(q: Question) -> dict[str, Any]:
    d: HotArea = q.detail
    return {"regions": [{"id": r.id, "label": r.label, "x": r.x, "y": r.y, "w": r.w, "h": r.h} for r in d.regions],
            "answer": list(q.key)}


def normalize(q: Question, response: Any) -> Any:
    d: HotArea = q.detail
    ids = [r.id for r in d.regions]
    if not isinstance(response, (list, tuple)) or any(v not in ids for v in response) \
            or len(set(response)) != len(response):
        raise ResponseError(f"question {q.id}: {response!r} is not a list of distinct region ids ({', '.join(ids)})")
    if len(response) > (q.choose or 0):
        raise ResponseError(f"question {q.id}: select at most {q.choose} region(s), got {len(response)}")
    return [r for r in ids if r in response] or None


def is_complete(q: Question, response: Any) -> bool:
    return len(response) == q.choose


def credit(q: Question, response: Any) -> Fraction:
    return Fraction(len(set(response) & set(q.key)), q.choose or 1)


def answer_text(q: Question, value: Any) -> str:
    d: HotArea = q.detail
    labels = {r.id: r.label for r in d.regions}
    return "; ".join(labels.get(v, str(v)) for v in value)


def question_text(q: Question) -> str:
    d: HotArea = q.detail
    return "\n".join([q.prompt, f"(click {q.choose} region(s) on the picture)", *(f"- {r.label}" for r in d.regions)])
