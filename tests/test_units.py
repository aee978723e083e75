"""Unit factors: the lexicon's own ship with the package, and must be pint's."""

import math

import pytest

from factcheck import units
from factcheck.lexicon import default_lexicon


def test_shipped_factors_are_pints_for_every_unit_of_the_lexicon():
    """`python -m factcheck.units` writes the table; after an edit of the lexicon's units (or a
    pint whose definitions moved) this fails until it is run again."""
    expected = units.factors_of(default_lexicon().units.values())
    shipped = units.shipped_factors()
    assert set(shipped) == set(expected)
    for key, factor in expected.items():
        assert math.isclose(shipped[key], factor, rel_tol=1e-12), key


@pytest.mark.parametrize(
    ("unit", "canonical", "factor"),
    [
        ("mile", "m", 1609.344),
        ("kilometer", "m", 1000.0),
        ("4840 * yard ** 2", "m2", 4046.8564224),  # the international acre
        ("pound", "kg", 0.45359237),
        ("mile / hour", "km/h", 1.609344),
    ],
)
def test_conversion_factors(unit, canonical, factor):
    assert math.isclose(units.conversion_factor(unit, canonical), factor, rel_tol=1e-9)


def test_a_unit_the_table_lacks_goes_to_pint(monkeypatch):
    asked = []
    monkeypatch.setattr(units, "pint_factor", lambda u, c: asked.append((u, c)) or 201.168)
    units.conversion_factor.cache_clear()
    try:
        assert units.conversion_factor("furlong", "m") == 201.168
        assert units.conversion_factor("mile", "m") == 1609.344
    finally:
        units.conversion_factor.cache_clear()
    assert asked == [("furlong", "m")]


def test_the_shipped_table_never_loads_pint(monkeypatch):
    monkeypatch.setattr(units, "_registry", lambda: pytest.fail("pint loaded"))
    units.conversion_factor.cache_clear()
    try:
        for form in default_lexicon().units.values():
            if form.dimension != "temperature":
                units.conversion_factor(form.pint_unit, form.canonical)
    finally:
        units.conversion_factor.cache_clear()
