"""The vectorised upper bound of a pair's score: never below the score, and pruning by it never
changes an alignment."""

from collections import Counter
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import api
from factcheck.align import AlignConfig, Aligner
from factcheck.align_bounds import Evaluated, ScoreBounds
from factcheck.models import DateSpan, DateValue, Fact, FactContext, QuantityValue
from tests.conftest import REPO

# words the lexicon knows (classes, synonyms, exclusive events, directions) and words it does not
NOUNS = [None, "home", "house", "people", "patient", "vehicle", "figure", "station", "stop", "seat"]
TRIGGERS = ["destroy", "burn", "kill", "injure", "say", "rise", "fall", "meet", "win", "encrypt", "take"]
WORDS = ["fire", "quake", "montalba", "north", "vote", "budget", "home", "kill", "rise", "crossing"]
PEOPLE = ["kelvoria", "kelvorian", "norcrest", "wang", "greens", "alliance"]
ROLES = [None, None, None, "part", "total", "increment", "change", "from", "to"]
KINDS = [
    ("count", None, None),
    ("money", "EUR", "money"),
    ("percent", "%", "percent"),
    ("date", None, "date"),
]
SPANS = [
    DateSpan(date(2019, 1, 1), date(2019, 12, 31)),
    DateSpan(date(2024, 1, 1), date(2024, 12, 31)),
    DateSpan(date(2024, 9, 1), date(2024, 9, 30)),
    DateSpan(date(2024, 9, 12), date(2024, 9, 12)),
    DateSpan(date(2025, 3, 2), date(2025, 3, 2)),
]


@st.composite
def facts(draw: st.DrawFn, n: int) -> Fact:
    kind, unit, dimension = draw(st.sampled_from(KINDS))
    if kind == "date":
        span = draw(st.sampled_from(SPANS))
        value: QuantityValue | DateValue = DateValue(span)
    else:
        low = draw(st.one_of(st.none(), st.integers(0, 5000).map(float)))
        high = draw(st.sampled_from([low, None, (low or 0) + 10]))
        rounding = draw(st.sampled_from([0.0, 0.5, 50.0]))
        value = QuantityValue(low, high, unit, rounding)
    words = st.lists(st.sampled_from(WORDS), max_size=6)
    context = FactContext(
        noun=None if kind == "date" else draw(st.sampled_from(NOUNS)),
        triggers=tuple(draw(st.lists(st.sampled_from(TRIGGERS), max_size=3))),
        irrealis=draw(st.booleans()),
        agent=tuple(draw(st.lists(st.sampled_from(PEOPLE), max_size=2))),
        entities=tuple(draw(st.lists(st.sampled_from(PEOPLE + WORDS[:3]), max_size=4))),
        keywords=tuple(draw(words)),
        anchors=tuple(draw(st.lists(st.sampled_from(SPANS), max_size=2))),
        identity_anchors=tuple(draw(st.lists(st.sampled_from(SPANS[:2]), max_size=1))),
        modifiers=tuple(draw(st.lists(st.sampled_from(["destroyed", "injured", "new"]), max_size=1))),
        names=tuple(draw(st.lists(st.sampled_from(["kestrel", "home", "vella"]), max_size=1))),
        role=draw(st.sampled_from(ROLES)),
        attributive=draw(st.booleans()),
        qualifiers=tuple(draw(st.lists(st.sampled_from(["include:debt"]), max_size=1))),
    )
    context = replace(context, trigger=context.triggers[0] if context.triggers else None)
    return Fact(
        id=f"f{n}",
        doc_id=f"d{draw(st.integers(0, 5))}",
        kind=kind,
        text="x",
        start=n,
        end=n + 1,
        value=value,
        sentence="",
        sentence_start=0,
        line=1,
        context=context,
        dimension=dimension,
    )


@st.composite
def fact_sets(draw: st.DrawFn) -> list[Fact]:
    size = draw(st.integers(2, 9))
    return [draw(facts(n)) for n in range(size)]


CONFIGS = [
    AlignConfig(),
    AlignConfig(cosine_share=0.6, trigger_mismatch_value=0.0, agreement_boost=1.0, count_noun_veto=False),
]


