"""Recognise and normalise numeric mentions: counts, money, percentages and
measured quantities, with hedges turned into bounds.

The scanner finds a number core (digits or number words) and then grows the
mention outwards: a scale word ("billion", "bn"), a range tail ("10-15"), a
unit, currency or percent sign after it, and a currency sign or hedge before
it. This is how CQE and Recognizers-Text work too, but every word list comes
from the lexicon so that corpora can extend it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from factcheck.lexicon import Lexicon, UnitForm
from factcheck.models import QuantityValue, ScoreValue

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_DASH = r"(?:-|–|—)"


@dataclass(frozen=True)
class QuantityMention:
    start: int
    end: int
    kind: str  # count | money | percent | quantity | score
    value: QuantityValue | ScoreValue
    dimension: str | None  # "USD", "length", "duration", "%", None for plain counts
    unit_text: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class _Number:
    value: float
    rounding: float
    is_word: bool


def parse_digits(text: str) -> _Number:
    """'1,357' → 1357 (rounding 0.5); '9.5' → 9.5 (rounding 0.05)."""
    clean = text.replace(",", "").replace("−", "-")
    value = float(clean)
    decimals = len(clean.split(".", 1)[1]) if "." in clean else 0
    return _Number(value, 0.5 * 10.0**-decimals, False)


class QuantityScanner:
    """Finds quantity mentions in text. Built once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon

    @cached_property
    def core_re(self) -> re.Pattern[str]:
        vague = "|".join(
            re.escape(w).replace(r"\ ", r"\s+") for w in sorted(self.lex.vague_amounts, key=len, reverse=True)
        )
        return re.compile(
            rf"(?:(?<![\w.,:/])|{self._letter_symbol_lookbehind})(?<!\d-)(?<!\d–)(?:(?P<digits>(?:(?<![\w\d])[-−](?=\d))?(?:{_DIGITS}))|(?P<vague>\b(?:{vague})\b)|(?P<word>\b{self.lex.number_word_re}\b))",
            re.IGNORECASE,
        )

    @cached_property
    def letter_symbols(self) -> list[str]:
        """Currency symbols written with letters and glued to the number: "R2.1 billion", "N45bn"."""
        return sorted((s for s in self.lex.currency_symbols if s.isalpha()), key=len, reverse=True)

    @cached_property
    def _letter_symbol_lookbehind(self) -> str:
        return "|".join(f"(?<=\\b{re.escape(sym)})" for sym in self.letter_symbols) or "(?!)"

    @cached_property
    def scale_re(self) -> re.Pattern[str]:
        words = [w for w in self.lex.scale_words if len(w) > 2 or w in ("bn", "mn")]
        abbrev = [w for w in self.lex.scale_words if w not in words]
        word_alt = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
        abbrev_alt = "|".join(sorted(map(re.escape, abbrev), key=len, reverse=True))
        return re.compile(rf"(?:\s*|-)(?P<scale>{word_alt})\b|(?P<abbrev>{abbrev_alt})\b", re.IGNORECASE)

    @cached_property
    def range_tail_re(self) -> re.Pattern[str]:
        return re.compile(
            rf"\s*(?:{_DASH}|\bto\b|\band\b|\bor\b)\s*(?:{self.lex.currency_symbol_alt})?\s?"
            rf"(?P<high>{_DIGITS}|\b{self.lex.number_word_re}\b)(?![\d,])",
            re.IGNORECASE,
        )

    @cached_property
    def percent_re(self) -> re.Pattern[str]:
        return re.compile(rf"\s?(?P<pct>{self.lex.percent_alt})(?!\w)", re.IGNORECASE)

    @cached_property
    def points_re(self) -> re.Pattern[str]:
        return re.compile(rf"\s?(?P<pp>{self.lex.point_alt})(?!\w)", re.IGNORECASE)

    @cached_property
    def unit_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<sep>\s?|{_DASH})(?P<unit>{self.lex.unit_alt})(?![\w/²])", re.IGNORECASE)

    @cached_property
    def duration_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<sep>\s|{_DASH})(?P<dur>{self.lex.duration_alt})(?!\w)", re.IGNORECASE)

    @cached_property
    def duration_tail_re(self) -> re.Pattern[str]:
        return re.compile(
            rf"(?:,?\s+and|,)?\s+(?P<n>\d+)\s+(?P<dur>{self.lex.duration_alt})(?!\w)", re.IGNORECASE
        )

    @cached_property
    def currency_name_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<sep>\s|{_DASH})?(?P<cur>{self.lex.currency_name_alt})(?!\w)", re.IGNORECASE)

    @cached_property
    def currency_code_after_re(self) -> re.Pattern[str]:
        return re.compile(rf"\s(?P<code>{self.lex.currency_code_alt})\b")

    @cached_property
    def modifier_re(self) -> re.Pattern[str]:
        alt = "|".join(sorted(map(re.escape, self.lex.count_modifiers), key=len, reverse=True))
        return re.compile(rf"{_DASH}(?P<mod>{alt})\b", re.IGNORECASE)

    @cached_property
    def prefix_currency_re(self) -> re.Pattern[str]:
        return re.compile(
            rf"(?:(?<![A-Za-z])(?P<sym>{self.lex.currency_symbol_alt})|\b(?P<code>{self.lex.currency_code_alt}))\s?$"
        )

    @cached_property
    def magnitude_re(self) -> re.Pattern[str]:
        return re.compile(r"\bmagnitude(?:\s+of)?[\s-]$", re.IGNORECASE)

    @cached_property
    def magnitude_after_re(self) -> re.Pattern[str]:
        return re.compile(r"[\s-]magnitude\b", re.IGNORECASE)

    @cached_property
    def score_re(self) -> re.Pattern[str]:
        """A result next to a word that makes it one: "beat Port Calder 2-1", "a 3-1 win"."""
        before = "|".join(sorted(map(re.escape, self.lex.score_words_before), key=len, reverse=True))
        after = "|".join(sorted(map(re.escape, self.lex.score_words_after), key=len, reverse=True))

        def number(n: int) -> str:
            return rf"(?P<a{n}>\d{{1,3}})\s?[-–]\s?(?P<b{n}>\d{{1,3}})(?![\d%-]|[.,]\d)"

        return re.compile(
            rf"(?:\b(?i:{before})\b(?:\s+[A-Z][\w.'’-]*){{0,5}}\s+{number(1)}"
            rf"|(?<![\w.,-]){number(2)}\s+(?i:{after})\b)"
        )

    @cached_property
    def one_in_re(self) -> re.Pattern[str]:
        return re.compile(
            rf"\b(?P<num>one|\d+)\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<den>{_DIGITS}|{self.lex.number_word_re})\b",
            re.IGNORECASE,
        )

    @cached_property
    def fraction_re(self) -> re.Pattern[str]:
        alt = "|".join(
            re.escape(w).replace(r"\ ", r"[\s-]") for w in sorted(self.lex.fractions, key=len, reverse=True)
        )
        # "a third of voters", "cut imports by a third"
        return re.compile(
            rf"(?<![\w-])(?P<frac>{alt})(?=\s+(?:of|the|their|its|his|her|all)\b)"
            rf"|(?<=\bby\s)(?P<byfrac>{alt})\b"
            rf"|\b(?:about|around|roughly|nearly|almost|over|some)\s(?P<hfrac>{alt})\b",
            re.IGNORECASE,
        )

    @cached_property
    def identifier_re(self) -> re.Pattern[str]:
        def alt(words: frozenset[str]) -> str:
            return "|".join(sorted(map(re.escape, words), key=len, reverse=True))

        capitalised = "|".join(
            f"[{w[0].upper()}](?i:{re.escape(w[1:])})"
            for w in sorted(self.lex.identifier_words, key=len, reverse=True)
        )
        return re.compile(rf"(?:\b(?i:{alt(self.lex.identifier_words_any_case)})|\b(?:{capitalised}))\.?\s?$")

    def parse_core(self, m: re.Match[str]) -> _Number | tuple[float | None, float | None]:
        if m.group("digits"):
            return parse_digits(m.group("digits"))
        if m.group("vague"):
            key = re.sub(r"\s+", " ", m.group("vague").lower())
            return self.lex.vague_amounts[key]
        word = re.sub(r"[\s-]+", " ", m.group("word").lower())
        return _Number(float(self.word_value(word)), 0.0, True)

    def word_value(self, word: str) -> int:
        word = re.sub(r"[\s-]+", " ", word.lower()).strip()
        if word in self.lex.number_words:
            return self.lex.number_words[word]
        tens, _, unit = word.partition(" ")
        return self.lex.number_words[tens] + self.lex.number_words.get(unit, 0)

    def hedge_before(self, text: str, pos: int) -> tuple[str | None, int]:
        window = text[max(0, pos - 40) : pos]
        m = self.lex.hedge_re.search(window)
        if not m:
            return None, pos
        return m.group(1), pos - (len(window) - m.start(1))

    def scan(self, text: str, blocked: list[tuple[int, int]] | None = None) -> list[QuantityMention]:
        """All quantity mentions in `text`, skipping characters inside `blocked` spans."""
        blocked = sorted(blocked or [])
        out: list[QuantityMention] = []
        taken: list[tuple[int, int]] = []

        def free(s: int, e: int) -> bool:
            return not any(s < be and bs < e for bs, be in blocked + taken)

        for m in self.score_re.finditer(text):
            n = 1 if m.group("a1") else 2
            a, b = f"a{n}", f"b{n}"
            if not free(m.start(a), m.end(b)):
                continue
            high, low = sorted((int(m.group(a)), int(m.group(b))), reverse=True)
            out.append(QuantityMention(m.start(a), m.end(b), "score", ScoreValue(high, low), "score"))
            taken.append((m.start(a), m.end(b)))

        for m in self.one_in_re.finditer(text):
            if not free(m.start(), m.end()):
                continue
            num = 1.0 if m.group("num").lower() == "one" else float(m.group("num"))
            den_text = m.group("den")
            den = parse_digits(den_text).value if den_text[0].isdigit() else float(self.word_value(den_text))
            if den <= num or den == 0:
                continue
            start, hedge = m.start(), None
            hedge, start = self.hedge_before(text, start)
            val = _bounded(100.0 * num / den, hedge, self.lex, "percent", unit="%")
            out.append(QuantityMention(start, m.end(), "percent", val, "%"))
            taken.append((start, m.end()))

        for m in self.article_unit_re.finditer(text):
            if not free(m.start(), m.end()):
                continue
            mention = self._article_unit(text, m)
            if mention is not None:
                out.append(mention)
                taken.append((mention.start, mention.end))

        for m in self.fraction_re.finditer(text):
            if not free(m.start(), m.end()):
                continue
            group = next(g for g in ("frac", "byfrac", "hfrac") if m.group(g))
            frac = self.lex.fractions[re.sub(r"[\s-]+", " ", m.group(group).lower())]
            hedge, start = self.hedge_before(text, m.start(group))
            val = _bounded(100.0 * frac, hedge, self.lex, "percent", unit="%")
            out.append(QuantityMention(start, m.end(), "percent", val, "%"))
            taken.append((start, m.end()))

        for m in self.core_re.finditer(text):
            if not free(m.start(), m.end()):
                continue
            mention = self._grow(text, m)
            if mention is None or not free(mention.start, mention.end):
                continue
            out.append(mention)
            taken.append((mention.start, mention.end))
        out.sort(key=lambda q: q.start)
        return out

    def _grow(self, text: str, m: re.Match[str]) -> QuantityMention | None:
        core = self.parse_core(m)
        start, end = m.start(), m.end()
        before = text[max(0, start - 12) : start]
        after = text[end : end + 40]
        digits = m.group("digits")
        # Skip identifiers and things that are not amounts: G20, COVID-19, 10:30, 3rd, No. 5.
        if digits:
            glued = next((sym for sym in self.letter_symbols if before.endswith(sym)), None)
            if glued and not (self.scale_re.match(text, m.end()) or "," in digits or "." in digits):
                return None  # "N95 masks", "R2-D2": a name, not money
            if (
                not glued
                and re.search(r"[A-Za-z][-/]?$", before)
                and not self.magnitude_re.search(text[max(0, start - 20) : start])
            ):
                return None
            if re.match(
                r"(?::\d|st\b|nd\b|rd\b|th\b|°(?![CF])|\s?(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|BST\b|UTC\b))",
                after,
            ):
                return None
            if self.identifier_re.search(text[max(0, start - 24) : start]):
                return None  # "Route 66", "Boeing 737", "Rule 14", "page 89", "Call 111"
            if re.match(r"0\d", digits) or re.match(r"\s\d{2,}", after) or re.search(r"\d\s$", before):
                return None  # phone numbers and codes: "0800 555 0199"
        if isinstance(core, tuple):  # vague amount: "hundreds of", "a couple of hundred"
            low, high = core
            sm = self.scale_re.match(text, end)
            if sm and sm.group("scale"):
                factor = self.lex.scale_words[sm.group("scale").lower()]
                low = None if low is None else low * factor
                high = None if high is None else high * factor
                end = sm.end()
            hedge, hstart = self.hedge_before(text, start)
            value = QuantityValue(low, high, None, 0.0, m.group("vague").lower())
            return QuantityMention(hstart, end, "count", value, None)
        number = core
        value, rounding = number.value, number.rounding
        minus = re.search(r"\bminus\s$", before, re.IGNORECASE)
        if minus and value > 0:
            value = -value  # "minus 6C"
            start -= len(before) - minus.start()
        # scale word: "9.5 billion", "9.5bn", "$840m"
        scale = 1.0
        sm = self.scale_re.match(text, end)
        currency_before = self.prefix_currency_re.search(text[max(0, start - 6) : start])
        if sm:
            word = (sm.group("scale") or sm.group("abbrev")).lower()
            attached = sm.group("abbrev") is not None
            ok = True
            if attached and word == "m":
                # "$840m" and "5.2m doses" are millions; "190m" alone may be metres
                follow = text[sm.end() : sm.end() + 20]
                ok = (
                    bool(currency_before)
                    or "." in (digits or "")
                    or bool(re.match(r"\s+(?:[a-z]+[^s\W]s|people|children)\b", follow))
                )
            if attached and word in ("k", "b", "mm"):
                ok = bool(currency_before)  # "$5k", "$1MM"; "5k" alone is too often a race or a size
            if ok:
                scale = self.lex.scale_words[word]
                end = sm.end()
        value *= scale
        rounding *= scale
        high_value: float | None = None
        # range: "10-15", "between 10 and 15", "$10m-$15m"
        rm = self.range_tail_re.match(text, end)
        between = re.search(
            r"\b(?:between|from)\s+(?:\S{1,4}\s?)?$", text[max(0, start - 16) : start], re.IGNORECASE
        )
        worded = rm is not None and re.match(r"\s*(?:and|or|to)\b", text[end:], re.IGNORECASE) is not None
        if rm and worded and not between and re.match(r"\s*to\b", text[end:], re.IGNORECASE):
            # "three to four days", "25 to 40 centimetres": a range when a unit closes it
            worded = not self._unit_follows(text, rm.end())
        if rm and (between or not worded):
            hi_text = rm.group("high")
            hi = (
                parse_digits(hi_text)
                if hi_text[0].isdigit() or hi_text[0] == "."
                else _Number(float(self.word_value(hi_text)), 0.0, True)
            )
            hi_end = rm.end()
            hsm = self.scale_re.match(text, hi_end)
            hi_scale = scale
            if hsm and (hsm.group("scale") or hsm.group("abbrev")).lower() in self.lex.scale_words:
                hi_scale = self.lex.scale_words[(hsm.group("scale") or hsm.group("abbrev")).lower()]
                hi_end = hsm.end()
                if scale == 1.0:
                    value *= hi_scale
                    rounding *= hi_scale
            if hi.value * hi_scale > value:
                high_value = hi.value * hi_scale
                end = hi_end
            elif digits and re.fullmatch(r"\d{1,3}", digits) and re.fullmatch(r"\d{1,3}", hi_text):
                return None  # "2-1", "123-110": a score or a ratio, never a descending range
        kind, dimension, unit_text = "count", None, None
        factor = 1.0
        canonical_unit: str | None = None
        # percent
        pm = self.percent_re.match(text, end)
        cur_code: str | None = None
        if currency_before:
            sym = currency_before.group("sym")
            code = currency_before.group("code")
            cur_code = self.lex.currency_symbols.get(sym) if sym else self.lex.currency_codes.get(code or "")
            start = start - (len(text[max(0, start - 6) : start]) - currency_before.start())
        ppm = self.points_re.match(text, end)
        if ppm and not cur_code:
            # "0.4 percentage points", "25 basis points": a change, never compared with a level
            kind, dimension, canonical_unit = "percent", "pp", "pp"
            unit_text = ppm.group("pp")
            factor = 0.01 if "basis" in unit_text.lower() else 1.0
            end = ppm.end()
        elif pm and not cur_code:
            kind, dimension, canonical_unit = "percent", "%", "%"
            unit_text = pm.group("pct")
            end = pm.end()
        else:
            cm = self.currency_name_re.match(text, end)
            code_after = self.currency_code_after_re.match(text, end)
            if cur_code is None and cm and (cm.group("sep") is not None or len(cm.group("cur")) == 1):
                name = cm.group("cur").lower()
                is_money = True
                if name in self.lex.ambiguous_currency_names and scale < 1e6:
                    is_money = False
                if name in ("p",) and (cm.group("sep") or number.is_word):
                    is_money = False
                if name in ("won", "rand") and scale < 1e3:
                    is_money = False
                if is_money:
                    cur_code, factor = self.lex.currency_names[name]
                    end = cm.end()
                    unit_text = cm.group("cur")
            elif cur_code is None and code_after:
                cur_code = self.lex.currency_codes[code_after.group("code")]
                end = code_after.end()
            if cur_code:
                kind, dimension, canonical_unit = "money", cur_code, cur_code
                # "$9.5 billion dollars" is not written, but "US$7,200 million" is: scale was taken above
                cm2 = self.currency_name_re.match(text, end)
                if cm2 and cm2.group("sep") and cm2.group("cur").lower() in ("dollars", "euros"):
                    end = cm2.end()
            else:
                magnitude = self.magnitude_re.search(text[max(0, start - 20) : start])
                mag_after = self.magnitude_after_re.match(text, end)
                um = self.unit_re.match(text, end)
                dm = self.duration_re.match(text, end)
                mod = self.modifier_re.match(text, end)
                if magnitude or (mag_after and scale == 1.0):
                    kind, dimension, canonical_unit = "quantity", "magnitude", "magnitude"
                    if magnitude:
                        start = start - (len(text[max(0, start - 20) : start]) - magnitude.start())
                    else:
                        end = mag_after.end()
                elif dm and re.match(r"[\s-]old\b", text[dm.end() :]):
                    # "a 41-year-old", "41 years old": an age, counted in years, and compared only
                    # with other ages (a victim's age is not a count of anything)
                    end = dm.end() + 4
                    unit_text = "years old"
                    dimension = "age"
                elif dm:
                    kind, dimension, canonical_unit = "quantity", "duration", "day"
                    factor = self.lex.durations[dm.group("dur").lower()]
                    unit_text = dm.group("dur")
                    end = dm.end()
                    # "2 hours 21 minutes": add the smaller parts that follow
                    more = self.duration_tail_re.match(text, end)
                    while more:
                        extra = (
                            parse_digits(more.group("n")).value
                            * self.lex.durations[more.group("dur").lower()]
                        )
                        value += extra / factor
                        end = more.end()
                        more = self.duration_tail_re.match(text, end)
                elif um and self._unit_ok(um, number, scale, text):
                    form = self.lex.unit_form(um.group("unit"))
                    assert form is not None
                    kind, dimension = "quantity", form.dimension
                    factor, canonical_unit = _convert_factor(form)
                    unit_text = um.group("unit")
                    end = um.end()
                elif mod:
                    end = mod.end()
                    unit_text = mod.group("mod")
        if digits and end == m.end() and re.match(r"[A-Za-z]", text[end : end + 1]):
            return None  # "5G network", "4K screens": a name, not an amount
        hedge, hstart = self.hedge_before(text, start)
        if hedge is not None:
            start = hstart
        if canonical_unit == "degC" and unit_text:
            low_v, high_v = _temperature(value, unit_text), _temperature(high_value, unit_text)
            val = _bounded(low_v, hedge, self.lex, kind, high=high_v, rounding=rounding, unit="degC")
            return QuantityMention(start, end, kind, val, dimension, unit_text)
        val = _bounded(
            value * factor,
            hedge,
            self.lex,
            kind,
            high=None if high_value is None else high_value * factor,
            rounding=rounding * factor,
            unit=canonical_unit,
        )
        if kind == "count" and digits is None and number.value == 0 and not unit_text:
            return None  # "zero" is an idiom far more often than a count
        if kind == "count" and digits and _looks_like_year(digits) and high_value is None and hedge is None:
            return None  # a bare year is a date anchor, not a count
        return QuantityMention(start, end, kind, val, dimension, unit_text)

    @cached_property
    def article_unit_re(self) -> re.Pattern[str]:
        units = "|".join(
            sorted(
                (re.escape(u) for u in (*self.lex.durations, *self.lex.units) if len(u) > 2 and u.isalpha()),
                key=len,
                reverse=True,
            )
        )
        amounts = (
            r"(?P<num>an?|one|two|three|four)[\s-](?P<den>third|quarter|fifth|tenth)s?\s+of\s+an?"
            r"|half\s+an?|half|an?|one"
        )
        return re.compile(
            rf"(?<![\w-])(?P<amount>(?i:{amounts}))\s+(?P<unit>(?i:{units}))\b(?P<half>\s+and\s+a\s+half)?"
            rf"(?:\s+and\s+(?P<n>\d+)\s+(?P<u2>(?i:minutes?|seconds?|hours?|days?|months?)))?"
        )

    def _article_unit(self, text: str, m: re.Match[str]) -> QuantityMention | None:
        """ "a decade", "half an hour", "a mile and a half", "an hour and 52 minutes": only
        where a duration or distance is clearly stated (after "for", "over", "than", a hedge
        ...), never in rates ("twice a day", "£3 a share") or dates ("a year ago")."""
        before = text[max(0, m.start() - 30) : m.start()]
        after = text[m.end() : m.end() + 12]
        amount = re.sub(r"\s+", " ", m.group("amount").lower())
        fraction = m.group("num") is not None
        strong = fraction or amount.startswith("half") or m.group("half") or m.group("n")
        hedge, hstart = self.hedge_before(text, m.start())
        lead = re.search(
            r"\b(?:for|over|within|after|than|lasted|lasting|lasts|took|takes|take|spent|spanning|"
            r"stretch|run|runs|ran|walk|drive|journey|trip|of)\s$",
            before,
            re.IGNORECASE,
        )
        if not (strong or hedge or lead):
            return None
        if re.match(r"\s+(?:ago|earlier|later|before|after|from|on|in\s+advance)\b", after, re.IGNORECASE):
            return None
        nxt = re.match(r"\s+([a-z]{3,})\b", after)
        if nxt and nxt.group(1) not in _FUNCTION_WORDS:
            return None  # "a day pass", "a mile marker": the unit names a thing
        unit = m.group("unit").lower()
        if fraction:
            numerators = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}
            denominators = {"third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
            size = numerators[m.group("num").lower()] / denominators[m.group("den").lower()]
        else:
            size = 0.5 if amount.startswith("half") else 1.0
        if m.group("half"):
            size += 0.5
        if unit in self.lex.durations:
            dimension, canonical = "duration", "day"
            value = size * self.lex.durations[unit]
            if m.group("n"):
                value += int(m.group("n")) * self.lex.durations[m.group("u2").lower()]
        else:
            form = self.lex.unit_form(unit)
            if form is None or form.dimension == "temperature":
                return None
            factor, canonical = _convert_factor(form)
            dimension, value = form.dimension, size * factor
        start = hstart if hedge else m.start()
        val = _bounded(value, hedge, self.lex, "quantity", unit=canonical)
        return QuantityMention(start, m.end(), "quantity", val, dimension, unit)

    def _unit_follows(self, text: str, pos: int) -> bool:
        """Whether a unit, duration, percent sign or scale word comes next ("to 15 months")."""
        sm = self.scale_re.match(text, pos)
        if sm:
            pos = sm.end()
        return any(
            r.match(text, pos) is not None for r in (self.unit_re, self.duration_re, self.percent_re)
        ) or bool(re.match(rf"\s(?:{self.lex.currency_name_alt})\b", text[pos:], re.IGNORECASE))

    def _unit_ok(self, um: re.Match[str], number: _Number, scale: float, text: str) -> bool:
        unit = um.group("unit")
        sep = um.group("sep")
        if unit in ("C", "F") and sep:
            return False  # "31.2C" is a temperature, "Grade C" or "6 F" are not
        if len(unit) <= 2 and unit not in self.lex.units:
            return False  # short units are case-sensitive: "5G" is not five grams, "MW" is not mW
        if sep == " " and unit in ("t", "g"):
            return False  # "5 t" and "5 g" spaced are too often something else
        if (
            sep == " "
            and unit == "m"
            and re.match(r"\s+(?:[a-z]+[^s\W]s|people|children)\b", text[um.end() :])
        ):
            return False  # "2 m people" is two million people; "the 140 m dam" is a height
        if len(unit) == 1 and unit.lower() in ("m", "t", "g") and number.is_word:
            return False
        return not (unit.lower() in ("pound", "pounds") and scale >= 1e6)


_FUNCTION_WORDS = frozenset(
    [
        "and",
        "or",
        "but",
        "the",
        "for",
        "with",
        "than",
        "then",
        "now",
        "ago",
        "into",
        "onto",
        "from",
        "over",
        "under",
        "since",
        "until",
        "till",
        "while",
        "when",
        "because",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "this",
        "that",
        "these",
        "those",
        "which",
        "who",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "may",
        "might",
        "earlier",
        "later",
        "long",
    ]
)


def _looks_like_year(digits: str) -> bool:
    return bool(re.fullmatch(r"(1[6-9]|20|21)\d\d", digits))


def _temperature(value: float | None, unit_text: str) -> float | None:
    if value is None:
        return None
    if "f" in unit_text.lower():
        return (value - 32.0) * 5.0 / 9.0
    return value


@lru_cache(maxsize=256)
def _convert_factor(form: UnitForm) -> tuple[float, str]:
    """Multiplier from the surface unit to the dimension's canonical unit (pint does the maths)."""
    if form.dimension == "temperature":
        return 1.0, "degC"
    from factcheck.units import conversion_factor

    return conversion_factor(form.pint_unit, form.canonical), form.canonical


def _bounded(
    value: float,
    hedge: str | None,
    lex: Lexicon,
    kind: str,
    *,
    high: float | None = None,
    rounding: float = 0.0,
    unit: str | None = None,
) -> QuantityValue:
    """Turn a stated value and its hedge into an inclusive interval."""
    low: float | None = value
    hi: float | None = value if high is None else high
    bound = lex.hedges.get(hedge.lower()) if hedge else None
    margin = lex.hedge_margin.get(kind, lex.hedge_margin["default"])
    if bound == "lower":
        hi = None
    elif bound == "upper":
        low = 0.0 if kind in ("count", "money", "percent") else None
    elif bound == "approx":
        low, hi = value * (1 - margin), (hi if hi is not None else value) * (1 + margin)
    elif bound == "near_below":
        low = value * (1 - margin)
    elif bound == "near_above":
        hi = (hi if hi is not None else value) * (1 + margin)
    if low is not None and hi is not None and low > hi:
        low, hi = hi, low
    return QuantityValue(_clean(low), _clean(hi), unit, rounding, hedge.lower() if hedge else None)


def _clean(x: float | None) -> float | None:
    if x is None or not math.isfinite(x):
        return None if x is None else x
    if x == 0:
        return 0.0
    r = float(f"{x:.12g}")
    return float(int(r)) if r == int(r) and abs(r) < 1e15 else r
