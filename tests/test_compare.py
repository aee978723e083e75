"""Comparison: which aligned facts really disagree, and how the report explains it."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.compare import CompareConfig, Comparer, compatible
from factcheck.models import DateSpan, Document, FactCluster
from tests.factories import date_fact, quantity_fact

CFG = CompareConfig()


def docs(*specs):
    return [Document(id=i, path=f"{i}.md", text="", source=i.upper(), published=p) for i, p in specs]


def day(s: str) -> DateSpan:
    d = date.fromisoformat(s)
    return DateSpan(d, d)


def test_rounding_implied_by_the_text_is_forgiven():
    a = quantity_fact("a", 9.5e9, kind="money", unit="USD", rounding=0.05e9)
    b = quantity_fact("b", 9.46e9, kind="money", unit="USD", rounding=0.005e9)
    assert compatible(a, b, CFG)


def test_hedged_bound_contains_point():
    a = quantity_fact("a", 61000, None, hedge="more than")
    b = quantity_fact("b", 64182)
    assert compatible(a, b, CFG)


def test_range_contains_point():
    assert compatible(quantity_fact("a", 10, 15), quantity_fact("b", 12), CFG)


def test_disjoint_counts_conflict():
    assert not compatible(quantity_fact("a", 7), quantity_fact("b", 6), CFG)


def test_two_schedules_must_match_exactly():
    a = date_fact("a", "2025-11-18", "2025-11-19", extent=True)
    b = date_fact("b", "2025-11-19", "2025-11-20", extent=True)
    assert not compatible(a, b, CFG)
    assert compatible(a, date_fact("c", "2025-11-18", "2025-11-19", extent=True), CFG)
    assert compatible(a, date_fact("d", "2025-11-19"), CFG)  # a day of the summit
    assert not compatible(b, date_fact("e", "2025-11-18"), CFG)


def test_dates_overlap_or_not():
    assert compatible(date_fact("a", "2021-07-01", "2021-07-31"), date_fact("b", "2021-07-28"), CFG)
    assert not compatible(date_fact("a", "2021-07-01", "2021-07-31"), date_fact("b", "2021-08-11"), CFG)


def test_conflict_names_consensus_and_outlier(lexicon):
    facts = (
        date_fact("mei", "2021-07-01", "2021-07-31"),
        date_fact("nypost", "2021-07-01", "2021-07-31"),
        date_fact("pratidin", "2021-08-11", resolution="'on Wednesday' → 2021-08-11", relative=True),
    )
    documents = docs(
        ("mei", day("2022-03-01")), ("nypost", day("2021-08-13")), ("pratidin", day("2021-08-13"))
    )
    (conflict,) = Comparer(documents, lexicon).conflicts([FactCluster(facts, 0.8)])
    assert conflict.severity == "error"
    assert conflict.outliers == (facts[2].id,)
    assert conflict.consensus == (("2021-07", 2), ("2021-08-11", 1))
    assert any("stale" in note for note in conflict.notes)


def test_message_names_a_few_outliers_and_counts_the_rest(lexicon):
    """A story reprinted by many outlets with other figures: the message names five outliers and
    counts the others, which the report's rows and the JSON facts still list in full."""
    majority = [quantity_fact(f"m{i}", 120) for i in range(12)]
    outliers = [quantity_fact(f"o{i}", 200 + 50 * (i % 3)) for i in range(9)]
    ids = [f.doc_id for f in (*majority, *outliers)]
    (conflict,) = Comparer(docs(*((i, None) for i in ids)), lexicon).conflicts(
        [FactCluster((*majority, *outliers), 0.9)]
    )
    assert conflict.message.startswith("Sources disagree on count (home): 12 source(s) give 120; ")
    assert conflict.message.count(" says ") == 5
    assert conflict.message.endswith("and 4 more source(s) give 3 other value(s)")
    assert len(conflict.outliers) == 9
    few = Comparer(docs(*((i, None) for i in ids[:16])), lexicon).conflicts(
        [FactCluster((*majority, *outliers[:4]), 0.9)]
    )
    assert few[0].message.count(" says ") == 4 and "more source" not in few[0].message


def test_agreeing_cluster_is_not_a_conflict(lexicon):
    facts = (
        quantity_fact("a", 1080, 1320, hedge="about", rounding=0.5),
        quantity_fact("b", 1180, rounding=0.5),
    )
    assert Comparer(docs(("a", None), ("b", None)), lexicon).conflicts([FactCluster(facts, 0.9)]) == []