@pytest.mark.parametrize("config", CONFIGS, ids=["default", "variant"])
@settings(max_examples=150, deadline=None)
@given(found=fact_sets(), ratio=st.integers(0, 100))
def test_the_bound_is_never_below_the_score(lexicon, config, found, ratio):
    published = {f"d{k}": SPANS[k % len(SPANS)] for k in range(6)}
    # (at a threshold of 0, whose figures they are is worked out for every pair of plain figures)
    config = replace(config, threshold=0.0)
    aligner = Aligner(lexicon, config, published, {f"d{k}": frozenset(WORDS[k:]) for k in range(6)})
    aligner._dimension_counts = Counter((f.doc_id, f.kind, f.dimension) for f in found)
    _, idf = aligner._idf(found)
    a, b = np.triu_indices(len(found), k=1)
    table = aligner._score_table(found, idf)
    ratios = np.full(a.size, ratio, dtype=np.uint8)
    evaluated = table.evaluate(a, b, ratios)
    for p, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        score = aligner.score_pair(found[i], found[j], float(ratio), idf)
        assert score <= evaluated.bound[p]
        if evaluated.exact[p]:
            assert evaluated.score[p] == score  # (to the last bit)
    _assert_plain_pairs_scored_exactly(aligner, table, found, a, b, ratios, idf)


def _assert_plain_pairs_scored_exactly(aligner, table, found, a, b, ratios, idf):
    """Every pair of plain figures, once the arrays have said whose figures they are, is scored as
    the scorer does (the aligner's threshold is 0, so that every such pair is asked about)."""
    assert aligner.config.threshold == 0.0
    told = table.evaluate(a, b, ratios, ask_agents=aligner.config.threshold)
    for p in np.flatnonzero(told.exact).tolist():
        assert told.score[p] == aligner.score_pair(found[a[p]], found[b[p]], float(ratios[p]), idf)
    # scoring only the pairs whose bound reaches a bar scores those the same
    some = table.evaluate(a, b, ratios, ask_agents=aligner.config.threshold, scored_from=0.3)
    reach = told.bound >= 0.3
    assert some.exact[reach].tolist() == told.exact[reach].tolist()
    assert some.score[reach].tolist() == told.score[reach].tolist()
    assert not some.exact[~reach].any()
    return told.exact


def test_the_bound_is_tight_enough_to_prune(lexicon):
    """Most pairs of an archive's facts are not one fact; the bound must tell nearly all the weak
    ones from the pairs that could align, or pruning saves nothing."""
    found = _stories(lexicon)[:400]
    aligner = Aligner(lexicon)
    aligner._dimension_counts = Counter((f.doc_id, f.kind, f.dimension) for f in found)
    _, idf = aligner._idf(found)
    a, b = np.triu_indices(len(found), k=1)
    bounds = aligner._score_table(found, idf).evaluate(a, b, np.zeros(a.size, dtype=np.uint8)).bound
    scores = np.array(
        [
            aligner.score_pair(found[i], found[j], 0.0, idf)
            for i, j in zip(a.tolist(), b.tolist(), strict=True)
        ]
    )
    threshold = aligner.config.threshold
    weak = (scores > 0) & (scores < threshold / 2)
    assert weak.sum() > 1000
    assert (bounds[weak] < threshold).mean() > 0.95
    assert (bounds[scores >= threshold] >= threshold).all()


def _stories(lexicon, n_stories: int = 150):
    """Stories of a few figures each, told by several sources; a town is in several stories."""
    import random

    from tests.factories import quantity_fact

    rng = random.Random(5)
    nouns = ["home", "people", "seat", "vehicle", "job", "loan", "barrel", "tonne"]
    triggers = ["destroy", "win", "evacuate", "kill", "sell", "lend", "cut", "seize"]
    facts = []
    for story in range(n_stories):
        place = f"town{rng.randrange(n_stories // 5)}"
        for _figure in range(rng.randint(1, 4)):
            noun, trigger = rng.choice(nouns), rng.choice(triggers)
            value = rng.randint(5, 5000)
            for source in range(rng.randint(2, 5)):
                fact = quantity_fact(
                    f"s{story}-{source}",
                    value if rng.random() < 0.8 else value + rng.randint(1, 50),
                    noun=noun,
                    triggers=(trigger,),
                    entities=(f"person{story}", place),
                    keywords=(*rng.sample([f"w{k}" for k in range(500)], 3), place),
                )
                # whose figure it is: the story's subject ("Person12 evacuated 40 homes")
                facts.append(replace(fact, context=replace(fact.context, agent=(f"person{story}",))))
    return facts


