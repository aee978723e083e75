"""Extraction on real parses: context (noun, trigger, role, anchors) and offsets."""

from datetime import date

import pytest

from factcheck.extract import Extractor
from factcheck.models import DateSpan, Document


@pytest.fixture(scope="module")
def extractor(lexicon, nlp):
    return Extractor(lexicon, nlp)


def _doc(body: str, published: DateSpan | None = None) -> Document:
    front = "---\nid: d\n---\n"
    return Document(id="d", path="d.md", text=front + body, body_start=len(front), published=published)


def facts(extractor, body, published=None):
    doc = _doc(body, published)
    return list(extractor.extract([doc]))


def test_offsets_index_the_whole_file(extractor):
    doc = _doc("The Taliban now controls eight of Afghanistan's 34 provinces.\nThey met on Wednesday.")
    for fact in extractor.extract([doc]):
        assert doc.text[fact.start : fact.end] == fact.text
        assert fact.line == doc.text.count("\n", 0, fact.start) + 1


def test_part_and_total(extractor):
    found = {
        f.text: f for f in facts(extractor, "The Taliban now controls eight of Afghanistan's 34 provinces.")
    }
    assert found["eight"].context.noun == "province" and found["eight"].context.role == "part"
    assert found["34"].context.noun == "province" and found["34"].context.role == "total"


@pytest.mark.parametrize(
    ("body", "mention", "noun"),
    [
        ("Wang Yi told the nine-strong group that China would help.", "nine-strong", "group"),
        ("He arrived with a delegation of nine.", "nine", "delegation"),
        ("The quake killed 19 people in the valley.", "19", "people"),
        ("The two ministers signed seven memoranda of understanding.", "seven", "memoranda"),
        ("Bilateral trade, which reached $910 million in 2023, has doubled.", "$910 million", "trade"),
        ("Turnout was 61.4%, the commission said.", "61.4%", "turnout"),
    ],
)
def test_counted_noun(extractor, body, mention, noun):
    found = {f.text: f for f in facts(extractor, body)}
    assert found[mention].context.noun == noun


def test_anchor_year_is_syntactically_close(extractor):
    found = {f.text: f for f in facts(extractor, "Turnout was 61.4%, up from 58.7% in 2019.")}
    assert [a.start.year for a in found["58.7%"].context.anchors] == [2019]
    assert found["61.4%"].context.anchors == ()


def test_since_is_not_an_anchor(extractor):
    body = "Reval arrived at the head of a nine-strong delegation, the first visit since 2017."
    found = {f.text: f for f in facts(extractor, body)}
    assert found["nine-strong"].context.anchors == ()


def test_relative_date_uses_tense(extractor):
    pub = DateSpan(date(2024, 5, 15), date(2024, 5, 15))  # a Wednesday
    body = "Reval arrived on Monday. He is due to fly home on Friday."
    found = {f.text: f for f in facts(extractor, body, pub)}
    assert found["on Monday"].value.span == DateSpan(date(2024, 5, 13), date(2024, 5, 13))
    assert found["on Friday"].value.span == DateSpan(date(2024, 5, 17), date(2024, 5, 17))


def test_event_trigger(extractor):
    body = "Wang Yi delivered the message during a meeting with Baradar on Wednesday in Tianjin."
    (fact,) = facts(extractor, body, DateSpan(date(2021, 8, 13), date(2021, 8, 13)))
    assert fact.context.triggers[0] == "meeting"
    assert {"wang", "baradar", "tianjin"} <= set(fact.context.entities)


@pytest.mark.parametrize(
    "body", ["Ties between the two warmed up.", "One of the officials resigned.", "It was one of them."]
)
def test_stray_number_words_are_not_facts(extractor, body):
    assert [f.text for f in facts(extractor, body)] == []


def test_one_counts_the_noun_after_it(extractor):
    found = facts(extractor, "The village has 614 residents and one bakery.")
    assert [(f.text, f.value.low) for f in found] == [("614", 614), ("one", 1)]


def test_year_inside_a_date_is_not_a_count(extractor):
    found = facts(extractor, "The bridge opens in 2031, officials said.")
    assert [(f.text, f.kind) for f in found] == [("in 2031", "date")]


