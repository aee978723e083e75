"""Unit conversion with pint, loaded only when a measured quantity needs a factor it has not
worked out before.

Loading pint's unit registry takes a quarter of a second, the longest step before a worker can
extract a single measured quantity, and `factcheck ci` waits for exactly that. So the factors of
the lexicon's own units, as pint computes them, ship with the package (`data/unit_factors.json`,
written by `python -m factcheck.units`; a test checks every one against pint), and pint is
loaded only for a unit a rule file adds."""

from __future__ import annotations

import json
import math
import sys
from functools import lru_cache
from importlib import resources
from typing import Any

FACTORS_FILE = "data/unit_factors.json"


@lru_cache(maxsize=1)
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


def pint_factor(unit: str, canonical: str) -> float:
    """How many canonical units one `unit` is, as pint works it out."""
    ureg = _registry()
    target = {"m2": "meter ** 2", "m3": "meter ** 3", "m3/day": "meter ** 3 / day"}.get(canonical, canonical)
    return float((1.0 * ureg.parse_expression(unit)).to(target).magnitude)


def _key(unit: str, canonical: str) -> str:
    return f"{unit} -> {canonical}"


@lru_cache(maxsize=1)
def shipped_factors() -> dict[str, float]:
    """The factors of `FACTORS_FILE`, by `unit -> canonical`."""
    text = resources.files("factcheck").joinpath(FACTORS_FILE).read_text(encoding="utf-8")
    return {str(k): float(v) for k, v in json.loads(text).items() if math.isfinite(float(v))}


@lru_cache(maxsize=512)
def conversion_factor(unit: str, canonical: str) -> float:
    """How many canonical units one `unit` is ("mile" → 1609.344 for "m")."""
    known = shipped_factors().get(_key(unit, canonical))
    return known if known is not None else pint_factor(unit, canonical)


def factors_of(forms: Any) -> dict[str, float]:
    """pint's factor for each distinct (pint unit, canonical unit) of `forms` (the lexicon's
    `UnitForm`s), temperatures aside (they are offsets, converted by the extractor)."""
    pairs = sorted({(f.pint_unit, f.canonical) for f in forms if f.dimension != "temperature"})
    return {_key(unit, canonical): pint_factor(unit, canonical) for unit, canonical in pairs}


def main() -> None:
    """Write `FACTORS_FILE` for the default lexicon's units (after editing its units)."""
    from factcheck.lexicon import default_lexicon

    path = resources.files("factcheck").joinpath(FACTORS_FILE)
    factors = factors_of(default_lexicon().units.values())
    with open(str(path), "w", encoding="utf-8") as out:
        json.dump(factors, out, indent=1, sort_keys=True)
        out.write("\n")
    print(f"{len(factors)} factors written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