def test_plain_figures_are_scored_by_numpy_exactly_as_by_the_scorer(lexicon):
    """Pairs of plain figures whose subjects agree are scored from the arrays; those scores must
    be the scorer's to the last bit, or the order of merges could change."""
    found = _stories(lexicon)[:400]
    aligner = Aligner(lexicon, AlignConfig(threshold=0.0))
    aligner._dimension_counts = Counter((f.doc_id, f.kind, f.dimension) for f in found)
    _, idf = aligner._idf(found)
    a, b = np.triu_indices(len(found), k=1)
    ratio = np.random.default_rng(1).integers(0, 101, a.size).astype(np.uint8)
    table = aligner._score_table(found, idf)
    evaluated = table.evaluate(a, b, ratio)
    exact = np.flatnonzero(evaluated.exact)
    assert exact.size > 1000  # (the pairs of one story: one subject)
    for p in exact.tolist():
        i, j = int(a[p]), int(b[p])
        assert evaluated.score[p] == aligner.score_pair(found[i], found[j], float(ratio[p]), idf)
    told = _assert_plain_pairs_scored_exactly(aligner, table, found, a, b, ratio, idf)
    asked = np.flatnonzero(told & ~evaluated.exact)
    unrelated = [
        aligner._agent_agreement(table.view_of(a[p]), table.view_of(b[p])) == 0.0 for p in asked.tolist()
    ]
    assert sum(unrelated) > 1000  # (figures of other subjects are among them)


def _unpruned(monkeypatch) -> None:
    """Every pair compared and scored, by the scorer."""
    everything = ScoreBounds.evaluate

    def unpruned(self, a, b, ratio, ask_agents=None, scored_from=None):
        found = everything(self, a, b, ratio)
        return Evaluated(np.full(a.size, np.inf), np.zeros(a.size, dtype=bool), found.score)

    monkeypatch.setattr(ScoreBounds, "evaluate", unpruned)
    monkeypatch.setattr(ScoreBounds, "bound", lambda self, a, b: np.full(a.size, np.inf))


def test_pruning_by_the_bound_never_changes_the_clusters(lexicon, monkeypatch):
    """Pairs whose bound is below the threshold are never compared, and unscored pairs are
    scored by clustering when it needs them: while no fact has more candidates than it keeps,
    the same clusters as comparing and scoring every pair, on an archive-like set and on the
    seed corpus."""
    facts = _stories(lexicon)
    config = AlignConfig(max_candidates_per_fact=10**6)
    pruned = Aligner(lexicon, config).align(facts)
    seeds = api.check([REPO / "corpus"])
    _unpruned(monkeypatch)
    whole = Aligner(lexicon, config).align(facts)
    assert whole.stats.scored_pairs == whole.stats.shortlisted_pairs > 2 * pruned.stats.scored_pairs
    assert [[f.id for f in c.facts] for c in pruned.clusters] == [
        [f.id for f in c.facts] for c in whole.clusters
    ]
    assert [c.score for c in pruned.clusters] == [c.score for c in whole.clusters]
    assert pruned.pair_scores.items() <= whole.pair_scores.items()
    strong = {k: s for k, s in whole.pair_scores.items() if s >= AlignConfig().threshold}
    assert {k: s for k, s in pruned.pair_scores.items() if s >= AlignConfig().threshold} == strong
    assert api.check([REPO / "corpus"]) == seeds


def test_pairs_that_cannot_reach_the_threshold_never_take_a_candidates_place(lexicon, monkeypatch):
    """A fact keeps only its most similar contexts among the pairs that could reach the threshold:
    every strong pair that keeping the most similar of all its pairs finds is found, and more
    besides, where figures of other stories in the same town crowd a fact's candidates."""
    facts = _stories(lexicon)
    pruned = Aligner(lexicon).align(facts)
    _unpruned(monkeypatch)
    crowded = Aligner(lexicon).align(facts)
    assert crowded.stats.candidate_pairs > 10 * crowded.stats.shortlisted_pairs  # (the cut bites)
    threshold = AlignConfig().threshold
    found = {k: s for k, s in pruned.scored.as_dict().items() if s >= threshold}
    assert {k: s for k, s in crowded.scored.as_dict().items() if s >= threshold}.items() < found.items()


