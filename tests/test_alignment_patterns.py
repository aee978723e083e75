"""Agreement and distractor patterns, end to end on two-document corpora written for the test.

Each test names the pattern it guards. A conflict must be found where two sources
disagree on one fact, and must not be reported where similar words describe two
different facts or where the values can both be true.
"""

from factcheck.api import check
from tests.conftest import document


def conflicts(write_corpus, a: str, b: str, pub_a: str = "2024-03-05", pub_b: str = "2024-03-06"):
    root = write_corpus(
        {
            "a.md": document("a", "Alpha Wire", pub_a, a),
            "b.md": document("b", "Beta Post", pub_b, b),
        }
    )
    report = check([root])
    return [sorted(f.text for f in c.facts) for c in report.conflicts]


def test_same_count_different_numbers_conflicts(write_corpus):
    found = conflicts(
        write_corpus,
        "The two ministers signed seven agreements on energy and trade in Velmora on Tuesday.",
        "The ministers signed five agreements on energy and trade during the visit to Velmora.",
    )
    assert found == [["five", "seven"]]


def test_paraphrased_delegation_size_agrees(write_corpus):
    found = conflicts(
        write_corpus,
        "Minister Anders Holm arrived in Velmora at the head of a nine-strong delegation.",
        "Holm led a delegation of nine to Velmora for two days of talks.",
    )
    assert found == []


def test_part_and_total_do_not_conflict(write_corpus):
    found = conflicts(
        write_corpus,
        "The rebels now control eight of the country's 34 provinces.",
        "Government forces still hold 26 of the 34 provinces, officials said.",
    )
    assert found == []


def test_rounding_implied_by_the_text_agrees(write_corpus):
    found = conflicts(
        write_corpus,
        "The port authority approved a $9.46 billion expansion of the container terminal.",
        "The container terminal expansion will cost $9.5 billion, the port authority said.",
    )
    assert found == []


def test_hedged_bound_agrees_with_a_point(write_corpus):
    found = conflicts(
        write_corpus,
        "More than 61,000 fans watched the final at Kestrel Park.",
        "A crowd of 63,418 watched the final at Kestrel Park on Saturday.",
    )
    assert found == []


def test_different_year_is_a_different_fact(write_corpus):
    found = conflicts(
        write_corpus,
        "Turnout in the Orvia election was 61.4%, up from 58.7% in 2019.",
        "Turnout in the Orvia election reached 61.4 percent, the commission said.",
    )
    assert found == []


def test_target_is_not_the_outcome(write_corpus):
    found = conflicts(
        write_corpus,
        "The health ministry launched a campaign aiming to vaccinate 4.5 million children.",
        "The health ministry said the campaign vaccinated 4.2 million children.",
    )
    assert found == []


def test_figures_orders_apart_are_different_facts(write_corpus):
    found = conflicts(
        write_corpus,
        "The Green Party won 1,284,000 votes in the election.",
        "The Green Party won 51 votes in the council chamber's first sitting.",
    )
    assert found == []


def test_statement_dates_are_not_events(write_corpus):
    found = conflicts(
        write_corpus,
        "The ministry said on Monday that the bridge would reopen in June.",
        "The ministry said on Tuesday that the bridge would reopen in June.",
        pub_a="2024-03-05",
        pub_b="2024-03-06",
    )
    assert found == []


def test_event_dated_relatively_and_absolutely_agrees(write_corpus):
    found = conflicts(
        write_corpus,
        "Lindqvist Foods agreed on Monday to buy the dairy group Norhavn.",
        "Lindqvist Foods agreed on March 4 to buy the dairy group Norhavn.",
        pub_a="2024-03-04",
        pub_b="2024-04-02",
    )
    assert found == []


def test_event_misdated_conflicts(write_corpus):
    found = conflicts(
        write_corpus,
        "The earthquake struck the Varn valley on Saturday, killing at least 27 people.",
        "The earthquake that struck the Varn valley on November 5 killed 71 people.",
        pub_a="2023-11-04",
        pub_b="2023-11-13",
    )
    assert ["on November 5", "on Saturday"] in found


