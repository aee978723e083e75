"""Alignment's pair score for many pairs at once: an upper bound for every pair, and the score
itself for pairs of plain figures.

Most of an archive's shortlisted pairs are two facts that share a place or a person but are
not one figure, and score well below the threshold. Scoring a pair in Python costs some ten
microseconds; these arrays cost a fraction of one per pair. A pair whose bound is below the
threshold is not scored up front, and nothing is lost: only pairs at or above the threshold
start a group, and when clustering needs a weaker pair (the mean link of two groups) it scores
that pair then. The clusters are those of scoring every pair.

The bound follows `Aligner._score_views` term by term. What costs most in Python is computed
exactly: the IDF-weighted cosine of the context words, the weighted overlap of the entities,
how far apart the figures are and whether they can agree. The noun and event agreement come
of a few word classes, so they are asked of the scorer's own methods once per pair of classes.
Every other factor is taken at its most favourable value.

For a pair of plain figures or plain dates (no role, no dates they hold for, no names, no
qualifiers, one modality) whose subjects are the same or unsaid, the factors left out are all 1, and the
arrays give the score itself, computed in the scorer's order so that it is the same to the
last bit (a test holds it to that): those pairs never reach Python. When the subjects differ,
whether they are another's figures is a fuzzy comparison of words (`Aligner._agent_agreement`),
which rapidfuzz makes for all such pairs at once (`ScoreBounds._other_subjects`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Prefix

from factcheck.arrays import by_distinct_pairs

if TYPE_CHECKING:
    from factcheck.align import AlignConfig, Aligner, _FactView

# what the sums of the bound may differ by from the scorer's (numpy adds in another order)
_MARGIN = 1e-9
# one word inflected, as `Aligner._agent_agreement` and `ScoreBounds._other_subjects` tell it:
# two words of this many letters or more, one the other's prefix or this `fuzz.ratio` apart
SAME_WORD_LETTERS = 5
SAME_WORD_RATIO = 85
# elements of the (pairs x words x words) comparison arrays made at once
_CHUNK_ELEMENTS = 1_000_000
# facts with more context words or entities than this are never pruned (a comparison array per
# pair of that width would cost more than scoring the pair)
_MAX_WIDTH = 64
# lists of this many words or fewer are compared a column at a time (`_narrow_sums`)
_NARROW = 8


@dataclass(frozen=True)
class Lists:
    """A list of id lists, one per fact, as flat arrays: fact `r` has the next `sizes[r]` ids."""

    sizes: np.ndarray
    ids: np.ndarray

    def offsets(self) -> np.ndarray:
        offsets = np.zeros(self.sizes.size + 1, dtype=np.int64)
        np.cumsum(self.sizes, out=offsets[1:])
        return offsets


@dataclass(frozen=True)
class TableColumns:
    """What the bound reads of each fact, as arrays with a row per fact, read of the facts in
    one pass (`align._TableRows`) before anything is scored: an archive's facts are read in runs
    across processes, where views of them would be made by each scoring process for its own
    pairs. What depends on the corpus's word frequencies (the weights) is worked out when the
    table is made. Words, nouns, units and event signatures are ids in the lists named below."""

    date: np.ndarray
    count: np.ndarray
    only: np.ndarray  # the only figure of its kind and unit in its document
    short: np.ndarray  # said to hold for a month or a day
    attributive: np.ndarray
    has_entities: np.ndarray
    has_noun: np.ndarray
    irrealis: np.ndarray
    # a figure with nothing the arrays leave out (no role, no dates it holds for, no names,
    # no qualifiers): pairs of two are scored here, exactly, unless their subjects differ
    plain: np.ndarray
    base: np.ndarray  # its kind and unit
    noun: np.ndarray  # a counted noun with no names on it (in `nouns`), or -1
    events: np.ndarray  # what event agreement reads (`signatures`), or -1 for a fact never aligned
    magnitude: np.ndarray  # NaN where it has none
    unit: np.ndarray  # a quantity's unit (in `units`), or -1 for other values
    low: np.ndarray
    high: np.ndarray
    relative: np.ndarray  # the tolerance of its kind
    absolute: np.ndarray
    dated: np.ndarray  # a date with a span: the columns below are read
    extent: np.ndarray  # see `DateValue.extent`
    past: np.ndarray  # already past when its document appeared
    future: np.ndarray  # still to come when its document appeared
    span_start: np.ndarray  # (days, as ordinals)
    span_end: np.ndarray
    start_year: np.ndarray
    published_start: np.ndarray
    published_end: np.ndarray
    slack: np.ndarray  # the tolerance of its kind, in days
    concepts: Lists  # its context's concepts, each once, in order
    concept_uses: np.ndarray  # how often each is said (by place in `concepts.ids`)
    entities: Lists  # each once, in order
    who: Lists  # whose figure it is: its subject and the names on its noun, each once
    around: Lists  # for a plain figure with a subject: that, and its entities and keywords
    words: list[str]  # by id
    bases: list[tuple[str, str | None]]
    nouns: list[str]
    units: list[str | None]
    signatures: list[tuple[object, ...]]  # a fact of each must be at hand: see `ScoreBounds`

    @classmethod
    def concatenate(cls, parts: list[TableColumns], words: list[str]) -> TableColumns:
        """The rows of `parts`, in order, their word ids already `words`' and their other ids
        given again by name."""
        if len(parts) == 1:
            return replace(parts[0], words=words)
        together: dict[str, object] = {"words": words}
        for f in fields(cls):
            name = f.name
            if name in _NAMED:
                named, ids = _by_name(
                    [getattr(p, _NAMED[name]) for p in parts], [getattr(p, name) for p in parts]
                )
                together[name], together[_NAMED[name]] = ids, named
            elif name in _NAMED.values() or name == "words":
                continue
            elif isinstance(getattr(parts[0], name), Lists):
                lists = [getattr(p, name) for p in parts]
                together[name] = Lists(
                    np.concatenate([x.sizes for x in lists]), np.concatenate([x.ids for x in lists])
                )
            else:
                together[name] = np.concatenate([getattr(p, name) for p in parts])
        return cls(**together)  # type: ignore[arg-type]


# the columns of ids given by name, and the lists that name them
_NAMED = {"base": "bases", "noun": "nouns", "unit": "units", "events": "signatures"}
T = TypeVar("T")


def _by_name(names: list[list[T]], ids: list[np.ndarray]) -> tuple[list[T], np.ndarray]:
    """The ids of several parts, each numbering its own `names`, as ids of the names together
    (-1, for none, stays -1)."""
    common: dict[T, int] = {}
    again = []
    for own, values in zip(names, ids, strict=True):
        mapping = np.array([*(common.setdefault(x, len(common)) for x in own), -1], dtype=np.int64)
        again.append(mapping[values])
    return list(common), np.concatenate(again)


@dataclass(frozen=True)
class _Ragged:
    """A list of (word id, weight) lists, one per fact, as flat arrays: the words of fact `r`
    are `ids[offsets[r]:offsets[r + 1]]`, each once."""

    offsets: np.ndarray
    ids: np.ndarray
    weights: np.ndarray
    sizes: np.ndarray  # (of each list: asked for every batch of pairs)

    @classmethod
    def build(cls, lists: Lists, weights: np.ndarray) -> _Ragged:
        # (one padding element, so that gathering from an empty list stays in bounds; 32-bit ids,
        # half the memory to compare)
        ids = np.append(lists.ids, -1).astype(np.int32)
        return cls(lists.offsets(), ids, np.append(weights, 0.0), lists.sizes)

    def sums(self) -> np.ndarray:
        """The sum of each list's weights, added one at a time in order, as Python's `sum` adds
        them (numpy's own sums add in another order, which may differ in the last bit)."""
        sizes = self.sizes
        total = np.zeros(sizes.size)
        rows = np.arange(sizes.size)
        for column in range(int(sizes.max(initial=0))):
            rows = rows[sizes[rows] > column]
            total[rows] += self.weights[self.offsets[rows] + column]
        return total

    def gather(self, rows: np.ndarray, width: int, pad: int) -> tuple[np.ndarray, np.ndarray]:
        """The word ids (padded with `pad`) and weights (padded with 0) of `rows`, `width` wide."""
        start = self.offsets[rows]
        size = self.offsets[rows + 1] - start
        column = np.arange(width)
        present = column[None, :] < size[:, None]
        where = np.where(present, start[:, None] + column[None, :], self.ids.size - 1)
        return np.where(present, self.ids[where], pad), self.weights[where]


def shared_weights(words: _Ragged, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each pair of rows (a[p], b[p]): the sum over the words both have of wa * wb and of wa,
    and whether the pair was too wide to be worked out (then both sums are 0). The sums are the
    scorer's to the last bit: over the words of the shorter list (the first on a tie), in its
    order, one word at a time."""
    sizes = words.sizes
    flip = sizes[b] < sizes[a]
    x, y = np.where(flip, b, a), np.where(flip, a, b)
    width = np.maximum(sizes[a], sizes[b])
    dot = np.zeros(a.size)
    own = np.zeros(a.size)
    too_wide = width > _MAX_WIDTH
    # narrow pairs (most of them) by their width, a column of the shorter list at a time
    narrow = width <= _NARROW  # (two empty lists share nothing: their sums stay 0)
    for k in np.flatnonzero(np.bincount(width[narrow], minlength=1)).tolist():
        if k == 0:
            continue
        chosen = np.flatnonzero(narrow & (width == k))
        step = max(1, _CHUNK_ELEMENTS // k)
        for start in range(0, chosen.size, step):
            part = chosen[start : start + step]
            dot[part], own[part] = _narrow_sums(words, x[part], y[part], k)
    # the others by width, rounded up to a power of two: a few arrays' shapes, little padding
    bucket = np.where(width <= 1, 1, 2 ** np.ceil(np.log2(np.maximum(width, 1))).astype(np.int64))
    for k in np.flatnonzero(np.bincount(bucket[~too_wide & ~narrow], minlength=1)).tolist():
        chosen = np.flatnonzero((bucket == k) & ~too_wide & ~narrow)
        step = max(1, _CHUNK_ELEMENTS // (k * k))
        for start in range(0, chosen.size, step):
            part = chosen[start : start + step]
            ids_x, wx = words.gather(x[part], k, -1)
            ids_y, wy = words.gather(y[part], k, -2)
            same = ids_x[:, :, None] == ids_y[:, None, :]
            # each word of x matches one of y's or none (words are each once per fact): where
            # it matches, its place in y; then whether it did (the padding never matches)
            where = same.argmax(axis=2)
            hit = np.take_along_axis(ids_y, where, axis=1) == ids_x
            weights = np.where(hit, wx, 0.0)
            products = weights * np.take_along_axis(wy, where, axis=1)  # (0 where none matched)
            d, o = np.zeros(part.size), np.zeros(part.size)
            for c in range(k):
                d += products[:, c]
                o += weights[:, c]
            dot[part], own[part] = d, o
    return dot, own, too_wide


def _narrow_sums(words: _Ragged, x: np.ndarray, y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """`shared_weights`' sums for pairs of lists of at most `k` words (x's the shorter): each word
    of x against each of y's, a column at a time (k * k comparisons of whole columns, where an
    array of pairs x k x k costs more to lay out than to compare). The padding (past the end of
    a list) has weight 0, so what it matches adds 0."""
    sizes, offsets, ids, weights = words.sizes, words.offsets, words.ids, words.weights
    pad = ids.size - 1
    size_x, size_y, start_x, start_y = sizes[x], sizes[y], offsets[x], offsets[y]
    columns_y = []
    for j in range(k):
        at = np.where(size_y > j, start_y + j, pad)
        columns_y.append((ids[at], weights[at]))
    dot, own = np.zeros(x.size), np.zeros(x.size)
    matched, hit, same = np.zeros(x.size), np.zeros(x.size, dtype=bool), np.zeros(x.size, dtype=bool)
    for i in range(k):
        at = np.where(size_x > i, start_x + i, pad)
        word, weight = ids[at], weights[at]
        matched.fill(0.0)
        hit.fill(False)
        for other, other_weight in columns_y:  # (a word of x is at most one of y's)
            np.equal(word, other, out=same)
            np.copyto(matched, other_weight, where=same)
            hit |= same
        weight = np.where(hit, weight, 0.0)
        dot += weight * matched
        own += weight
    return dot, own


@dataclass(frozen=True)
class Evaluated:
    """Of each pair: an upper bound of its score; whether `score` is its score (a pair with
    nothing the arrays leave out: see `ScoreBounds.evaluate`); and that score, where it is."""

    bound: np.ndarray
    exact: np.ndarray
    score: np.ndarray


@dataclass(frozen=True)
class _Terms:
    """The terms of each pair's score that the bound and the score share (`ScoreBounds._terms`)."""

    bound: np.ndarray
    both_only: np.ndarray
    noun: np.ndarray
    known: np.ndarray
    trigger: np.ndarray
    counted: np.ndarray
    too_wide: np.ndarray
    context: np.ndarray
    entities: np.ndarray
    entities_wide: np.ndarray
    w: list[np.ndarray]
    vetoed: np.ndarray
    magnitude: np.ndarray
    two_events: np.ndarray