# subjects and context words: inflections ("kelvoria" / "kelvorian", "afghan" / "afghanistan"),
# near spellings that `fuzz.ratio` takes for one word ("halvorsen" / "halvorson") or not
# ("ministry" / "minister"), short words compared only as they are ("eu" / "eus"), and words
# of several scripts
SUBJECT_WORDS = [
    "kelvoria", "kelvorian", "norcrest", "norcrests", "halvorsen", "halvorson", "ministry",
    "minister", "afghan", "afghanistan", "eu", "eus", "wang", "wanger", "greens", "green", "çelik",
    "celik", "東京都庁", "東京都",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_other_subjects_are_the_scorers_agent_agreement(lexicon, data):
    """The arrays' answer to "are these another's figures?" for plain figures whose subjects
    share no word is the scorer's `_agent_agreement(...) == 0`, pair by pair."""
    from tests.factories import quantity_fact

    words = st.lists(st.sampled_from(SUBJECT_WORDS), max_size=4).map(tuple)
    found = []
    for n in range(data.draw(st.integers(2, 8))):
        fact = quantity_fact(f"d{n}", float(n), entities=data.draw(words), keywords=data.draw(words))
        subject = data.draw(st.lists(st.sampled_from(SUBJECT_WORDS), min_size=1, max_size=2).map(tuple))
        found.append(replace(fact, context=replace(fact.context, agent=subject)))
    aligner = Aligner(lexicon)
    aligner._dimension_counts = Counter((f.doc_id, f.kind, f.dimension) for f in found)
    _, idf = aligner._idf(found)
    views = [aligner._view(f, idf) for f in found]
    table = aligner._score_table(found, idf)
    a, b = np.triu_indices(len(found), k=1)
    apart = np.array([views[i].who.isdisjoint(views[j].who) for i, j in zip(a, b, strict=True)], dtype=bool)
    a, b = a[apart], b[apart]
    expected = [aligner._agent_agreement(views[i], views[j]) == 0.0 for i, j in zip(a, b, strict=True)]
    assert table._other_subjects(a, b).tolist() == expected


def test_the_pairs_a_group_can_ask_for_are_scored_by_numpy_as_by_the_scorer(lexicon):
    """Clustering's pairs within each component of the strong links are scored beforehand from the
    arrays, where the arrays know the score: to the last bit the scorer's, never a pair of one
    document, and many pairs the shortlist never had."""
    from factcheck.align import _PairInputs, _Scores, _strongest_first

    facts = _stories(lexicon)
    aligner = Aligner(lexicon)
    whole = aligner.align(facts)
    aligner._dimension_counts = Counter((f.doc_id, f.kind, f.dimension) for f in facts)
    index: dict[str, int] = {}
    docs = np.array([index.setdefault(f.doc_id, len(index)) for f in facts], dtype=np.int64)
    inputs = _PairInputs(docs)
    _, idf, table = aligner._read_corpus(facts, inputs)
    lo, hi = _strongest_first(_Scores.of(whole.pair_scores), aligner.config.threshold)
    known = aligner._scores_within_components(lo, hi, table, inputs, _Scores.of({})).as_dict()
    assert len(known) > lo.size
    assert sum(1 for pair in known if pair not in whole.pair_scores) > 1000
    for (i, j), score in known.items():
        assert i < j and facts[i].doc_id != facts[j].doc_id
        assert score == aligner.score_pair(facts[i], facts[j], 0.0, idf)


DATE_SPANS = [
    *SPANS,
    DateSpan(date(2024, 9, 13), date(2024, 9, 14)),
    DateSpan(date(2024, 11, 2), date(2024, 11, 2)),
    DateSpan(date(2021, 1, 1), date(2021, 12, 31)),
    DateSpan(date(2031, 1, 1), date(2031, 12, 31)),
    DateSpan(date(2019, 6, 1), date(2020, 5, 31)),
    DateSpan(date(2020, 1, 15), date(2020, 12, 10)),  # (nearly a year: gaps still in days)
]


@st.composite
def plain_dates(draw: st.DrawFn) -> list[Fact]:
    """Dates with nothing the arrays leave out (no role, anchors, names or qualifiers): spans of a
    day to a year or more, some of them extents, near and far apart."""
    found = []
    for n in range(draw(st.integers(2, 8))):
        fact = draw(facts(n))
        span = draw(st.sampled_from(DATE_SPANS))
        context = replace(
            fact.context,
            noun=None,
            anchors=(),
            identity_anchors=(),
            names=(),
            role=None,
            qualifiers=(),
            irrealis=draw(st.sampled_from([False, False, True])),
        )
        value = DateValue(span, extent=draw(st.booleans()) and span.start != span.end)
        found.append(replace(fact, kind="date", dimension="date", value=value, context=context))
    return found


@settings(max_examples=200, deadline=None)
@given(found=plain_dates(), published=st.lists(st.sampled_from([None, *SPANS]), min_size=6, max_size=6))
def test_pairs_of_plain_dates_are_scored_by_numpy_exactly_as_by_the_scorer(lexicon, found, published):
    """Dates with nothing left out are scored from the arrays too: how far apart they are, whether
    they can agree, and one already past against one still to come, to the last bit."""
    config = AlignConfig(threshold=0.0)
    aligner = Aligner(lexicon, config, {f"d{k}": published[k] for k in range(6)})
    aligner._dimension_counts = Counter((f.doc_id, f.kind, f.dimension) for f in found)
    _, idf = aligner._idf(found)
    a, b = np.triu_indices(len(found), k=1)
    table = aligner._score_table(found, idf)
    ratios = np.zeros(a.size, dtype=np.uint8)
    evaluated = table.evaluate(a, b, ratios)
    for p, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        score = aligner.score_pair(found[i], found[j], 0.0, idf)
        assert score <= evaluated.bound[p]
        if evaluated.exact[p]:
            assert evaluated.score[p] == score
    told = _assert_plain_pairs_scored_exactly(aligner, table, found, a, b, ratios, idf)
    same_modality = [
        found[i].context.irrealis == found[j].context.irrealis for i, j in zip(a, b, strict=True)
    ]
    assert told[same_modality].all()  # (every pair of one modality is scored here)


@settings(max_examples=200, deadline=None)
@given(
    lists=st.lists(
        st.lists(st.tuples(st.integers(0, 30), st.floats(0.0, 9.0)), max_size=70, unique_by=lambda x: x[0]),
        min_size=1,
        max_size=12,
    ),
    pairs=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), min_size=1, max_size=40),
)
def test_shared_weights_are_the_scorers_sums_to_the_last_bit(lists, pairs):
    """The weights two lists of words share, for lists of any width (compared a column at a time,
    as arrays of pairs x words x words, or too wide to be worked out): over the words of the
    shorter list (the first on a tie), in its order, one at a time, as Python adds them."""
    from factcheck.align_bounds import _MAX_WIDTH, Lists, _Ragged, shared_weights

    pairs = [(a % len(lists), b % len(lists)) for a, b in pairs]
    sizes = np.array([len(x) for x in lists], dtype=np.int64)
    ids = np.array([w for x in lists for w, _ in x], dtype=np.int64)
    weights = np.array([v for x in lists for _, v in x], dtype=np.float64)
    words = _Ragged.build(Lists(sizes, ids), weights)
    a, b = np.array(pairs, dtype=np.int64).T
    dot, own, too_wide = shared_weights(words, a, b)
    for p, (i, j) in enumerate(pairs):
        x, y = (lists[j], lists[i]) if len(lists[j]) < len(lists[i]) else (lists[i], lists[j])
        if max(len(x), len(y)) > _MAX_WIDTH:
            assert too_wide[p] and dot[p] == own[p] == 0.0
            continue
        theirs = dict(y)
        expected_dot = expected_own = 0.0
        for word, weight in x:
            if word in theirs:
                expected_dot += weight * theirs[word]
                expected_own += weight
        assert not too_wide[p]
        assert (dot[p], own[p]) == (expected_dot, expected_own)
