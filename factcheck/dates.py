"""Recognise date expressions and resolve them to inclusive intervals of days.

Absolute dates ("July 28, 2021", "28 July", "2021-07-28", "March 30-31",
"September 16 and 17"), months and years ("July 2021", "late February",
"in 2031", "the early 2030s") and relative dates ("on Wednesday",
"last month", "yesterday", "two days ago", "since the weekend") are resolved
against the document's publication date. When that date is a whole month the
result widens to every day it could mean; when there is none, a relative date
stays unresolved and says so rather than guessing.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property

from factcheck.lexicon import Lexicon
from factcheck.models import DateSpan, DateValue

_ORD = r"(?:st|nd|rd|th)?"
_SEP = r"\s*(?:-|–|—|to|and|through|until|till)\s*"
_DAY_FORMS = frozenset({"iso", "md", "dm", "numeric"})
_RANGE_SEP = r"\s*(?:-|–|—|to|through|until|till)\s*"


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    form: str  # the pattern that matched: "md", "dm", "my", "month", "weekday", "relative", "year", ...
    parts: dict[str, str | int | None]
    relative: bool


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


class DateScanner:
    """Finds date mentions in text and resolves them. Built once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon

    @cached_property
    def _month(self) -> str:
        full = [m for m in self.lex.months if len(m) > 4]
        abbr = [m for m in self.lex.months if m not in full]
        full_alt = "|".join(sorted((m.capitalize() for m in full), key=len, reverse=True))
        abbr_alt = "|".join(sorted((m.capitalize() for m in abbr), key=len, reverse=True))
        return rf"(?:{full_alt}|(?:{abbr_alt})\.?)"

    @cached_property
    def _weekday(self) -> str:
        full = [w.capitalize() for w, _ in self.lex.weekdays.items() if len(w) > 5]
        return "(?:" + "|".join(sorted(full, key=len, reverse=True)) + ")"

    @cached_property
    def _holiday(self) -> str:
        names = sorted(self.lex.holidays, key=len, reverse=True)
        alt = "|".join(re.escape(n).replace(r"\ ", r"\s+").replace("'", "['’]") for n in names)
        return f"(?i:{alt})"

    @cached_property
    def patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        mo, wd = self._month, self._weekday
        day = rf"(?P<d1>[0-3]?\d){_ORD}"
        year = r"(?P<y>(?:1[6-9]|20|21)\d\d)"
        return [
            ("iso", re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d1>[0-3]\d)(?![\d-])")),
            (
                "md",
                re.compile(
                    rf"\b(?:(?P<prep>(?i:on|from|between|since|by|until))\s+)?(?P<m>{mo})\s+{day}"
                    rf"(?:(?:{_RANGE_SEP}(?:(?P<m2>{mo})\s+)?|\s+and\s+)(?P<d2>[0-3]?\d){_ORD})?"
                    rf"(?:,?\s+{year})?(?![\d,.]\d|\d|:)"
                ),
            ),
            (
                "dm",
                re.compile(
                    rf"(?<![-\d])(?:(?P<prep>(?i:on|from|between|since|by|until))\s+)?(?:the\s+)?{day}"
                    rf"(?:{_SEP}(?:the\s+)?(?P<d2>[0-3]?\d){_ORD})?\s+(?:of\s+)?(?P<m>{mo})(?:,?\s+{year})?\b"
                ),
            ),
            (
                "my",
                re.compile(
                    rf"\b(?:(?P<prep>(?i:in|since|by|until|from|during|of))\s+)?(?:(?P<part>(?i:early|mid|late|end\s+of|the\s+end\s+of|"
                    rf"the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of))[\s-]+)?(?P<m>{mo}),?\s+{year}\b"
                ),
            ),
            (
                "month",
                re.compile(
                    rf"\b(?:(?P<dl>(?i:by|until|till|before))\s+(?=the\s))?"
                    rf"(?:(?P<prep>(?i:in|since|by|until|till|to|through|from|during|last|this|next|early|mid|late|of|"
                    rf"before|after|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|the\s+middle\s+of))[\s-]+)"
                    rf"(?:(?P<part>early|mid|late)[\s-]+)?(?P<m>{mo})\b(?!\s+\d)"
                ),
            ),
            (
                "month_range",
                re.compile(
                    rf"\b(?:(?P<prep>(?i:between|from|in))\s+)?(?P<m>{mo})\s*(?:-|–|\bto\b|\band\b|\bthrough\b)\s*"
                    rf"(?P<m2>{mo})(?:,?\s+{year})?\b(?!\s+\d)"
                ),
            ),
            (
                "quarter",
                re.compile(
                    rf"\b(?:(?i:the)\s+)?(?:(?P<q>(?i:first|second|third|fourth|final|last|1st|2nd|3rd|4th))[\s-]+"
                    rf"(?i:quarter)|(?P<qn>Q[1-4])|(?P<qm>{mo})\s*(?:-|–|to)\s*(?P<qm2>{mo})\s+(?i:quarter))"
                    rf"(?:,?\s+(?:(?i:of)\s+)?{year})?\b"
                ),
            ),
            (
                "season",
                re.compile(
                    rf"\b(?:(?P<prep>(?i:this|last|next|early|late|in\s+the|over\s+the|during\s+the|by\s+the))\s+)"
                    rf"(?:(?P<part>(?i:early|late))\s+)?(?P<season>(?i:spring|summer|autumn|fall|winter))"
                    rf"(?:\s+(?:of\s+)?{year})?\b"
                ),
            ),
            (
                "week_offset",
                re.compile(
                    rf"\b(?:(?i:a|one)\s+week\s+(?i:from|on)\s+(?P<w>{wd})"
                    rf"|(?:(?i:on|until|till|by|from|before)\s+)?(?P<w2>{wd})\s+week)\b"
                ),
            ),
            (
                "numeric",
                re.compile(
                    r"(?<![\d/.-])(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)\d\d)(?![\d/-]|\.\d)"
                ),
            ),
            (
                "weekday_range",
                re.compile(
                    rf"\b(?:(?i:from|on|between)\s+)?(?P<w>{wd})\s+(?:to|through|until|till|and|-|–)\s+(?P<w2>{wd})\b"
                ),
            ),
            (
                "weekday",
                re.compile(
                    rf"\b(?:(?P<prep>(?i:on|last|next|this|since|by|until|till|through|from|before|after|early|late))\s+)?"
                    rf"(?P<w>{wd})(?P<poss>['’]s)?(?:\s+(?:morning|afternoon|evening|night))?\b"
                ),
            ),
            (
                "relative",
                re.compile(
                    r"\b(?P<rel>(?:the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow"
                    r"|last\s+night|this\s+(?:morning|afternoon|evening)"
                    r"|(?:earlier|later)\s+this\s+(?:week|month|year)"
                    r"|(?:(?:since|over|at|during)\s+)?(?:last|this|next|the\s+past|the\s+previous|the)\s+weekend"
                    r"|(?:last|this|next|the\s+previous|the\s+past)\s+(?:week|month|year)"
                    r"|the\s+(?:end|start|beginning|middle)\s+of\s+(?:the|this|next|last)\s+(?:week|month|year)"
                    rf"|(?P<n>\d+|a|an|{self.lex.number_word_re})\s+(?P<u>days?|weeks?|months?|years?|decades?)"
                    r"\s+(?:ago|earlier(?!\s+than))(?P<today>\s+today)?))\b",
                    re.IGNORECASE,
                ),
            ),
            (
                "ordinal_day",
                re.compile(
                    r"\b(?:(?P<prep>(?i:on|by|until|since|from))\s+)?the\s+(?P<d1>[1-3]?\d)(?:st|nd|rd|th)\b"
                    r"(?!\s+(?:century|anniversary|time|floor|place|round|minute|day|week|year|edition|"
                    r"amendment|birthday|largest|biggest|most|consecutive|percentile|of\s+(?!this\s+month)))"
                ),
            ),
            (
                "holiday",
                re.compile(
                    rf"\b(?:(?P<prep>(?i:on|before|after|by|until|since|over|at))\s+)?(?P<h>{self._holiday})"
                    rf"(?:\s+{year})?\b"
                ),
            ),
            (
                "year_range",
                re.compile(
                    rf"\b(?:(?P<prep>(?i:between|from))\s+)?{year}(?:\s*(?:-|–|\bto\b|\band\b|\bthrough\b)\s*"
                    r"(?P<y2>(?:1[6-9]|20|21)\d\d)|[-–/](?P<y2s>\d\d))\b(?![-–]\d|\s*(?:%|per(?:\s|-)?cent\b|pct\b))"
                ),
            ),
            (
                "decade",
                re.compile(
                    r"\b(?:(?P<prep>(?i:in|by|during|since))\s+)?(?:(?i:the)\s+)?(?:(?P<part>(?i:early|mid|late))[\s-]+)?(?P<dec>(?:19|20)\d0)s\b"
                ),
            ),
            (
                "year",
                re.compile(
                    rf"\b(?:(?P<prep>(?i:in|since|by|until|till|from|during|before|after|through|throughout|for|of|across))\s+)"
                    rf"(?:(?P<part>early|mid|late|the\s+end\s+of|the\s+start\s+of)[\s-]+)?{year}\b(?![-–]\d|\s*(?:%|per(?:\s|-)?cent\b|pct\b))"
                ),
            ),
            (
                "year_part",
                re.compile(rf"\b(?P<part>(?i:early|mid|late))[\s-]+{year}\b"),
            ),
        ]

    def scan(self, text: str) -> list[DateMention]:
        """All date mentions, longest first where they overlap, in text order."""
        found: list[DateMention] = []
        for form, pattern in self.patterns:
            for m in pattern.finditer(text):
                parts = {k: v for k, v in m.groupdict().items() if v is not None}
                if not self._plausible(form, parts, text, m):
                    continue
                # deictic expressions only: "on Wednesday", "last month", "the 28th". A month and
                # day without a year ("March 17") borrows the year but is not relative.
                relative = form in ("weekday", "weekday_range", "relative", "ordinal_day", "week_offset") or (
                    form == "season"
                    and "prep" in parts
                    and str(parts["prep"]).lower() in ("this", "last", "next")
                )
                found.append(DateMention(m.start(), m.end(), m.group(0), form, parts, relative))
        # where mentions overlap, one that names a day beats one that names a month
        # ("through Sept. 30", not "through Sept"), then the longer one wins
        found.sort(key=lambda d: (d.form not in _DAY_FORMS, -(d.end - d.start), d.start))
        chosen: list[DateMention] = []
        for cand in found:
            if all(cand.end <= c.start or c.end <= cand.start for c in chosen):
                chosen.append(cand)
        chosen.sort(key=lambda d: d.start)
        return chosen

    def _plausible(self, form: str, parts: dict[str, str | int | None], text: str, m: re.Match[str]) -> bool:
        if form in ("md", "dm", "iso"):
            d1 = int(str(parts["d1"]))
            if not 1 <= d1 <= 31:
                return False
            if "d2" in parts and not 1 <= int(str(parts["d2"])) <= 31:
                return False
            if form == "iso":
                return 1 <= int(str(parts["m"])) <= 12
            # "May 5" is a date, "may 5" is not; months were matched case-sensitively
            return True
        if form == "year_range":
            raw2 = str(parts.get("y2") or parts.get("y2s"))
            y1 = int(str(parts["y"]))
            y2 = int(raw2) if len(raw2) == 4 else (y1 // 100) * 100 + int(raw2)
            return y1 < y2 <= y1 + 200  # "2012-16" is a range; "Article 2021-07" is not
        if form == "numeric":
            return self._numeric_order(parts) is not None
        if form == "month_range":
            return self._month_number(str(parts["m"])) != self._month_number(str(parts["m2"]))
        if form == "month":
            # "March" alone is a verb too often; we required a preposition before it
            return str(parts["m"]).rstrip(".").lower() in self.lex.months
        return True

    # ---- resolution -------------------------------------------------------

    def resolve(
        self, mention: DateMention, published: DateSpan | None, tense: str | None = None
    ) -> DateValue:
        """Turn a mention into a day interval; relative ones need `published`.

        An explicit range of days ("March 30-31") is an *extent*: the event
        covers all of it. Any other interval ("July 2021", "last week") is
        uncertainty: the event is on some day inside it. Comparison treats the
        two differently.
        """
        value = self._resolve(mention, published, tense)
        extent = mention.form == "weekday_range" or (mention.form in ("md", "dm") and "d2" in mention.parts)
        value = replace(value, relative=mention.relative, extent=extent and value.span is not None)
        return _before(value, mention.text, published)

    def _resolve(self, mention: DateMention, published: DateSpan | None, tense: str | None) -> DateValue:
        parts = mention.parts
        form = mention.form
        if form == "iso":
            d = _safe_date(int(str(parts["y"])), int(str(parts["m"])), int(str(parts["d1"])))
            return DateValue(DateSpan(d, d) if d else None, None if d else "not a valid calendar date")
        if form in ("md", "dm"):
            return self._resolve_month_day(mention, published)
        if form == "my":
            year = int(str(parts["y"]))
            month = self._month_number(str(parts["m"]))
            return DateValue(_month_part(year, month, parts.get("part")))
        if form == "year":
            year = int(str(parts["y"]))
            return DateValue(_year_part(year, parts.get("part")))
        if form == "year_part":
            return DateValue(_year_part(int(str(parts["y"])), parts.get("part")))
        if form == "year_range":
            y1 = int(str(parts["y"]))
            raw2 = str(parts.get("y2") or parts.get("y2s"))
            y2 = int(raw2) if len(raw2) == 4 else (y1 // 100) * 100 + int(raw2)  # "2012-16"
            if y2 <= y1:
                return DateValue(None, f"{mention.text!r} is not a range of years")
            return DateValue(DateSpan(date(y1, 1, 1), date(y2, 12, 31)))
        if form == "holiday":
            return self._resolve_holiday(mention, published)
        if form == "ordinal_day":
            return self._resolve_ordinal_day(mention, published, tense)
        if form == "numeric":
            order = self._numeric_order(parts)
            assert order is not None
            d = _safe_date(int(str(parts["y"])), *order)
            return DateValue(DateSpan(d, d) if d else None, None if d else "not a valid calendar date")
        if form in ("month_range", "quarter", "season"):
            return self._resolve_period(mention, published, tense)
        if form == "week_offset":
            if published is None:
                return DateValue(None, "relative date, but the document has no publication date")
            weekday = self._weekday_number(str(parts.get("w") or parts.get("w2")))
            first = self._weekday_span(weekday, published, "future", None)
            span = DateSpan(first.start + timedelta(7), first.end + timedelta(7))
            day_name = parts.get("w") or parts.get("w2")
            return DateValue(span, f"{mention.text!r} → {span.iso()}: a week after the coming {day_name}")
        if form == "decade":
            dec = int(str(parts["dec"]))
            lo, hi = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(str(parts.get("part", "")), (0, 9))
            return DateValue(DateSpan(date(dec + lo, 1, 1), date(dec + hi, 12, 31)))
        if published is None:
            return DateValue(None, "relative date, but the document has no publication date")
        if form == "month":
            return self._resolve_bare_month(mention, published, tense)
        if form == "weekday":
            return self._resolve_weekday(mention, published, tense)
        if form == "weekday_range":
            # the first day resolves like a bare weekday; the range runs forward from it
            first = self._weekday_span(self._weekday_number(str(parts["w"])), published, tense, None)
            last_weekday = self._weekday_number(str(parts["w2"]))
            span = DateSpan(
                first.start,
                first.end + timedelta(days=(last_weekday - first.end.weekday()) % 7),
            )
            return DateValue(span, f"{mention.text!r} → {span.iso()} from publication {published.iso()}")
        return self._resolve_relative(mention, published, tense)

    @staticmethod
    def _numeric_order(parts: dict[str, str | int | None]) -> tuple[int, int] | None:
        """(month, day) of "15/04/2024" or "04/15/2024"; None when the order is ambiguous."""
        a, b = int(str(parts["a"])), int(str(parts["b"]))
        if a > 12 and 1 <= b <= 12 and a <= 31:
            return b, a
        if b > 12 and 1 <= a <= 12 and b <= 31:
            return a, b
        if a == b and 1 <= a <= 12:
            return a, b
        return None  # "04/05/2024": day-month or month-day? Not guessed

    def _period_months(self, mention: DateMention) -> tuple[int, int, int]:
        """(first month, last month, year offset of the last month) of a named period."""
        parts = mention.parts
        if mention.form == "month_range":
            m1, m2 = self._month_number(str(parts["m"])), self._month_number(str(parts["m2"]))
        elif mention.form == "quarter":
            if parts.get("qm"):
                m1, m2 = self._month_number(str(parts["qm"])), self._month_number(str(parts["qm2"]))
            else:
                raw = str(parts.get("q") or parts.get("qn")).lower()
                q = {
                    "first": 1,
                    "1st": 1,
                    "q1": 1,
                    "second": 2,
                    "2nd": 2,
                    "q2": 2,
                    "third": 3,
                    "3rd": 3,
                    "q3": 3,
                }.get(raw, 4)
                m1, m2 = 3 * q - 2, 3 * q
        else:
            season = str(parts["season"]).lower()
            m1, m2 = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}.get(
                season, (12, 2)
            )
        return m1, m2, 1 if m2 < m1 else 0

    def _resolve_period(
        self, mention: DateMention, published: DateSpan | None, tense: str | None
    ) -> DateValue:
        """Month ranges, quarters and seasons: in a given year, or the one nearest publication
        ("this spring" is this year's, "last autumn" the one before)."""
        m1, m2, wrap = self._period_months(mention)
        parts = mention.parts
        prep = re.sub(r"\s+", " ", str(parts.get("prep", "")).lower())

        def span_for(year: int) -> DateSpan:
            start = date(year, m1, 1)
            end = _month_end(year + wrap, m2)
            part = str(parts.get("part", "")).lower()
            if mention.form == "season" and part == "early":
                end = _month_end(year, m1)
            elif mention.form == "season" and part == "late":
                start = date(year + wrap, m2, 1)
            return DateSpan(start, end)

        if "y" in parts:
            return DateValue(span_for(int(str(parts["y"])) - (wrap if mention.form == "month_range" else 0)))
        if published is None:
            return DateValue(None, "no year given and the document has no publication date")

        def one(pub: date) -> DateSpan:
            candidates = [span_for(y) for y in (pub.year - 2, pub.year - 1, pub.year, pub.year + 1)]
            if prep == "last":
                past = [c for c in candidates if c.end < pub]
                return past[-1]
            if prep == "next":
                return next(c for c in candidates if c.start > pub)
            if prep == "this" or (tense != "future" and mention.form == "quarter"):
                return [c for c in candidates if c.start <= pub][-1]  # the latest that has begun
            mid = lambda c: c.start + (c.end - c.start) / 2  # noqa: E731
            return min(candidates, key=lambda c: abs((mid(c) - pub).days))

        span = _widen(one, published)
        return DateValue(span, f"{mention.text!r} → {span.iso()} from publication {published.iso()}")

    def _resolve_ordinal_day(
        self, mention: DateMention, published: DateSpan | None, tense: str | None
    ) -> DateValue:
        """ "on the 28th": that day of the publication month, or of the month before when
        it is still to come and the clause is in the past (the month after in the future)."""
        if published is None:
            return DateValue(None, "relative date, but the document has no publication date")
        day = int(str(mention.parts["d1"]))
        if not 1 <= day <= 31:
            return DateValue(None, "not a day of the month")

        def one(pub: date) -> DateSpan:
            year, month = pub.year, pub.month
            if tense == "future" and day < pub.day:
                year, month = _shift_month(year, month, 1)
            elif tense != "future" and day > pub.day:
                year, month = _shift_month(year, month, -1)
            d = date(year, month, min(day, calendar.monthrange(year, month)[1]))
            return DateSpan(d, d)

        span = _widen(one, published)
        return DateValue(span, f"{mention.text!r} → {span.iso()} from publication {published.iso()}")

    def _resolve_holiday(self, mention: DateMention, published: DateSpan | None) -> DateValue:
        name = re.sub(r"\s+", " ", str(mention.parts["h"]).lower()).replace("’", "'")
        month, day = self.lex.holidays[name]
        if "y" in mention.parts:
            d = date(int(str(mention.parts["y"])), month, day)
            return DateValue(DateSpan(d, d))
        if published is None:
            return DateValue(None, "no year given and the document has no publication date")

        def one(pub: date) -> DateSpan:
            d = date(_nearest_year(month, day, pub), month, day)
            return DateSpan(d, d)

        return DateValue(
            _widen(one, published), f"year of {mention.text!r} taken from publication {published.iso()}"
        )

    def _number_value(self, word: str) -> int:
        w = re.sub(r"[\s-]+", " ", word.lower()).strip()
        if w in ("a", "an"):
            return 1
        if w in self.lex.number_words:
            return self.lex.number_words[w]
        tens, _, unit = w.partition(" ")
        return self.lex.number_words.get(tens, 1) + self.lex.number_words.get(unit, 0)

    def _month_number(self, raw: str) -> int:
        return self.lex.months[raw.rstrip(".").lower()]

    def _weekday_number(self, raw: str) -> int:
        return self.lex.weekdays[raw.lower()]

    def _resolve_month_day(self, mention: DateMention, published: DateSpan | None) -> DateValue:
        parts = mention.parts
        month = self._month_number(str(parts["m"]))
        month2 = self._month_number(str(parts["m2"])) if "m2" in parts else month
        d1 = int(str(parts["d1"]))
        d2 = int(str(parts["d2"])) if "d2" in parts else d1
        if "y" in parts:
            years = [int(str(parts["y"]))]
            note = None
        elif published is None:
            return DateValue(None, "no year given and the document has no publication date")
        else:
            # the year that puts the date closest to publication (news rarely looks > 6 months away)
            years = sorted(
                {_nearest_year(month, d1, published.start), _nearest_year(month, d1, published.end)}
            )
            note = f"year taken from publication {published.iso()}"
        spans = []
        wraps = month2 < month  # "December 30 - January 2": the range crosses a new year
        if wraps and "y" in parts:
            years = [years[0] - 1]  # a written year belongs to the end of the range
        for year in years:
            start = _safe_date(year, month, d1)
            year2 = year + 1 if wraps else year
            end = _safe_date(year2, month2, d2)
            if start is None or end is None or end < start:
                return DateValue(None, "not a valid calendar date")
            spans.append(DateSpan(start, end))
        return DateValue(DateSpan(min(s.start for s in spans), max(s.end for s in spans)), note)

    def _resolve_bare_month(self, mention: DateMention, published: DateSpan, tense: str | None) -> DateValue:
        parts = mention.parts
        month = self._month_number(str(parts["m"]))
        prep = str(parts.get("prep", "")).lower()
        part = parts.get("part") or (
            prep if prep in ("early", "mid", "late") or prep.startswith("the ") else None
        )

        def one(pub: date) -> DateSpan:
            if prep == "last":
                year = pub.year if month < pub.month else pub.year - 1
            elif prep == "next":
                year = pub.year if month > pub.month else pub.year + 1
            elif prep == "this":
                year = pub.year
            else:
                year = _nearest_year(month, 15, pub)
                deadline = prep in ("by", "until", "till", "before") or "dl" in parts
                if tense == "past" and not deadline and date(year, month, 1) > pub:
                    year -= 1
                elif (tense == "future" or deadline) and _month_end(year, month) < pub:
                    year += 1
            return _month_part(year, month, part)

        return DateValue(
            _widen(one, published), f"year of {mention.text!r} taken from publication {published.iso()}"
        )

    def _weekday_span(
        self, weekday: int, published: DateSpan, tense: str | None, prep: str | None
    ) -> DateSpan:
        def one(pub: date) -> DateSpan:
            delta = (pub.weekday() - weekday) % 7
            if prep == "last":
                d = pub - timedelta(days=delta or 7)
            elif prep == "next":
                d = pub + timedelta(days=((weekday - pub.weekday()) % 7) or 7)
            elif delta == 0:
                d = pub
            elif tense == "future":
                d = pub + timedelta(days=(weekday - pub.weekday()) % 7)
            else:
                d = pub - timedelta(days=delta)
            return DateSpan(d, d)

        return _widen(one, published)

    def _resolve_weekday(self, mention: DateMention, published: DateSpan, tense: str | None) -> DateValue:
        parts = mention.parts
        weekday = self._weekday_number(str(parts["w"]))
        prep = str(parts.get("prep", "")).lower() or None
        if prep == "since":
            tense = "past"
        elif prep in ("until", "till", "through", "by") and tense != "past":
            tense = "future"
        span = self._weekday_span(weekday, published, tense, prep if prep in ("last", "next") else None)
        direction = "next" if tense == "future" or prep == "next" else "most recent"
        if published.is_day and span.start == published.start:
            how = f"the publication day ({published.iso()})"
        else:
            how = f"the {direction} {parts['w']!s} relative to publication {published.iso()}"
        return DateValue(span, f"{mention.text!r} → {span.iso()}: {how}")

    def _resolve_relative(self, mention: DateMention, published: DateSpan, tense: str | None) -> DateValue:
        rel = re.sub(r"\s+", " ", str(mention.parts["rel"]).lower())
        fn = _relative_resolver(rel, mention.parts, tense, self._number_value)
        if fn is None:
            return DateValue(None, f"cannot resolve {mention.text!r}")
        span = _widen(fn, published)
        return DateValue(span, f"{mention.text!r} → {span.iso()} from publication {published.iso()}")


def _same_day(d: date, year: int) -> date:
    return d.replace(year=year) if not (d.month == 2 and d.day == 29) else date(year, 2, 28)


def _relative_resolver(
    rel: str, parts: dict[str, str | int | None], tense: str | None, number_value: Callable[[str], int]
) -> Callable[[date], DateSpan] | None:
    def monday(d: date) -> date:
        return d - timedelta(days=d.weekday())

    def span(a: date, b: date) -> DateSpan:
        return DateSpan(a, b)

    if rel == "last night":
        return lambda p: span(p - timedelta(1), p - timedelta(1))
    if rel.startswith("this ") and rel.split()[1] in ("morning", "afternoon", "evening"):
        return lambda p: span(p, p)
    if rel == "yesterday":
        return lambda p: span(p - timedelta(1), p - timedelta(1))
    if rel in ("today", "tonight"):
        return lambda p: span(p, p)
    if rel == "tomorrow":
        return lambda p: span(p + timedelta(1), p + timedelta(1))
    if rel == "the day before yesterday":
        return lambda p: span(p - timedelta(2), p - timedelta(2))
    if rel.endswith("weekend"):
        future = rel.startswith("next") or (
            rel.startswith(("this", "the", "by the", "over the")) and tense == "future"
        )
        previous = rel.startswith(("last", "the past", "the previous"))

        def weekend(p: date) -> DateSpan:
            sat = p - timedelta(days=(p.weekday() - 5) % 7)
            if future and sat < p - timedelta(1):
                sat += timedelta(7)
            elif previous and p.weekday() >= 5:
                sat -= timedelta(7)
            return span(sat, sat + timedelta(1))

        return weekend
    if rel.endswith(("ago", "earlier", "today")):
        n = str(parts.get("n"))
        count = int(n) if n.isdigit() else number_value(n)
        unit = str(parts.get("u", "day")).lower().rstrip("s")
        if unit == "decade":
            unit, count = "year", 10 * count
        if parts.get("today"):  # "eighty years ago today": that very day
            if unit == "year":
                return lambda p: span(_same_day(p, p.year - count), _same_day(p, p.year - count))
            return None
        if unit == "day":
            return lambda p: span(p - timedelta(count), p - timedelta(count))
        if unit == "week":
            return lambda p: span(p - timedelta(7 * count + 3), p - timedelta(7 * count - 3))
        if unit == "month":
            return lambda p: _month_part(*_shift_month(p.year, p.month, -count), None)
        return lambda p: span(date(p.year - count, 1, 1), date(p.year - count, 12, 31))
    m = re.fullmatch(r"the (end|start|beginning|middle) of (the|this|next|last) (week|month|year)", rel)
    if m:
        part, which, unit = m.group(1), m.group(2), m.group(3)
        step = {"next": 1, "last": -1}.get(which, 0)

        def part_of(p: date) -> DateSpan:
            if unit == "week":
                a = monday(p) + timedelta(7 * step)
                return (
                    span(a + timedelta(4), a + timedelta(6)) if part == "end" else span(a, a + timedelta(2))
                )
            if unit == "month":
                return _month_part(*_shift_month(p.year, p.month, step), "late" if part == "end" else "early")
            return _year_part(p.year + step, "late" if part == "end" else "early")

        return part_of
    m = re.fullmatch(r"(earlier|later) this (week|month|year)", rel)
    if m:
        earlier, unit = m.group(1) == "earlier", m.group(2)

        def within(p: date) -> DateSpan:
            if unit == "week":
                a, b = monday(p), monday(p) + timedelta(6)
            elif unit == "month":
                a, b = date(p.year, p.month, 1), _month_end(p.year, p.month)
            else:
                a, b = date(p.year, 1, 1), date(p.year, 12, 31)
            return span(a, p) if earlier else span(p, b)

        return within
    m = re.fullmatch(r"(last|this|next|the previous|the past) (week|month|year)", rel)
    if m:
        which, unit = m.group(1), m.group(2)
        step = {"last": -1, "the previous": -1, "the past": -1, "this": 0, "next": 1}[which]

        def period(p: date) -> DateSpan:
            if unit == "week":
                if which == "the past":
                    return span(p - timedelta(7), p)
                a = monday(p) + timedelta(7 * step)
                return span(a, a + timedelta(6))
            if unit == "month":
                if which == "the past":
                    return span(p - timedelta(31), p)
                return _month_part(*_shift_month(p.year, p.month, step), None)
            if which == "the past":
                return span(p - timedelta(366), p)
            return span(date(p.year + step, 1, 1), date(p.year + step, 12, 31))

        return period
    return None


def _shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def _widen(fn: Callable[[date], DateSpan], published: DateSpan) -> DateSpan:
    """Resolve against every possible publication day (a month-only date widens)."""
    if published.is_day:
        return fn(published.start)
    a, b = fn(published.start), fn(published.end)
    return DateSpan(min(a.start, b.start), max(a.end, b.end))


def _nearest_year(month: int, day: int, pub: date) -> int:
    best = pub.year
    best_gap = None
    for year in (pub.year - 1, pub.year, pub.year + 1):
        d = _safe_date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if d is None:
            continue
        gap = abs((d - pub).days)
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


def _month_part(year: int, month: int, part: object) -> DateSpan:
    end = _month_end(year, month)
    part_s = str(part or "").lower()
    if part_s.startswith("early") or "beginning" in part_s or "start" in part_s:
        return DateSpan(date(year, month, 1), date(year, month, 10))
    if part_s.startswith("mid") or "middle" in part_s:
        return DateSpan(date(year, month, 11), date(year, month, 20))
    if part_s.startswith("late") or "end" in part_s:
        return DateSpan(date(year, month, 21), end)
    return DateSpan(date(year, month, 1), end)


def _year_part(year: int, part: object) -> DateSpan:
    part_s = str(part or "").lower()
    if part_s.startswith("early") or "start" in part_s:
        return DateSpan(date(year, 1, 1), date(year, 4, 30))
    if part_s.startswith("mid"):
        return DateSpan(date(year, 5, 1), date(year, 8, 31))
    if part_s.startswith("late") or "end" in part_s:
        return DateSpan(date(year, 9, 1), date(year, 12, 31))
    return DateSpan(date(year, 1, 1), date(year, 12, 31))


def _before(value: DateValue, text: str, published: DateSpan | None) -> DateValue:
    """ "a final vote due before Christmas": a date still to come that the event precedes,
    so any day from publication to the day before it ("December 12" agrees with it)."""
    span = value.span
    if not text.lower().startswith("before ") or span is None or published is None:
        return value
    end = span.start - timedelta(days=1)
    if span.start <= published.end or end < published.start:
        return value
    note = f"{text!r}: some day from publication {published.iso()} to {end.isoformat()}"
    return replace(value, span=DateSpan(published.start, end), resolution=note, extent=False)
