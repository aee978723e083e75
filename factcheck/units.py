"""Unit conversion with pint, loaded only when a measured quantity needs it."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


@lru_cache(maxsize=512)
def conversion_factor(unit: str, canonical: str) -> float:
    """How many canonical units one `unit` is ("mile" → 1609.344 for "m")."""
    ureg = _registry()
    target = {"m2": "meter ** 2", "m3": "meter ** 3", "m3/day": "meter ** 3 / day"}.get(canonical, canonical)
    return float((1.0 * ureg.parse_expression(unit)).to(target).magnitude)