def test_rising_toll_is_an_update_not_an_error(write_corpus):
    root = write_corpus(
        {
            "a.md": document(
                "a", "A", "2023-11-04", "The earthquake in the Varn valley killed 27 people, officials said."
            ),
            "b.md": document(
                "b", "B", "2023-11-06", "The earthquake in the Varn valley killed 64 people, officials said."
            ),
        }
    )
    report = check([root])
    assert [(c.severity, c.label) for c in report.conflicts] == [("warning", "update")]


def test_deaths_are_not_injuries(write_corpus):
    found = conflicts(
        write_corpus,
        "The blast at the Orvel refinery killed 12 workers, the company said.",
        "The blast at the Orvel refinery injured 40 workers, the company said.",
    )
    assert found == []


def test_two_companies_revenues_do_not_conflict(write_corpus):
    found = conflicts(
        write_corpus,
        "Brightwell Motors reported revenue of $4.2 billion for the quarter.",
        "Its rival Castellan Cars reported revenue of $3.1 billion for the quarter.",
    )
    assert found == []


def test_this_year_is_not_last_year(write_corpus):
    found = conflicts(
        write_corpus,
        "Exports of Orvian coffee reached $840 million last year, the trade ministry said.",
        "Exports of Orvian coffee reached $910 million in 2024, the trade ministry said.",
        pub_a="2024-05-15",
        pub_b="2024-05-16",
    )
    assert found == []


def test_range_containing_a_point_agrees(write_corpus):
    found = conflicts(
        write_corpus,
        "The new Harlow line will carry between 10,000 and 15,000 passengers a day.",
        "The new Harlow line will carry 12,500 passengers a day, planners said.",
    )
    assert found == []


def test_stale_relative_date_is_explained(write_corpus):
    root = write_corpus(
        {
            "a.md": document(
                "a",
                "Alpha Wire",
                "2021-07-29",
                "Foreign Minister Wang Yi met the delegation in Tianjin on Wednesday.",
            ),
            "b.md": document(
                "b",
                "Beta Post",
                "2021-08-13",
                "Foreign Minister Wang Yi met the delegation in Tianjin on Wednesday.",
            ),
        }
    )
    (conflict,) = check([root]).conflicts
    assert any("stale" in note for note in conflict.notes)


def test_old_and_new_level_of_a_change_are_two_facts(write_corpus):
    found = conflicts(
        write_corpus,
        "The Bank of Orvia raised its policy rate to 4.75% on Wednesday.",
        "The Bank of Orvia raised its policy rate from 4.50% in a surprise move.",
    )
    assert found == []


def test_dateline_is_not_an_event(write_corpus):
    root = write_corpus(
        {
            "a.md": document(
                "a",
                "CPS",
                "2024-09-03",
                "ASHGROVE, Sept 3 (CPS) — The River Tamsel burst its banks on Monday.",
            ),
            "b.md": document(
                "b", "Quarterly", "2024-10-01", "The River Tamsel burst its banks on September 2."
            ),
        }
    )
    report = check([root])
    assert not any(f.text == "Sept 3" for c in report.conflicts for f in c.facts)
    assert "Sept 3" not in [f.text for f in report.facts]


def test_same_figure_with_synonymous_nouns_and_verbs_conflicts(write_corpus):
    found = conflicts(
        write_corpus,
        "A crowd of 61,452 saw Harlow Town lift the trophy at the National Stadium.",
        "The final was witnessed by 64,152 spectators at the National Stadium.",
    )
    assert found == [["61,452", "64,152"]]


def test_general_verbs_are_no_evidence_against_alignment(write_corpus):
    found = conflicts(
        write_corpus,
        "Halvex will book a restructuring charge of €240 million for the plant closure.",
        "Halvex is taking a €420 million charge to cover the plant closure, the company said.",
    )
    assert found == [["€240 million", "€420 million"]]


