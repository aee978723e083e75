"""An upper bound of alignment's pair score, worked out for many pairs at once.

Most of an archive's shortlisted pairs are two facts that share a place or a person but are
not one figure, and score well below the threshold. Scoring a pair in Python costs some ten
microseconds; this bound costs a fraction of one per pair in numpy. A pair whose bound is below
the threshold is not scored up front, and nothing is lost: only pairs at or above the threshold
start a group, and when clustering needs a weaker pair (the mean link of two groups) it scores
that pair then. The clusters are those of scoring every pair.

The bound follows `Aligner._score_views` term by term. What costs most in Python is computed
exactly: the IDF-weighted cosine of the context words, the weighted overlap of the entities,
how far apart the figures are and whether they can agree. The noun and event agreement come
of a few word classes, so they are asked of the scorer's own methods once per pair of classes.
Every other factor is taken at its most favourable value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from factcheck.arrays import factorise
from factcheck.compare import _bounds
from factcheck.models import QuantityValue

if TYPE_CHECKING:
    from factcheck.align import AlignConfig, Aligner, _FactView

# what the sums of the bound may differ by from the scorer's (numpy adds in another order)
_MARGIN = 1e-9
# elements of the (pairs x words x words) comparison arrays made at once
_CHUNK_ELEMENTS = 4_000_000
# facts with more context words or entities than this are never pruned (a comparison array per
# pair of that width would cost more than scoring the pair)
_MAX_WIDTH = 64


@dataclass(frozen=True)
class _Ragged:
    """A list of (word id, weight) lists, one per fact, as flat arrays: the words of fact `r`
    are `ids[offsets[r]:offsets[r + 1]]`, each once."""

    offsets: np.ndarray
    ids: np.ndarray
    weights: np.ndarray

    @classmethod
    def build(cls, sizes: list[int], ids: list[int], weights: list[float]) -> _Ragged:
        offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        # (one padding element, so that gathering from an empty list stays in bounds)
        return cls(offsets, np.array([*ids, -1], dtype=np.int64), np.array([*weights, 0.0]))

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
    and whether the pair was too wide to be worked out (then both sums are 0)."""
    sizes = np.diff(words.offsets)
    width = np.maximum(sizes[a], sizes[b])
    dot = np.zeros(a.size)
    own = np.zeros(a.size)
    too_wide = width > _MAX_WIDTH
    # pairs by width, rounded up to a power of two: a few arrays' shapes, little padding
    bucket = np.where(width <= 1, 1, 2 ** np.ceil(np.log2(np.maximum(width, 1))).astype(np.int64))
    for k in np.flatnonzero(np.bincount(bucket[~too_wide], minlength=1)).tolist():
        chosen = np.flatnonzero((bucket == k) & ~too_wide)
        step = max(1, _CHUNK_ELEMENTS // (k * k))
        for start in range(0, chosen.size, step):
            part = chosen[start : start + step]
            ids_a, wa = words.gather(a[part], k, -1)
            ids_b, wb = words.gather(b[part], k, -2)
            same = ids_a[:, :, None] == ids_b[:, None, :]  # (words are each once per fact)
            matched = (same * wb[:, None, :]).sum(axis=2)
            dot[part] = (wa * matched).sum(axis=1)
            own[part] = (wa * same.any(axis=2)).sum(axis=1)
    return dot, own, too_wide


class ScoreBounds:
    """What the bound reads of each fact, as arrays (row `r` is `views[r]`)."""

    def __init__(self, aligner: Aligner, views: list[_FactView]) -> None:
        self.aligner = aligner
        self.views = views
        tolerance_of = aligner.compare_config.tolerance_of
        vocabulary: dict[str, int] = {}
        word = vocabulary.setdefault
        nouns: dict[str, int] = {}
        signatures: dict[tuple[object, ...], int] = {}
        n = len(views)
        self.date = np.zeros(n, dtype=bool)
        self.only = np.zeros(n, dtype=bool)
        self.short = np.zeros(n, dtype=bool)
        self.attributive = np.zeros(n, dtype=bool)
        self.has_entities = np.zeros(n, dtype=bool)
        self.noun = np.full(n, -1, dtype=np.int64)  # a counted noun with no names on it, or -1
        self.events = np.zeros(n, dtype=np.int64)  # what event agreement reads (see `_signature`)
        self.norm = np.zeros(n)
        self.entity_sum = np.zeros(n)
        self.magnitude = np.full(n, np.nan)
        self.unit = np.full(n, -1, dtype=np.int64)  # a quantity's unit, or -1 for other values
        self.low = np.zeros(n)
        self.high = np.zeros(n)
        self.relative = np.zeros(n)
        self.absolute = np.zeros(n)
        units: dict[str | None, int] = {}
        word_sizes, word_ids, word_weights = [], [], []
        entity_sizes, entity_ids, entity_weights = [], [], []
        for r, v in enumerate(views):
            ctx = v.context
            self.date[r] = v.kind == "date"
            self.only[r] = v.only
            self.short[r] = bool(v.short_anchors)
            self.attributive[r] = ctx.attributive
            self.has_entities[r] = bool(ctx.entities)
            if ctx.noun and not v.names:
                self.noun[r] = nouns.setdefault(ctx.noun, len(nouns))
            key = _signature(v)
            self.events[r] = signatures.setdefault(key, len(signatures))
            self.norm[r] = v.norm
            self.entity_sum[r] = v.entity_sum
            if v.magnitude is not None:
                self.magnitude[r] = v.magnitude
            value = v.fact.value
            if isinstance(value, QuantityValue):
                self.unit[r] = units.setdefault(value.unit, len(units))
                self.low[r], self.high[r] = _bounds(value)
                tolerance = tolerance_of(v.kind)
                self.relative[r], self.absolute[r] = tolerance.relative, tolerance.absolute
            vector = v.vector
            word_sizes.append(len(vector))
            word_ids += [word(w, len(vocabulary)) for w in vector]
            word_weights += vector.values()
            entity_sizes.append(len(v.entities))
            entity_ids += [word(e, len(vocabulary)) for e in v.entities]
            weight = v.idf.get  # type: ignore[union-attr]
            entity_weights += [weight(e, 1.0) for e in v.entities]
        self.count = np.array([v.kind == "count" for v in views], dtype=bool)
        self.noun_names = list(nouns)
        # a fact of each signature, by its id
        self.event_rows = np.unique(self.events, return_index=True)[1].tolist()
        self.words = _Ragged.build(word_sizes, word_ids, word_weights)
        self.entities = _Ragged.build(entity_sizes, entity_ids, entity_weights)

    def bounds(self, a: np.ndarray, b: np.ndarray, ratio: np.ndarray) -> np.ndarray:
        """An upper bound of `Aligner._score_views` of each pair of rows (a[p], b[p])."""
        cfg = self.aligner.config
        if not _penalties_and_boosts(cfg):
            return np.full(a.size, np.inf)  # (a configuration the bound does not follow)
        both_only = self.only[a] & self.only[b]
        noun, known = self._nouns(a, b)  # (NaN: a side names nothing counted)
        trigger = self._events(a, b)
        # "a 90-day truce": the noun says what the figure is, and a weak event match says nothing
        attributive = self.attributive[a] | self.attributive[b]
        with np.errstate(invalid="ignore"):
            weak = np.where(trigger < 0.7, np.nan, trigger)
        filled, weak = np.nan_to_num(trigger, nan=0.4), np.nan_to_num(weak, nan=0.4)
        trigger = np.where(
            attributive & known & (noun == 1.0),
            weak,
            np.where(attributive & ~known, np.maximum(filled, weak), filled),
        )
        if cfg.trigger_mismatch_value == 0.0:  # (the one mass of each story: see `_evidence`)
            trigger = np.where(both_only & (trigger == 0.0), 0.4, trigger)
        none = np.isnan(noun)
        noun = np.where(known, np.where(none, np.where(both_only, 1.0, 0.5), noun), 1.0)
        dot, _, too_wide = shared_weights(self.words, a, b)
        norms = self.norm[a] * self.norm[b]
        cosine = np.divide(dot, norms, out=np.zeros(a.size), where=norms > 0)
        share = cfg.cosine_share
        context = (1 - share) * ratio / 100.0 + (share * cosine if share else 0.0)
        entities = self._entities(a, b)
        date = self.date[a]
        w = [np.where(date, getattr(cfg.date_weights, x), getattr(cfg.quantity_weights, x)) for x in _WEIGHTS]
        score = w[0] * noun + w[1] * trigger + w[2] * context + w[3] * entities
        # (the other penalties are taken as 1: a pair's bound ignores them)
        different = known & (noun == 0.0)
        score *= np.where(different, cfg.noun_mismatch_penalty, 1.0)
        if cfg.count_noun_veto:
            score *= ~(different & self.count[a])
        score *= np.where(self.short[a] & self.short[b], cfg.shared_period_boost, 1.0)
        score *= np.where(both_only, cfg.only_measure_boost, 1.0)
        score *= np.where(self._incompatible(a, b), 1.0, cfg.agreement_boost)
        score *= np.where(date, 1.0, self._magnitude_factor(a, b))
        score[too_wide] = np.inf
        return score * (1 + _MARGIN) + _MARGIN

    def _nouns(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The noun agreement of each pair (NaN for none) where both facts have a counted noun
        without names on it, and where that is so."""
        na, nb = self.noun[a], self.noun[b]
        known = (na >= 0) & (nb >= 0)
        noun = np.full(a.size, np.nan)
        if known.any():
            width = len(self.noun_names)
            keys, inverse = factorise(na[known] * width + nb[known], width * width)
            names, agreement = self.noun_names, self.aligner._nouns_agreement
            found = [agreement(names[k // width], names[k % width]) for k in keys.tolist()]
            values = np.array([np.nan if x is None else x for x in found], dtype=float)
            noun[known] = values[inverse]
        return noun, known

    def _events(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The event agreement of each pair (NaN for none), asked once per pair of signatures."""
        sa, sb = self.events[a], self.events[b]
        width = len(self.event_rows)
        keys, inverse = factorise(sa * width + sb, width * width)
        rows, views, agreement = self.event_rows, self.views, self.aligner._trigger_agreement
        found = [agreement(views[rows[k // width]], views[rows[k % width]]) for k in keys.tolist()]
        return np.array([np.nan if x is None else x for x in found], dtype=float)[inverse]

    def _entities(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """`Aligner._context_evidence`'s entity agreement, for all pairs at once."""
        _, inter, too_wide = shared_weights(self.entities, a, b)
        inter = np.where(too_wide, np.minimum(self.entity_sum[a], self.entity_sum[b]), inter)
        sa, sb = self.entity_sum[a], self.entity_sum[b]
        union = sa + sb - inter
        smaller = np.minimum(sa, sb)
        jaccard = np.divide(inter, union, out=np.zeros(a.size), where=union != 0)
        containment = np.divide(inter, smaller, out=np.zeros(a.size), where=smaller != 0)
        c = self.aligner.config.entity_containment
        agreement = (1 - c) * jaccard + c * containment
        return np.where(self.has_entities[a] | self.has_entities[b], agreement, 0.5)

    def _incompatible(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The pairs of figures in one unit whose intervals are further apart than the kind's
        tolerance allows (`compare.compatible`), by a margin: they never get the agreement boost."""
        quantities = (self.unit[a] >= 0) & (self.unit[a] == self.unit[b])
        la, ha, lb, hb = self.low[a], self.high[a], self.low[b], self.high[b]
        with np.errstate(invalid="ignore"):
            gap = np.maximum(np.maximum(lb - ha, la - hb), 0.0)
            ends = np.stack([la, ha, lb, hb])
            scale = np.where(np.isfinite(ends), np.abs(ends), 0.0).max(axis=0)
        allowed = np.maximum(self.relative[a] * scale, self.absolute[a])
        return quantities & (gap > allowed * (1 + _MARGIN) + _MARGIN)

    def _magnitude_factor(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """`Aligner._magnitude_factor` of each pair."""
        cfg = self.aligner.config
        xa, xb = self.magnitude[a], self.magnitude[b]
        with np.errstate(invalid="ignore", divide="ignore"):
            valid = (xa > 0) & (xb > 0)
            ratio = np.where(valid, np.maximum(xa, xb) / np.where(valid, np.minimum(xa, xb), 1.0), 1.0)
            falling = 1.0 - (1.0 - cfg.magnitude_floor) * np.log(
                np.maximum(ratio, 1e-300) / cfg.magnitude_near
            ) / (math.log(cfg.magnitude_ratio / cfg.magnitude_near))
        factor = np.where(
            ratio > cfg.magnitude_ratio,
            cfg.magnitude_penalty,
            np.where(ratio <= cfg.magnitude_near, 1.0, falling),
        )
        return np.where(valid, factor, 1.0)


# the evidence weights, in the order `ScoreBounds.bounds` adds them
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


def _signature(view: _FactView) -> tuple[object, ...]:
    """Everything `Aligner._trigger_agreement` reads of a fact."""
    first = view.event_words[0] if view.event_words else None
    subject = tuple(sorted(view.subject_events)) if view.subject_events else ()
    return (view.kind == "date", tuple(view.events), first, subject)
