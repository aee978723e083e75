"""Decide whether aligned facts disagree.

Two values agree when both can be true: their intervals overlap once each is
widened by the rounding its text implies ("$9.5 billion" covers 9.45–9.55
billion). A cluster is a conflict when two of its facts from different
documents cannot both be true. The report names the consensus (the value most
sources support) and the outliers, so a reader sees at once who says what.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from itertools import pairwise

from factcheck.lexicon import Lexicon
from factcheck.models import (
    Conflict,
    DateSpan,
    DateValue,
    Document,
    Fact,
    FactCluster,
    QuantityValue,
    ScoreValue,
)

# trigger classes of counts that only grow as a story develops: a later, higher figure is an update
CUMULATIVE_CLASSES = frozenset({"kill", "injure", "destroy", "damage", "evacuate"})


@dataclass(frozen=True)
class Tolerance:
    """How far apart two values of a kind may be and still agree, on top of the rounding their
    text implies: relative to the value, absolute in the kind's canonical unit (percentage
    points for percentages), or in days for dates."""

    relative: float = 0.0
    absolute: float = 0.0
    days: int = 0


# the gap allowed between two values, relative to the larger: money and measures are often
# converted or restated ("$9.5 billion" / "€8.7 billion"), counts and percentages are not
DEFAULT_RELATIVE = {"count": 0.0, "money": 0.01, "percent": 0.0, "quantity": 0.02, "date": 0.0}


@dataclass(frozen=True)
class CompareConfig:
    """Tolerances per kind: the built-in relative ones, replaced kind by kind by `tolerances`
    (tolerance rules, a fact rule's own tolerance)."""

    relative_tolerance: dict[str, float] | None = None
    within_document: bool = False
    borderline_gap: float = 0.02  # a relative gap below this is a warning, not an error
    tolerances: dict[str, Tolerance] | None = None

    def tolerance(self, kind: str) -> float:
        return self.tolerance_of(kind).relative

    def tolerance_of(self, kind: str) -> Tolerance:
        return self._tolerances.get(kind) or self._default_tolerance

    @cached_property
    def _tolerances(self) -> dict[str, Tolerance]:
        """Every kind's tolerance, once per configuration: alignment and comparison ask for it
        for every pair of facts."""
        table = {
            k: Tolerance(relative=r)
            for k, r in {**DEFAULT_RELATIVE, **(self.relative_tolerance or {})}.items()
        }
        return {**table, **(self.tolerances or {})}

    @cached_property
    def _default_tolerance(self) -> Tolerance:
        return Tolerance()


def render_span(span: DateSpan) -> str:
    """A day, a whole month ("2021-07"), a whole year ("2021"), or a range of days."""
    a, b = span.start, span.end
    if a.day == 1 and b == _month_end(b) and (a.year, a.month) == (b.year, b.month):
        return f"{a.year:04d}-{a.month:02d}"
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31):
        return f"{a.year}" if a.year == b.year else f"{a.year}–{b.year}"
    return span.iso()


def _month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def render_value(fact: Fact) -> str:
    """A short human form of a fact's value ("2021-08-11", "160+", "9.5e9 USD")."""
    v = fact.value
    if isinstance(v, DateValue):
        return render_span(v.span) if v.span else "unresolved"
    if isinstance(v, ScoreValue):
        return f"{v.high}-{v.low}"
    assert isinstance(v, QuantityValue)
    unit = f" {v.unit}" if v.unit and v.unit != "%" else ("%" if v.unit == "%" else "")

    def num(x: float) -> str:
        if abs(x) >= 1e9:
            return f"{x / 1e9:g} billion"
        if abs(x) >= 1e6:
            return f"{x / 1e6:g} million"
        return f"{x:,.6g}" if abs(x) < 1e5 else f"{x:,.0f}"

    if v.low is not None and v.high is not None:
        text = num(v.low) if v.low == v.high else f"{num(v.low)}–{num(v.high)}"
    elif v.low is not None:
        text = f"≥ {num(v.low)}"
    elif v.high is not None:
        text = f"≤ {num(v.high)}"
    else:
        text = "any"
    return text + unit


def _bounds(v: QuantityValue) -> tuple[float, float]:
    """The interval the text states, widened by the rounding its last digit implies."""
    low = -math.inf if v.low is None else v.low - v.rounding
    high = math.inf if v.high is None else v.high + v.rounding
    return low, high


_INFINITIES = (math.inf, -math.inf)
# outliers a conflict's message names one by one; it counts the others
_OUTLIERS_NAMED = 6


def _gap(va: QuantityValue, vb: QuantityValue) -> tuple[float, float]:
    """How far apart two intervals are (0 when they meet), and the size of the larger value."""
    la, ha = _bounds(va)
    lb, hb = _bounds(vb)
    gap = max(lb - ha, la - hb, 0.0)
    finite = [abs(x) for x in (la, ha, lb, hb) if x not in _INFINITIES]
    return gap, max(finite, default=0.0)