def test_within_document_contradiction_needs_the_option(lexicon):
    facts = (quantity_fact("a", 7), quantity_fact("a", 6))
    documents = docs(("a", None))
    assert Comparer(documents, lexicon).conflicts([FactCluster(facts, 0.9)]) == []
    config = CompareConfig(within_document=True)
    assert len(Comparer(documents, lexicon, config).conflicts([FactCluster(facts, 0.9)])) == 1


def test_rising_death_toll_is_an_update(lexicon):
    facts = (
        quantity_fact("early", 27, noun="people", triggers=("kill",)),
        quantity_fact("late", 64, noun="people", triggers=("kill",)),
    )
    documents = docs(("early", day("2023-11-04")), ("late", day("2023-11-06")))
    (conflict,) = Comparer(documents, lexicon).conflicts([FactCluster(facts, 0.9)])
    assert conflict.severity == "warning"
    assert "update" in conflict.message


def test_update_message_names_the_first_and_latest_reports(lexicon):
    facts = tuple(quantity_fact(f"r{i}", 20 + 7 * i, noun="people", triggers=("kill",)) for i in range(8))
    documents = docs(*((f"r{i}", day(f"2023-11-{i + 1:02d}")) for i in range(8)))
    (conflict,) = Comparer(documents, lexicon).conflicts([FactCluster(facts, 0.9)])
    assert conflict.label == "update"
    assert conflict.message.count(" → ") == 4  # 20, 27, … (4 more reports), 62, 69
    assert "… (4 more reports)" in conflict.message
    assert "20 (R0, 2023-11-01)" in conflict.message and "69 (R7, 2023-11-08)" in conflict.message


def test_falling_cumulative_count_is_an_error(lexicon):
    facts = (
        quantity_fact("early", 143, noun="home", triggers=("destroy",)),
        quantity_fact("late", 87, noun="home", triggers=("destroy",)),
    )
    documents = docs(("early", day("2024-08-08")), ("late", day("2024-08-09")))
    (conflict,) = Comparer(documents, lexicon).conflicts([FactCluster(facts, 0.9)])
    assert conflict.severity == "error"


# ---- interval properties ----------------------------------------------------

bound = st.one_of(st.none(), st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))


@st.composite
def intervals(draw):
    low, high = draw(bound), draw(bound)
    if low is not None and high is not None and low > high:
        low, high = high, low
    rounding = draw(st.floats(min_value=0, max_value=1e6, allow_nan=False))
    return low, high, rounding


@given(intervals(), intervals())
def test_compatibility_is_symmetric(x, y):
    a = quantity_fact("a", x[0], x[1], rounding=x[2])
    b = quantity_fact("b", y[0], y[1], rounding=y[2])
    assert compatible(a, b, CFG) == compatible(b, a, CFG)


@given(intervals())
def test_a_value_agrees_with_itself(x):
    a = quantity_fact("a", x[0], x[1], rounding=x[2])
    assert compatible(a, a, CFG)


@given(intervals(), intervals(), st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_widening_never_creates_a_conflict(x, y, extra):
    a = quantity_fact("a", x[0], x[1], rounding=x[2])
    wider = quantity_fact("a", x[0], x[1], rounding=x[2] + extra)
    b = quantity_fact("b", y[0], y[1], rounding=y[2])
    if compatible(a, b, CFG):
        assert compatible(wider, b, CFG)


@given(st.dates(), st.integers(0, 400), st.dates(), st.integers(0, 400))
def test_date_overlap_matches_interval_logic(d1, n1, d2, n2):
    from datetime import timedelta

    try:
        a = DateSpan(d1, d1 + timedelta(n1))
        b = DateSpan(d2, d2 + timedelta(n2))
    except OverflowError:
        return
    expected = not (a.end < b.start or b.end < a.start)
    assert a.overlaps(b) == b.overlaps(a) == expected


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [((1100, 1100, 0.5), (1400, 1400, 0.5), False), ((990, 1210, 0), (1180, 1180, 0.5), True)],
)
def test_table_of_counts(a, b, ok):
    assert (
        compatible(
            quantity_fact("a", a[0], a[1], rounding=a[2]), quantity_fact("b", b[0], b[1], rounding=b[2]), CFG
        )
        is ok
    )
