"""Decide which facts from different documents state the same thing.

Three steps, as record-linkage tools such as Splink do it:

1. **Block**: each fact gets a few keys (kind + dimension + counted noun,
   + trigger class, + its rarest entities); only facts sharing a key are ever
   compared, and keys shared by too many facts are dropped as uninformative,
   so the number of scored pairs grows near-linearly with the corpus.
2. **Score** candidate pairs: rapidfuzz over the context strings (vectorised
   with `process.cpdist` over batches of blocks) picks each fact's most similar
   candidates, which are then scored on the agreement of counted noun, trigger,
   entities and keywords, with vetoes for what can never be the same fact (a
   part against its total, different anchor years).
3. **Cluster** with average linkage, so that a chain of weak links never glues
   unrelated facts together.
"""

from __future__ import annotations

import calendar
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

import numpy as np
from rapidfuzz import fuzz, process

from factcheck.align_bounds import (
    SAME_WORD_LETTERS,
    SAME_WORD_RATIO,
    Lists,
    ScoreBounds,
    TableColumns,
    signature,
)
from factcheck.arrays import Ids, by_distinct_pairs, components, distinct
from factcheck.blocking import NO_RANK, BlockInputs, blocks_of
from factcheck.collector import collector_paused
from factcheck.compare import CompareConfig, _bounds, compatible
from factcheck.forked import forked_map
from factcheck.lexicon import Lexicon
from factcheck.models import DateSpan, DateValue, Fact, FactCluster, FactContext, QuantityValue

_NO_WORDS: frozenset[str] = frozenset()
_UNSEEN = object()
# noun, trigger, context, entities and agent agreement; None where a side says nothing
_Evidence = tuple[float | None, float | None, float, float, float | None]

# the evidence `Aligner.features` names, in the order of `Aligner._evidence`
_EVIDENCE = ("noun", "trigger", "context", "entities", "agent")


@dataclass(frozen=True)
class Weights:
    """How much each kind of evidence counts; the four weights sum to 1."""

    noun: float
    trigger: float
    context: float
    entities: float


@dataclass(frozen=True)
class AlignConfig:
    """Weights and thresholds of alignment. These defaults are the product's;
    configuration files may override any of them."""

    threshold: float = 0.45
    # numbers are identified by what they count; dates by the event they date
    quantity_weights: Weights = field(default_factory=lambda: Weights(0.35, 0.25, 0.25, 0.15))
    date_weights: Weights = field(default_factory=lambda: Weights(0.0, 0.45, 0.25, 0.30))
    # multipliers for explicit mismatches: different event words, different subjects,
    # different measured things (for counts a different noun is a veto)
    trigger_mismatch_penalty: float = 1.0
    # how much two different event words agree: news varies its verbs ("detained" / "arrested",
    # "scorched" / "burned"), so a difference outside the lexicon is weak evidence against
    trigger_mismatch_value: float = 0.15
    # a target or forecast against an outcome ("aiming to reach 4.5 million" / "reached 4.23 million")
    modality_mismatch_penalty: float = 0.5
    agent_mismatch_penalty: float = 0.6
    # an increment ("2,000 additional workers", "500 more troops") against a figure that is not
    increment_mismatch_penalty: float = 0.6
    # the whole of "62 of the 150 seats" against a figure not said to be a whole
    total_mismatch_penalty: float = 0.7
    noun_mismatch_penalty: float = 0.7
    # two figures said to hold for the same month or day are likely one fact
    shared_period_boost: float = 1.25
    # a figure that is the only one of its kind and unit in each document (the one mass, the one
    # sum in euros): a story rarely gives two without saying which is which
    only_measure_boost: float = 1.25
    only_kinds: tuple[str, ...] = ("quantity", "money", "percent")
    only_excluded_dimensions: tuple[str, ...] = ()
    # two figures that can both be true: a little more likely one fact
    agreement_boost: float = 1.3
    # a named thing ("the 2017 Serra Vella fire") against a document that never names it
    unnamed_penalty: float = 0.6
    # two figures more than this ratio apart are rarely one fact misreported
    magnitude_ratio: float = 10.0
    magnitude_penalty: float = 0.5
    # below the ratio above: no penalty up to `magnitude_near`, then falling (in log ratio) to the floor
    magnitude_near: float = 2.0
    magnitude_floor: float = 0.7
    # a fact pinned to a year other than its source's publication year, against an unpinned one
    unanchored_penalty: float = 0.75
    # two dates far apart are more likely two events than one event misdated:
    # no penalty up to the first gap (days), falling linearly to the floor at the second
    date_gap_days: tuple[int, int] = (7, 60)
    date_gap_floor: float = 0.6
    # the same for two years given as years, in years
    year_gap: tuple[int, int] = (2, 20)
    # a date already past in an earlier document against one still to come in a later one
    past_then_future_penalty: float = 0.6
    # context similarity: this share from the IDF-weighted cosine of context words,
    # the rest from rapidfuzz's token_set_ratio of the context strings
    cosine_share: float = 1.0
    # entity agreement: this share from containment (overlap / smaller set), the rest Jaccard
    entity_containment: float = 0.5
    # counts of different nouns never align (else the noun mismatch only weighs against)
    count_noun_veto: bool = True
    noun_match_ratio: float = 85.0
    # agreement of two different counted nouns that the lexicon does not know
    unknown_noun_value: float = 0.25
    max_block_size: int = 400
    max_entity_keys: int = 3
    max_keyword_keys: int = 2
    max_keyword_block_size: int = 40
    max_kind_block_size: int = 60
    max_cluster_size: int = 50
    # a fact's pairs fully scored: its most similar contexts among its candidates (0: all)
    max_candidates_per_fact: int = 20
    # a fact joins a group when its best link reaches the threshold and its mean link
    # reaches this share of it
    linkage_slack: float = 0.5
    within_document: bool = False
    # dates of statements ("said on Tuesday") are compared only when asked for
    align_reporting_dates: bool = False
    # minimum context similarity below which a pair is not worth a full score
    prefilter_context: float = 20.0


@dataclass
class AlignStats:
    facts: int = 0
    blocks: int = 0
    candidate_pairs: int = 0  # pairs sharing a block whose contexts were compared (rapidfuzz)
    shortlisted_pairs: int = 0  # of those, each fact's most similar
    scored_pairs: int = 0  # of those, the ones that could reach the threshold, fully scored
    aligned_pairs: int = 0  # scored at or above the threshold


@dataclass
class Alignment:
    clusters: list[FactCluster]
    scored: _Scores | None = None  # the pairs scored before clustering (above 0)
    asked: dict[tuple[int, int], float] = field(default_factory=dict)  # and those clustering scored
    stats: AlignStats = field(default_factory=AlignStats)

    @cached_property
    def pair_scores(self) -> dict[tuple[int, int], float]:
        """The score of every pair scored, by (lower, higher) fact index: made when first asked
        for (an archive's run scores millions of pairs, and the report reads none of them)."""
        found = self.scored.as_dict() if self.scored is not None else {}
        found.update(self.asked)
        return found


@dataclass(slots=True, eq=False)
class _ContextRecord:
    """Everything `ContextFeatures` knows of one context. What every stored fact of a run needs
    (its words, for their frequencies; its keys) is worked out at once; what only the facts
    near a change need (the context string, the words in order without repeats) on first use."""

    context: FactContext  # kept, so that its id is never reused while this record lives
    trigger_classes: list[str]
    concepts: tuple[str, ...]
    entities: frozenset[str]
    # entities and concepts, each once: what document frequencies count (a tuple: an archive has
    # a record per fact, and a set of a few words takes six times the memory)
    words: tuple[str, ...]
    subject_events: frozenset[str]
    base: str | None = None  # the kind and unit the static keys below were made under
    static_keys: list[str] = field(default_factory=list)
    distinct: tuple[str, ...] | None = None  # see `ContextFeatures.distinct_concepts`
    uses: int = 0  # the facts counted with this context (more than one: a reprinted sentence)
    # `Aligner._context_keys` of the last run: (its entity ranks, its word ranks, base, keys)
    keys_in_run: tuple[object, object, str, list[str]] | None = None
    string: str | None = None  # see `ContextFeatures.string`
    suffix_ids: tuple[int, ...] | None = None  # see `ContextFeatures.static_suffix_ids`


@dataclass(slots=True, init=False, eq=False)
class _FactView:
    """What scoring reads of one fact, worked out once per fact and run. Scoring is the inner
    loop of alignment, and a fact is in up to `max_candidates_per_fact` pairs and more: its
    sets, event classes and weighted words are built once, not once per pair."""

    fact: Fact
    kind: str
    dimension: str | None
    context: FactContext
    context_id: int
    shared: bool  # its context is another fact's too (see `Aligner._evidence`)
    names: frozenset[str]  # the names on its noun
    who: frozenset[str]  # whose figure it is: its subject and those names
    who_long: tuple[str, ...]  # the words of `who`, and of its entities and keywords, of five
    context_long: tuple[str, ...] | None  # letters or more (worked out when first asked for)
    events: tuple[str, ...]  # event classes (see `Aligner.event_classes`), nearest first
    event_words: tuple[str, ...]
    first_senses: frozenset[str]  # the senses of the nearest event word
    subject_events: frozenset[str]
    exclusive: bool  # the nearest event class is one of a group of exclusive ones
    exclusive_group: str | None
    direction: str | None  # of a change: "up" or "down"
    only: bool  # the only figure of its kind and unit in its document (see `_only_one`)
    published: DateSpan | None
    doc_id: str
    short_anchors: tuple[DateSpan, ...]  # the anchors of a month or a day
    pins: tuple[DateSpan, ...]  # all its anchors
    magnitude: float | None
    ahead: bool  # a date still to come when its document appeared
    past: bool  # a date already past when its document appeared
    future: bool
    idf: dict[str, float] | None  # the IDF table of the weights below
    vector: dict[str, float]
    norm: float
    entities: tuple[str, ...]  # each once, in order
    entity_set: frozenset[str]
    entity_sum: float  # the IDF of its entities


class _Concepts(dict[str, str]):
    """Each context word's concept (see `Aligner.concepts`), worked out on first sight: a corpus
    repeats its words, and this is asked for every word of every stored fact."""

    def __init__(self, lexicon: Lexicon, not_events: frozenset[str]) -> None:
        super().__init__()
        self.nouns, self.triggers, self.keep = lexicon.noun_class, lexicon.trigger_class, not_events

    def __missing__(self, word: str) -> str:
        cls = self.nouns.get(word)
        if cls is None:
            cls = self.triggers.get(word)
            if cls in self.keep:
                cls = None
        self[word] = concept = cls or word
        return concept