def compatible(a: Fact, b: Fact, config: CompareConfig) -> bool:
    va, vb = a.value, b.value
    if va == vb:
        return True  # (most pairs alignment asks about: sources that agree)
    if isinstance(va, DateValue) and isinstance(vb, DateValue):
        if va.span is None or vb.span is None:
            return True
        slack = timedelta(days=config.tolerance_of(a.kind).days)
        if va.extent and vb.extent:
            # "November 18-19" and "November 19-20" are different schedules
            return abs(va.span.start - vb.span.start) <= slack and abs(va.span.end - vb.span.end) <= slack
        return va.span.start - slack <= vb.span.end and vb.span.start - slack <= va.span.end
    if isinstance(va, ScoreValue) and isinstance(vb, ScoreValue):
        return (va.high, va.low) == (vb.high, vb.low)
    if isinstance(va, QuantityValue) and isinstance(vb, QuantityValue):
        if va.unit != vb.unit:
            return True  # not comparable: never a conflict
        # within tolerance: the gap between the two is at most the relative share of the larger
        # value or the absolute amount, whichever is more ("money within 2%", "counts within 2")
        tol = config.tolerance_of(a.kind)
        gap, scale = _gap(va, vb)
        return gap <= max(tol.relative * scale, tol.absolute)
    return True


def _two_documents(xs: Sequence[Fact], ys: Sequence[Fact]) -> bool:
    """Some fact of `xs` and some fact of `ys` come from different documents."""
    docs = {f.doc_id for f in xs} | {f.doc_id for f in ys}
    return len(docs) > 1


def relative_gap(a: Fact, b: Fact) -> float:
    """How far apart two incompatible values are, relative to their size (0 = touching)."""
    va, vb = a.value, b.value
    if isinstance(va, DateValue) and isinstance(vb, DateValue) and va.span and vb.span:
        days = max((vb.span.start - va.span.end).days, (va.span.start - vb.span.end).days, 0)
        return days / 30.0
    if isinstance(va, ScoreValue) and isinstance(vb, ScoreValue):
        return 1.0
    if isinstance(va, QuantityValue) and isinstance(vb, QuantityValue):
        gap, scale = _gap(va, vb)
        return gap / scale if scale else 0.0
    return 0.0


@dataclass(frozen=True)
class WatchedFact:
    """What a `fact` rule says about the cluster it names: its tolerance, and the message and
    severity of an alarm on it (None: the built-in ones)."""

    name: str
    tolerance: Tolerance | None = None
    message: str | None = None
    severity: str | None = None


