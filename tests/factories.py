"""Build facts directly, for alignment and comparison tests that need no parse."""

from __future__ import annotations

from datetime import date

from factcheck.models import DateSpan, DateValue, Fact, FactContext, QuantityValue

_counter = iter(range(1, 10**9))


def quantity_fact(
    doc: str,
    low: float | None,
    high: float | None = ...,  # type: ignore[assignment]
    *,
    kind: str = "count",
    unit: str | None = None,
    noun: str | None = "home",
    triggers: tuple[str, ...] = ("destroy",),
    entities: tuple[str, ...] = ("montalba",),
    keywords: tuple[str, ...] = ("fire", "destroy", "home"),
    anchors: tuple[DateSpan, ...] = (),
    role: str | None = None,
    rounding: float = 0.0,
    hedge: str | None = None,
    dimension: str | None = None,
) -> Fact:
    if high is ...:
        high = low
    n = next(_counter)
    return Fact(
        id=f"f{n}",
        doc_id=doc,
        kind=kind,
        text=str(low),
        start=n,
        end=n + 1,
        value=QuantityValue(low, high, unit, rounding, hedge),
        sentence="",
        sentence_start=0,
        line=1,
        context=FactContext(
            noun=noun,
            trigger=triggers[0] if triggers else None,
            triggers=triggers,
            entities=entities,
            keywords=keywords,
            anchors=anchors,
            role=role,
        ),
        dimension=dimension if dimension is not None else (unit if kind in ("money", "percent") else None),
    )


def date_fact(
    doc: str,
    start: str,
    end: str | None = None,
    *,
    triggers: tuple[str, ...] = ("meet",),
    entities: tuple[str, ...] = ("wang", "baradar", "tianjin"),
    keywords: tuple[str, ...] = ("minister", "meet", "delegation"),
    resolution: str | None = None,
    relative: bool = False,
    extent: bool = False,
) -> Fact:
    n = next(_counter)
    span = DateSpan(date.fromisoformat(start), date.fromisoformat(end or start))
    return Fact(
        id=f"f{n}",
        doc_id=doc,
        kind="date",
        text=start,
        start=n,
        end=n + 1,
        value=DateValue(span, resolution, relative, extent),
        sentence="",
        sentence_start=0,
        line=1,
        context=FactContext(
            trigger=triggers[0] if triggers else None, triggers=triggers, entities=entities, keywords=keywords
        ),
        dimension="date",
    )


def year(y: int) -> DateSpan:
    return DateSpan(date(y, 1, 1), date(y, 12, 31))
