"""Alignment: which facts are about the same thing, and how much work it takes."""

import random
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import api
from factcheck.align import AlignConfig, Aligner
from factcheck.models import DateSpan
from tests.conftest import REPO
from tests.factories import date_fact, quantity_fact, year


def aligned(lexicon, *facts, **config):
    alignment = Aligner(lexicon, AlignConfig(**config)).align(list(facts))
    return [sorted(f.doc_id for f in c.facts) for c in alignment.clusters]


def test_same_fact_in_two_sources_aligns(lexicon):
    a = quantity_fact("a", 143)
    b = quantity_fact("b", 87)
    assert aligned(lexicon, a, b) == [["a", "b"]]


def test_same_document_is_not_compared_by_default(lexicon):
    a = quantity_fact("a", 143)
    b = quantity_fact("a", 87)
    assert aligned(lexicon, a, b) == []
    assert aligned(lexicon, a, b, within_document=True) == [["a", "a"]]


def test_part_never_aligns_with_total(lexicon):
    part = quantity_fact("a", 8, noun="province", role="part", triggers=("control",))
    total = quantity_fact("b", 34, noun="province", role="total", triggers=("control",))
    assert aligned(lexicon, part, total) == []


def test_different_counted_nouns_do_not_align(lexicon):
    deaths = quantity_fact("a", 27, noun="people", triggers=("kill",), keywords=("quake", "kill"))
    homes = quantity_fact("b", 27, noun="home", triggers=("kill",), keywords=("quake", "kill"))
    assert aligned(lexicon, deaths, homes) == []


def test_noun_synonyms_align(lexicon):
    a = quantity_fact(
        "a", 612000, kind="quantity", unit="m", noun="border", triggers=("share",), dimension="length"
    )
    b = quantity_fact(
        "b", 611550, kind="quantity", unit="m", noun="frontier", triggers=("share",), dimension="length"
    )
    assert aligned(lexicon, a, b) == [["a", "b"]]


def test_different_anchor_years_do_not_align(lexicon):
    now = quantity_fact("a", 61.4, kind="percent", unit="%", noun="turnout", anchors=(year(2023),))
    then = quantity_fact("b", 58.7, kind="percent", unit="%", noun="turnout", anchors=(year(2019),))
    assert aligned(lexicon, now, then) == []


def test_different_units_never_align(lexicon):
    a = quantity_fact("a", 400, kind="money", unit="EUR")
    b = quantity_fact("b", 450, kind="money", unit="USD")
    assert aligned(lexicon, a, b) == []


def test_same_event_dated_in_three_sources(lexicon):
    facts = [
        date_fact("pratidin", "2021-08-11", triggers=("meeting", "deliver")),
        date_fact("nypost", "2021-07-01", "2021-07-31", triggers=("meet",)),
        date_fact("mei", "2021-07-01", "2021-07-31", triggers=("lead", "receive")),
    ]
    assert aligned(lexicon, *facts) == [["mei", "nypost", "pratidin"]]


def test_different_events_with_the_same_people_do_not_align(lexicon):
    meeting = date_fact("a", "2021-07-28", triggers=("meet",), keywords=("delegation", "meet"))
    speech = date_fact(
        "b",
        "2021-06-29",
        triggers=("speak",),
        entities=("wang", "beijing", "g20"),
        keywords=("speak", "foreign", "minister", "video", "link"),
    )
    assert aligned(lexicon, meeting, speech) == []


def test_average_linkage_does_not_chain(lexicon):
    """a~b and b~c do not glue a to c when a and c are about different things."""
    a = quantity_fact("a", 10, noun="home", triggers=("destroy",), keywords=("fire", "destroy", "home"))
    b = quantity_fact(
        "b", 10, noun=None, triggers=("destroy",), keywords=("fire", "destroy", "home", "school")
    )
    c = quantity_fact("c", 10, noun="school", triggers=("destroy",), keywords=("fire", "destroy", "school"))
    clusters = aligned(lexicon, a, b, c)
    assert ["a", "b", "c"] not in clusters