class Comparer:
    def __init__(
        self,
        documents: Sequence[Document],
        lexicon: Lexicon,
        config: CompareConfig | None = None,
        watched: Mapping[str, WatchedFact] | None = None,
    ) -> None:
        self.lex = lexicon
        self.config = config or CompareConfig()
        self.documents = {d.id: d for d in documents}
        self.watched = dict(watched or {})

    def conflicts(self, clusters: Sequence[FactCluster]) -> list[Conflict]:
        found: list[Conflict] = []
        for cluster in clusters:
            conflict = self._judge(cluster)
            if conflict is not None:
                found.append(conflict)
        order = {"error": 0, "warning": 1}
        found.sort(key=lambda c: (order[c.severity], c.facts[0].doc_id, c.facts[0].start))
        return [
            Conflict(
                f"c{n}", c.kind, c.severity, c.facts, c.message, c.consensus, c.outliers, c.notes, c.label
            )
            for n, c in enumerate(found, 1)
        ]

    def _judge(self, cluster: FactCluster) -> Conflict | None:
        facts = cluster.facts
        cfg = self.config
        watched = self.watched.get(cluster.rule) if cluster.rule else None
        if watched is not None and watched.tolerance is not None:
            cfg = replace(cfg, tolerances={**(cfg.tolerances or {}), facts[0].kind: watched.tolerance})
        # facts with one value agree or disagree alike: compare each pair of values once (a
        # story reprinted by fifty outlets is fifty facts and a handful of values)
        by_value: dict[tuple[str, object], list[Fact]] = {}
        for f in facts:
            by_value.setdefault((f.kind, f.value), []).append(f)
        values = list(by_value)
        fits = {(x, y): compatible(by_value[x][0], by_value[y][0], cfg) for x in values for y in values}
        bad_pairs = [
            (by_value[x][0], by_value[y][0])
            for n, x in enumerate(values)
            for y in values[n + 1 :]
            if not fits[x, y] and (cfg.within_document or _two_documents(by_value[x], by_value[y]))
        ]
        if not bad_pairs:
            return None

        # consensus: the fact compatible with the most documents (the first such, on a tie)
        def support(value: tuple[str, object]) -> tuple[int, int]:
            docs = {g.doc_id for other in values if fits[value, other] for g in by_value[other]}
            return len(docs), -facts.index(by_value[value][0])

        best_value = max(values, key=support)
        best = by_value[best_value][0]
        agreeing = [f for f in facts if fits[best_value, (f.kind, f.value)]]
        outliers = [f for f in facts if not fits[best_value, (f.kind, f.value)]]
        consensus: list[tuple[str, int]] = []
        for group in (agreeing, outliers):
            values: dict[str, set[str]] = {}
            for f in group:
                values.setdefault(render_value(f), set()).add(f.doc_id)
            consensus += sorted(((v, len(d)) for v, d in values.items()), key=lambda t: (-t[1], t[0]))
        gap = max(relative_gap(a, b) for a, b in bad_pairs)
        severity = "error" if gap >= cfg.borderline_gap or facts[0].kind == "date" else "warning"
        notes = self._notes(best, outliers)
        kind = facts[0].kind
        what = facts[0].context.noun or facts[0].context.trigger or kind
        label = "disagreement"
        if self._is_update(agreeing, outliers):
            severity, label = "warning", "update"
            ordered = sorted(facts, key=lambda f: (self._published(f), f.start))
            said = [f"{render_value(f)} ({self._outlet(f)}, {self._published_text(f)})" for f in ordered]
            if len(said) > _OUTLIERS_NAMED:  # the first reports and the latest
                said[2:-2] = [f"… ({len(said) - 4} more reports)"]
            steps = " → ".join(said)
            message = (
                f"{kind} ({what}) rises from report to report: {steps}; likely an update, not a contradiction"
            )
        else:
            said = [f"{self._outlet(f)} says {f.text!r} ({render_value(f)})" for f in outliers]
            if len(said) > _OUTLIERS_NAMED:
                # a wire story reprinted fifty times with another figure: a sentence, not a list
                rest = outliers[_OUTLIERS_NAMED - 1 :]
                other_values = len({render_value(f) for f in rest})
                said[_OUTLIERS_NAMED - 1 :] = [
                    f"and {len(rest)} more source(s) give {other_values} other value(s)"
                    if other_values > 1
                    else f"and {len(rest)} more source(s) give {render_value(rest[0])}"
                ]
            outlier_text = "; ".join(said)
            headline = f"Sources disagree on {kind} ({what})"
            if watched is not None:  # the rule's own words for what is at stake
                headline = watched.message or f"Sources disagree on {watched.name}"
            message = (
                f"{headline}: {len({f.doc_id for f in agreeing})} source(s) give "
                f"{render_value(best)}; {outlier_text}"
            )
        if watched is not None:
            if label == "update":
                message = f"{watched.message or watched.name}: {message}"
            if watched.severity in ("error", "warning"):
                severity = watched.severity
        return Conflict(
            "",
            kind,
            severity,
            facts,
            message,
            tuple(consensus),
            tuple(f.id for f in outliers),
            tuple(notes),
            label,
        )

    def _published(self, fact: Fact) -> date:
        doc = self.documents.get(fact.doc_id)
        return doc.published.start if doc and doc.published else date.min

    def _published_text(self, fact: Fact) -> str:
        doc = self.documents.get(fact.doc_id)
        return render_span(doc.published) if doc and doc.published else "undated"

    def _outlet(self, fact: Fact) -> str:
        doc = self.documents.get(fact.doc_id)
        return doc.outlet if doc else fact.doc_id

    def _notes(self, best: Fact, outliers: list[Fact]) -> list[str]:
        notes = []
        for f in outliers:
            v = f.value
            doc = self.documents.get(f.doc_id)
            if isinstance(v, DateValue) and v.relative and v.span and doc and doc.published:
                ref = best.value
                if isinstance(ref, DateValue) and ref.span and ref.span.end < v.span.start:
                    pub = doc.published.iso()
                    notes.append(
                        f"{f.text!r} in {doc.outlet} resolves to {v.span.iso()} against its publication date "
                        f"{pub}, later than the other sources; the relative date may be stale "
                        f"(copied from an earlier story)"
                    )
        return notes

    def _is_update(self, agreeing: list[Fact], outliers: list[Fact]) -> bool:
        """A cumulative count that only rises with publication date is an update."""
        facts = agreeing + outliers
        if facts[0].kind != "count":
            return False
        classes = {
            self.lex.trigger_class.get(w, w) for f in facts for w in (f.context.trigger, f.context.noun) if w
        }
        if not classes & CUMULATIVE_CLASSES:
            return False
        dated = []
        for f in facts:
            doc = self.documents.get(f.doc_id)
            v = f.value
            if doc is None or doc.published is None or not isinstance(v, QuantityValue) or v.low is None:
                return False
            dated.append((doc.published.start, v.low))
        dated.sort()
        return all(b[1] >= a[1] for a, b in pairwise(dated)) and dated[0][0] < dated[-1][0]