def test_huge_document_is_processed_in_pieces(extractor):
    filler = "Officials met again to discuss the plan in detail.\n\n" * 25_000  # ~1.3M characters
    body = filler + "The fire destroyed 143 homes, the agency said.\n"
    doc = _doc(body, DateSpan(date(2024, 8, 8), date(2024, 8, 8)))
    found = list(extractor.extract([doc]))
    assert [(f.text, f.context.noun) for f in found] == [("143", "home")]
    assert doc.text[found[0].start : found[0].end] == "143"
    assert found[0].line == doc.text.count("\n", 0, found[0].start) + 1


def test_one_enormous_line_is_cut_at_sentence_ends(extractor):
    body = "Nothing to report here. " * 5_000 + "Rescuers saved 27 people. " + "More calm. " * 5_000
    doc = _doc(body)
    found = list(extractor.extract([doc]))
    assert [f.text for f in found] == ["27"]
    assert doc.text[found[0].start : found[0].end] == "27"


def test_sentences_are_slices_of_the_file_and_hold_their_fact():
    from factcheck.api import extract
    from tests.conftest import REPO

    result = extract([REPO / "corpus"])
    texts = {d.id: d.text for d in result.documents}
    assert result.facts
    for fact in result.facts:
        text = texts[fact.doc_id]
        assert text[fact.sentence_start : fact.sentence_start + len(fact.sentence)] == fact.sentence
        assert fact.sentence_start <= fact.start and fact.end <= fact.sentence_start + len(fact.sentence)
        assert "\n\n" not in fact.sentence


def test_noun_before_a_colon_is_what_the_figure_measures(extractor):
    found = facts(extractor, "It was the turnout: 71.4%, the highest in a generation.")
    assert [(f.text, f.context.noun) for f in found] == [("71.4%", "turnout")]


def test_hyphenated_count_counts_its_own_noun_and_describes_the_other(extractor):
    found = facts(extractor, "The 240-bed hospital opened on Monday.")
    bed = next(f for f in found if f.text == "240-bed")
    assert bed.context.noun == "bed" and bed.context.attributive


def test_percentage_move_and_increment_roles(extractor):
    found = {
        f.text: f
        for f in facts(extractor, "Shares jumped 29% after the ministry hired 2,000 additional nurses.")
    }
    assert found["29%"].context.role == "change"
    assert found["2,000"].context.role == "increment"


def test_what_a_sum_includes_is_recorded(extractor):
    found = facts(extractor, "Including debt, the deal values the dairy group at £2.9 billion.")
    assert [(f.text, f.context.qualifiers) for f in found] == [("£2.9 billion", ("include:debt",))]


def test_facts_are_the_same_whatever_the_number_of_worker_processes(tmp_path):
    """Enough documents to use worker processes (the seed articles, each under ten ids)."""
    from factcheck.api import CheckOptions, check
    from factcheck.formatters.json_report import report_json
    from factcheck.workers import PARALLEL_MIN_DOCUMENTS
    from tests.conftest import REPO

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted((REPO / "corpus").glob("*.md"))
    for n in range(10):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8").replace("\nid: ", f"\nid: copy{n}-", 1)
            (corpus / f"{n}-{seed.name}").write_text(text, encoding="utf-8")
    assert len(list(corpus.iterdir())) >= PARALLEL_MIN_DOCUMENTS
    one = report_json(check([corpus], CheckOptions(jobs=1)))
    two = report_json(check([corpus], CheckOptions(jobs=2)))
    assert one["facts"] and one == two


def test_workers_started_ahead_give_the_facts_of_one_process():
    """Workers started before the documents are known (as `ci` does for the changed ones) parse
    them as this process would; started for nothing, they are let go."""
    from factcheck.corpus import load_corpus
    from factcheck.workers import extract_documents, start_workers
    from tests.conftest import REPO

    documents, _ = load_corpus([REPO / "corpus"])
    here = list(extract_documents(documents, (), None, 1))
    workers = start_workers((), None, 2, len(documents))
    if workers is None:
        pytest.skip("this platform cannot fork")
    ahead = list(extract_documents(documents, (), None, 2, workers=workers))
    assert ahead == here and here[0][1][0]
    idle = start_workers((), None, 2, 1)
    assert list(extract_documents([], (), None, 2, workers=idle)) == []