class ScoreBounds:
    """The bound's table: `columns`, with the words weighted by `idf` (by word id). `view_of(r)` is
    the view of the fact of row `r`, asked for only where the scorer itself is needed: a fact of
    each event signature, and the facts of the pairs the arrays cannot score. `row_of`: the row
    of each fact of the corpus, for a table of some of its facts (None: row `i` is fact `i`)."""

    def __init__(
        self,
        aligner: Aligner,
        columns: TableColumns,
        idf: np.ndarray,
        view_of: Callable[[int], _FactView],
        row_of: np.ndarray | None = None,
    ) -> None:
        self.aligner = aligner
        self.view_of = view_of
        self.row_of = row_of
        self.columns = c = columns
        self.date, self.count, self.only, self.short = c.date, c.count, c.only, c.short
        self.attributive, self.has_entities, self.has_noun = c.attributive, c.has_entities, c.has_noun
        self.irrealis, self.plain, self.base, self.noun = c.irrealis, c.plain, c.base, c.noun
        self.events, self.magnitude, self.unit = c.events, c.magnitude, c.unit
        self.low, self.high, self.relative, self.absolute = c.low, c.high, c.relative, c.absolute
        self.dated, self.extent, self.past, self.future = c.dated, c.extent, c.past, c.future
        self.span_start, self.span_end, self.start_year = c.span_start, c.span_end, c.start_year
        self.published_start, self.published_end, self.slack = c.published_start, c.published_end, c.slack
        # a word said n times weighs n times its IDF (`Aligner._weigh`)
        weights = idf[c.concepts.ids] * c.concept_uses
        self.words = _Ragged.build(c.concepts, weights)
        self.norm = np.sqrt(_Ragged.build(c.concepts, weights * weights).sums())
        self.entities = _Ragged.build(c.entities, idf[c.entities.ids])
        self.entity_sum = self.entities.sums()
        self.who = _Ragged.build(c.who, np.ones(c.who.ids.size))
        self.around = _Ragged.build(c.around, np.ones(c.around.ids.size))
        self.noun_names = c.nouns
        # a fact of each signature, by its id
        signed = np.flatnonzero(c.events >= 0)
        self.event_rows = signed[np.unique(c.events[signed], return_index=True)[1]].tolist()
        self.vocabulary = np.array([*c.words, ""], dtype=object)  # (by id; -1 is the padding)
        self.lengths = np.array([len(w) for w in self.vocabulary], dtype=np.int64)

    def rows(self, facts: np.ndarray) -> np.ndarray:
        """The rows of the facts (indexes in the corpus)."""
        return facts if self.row_of is None else self.row_of[facts]

    def evaluate(
        self,
        a: np.ndarray,
        b: np.ndarray,
        ratio: np.ndarray,
        ask_agents: float | None = None,
        scored_from: float | None = None,
    ) -> Evaluated:
        """Of each pair of rows (a[p], b[p]): an upper bound of `Aligner._score_views(a, b)`, and
        the score itself where nothing it reads is left out of the arrays. Whose figures they
        are is known to the arrays only when the subjects share a word or one is unsaid; with
        `ask_agents`, the other pairs of plain figures whose bound reaches it are told apart too
        (`_other_subjects`) and scored here. With `scored_from`, only the pairs whose bound
        reaches it are scored (the others are given as not exact): most of an archive's
        shortlisted pairs are not."""
        cfg = self.aligner.config
        t = self._terms(a, b, ratio)
        bound, both_only, noun, known, trigger, w = t.bound, t.both_only, t.noun, t.known, t.trigger, t.w
        # the score, in `_score_views`' order, of pairs of plain figures whose subjects agree
        chosen = None if scored_from is None else np.flatnonzero(bound >= scored_from)

        def some(x: np.ndarray) -> np.ndarray:
            return x if chosen is None else x[chosen]

        a, b, noun, trigger, both_only = some(a), some(b), some(noun), some(trigger), some(both_only)
        who_sizes = self.who.sizes
        who_a, who_b = who_sizes[a], who_sizes[b]
        _, shared_who, who_wide = shared_weights(self.who, a, b)
        plain = (
            self.plain[a]
            & self.plain[b]
            & (self.irrealis[a] == self.irrealis[b])
            & (some(known) | (~self.has_noun[a] & ~self.has_noun[b]))
            & ~some(t.too_wide)
            & ~some(t.entities_wide)
        )
        # ("a 90-day truce": the noun says whose figure it is)
        agent_known = (who_a == 0) | (who_b == 0) | (shared_who > 0) | some(t.counted)
        exact = plain & agent_known & ~who_wide
        unrelated = np.zeros(a.size, dtype=bool)  # agent agreement 0: another's figures
        if ask_agents is not None:
            asked = np.flatnonzero(plain & ~exact & (some(bound) >= ask_agents))
            unrelated[asked] = self._other_subjects(a[asked], b[asked])
            exact[asked] = True
        w = [some(x) for x in w]
        score = w[0] * noun + w[1] * trigger + w[2] * some(t.context) + w[3] * some(t.entities)
        score *= np.where(trigger == cfg.trigger_mismatch_value, cfg.trigger_mismatch_penalty, 1.0)
        score *= np.where(unrelated, cfg.agent_mismatch_penalty, 1.0)
        score *= np.where(noun == 0.0, cfg.noun_mismatch_penalty, 1.0)
        score = np.where(both_only, np.minimum(1.0, score * cfg.only_measure_boost), score)
        if cfg.agreement_boost != 1.0:
            compatible = ~self._incompatible(a, b, margin=0.0)
            score = np.where(compatible, np.minimum(1.0, score * cfg.agreement_boost), score)
        magnitude = some(t.magnitude).copy()  # (the bound's: given again to the last bit)
        quantities = np.flatnonzero(~self.date[a])
        magnitude[quantities] = self._magnitude_factor(a[quantities], b[quantities])
        score *= magnitude
        score *= some(t.two_events)
        score = np.where(some(t.vetoed), 0.0, score)
        if chosen is not None:
            exact_all, score_all = np.zeros(bound.size, dtype=bool), np.zeros(bound.size)
            exact_all[chosen], score_all[chosen] = exact, score
            exact, score = exact_all, score_all
        return Evaluated(bound, exact, score)

    def bound(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """An upper bound of each pair's score whatever the similarity of their contexts: the
        pairs below the threshold need never be compared (`Aligner._compare_batch`)."""
        return self._terms(a, b, np.full(a.size, 100, dtype=np.uint8)).bound

    def _terms(self, a: np.ndarray, b: np.ndarray, ratio: np.ndarray) -> _Terms:
        """What `evaluate` reads of each pair before scoring any: the bound, and its terms."""
        cfg = self.aligner.config
        both_only = self.only[a] & self.only[b]
        noun, known = self._nouns(a, b)  # (NaN: a side names nothing counted)
        raw_trigger, exclusive = self._events(a, b)
        # "a 90-day truce": the noun says what the figure is, and a weak event match says nothing
        attributive = self.attributive[a] | self.attributive[b]
        counted = known & (noun == 1.0) & attributive
        with np.errstate(invalid="ignore"):
            weak = np.where(raw_trigger < 0.7, np.nan, raw_trigger)
        trigger = np.where(counted, weak, raw_trigger)
        trigger = np.where(both_only & (trigger == 0.0), np.nan, trigger)  # (see `_evidence`)
        trigger = np.nan_to_num(trigger, nan=0.4)
        # a noun the arrays do not know: the bound takes the event match at its most favourable
        loose = attributive & ~known
        trigger_bound = np.where(loose, np.maximum(trigger, np.nan_to_num(weak, nan=0.4)), trigger)
        noun = np.where(np.isnan(noun), np.where(both_only, 1.0, 0.5), noun)  # (exact where known,
        noun_bound = np.where(known, noun, 1.0)  # or where neither fact has a noun)
        dot, _, too_wide = shared_weights(self.words, a, b)
        norms = self.norm[a] * self.norm[b]
        cosine = np.divide(dot, norms, out=np.zeros(a.size), where=norms != 0)
        share = cfg.cosine_share
        context = (1 - share) * ratio.astype(np.float64) / 100.0 + (share * cosine if share else 0.0)
        entities, entities_wide = self._entities(a, b)
        date = self.date[a]
        w = [np.where(date, getattr(cfg.date_weights, x), getattr(cfg.quantity_weights, x)) for x in _WEIGHTS]
        different = known & (noun == 0.0)
        vetoed = exclusive | (self.base[a] != self.base[b])
        if cfg.count_noun_veto:
            vetoed |= different & self.count[a]
        # dates: how far apart they are, and one past against one to come (`Aligner._score_views`);
        # other figures: how far apart their magnitudes are
        dates, others = np.flatnonzero(date), np.flatnonzero(~date)
        da, db = a[dates], b[dates]
        magnitude, two_events = np.empty(a.size), np.ones(a.size)
        magnitude[dates] = self._date_gap_factor(da, db)
        magnitude[others] = self._magnitude_factor(a[others], b[others], exact=False)
        two_events[dates] = np.where(
            self._past_then_future(da, db) | self._past_then_future(db, da), cfg.past_then_future_penalty, 1.0
        )
        # the bound: the other penalties taken as 1, boosts as if they applied, no cap at 1
        bound = w[0] * noun_bound + w[1] * trigger_bound + w[2] * context + w[3] * entities
        bound *= np.where(different, cfg.noun_mismatch_penalty, 1.0)
        bound *= np.where(self.short[a] & self.short[b], cfg.shared_period_boost, 1.0)
        bound *= np.where(both_only, cfg.only_measure_boost, 1.0)
        bound *= np.where(self._incompatible(a, b, margin=_MARGIN), 1.0, cfg.agreement_boost)
        bound *= magnitude
        bound *= two_events
        bound = np.where(vetoed, 0.0, bound * (1 + _MARGIN) + _MARGIN)
        bound[too_wide] = np.inf
        if not _penalties_and_boosts(cfg):
            bound[:] = np.inf  # (a configuration the bound does not follow)
        return _Terms(
            bound,
            both_only,
            noun,
            known,
            trigger,
            counted,
            too_wide,
            context,
            entities,
            entities_wide,
            w,
            vetoed,
            magnitude,
            two_events,
        )

    def _other_subjects(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether `Aligner._agent_agreement` of each pair of plain figures with subjects that
        share no word is 0 (another's figures): when neither subject is a word of the other's
        subject or context, nor the same word inflected (both of five letters or more and one
        the other's prefix, or `fuzz.ratio` at least 85). Archives have millions of such pairs
        (one town, two stories); their words are compared by rapidfuzz, not a call per pair."""
        related = np.zeros(a.size, dtype=bool)
        for start in range(0, a.size, _CHUNK_ELEMENTS // 8):
            part = slice(start, start + _CHUNK_ELEMENTS // 8)
            related[part] = self._mentions(a[part], b[part]) | self._mentions(b[part], a[part])
        return ~related

    def _mentions(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether a word of a's subject is one of b's subject or context words, or the same word
        inflected (see `_other_subjects`)."""
        who, around = self.who, self.around
        size_a = who.offsets[a + 1] - who.offsets[a]
        size_b = around.offsets[b + 1] - around.offsets[b]
        per_pair = size_a * size_b
        pair = np.repeat(np.arange(a.size), per_pair)
        k = np.arange(pair.size) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
        width = size_b[pair]
        x = who.ids[who.offsets[a][pair] + k // width]
        y = around.ids[around.offsets[b][pair] + k % width]
        found = x == y
        lengths = self.lengths
        fuzzy = np.flatnonzero(~found & (lengths[x] >= SAME_WORD_LETTERS) & (lengths[y] >= SAME_WORD_LETTERS))
        if fuzzy.size:
            xs, ys = self.vocabulary[x[fuzzy]], self.vocabulary[y[fuzzy]]
            ratios = process.cpdist(
                xs, ys, scorer=fuzz.ratio, score_cutoff=SAME_WORD_RATIO, dtype=np.float64, workers=1
            )
            close = ratios > 0
            prefix = process.cpdist(xs, ys, scorer=Prefix.similarity, dtype=np.int64, workers=1)
            found[fuzzy] = close | (prefix == np.minimum(lengths[x[fuzzy]], lengths[y[fuzzy]]))
        return np.bincount(pair[found], minlength=a.size) > 0

    def _nouns(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The noun agreement of each pair (NaN for none) where both facts have a counted noun
        without names on it, and where that is so."""
        na, nb = self.noun[a], self.noun[b]
        known = (na >= 0) & (nb >= 0)
        noun = np.full(a.size, np.nan)
        if known.any():
            names, agreement = self.noun_names, self.aligner._nouns_agreement
            found, places = by_distinct_pairs(
                na[known], nb[known], len(names), lambda x, y: agreement(names[x], names[y])
            )
            noun[known] = np.array([np.nan if v is None else v for v in found], dtype=float)[places]
        return noun, known

    def _events(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The event agreement of each pair (NaN for none), and whether they are events that
        exclude each other: asked of the scorer once per pair of signatures."""
        rows, view_of, aligner = self.event_rows, self.view_of, self.aligner

        def ask(x: int, y: int) -> tuple[float, bool]:
            va, vb = view_of(rows[x]), view_of(rows[y])
            agreement = aligner._trigger_agreement(va, vb)
            return np.nan if agreement is None else agreement, aligner._exclusive_events(va, vb)

        found, places = by_distinct_pairs(self.events[a], self.events[b], len(rows), ask)
        agreement = np.array([x for x, _ in found], dtype=float)
        return agreement[places], np.array([e for _, e in found], dtype=bool)[places]

    def _entities(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`Aligner._context_evidence`'s entity agreement, for all pairs at once (at its most
        favourable for pairs too wide to work out, which are also returned)."""
        _, inter, too_wide = shared_weights(self.entities, a, b)
        inter = np.where(too_wide, np.minimum(self.entity_sum[a], self.entity_sum[b]), inter)
        sa, sb = self.entity_sum[a], self.entity_sum[b]
        union = sa + sb - inter
        smaller = np.minimum(sa, sb)
        jaccard = np.divide(inter, union, out=np.zeros(a.size), where=union != 0)
        containment = np.divide(inter, smaller, out=np.zeros(a.size), where=smaller != 0)
        c = self.aligner.config.entity_containment
        agreement = (1 - c) * jaccard + c * containment
        return np.where(self.has_entities[a] | self.has_entities[b], agreement, 0.5), too_wide

    def _incompatible(self, a: np.ndarray, b: np.ndarray, margin: float) -> np.ndarray:
        """The pairs of figures in one unit whose intervals are further apart than the kind's
        tolerance allows (`compare.compatible`), by `margin`, and the pairs of dates further apart
        than its slack: they never get the agreement boost."""
        quantities = (self.unit[a] >= 0) & (self.unit[a] == self.unit[b])
        la, ha, lb, hb = self.low[a], self.high[a], self.low[b], self.high[b]
        with np.errstate(invalid="ignore"):
            gap = np.maximum(np.maximum(lb - ha, la - hb), 0.0)
            ends = np.stack([la, ha, lb, hb])
            scale = np.where(np.isfinite(ends), np.abs(ends), 0.0).max(axis=0)
        allowed = np.maximum(self.relative[a] * scale, self.absolute[a])
        sa, ea, sb, eb = self.span_start[a], self.span_end[a], self.span_start[b], self.span_end[b]
        slack = self.slack[a]
        dates_apart = np.where(
            self.extent[a] & self.extent[b],  # ("November 18-19" and "November 19-20": two schedules)
            (np.abs(sa - sb) > slack) | (np.abs(ea - eb) > slack),
            (sa - slack > eb) | (sb - slack > ea),
        )
        return (quantities & (gap > allowed * (1 + margin) + margin)) | (
            self.dated[a] & self.dated[b] & dates_apart
        )

    def _date_gap_factor(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """`Aligner._date_gap_factor` of each pair, to the last bit (1 where either is no date)."""
        cfg = self.aligner.config
        sa, ea, sb, eb = self.span_start[a], self.span_end[a], self.span_start[b], self.span_end[b]
        gap = np.maximum(np.maximum(sb - ea, sa - eb), 0)
        years = np.minimum(ea - sa, eb - sb) >= 364  # (two years: gaps in years)
        gap = np.where(years, np.where(gap > 0, np.abs(self.start_year[a] - self.start_year[b]), 0), gap)
        near = np.where(years, cfg.year_gap[0], cfg.date_gap_days[0])
        far = np.where(years, cfg.year_gap[1], cfg.date_gap_days[1])
        floor = cfg.date_gap_floor
        factor = np.maximum(floor, 1.0 - (1.0 - floor) * (gap - near) / np.maximum(far - near, 1))
        return np.where(self.dated[a] & self.dated[b] & (gap > near), factor, 1.0)

    def _past_then_future(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """`Aligner._past_then_future` of each pair."""
        return self.past[a] & self.future[b] & (self.published_end[a] <= self.published_start[b])

    def _magnitude_factor(self, a: np.ndarray, b: np.ndarray, exact: bool = True) -> np.ndarray:
        """`Aligner._magnitude_factor` of each pair, to the last bit: the logarithms (of the pairs
        between "near" and "apart") are Python's, as numpy's may differ in the last place. Not
        `exact`: numpy's, for a bound (a call per pair would cost more than the rest of it)."""
        cfg = self.aligner.config
        xa, xb = self.magnitude[a], self.magnitude[b]
        with np.errstate(invalid="ignore"):
            valid = (xa > 0) & (xb > 0)
        ratio = np.ones(a.size)
        ratio[valid] = np.maximum(xa[valid], xb[valid]) / np.minimum(xa[valid], xb[valid])
        factor = np.where(ratio > cfg.magnitude_ratio, cfg.magnitude_penalty, 1.0)
        between = np.flatnonzero((ratio > cfg.magnitude_near) & (ratio <= cfg.magnitude_ratio))
        near, log, span = cfg.magnitude_near, math.log, math.log(cfg.magnitude_ratio / cfg.magnitude_near)
        shrink = 1.0 - cfg.magnitude_floor
        if exact:
            factor[between] = [1.0 - shrink * (log(r / near) / span) for r in ratio[between].tolist()]
        else:
            factor[between] = 1.0 - shrink * (np.log(ratio[between] / near) / span)
        return factor


# the evidence weights, in the order `ScoreBounds.evaluate` adds them
_WEIGHTS = ("noun", "trigger", "context", "entities")
# the factors of `Aligner._score_views` that only ever lower a score, as configured by default
_PENALTIES = (
    "trigger_mismatch_penalty",
    "modality_mismatch_penalty",
    "increment_mismatch_penalty",
    "total_mismatch_penalty",
    "agent_mismatch_penalty",
    "noun_mismatch_penalty",
    "unanchored_penalty",
    "unnamed_penalty",
    "date_gap_floor",
    "past_then_future_penalty",
)
_BOOSTS = ("shared_period_boost", "only_measure_boost", "agreement_boost")


def _penalties_and_boosts(cfg: AlignConfig) -> bool:
    """Whether every penalty is at most 1 and every boost at least 1, as the bound assumes."""
    return all(0.0 <= getattr(cfg, x) <= 1.0 for x in _PENALTIES) and all(
        getattr(cfg, x) >= 1.0 for x in _BOOSTS
    )


def signature(
    date: bool, events: tuple[str, ...], event_words: tuple[str, ...], subject_events: frozenset[str]
) -> tuple[object, ...]:
    """Everything `Aligner._trigger_agreement` reads of a fact (see `_FactView`)."""
    first = event_words[0] if event_words else None
    subject = tuple(sorted(subject_events)) if subject_events else ()
    return (date, events, first, subject)
