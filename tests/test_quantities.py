"""Table-driven tests of number, money, percent and unit normalisation."""

import pytest

from factcheck.quantities import QuantityScanner


@pytest.fixture(scope="module")
def scanner(lexicon):
    return QuantityScanner(lexicon)


INF = None
CASES = [
    # text, mention, kind, low, high, unit
    ("a delegation of nine", "nine", "count", 9, 9, None),
    ("the nine-strong group", "nine-strong", "count", 9, 9, None),
    ("a 12-member council", "12-member", "count", 12, 12, None),
    ("twenty-five people", "twenty-five", "count", 25, 25, None),
    ("More than 160 districts", "More than 160", "count", 160, INF, None),
    ("at least 27 people", "at least 27", "count", 27, INF, None),
    ("nearly 20 aircraft", "nearly 20", "count", 18, 20, None),
    ("up to 1,100 jobs", "up to 1,100", "count", 0, 1100, None),
    ("fewer than 50 homes", "fewer than 50", "count", 0, 50, None),
    ("about 1,100 jobs", "about 1,100", "count", 990, 1210, None),
    ("some 11,000 refugees", "some 11,000", "count", 9900, 12100, None),
    ("just over 63 percent", "just over 63 percent", "percent", 63, 66.15, "%"),
    ("between 10 and 15 people", "10 and 15", "count", 10, 15, None),
    ("10-15 people", "10-15", "count", 10, 15, None),
    ("hundreds of people", "hundreds of", "count", 200, 999, None),
    ("a dozen eggs", "a dozen", "count", 12, 12, None),
    ("1.28 million votes", "1.28 million", "count", 1280000, 1280000, None),
    ("5.2m doses", "5.2m", "count", 5200000, 5200000, None),
    ("2m people", "2m", "count", 2000000, 2000000, None),
    ("$9.5 billion", "$9.5 billion", "money", 9.5e9, 9.5e9, "USD"),
    ("$9.5B", "$9.5B", "money", 9.5e9, 9.5e9, "USD"),
    ("9.5bn dollars", "9.5bn dollars", "money", 9.5e9, 9.5e9, "USD"),
    ("US$9,500 million", "US$9,500 million", "money", 9.5e9, 9.5e9, "USD"),
    ("$840m", "$840m", "money", 840e6, 840e6, "USD"),
    ("$1MM", "$1MM", "money", 1e6, 1e6, "USD"),
    ("€84.6 billion", "€84.6 billion", "money", 84.6e9, 84.6e9, "EUR"),
    ("an 84.6bn-euro budget", "84.6bn-euro", "money", 84.6e9, 84.6e9, "EUR"),
    ("1.3 billion euros", "1.3 billion euros", "money", 1.3e9, 1.3e9, "EUR"),
    ("£2.4bn", "£2.4bn", "money", 2.4e9, 2.4e9, "GBP"),
    ("615 pence a share", "615 pence", "money", 6.15, 6.15, "GBP"),
    ("615p a share", "615p", "money", 6.15, 6.15, "GBP"),
    ("400 million pounds", "400 million pounds", "money", 4e8, 4e8, "GBP"),
    ("¥15 billion", "¥15 billion", "money", 15e9, 15e9, "JPY"),
    ("EUR 400 million", "EUR 400 million", "money", 4e8, 4e8, "EUR"),
    ("500 million yuan", "500 million yuan", "money", 5e8, 5e8, "CNY"),
    ("10 billion afghanis", "10 billion afghanis", "money", 1e10, 1e10, "AFN"),
    ("more than $1.3 billion", "more than $1.3 billion", "money", 1.3e9, INF, "USD"),
    ("43%", "43%", "percent", 43, 43, "%"),
    ("43 percent", "43 percent", "percent", 43, 43, "%"),
    ("43 per cent", "43 per cent", "percent", 43, 43, "%"),
    ("43 pct", "43 pct", "percent", 43, 43, "%"),
    ("approximately 43 percent", "approximately 43 percent", "percent", 40.85, 45.15, "%"),
    ("one in five adults", "one in five", "percent", 20, 20, "%"),
    ("up 0.4 percentage points", "0.4 percentage points", "percent", 0.4, 0.4, "pp"),
    ("a 25 basis point cut", "25 basis point", "percent", 0.25, 0.25, "pp"),
    ("a third of voters", "a third", "percent", 33.333333, 33.333333, "%"),
    ("nearly half of", "nearly half", "percent", 47.5, 50, "%"),
    ("a 1,357-kilometer border", "1,357-kilometer", "quantity", 1357000, 1357000, "m"),
    ("380-mile", "380-mile", "quantity", 611550.72, 611550.72, "m"),
    ("10 kilometres deep", "10 kilometres", "quantity", 10000, 10000, "m"),
    ("6.2 miles", "6.2 miles", "quantity", 9977.93, 9977.93, "m"),
    ("the 190m tower", "190m", "quantity", 190, 190, "m"),
    ("the 140 m dam", "140 m", "quantity", 140, 140, "m"),
    ("18,500 hectares", "18,500 hectares", "quantity", 1.85e8, 1.85e8, "m2"),
    ("29,700 acres", "29,700 acres", "quantity", 120191635.7, 120191635.7, "m2"),
    ("18 tonnes of gold", "18 tonnes", "quantity", 18000, 18000, "kg"),
    ("40,000 pounds of gold", "40,000 pounds", "quantity", 18143.69, 18143.69, "kg"),
    ("30°C", "30°C", "quantity", 30, 30, "degC"),
    ("86°F", "86°F", "quantity", 30, 30, "degC"),
    ("a 20-year presence", "20-year", "quantity", 7305, 7305, "day"),
    ("six years", "six years", "quantity", 2191.5, 2191.5, "day"),
    ("72-month", "72-month", "quantity", 2191.5, 2191.5, "day"),
    ("a two-week campaign", "two-week", "quantity", 14, 14, "day"),
    ("two dozen eggs", "two dozen", "count", 24, 24, None),
    ("a million people", "a million", "count", 1e6, 1e6, None),
    ("half a million doses", "half a million", "count", 5e5, 5e5, None),
    ("dozens of homes", "dozens of", "count", 24, 99, None),
    ("tens of thousands of people", "tens of thousands of", "count", 20000, 99999, None),
    ("an estimated 73 districts", "an estimated 73", "count", 65.7, 80.3, None),
    ("almost 300 flights", "almost 300", "count", 270, 300, None),
    ("over 160 districts", "over 160", "count", 160, INF, None),
    ("roughly 2,000 troops", "roughly 2,000", "count", 1800, 2200, None),
    ("as many as 50 boats", "as many as 50", "count", 0, 50, None),
    ("1.2m passengers", "1.2m", "count", 1200000, 1200000, None),
    ("$1.2m grant", "$1.2m", "money", 1200000, 1200000, "USD"),
    ("a $2.4bn deal", "$2.4bn", "money", 2.4e9, 2.4e9, "USD"),
    ("USD 5 million", "USD 5 million", "money", 5e6, 5e6, "USD"),
    ("GBP 3.2 billion", "GBP 3.2 billion", "money", 3.2e9, 3.2e9, "GBP"),
    ("CNY 10 billion", "CNY 10 billion", "money", 1e10, 1e10, "CNY"),
    ("INR 500 crore", "INR 500 crore", "money", 5e9, 5e9, "INR"),
    ("Rs 300 crore", "Rs 300 crore", "money", 3e9, 3e9, "INR"),
    ("AFN 2 billion", "AFN 2 billion", "money", 2e9, 2e9, "AFN"),
    ("؋500 million", "؋500 million", "money", 5e8, 5e8, "AFN"),
    ("CN¥10 billion", "CN¥10 billion", "money", 1e10, 1e10, "CNY"),
    ("RMB 10 billion", "RMB 10 billion", "money", 1e10, 1e10, "CNY"),
    ("R2.1 billion", "R2.1 billion", "money", 2.1e9, 2.1e9, "ZAR"),
    ("₦45 billion", "₦45 billion", "money", 4.5e10, 4.5e10, "NGN"),
    ("₹500 crore", "₹500 crore", "money", 5e9, 5e9, "INR"),
    ("1.1 million Swedish kronor", "1.1 million Swedish kronor", "money", 1.1e6, 1.1e6, "SEK"),
    ("58 billion zlotys", "58 billion zlotys", "money", 5.8e10, 5.8e10, "PLN"),
    ("between $2m and $3m", "$2m and $3m", "money", 2e6, 3e6, "USD"),
    ("$10m-$15m", "$10m-$15m", "money", 1e7, 1.5e7, "USD"),
    ("4.8 per cent", "4.8 per cent", "percent", 4.8, 4.8, "%"),
    ("a quarter of homes", "a quarter", "percent", 25, 25, "%"),
    ("two-thirds of voters", "two-thirds", "percent", 66.666667, 66.666667, "%"),
    ("cut imports by a third", "a third", "percent", 33.333333, 33.333333, "%"),
    ("12-member council", "12-member", "count", 12, 12, None),
    ("an 11-member bloc", "11-member", "count", 11, 11, None),
    ("a 612-kilometre border", "612-kilometre", "quantity", 612000, 612000, "m"),
    ("1,200 square metre plot", "1,200 square metre", "quantity", 1200, 1200, "m2"),
    ("9,205 square kilometres", "9,205 square kilometres", "quantity", 9.205e9, 9.205e9, "m2"),
    (
        "2.2 million barrels per day",
        "2.2 million barrels per day",
        "quantity",
        349772.05,
        349772.05,
        "m3/day",
    ),
    ("lows of -40°F", "-40°F", "quantity", -40, -40, "degC"),
    ("minus 6C overnight", "minus 6C", "quantity", -6, -6, "degC"),
    ("highs of 31.2C", "31.2C", "quantity", 31.2, 31.2, "degC"),
    ("a 16,000-foot peak", "16,000-foot", "quantity", 4876.8, 4876.8, "m"),
    ("2 hours 21 minutes", "2 hours 21 minutes", "quantity", 0.0979167, 0.0979167, "day"),
    ("about 20 minutes", "about 20 minutes", "quantity", 0.0125, 0.0152778, "day"),
    ("a 30-year concession", "30-year", "quantity", 10957.5, 10957.5, "day"),
    ("26 years", "26 years", "quantity", 9496.5, 9496.5, "day"),
    ("magnitude 6.4", "magnitude 6.4", "quantity", 6.4, 6.4, "magnitude"),
    ("it takes three to four days", "three to four days", "quantity", 3, 4, "day"),
    ("25 to 40 centimetres of snow", "25 to 40 centimetres", "quantity", 0.25, 0.4, "m"),
    ("a 41-year-old man", "41-year-old", "count", 41, 41, None),
    ("he is 41 years old", "41 years old", "count", 41, 41, None),
    ("for a decade", "a decade", "quantity", 3652.5, 3652.5, "day"),
    ("half an hour", "half an hour", "quantity", 0.0208333, 0.0208333, "day"),
    ("in an hour and 52 minutes", "an hour and 52 minutes", "quantity", 0.0777778, 0.0777778, "day"),
    ("stretch a mile and a half", "a mile and a half", "quantity", 2414.016, 2414.016, "m"),
    ("more than a year", "more than a year", "quantity", 365.25, INF, "day"),
    ("roughly a fifth", "roughly a fifth", "percent", 19, 21, "%"),
    ("A couple of hundred fans", "A couple of hundred", "count", 200, 200, None),
    ("a few dozen", "a few dozen", "count", 24, 60, None),
    ("within 90 days", "within 90 days", "quantity", None, 90, "day"),
    ("about 18 km per second", "about 18 km per second", "quantity", 58320, 71280, "km/h"),
    ("a 310-gram bar", "310-gram", "quantity", 0.31, 0.31, "kg"),
    ("1.4 seconds", "1.4 seconds", "quantity", 1.62037e-05, 1.62037e-05, "day"),
    ("a magnitude-6.4 quake", "magnitude-6.4", "quantity", 6.4, 6.4, "magnitude"),
    ("a 6.1-magnitude quake", "6.1-magnitude", "quantity", 6.1, 6.1, "magnitude"),
]


