"""Table-driven tests of date recognition and resolution."""

from datetime import date

import pytest

from factcheck.dates import DateScanner
from factcheck.models import DateSpan

FRI_2021_08_13 = DateSpan(date(2021, 8, 13), date(2021, 8, 13))
WED_2024_05_15 = DateSpan(date(2024, 5, 15), date(2024, 5, 15))
MARCH_2022 = DateSpan(date(2022, 3, 1), date(2022, 3, 31))


@pytest.fixture(scope="module")
def scanner(lexicon):
    return DateScanner(lexicon)


CASES = [
    # text, publication, tense, expected mention, start, end
    ("They met on Wednesday in Tianjin.", FRI_2021_08_13, "past", "on Wednesday", "2021-08-11", "2021-08-11"),
    ("But on Friday, the Taliban captured", FRI_2021_08_13, "past", "on Friday", "2021-08-13", "2021-08-13"),
    ("He flies home on Monday.", FRI_2021_08_13, "future", "on Monday", "2021-08-16", "2021-08-16"),
    ("Saturday's earthquake killed", FRI_2021_08_13, "past", "Saturday's", "2021-08-07", "2021-08-07"),
    ("next Tuesday", FRI_2021_08_13, None, "next Tuesday", "2021-08-17", "2021-08-17"),
    ("last Friday", FRI_2021_08_13, None, "last Friday", "2021-08-06", "2021-08-06"),
    ("Last month, the minister", FRI_2021_08_13, None, "Last month", "2021-07-01", "2021-07-31"),
    ("Last month, the minister", MARCH_2022, None, "Last month", "2022-02-01", "2022-02-28"),
    ("on Wednesday", MARCH_2022, "past", "on Wednesday", "2022-02-23", "2022-03-30"),
    ("yesterday", WED_2024_05_15, None, "yesterday", "2024-05-14", "2024-05-14"),
    ("two days ago", WED_2024_05_15, None, "two days ago", "2024-05-13", "2024-05-13"),
    ("last week", WED_2024_05_15, None, "last week", "2024-05-06", "2024-05-12"),
    ("this week", WED_2024_05_15, None, "this week", "2024-05-13", "2024-05-19"),
    ("last year", WED_2024_05_15, None, "last year", "2023-01-01", "2023-12-31"),
    ("earlier this year", WED_2024_05_15, None, "earlier this year", "2024-01-01", "2024-05-15"),
    ("since the weekend", WED_2024_05_15, None, "since the weekend", "2024-05-11", "2024-05-12"),
    (
        "from Monday to Wednesday",
        FRI_2021_08_13,
        "past",
        "from Monday to Wednesday",
        "2021-08-09",
        "2021-08-11",
    ),
    ("in July 2021", None, None, "in July 2021", "2021-07-01", "2021-07-31"),
    ("July 28, 2021", None, None, "July 28, 2021", "2021-07-28", "2021-07-28"),
    ("28 July 2021", None, None, "28 July 2021", "2021-07-28", "2021-07-28"),
    ("2021-07-28", None, None, "2021-07-28", "2021-07-28", "2021-07-28"),
    ("Jul. 28", FRI_2021_08_13, None, "Jul. 28", "2021-07-28", "2021-07-28"),
    ("On March 30-31, China will", MARCH_2022, "future", "On March 30-31", "2022-03-30", "2022-03-31"),
    ("on September 16 and 17", FRI_2021_08_13, None, "on September 16 and 17", "2021-09-16", "2021-09-17"),
    ("October 14 to 16", FRI_2021_08_13, None, "October 14 to 16", "2021-10-14", "2021-10-16"),
    ("between 3 and 5 May", FRI_2021_08_13, None, "between 3 and 5 May", "2021-05-03", "2021-05-05"),
    ("Dec 30 - Jan 2, 2022", None, None, "Dec 30 - Jan 2, 2022", "2021-12-30", "2022-01-02"),
    (
        "December 12",
        DateSpan(date(2024, 11, 5), date(2024, 11, 5)),
        None,
        "December 12",
        "2024-12-12",
        "2024-12-12",
    ),
    ("In late February, the", MARCH_2022, None, "In late February", "2022-02-21", "2022-02-28"),
    ("in early March", MARCH_2022, None, "in early March", "2022-03-01", "2022-03-10"),
    ("opens in 2031", None, None, "in 2031", "2031-01-01", "2031-12-31"),
    ("by the early 2030s", None, None, "by the early 2030s", "2030-01-01", "2033-12-31"),
    ("in the 1990s", None, None, "in the 1990s", "1990-01-01", "1999-12-31"),
    ("in mid-2021", None, None, "in mid-2021", "2021-05-01", "2021-08-31"),
    ("between 2012 and 2016", None, None, "between 2012 and 2016", "2012-01-01", "2016-12-31"),
    ("from 2027 to 2031", None, None, "from 2027 to 2031", "2027-01-01", "2031-12-31"),
    ("the 2012-16 period", None, None, "2012-16", "2012-01-01", "2016-12-31"),
    (
        "before Christmas",
        DateSpan(date(2020, 9, 30), date(2020, 9, 30)),
        None,
        "before Christmas",
        "2020-09-30",  # some day from publication to Christmas Eve
        "2020-12-24",
    ),
    (
        "until the end of June",
        DateSpan(date(2024, 2, 14), date(2024, 2, 14)),
        "past",
        "until the end of June",
        "2024-06-21",
        "2024-06-30",
    ),
    ("by the end of the month", WED_2024_05_15, None, "the end of the month", "2024-05-21", "2024-05-31"),
    ("by the end of the year", WED_2024_05_15, None, "the end of the year", "2024-09-01", "2024-12-31"),
    (
        "in the three months to August",
        DateSpan(date(2024, 9, 12), date(2024, 9, 12)),
        "past",
        "to August",
        "2024-08-01",
        "2024-08-31",
    ),
    (
        "by September",
        DateSpan(date(2024, 5, 29), date(2024, 5, 29)),
        "past",
        "by September",
        "2024-09-01",
        "2024-09-30",
    ),
    (
        "on Thursday and Friday",
        FRI_2021_08_13,
        "future",
        "on Thursday and Friday",
        "2021-08-19",
        "2021-08-20",
    ),
    (
        "from Monday to Wednesday",
        WED_2024_05_15,
        "future",
        "from Monday to Wednesday",
        "2024-05-20",
        "2024-05-22",
    ),
    ("through Saturday", WED_2024_05_15, "present", "through Saturday", "2024-05-18", "2024-05-18"),
    ("an increase on the same period of 2018", None, None, "of 2018", "2018-01-01", "2018-12-31"),
    ("prices peaked on the 28th", WED_2024_05_15, "past", "on the 28th", "2024-04-28", "2024-04-28"),
    (
        "a survey conducted between February and April",
        WED_2024_05_15,
        "past",
        "between February and April",
        "2024-02-01",
        "2024-04-30",
    ),
    ("profit in the first quarter", WED_2024_05_15, "past", "the first quarter", "2024-01-01", "2024-03-31"),
    ("sales in Q3 2023", None, None, "Q3 2023", "2023-07-01", "2023-09-30"),
    (
        "the July-September quarter",
        WED_2024_05_15,
        "past",
        "the July-September quarter",
        "2023-07-01",
        "2023-09-30",
    ),
    ("counted this spring", WED_2024_05_15, "past", "this spring", "2024-03-01", "2024-05-31"),
    ("since last autumn", WED_2024_05_15, "past", "last autumn", "2023-09-01", "2023-11-30"),
    ("on 15/04/2024", None, None, "15/04/2024", "2024-04-15", "2024-04-15"),
    ("by 04/28/2024", None, None, "04/28/2024", "2024-04-28", "2024-04-28"),
    (
        "The race is on Saturday week.",
        WED_2024_05_15,
        "future",
        "on Saturday week",
        "2024-05-25",
        "2024-05-25",
    ),
    ("a week from Thursday", WED_2024_05_15, None, "a week from Thursday", "2024-05-23", "2024-05-23"),
    ("last night", WED_2024_05_15, None, "last night", "2024-05-14", "2024-05-14"),
    ("this afternoon", WED_2024_05_15, None, "this afternoon", "2024-05-15", "2024-05-15"),
    (
        "Eighty years ago today",
        DateSpan(date(2024, 6, 6), date(2024, 6, 6)),
        None,
        "Eighty years ago today",
        "1944-06-06",
        "1944-06-06",
    ),
    ("a year earlier", WED_2024_05_15, None, "a year earlier", "2023-01-01", "2023-12-31"),
    (
        "through Sept. 30",
        DateSpan(date(2024, 7, 22), date(2024, 7, 22)),
        None,
        "Sept. 30",
        "2024-09-30",
        "2024-09-30",
    ),
    ("it closes on the 28th", WED_2024_05_15, "future", "on the 28th", "2024-05-28", "2024-05-28"),
    ("on the 3rd", WED_2024_05_15, "past", "on the 3rd", "2024-05-03", "2024-05-03"),
]


