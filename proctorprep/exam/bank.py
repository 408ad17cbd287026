"""The question-bank model: immutable data the session, the scorer and the UI read. Built only by
`proctorprep.exam.validate.build_bank`, so a `Bank` in hand is always consistent (keys point at real options)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The built-in item types (what each means, checks and earns: exam/question_types.py and exam/items/)
SINGLE = "single"          # one option is right
MULTIPLE = "multiple"      # "choose N": exactly N options are right
YESNO = "yesno"            # a series of statements, each Yes or No
ORDER = "order"            # build list: put (some of) the options in order
MATCHING = "matching"      # drag and drop: each target gets one option
SHORT_ANSWER = "short_answer"   # type a word or phrase; any accepted text is right
NUMERIC = "numeric"        # type a number; right within a tolerance of an accepted value
INFO = "info"              # information only (a GIFT/Moodle "description"): nothing to answer, no points
DROPDOWN = "dropdown"      # hot area in text: drop-down lists inside a sentence or a code line
HOT_AREA = "hot_area"      # hot area on a picture: click the right region(s)
DRAG_DROP = "drag_drop"    # tiles really dragged onto targets (keyboard: pick, then drop)
ACTIVE_SCREEN = "active_screen"   # change settings in a mock dialog
SOLUTION = "solution"      # one proposed solution of a problem-solution series: Yes/No, locked once left
CASE_STUDY = "case_study"  # a scenario with tabs, followed by its own questions (not an item type)
SERIES = "series"          # a problem-solution series: one scenario, several solutions (not an item type)

FORMAT_NAME = "proctorprep-question-bank"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    text: str
    image: str | None = None     # a picture in the bank's folder or zip (exam/assets.py)


@dataclass(frozen=True, slots=True)
class Statement:
    id: str
    text: str
    answer: bool


@dataclass(frozen=True, slots=True)
class Tab:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    """One scored item. Which fields matter depends on `type` (exam/items/<type>.py says):

    single    options, key: str (option id)
    multiple  options, choose: int, key: tuple[str, ...] (option ids, len == choose)
    yesno     statements (each carries its own answer), key: dict statement id -> bool
    order     options, key: tuple[str, ...] (option ids in the right order; options not in the key are distractors)
    matching  targets, options, key: dict target id -> option id (an option may fit several targets)
    short_answer  key: tuple[str, ...] (accepted answers, compared ignoring case and runs of spaces)
    numeric   key: tuple[tuple[float, float], ...] (accepted value, tolerance) pairs
    info      key: None, points 0 (shown, never scored)
    """

    id: str
    type: str
    skill: str
    prompt: str
    explanation: str
    key: Any
    options: tuple[Option, ...] = ()
    statements: tuple[Statement, ...] = ()
    targets: tuple[Option, ...] = ()
    choose: int | None = None
    points: int = 1
    case_id: str | None = None   # the case study this question belongs to
    image: str | None = None     # a picture shown with the prompt (a path in the bank's folder or zip)
    detail: Any = None           # the type's own frozen data (dropdown blanks, hot-area regions, a dialog...)
    series_id: str | None = None   # the problem-solution series this question belongs to

    @property
    def scored(self) -> bool:
        """False for an item that carries no points (information only); validation gives every other item 1+."""
        return self.points > 0

    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)


@dataclass(frozen=True, slots=True)
class CaseStudy:
    id: str
    title: str
    tabs: tuple[Tab, ...]
    question_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Series:
    """A problem-solution series: the scenario and goal its solution questions share."""

    id: str
    title: str
    scenario: str
    goal: str
    question_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the exam that cannot be reopened once left (as on Microsoft's exams with several sections).
    `entries` are the ids the bank lists (questions, case studies, series); `question_ids` the questions they
    hold, in bank order."""

    id: str
    title: str
    entries: tuple[str, ...]
    question_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference page that comes with a bank (open book): plain text in the bank's folder or zip."""

    title: str
    file: str


@dataclass(frozen=True, slots=True)
class Bank:
    id: str
    title: str
    description: str
    duration_minutes: int
    pass_fraction: float                       # share of points that maps to the passing score 700
    questions: tuple[Question, ...]            # in bank order; case-study questions are contiguous
    case_studies: dict[str, CaseStudy] = field(default_factory=dict)
    skill_areas: tuple[str, ...] = ()          # in first-seen order
    source: str = ""                           # file it came from (for messages)
    series: dict[str, Series] = field(default_factory=dict)
    references: tuple[Reference, ...] = ()
    assets: Any = field(default=None, compare=False)   # exam.assets.AssetStore of the bank's folder or zip
    sections: tuple[Section, ...] = ()         # () or 2+: the questions above are then in section order
    # Unscheduled breaks allowed, as in many Microsoft exams (the clock keeps running, seen questions lock); most
    # Pearson programmes allow none, so the default is no.
    breaks: bool = False

    def section_of(self, qid: str) -> Section | None:
        return next((s for s in self.sections if qid in s.question_ids), None)

    def uses_files(self) -> bool:
        return bool(self.references) or any(q.image or any(o.image for o in q.options) for q in self.questions)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    @property
    def question_count(self) -> int:
        return len(self.questions)