def test_hyphenated_count_counts_its_own_noun(write_corpus):
    found = conflicts(
        write_corpus,
        "The new St Mary hospital has 420 beds and a 24-hour emergency department.",
        "The 240-bed St Mary hospital took over emergency care in the town on Sunday.",
    )
    assert found == [["240-bed", "420"]]


def test_only_measurement_of_its_dimension_aligns(write_corpus):
    found = conflicts(
        write_corpus,
        "A rocket lifted off at dawn and released the 1,850-kilogram Kestrel satellite 58 minutes later.",
        "Kestrel carries an infrared sounder and a lightning mapper, 1,580 kg in all.",
    )
    assert found == [["1,580 kg", "1,850-kilogram"]]


def test_percentage_move_is_not_a_share_of_the_whole(write_corpus):
    found = conflicts(
        write_corpus,
        "Norlake shares jumped 29% in morning trading after the offer was announced.",
        "Holders of about 38% of Norlake shares have already committed to the offer.",
    )
    assert found == []


def test_increment_is_not_the_total(write_corpus):
    found = conflicts(
        write_corpus,
        "About 12,000 health workers are taking part in the campaign across the country.",
        "The ministry will recruit 2,000 additional health workers for the campaign.",
    )
    assert found == []


def test_years_a_digit_apart_conflict(write_corpus):
    found = conflicts(
        write_corpus,
        "The Brackwell car plant, which opened in 1987, will close next year.",
        "Halvex opened the Brackwell car plant in 1978 to build compact cars.",
    )
    assert found == [["in 1978", "in 1987"]]


def test_past_event_and_future_event_are_two_events(write_corpus):
    found = conflicts(
        write_corpus,
        "The meeting will be the first council summit held in Ilvaria since 2016.",
        "The next council summit will be held in Kessa in 2026.",
        pub_a="2025-08-28",
        pub_b="2025-11-20",
    )
    assert found == []


def test_rise_is_not_a_fall(write_corpus):
    found = conflicts(
        write_corpus,
        "Quillon shares rose 3.2% in afternoon trading as investors welcomed the cost cuts.",
        "Quillon shares have fallen 7% since the cost cuts were announced.",
    )
    assert found == []


def test_age_is_not_a_count(write_corpus):
    found = conflicts(
        write_corpus,
        "Police said 57 people were treated for injuries after the crush at the festival.",
        "A 19-year-old woman injured in the crush at the festival died in hospital.",
    )
    assert found == []


def test_a_bound_does_not_absorb_another_figure_of_its_document(write_corpus):
    root = write_corpus(
        {
            "a.md": document(
                "a",
                "Alpha Wire",
                "2024-03-05",
                "The ferry capsized on Saturday, killing at least seven people. "
                "Another 22 people were still missing by the evening.",
            ),
            "b.md": document("b", "Beta Post", "2024-03-07", "The ferry disaster killed 14 people."),
        }
    )
    report = check([root])
    grouped = [sorted(f.text for f in c.facts) for c in report.clusters]
    assert not any("22" in g and "at least seven" in g for g in grouped)


def test_a_sum_including_debt_is_another_measure(write_corpus):
    found = conflicts(
        write_corpus,
        "Including debt, the Halden deal values the dairy group Norvik at £2.9 billion.",
        "Halden's deal values the dairy group Norvik at £2.4 billion, analysts said.",
    )
    assert found == []


def test_frozen_reserves_and_central_bank_assets_are_one_fact(write_corpus):
    found = conflicts(
        write_corpus,
        "About $9.5 billion of Afghanistan's frozen reserves are held abroad, officials said.",
        "Washington has blocked access to $7 billion of the Afghan central bank's assets held abroad.",
    )
    assert found == [["$7 billion", "About $9.5 billion"]]


def test_talks_in_a_city_and_a_meeting_in_the_city_are_one_event(write_corpus):
    found = conflicts(
        write_corpus,
        "Wang Yi held talks with Mullah Baradar in Tianjin on July 28.",
        "Wang Yi met Mullah Baradar in the city of Tianjin on July 21.",
        pub_a="2021-08-02",
        pub_b="2021-08-03",
    )
    assert found == [["on July 21", "on July 28"]]