def _close(a, b):
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0) + 0.01


@pytest.mark.parametrize(("text", "mention", "kind", "low", "high", "unit"), CASES)
def test_quantity(scanner, text, mention, kind, low, high, unit):
    found = scanner.scan(text)
    assert [text[q.start : q.end] for q in found] == [mention]
    q = found[0]
    assert q.kind == kind
    assert q.value.unit == unit
    assert _close(q.value.low, low), q.value
    assert _close(q.value.high, high), q.value


@pytest.mark.parametrize(
    "text",
    [
        "the G20 summit",
        "COVID-19 cases",
        "at 10:30 local time",
        "the 3rd time",
        "No. 10 Downing Street",
        "in 2019 the",
        "a Boeing 737 landed",
        "Route 66 reopened",
        "Call 111 for help",
        "Version 14.2 fixes",
        "dial 0800 555 0199",
        "its 5G network",
        "the FTSE 100 fell",
        "drawn in barrier 7",
        "twice a day",
        "a day pass",
        "on page 89 of",
        "Under Rule 14 of",
    ],
)
def test_not_quantities(scanner, text):
    assert [text[q.start : q.end] for q in scanner.scan(text)] == []


@pytest.mark.parametrize(
    ("text", "mention", "high", "low"),
    [
        ("Redmarsh beat Port Calder United 2-1 in the final", "2-1", 2, 1),
        ("Saturday's 2-1 win over Port Calder", "2-1", 2, 1),
        ("a 1-3 defeat at home", "1-3", 3, 1),
        ("the Lakers clinched a 123-110 win", "123-110", 123, 110),
        ("she won 6-4, 7-6", "6-4", 6, 4),
    ],
)
def test_scores(scanner, text, mention, high, low):
    found = [q for q in scanner.scan(text) if q.kind == "score"]
    assert [text[q.start : q.end] for q in found] == [mention]
    assert (found[0].value.high, found[0].value.low) == (high, low)


@pytest.mark.parametrize("text", ["prices rose 2-3%", "a 10-15 range", "aged 18-24", "the 2-1 majority"])
def test_not_scores(scanner, text):
    assert [q for q in scanner.scan(text) if q.kind == "score"] == []


def test_rounding_follows_the_written_digits(scanner):
    (q,) = scanner.scan("$9.5 billion")
    assert q.value.rounding == pytest.approx(0.05e9)
    (q,) = scanner.scan("1,400 jobs")
    assert q.value.rounding == pytest.approx(0.5)


def test_blocked_spans_are_skipped(scanner):
    text = "On March 17 about 30 people"
    found = scanner.scan(text, blocked=[(3, 11)])
    assert [text[q.start : q.end] for q in found] == ["about 30"]