@pytest.mark.parametrize(("text", "published", "tense", "mention", "start", "end"), CASES)
def test_date_resolution(scanner, text, published, tense, mention, start, end):
    mentions = scanner.scan(text)
    assert [m.text for m in mentions] == [mention]
    value = scanner.resolve(mentions[0], published, tense)
    assert value.span is not None
    assert (value.span.start.isoformat(), value.span.end.isoformat()) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "6005 people signed",
        "it was 123° in the shade",
        "2,000 troops",
        "we may see",
        "They march on",
        "the Sun newspaper",
        "a 2019 dispute",
        "Article 2021-07",
        "for the 3rd time",
        "the 21st century",
        "its 50th anniversary",
        "on 04/05/2024",
        "three days earlier than planned",
    ],
)
def test_not_dates(scanner, text):
    assert scanner.scan(text) == []


@pytest.mark.parametrize(
    ("text", "relative"),
    [
        ("on Wednesday", True),
        ("last month", True),
        ("on the 28th", True),
        ("March 17", False),
        ("in 2031", False),
    ],
)
def test_only_deictic_dates_are_relative(scanner, text, relative):
    (mention,) = scanner.scan(text)
    assert scanner.resolve(mention, FRI_2021_08_13, "past").relative is relative


def test_relative_date_without_publication_is_unresolved(scanner):
    (mention,) = scanner.scan("They met on Wednesday.")
    value = scanner.resolve(mention, None, "past")
    assert value.span is None
    assert "no publication date" in (value.resolution or "")


def test_month_day_without_year_or_publication_is_unresolved(scanner):
    (mention,) = scanner.scan("on March 17 they voted")
    assert scanner.resolve(mention, None, None).span is None


def test_invalid_calendar_date(scanner):
    (mention,) = scanner.scan("on February 30, 2021")
    assert scanner.resolve(mention, None, None).span is None
