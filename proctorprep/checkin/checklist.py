"""What a greeter checks that no offline model here can see: the candidate confirms each, and the report says
plainly that these were confirmed, not seen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping


@dataclass(frozen=True, slots=True)
class ConfirmItem:
    key: str
    text: str          # as the candidate confirms it
    why: str           # what a proctor does about it


CONFIRM_ITEMS: tuple[ConfirmItem, ...] = (
    ConfirmItem("no_phone", "My phone is out of reach, behind me (not on the desk or in a pocket)",
                "Phone access is one of the reasons candidates report revoked exams."),
    ConfirmItem("no_headphones", "I wear no headphones, earbuds or headset",
                "Headphones bring a chat question and a prohibited-item pop-up."),
    ConfirmItem("no_watch", "I wear no watch or fitness band",
                "Watches must be taken off and put out of reach."),
    ConfirmItem("one_monitor", "Only one monitor is connected and switched on",
                "A second monitor, even switched off, is a common reason to end the exam."),
    ConfirmItem("alone", "I am alone in a closed room and will stay so",
                "Anyone entering ends a proctored exam."),
    ConfirmItem("clear_desk", "Nothing on the desk but keyboard, mouse and (if allowed) water",
                "Notes, books, pens and paper are not allowed in most online exams."),
)
CONFIRM_KEYS = tuple(i.key for i in CONFIRM_ITEMS)


@dataclass(frozen=True)
class Confirmations:
    """Which items the candidate confirmed (True), left unconfirmed (False)."""

    ticked: tuple[tuple[str, bool], ...]

    @classmethod
    def of(cls, confirmed: Iterable[str]) -> "Confirmations":
        got = set(confirmed)
        unknown = got - set(CONFIRM_KEYS)
        if unknown:
            raise ValueError(f"unknown checklist items: {', '.join(sorted(unknown))}")
        return cls(tuple((k, k in got) for k in CONFIRM_KEYS))

    @property
    def all_confirmed(self) -> bool:
        return all(ok for _, ok in self.ticked)

    def to_dict(self) -> list[dict[str, Any]]:
        texts = {i.key: i for i in CONFIRM_ITEMS}
        return [{"key": k, "text": texts[k].text, "confirmed": ok, "seen": False} for k, ok in self.ticked]

    @classmethod
    def from_dict(cls, items: Iterable[Mapping[str, Any]]) -> "Confirmations":
        d = {str(i.get("key")): bool(i.get("confirmed")) for i in items if isinstance(i, Mapping)}
        return cls(tuple((k, d.get(k, False)) for k in CONFIRM_KEYS))