class ContextFeatures:
    """What alignment derives from a fact's context alone (its words with synonyms folded, its
    context string, its event classes, the block keys that depend on neither corpus nor
    document), computed once per context object.

    A stored fact and its placed copy in a run share one context, so these can be computed
    before the run's list of facts exists: `factcheck ci` computes them for the stored facts
    while a worker parses the new documents (`prepare`), and alignment then finds them done."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        # trigger classes that are not events: statements, and (for figures) levels
        self.not_events_of_dates = frozenset(lexicon.reporting_classes)
        self.not_events = self.not_events_of_dates | {"level"}
        self._records: dict[int, _ContextRecord] = {}  # by id of the context
        self._concept_of = _Concepts(lexicon, self.not_events)
        self.suffixes = Ids()  # the static block keys' suffixes (see `static_suffixes`), by id
        self._suffix_ids_of: dict[tuple[str | None, tuple[str, ...], frozenset[str]], tuple[int, ...]] = {}
        # the contexts `prepare` counted, in order, and their entity and word counts
        self._counted: tuple[list[FactContext], Counter[str], Counter[str]] | None = None

    def prepare(self, facts: Iterable[Fact]) -> None:
        """Compute everything per context for `facts` now, when the caller has time to spare,
        with what they contribute to the corpus's word frequencies (`counts`): the stored facts
        of a run, in its order, while the new documents are parsed."""
        static_keys = self.static_keys
        contexts = []
        for fact in facts:
            static_keys(fact.context, f"{fact.kind}|{fact.dimension}")
            contexts.append(fact.context)
        entities: Counter[str] = Counter()
        words: Counter[str] = Counter()
        self._count(contexts, entities, words)
        self._counted = (contexts, entities, words)

    def counts(self, facts: Sequence[Fact]) -> tuple[Counter[str], Counter[str]]:
        """How many of `facts` have each entity, and each entity or word: `prepare`'s counts
        plus those of the facts it did not see (the new documents'). It saw a subsequence of
        `facts`, in order, when the run's facts are its facts with new ones put in; otherwise
        (a rule dropped some) everything is counted again."""
        entities: Counter[str] = Counter()
        words: Counter[str] = Counter()
        counted = self._counted
        if counted is not None:
            seen, entities, words = counted[0], counted[1].copy(), counted[2].copy()
            fresh = []
            n = 0
            for fact in facts:
                if n < len(seen) and fact.context is seen[n]:
                    n += 1
                else:
                    fresh.append(fact)
            if n == len(seen):
                facts = fresh
            else:
                entities, words = Counter(), Counter()
        self._count([fact.context for fact in facts], entities, words)
        return entities, words

    def _count(self, contexts: list[FactContext], entities: Counter[str], words: Counter[str]) -> None:
        """Add the contexts' entities and words to the counts, and count each context's uses.
        (The words are counted a hundred thousand at a time: `Counter.update` costs a Python
        call per use, which for an archive's million contexts costs more than the counting.)"""
        record = self.record
        some_entities: list[str] = []
        some_words: list[str] = []
        for ctx in contexts:
            found = record(ctx)
            found.uses += 1
            some_entities += found.entities
            some_words += found.words
            if len(some_words) >= 100_000:
                entities.update(some_entities)
                words.update(some_words)
                some_entities.clear()
                some_words.clear()
        entities.update(some_entities)
        words.update(some_words)

    def record(self, ctx: FactContext) -> _ContextRecord:
        hit = self._records.get(id(ctx))
        if hit is not None and hit.context is ctx:
            return hit
        found = self._records[id(ctx)] = self._new_record(ctx)
        return found

    def read(self, ctx: FactContext) -> _ContextRecord:
        """The context's record, not kept when it was not already: a pass over an archive's
        facts that needs each record once (in a process of its own) then allocates and frees
        one record at a time, not a million."""
        hit = self._records.get(id(ctx))
        if hit is not None and hit.context is ctx:
            return hit
        return self._new_record(ctx)

    def _new_record(self, ctx: FactContext) -> _ContextRecord:
        triggers = self.lex.trigger_class
        trigger_classes = [triggers.get(t, t) for t in ctx.triggers]
        concepts = tuple(map(self._concept_of.__getitem__, ctx.keywords))
        # event classes named by the nouns the fact is about ("the roof collapse on the night
        # of August 17 became ..."): the event as a noun rather than a verb
        about = (*ctx.agent, *ctx.modifiers, *((ctx.noun,) if ctx.noun else ()))
        # (most contexts name no event as a noun: they share one empty set)
        named = [triggers[w] for w in about if w in triggers]
        subject_events = frozenset(named) if named else _NO_WORDS
        entities = frozenset(ctx.entities)
        words = tuple(dict.fromkeys((*ctx.entities, *concepts)))
        return _ContextRecord(ctx, trigger_classes, concepts, entities, words, subject_events)

    def distinct_concepts(self, ctx: FactContext) -> tuple[str, ...]:
        """The context's concepts in order, each once."""
        found = self.record(ctx)
        if found.distinct is None:
            found.distinct = tuple(dict.fromkeys(found.concepts))
        return found.distinct

    def string(self, ctx: FactContext) -> str:
        """The context as a string for rapidfuzz: counted noun, event words, modifiers, keywords."""
        return self.string_of(self.record(ctx))

    @staticmethod
    def string_of(found: _ContextRecord) -> str:
        """`string` of the context of a record."""
        if found.string is None:
            ctx = found.context
            words = (*(w for w in (ctx.noun, *ctx.triggers[:2]) if w), *ctx.modifiers, *ctx.keywords)
            found.string = " ".join(words)
        return found.string

    def static_suffixes(
        self, noun: str | None, trigger_classes: Sequence[str], subject_events: frozenset[str]
    ) -> list[str]:
        """The block keys from the counted noun and the event classes, after the kind and unit."""
        keys = []
        if noun:
            keys.append(f"n:{self.lex.noun_class.get(noun, noun)}")
        keys += [f"t:{t}" for t in dict.fromkeys(trigger_classes[:2])]
        keys += [f"t:{t}" for t in sorted(subject_events)]  # "pledges totalled"
        return list(dict.fromkeys(keys))

    def static_suffix_ids(self, found: _ContextRecord) -> tuple[int, ...]:
        """The ids in `suffixes` of the context's `static_suffixes`."""
        if found.suffix_ids is None:
            # (the same for every context with the same noun and event classes: a few hundred)
            read = (found.context.noun, tuple(found.trigger_classes[:2]), found.subject_events)
            ids = self._suffix_ids_of.get(read)
            if ids is None:
                named = self.static_suffixes(*read)
                ids = self._suffix_ids_of[read] = tuple(map(self.suffixes.__getitem__, named))
            found.suffix_ids = ids
        return found.suffix_ids

    def _static_keys(
        self, ctx: FactContext, base: str, trigger_classes: list[str], subject_events: frozenset[str]
    ) -> list[str]:
        """Block keys under `base` (kind and unit) from the counted noun and the event classes."""
        return [
            f"{base}|{suffix}" for suffix in self.static_suffixes(ctx.noun, trigger_classes, subject_events)
        ]

    def static_keys(self, ctx: FactContext, base: str) -> list[str]:
        found = self.record(ctx)
        if found.base == base:
            return found.static_keys
        keys = self._static_keys(ctx, base, found.trigger_classes, found.subject_events)
        if found.base is None:  # (one context under two kinds or units: the first is remembered)
            found.base, found.static_keys = base, keys
        return keys


class Aligner:
    def __init__(
        self,
        lexicon: Lexicon,
        config: AlignConfig | None = None,
        published: dict[str, DateSpan | None] | None = None,
        doc_words: Mapping[str, frozenset[str]] | None = None,
        features: ContextFeatures | None = None,
    ) -> None:
        self.lex = lexicon
        self.config = config or AlignConfig()
        self.published = published or {}
        self.doc_words = doc_words or {}
        # features computed earlier are used only when they were computed with this lexicon
        self.by_context = (
            features if features is not None and features.lex is lexicon else ContextFeatures(lexicon)
        )
        self.compare_config = CompareConfig()
        # what scoring reads of each fact, by id of the fact (see `_FactView`)
        self._views: dict[int, _FactView] = {}
        # `_context_evidence` by (context ids, kind, unit) of contexts several facts have, for the
        # IDF table `_memo_idf`
        self._by_contexts: dict[tuple[int, int, str, str | None], _Evidence | None] = {}
        self._memo_idf: dict[str, float] | None = None
        self._own_senses: dict[str, frozenset[str]] = {}  # of words the lexicon gives no senses
        # what views share: event words and classes, by the words; subjects, by agent and names
        self._shared_events: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # and by what they are worked out from in a run: (a date?, modifiers, triggers)
        self._events_read: dict[
            tuple[bool, tuple[str, ...], tuple[str, ...]], tuple[tuple[str, ...], tuple[str, ...]]
        ] = {}
        self._shared_who: dict[
            tuple[tuple[str, ...], tuple[str, ...]], tuple[frozenset[str], tuple[str, ...]]
        ] = {}
        self._dimension_counts: Counter[tuple[str, str, str | None]] = Counter()
        self._not_events_of_dates = self.by_context.not_events_of_dates
        self._not_events = self.by_context.not_events
        # the context words that more than one fact has, rarest first
        self._shared_word_rank: dict[str, int] = {}

    # ---- features ----------------------------------------------------------

    def trigger_class(self, fact: Fact) -> str | None:
        trig = fact.context.trigger
        if trig is None:
            return None
        return self.lex.trigger_class.get(trig, trig)

    def trigger_classes(self, fact: Fact) -> list[str]:
        return self.by_context.record(fact.context).trigger_classes

    def event_classes(self, fact: Fact) -> tuple[str, ...]:
        """Trigger classes that say what happened: not "said", and for figures not the
        verbs that only state a level ("totalled", "stood at", "reached")."""
        return self._view(fact).events

    def event_words(self, fact: Fact) -> tuple[str, ...]:
        """The event words of `event_classes`, as lemmas, nearest first."""
        return self._view(fact).event_words

    def _events(self, fact: Fact) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The fact's event words and classes, one pair of tuples shared by every fact with the
        same ones (an archive's facts have a few hundred: one each would be a million)."""
        ctx = fact.context
        read = (fact.kind == "date", ctx.modifiers, ctx.triggers)  # (all that the words depend on)
        found = self._events_read.get(read)
        if found is not None:
            return found
        skip = self._not_events_of_dates if read[0] else self._not_events
        classes = self.lex.trigger_class
        # a participle on the counted noun is the nearest event: "410 people injured"
        described = [m for m in ctx.modifiers if m in classes]
        words = tuple(t for t in dict.fromkeys((*described, *ctx.triggers)) if classes.get(t, t) not in skip)
        found = self._shared_events.get(words)
        if found is None:
            found = self._shared_events[words] = (words, tuple(classes.get(t, t) for t in words))
        self._events_read[read] = found
        return found

    def concepts(self, fact: Fact) -> tuple[str, ...]:
        """Context words with synonyms folded together ("crowd" and "spectators", "peaked" and
        "crested"), so that two wordings of one fact share their words. Reporting verbs and
        level verbs keep their own lemma: folding "rose" into "fell" would hide a difference."""
        return self.by_context.record(fact.context).concepts

    def _view(self, fact: Fact, idf: dict[str, float] | None = None) -> _FactView:
        """The fact's `_FactView` (with its words weighted by `idf`, when given)."""
        view = self._views.get(id(fact))
        if view is None or view.fact is not fact:
            view = self._views[id(fact)] = self._make_view(fact)
        if idf is not None and view.idf is not idf:
            self._weigh(view, idf)
        return view

    def _make_view(self, fact: Fact) -> _FactView:
        ctx = fact.context
        found = self.by_context.record(ctx)
        view = _FactView()
        view.fact, view.kind, view.dimension, view.context = fact, fact.kind, fact.dimension, ctx
        view.context_id, view.shared = id(ctx), found.uses > 1
        # (an archive's facts each have a view while it is aligned: no set is made for nothing)
        view.names = frozenset(ctx.names) if ctx.names else _NO_WORDS
        if ctx.agent or ctx.names:  # (one set per subject, shared by the facts that have it)
            found_who = self._shared_who.get((ctx.agent, ctx.names))
            if found_who is None:
                who = frozenset((*ctx.agent, *ctx.names))
                found_who = self._shared_who[ctx.agent, ctx.names] = (
                    who,
                    tuple(w for w in who if len(w) >= SAME_WORD_LETTERS),
                )
            view.who, view.who_long = found_who
        else:
            view.who, view.who_long = _NO_WORDS, ()
        view.context_long = None
        view.entity_set = found.entities
        # (a fact's entities are nearly always distinct: the context's own tuple then serves)
        distinct = len(found.entities) == len(ctx.entities)
        view.entities = ctx.entities if distinct else tuple(dict.fromkeys(ctx.entities))
        words, classes = self._events(fact)
        view.events, view.event_words = classes, words
        view.first_senses = self._senses(words[0]) if words else _NO_WORDS
        view.subject_events = found.subject_events
        group = self.lex.exclusive_classes
        view.exclusive = bool(classes) and classes[0] in group
        view.exclusive_group = group.get(classes[0]) if classes else None
        view.direction = self._direction(fact) if ctx.role == "change" else None
        view.only = self._only_one(fact)
        view.published = published = self.published.get(fact.doc_id)
        view.doc_id = fact.doc_id
        anchors = ctx.anchors
        view.short_anchors = tuple(x for x in anchors if (x.end - x.start).days < 40) if anchors else ()
        view.pins = ctx.anchors + ctx.identity_anchors
        value = fact.value
        view.magnitude = _magnitude(value) if isinstance(value, QuantityValue) else None
        span = value.span if isinstance(value, DateValue) else None
        view.ahead = span is not None and published is not None and span.end > published.end
        view.past = span is not None and published is not None and span.end < published.start
        view.future = span is not None and published is not None and span.start > published.end
        view.idf = None
        return view

    def _weigh(self, view: _FactView, idf: dict[str, float]) -> None:
        """The view's IDF-weighted context vector, its norm, and the IDF its entities add up to."""
        concepts = self.by_context.record(view.context).concepts
        # (a word said once weighs its IDF: the table's own float, not a copy per fact)
        get = idf.get
        view.vector = vector = {w: get(w, 1.0) for w in concepts}
        if len(vector) < len(concepts):  # a word said twice or more
            view.vector = vector = {
                w: get(w, 1.0) if c == 1 else c * get(w, 1.0) for w, c in Counter(concepts).items()
            }
        view.norm = math.sqrt(sum(x * x for x in vector.values()))
        view.entity_sum = sum(idf.get(e, 1.0) for e in view.entities)
        view.idf = idf

    def _senses(self, word: str) -> frozenset[str]:
        senses = self.lex.trigger_senses.get(word)
        if senses is None:  # (one set per word, not one per fact that uses it)
            senses = self._own_senses.get(word)
            if senses is None:
                senses = self._own_senses[word] = frozenset((word,))
        return senses

    def subject_events(self, fact: Fact) -> frozenset[str]:
        """Event classes named by the nouns the fact is about: see `ContextFeatures`."""
        return self.by_context.record(fact.context).subject_events

    def trigger_agreement(self, a: Fact, b: Fact) -> float | None:
        """1 when the nearest event words mean the same, 0.7 when any on the path do or
        when one fact's event is named as a noun in the other's sentence ("collapsed on
        Monday" / "the collapse on August 17"), `trigger_mismatch_value` when both name
        events the lexicon tells apart, None when a side names none, names only a general
        verb ("took", "saw"), or (for figures) both name verbs the lexicon does not know."""
        return self._trigger_agreement(self._view(a), self._view(b))

    def _trigger_agreement(self, a: _FactView, b: _FactView) -> float | None:
        ta, tb = a.events, b.events
        if not ta or not tb:
            # "donors pledged $1.35 billion" / "pledges totalled $1.53 billion"
            if (ta and ta[0] in b.subject_events) or (tb and tb[0] in a.subject_events):
                return 1.0
            return None
        if ta[0] == tb[0] or not a.first_senses.isdisjoint(b.first_senses):
            return 1.0
        if any(t in tb for t in ta):
            return 0.7
        if ta[0] in b.subject_events or tb[0] in a.subject_events:
            return 0.7
        weak = self.lex.weak_triggers
        wa, wb = a.event_words[0], b.event_words[0]
        if wa in weak or wb in weak:
            return None
        if a.kind != "date" and wa not in self.lex.trigger_class and wb not in self.lex.trigger_class:
            # two verbs the lexicon does not know ("encrypted" / "scrambled"); a date is
            # defined by its event, so there a different verb still counts against
            return None
        return self.config.trigger_mismatch_value

    def agent_agreement(self, a: Fact, b: Fact) -> float | None:
        """Whether the subjects the facts are about share a word, allowing for inflection
        ("Kelvoria" and "Kelvorian authorities"); None when a side has none."""
        return self._agent_agreement(self._view(a), self._view(b))

    @staticmethod
    def _agent_agreement(a: _FactView, b: _FactView) -> float | None:
        # whose figure it is: the subject ("the Greens won 17 seats") or the name on the noun
        # ("the Civic Alliance's 64 seats")
        xa, xb = a.who, b.who
        if not xa or not xb:
            return None
        if not xa.isdisjoint(xb) or _similar_words(a.who_long, b.who_long):
            return 1.0
        # one sentence's subject named elsewhere in the other ("Kelvoria shut the crossing" /
        # "the crossing, which Kelvoria closed"): the parse found another subject, not another owner
        cb, ca = b.context, a.context
        if (
            not (xa.isdisjoint(cb.entities) and xa.isdisjoint(cb.keywords))
            or not (xb.isdisjoint(ca.entities) and xb.isdisjoint(ca.keywords))
            or _similar_words(a.who_long, _context_long(b))
            or _similar_words(b.who_long, _context_long(a))
        ):
            return None
        return 0.0

    def noun_agreement(self, a: Fact, b: Fact) -> float | None:
        """1 for the same counted thing, 0 for different ones, None when a side has no noun."""
        return self._noun_agreement(self._view(a), self._view(b))

    def _noun_agreement(self, a: _FactView, b: _FactView) -> float | None:
        na, nb = a.context.noun, b.context.noun
        if not na or not nb:
            # "the main building covers 38,000 square metres" / "at 48,000 square metres,
            # the main building ...": one names the thing as the subject, the other as the noun
            noun, other = (na, b) if na else (nb, a)
            if noun and any(self._same_noun(noun, w) for w in other.context.agent):
                return 1.0
            return None
        if na in b.names or nb in a.names:
            return 1.0  # "the Kestrel satellite" / "Kestrel": the name stands for the thing
        return self._nouns_agreement(na, nb)

    def _nouns_agreement(self, na: str, nb: str) -> float | None:
        """`_noun_agreement` of two counted nouns, neither of them a name the other fact gives."""
        generic = self.lex.generic_nouns
        if na in generic or nb in generic:
            return None  # "the figure", "the total": says nothing of what is counted
        if self._same_noun(na, nb):
            return 1.0
        people = self.lex.people_nouns
        if na in people or nb in people:
            # "people" can be any people ("1,420 people were enrolled" / "1,240 patients"),
            # but never homes
            other = nb if na in people else na
            other_class = self.lex.noun_class.get(other)
            if other_class is None or other_class in self.lex.human_classes:
                return None
        if na not in self.lex.noun_class and nb not in self.lex.noun_class:
            # two nouns the lexicon does not know ("station" / "stop", "cruise" / "journey"):
            # they may be synonyms, so the difference is weak evidence, not a veto
            return self.config.unknown_noun_value
        return 0.0

    def _same_noun(self, na: str, nb: str) -> bool:
        if na == nb or self.lex.noun_class.get(na, na) == self.lex.noun_class.get(nb, nb):
            return True
        # "memoranda"/"memorandums", "quake"/"earthquake"
        return fuzz.ratio(na, nb) >= self.config.noun_match_ratio or (
            min(len(na), len(nb)) >= 4 and (na.endswith(nb) or nb.endswith(na))
        )

    def context_string(self, fact: Fact) -> str:
        return self.by_context.string(fact.context)

    def block_keys(self, fact: Fact, entity_rank: Mapping[str, int]) -> list[str]:
        """`entity_rank`: the corpus's entities, rarest first (see `_rarest_first`)."""
        base = f"{fact.kind}|{fact.dimension}"
        keys = self._context_keys(fact.context, base, entity_rank)
        # every fact of a kind and unit, as one block, compared in full only while that block is
        # small (a story's handful of documents); in an archive it exceeds the cap and drops out
        if self._only_one(fact):
            return [*keys, f"{base}|only", f"{base}|*"]  # the one mass of each story: `_only_one`
        return [*keys, f"{base}|*"]

    def _context_keys(self, ctx: FactContext, base: str, entity_rank: Mapping[str, int]) -> list[str]:
        """The block keys that come from the context (noun, events, rarest entities and words):
        once per context and run, since a context reprinted in many documents has them all."""
        found = self.by_context.record(ctx)
        memo = found.keys_in_run
        if (
            memo is not None
            and memo[0] is entity_rank
            and memo[1] is self._shared_word_rank
            and memo[2] == base
        ):
            return memo[3]
        keys = self.by_context.static_keys(ctx, base).copy()
        keys += [f"{base}|e:{e}" for e in self._rare_entities(ctx, entity_rank)]
        keys += [f"{base}|k:{w}" for w in self._rare_words(ctx)]
        keys = list(dict.fromkeys(keys))
        if found.uses > 1:  # (kept only where another fact will ask: no memory spent otherwise)
            found.keys_in_run = (entity_rank, self._shared_word_rank, base, keys)
        return keys

    def _rare_entities(self, ctx: FactContext, entity_rank: Mapping[str, int]) -> Sequence[str]:
        entities = ctx.entities
        if len(entities) > self.config.max_entity_keys:
            return sorted(entities, key=entity_rank.__getitem__)[: self.config.max_entity_keys]
        return entities

    def _rare_words(self, ctx: FactContext) -> list[str]:
        """The rarest words of its context that it shares with some other fact: two wordings of
        one fact that share neither noun, verb nor name still share "Cape Vell" or "manifest"."""
        shared_rank = self._shared_word_rank
        shared = [w for w in self.by_context.distinct_concepts(ctx) if w in shared_rank]
        if len(shared) > self.config.max_keyword_keys:
            shared.sort(key=shared_rank.__getitem__)
        return shared[: self.config.max_keyword_keys]

    # ---- scoring -----------------------------------------------------------

    def _idf(self, facts: Sequence[Fact]) -> tuple[Counter[str], dict[str, float]]:
        """Document frequency of entities (for blocking) and inverse frequency of every
        context word, so that rare words ("damaged", "capacity") count for more."""
        df, words = self.by_context.counts(facts)
        n = max(len(facts), 1)
        self._shared_word_rank = _rarest_first({w: c for w, c in words.items() if c > 1})
        return df, {w: _inverse_frequency(n, c) for w, c in words.items()}

    def keyword_cosine(self, a: Fact, b: Fact, idf: dict[str, float]) -> float:
        """IDF-weighted cosine of the two facts' context words, synonyms folded."""
        return self._cosine(self._view(a, idf), self._view(b, idf))

    @staticmethod
    def _cosine(a: _FactView, b: _FactView) -> float:
        if not a.norm or not b.norm:
            return 0.0
        wa, wb = a.vector, b.vector
        if len(wb) < len(wa):
            wa, wb = wb, wa
        dot = sum(x * wb[w] for w, x in wa.items() if w in wb)
        return dot / (a.norm * b.norm)

    def features(
        self, a: Fact, b: Fact, context_ratio: float, idf: dict[str, float]
    ) -> dict[str, float] | None:
        """Evidence that two facts state the same thing, or None when they cannot."""
        found = self._evidence(self._view(a, idf), self._view(b, idf), context_ratio)
        return None if found is None else dict(zip(_EVIDENCE, found, strict=True))

    def _evidence(
        self, a: _FactView, b: _FactView, context_ratio: float
    ) -> tuple[float, float, float, float, float] | None:
        """`features` as a tuple in the order of `_EVIDENCE` (a dictionary per pair costs)."""
        if a.kind != b.kind or a.dimension != b.dimension:
            return None
        if a.shared and b.shared and self.config.cosine_share == 1.0:
            # two contexts said in several documents (wire stories reprinted): what comes of the
            # contexts alone is worked out once per pair of them and IDF table
            if a.idf is not self._memo_idf:
                self._by_contexts.clear()
                self._memo_idf = a.idf
            key = (a.context_id, b.context_id, a.kind, a.dimension)
            found = self._by_contexts.get(key, _UNSEEN)
            if found is _UNSEEN:
                found = self._by_contexts[key] = self._context_evidence(a, b, context_ratio)
        else:
            found = self._context_evidence(a, b, context_ratio)
        if found is None:
            return None
        noun, trigger, context, entities, agent = found
        if a.only and b.only:
            # the one mass in each story: the dimension says what is measured, and the verb
            # ("released the 1,850-kilogram satellite", "carries 1,580 kg") says little
            noun = 1.0 if noun is None else noun
            trigger = None if trigger == 0.0 else trigger
        return (
            0.5 if noun is None else noun,
            0.4 if trigger is None else trigger,
            context,
            entities,
            -1.0 if agent is None else agent,
        )

    def _context_evidence(self, a: _FactView, b: _FactView, context_ratio: float) -> _Evidence | None:
        """The part of `_evidence` that comes of the two facts' contexts (and their kind) alone,
        with None for evidence a side lacks."""
        cfg = self.config
        ca, cb = a.context, b.context
        if (
            ca.role
            and cb.role
            and ca.role != cb.role
            and not ({ca.role, cb.role} == {"from", "to"} and self._same_period(a, b))
        ):
            # "eight of 34 provinces": the part is not the total; "from 4.50% to 4.75%": the old
            # level is not the new one, unless both are said of the same month ("in September")
            return None
        if (a.pins or b.pins) and (
            self._anchors_disagree(ca.anchors, cb.anchors)
            or self._anchors_disagree(ca.identity_anchors, cb.identity_anchors)
            or self._named_before(ca.identity_anchors, cb.anchors)
            or self._named_before(cb.identity_anchors, ca.anchors)
        ):
            return None  # "58.7% in 2019" is not this year's turnout; the 2011 quake is not this one
        noun = self._noun_agreement(a, b)
        if noun == 0.0 and a.kind == "count" and cfg.count_noun_veto:
            return None  # counts of different things
        if self._exclusive_events(a, b):
            return None  # killed 12, injured 40: two counts, not one
        if a.direction is not None and b.direction is not None and a.direction != b.direction:
            return None  # "shares rose 3.2%" is not "shares have fallen 7%"
        if ca.qualifiers != cb.qualifiers:
            return None  # "including debt, £2.9 billion" is another measure than "£2.4 billion"
        if ca.entities or cb.entities:
            # IDF-weighted overlap, between Jaccard and containment: a short sentence that
            # names two of a long sentence's six entities is still about them
            sa, sb, weight = a.entity_sum, b.entity_sum, a.idf.get  # type: ignore[union-attr]
            small, other = (
                (b.entities, a.entity_set)
                if len(b.entities) < len(a.entities)
                else (a.entities, b.entity_set)
            )
            inter = sum(weight(e, 1.0) for e in small if e in other)
            union = sa + sb - inter
            smaller = min(sa, sb)
            jaccard = inter / union if union else 0.0
            containment = inter / smaller if smaller else 0.0
            entities = (1 - cfg.entity_containment) * jaccard + cfg.entity_containment * containment
        else:
            entities = 0.5
        trigger = self._trigger_agreement(a, b)
        agent = self._agent_agreement(a, b)
        if noun == 1.0 and (ca.attributive or cb.attributive):
            # "a 90-day truce" / "a two-month truce": the noun says what the figure is; the
            # sentence around it (who observes it, what it settles) is about the truce
            agent = None
            trigger = None if trigger is not None and trigger < 0.7 else trigger
        share = cfg.cosine_share
        context = (1 - share) * context_ratio / 100.0 + (share * self._cosine(a, b) if share else 0.0)
        return noun, trigger, context, entities, agent

    def score_pair(self, a: Fact, b: Fact, context_ratio: float, idf: dict[str, float]) -> float:
        """Similarity in [0, 1] of what two facts are about; 0 when they cannot be the same fact."""
        return self._score_views(self._view(a, idf), self._view(b, idf), context_ratio)

    def _score_views(self, a: _FactView, b: _FactView, context_ratio: float) -> float:
        found = self._evidence(a, b, context_ratio)
        if found is None:
            return 0.0
        noun, trigger, context, entities, agent = found
        cfg = self.config
        w = cfg.date_weights if a.kind == "date" else cfg.quantity_weights
        score = w.noun * noun + w.trigger * trigger + w.context * context + w.entities * entities
        ca, cb = a.context, b.context
        # explicit disagreement on what the fact is about weighs more than missing evidence
        if trigger == cfg.trigger_mismatch_value:
            score *= cfg.trigger_mismatch_penalty
        if ca.irrealis != cb.irrealis and not (a.ahead and b.ahead):
            # (two dates still to come when written are both plans, however worded:
            # "expected to open in 2031" / "scheduled to open in 2032")
            score *= cfg.modality_mismatch_penalty
        if (ca.role == "increment") != (cb.role == "increment"):
            score *= cfg.increment_mismatch_penalty
        if (ca.role == "total") != (cb.role == "total"):
            score *= cfg.total_mismatch_penalty
        if agent == 0.0:
            score *= cfg.agent_mismatch_penalty
        if noun == 0.0:
            score *= cfg.noun_mismatch_penalty
        if self._anchored_elsewhere(a, b) or self._anchored_elsewhere(b, a):
            score *= cfg.unanchored_penalty
        if self._named_elsewhere(a, b) or self._named_elsewhere(b, a):
            score *= cfg.unnamed_penalty
        if a.short_anchors and b.short_anchors and self._same_period(a, b):
            score = min(1.0, score * cfg.shared_period_boost)
        if a.only and b.only:
            score = min(1.0, score * cfg.only_measure_boost)
        if cfg.agreement_boost != 1.0 and compatible(a.fact, b.fact, self.compare_config):
            # equal figures are evidence of one fact (record linkage's agreement weight): between
            # "£2.4 billion" and "£2.4 billion" and "£2.9 billion", the equal pair is the likelier
            score = min(1.0, score * cfg.agreement_boost)
        if a.kind == "date":
            score *= self._date_gap_factor(a.fact, b.fact)
            if self._past_then_future(a, b) or self._past_then_future(b, a):
                score *= cfg.past_then_future_penalty
        else:
            score *= self._magnitude_factor(a.magnitude, b.magnitude)
        return score

    def _only_one(self, fact: Fact) -> bool:
        """The fact is the only figure of its kind and unit (the one mass, the one sum in euros, the
        one percentage) in its document; two such facts of one kind and unit are likely one fact.
        Plain counts are too common to tell."""
        cfg = self.config
        return (
            fact.kind in cfg.only_kinds
            and fact.dimension not in cfg.only_excluded_dimensions
            and self._dimension_counts.get((fact.doc_id, fact.kind, fact.dimension)) == 1
        )

    def _magnitude_factor(self, xa: float | None, xb: float | None) -> float:
        """Reports of one figure that disagree are usually near each other (a typo, a
        transposition, another estimate); the further apart, the likelier two facts:
        1,284,000 votes and 51 seats are two facts, and so, probably, are 5,000 and 16,000."""
        if not xa or not xb or xa <= 0 or xb <= 0:
            return 1.0
        cfg = self.config
        ratio = max(xa, xb) / min(xa, xb)
        if ratio > cfg.magnitude_ratio:
            return cfg.magnitude_penalty
        near = cfg.magnitude_near
        if ratio <= near:
            return 1.0
        share = math.log(ratio / near) / math.log(cfg.magnitude_ratio / near)
        return 1.0 - (1.0 - cfg.magnitude_floor) * share

    @staticmethod
    def _past_then_future(a: _FactView, b: _FactView) -> bool:
        """`a` was already past when its document appeared, and `b` was still to come when
        its later document appeared: an event cannot happen again after it happened, so
        these are two events ("the first summit since 2016" / "the next summit, in 2026")."""
        return a.past and b.future and a.published.end <= b.published.start  # type: ignore[union-attr]

    def _date_gap_factor(self, a: Fact, b: Fact) -> float:
        va, vb = a.value, b.value
        if not isinstance(va, DateValue) or not isinstance(vb, DateValue) or not va.span or not vb.span:
            return 1.0
        gap = max((vb.span.start - va.span.end).days, (va.span.start - vb.span.end).days, 0)
        near, far = self.config.date_gap_days
        if min((va.span.end - va.span.start).days, (vb.span.end - vb.span.start).days) >= 364:
            # two years: "opened in 1987" against "opened in 1978" is a likely misprint
            gap = va.span.start.year - vb.span.start.year if gap else 0
            near, far = self.config.year_gap
            gap = abs(gap)
        if gap <= near:
            return 1.0
        floor = self.config.date_gap_floor
        return max(floor, 1.0 - (1.0 - floor) * (gap - near) / max(far - near, 1))

    @staticmethod
    def _anchors_disagree(xs: tuple[DateSpan, ...], ys: tuple[DateSpan, ...]) -> bool:
        """Anchors of the same role that cannot meet, compared at the coarser grain of the
        two: a year against a day compares years, a month against a day compares months."""

        def coarsen(span: DateSpan, grain: str) -> DateSpan:
            if grain == "year":
                return DateSpan(date(span.start.year, 1, 1), date(span.end.year, 12, 31))
            if grain == "month":
                last = calendar.monthrange(span.end.year, span.end.month)[1]
                return DateSpan(span.start.replace(day=1), span.end.replace(day=last))
            return span

        def grain(span: DateSpan) -> int:
            days = (span.end - span.start).days
            return 2 if days >= 300 else 1 if days >= 27 else 0

        names = ("day", "month", "year")
        for x in xs:
            for y in ys:
                if grain(x) == grain(y) == 0:
                    continue  # two days in a sentence are more often other events' dates than the fact's
                g = names[max(grain(x), grain(y))]
                if not coarsen(x, g).overlaps(coarsen(y, g)):
                    return True
        return False

    @staticmethod
    def _named_before(identity: tuple[DateSpan, ...], circumstances: tuple[DateSpan, ...]) -> bool:
        """The thing is named by a year before everything said to happen to the other fact:
        "the 2017 fire" did not start on August 5, 2024. (A later name is fine: "the 2025
        budget" is presented in 2024.)"""
        if not identity or not circumstances:
            return False
        return max(x.end.year for x in identity) < min(y.start.year for y in circumstances)

    def _is_reporting_date(self, fact: Fact) -> bool:
        """A date that says when something was said ("said on Tuesday") or which period a
        figure is for ("inflation stood at 4.2% in September"): not the date of an event.
        The figure's own fact carries that date as its anchor."""
        return self._reports(self.trigger_classes(fact))

    def _reports(self, classes: list[str]) -> bool:
        """`_is_reporting_date`, of a fact's trigger classes."""
        return bool(classes) and (classes[0] in self.lex.reporting_classes or classes[0] == "level")

    def _direction(self, fact: Fact) -> str | None:
        """Which way a change goes ("rose", "a cut"): "up", "down", or None when not said."""
        for word in (*fact.context.triggers[:1], fact.context.noun or ""):
            if word in self.lex.up_words:
                return "up"
            if word in self.lex.down_words:
                return "down"
        return None

    @staticmethod
    def _exclusive_events(a: _FactView, b: _FactView) -> bool:
        """Two events of a group that exclude each other ("killed" / "injured")."""
        return (
            a.exclusive
            and bool(b.events)
            and a.events[0] != b.events[0]
            and a.exclusive_group == b.exclusive_group
        )

    @staticmethod
    def _same_period(a: _FactView, b: _FactView) -> bool:
        """Both figures are said to hold for the same month or day ("in September")."""
        return any(x.overlaps(y) for x in a.short_anchors for y in b.short_anchors)

    def _named_elsewhere(self, a: _FactView, b: _FactView) -> bool:
        """`a` counts a named thing ("the Serra Vella fire") that `b`'s document never names."""
        names = a.names
        if not names:
            return False  # (most facts: the words of `b`'s document are then never needed)
        words = self.doc_words.get(b.doc_id)
        if words is None or not names.isdisjoint(b.names):
            return False
        return not any(n in words for n in names)

    @staticmethod
    def _anchored_elsewhere(a: _FactView, b: _FactView) -> bool:
        """`a` is pinned to a time that excludes the publication year of unpinned `b`."""
        if not a.pins or b.pins or b.published is None:
            return False
        year = b.published.start.year
        return not any(x.start.year <= year <= x.end.year for x in a.pins)

    # ---- the whole pass ---------------------------------------------------

    def align(self, facts: Sequence[Fact], focus: Collection[str] | None = None, jobs: int = 1) -> Alignment:
        """Cluster the facts that state the same thing.

        With `focus` (document ids: the documents a pull request adds or changes) only pairs
        with a focus fact are scored, plus the pairs among their candidates that could group
        those candidates before a focus fact joins them, and only clusters holding a focus fact
        are returned: a change costs its own comparisons, not a re-alignment of the corpus.
        """
        with collector_paused():  # features, blocks and scores of a whole corpus
            return self._align(facts, focus, jobs)

    def _align(self, facts: Sequence[Fact], focus: Collection[str] | None, jobs: int) -> Alignment:
        cfg = self.config
        stats = AlignStats(facts=len(facts))
        self._forget_facts()  # an earlier run's facts are never asked for again
        self._dimension_counts = Counter((f.doc_id, f.kind, f.dimension) for f in facts)
        focused = None if focus is None else [i for i, f in enumerate(facts) if f.doc_id in focus]
        doc_index: dict[str, int] = {}
        docs = np.array([doc_index.setdefault(f.doc_id, len(doc_index)) for f in facts], dtype=np.int64)
        inputs = _PairInputs(docs)
        table: ScoreBounds | None = None
        if focused is None:
            compared, idf, table = self._read_corpus(facts, inputs, jobs)
            pairs = self._block_pairs(compared, None, facts, inputs, stats, jobs, table)
            scored = self._score(facts, pairs, idf, stats, jobs, table)
        else:
            entity_df, idf = self._idf(facts)
            entity_rank = _rarest_first(entity_df)
            blocks, sizes, keys_of = self._blocks_around(facts, focused, entity_rank)

            def usable(members_of: dict[str, list[int]]) -> dict[str, np.ndarray]:
                # a block is compared in full only while the whole corpus's block is under its cap
                return {
                    key: np.array(members, dtype=np.int64)
                    for key, members in members_of.items()
                    if len(members) >= 2 and sizes.get(key, 0) <= self._cap(key)
                }

            in_focus = np.zeros(len(facts), dtype=bool)
            in_focus[focused] = True
            mine = set(blocks)
            compared = usable(blocks)
            # the bound's table of the facts compared (those compared again below among them)
            members = [*compared.values(), np.zeros(0, dtype=np.int64)]
            near_table = self._table_of(facts, distinct(np.concatenate(members), len(facts)), idf)
            pairs = self._block_pairs(compared, in_focus, facts, inputs, stats, jobs, near_table)
            scores = self._score(facts, pairs, idf, stats, jobs, near_table).as_dict()
            # A focus fact joins a group of old facts through a link strong enough to merge on;
            # such a group forms from its members' own links, so the links among the old facts
            # a focus fact could merge with are scored too (in the blocks they share with it),
            # as a whole-corpus run would score them: a change costs its neighbourhood, never a
            # re-alignment of the corpus.
            near: dict[str, list[int]] = defaultdict(list)
            for k in sorted({k for pair, s in scores.items() if s >= cfg.threshold for k in pair}):
                if not in_focus[k]:
                    for key in keys_of[k]:
                        if key in mine:
                            near[key].append(k)
            around = self._block_pairs(usable(near), None, facts, inputs, stats, jobs, near_table)
            scores.update(self._score(facts, around, idf, stats, jobs, near_table).as_dict())
            scored = _Scores.of(scores)
        clusters, asked = self._cluster(facts, scored, idf, inputs, jobs, table)
        if focused is not None:
            docs = {facts[i].doc_id for i in focused}
            clusters = [c for c in clusters if any(f.doc_id in docs for f in c.facts)]
        stats.aligned_pairs = int(np.count_nonzero(scored.value >= cfg.threshold)) + sum(
            1 for s in asked.values() if s >= cfg.threshold
        )
        self._forget_facts()  # (an archive's worth of views, not needed past this point)
        return Alignment(clusters, scored, asked, stats)

    def _forget_facts(self) -> None:
        """Drop what scoring worked out for a run's facts and contexts."""
        self._views.clear()
        self._by_contexts.clear()
        # (what views shared: it holds on to the run's contexts' word tuples)
        self._events_read.clear()
        self._shared_events.clear()
        self._shared_who.clear()

    def _read_corpus(
        self, facts: Sequence[Fact], inputs: _PairInputs, jobs: int = 1
    ) -> tuple[dict[str, np.ndarray], dict[str, float], ScoreBounds]:
        """Everything a whole-corpus run reads of each fact, read in one pass: the blocks worth
        comparing (two facts or more, none over its cap, each with its facts in order), the IDF
        of every context word, and the bound's table of every fact (row `i`: `facts[i]`). The
        blocks are those of the facts' `_aligned_keys`, worked out by numpy from word ids (see
        `blocking`); the IDF and the words' ranks those of `_idf`, counted by numpy. An archive's
        facts are read in runs across `jobs` processes (`_key_words`), whose ids are then put
        together; the runs also fill in `inputs` for every fact they align."""
        cfg = self.config
        words = Ids()
        suffixes = self.by_context.suffixes
        n = len(facts)
        runs = jobs if jobs > 1 and n >= _PARALLEL_MIN_FACTS else 1
        bounds = [n * k // runs for k in range(runs + 1)]
        found = forked_map(
            lambda run: self._key_words(facts, run, words, len(words), suffixes, len(suffixes)),
            list(itertools.pairwise(bounds)),
        )
        bases: Ids = Ids()
        tables = []
        for part in found:  # (ids the run made are the names it made them for)
            word_ids = _id_map(words, part.words_from, part.new_words)

            def again(ids: np.ndarray, word_ids: np.ndarray | None = word_ids) -> np.ndarray:
                return _mapped(word_ids, ids)

            part.entity_ids = again(part.entity_ids)
            part.counted, part.counted_entities = again(part.counted), again(part.counted_entities)
            part.static_ids = _mapped(
                _id_map(suffixes, part.suffixes_from, part.new_suffixes), part.static_ids
            )
            part.base = _mapped(_id_map(bases, 0, [f"{k}|{d}" for k, d in part.bases]), part.base)
            t = part.table
            tables.append(
                replace(
                    t,
                    concepts=Lists(t.concepts.sizes, again(t.concepts.ids)),
                    entities=Lists(t.entities.sizes, again(t.entities.ids)),
                    who=Lists(t.who.sizes, again(t.who.ids)),
                    around=Lists(t.around.sizes, again(t.around.ids)),
                )
            )
        names = list(words)
        base = np.concatenate([part.base for part in found])
        aligned = np.concatenate([part.aligned for part in found])
        filled = np.flatnonzero(aligned)
        inputs.texts[filled] = [text for part in found for text in part.texts]
        noun_ids = inputs.noun_ids
        inputs.nouns[filled] = [
            -1 if noun is None else noun_ids.setdefault(noun, len(noun_ids))
            for part in found
            for noun in part.nouns
        ]
        # document frequencies, as `ContextFeatures.counts` counts them
        counts = np.bincount(np.concatenate([part.counted for part in found]), minlength=len(names))
        entity_counts = np.bincount(
            np.concatenate([part.counted_entities for part in found]), minlength=len(names)
        )
        counted = np.flatnonzero(counts)
        weights = _inverse_frequencies(counts[counted], max(n, 1))
        idf_of_id = np.ones(len(names))
        idf_of_id[counted] = weights
        idf = dict(zip([names[i] for i in counted.tolist()], weights.tolist(), strict=True))
        columns = TableColumns.concatenate(tables, names)
        keys_of = BlockInputs(
            base=np.where(aligned, base, -1),
            only=np.concatenate([part.only for part in found]),
            entity_counts=np.concatenate([part.entity_counts for part in found]),
            entity_ids=np.concatenate([part.entity_ids for part in found]),
            word_counts=columns.concepts.sizes,  # (a fact never aligned has none)
            word_ids=columns.concepts.ids,
            static_counts=np.concatenate([part.static_counts for part in found]),
            static_ids=np.concatenate([part.static_ids for part in found]),
            base_names=list(bases),
            words=names,
            suffixes=list(suffixes),
        )
        blocks = blocks_of(
            keys_of,
            _rarest_ids(entity_counts, names, entity_counts > 0),
            _rarest_ids(counts, names, counts > 1),  # (the words more than one fact has)
            cfg.max_entity_keys,
            cfg.max_keyword_keys,
            self._cap,
            max(cfg.max_block_size, cfg.max_keyword_block_size, cfg.max_kind_block_size),
        )
        table = ScoreBounds(self, columns, idf_of_id, lambda row: self._view(facts[row], idf))
        return blocks, idf, table

    def _key_words(
        self,
        facts: Sequence[Fact],
        run: tuple[int, int],
        words: Ids,
        words_from: int,
        suffixes: Ids,
        suffixes_from: int,
    ) -> _KeyWords:
        """What the block keys of a run of facts come of, as ids; the words each fact counts for
        (`ContextFeatures.counts`); the bound's table rows (`_TableRows`); and the context string
        and plain counted noun (`_PairInputs`) of each fact aligned. Ids from `words_from` and
        `suffixes_from` on were made by the run, and are put in by name (`_read_corpus`)."""
        read, static_suffix_ids = self.by_context.read, self.by_context.static_suffix_ids
        string_of = self.by_context.string_of
        texts: list[str] = []
        nouns: list[str | None] = []
        never_aligned, only_one = self._never_aligned, self._only_one
        word = words.__getitem__
        bases: dict[tuple[str, str | None], int] = {}
        base, aligned, only = [], [], []
        entity_counts: list[int] = []
        entity_ids: list[int] = []
        static_counts: list[int] = []
        static_ids: list[int] = []
        counted: list[int] = []
        counted_entities: list[int] = []
        rows = _TableRows(self, words)
        # (the loop runs over every fact of the corpus: bound methods, and lists appended to)
        for i in range(*run):
            f = facts[i]
            ctx = f.context
            found = read(ctx)
            counted += map(word, found.words)
            counted_entities += map(word, found.entities)
            base.append(bases.setdefault((f.kind, f.dimension), len(bases)))
            if f.kind == "date" and never_aligned(f, found):
                aligned.append(False)
                only.append(False)
                entity_counts.append(0)
                static_counts.append(0)
                rows.skip(f)
                continue
            aligned.append(True)
            alone = only_one(f)
            only.append(alone)
            rows.add(f, found, alone)
            entity_counts.append(len(ctx.entities))
            entity_ids += map(word, ctx.entities)
            static = found.suffix_ids if found.suffix_ids is not None else static_suffix_ids(found)
            static_counts.append(len(static))
            static_ids += static
            texts.append(found.string if found.string is not None else string_of(found))
            nouns.append(_plain_noun(f))
        return _KeyWords(
            base=np.array(base, dtype=np.int64),
            aligned=np.array(aligned, dtype=bool),
            only=np.array(only, dtype=bool),
            entity_counts=np.array(entity_counts, dtype=np.int64),
            entity_ids=np.array(entity_ids, dtype=np.int64),
            static_counts=np.array(static_counts, dtype=np.int64),
            static_ids=np.array(static_ids, dtype=np.int64),
            bases=list(bases),
            words_from=words_from,
            new_words=list(itertools.islice(words, words_from, None)),
            suffixes_from=suffixes_from,
            new_suffixes=list(itertools.islice(suffixes, suffixes_from, None)),
            texts=texts,
            nouns=nouns,
            counted=np.array(counted, dtype=np.int64),
            counted_entities=np.array(counted_entities, dtype=np.int64),
            table=rows.columns(),
        )

    def _blocks_around(
        self, facts: Sequence[Fact], focused: list[int], entity_rank: Mapping[str, int]
    ) -> tuple[dict[str, list[int]], dict[str, int], dict[int, list[str]]]:
        """The blocks that hold a focus fact, each with every member it has in the corpus; their
        sizes; and the keys of every member. The same blocks a whole-corpus run builds, without
        computing every fact's keys: every key names the fact's kind and unit, and a fact can
        share one with a focus fact only through the same counted noun or event class, one of
        the focus fact's key entities or words, or the block of the whole kind and unit (which
        counts only while it is under its cap). So only the facts that pass those tests have
        their keys computed."""
        cfg = self.config
        keys_of = {i: self._aligned_keys(facts[i], entity_rank) for i in focused}
        mine = {key for keys in keys_of.values() for key in keys}
        bases: set[str] = set()
        names: set[str] = set()  # key entities and key words of the focus facts
        for i in focused:
            f = facts[i]
            if keys_of[i]:
                bases.add(f"{f.kind}|{f.dimension}")
                names.update(self._rare_entities(f.context, entity_rank))
                names.update(self._rare_words(f.context))
        whole: dict[str, list[int]] = defaultdict(list)  # base → its aligned facts, up to the cap
        whole_size: Counter[str] = Counter()
        only: dict[str, list[int]] = defaultdict(list)
        only_size: Counter[str] = Counter()
        record, static_keys = self.by_context.record, self.by_context.static_keys
        never_aligned, only_one = self._never_aligned, self._only_one
        candidates = []
        in_focus = set(focused)
        # (the loop runs over every fact of the corpus: bound methods and no needless calls)
        for i, f in enumerate(facts):
            base = f"{f.kind}|{f.dimension}"
            if base not in bases or i in in_focus or (f.kind == "date" and never_aligned(f)):
                continue
            size = whole_size[base] = whole_size[base] + 1
            if size <= cfg.max_kind_block_size:
                whole[base].append(i)
            if only_one(f):
                size = only_size[base] = only_size[base] + 1
                if size <= cfg.max_block_size:
                    only[base].append(i)
            ctx = f.context
            # (a context's words are its entities and its concepts)
            if not mine.isdisjoint(static_keys(ctx, base)) or not names.isdisjoint(record(ctx).words):
                candidates.append(i)
        for base, members in whole.items():
            if whole_size[base] <= cfg.max_kind_block_size and f"{base}|*" in mine:
                candidates += members
        for base, members in only.items():
            if only_size[base] <= cfg.max_block_size and f"{base}|only" in mine:
                candidates += members
        for i in candidates:
            if i not in keys_of:
                keys_of[i] = self.block_keys(facts[i], entity_rank)
        blocks: dict[str, list[int]] = defaultdict(list)
        for i in sorted(keys_of):
            for key in keys_of[i]:
                if key in mine:
                    blocks[key].append(i)
        sizes = {key: len(members) for key, members in blocks.items()}
        for base in bases:  # the blocks whose members were not all collected
            sizes[f"{base}|*"] = whole_size[base] + sum(1 for i in focused if f"{base}|*" in keys_of[i])
            sizes[f"{base}|only"] = only_size[base] + sum(1 for i in focused if f"{base}|only" in keys_of[i])
        return blocks, sizes, keys_of

    def _never_aligned(self, fact: Fact, found: _ContextRecord | None = None) -> bool:
        """(`found`: the record of its context, when at hand.)"""
        if fact.kind != "date":
            return False
        if fact.value.type == "date" and fact.value.span is None:
            return True  # an unresolved date can agree or disagree with nothing
        # "the ministry said on Tuesday": when a statement was made, not an event
        if self.config.align_reporting_dates:
            return False
        return self._reports(found.trigger_classes) if found is not None else self._is_reporting_date(fact)

    def _aligned_keys(self, fact: Fact, entity_rank: Mapping[str, int]) -> list[str]:
        """The fact's block keys, or none for a fact that is never aligned."""
        return [] if self._never_aligned(fact) else self.block_keys(fact, entity_rank)

    def _cap(self, key: str) -> int:
        """The largest block compared in full: a key shared by too many facts says nothing."""
        if key.endswith("|*"):
            return self.config.max_kind_block_size
        if "|k:" in key:
            return self.config.max_keyword_block_size
        return self.config.max_block_size

    def _block_pairs(
        self,
        blocks: dict[str, np.ndarray],
        rows_mask: np.ndarray | None,
        facts: Sequence[Fact],
        inputs: _PairInputs,
        stats: AlignStats,
        jobs: int = 1,
        table: ScoreBounds | None = None,
    ) -> _Pairs:
        """The pairs of facts sharing a block worth a full score, each once, with their context
        similarity: those among the `max_candidates_per_fact` most similar contexts of one of the
        two facts, of the pairs whose score could reach the threshold. In a story's corpus no
        fact has that many candidates; in an archive a fact shares its blocks with hundreds of
        others, and its own paraphrases are among its most similar ones. Most of those others
        are figures of other stories in the same place, whose score could never reach the
        threshold however alike their contexts (see `align_bounds`): they are told apart by the
        bound's `table` (of the blocks' facts at least) before any context is compared, and
        never take a paraphrase's place.

        With `rows_mask`, only pairs with a masked fact. An archive's blocks are shared out
        among `jobs` processes, in runs of blocks with even numbers of pairs, and the pairs each
        process keeps are cut down to each fact's best together (see `_pairs_of_blocks_run`):
        a pair outside a fact's k best among some pairs is outside its k best among all of them,
        so the pairs are the same whatever the number of processes."""
        if blocks:
            self._fill_inputs(inputs, distinct(np.concatenate(list(blocks.values())), len(facts)), facts)
        reach = self._reach(table) if table is not None else None
        # blocks by their first fact: the blocks of one story (its people, its places) then fall in
        # one batch, where a pair they share is compared once
        listed = []
        for key in sorted(blocks, key=lambda k: (int(blocks[k][0]), k)):
            members = blocks[key]
            rows = members if rows_mask is None else members[rows_mask[members]]
            if rows.size and members.size >= 2:
                listed.append((rows, members))
        weights = np.array([rows.size * members.size for rows, members in listed], dtype=np.int64)
        total = int(weights.sum())
        share_count = _share_count(jobs, total >= _PARALLEL_MIN_BLOCK_PAIRS)
        bounds = np.searchsorted(_even_shares(weights, share_count), np.arange(share_count + 1)).tolist()
        runs = [listed[a:b] for a, b in itertools.pairwise(bounds)]
        found = forked_map(
            lambda run: self._pairs_of_blocks_run(run, rows_mask is None, inputs, reach, share_count == 1),
            runs,
        )
        for _, run_stats in found:
            stats.blocks += run_stats.blocks
            stats.candidate_pairs += run_stats.candidate_pairs
        if len(found) == 1:
            return found[0][0]
        return self._best_of_runs([pairs for pairs, _ in found], int(inputs.docs.size), jobs)

    def _pairs_of_blocks_run(
        self,
        run: list[tuple[np.ndarray, np.ndarray]],
        ordered: bool,
        inputs: _PairInputs,
        reach: Callable[[np.ndarray, np.ndarray], np.ndarray] | None,
        threaded: bool,
    ) -> tuple[_Pairs, AlignStats]:
        """The best pairs of a run of blocks (`rows` x `members` each), with the blocks and
        candidate pairs counted. An archive has tens of thousands of blocks of a few dozen facts
        each, so blocks are taken together, a few hundred thousand pairs at a time: their pairs
        are listed by numpy and their contexts compared by one rapidfuzz call (`cpdist`, on
        several threads when `threaded`), each pair once however many blocks it shares. Each
        batch keeps only its facts' best pairs, and those kept are cut down again whenever they
        have tripled, so memory stays within a few times k pairs per fact."""
        stats = AlignStats()
        kept = _Pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint8))
        parts: list[_Pairs] = []
        pending = 0  # pairs in `parts`
        batch: list[tuple[np.ndarray, np.ndarray]] = []
        size = 0
        for block in [*run, None]:
            last = block is None
            if block is not None:
                stats.blocks += 1
                batch.append(block)
                size += block[0].size * block[1].size
            if batch and (size >= _PAIRS_PER_BATCH or last):
                found = self._compare_batch(batch, ordered, inputs, stats, reach, threaded)
                parts.append(found)
                pending += found.lo.size
                batch, size = [], 0
            if parts and (pending > max(2 * kept.lo.size, _PAIRS_KEPT_UNCUT) or last):
                kept = self._best_pairs([kept, *parts], int(inputs.docs.size))
                parts, pending = [], 0
        return kept, stats

    def _compare_batch(
        self,
        batch: list[tuple[np.ndarray, np.ndarray]],
        ordered: bool,
        inputs: _PairInputs,
        stats: AlignStats,
        reach: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
        threaded: bool = True,
    ) -> _Pairs:
        """The pairs of a batch of blocks (`rows` x `members` each) similar enough to be worth
        a score, each once, with their context similarity: its facts' best pairs. Counts of two
        different things are never one fact, nor are the pairs whose score could not reach the
        threshold (the mask `reach` gives), so they are dropped before their contexts are
        compared, and never take the place of a pair that can be."""
        cfg = self.config
        docs, texts = inputs.docs, inputs.texts
        ii, jj = _pairs_of_blocks(batch)
        keep = ii < jj if ordered else ii != jj
        if not cfg.within_document:
            keep &= docs[ii] != docs[jj]
        ii, jj = ii[keep], jj[keep]
        width = int(docs.size) + 1
        lo, hi = np.divmod(distinct(np.minimum(ii, jj) * width + np.maximum(ii, jj), width * width), width)
        keep = ~self._counts_of_other_things(lo, hi, inputs)
        lo, hi = lo[keep], hi[keep]
        stats.candidate_pairs += int(lo.size)
        if reach is not None:
            keep = reach(lo, hi)
            lo, hi = lo[keep], hi[keep]
        sims = process.cpdist(
            texts[lo],
            texts[hi],
            scorer=fuzz.token_set_ratio,
            dtype=np.uint8,
            workers=-1 if threaded and lo.size >= 20_000 else 1,  # threads pay off on many pairs
        )
        keep = sims >= cfg.prefilter_context
        lo, hi, sims = lo[keep], hi[keep], sims[keep]
        chosen = _top_pairs(lo, hi, sims, cfg.max_candidates_per_fact)
        return _Pairs(lo[chosen], hi[chosen], sims[chosen])

    def _reach(self, table: ScoreBounds) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        """The mask of the pairs of facts (lo[p], hi[p]) whose score could reach the threshold
        (`ScoreBounds.bound`), by the bound's `table` of every fact or of the few a focus run
        compares (the same rows, weighted by the corpus's IDF: the same pairs either way)."""
        threshold = self.config.threshold

        def reach(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
            a, b = table.rows(lo), table.rows(hi)
            mask = np.zeros(a.size, dtype=bool)
            for start in range(0, a.size, _EVALUATED_AT_ONCE):
                part = slice(start, start + _EVALUATED_AT_ONCE)
                mask[part] = table.bound(a[part], b[part]) >= threshold
            return mask

        return reach

    def _best_of_runs(self, parts: list[_Pairs], n: int, jobs: int) -> _Pairs:
        """`_best_pairs` of the pairs that as many processes kept, cut down in as many processes
        again, each for a range of the `n` facts: a fact's best pairs are among its own pairs (as
        either end), which its range's process has all of, and a pair is kept when the process
        of either end keeps it. (Each process's pairs are sorted by (lo, hi), and so are the
        pairs kept, which come together as runs.)"""
        k = self.config.max_candidates_per_fact
        ranges = max(min(jobs, len(parts)), 1)
        bounds = [n * j // ranges for j in range(ranges + 1)]

        def best_of_range(facts_range: tuple[int, int]) -> _Pairs:
            first, last = facts_range
            touching = [((p.lo >= first) & (p.lo < last)) | ((p.hi >= first) & (p.hi < last)) for p in parts]
            pairs = _pairs_together(
                [_Pairs(p.lo[t], p.hi[t], p.ratio[t]) for p, t in zip(parts, touching, strict=True)], n
            )
            chosen = _top_pairs(pairs.lo, pairs.hi, pairs.ratio, k, within=facts_range)
            return _Pairs(pairs.lo[chosen], pairs.hi[chosen], pairs.ratio[chosen])

        return _pairs_together(forked_map(best_of_range, list(itertools.pairwise(bounds))), n)

    def _best_pairs(self, parts: list[_Pairs], n: int) -> _Pairs:
        """The pairs of `parts`, each once, among either fact's `max_candidates_per_fact` most
        similar (ties: the lower index), sorted by (lo, hi)."""
        pairs = _pairs_together(parts, n)
        chosen = _top_pairs(pairs.lo, pairs.hi, pairs.ratio, self.config.max_candidates_per_fact)
        return _Pairs(pairs.lo[chosen], pairs.hi[chosen], pairs.ratio[chosen])

    def _score(
        self,
        facts: Sequence[Fact],
        pairs: _Pairs,
        idf: dict[str, float],
        stats: AlignStats,
        jobs: int = 1,
        table: ScoreBounds | None = None,
    ) -> _Scores:
        """Full scores of the pairs that could reach the threshold (those above 0), across `jobs`
        processes for large sets. The others are left for clustering to score if it needs them
        (see `align_bounds`). `table`: the bound's table of every fact, when it was read with the
        corpus, or of the facts a focus run compares (else one is made of the pairs' facts)."""
        stats.shortlisted_pairs += int(pairs.lo.size)
        kept, values = _score_in_parallel(self, facts, pairs, idf, jobs, table)
        stats.scored_pairs += int(kept.size)
        positive = values > 0
        return _Scores(pairs.lo[kept][positive], pairs.hi[kept][positive], values[positive])

    def _fill_inputs(self, inputs: _PairInputs, members: np.ndarray, facts: Sequence[Fact]) -> None:
        """Work out `inputs` for the facts of `members` that do not have them yet."""
        missing = members[inputs.nouns[members] == _NOT_YET].tolist()
        inputs.texts[missing] = [self.context_string(facts[i]) for i in missing]
        noun_ids = inputs.noun_ids
        inputs.nouns[missing] = [
            -1 if (noun := _plain_noun(facts[i])) is None else noun_ids.setdefault(noun, len(noun_ids))
            for i in missing
        ]

    def _score_some(
        self, facts: Sequence[Fact], pairs: _Pairs, idf: dict[str, float], table: ScoreBounds | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The positions in `pairs` of those whose bound reaches the threshold, and their scores:
        worked out by numpy for pairs of plain figures (see `align_bounds`), by `_score_views`
        for the others.

        The pairs are evaluated a slice at a time: the arrays of a slice are a few megabytes,
        which the allocator keeps and hands out again, where arrays of millions of pairs are
        each mapped afresh and their pages faulted in one by one."""
        if not pairs.lo.size:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if table is None:
            table = self._table_of(facts, distinct(np.concatenate([pairs.lo, pairs.hi]), len(facts)), idf)
        rows_a, rows_b = table.rows(pairs.lo), table.rows(pairs.hi)
        kept_parts, values_parts = [], []
        score, view_of, threshold = self._score_views, table.view_of, self.config.threshold
        for start in range(0, rows_a.size, _EVALUATED_AT_ONCE):
            part = slice(start, start + _EVALUATED_AT_ONCE)
            a, b, r = rows_a[part], rows_b[part], pairs.ratio[part]
            found = table.evaluate(a, b, r, ask_agents=threshold, scored_from=threshold)
            kept = np.flatnonzero(found.bound >= threshold)
            values = found.score[kept]
            open_ = np.flatnonzero(~found.exact[kept])  # (places in `kept`)
            rest = kept[open_]
            values[open_] = [
                score(view_of(i), view_of(j), x)
                for i, j, x in zip(
                    a[rest].tolist(), b[rest].tolist(), r[rest].astype(np.float64).tolist(), strict=True
                )
            ]
            kept_parts.append(kept + start)
            values_parts.append(values)
        return np.concatenate(kept_parts), np.concatenate(values_parts)

    def _table_of(self, facts: Sequence[Fact], used: np.ndarray, idf: dict[str, float]) -> ScoreBounds:
        """The bound's table of the facts `used` (indexes in `facts`, sorted), its rows found by
        their indexes."""
        row_of = np.full(len(facts), -1, dtype=np.int64)
        row_of[used] = np.arange(used.size)
        return self._score_table([facts[i] for i in used.tolist()], idf, row_of)

    def _score_table(
        self, facts: Sequence[Fact], idf: dict[str, float], row_of: np.ndarray | None = None
    ) -> ScoreBounds:
        """The bound's table of `facts` (row `r`: `facts[r]`), read here, fact by fact (`row_of`:
        see `ScoreBounds`)."""
        words = Ids()
        rows = _TableRows(self, words)
        record, only_one = self.by_context.record, self._only_one
        for f in facts:
            rows.add(f, record(f.context), only_one(f))
        columns = replace(rows.columns(), words=list(words))
        weights = np.array([idf.get(w, 1.0) for w in words], dtype=np.float64)
        return ScoreBounds(self, columns, weights, lambda row: self._view(facts[row], idf), row_of)

    def _counts_of_other_things(self, lo: np.ndarray, hi: np.ndarray, inputs: _PairInputs) -> np.ndarray:
        """Mask of the pairs that are counts of two different things ("12 homes" / "40 people"),
        which `_context_evidence` vetoes: told apart for all pairs at once, with the lexicon asked
        once per pair of nouns and run, so that an archive's many such pairs in a shared block
        (one town, one day, several figures) are never compared. A fact that names its thing is
        left to the scorer, which checks the names."""
        vetoed = np.zeros(lo.size, dtype=bool)
        if not self.config.count_noun_veto or lo.size == 0:
            return vetoed
        a, b = inputs.nouns[lo], inputs.nouns[hi]
        candidates = (a >= 0) & (b >= 0) & (a != b)
        if not candidates.any():
            return vetoed
        known, nouns = inputs.noun_vetoes, list(inputs.noun_ids)

        def two_things(x: int, y: int) -> bool:
            if (x, y) not in known:
                known[x, y] = self._nouns_agreement(nouns[x], nouns[y]) == 0.0
            return known[x, y]

        lower, upper = np.minimum(a, b)[candidates], np.maximum(a, b)[candidates]
        found, places = by_distinct_pairs(lower, upper, len(nouns), two_things)
        vetoed[candidates] = np.array(found, dtype=bool)[places]
        return vetoed

    def _scores_within_components(
        self, lo: np.ndarray, hi: np.ndarray, table: ScoreBounds, inputs: _PairInputs, scored: _Scores
    ) -> _Scores:
        """The scores the bound's table gives exactly of the pairs of facts of two documents
        within each connected component of the links (lo[p], hi[p]), for components of up to
        twice the largest group, but those `scored` already. A group only
        ever asks for pairs within its component, and an archive's groups ask for some hundreds
        of thousands of pairs that were never shortlisted: one call of numpy for them all, where
        a view of each fact and a Python score of each pair cost some twenty microseconds a pair.
        (Only when context similarity is the keyword cosine alone: else a pair's score reads
        rapidfuzz's ratio of the contexts, unrounded.)"""
        cfg = self.config
        n = int(inputs.docs.size)
        if cfg.cosine_share < 1 or lo.size == 0:
            return _Scores(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
        members = distinct(np.concatenate([lo, hi]), n)
        label = components(lo, hi, n)[members]
        order = np.argsort(label, kind="stable")  # (each component's facts stay in order)
        members, label = members[order], label[order]
        starts = np.flatnonzero(np.concatenate([[True], label[1:] != label[:-1]]))
        sizes = np.diff(np.append(starts, members.size))
        sizes[sizes > 2 * cfg.max_cluster_size] = 0  # (left to the scorer, pair by pair)
        # each fact with the facts after it in its component
        place = np.arange(members.size)
        after = np.repeat(starts + sizes, np.diff(np.append(starts, members.size))) - place - 1
        after = np.maximum(after, 0)
        first = np.repeat(place, after)
        second = first + 1 + np.arange(first.size) - np.repeat(np.cumsum(after) - after, after)
        a, b = members[first], members[second]
        keep = inputs.docs[a] != inputs.docs[b] if not cfg.within_document else np.ones(a.size, dtype=bool)
        if scored.lo.size:
            width = n + 1
            done = np.sort(scored.lo * width + scored.hi)
            keys = a * width + b
            place = np.minimum(np.searchsorted(done, keys), done.size - 1)
            keep &= done[place] != keys
        a, b = a[keep], b[keep]
        exact, score = np.zeros(a.size, dtype=bool), np.zeros(a.size)
        no_ratio = np.zeros(min(a.size, _EVALUATED_AT_ONCE), dtype=np.uint8)
        for start in range(0, a.size, _EVALUATED_AT_ONCE):
            part = slice(start, start + _EVALUATED_AT_ONCE)
            found = table.evaluate(a[part], b[part], no_ratio[: a[part].size], ask_agents=-math.inf)
            exact[part], score[part] = found.exact, found.score
        return _Scores(a[exact], b[exact], score[exact])

    def _restates(self, a: Fact, b: Fact) -> bool:
        """Two figures of one document that can be one fact said twice: compatible, and
        neither an open bound that would take in any larger figure."""
        if a.value == b.value:
            return True
        if not compatible(a, b, self.compare_config):
            return False
        for v in (a.value, b.value):
            if isinstance(v, QuantityValue) and (v.low is None or v.high is None):
                return False
        return True

    def _cluster(
        self,
        facts: Sequence[Fact],
        scored: _Scores,
        idf: dict[str, float],
        inputs: _PairInputs,
        jobs: int = 1,
        table: ScoreBounds | None = None,
    ) -> tuple[list[FactCluster], dict[tuple[int, int], float]]:
        """Greedy average-linkage: merge the best pairs first, and only while the
        clusters stay similar on average (pairs never scored are scored now, and returned).

        Groups only ever merge along a link that reaches the threshold, so each connected
        component of those links is clustered on its own, as if it were the whole corpus: an
        archive's components are shared out among `jobs` processes, each clustering its own and
        scoring the pairs they ask for, and the groups are the same whatever the number. Each
        process looks up the scores of its own components' pairs (a dictionary it makes of
        them), and with the bound's `table` of every fact, the pairs its groups can ask for are
        scored by numpy beforehand (`_scores_within_components`)."""
        lo, hi = _strongest_first(scored, self.config.threshold)
        groups: list[tuple[list[int], float]] = []
        asked: dict[tuple[int, int], float] = {}
        n = len(facts)
        shares, share_of = _component_shares(lo, hi, n, _share_count(jobs, lo.size >= _PARALLEL_MIN_LINKS))

        def cluster_share(k: int) -> tuple[list[tuple[list[int], float]], dict[tuple[int, int], float]]:
            mine = share_of[scored.lo] == k
            own = _Scores(scored.lo[mine], scored.hi[mine], scored.value[mine])
            return self._link(facts, own, idf, lo[shares[k]], hi[shares[k]], inputs, table)

        for found, new_scores in forked_map(cluster_share, list(range(len(shares)))):
            groups += found
            asked.update(new_scores)
        groups.sort()
        fact = facts.__getitem__
        out = [FactCluster(tuple(map(fact, ids)), mean) for ids, mean in groups]
        out.sort(key=lambda c: (c.facts[0].doc_id, c.facts[0].start))
        return out, asked

    def _link(
        self,
        facts: Sequence[Fact],
        scored: _Scores,
        idf: dict[str, float],
        links_lo: np.ndarray,
        links_hi: np.ndarray,
        inputs: _PairInputs,
        table: ScoreBounds | None = None,
    ) -> tuple[list[tuple[list[int], float]], dict[tuple[int, int], float]]:
        """The groups that the links (best first) make, each as its facts in order and the mean
        score of its pairs, and the scores of the pairs scored to make them (which `scored`, the
        pairs scored within the links' components, did not have)."""
        cfg = self.config
        # each fact's group (None: alone), by fact: a list, which a million lookups read faster
        # than a dictionary
        cluster_of: list[int | None] = [None] * len(facts)
        members: dict[int, list[int]] = {}
        # scores by pair, the pair (i, j), i < j, as the number i * width + j: a million of them
        # make a dictionary several times faster than of tuples, and are looked up as fast
        width = int(inputs.docs.size) + 1
        new_scores: dict[int, float] = {}
        scores = scored.by_number(width)
        known = (
            self._scores_within_components(links_lo, links_hi, table, inputs, scored).by_number(width)
            if table is not None
            else {}
        )
        doc_of = inputs.docs.tolist()

        def pair_score(i: int, j: int) -> float:
            # a document is taken to be consistent with itself: two of its facts that
            # disagree are two different facts, never one fact stated twice
            # (and a bound restating a figure is not enough: "at least seven" and "22" are
            # compatible, but a story that gives both is giving two figures)
            if doc_of[i] == doc_of[j] and not cfg.within_document and not self._restates(facts[i], facts[j]):
                return 0.0
            if j < i:
                i, j = j, i
            key = i * width + j
            found = scores.get(key)
            if found is None:
                found = known.get(key)
                if found is None:  # (scored as (lower, higher), as the table scores it)
                    a, b = facts[i], facts[j]
                    ratio = (
                        fuzz.token_set_ratio(self.context_string(a), self.context_string(b))
                        if cfg.cosine_share < 1
                        else 0.0  # (the context's similarity is then the keyword cosine alone)
                    )
                    found = self.score_pair(a, b, ratio, idf)
                scores[key] = new_scores[key] = found
            return found

        def linkable(group_i: list[int], group_j: list[int]) -> bool:
            # no veto between any two members, and similar enough on average: a looser
            # bar than the best link, so that a paraphrase joins the group it belongs to
            total = 0.0
            for x in group_i:
                for y in group_j:
                    link = pair_score(x, y)
                    if link <= 0.0:
                        return False
                    total += link
            return total / (len(group_i) * len(group_j)) >= cfg.threshold * cfg.linkage_slack

        # two groups that failed to link fail again until one of them grows: (id, size) names
        # a group's membership, as groups only ever grow and keep the smallest id
        refused: set[tuple[int, int, int, int]] = set()
        n = len(facts)
        # two facts alone join on their link, which reaches the threshold: linkable as it stands
        singles_join = cfg.threshold > 0 and cfg.linkage_slack <= 1 and cfg.max_cluster_size >= 2
        for i, j in zip(links_lo.tolist(), links_hi.tolist(), strict=True):
            ci, cj = cluster_of[i], cluster_of[j]
            if ci is None and cj is None and singles_join and doc_of[i] != doc_of[j]:
                members[i + n] = [i, j]
                cluster_of[i] = cluster_of[j] = i + n
                continue
            if ci is not None and ci == cj:
                continue
            group_i = members[ci] if ci is not None else [i]
            group_j = members[cj] if cj is not None else [j]
            if len(group_i) + len(group_j) > cfg.max_cluster_size:
                continue
            gi, gj = (ci if ci is not None else i + n), (cj if cj is not None else j + n)
            attempt = (
                (gi, len(group_i), gj, len(group_j)) if gi < gj else (gj, len(group_j), gi, len(group_i))
            )
            if attempt in refused:
                continue
            if not linkable(group_i, group_j):
                refused.add(attempt)
                continue
            new_id = min(ci if ci is not None else i + len(facts), cj if cj is not None else j + len(facts))
            merged = group_i + group_j
            for old in (ci, cj):
                if old is not None and old != new_id:
                    members.pop(old, None)
            members[new_id] = merged
            for x in merged:
                cluster_of[x] = new_id
        groups = []
        for ids in members.values():
            ids = sorted(ids)
            inner = [scores.get(x * width + y, 0.0) for n, x in enumerate(ids) for y in ids[n + 1 :]]
            groups.append((ids, round(sum(inner) / max(len(inner), 1), 4)))
        return groups, {divmod(key, width): value for key, value in new_scores.items()}


def _strongest_first(scored: _Scores, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """The pairs scored at least `threshold`, best first (ties: by the pair), sorted by numpy: an
    archive has millions of scores, and a sort key per pair costs a call and a tuple each."""
    strong = scored.value >= threshold
    lo, hi, values = scored.lo[strong], scored.hi[strong], scored.value[strong]
    order = np.lexsort((hi, lo, -values))
    return lo[order], hi[order]


def _component_shares(
    lo: np.ndarray, hi: np.ndarray, n: int, jobs: int
) -> tuple[list[np.ndarray], np.ndarray]:
    """The links (lo[p], hi[p]) shared out among `jobs` by connected component, in even shares of
    links: masks of the links of each share, in the links' order, and the share of each of the
    `n` facts (that of its component; any share for a fact in no link). The components are dealt
    in a scrambled order of their smallest fact, not in that order: a component whose smallest
    fact comes early is more often one that spans stories, whose groups ask for more pairs."""
    if jobs <= 1:
        return [np.ones(lo.size, dtype=bool)], np.zeros(n, dtype=np.int64)
    label = components(lo, hi, n)
    component = label[lo]
    links = np.bincount(component, minlength=n)
    labels = np.flatnonzero(links)
    dealt = labels[np.argsort(labels.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15), kind="stable")]
    share_of = np.zeros(n, dtype=np.int64)
    share_of[dealt] = _even_shares(links[dealt], jobs)
    share = share_of[component]
    return [share == k for k in range(jobs)], share_of[label]


def _even_shares(weights: np.ndarray, jobs: int) -> np.ndarray:
    """The share (0 to `jobs` - 1) of each item, items dealt in order into shares of even total
    weight: an item's share is the one its place in the running total falls in."""
    before = np.cumsum(weights) - weights  # the weight dealt before each item
    return before * jobs // max(int(weights.sum()), 1)


def _top_pairs(
    a: np.ndarray, b: np.ndarray, sims: np.ndarray, k: int, within: tuple[int, int] | None = None
) -> np.ndarray:
    """Mask of the pairs among the `k` most similar of either fact (ties: the lower index); with
    `within` (a range of facts, each of whose pairs are all given, and every pair given has an
    end in it), of the facts in that range. The
    pairs are each listed once, sorted by (a, b): a fact's pairs as `b` (with facts before it)
    then come before its pairs as `a`, each in the other fact's order, so listing the `b` ends
    before the `a` ends puts every fact's pairs in its tie order, and one stable sort by (fact,
    closeness) ranks them all. Only the facts with more than `k` pairs need ranking: a batch of
    blocks has few of them. (Arrays of tens of millions of pairs: a stable sort of 32-bit keys,
    which merges the runs the `a` ends already make, not a full sort of 64-bit keys.)"""
    if not k or a.size == 0:
        return np.ones(a.size, dtype=bool)
    size = a.size
    ends = np.concatenate([b, a])  # each pair's two facts: its place is its index mod `size`
    counts = np.bincount(ends)
    if counts.max() <= k:
        return np.ones(size, dtype=bool)  # no fact has more pairs than that
    chosen = np.zeros(size, dtype=bool)
    many = counts[ends] > k
    few = ~many
    if within is not None:
        inside = (ends >= within[0]) & (ends < within[1])
        many &= inside
        few &= inside
    chosen[np.flatnonzero(few) % size] = True  # (a fact with k pairs or fewer keeps them all)
    ranked = np.flatnonzero(many)  # the ends to rank, in each fact's tie order
    if ranked.size == 0:
        return chosen
    places = ranked % size
    facts = ends[ranked]
    keys = facts.astype(np.uint32 if counts.size <= 1 << 24 else np.int64)
    keys <<= 8
    keys += np.subtract(255, sims[places], dtype=keys.dtype)  # (closeness: the most similar first)
    order = np.argsort(keys, kind="stable")
    facts, places = facts[order], places[order]
    first = np.empty(facts.size, dtype=bool)  # where each fact's pairs begin
    first[0] = True
    np.not_equal(facts[1:], facts[:-1], out=first[1:])
    positions = np.arange(facts.size)
    start = np.where(first, positions, 0)
    np.maximum.accumulate(start, out=start)
    positions -= start  # each pair's rank among its fact's
    chosen[places[positions < k]] = True
    return chosen


# pairs evaluated at once by `Aligner._score_some`: arrays of two megabytes
_EVALUATED_AT_ONCE = 1 << 18
# pairs listed and scored at once by `_block_pairs`: a few tens of megabytes of arrays
_PAIRS_PER_BATCH = 250_000
# pairs kept from batches before they are cut down to each fact's best (a sort of them all): some
# 300 MB of arrays, so that a million facts' pairs are cut down once or twice, not at every 4M
_PAIRS_KEPT_UNCUT = 16_000_000


def _pairs_of_blocks(batch: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Every (row, member) pair of each (rows, members) block, as two index arrays, listed
    without a Python loop over rows or pairs."""
    rows = np.concatenate([r for r, _ in batch])
    members = np.concatenate([m for _, m in batch])
    row_counts = np.array([r.size for r, _ in batch], dtype=np.int64)
    member_counts = np.array([m.size for _, m in batch], dtype=np.int64)
    starts = np.cumsum(member_counts) - member_counts  # each block's first member in `members`
    per_row = np.repeat(member_counts, row_counts)  # the pairs of each row
    ii = np.repeat(rows, per_row)
    first_of_row = np.cumsum(per_row) - per_row
    within = np.arange(ii.size, dtype=np.int64) - np.repeat(first_of_row, per_row)
    jj = members[np.repeat(np.repeat(starts, row_counts), per_row) + within]
    return ii, jj


def _pairs_together(parts: list[_Pairs], n: int) -> _Pairs:
    """The pairs of `parts` (each sorted by (lo, hi)), each once, sorted by (lo, hi)."""
    return _unique_pairs(
        np.concatenate([p.lo for p in parts]),
        np.concatenate([p.hi for p in parts]),
        np.concatenate([p.ratio for p in parts]),
        n,
    )


def _unique_pairs(lo: np.ndarray, hi: np.ndarray, ratio: np.ndarray, n: int) -> _Pairs:
    """Each pair once, sorted by (lo, hi), of pairs that are a few arrays sorted by (lo, hi) put
    together. (A pair's context similarity is the same wherever it was compared, so it goes in
    the key and comes out of the sort.)"""
    width = n + 1
    keys = lo * width
    keys += hi
    keys *= 128
    keys += ratio
    keys, ratio = np.divmod(distinct(keys, width * width * 128, runs=True), 128)
    lo, hi = np.divmod(keys, width)
    return _Pairs(lo, hi, ratio.astype(np.uint8))


@dataclass(frozen=True)
class _Scores:
    """Scored pairs as parallel arrays: fact indexes lo < hi, their scores."""

    lo: np.ndarray
    hi: np.ndarray
    value: np.ndarray

    @classmethod
    def of(cls, scores: Mapping[tuple[int, int], float]) -> _Scores:
        pairs = np.array(list(scores), dtype=np.int64).reshape(-1, 2)
        values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
        return cls(pairs[:, 0].copy(), pairs[:, 1].copy(), values)

    def as_dict(self) -> dict[tuple[int, int], float]:
        return dict(
            zip(zip(self.lo.tolist(), self.hi.tolist(), strict=True), self.value.tolist(), strict=True)
        )

    def by_number(self, width: int) -> dict[int, float]:
        """The scores by pair, the pair (lo, hi) as the number lo * width + hi."""
        return dict(zip((self.lo * width + self.hi).tolist(), self.value.tolist(), strict=True))


@dataclass(frozen=True)
class _Pairs:
    """Candidate pairs as parallel arrays: fact indexes lo < hi, context similarity 0-100."""

    lo: np.ndarray
    hi: np.ndarray
    ratio: np.ndarray


_NOT_YET = -2  # (`_PairInputs.nouns` of a fact not compared yet)


class _PairInputs:
    """What listing and comparing a run's candidate pairs reads of each fact, as arrays indexed
    like the run's facts, worked out when a fact is first compared: its document, its context
    string, and the id of its counted noun (for a plain count; else -1)."""

    def __init__(self, docs: np.ndarray) -> None:
        self.docs = docs
        self.texts = np.full(docs.size, None, dtype=object)
        self.nouns = np.full(docs.size, _NOT_YET, dtype=np.int64)
        self.noun_ids: dict[str, int] = {}
        # whether two counted nouns are two things, by their ids (see `_counts_of_other_things`)
        self.noun_vetoes: dict[tuple[int, int], bool] = {}


# Scoring a pair is Python, some ten microseconds; an archive has millions of pairs, and its
# clustering scores a million more. Forked workers share the aligner and the facts copy-on-write
# and each take a share (of the pairs: their facts' views, the bound, the pairs that pass it; of
# the components to cluster), so the results are the same whatever the number of processes.
_PARALLEL_MIN_PAIRS = 50_000
_PARALLEL_MIN_LINKS = 20_000
_PARALLEL_MIN_FACTS = 50_000  # (whose block keys are worked out in several processes)
# (pairs of blocks, rows x members, before any is dropped)
_PARALLEL_MIN_BLOCK_PAIRS = 1_000_000
# block runs and clustering shares per process: two each, run at once, so that no process's share
# sets the pace (the shares of one process each are uneven work, whatever they weigh: the parent's
# share ended 0.5 to 2.5 s after the other on 1M facts)
_SHARES_PER_PROCESS = 2


def _share_count(jobs: int, large: bool) -> int:
    """How many block runs or clustering shares a piece of work is cut into: one when it is small
    or there is one process, else `_SHARES_PER_PROCESS` per process."""
    return _SHARES_PER_PROCESS * jobs if jobs > 1 and large else 1


def _score_in_parallel(
    aligner: Aligner,
    facts: Sequence[Fact],
    pairs: _Pairs,
    idf: dict[str, float],
    jobs: int,
    table: ScoreBounds | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """`Aligner._score_some` of `pairs`, in slices across `jobs` processes for a large set. Without
    a `table` of every fact, each process makes the table of its own slice's facts: made once
    before forking, it would be made by one process alone."""
    n = int(pairs.lo.size)
    if jobs <= 1 or n < _PARALLEL_MIN_PAIRS:
        return aligner._score_some(facts, pairs, idf, table)

    def score_slice(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        a, b = bounds
        part = _Pairs(pairs.lo[a:b], pairs.hi[a:b], pairs.ratio[a:b])
        kept, values = aligner._score_some(facts, part, idf, table)
        return kept + a, values

    view_cost = _VIEW_COST_IN_PAIRS if table is None else 0
    slices = itertools.pairwise(_slices_of_even_work(pairs.lo, pairs.hi, jobs, view_cost))
    parts = forked_map(score_slice, list(slices))
    return np.concatenate([kept for kept, _ in parts]), np.concatenate([values for _, values in parts])


# what a fact's view and row of the bound's table cost, in pairs evaluated (measured on 1M
# synthetic facts: some 17 microseconds against 1.8)
_VIEW_COST_IN_PAIRS = 10


def _slices_of_even_work(
    lo: np.ndarray, hi: np.ndarray, jobs: int, view_cost: int = _VIEW_COST_IN_PAIRS
) -> list[int]:
    """Bounds of at most `jobs` slices of the pairs (lo[p], hi[p]), sorted by lo, of even work:
    a slice costs its pairs and a view of each fact they have. Slices of even numbers of pairs
    are not even work: the first slice's pairs reach facts all over the corpus, the last's only
    the facts after it. The facts of pairs x to y are counted as those seen first before y less
    those seen last before x (a fact seen before and after the slice but not in it is counted
    too: the work is estimated, and the scores are the same however the pairs are sliced)."""
    n = int(lo.size)
    positions = np.arange(n)
    size = int(max(lo.max(), hi.max())) + 1
    first = np.full(size, n, dtype=np.int64)
    last = np.full(size, -1, dtype=np.int64)
    for ends in (lo, hi):
        np.minimum.at(first, ends, positions)
        np.maximum.at(last, ends, positions)
    seen = last >= 0
    first_before = np.concatenate([[0], np.cumsum(np.bincount(first[seen], minlength=n))])
    last_before = np.concatenate([[0], np.cumsum(np.bincount(last[seen], minlength=n))])
    # the work of pairs x to y is reach[y] - start[x]
    reach = view_cost * first_before + np.arange(n + 1)
    start = view_cost * last_before + np.arange(n + 1)

    def bounds_within(limit: int) -> list[int]:
        found = [0]
        while found[-1] < n and len(found) <= jobs:
            x = found[-1]
            found.append(max(int(np.searchsorted(reach, start[x] + limit, side="right")) - 1, x + 1))
        return found

    low, high = 0, int(reach[n] - start[0])  # (the whole as one slice is within `high`)
    while low < high:  # the least work per slice for which `jobs` slices take in every pair
        middle = (low + high) // 2
        if bounds_within(middle)[-1] == n:
            high = middle
        else:
            low = middle + 1
    return bounds_within(low)


@dataclass(slots=True)
class _KeyWords:
    """`BlockInputs` of a run of facts (see `Aligner._key_words`), with its own ids of kinds and
    units (`bases`) and the words and suffixes it gave ids to."""

    base: np.ndarray
    aligned: np.ndarray
    only: np.ndarray
    entity_counts: np.ndarray
    entity_ids: np.ndarray
    static_counts: np.ndarray
    static_ids: np.ndarray
    bases: list[tuple[str, str | None]]
    words_from: int
    new_words: list[str]
    suffixes_from: int
    new_suffixes: list[str]
    texts: list[str]  # of the facts aligned
    nouns: list[str | None]
    counted: np.ndarray  # the words each fact counts for, each once (`_ContextRecord.words`)
    counted_entities: np.ndarray  # its entities, each once
    table: TableColumns  # (its words to be named: see `_read_corpus`)


# what `_TableRows` gives a fact with no quantity: magnitude (none), bounds and tolerance
_NO_NUMBERS = (math.nan, 0.0, 0.0, 0.0, 0.0)
# and a fact with no date: no span, and the rest of `_TableRows.dates` unread
_NO_DATE = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


class _TableRows:
    """The bound's `TableColumns`, read of facts one at a time as `_make_view` reads them (a test
    holds the two to the same answers), into lists that `columns` makes arrays of. Word ids are
    those of `words`."""

    def __init__(self, aligner: Aligner, words: Ids) -> None:
        self.word = words.__getitem__
        self.events_of = aligner._events
        self.tolerance_of = aligner.compare_config.tolerance_of
        # date, count, only, short, attributive, has entities, has a noun, irrealis, plain
        self.flags: list[tuple[bool, ...]] = []
        self.numbers: list[tuple[float, ...]] = []  # magnitude, low, high, relative, absolute
        self.ints: list[tuple[int, int, int, int]] = []  # base, noun, events, unit
        # has a span, extent, past, future (as 0 or 1), the span's first and last days (ordinals),
        # the year of its first, its document's publication's first and last days, the kind's slack
        self.dates: list[tuple[int, ...]] = []
        self.published = aligner.published
        self.bases: dict[tuple[str, str | None], int] = {}
        self.nouns: dict[str, int] = {}
        self.units: dict[str | None, int] = {}
        self.signatures: dict[tuple[object, ...], int] = {}
        # by what they are worked out from (see `Aligner._events`)
        self.signature_of: dict[tuple[object, ...], int] = {}
        self.sizes: tuple[list[int], ...] = ([], [], [], [])  # concepts, entities, who, around
        self.ids: tuple[list[int], ...] = ([], [], [], [])
        self.repeats: list[tuple[int, int]] = []  # (place in the concepts' ids, uses) of words said again

    def add(self, fact: Fact, found: _ContextRecord, only: bool) -> None:
        """The row of a fact that is aligned (`only`: see `Aligner._only_one`)."""
        # (a call per fact of an archive: locals, one tuple per row for the scalars)
        ctx, kind, value = fact.context, fact.kind, fact.value
        names, word, noun, agent = ctx.names, self.word, ctx.noun, ctx.agent
        # nothing the table leaves out: no role, no dates it holds for, no qualifiers, no names
        unmarked = not (ctx.role or ctx.anchors or ctx.identity_anchors or ctx.qualifiers or names)
        plain = False
        unit = -1
        if isinstance(value, QuantityValue):
            magnitude = _magnitude(value)
            plain = unmarked and kind != "date"
            low, high = _bounds(value)
            tolerance = self.tolerance_of(kind)
            self.numbers.append(
                (
                    math.nan if magnitude is None else magnitude,
                    low,
                    high,
                    tolerance.relative,
                    tolerance.absolute,
                )
            )
            unit = self.units.setdefault(value.unit, len(self.units))
        else:
            self.numbers.append(_NO_NUMBERS)
        if isinstance(value, DateValue) and value.span is not None:
            span, published = value.span, self.published.get(fact.doc_id)
            plain = unmarked and kind == "date"
            self.dates.append(
                (
                    1,
                    value.extent,
                    published is not None and span.end < published.start,
                    published is not None and span.start > published.end,
                    span.start.toordinal(),
                    span.end.toordinal(),
                    span.start.year,
                    published.start.toordinal() if published is not None else 0,
                    published.end.toordinal() if published is not None else 0,
                    self.tolerance_of(kind).days,
                )
            )
        else:
            self.dates.append(_NO_DATE)
        read = (kind == "date", ctx.modifiers, ctx.triggers, found.subject_events)
        events = self.signature_of.get(read)
        if events is None:
            event_words, classes = self.events_of(fact)
            key = signature(read[0], classes, event_words, found.subject_events)
            events = self.signature_of[read] = self.signatures.setdefault(key, len(self.signatures))
        self.flags.append(
            (
                read[0],
                kind == "count",
                only,
                any((x.end - x.start).days < 40 for x in ctx.anchors) if ctx.anchors else False,
                ctx.attributive,
                bool(ctx.entities),
                bool(noun),
                ctx.irrealis,
                plain,
            )
        )
        self.ints.append(
            (
                self.bases.setdefault((kind, fact.dimension), len(self.bases)),
                self.nouns.setdefault(noun, len(self.nouns)) if noun and not names else -1,
                events,
                unit,
            )
        )
        sizes, ids = self.sizes, self.ids
        concepts = found.concepts
        distinct_concepts = dict.fromkeys(concepts)
        if len(distinct_concepts) < len(concepts):  # (a word said twice or more: `Aligner._weigh`)
            at = len(ids[0])
            for k, uses in enumerate(Counter(concepts).values()):
                if uses > 1:
                    self.repeats.append((at + k, uses))
        sizes[0].append(len(distinct_concepts))
        ids[0].extend(map(word, distinct_concepts))
        entities = ctx.entities if len(found.entities) == len(ctx.entities) else dict.fromkeys(ctx.entities)
        sizes[1].append(len(entities))
        ids[1].extend(map(word, entities))
        who = agent if not names and len(agent) < 2 else dict.fromkeys((*agent, *names))
        sizes[2].append(len(who))
        ids[2].extend(map(word, who))
        if plain and who:  # (what `ScoreBounds._other_subjects` reads)
            around = dict.fromkeys((*who, *ctx.entities, *ctx.keywords))
            sizes[3].append(len(around))
            ids[3].extend(map(word, around))
        else:
            sizes[3].append(0)

    def skip(self, fact: Fact) -> None:
        """The row of a fact that is never aligned: never read, but there, so that row `i` is the
        `i`-th fact."""
        kind = fact.kind
        self.numbers.append(_NO_NUMBERS)
        self.dates.append(_NO_DATE)
        self.flags.append((kind == "date", kind == "count", False, False, False, False, False, False, False))
        self.ints.append((self.bases.setdefault((kind, fact.dimension), len(self.bases)), -1, -1, -1))
        for sizes in self.sizes:
            sizes.append(0)

    def columns(self) -> TableColumns:
        """The rows as arrays (their words named later: `words` is empty)."""
        flags = np.array(self.flags, dtype=bool).reshape(-1, 9)
        numbers = np.array(self.numbers, dtype=np.float64).reshape(-1, 5)
        ints = np.array(self.ints, dtype=np.int64).reshape(-1, 4)
        dates = np.array(self.dates, dtype=np.int64).reshape(-1, 10)
        uses = np.ones(len(self.ids[0]))
        if self.repeats:
            places, counts = np.array(self.repeats, dtype=np.int64).T
            uses[places] = counts
        lists = [
            Lists(np.array(sizes, dtype=np.int64), np.array(ids, dtype=np.int64))
            for sizes, ids in zip(self.sizes, self.ids, strict=True)
        ]
        return TableColumns(
            *(flags[:, k].copy() for k in range(9)),
            base=ints[:, 0].copy(),
            noun=ints[:, 1].copy(),
            events=ints[:, 2].copy(),
            magnitude=numbers[:, 0].copy(),
            unit=ints[:, 3].copy(),
            dated=dates[:, 0].astype(bool),
            extent=dates[:, 1].astype(bool),
            past=dates[:, 2].astype(bool),
            future=dates[:, 3].astype(bool),
            span_start=dates[:, 4].copy(),
            span_end=dates[:, 5].copy(),
            start_year=dates[:, 6].copy(),
            published_start=dates[:, 7].copy(),
            published_end=dates[:, 8].copy(),
            slack=dates[:, 9].copy(),
            low=numbers[:, 1].copy(),
            high=numbers[:, 2].copy(),
            relative=numbers[:, 3].copy(),
            absolute=numbers[:, 4].copy(),
            concepts=lists[0],
            concept_uses=uses,
            entities=lists[1],
            who=lists[2],
            around=lists[3],
            words=[],
            bases=list(self.bases),
            nouns=list(self.nouns),
            units=list(self.units),
            signatures=list(self.signatures),
        )


def _id_map(ids: Ids, since: int, named: list[str]) -> np.ndarray | None:
    """The ids in `ids` of the ids a run gave (those below `since` are `ids`' own, `since + k` is
    the k-th name of `named`), as an array by the run's id: the ids a forked process gave are
    given again, by name, in this one. None when they are `ids`' own already (a run in this
    process)."""
    if not named or list(itertools.islice(ids, since, since + len(named))) == named:
        return None
    return np.array([*range(since), *map(ids.__getitem__, named)], dtype=np.int64)


def _mapped(mapping: np.ndarray | None, ids: np.ndarray) -> np.ndarray:
    """`ids` given again by an `_id_map` (None: as they are)."""
    return ids if mapping is None or not ids.size else mapping[ids]


def _plain_noun(fact: Fact) -> str | None:
    """The noun by which counts of two different things are told apart before their contexts
    are compared (`Aligner._counts_of_other_things`): a count's, with no names on it."""
    ctx = fact.context
    return ctx.noun if fact.kind == "count" and ctx.noun and not ctx.names else None


def _inverse_frequency(n: int, count: int) -> float:
    """A word's IDF among `n` facts, `count` of which have it."""
    return math.log(1 + n / count)


def _inverse_frequencies(counts: np.ndarray, n: int) -> np.ndarray:
    """`_inverse_frequency` of each count, by Python's logarithm (numpy's may differ in the last
    place), once per distinct count: the counts of a million words take a few thousand values."""
    values, places = np.unique(counts, return_inverse=True)
    return np.array([_inverse_frequency(n, c) for c in values.tolist()], dtype=np.float64)[places]


def _rarest_ids(counts: np.ndarray, names: list[str], chosen: np.ndarray) -> np.ndarray:
    """`_rarest_first` of the `chosen` ids (their counts and names by id), as each id's rank
    (`NO_RANK` for an id not chosen)."""
    ids = np.flatnonzero(chosen)
    named = [names[i] for i in ids.tolist()]
    alphabetical = np.empty(ids.size, dtype=np.int64)
    alphabetical[sorted(range(ids.size), key=named.__getitem__)] = np.arange(ids.size)
    ranks = np.full(len(names), NO_RANK, dtype=np.int64)
    ranks[ids[np.lexsort((alphabetical, counts[ids]))]] = np.arange(ids.size)
    return ranks


def _rarest_first(counts: Mapping[str, int]) -> dict[str, int]:
    """Each word's place in the order (count, word): sorting a fact's words by it is a lookup
    per word, where a key of (count, word) tuples costs a call and a tuple each."""
    return {w: n for n, (_, w) in enumerate(sorted((c, w) for w, c in counts.items()))}


def _magnitude(v: QuantityValue) -> float | None:
    """A figure's size for comparing orders of magnitude: its lower bound, or its upper
    bound when it has no useful lower one ("up to 1,200")."""
    return v.low if v.low else v.high


def _context_long(view: _FactView) -> tuple[str, ...]:
    """A view's entities and keywords of five letters or more, worked out when first asked for:
    only agent agreement needs them, for the pairs whose subjects it looks for in the other
    sentence."""
    if view.context_long is None:
        ctx = view.context
        words = dict.fromkeys((*ctx.entities, *ctx.keywords))
        view.context_long = tuple(w for w in words if len(w) >= SAME_WORD_LETTERS)
    return view.context_long


def _similar_words(xs: tuple[str, ...], ys: tuple[str, ...]) -> bool:
    """Whether a word of `xs` and one of `ys` (words of five letters or more) are one word,
    inflected or a demonym: "Kelvoria" / "Kelvorian", "Afghanistan" / "Afghan"."""
    for x in xs:
        for y in ys:
            if x.startswith(y) or y.startswith(x) or fuzz.ratio(x, y, score_cutoff=SAME_WORD_RATIO):
                return True
    return False