def _synthetic(n_facts: int, seed: int = 7):
    rng = random.Random(seed)
    nouns = [f"noun{i}" for i in range(n_facts // 20 + 1)]
    triggers = [f"verb{i}" for i in range(n_facts // 30 + 1)]
    people = [f"person{i}" for i in range(n_facts // 10 + 1)]
    facts = []
    for i in range(n_facts):
        facts.append(
            quantity_fact(
                f"doc{i // 8}",
                rng.randint(1, 1000),
                noun=rng.choice(nouns),
                triggers=(rng.choice(triggers),),
                entities=tuple(rng.sample(people, 2)),
                keywords=tuple(rng.sample(nouns, 3)),
            )
        )
    return facts


def _varied_facts(seed: int, n: int = 400):
    """Facts of several kinds and units, with repeated entities and keywords, many entities and
    words or none, unresolved and reported dates, in documents of one to a few figures."""
    rng = random.Random(seed)
    names = [f"name{i}" for i in range(30)]
    words = [f"word{i}" for i in range(40)] + ["crowd", "fan", "spectator", "home", "house"]
    triggers = ["destroy", "kill", "say", "meet", "collapse", "verb1", "verb2"]
    facts = []
    for _ in range(n):
        doc = f"doc{rng.randrange(n // 3)}"
        entities = tuple(rng.choice(names) for _ in range(rng.randint(0, 5)))
        keywords = tuple(rng.choice(words) for _ in range(rng.randint(0, 6)))
        chosen = tuple(rng.sample(triggers, rng.randint(0, 3)))
        shape = rng.random()
        if shape < 0.25:
            fact = date_fact(
                doc,
                f"2021-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                triggers=chosen,
                entities=entities,
                keywords=keywords,
            )
            if rng.random() < 0.2:  # a date never resolved: never aligned
                fact = replace(fact, value=replace(fact.value, span=None))
        else:
            kinds = [
                ("count", None),
                ("count", None),
                ("quantity", "km"),
                ("money", "USD"),
                ("percent", None),
            ]
            # (a rare kind and unit: its block of the whole kind is under the cap)
            kind, unit = ("quantity", "kg") if rng.random() < 0.02 else rng.choice(kinds)
            fact = quantity_fact(
                doc,
                rng.randint(1, 500),
                kind=kind,
                unit=unit,
                dimension=unit,
                triggers=chosen,
                noun=rng.choice([None, "home", "house", "crowd", "fan", *words[:5]]),
                entities=entities,
                keywords=keywords,
            )
        facts.append(fact)
    # kilograms, given twice in one document (neither is its only figure) and once in others
    for doc in ("twice", "twice", "once1", "once2"):
        facts.append(quantity_fact(doc, rng.randint(1, 500), kind="quantity", unit="kg", dimension="kg"))
    return facts


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("jobs", [1, 2])
def test_corpus_blocks_are_the_blocks_of_each_facts_keys(lexicon, monkeypatch, seed, jobs):
    """A whole corpus's blocks are worked out by numpy from word ids: they must be the blocks of
    the facts' own keys (`_aligned_keys`), each fact once and in order, those of one fact or
    over their cap left out, whatever the kinds, repeats, rare words and processes."""
    import numpy as np

    import factcheck.align as align_module
    from factcheck.align import _PairInputs, _rarest_first

    monkeypatch.setattr(align_module, "_PARALLEL_MIN_FACTS", 0)
    config = AlignConfig(
        max_block_size=9,
        max_keyword_block_size=5,
        max_kind_block_size=30,
        max_entity_keys=2,
        max_keyword_keys=2,
    )
    facts = _varied_facts(seed)
    aligner = Aligner(lexicon, config)
    aligner._dimension_counts = Counter((f.doc_id, f.kind, f.dimension) for f in facts)
    entity_df, idf = aligner._idf(facts)
    rank = _rarest_first(entity_df)
    expected: dict[str, list[int]] = {}
    for i, fact in enumerate(facts):
        for key in aligner._aligned_keys(fact, rank):
            expected.setdefault(key, []).append(i)
    expected = {k: m for k, m in expected.items() if 2 <= len(m) <= aligner._cap(k)}
    index: dict[str, int] = {}
    docs = np.array([index.setdefault(f.doc_id, len(index)) for f in facts], dtype=np.int64)
    inputs = _PairInputs(docs)
    found, idf_read, _ = aligner._read_corpus(facts, inputs, jobs)
    assert {k: m.tolist() for k, m in found.items()} == expected
    assert idf_read == idf
    assert "quantity|kg|only" in expected  # (of the facts alone in their documents)
    kinds = {k.split("|")[2][:2] for k in expected}
    assert {"e:", "k:", "n:", "t:", "on", "*"} <= kinds  # (every kind of key is tried)
    # what comparing their pairs reads of the facts is filled in as `_fill_inputs` fills it in
    members = np.unique(np.concatenate(list(found.values())))
    again = _PairInputs(docs)
    aligner._fill_inputs(again, members, facts)
    assert inputs.texts[members].tolist() == again.texts[members].tolist()
    nouns = list(inputs.noun_ids)
    names_again = list(again.noun_ids)
    assert [nouns[x] if x >= 0 else None for x in inputs.nouns[members].tolist()] == [
        names_again[x] if x >= 0 else None for x in again.nouns[members].tolist()
    ]
    assert (inputs.nouns[members] >= 0).any()


def _with_subjects_and_periods(facts, seed: int):
    """`facts`, some of them given a subject, names on their noun, a period they hold for, a role,
    a modality or an attributive noun: everything the bound's table reads."""
    rng = random.Random(seed)
    periods = [DateSpan(date(2021, 3, 1), date(2021, 3, 31)), DateSpan(date(2020, 1, 1), date(2020, 12, 31))]
    out = []
    for fact in facts:
        ctx = fact.context
        if rng.random() < 0.5:
            ctx = replace(
                ctx,
                agent=tuple(rng.sample(["kelvoria", "kelvorian", "name1", "halvorsen"], rng.randint(1, 2))),
                names=("name2",) if rng.random() < 0.2 else (),
                anchors=(rng.choice(periods),) if rng.random() < 0.3 else (),
                role=rng.choice([None, None, "total", "increment"]),
                irrealis=rng.random() < 0.2,
                attributive=rng.random() < 0.2,
            )
        out.append(replace(fact, context=ctx))
    return out


def _table_row(table, r: int) -> tuple:
    """Row `r` of the bound's table, with its ids named."""
    c = table.columns

    def named(ragged):
        start, end = int(ragged.offsets[r]), int(ragged.offsets[r + 1])
        return [
            (c.words[x], w)
            for x, w in zip(ragged.ids[start:end].tolist(), ragged.weights[start:end].tolist(), strict=True)
        ]

    flags = ("date", "count", "only", "short", "attributive", "has_entities", "has_noun", "irrealis", "plain")
    numbers = ("magnitude", "low", "high", "relative", "absolute")
    return (
        [bool(getattr(c, f)[r]) for f in flags],
        [repr(float(getattr(c, f)[r])) for f in numbers],  # (NaN equals NaN as text)
        c.bases[c.base[r]],
        c.nouns[c.noun[r]] if c.noun[r] >= 0 else None,
        c.units[c.unit[r]] if c.unit[r] >= 0 else None,
        c.signatures[c.events[r]],
        named(table.words),
        named(table.entities),
        sorted(named(table.who)),
        sorted(named(table.around)),
        repr(float(table.norm[r])),
        repr(float(table.entity_sum[r])),
    )


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("jobs", [1, 2])
def test_the_table_read_with_the_corpus_is_the_table_of_its_facts(lexicon, monkeypatch, seed, jobs):
    """The bound's table read with a whole corpus, in runs across processes whose ids are then put
    together, gives every aligned fact the row a table of those facts alone gives it, and the
    weights and sums of its view, to the last bit."""
    import numpy as np

    import factcheck.align as align_module
    from factcheck.align import _PairInputs

    monkeypatch.setattr(align_module, "_PARALLEL_MIN_FACTS", 0)
    facts = _with_subjects_and_periods(_varied_facts(seed), seed)
    aligner = Aligner(lexicon)
    aligner._dimension_counts = Counter((f.doc_id, f.kind, f.dimension) for f in facts)
    index: dict[str, int] = {}
    docs = np.array([index.setdefault(f.doc_id, len(index)) for f in facts], dtype=np.int64)
    _, idf, table = aligner._read_corpus(facts, _PairInputs(docs), jobs)
    aligned = [i for i, f in enumerate(facts) if not aligner._never_aligned(f)]
    assert len(aligned) < len(facts)
    alone = aligner._score_table([facts[i] for i in aligned], idf)
    assert [_table_row(table, i) for i in aligned] == [_table_row(alone, r) for r in range(len(aligned))]
    for i in aligned:
        view = aligner._view(facts[i], idf)
        assert table.norm[i] == view.norm and table.entity_sum[i] == view.entity_sum
        assert _table_row(table, i)[6] == list(view.vector.items())
    rows = [_table_row(table, i) for i in aligned]
    assert any(row[0][3] for row in rows) and any(row[0][8] for row in rows)  # (periods, plain figures)
    assert any(row[9] for row in rows) and any(
        len(row[6]) < len(facts[i].context.keywords) for i, row in zip(aligned, rows, strict=True)
    )


def test_blocking_keeps_scored_pairs_near_linear(lexicon):
    """Doubling the facts roughly doubles the scored pairs; all-pairs would quadruple them."""
    small, large = _synthetic(2000), _synthetic(4000)
    aligner = Aligner(lexicon)
    s = aligner.align(small).stats
    big = aligner.align(large).stats
    all_pairs_small = len(small) * (len(small) - 1) // 2
    assert s.candidate_pairs < all_pairs_small / 20
    assert big.candidate_pairs / s.candidate_pairs < 2.6


def test_blocks_scored_in_small_batches_give_the_same_alignment(lexicon, monkeypatch):
    """Blocks are compared a batch at a time, each keeping only its facts' best pairs, and what
    is kept is cut down again as it grows: that must never lose a pair the whole run keeps,
    whatever the sizes, with one worker or two."""
    import factcheck.align as align_module

    facts = _synthetic(1500)
    config = AlignConfig(max_candidates_per_fact=3)  # small enough to cut pairs in every batch
    whole = Aligner(lexicon, config).align(facts)
    assert whole.stats.shortlisted_pairs > 1000
    for batch, uncut, jobs in [(1, 1, 1), (500, 2_000, 1), (5_000, 10**9, 2)]:
        monkeypatch.setattr(align_module, "_PAIRS_PER_BATCH", batch)
        monkeypatch.setattr(align_module, "_PAIRS_KEPT_UNCUT", uncut)
        monkeypatch.setattr(align_module, "_PARALLEL_MIN_PAIRS", 100)
        again = Aligner(lexicon, config).align(facts, jobs=jobs)
        assert again.pair_scores == whole.pair_scores
        assert [c.facts for c in again.clusters] == [c.facts for c in whole.clusters]


def test_components_clustered_in_several_processes_give_the_same_alignment(lexicon, monkeypatch):
    """Each connected component of strong links is clustered by one of `jobs` processes, which
    scores the pairs its groups ask for: the clusters, their mean scores and the pair scores
    must be those of one process clustering them all."""
    import factcheck.align as align_module

    facts = _synthetic(1500)
    whole = Aligner(lexicon).align(facts)
    monkeypatch.setattr(align_module, "_PARALLEL_MIN_LINKS", 10)
    for jobs in (2, 3):
        again = Aligner(lexicon).align(facts, jobs=jobs)
        assert again.pair_scores == whole.pair_scores
        assert [(c.facts, c.score) for c in again.clusters] == [(c.facts, c.score) for c in whole.clusters]
    assert sum(len(c.facts) > 2 for c in whole.clusters) > 20  # groups that had to ask for pairs


def test_blocks_shared_among_processes_give_the_same_pairs(lexicon, monkeypatch):
    """An archive's block keys are worked out in runs of facts, and its blocks compared in runs,
    one per process, the pairs each keeps cut down to each fact's best together: the shortlist,
    scores and clusters must be those of one process doing it all, with the cut biting (few
    candidates per fact, small batches) and with a focus (pairs with a focus fact only)."""
    import factcheck.align as align_module

    facts = _synthetic(1500)
    config = AlignConfig(max_candidates_per_fact=3)
    focus = {f.doc_id for f in facts[::50]}
    shortlists: list[tuple[list[int], list[int], list[int]]] = []
    original = Aligner._score

    def recording(self, facts, pairs, idf, stats, jobs=1, table=None):
        shortlists.append((pairs.lo.tolist(), pairs.hi.tolist(), pairs.ratio.tolist()))
        return original(self, facts, pairs, idf, stats, jobs, table)

    monkeypatch.setattr(Aligner, "_score", recording)
    monkeypatch.setattr(align_module, "_PAIRS_PER_BATCH", 500)
    whole = [Aligner(lexicon, config).align(facts), Aligner(lexicon, config).align(facts, focus=focus)]
    alone = list(shortlists)
    monkeypatch.setattr(align_module, "_PARALLEL_MIN_BLOCK_PAIRS", 0)
    monkeypatch.setattr(align_module, "_PARALLEL_MIN_FACTS", 0)
    for jobs in (2, 3):
        shortlists.clear()
        again = [
            Aligner(lexicon, config).align(facts, jobs=jobs),
            Aligner(lexicon, config).align(facts, focus=focus, jobs=jobs),
        ]
        assert shortlists == alone
        for a, b in zip(again, whole, strict=True):
            assert a.pair_scores == b.pair_scores
            assert [(c.facts, c.score) for c in a.clusters] == [(c.facts, c.score) for c in b.clusters]
    # the cut bit: some fact had more candidates than it keeps
    assert whole[0].stats.candidate_pairs > whole[0].stats.shortlisted_pairs
    assert len(alone[0][0]) > 100 and whole[1].clusters


def test_contexts_shared_by_many_facts_give_the_same_alignment(lexicon):
    """A warm run shares one context object among the facts of every document that reprints a
    sentence, and works out what comes of a context (or of two) once: the scores and clusters
    must be those of the same facts with a context object each."""
    import copy
    from dataclasses import replace

    rng = random.Random(3)
    originals = _synthetic(120, seed=5)
    facts = []
    for n in range(600):  # five reprints of each sentence, each with its own figure and source
        f = rng.choice(originals)
        facts.append(
            replace(f, id=f"r{n}", doc_id=f"reprint{n}", value=quantity_fact("x", rng.randint(1, 9)).value)
        )
    shared = Aligner(lexicon).align(facts)
    apart = Aligner(lexicon).align([replace(f, context=copy.copy(f.context)) for f in facts])
    assert len({id(f.context) for f in facts}) < len(facts) / 3
    assert shared.pair_scores == apart.pair_scores
    assert [[f.id for f in c.facts] for c in shared.clusters] == [
        [f.id for f in c.facts] for c in apart.clusters
    ]
    assert shared.clusters


def test_counts_of_other_things_are_told_apart_before_scoring_as_the_scorer_would(lexicon):
    """The pairs dropped uncompared as counts of different things are exactly the count pairs
    whose nouns the scorer vetoes: known nouns of different classes, never a generic noun, "people"
    against a human noun, two unknown nouns, or a fact that names its thing."""
    from dataclasses import replace

    import numpy as np

    from factcheck.align import _PairInputs

    nouns = ["home", "people", "patient", "vehicle", "figure", "station", "stop", "house", "homes", None]
    facts = []
    for n, noun in enumerate(nouns * 3):
        f = quantity_fact(f"d{n}", 10 + n, noun=noun)
        if n % 7 == 3:  # a fact that names its thing ("the Kestrel vehicle")
            f = replace(f, context=replace(f.context, names=("kestrel",)))
        facts.append(f)
    facts.append(date_fact("dd", "2024-01-01"))
    lo, hi = np.triu_indices(len(facts), k=1)
    lo, hi = lo.astype(np.int64), hi.astype(np.int64)
    aligner = Aligner(lexicon)
    aligner._idf(facts)
    inputs = _PairInputs(np.arange(len(facts), dtype=np.int64))
    aligner._fill_inputs(inputs, np.arange(len(facts)), facts)
    vetoed = aligner._counts_of_other_things(lo, hi, inputs)
    expected = []
    for i, j in zip(lo.tolist(), hi.tolist(), strict=True):
        a, b = facts[i], facts[j]
        plain = all(f.kind == "count" and f.context.noun and not f.context.names for f in (a, b))
        expected.append(plain and aligner.noun_agreement(a, b) == 0.0)
    assert vetoed.tolist() == expected
    assert 0 < sum(expected) < len(expected)
    for i, j in zip(lo[vetoed].tolist(), hi[vetoed].tolist(), strict=True):
        assert aligner.score_pair(facts[i], facts[j], 50.0, {}) == 0.0


def test_counts_of_other_things_never_take_a_facts_candidate_places(lexicon):
    """A fact's pairs are fully scored only with its few most similar contexts; counts of other
    things in the same story ("12 vehicles" beside "12 homes") are more similar than a paraphrase
    but can never be the same fact, so they must not take the paraphrase's place."""
    words = ("fire", "destroy", "home")
    vehicles = [
        quantity_fact(f"v{n}", 40, noun="vehicle", keywords=(*words, "north", "south")) for n in range(2)
    ]
    north = quantity_fact("a", 40, keywords=(*words, "north"))
    south = quantity_fact("b", 40, keywords=(*words, "south"))
    aligner = Aligner(lexicon)
    assert aligner.noun_agreement(north, vehicles[0]) == 0.0
    facts = [*vehicles, north, south]
    assert aligned(lexicon, *facts, max_candidates_per_fact=2) == [["a", "b"], ["v0", "v1"]]


def test_facts_sharing_no_key_but_their_kind_are_compared_in_a_small_corpus(lexicon):
    """Two wordings of one figure may share no noun, verb or name; while the corpus is small,
    every fact of a kind and unit is compared, and in an archive that block drops out."""
    a = quantity_fact(
        "a",
        2.9e9,
        kind="money",
        dimension="EUR",
        noun="contract",
        triggers=("deliver",),
        entities=("line",),
        keywords=("metro", "deliver"),
    )
    b = quantity_fact(
        "b",
        3.4e9,
        kind="money",
        dimension="EUR",
        noun=None,
        triggers=("pay",),
        entities=("valdessa",),
        keywords=("railway", "auditor"),
    )
    assert Aligner(lexicon).align([a, b]).stats.candidate_pairs == 1
    small = AlignConfig(max_kind_block_size=1, only_kinds=())
    assert Aligner(lexicon, small).align([a, b]).stats.candidate_pairs == 0


def test_alignment_focused_on_one_document_finds_its_clusters_of_a_whole_run():
    """`factcheck ci` aligns only around the changed documents; on a corpus this size that
    must give exactly the clusters of a whole-corpus run that hold the document's facts."""
    extraction = api.extract([REPO / "corpus"])
    whole = api.align(extraction.facts, extraction.documents)
    assert whole.clusters
    for document in extraction.documents:
        focused = api.align(extraction.facts, extraction.documents, focus={document.id})
        expected = [c for c in whole.clusters if any(f.doc_id == document.id for f in c.facts)]
        assert [c.facts for c in focused.clusters] == [c.facts for c in expected], document.id
        assert focused.stats.scored_pairs <= whole.stats.scored_pairs


def test_features_computed_ahead_give_the_same_alignment():
    """`ci` computes context features and the word counts of the stored facts while a worker
    parses the new documents; alignment must come out the same as computing everything itself,
    whatever the facts counted ahead turn out to be."""
    from factcheck.align import ContextFeatures

    extraction = api.extract([REPO / "corpus"])
    facts = list(extraction.facts)
    lexicon = api._lexicon(api.load_rules(()))
    half = len(facts) // 2
    for ahead_facts, aligned_facts in [
        (facts, facts),  # everything counted ahead
        (facts[:half], facts),  # the new facts come last
        (facts[half:], facts),  # the new facts come first
        (facts[::2], facts),  # new facts in between
        (facts, facts[1:]),  # one counted fact is not in the run (a rule dropped it)
        (facts[::-1], facts),  # another order
    ]:
        features = ContextFeatures(lexicon)
        features.prepare(ahead_facts)
        ahead = Aligner(lexicon, features=features).align(aligned_facts)
        again = Aligner(lexicon).align(aligned_facts)
        assert ahead.pair_scores == again.pair_scores
        assert [c.facts for c in ahead.clusters] == [c.facts for c in again.clusters]
        assert ahead.clusters


@settings(max_examples=200, deadline=None)
@given(
    ends=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 40)), min_size=1, max_size=150),
    jobs=st.integers(1, 5),
)
def test_pairs_are_sliced_into_at_most_jobs_slices_that_take_each_pair_once(ends, jobs):
    """Scoring is shared out in slices of the pairs (sorted by their first fact): they must take
    in every pair once, in order, with no empty slice and no more slices than processes."""
    import numpy as np

    from factcheck.align import _slices_of_even_work

    lo = np.array(sorted(x for x, _ in ends), dtype=np.int64)
    hi = lo + np.array([d for _, d in ends], dtype=np.int64)
    bounds = _slices_of_even_work(lo, hi, jobs)
    assert bounds[0] == 0 and bounds[-1] == lo.size
    assert bounds == sorted(set(bounds))  # (no empty slice)
    assert len(bounds) - 1 <= jobs


def test_slices_of_pairs_even_out_the_facts_each_process_views():
    """The first pairs of an archive reach facts all over it, the last ones only the facts after
    them: slices of even numbers of pairs give the first process more facts to view, so the
    first slice takes fewer pairs."""
    import numpy as np

    from factcheck.align import _slices_of_even_work

    rng = np.random.default_rng(3)
    lo = np.sort(rng.integers(0, 20_000, 200_000))
    hi = lo + 1 + (rng.random(lo.size) * (20_000 - lo)).astype(np.int64)  # anywhere after it
    middle = _slices_of_even_work(lo, hi, 2)[1]
    assert middle < lo.size // 2

    def facts(x: int, y: int) -> int:
        return np.unique(np.concatenate([lo[x:y], hi[x:y]])).size

    by_pairs = abs(facts(0, lo.size // 2) - facts(lo.size // 2, lo.size))
    assert abs(facts(0, middle) - facts(middle, lo.size)) < by_pairs


@settings(max_examples=200, deadline=None)
@given(
    found=st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 100)), min_size=1, max_size=120
    ),
    k=st.integers(0, 6),
    split=st.integers(0, 31),
)
def test_each_facts_most_similar_pairs_are_chosen_as_by_sorting_them(found, k, split):
    """`_top_pairs` against the plain definition: a pair is kept when it is among the k most
    similar pairs of one of its facts (ties: the other fact with the lower index); and the pairs
    two ranges of facts choose, each given the pairs that touch it, are those."""
    import numpy as np

    from factcheck.align import _top_pairs, _unique_pairs

    similarity = {}
    for x, y, sim in found:
        if x != y:
            similarity.setdefault((min(x, y), max(x, y)), sim)
    if not similarity:
        return
    lo, hi = (np.array(v, dtype=np.int64) for v in zip(*similarity, strict=True))
    sims = np.array(list(similarity.values()), dtype=np.uint8)
    shuffled = np.random.default_rng(0).permutation(lo.size)
    pairs = _unique_pairs(
        np.concatenate([lo[shuffled], lo]),
        np.concatenate([hi[shuffled], hi]),
        np.concatenate([sims[shuffled], sims]),
        31,
    )
    assert sorted(zip(pairs.lo.tolist(), pairs.hi.tolist(), pairs.ratio.tolist(), strict=True)) == sorted(
        (x, y, s) for (x, y), s in similarity.items()
    )
    assert list(zip(pairs.lo.tolist(), pairs.hi.tolist(), strict=True)) == sorted(similarity)
    chosen = _top_pairs(pairs.lo, pairs.hi, pairs.ratio, k)
    best = set()
    for fact in range(31):
        mine = sorted(
            (-s, y if x == fact else x, (x, y)) for (x, y), s in similarity.items() if fact in (x, y)
        )
        best.update(pair for *_, pair in (mine if k == 0 else mine[:k]))
    kept = {
        p
        for p, c in zip(zip(pairs.lo.tolist(), pairs.hi.tolist(), strict=True), chosen.tolist(), strict=True)
        if c
    }
    assert kept == best
    by_ranges = set()
    for first, last in ((0, split), (split, 31)):
        touching = ((pairs.lo >= first) & (pairs.lo < last)) | ((pairs.hi >= first) & (pairs.hi < last))
        lo_t, hi_t = pairs.lo[touching], pairs.hi[touching]
        mask = _top_pairs(lo_t, hi_t, pairs.ratio[touching], k, within=(first, last))
        by_ranges.update(zip(lo_t[mask].tolist(), hi_t[mask].tolist(), strict=True))
    assert by_ranges == best
