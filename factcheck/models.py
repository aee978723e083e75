"""Plain data passed between the stages: documents → facts → clusters → conflicts.

Every stage returns frozen dataclasses so that the next stage, the formatters
and the tests can use them directly, and so that nothing downstream can
quietly change what an earlier stage decided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal, TypeVar

T = TypeVar("T")

FactKind = Literal["date", "count", "money", "percent", "quantity"]
FACT_KINDS: tuple[str, ...] = ("date", "count", "money", "percent", "quantity")


@dataclass(frozen=True)
class Document:
    """One source file. `text` is the whole file as Python reads it, so fact
    offsets index into it directly; `body_start` is where the front matter ends."""

    id: str
    path: str
    text: str
    body_start: int = 0
    title: str | None = None
    source: str | None = None
    published: DateSpan | None = None
    url: str | None = None

    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    @property
    def outlet(self) -> str:
        return self.source or self.id


@dataclass(frozen=True)
class InputError:
    """A file that could not be used, with a stable code for machines."""

    path: str
    code: str
    message: str


@dataclass(frozen=True, order=True)
class DateSpan:
    """An inclusive interval of days; a single day has start == end."""

    start: date
    end: date

    @property
    def is_day(self) -> bool:
        return self.start == self.end

    def overlaps(self, other: DateSpan) -> bool:
        return self.start <= other.end and other.start <= self.end

    def iso(self) -> str:
        if self.is_day:
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True)
class DateValue:
    """A date fact: the interval of days it can denote, or None when it could
    not be resolved (a relative date in a document with no publication date)."""

    span: DateSpan | None
    resolution: str | None = None  # how a relative expression was resolved, for the report
    relative: bool = False  # resolved against the publication date ("on Wednesday", "last month")
    extent: bool = False  # the event covers every day of the span ("March 30-31"), not just some day

    type: Literal["date"] = "date"


@dataclass(frozen=True)
class QuantityValue:
    """A number as an inclusive interval in canonical units (None = unbounded).

    `rounding` is the half-unit of the last digit the writer gave ("9.5
    billion" → 0.05e9): the interval is what the text states, the rounding is
    what comparison may additionally forgive.
    """

    low: float | None
    high: float | None
    unit: str | None = None
    rounding: float = 0.0
    hedge: str | None = None

    type: Literal["quantity"] = "quantity"

    @property
    def point(self) -> float | None:
        if self.low is not None and self.high is not None and self.low == self.high:
            return self.low
        return None


@dataclass(frozen=True)
class ScoreValue:
    """A result such as "2-1": the higher and the lower tally, so that "won 2-1" and
    "a 1-2 defeat" of the same match compare equal."""

    high: int
    low: int

    type: Literal["score"] = "score"


Value = DateValue | QuantityValue | ScoreValue


@dataclass(frozen=True)
class FactContext:
    """What a fact is about, for alignment: the counted noun or unit, the event
    trigger, the entities around it, and the content words of its clause."""

    noun: str | None = None
    trigger: str | None = None
    triggers: tuple[str, ...] = ()  # event words up the parse tree, nearest first
    irrealis: bool = False  # a target, plan or possibility, not what happened
    agent: tuple[str, ...] = ()  # words of the subject the fact is about ("norcrest"; "site", "wrexley")
    entities: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    anchors: tuple[DateSpan, ...] = ()  # when the fact holds ("in 2019", "in September", "last year")
    identity_anchors: tuple[DateSpan, ...] = ()  # a year naming the thing ("the 2025 budget")
    modifiers: tuple[str, ...] = ()  # words qualifying the counted noun ("destroyed", "second-dose")
    names: tuple[
        str, ...
    ] = ()  # proper names naming the counted thing ("serra", "vella" in "the Serra Vella fire")
    role: str | None = None  # "part" / "total" for "eight of 34 provinces"
    # the figure qualifies its noun ("a 90-day truce", "a 17% jump", "nine-strong delegation"): the
    # noun, not the verb or the subject of the sentence, says what the figure is
    attributive: bool = False
    # what the figure counts in or leaves out ("include:debt" for "including debt, the deal
    # values Norcrest at £2.9 billion"): a different measure of the same thing
    qualifiers: tuple[str, ...] = ()
    tense: str | None = None


@dataclass(frozen=True)
class Fact:
    id: str
    doc_id: str
    kind: str
    text: str
    start: int
    end: int
    value: Value
    sentence: str
    sentence_start: int
    line: int
    context: FactContext = field(default_factory=FactContext)
    dimension: str | None = None  # "length", "USD", "duration", ... what values must share to compare


@dataclass(frozen=True)
class FactCluster:
    """Facts from the corpus judged to state the same thing."""

    facts: tuple[Fact, ...]
    score: float
    rule: str | None = None  # the `fact` rule that grouped these facts, if one did


@dataclass(frozen=True)
class Conflict:
    id: str
    kind: str
    severity: Literal["error", "warning"]
    facts: tuple[Fact, ...]
    message: str
    consensus: tuple[tuple[str, int], ...] = ()  # (value rendered, number of sources)
    outliers: tuple[str, ...] = ()  # ids of the facts that disagree with the consensus
    notes: tuple[str, ...] = ()
    label: str = "disagreement"  # or "update": a later source revises a running figure


@dataclass(frozen=True)
class Report:
    documents: tuple[Document, ...]
    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    errors: tuple[InputError, ...]
    clusters: tuple[FactCluster, ...] = ()
    # the documents a change adds or edits (`factcheck ci`); empty when the whole corpus was checked
    changed: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()  # what the user should know but that does not fail the run


def direct_constructor(cls: type[T]) -> Callable[..., T]:
    """A positional constructor for the frozen dataclass `cls` that sets the fields directly.

    A frozen class's `__init__` sets each field through `object.__setattr__`, at twice the cost,
    and a warm run builds every stored fact of the corpus (and places each once more). It takes
    every field, in declaration order, and checks nothing: for decoders of data this program
    wrote. The objects are the same: equal, hashable, frozen."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    new = object.__new__

    def build(*values: Any) -> T:
        obj = new(cls)
        obj.__dict__.update(zip(names, values, strict=True))
        return obj

    return build
