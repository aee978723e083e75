"""The vocabulary the normalisers use, loaded from data files.

Word lists, units, hedges and triggers live in `factcheck/data/lexicon.yaml`
so that a corpus can extend them from `rules/` without touching code. The
lexicon is loaded once per set of files and then only read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import yaml

HEDGE_BOUNDS = ("lower", "upper", "approx", "near_below", "near_above")


def _alternation(words: list[str]) -> str:
    """Regex alternation, longest first so that "per cent" beats "per"."""
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `extra` into a copy of `base`: mappings merge, lists extend."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + [v for v in value if v not in out[key]]
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class UnitForm:
    dimension: str
    pint_unit: str
    canonical: str


class Lexicon:
    """Read-only views over the vocabulary data, with regexes compiled on first use."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.number_words: dict[str, int] = {k.lower(): int(v) for k, v in data["number_words"].items()}
        self.scale_words: dict[str, float] = {k.lower(): float(v) for k, v in data["scale_words"].items()}
        self.vague_amounts: dict[str, tuple[float | None, float | None]] = {
            k.lower(): (v[0], v[1]) for k, v in data["vague_amounts"].items()
        }
        self.fractions: dict[str, float] = {k.lower(): float(v) for k, v in data["fractions"].items()}
        self.hedges: dict[str, str] = {}
        for bound in HEDGE_BOUNDS:
            for word in data["hedges"].get(bound, []):
                self.hedges[word.lower()] = bound
        self.hedge_margin: dict[str, float] = {k: float(v) for k, v in data["hedge_margin"].items()}
        cur = data["currencies"]
        self.currency_symbols: dict[str, str] = dict(cur["symbols"])
        aliases = cur.get("code_aliases", {})
        self.currency_codes: dict[str, str] = {c: aliases.get(c, c) for c in cur["codes"]}
        self.currency_names: dict[str, tuple[str, float]] = {
            k.lower(): (v["code"], float(v.get("factor", 1.0))) for k, v in cur["names"].items()
        }
        self.ambiguous_currency_names = {w.lower() for w in cur.get("ambiguous_with_mass", [])}
        self.percent_words: list[str] = [w.lower() for w in data["percent_words"]]
        self.point_words: list[str] = [w.lower() for w in data.get("percentage_point_words", [])]
        self.units: dict[str, UnitForm] = {}
        for dimension, spec in data["units"].items():
            for form, pint_unit in spec["forms"].items():
                self.units.setdefault(str(form), UnitForm(dimension, str(pint_unit), spec["canonical"]))
        self.durations: dict[str, float] = {k.lower(): float(v) for k, v in data["durations"].items()}
        self.count_modifiers = {w.lower() for w in data["count_modifiers"]}
        self.collective_count_modifiers = {w.lower() for w in data.get("collective_count_modifiers", [])}
        self.months: dict[str, int] = {k.lower(): int(v) for k, v in data["months"].items()}
        self.weekdays: dict[str, int] = {k.lower(): int(v) for k, v in data["weekdays"].items()}
        self.future_markers = {w.lower() for w in data["future_markers"]}
        self.holidays: dict[str, tuple[int, int]] = {
            k.lower().replace("’", "'"): (int(v[0]), int(v[1])) for k, v in data.get("holidays", {}).items()
        }
        self.noun_class: dict[str, str] = {}
        for name, lemmas in data.get("noun_classes", {}).items():
            for lemma in lemmas:
                self.noun_class.setdefault(lemma.lower(), name)
        self.entity_stopwords = frozenset(w.lower() for w in data.get("entity_stopwords", []))
        self.denominators = frozenset(w.lower() for w in data.get("denominators", []))
        self.irrealis_words = frozenset(w.lower() for w in data.get("irrealis_words", []))
        self.irrealis_nouns = frozenset(w.lower() for w in data.get("irrealis_nouns", []))
        self.exclusive_classes: dict[str, int] = {
            name: n for n, group in enumerate(data.get("exclusive_trigger_groups", [])) for name in group
        }
        self.score_words_before = [w.lower() for w in data.get("score_words_before", [])]
        self.score_words_after = [w.lower() for w in data.get("score_words_after", [])]
        self.identifier_words = frozenset(str(w).lower() for w in data.get("identifier_words", []))
        self.identifier_words_any_case = frozenset(
            str(w).lower() for w in data.get("identifier_words_any_case", [])
        )
        self.reporting_classes = frozenset(data.get("reporting_classes", []))
        self.weak_triggers = frozenset(w.lower() for w in data.get("weak_triggers", []))
        self.generic_nouns = frozenset(w.lower() for w in data.get("generic_nouns", []))
        self.people_nouns = frozenset(w.lower() for w in data.get("people_nouns", []))
        self.human_classes = frozenset(data.get("human_classes", []))
        self.up_words = frozenset(w.lower() for w in data.get("up_words", []))
        self.down_words = frozenset(w.lower() for w in data.get("down_words", []))
        self.change_words = frozenset(w.lower() for w in data.get("change_words", []))
        self.increment_words = frozenset(w.lower() for w in data.get("increment_words", []))
        self.trigger_class: dict[str, str] = {}
        # every class a word belongs to ("release" frees prisoners and publishes results)
        self.trigger_senses: dict[str, frozenset[str]] = {}
        senses: dict[str, set[str]] = {}
        for name, lemmas in data["trigger_classes"].items():
            for lemma in lemmas:
                self.trigger_class.setdefault(lemma.lower(), name)
                senses.setdefault(lemma.lower(), set()).add(name)
        self.trigger_senses = {w: frozenset(c) for w, c in senses.items()}

    @classmethod
    def with_vocabulary(cls, extensions: tuple[str, ...] = ()) -> Lexicon:
        """The built-in lexicon extended by vocabulary rules (JSON strings, in order)."""
        return _load(extensions)

    def unit_form(self, surface: str) -> UnitForm | None:
        return self.units.get(surface) or self.units.get(surface.lower())

    # Regex fragments, compiled lazily: importing the package compiles nothing.
    @cached_property
    def number_word_re(self) -> str:
        tens = [w for w, v in self.number_words.items() if v >= 20 and v % 10 == 0]
        units = [w for w, v in self.number_words.items() if 1 <= v <= 9]
        compound = rf"(?:{_alternation(tens)})[-\s](?:{_alternation(units)})"
        return rf"(?:{compound}|{_alternation(list(self.number_words))})"

    @cached_property
    def hedge_re(self) -> re.Pattern[str]:
        return re.compile(rf"(?:^|(?<=[\s(\[“\"']))({_alternation(list(self.hedges))})\s*$", re.IGNORECASE)

    @cached_property
    def scale_alt(self) -> str:
        return _alternation(list(self.scale_words))

    @cached_property
    def unit_alt(self) -> str:
        return _alternation(list(self.units))

    @cached_property
    def currency_name_alt(self) -> str:
        return _alternation(list(self.currency_names))

    @cached_property
    def currency_symbol_alt(self) -> str:
        return _alternation(list(self.currency_symbols))

    @cached_property
    def currency_code_alt(self) -> str:
        return _alternation(list(self.currency_codes))

    @cached_property
    def duration_alt(self) -> str:
        return _alternation(list(self.durations))

    @cached_property
    def percent_alt(self) -> str:
        return _alternation(self.percent_words)

    @cached_property
    def point_alt(self) -> str:
        return _alternation(self.point_words)


@lru_cache(maxsize=8)
def _load(extensions: tuple[str, ...]) -> Lexicon:
    text = resources.files("factcheck").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
    # libyaml's parser when PyYAML has it: every run and every worker loads the lexicon
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for extension in extensions:
        data = _merge(data, json.loads(extension))
    return Lexicon(data)


def default_lexicon() -> Lexicon:
    return _load(())
