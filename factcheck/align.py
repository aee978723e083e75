"""Decide which facts from different documents state the same thing.

Three steps, as record-linkage tools such as Splink do it:

1. **Block**: each fact gets a few keys (kind + dimension + counted noun,
   + trigger class, + its rarest entities); only facts sharing a key are ever
   compared, and keys shared by too many facts are dropped as uninformative,
   so the number of scored pairs grows near-linearly with the corpus.
2. **Score** candidate pairs: rapidfuzz over the context strings (vectorised
   with `process.cdist` inside each block), plus agreement of counted noun,
   trigger and entities, with vetoes for what can never be the same fact (a
   part against its total, different anchor years).
3. **Cluster** with average linkage, so that a chain of weak links never glues
   unrelated facts together.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from factcheck.lexicon import Lexicon
from factcheck.models import Fact, FactCluster


@dataclass(frozen=True)
class AlignConfig:
    """Weights and thresholds of alignment. Defaults are the tuned product defaults;
    configuration files and rules may override any of them."""

    threshold: float = 0.62
    weight_context: float = 0.30
    weight_entities: float = 0.30
    weight_noun: float = 0.25
    weight_trigger: float = 0.15
    noun_match_ratio: float = 85.0
    max_block_size: int = 400
    max_entity_keys: int = 3
    max_cluster_size: int = 50
    within_document: bool = False
    # minimum context similarity below which a pair is not worth a full score
    prefilter_context: float = 20.0


@dataclass
class AlignStats:
    facts: int = 0
    blocks: int = 0
    candidate_pairs: int = 0
    scored_pairs: int = 0
    aligned_pairs: int = 0


@dataclass
class Alignment:
    clusters: list[FactCluster]
    pair_scores: dict[tuple[int, int], float] = field(default_factory=dict)
    stats: AlignStats = field(default_factory=AlignStats)


class Aligner:
    def __init__(self, lexicon: Lexicon, config: AlignConfig | None = None) -> None:
        self.lex = lexicon
        self.config = config or AlignConfig()

    # ---- features ----------------------------------------------------------

    def trigger_class(self, fact: Fact) -> str | None:
        trig = fact.context.trigger
        if trig is None:
            return None
        return self.lex.trigger_class.get(trig, trig)

    def trigger_classes(self, fact: Fact) -> list[str]:
        return [self.lex.trigger_class.get(t, t) for t in fact.context.triggers]

    def trigger_agreement(self, a: Fact, b: Fact) -> float:
        """1 when the nearest event words mean the same, 0.8 when any on the path do."""
        ta, tb = self.trigger_classes(a), self.trigger_classes(b)
        if not ta or not tb:
            return 0.5
        if ta[0] == tb[0]:
            return 1.0
        return 0.8 if set(ta) & set(tb) else 0.2

    def context_string(self, fact: Fact) -> str:
        ctx = fact.context
        words = [w for w in (ctx.noun, ctx.trigger) if w] + list(ctx.keywords)
        return " ".join(words)

    def block_keys(self, fact: Fact, entity_df: Counter[str]) -> list[str]:
        base = f"{fact.kind}|{fact.dimension}"
        keys = []
        if fact.context.noun:
            keys.append(f"{base}|n:{fact.context.noun}")
        trig = self.trigger_class(fact)
        if trig:
            keys.append(f"{base}|t:{trig}")
        rare = sorted(fact.context.entities, key=lambda e: (entity_df[e], e))[: self.config.max_entity_keys]
        keys += [f"{base}|e:{e}" for e in rare]
        if not keys:
            keys.append(f"{base}|-")
        return keys

    # ---- scoring -----------------------------------------------------------

    def _idf(self, facts: Sequence[Fact]) -> tuple[Counter[str], dict[str, float]]:
        df: Counter[str] = Counter()
        for f in facts:
            df.update(set(f.context.entities))
        n = max(len(facts), 1)
        return df, {e: math.log(1 + n / c) for e, c in df.items()}

    def features(self, a: Fact, b: Fact, context_ratio: float, idf: dict[str, float]) -> dict[str, float] | None:
        """Evidence that two facts state the same thing, or None when they cannot."""
        cfg = self.config
        if a.kind != b.kind or a.dimension != b.dimension:
            return None
        ca, cb = a.context, b.context
        if ca.role and cb.role and ca.role != cb.role:
            return None  # "eight of 34 provinces": the part is not the total
        if a.kind != "date" and ca.years and cb.years and not set(ca.years) & set(cb.years):
            return None  # "58.7% in 2019" is not this year's turnout
        if ca.noun and cb.noun:
            noun = 1.0 if ca.noun == cb.noun or fuzz.ratio(ca.noun, cb.noun) >= cfg.noun_match_ratio else 0.0
            if noun == 0.0 and a.kind == "count":
                return None  # counts of different things
        else:
            noun = 0.5
        trigger = self.trigger_agreement(a, b)
        ea, eb = set(ca.entities), set(cb.entities)
        if ea or eb:
            inter = sum(idf.get(e, 1.0) for e in ea & eb)
            union = sum(idf.get(e, 1.0) for e in ea | eb)
            entities = inter / union if union else 0.0
        else:
            entities = 0.5
        return {"context": context_ratio / 100.0, "entities": entities, "noun": noun, "trigger": trigger}

    def score_pair(self, a: Fact, b: Fact, context_ratio: float, idf: dict[str, float]) -> float:
        """Similarity in [0, 1] of what two facts are about; 0 when they cannot be the same fact."""
        feats = self.features(a, b, context_ratio, idf)
        if feats is None:
            return 0.0
        cfg = self.config
        return (
            cfg.weight_context * feats["context"]
            + cfg.weight_entities * feats["entities"]
            + cfg.weight_noun * feats["noun"]
            + cfg.weight_trigger * feats["trigger"]
        )

    # ---- the whole pass ---------------------------------------------------

    def align(self, facts: Sequence[Fact]) -> Alignment:
        cfg = self.config
        stats = AlignStats(facts=len(facts))
        entity_df, idf = self._idf(facts)
        blocks: dict[str, list[int]] = defaultdict(list)
        for i, f in enumerate(facts):
            if f.kind == "date" and f.value.type == "date" and f.value.span is None:
                continue  # an unresolved date can agree or disagree with nothing
            for key in self.block_keys(f, entity_df):
                blocks[key].append(i)
        contexts = [self.context_string(f) for f in facts]
        candidates: dict[tuple[int, int], float] = {}
        for key in sorted(blocks):
            members = blocks[key]
            if len(members) < 2 or len(members) > cfg.max_block_size:
                continue
            stats.blocks += 1
            texts = [contexts[i] for i in members]
            matrix = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, dtype=np.uint8, workers=1)
            for x in range(len(members)):
                i = members[x]
                for y in range(x + 1, len(members)):
                    j = members[y]
                    if not cfg.within_document and facts[i].doc_id == facts[j].doc_id:
                        continue
                    pair = (i, j) if i < j else (j, i)
                    if pair not in candidates:
                        candidates[pair] = float(matrix[x, y])
        stats.candidate_pairs = len(candidates)
        scores: dict[tuple[int, int], float] = {}
        for (i, j), ratio in sorted(candidates.items()):
            if ratio < cfg.prefilter_context:
                continue
            stats.scored_pairs += 1
            s = self.score_pair(facts[i], facts[j], ratio, idf)
            if s > 0:
                scores[(i, j)] = s
        clusters = self._cluster(facts, scores, idf)
        stats.aligned_pairs = sum(1 for s in scores.values() if s >= cfg.threshold)
        return Alignment(clusters, scores, stats)

    def _cluster(
        self, facts: Sequence[Fact], scores: dict[tuple[int, int], float], idf: dict[str, float]
    ) -> list[FactCluster]:
        """Greedy average-linkage: merge the best pairs first, and only while the
        clusters stay similar on average (pairs never scored are scored now)."""
        cfg = self.config
        cluster_of: dict[int, int] = {}
        members: dict[int, list[int]] = {}

        def pair_score(i: int, j: int) -> float:
            key = (i, j) if i < j else (j, i)
            if key not in scores:
                if facts[i].doc_id == facts[j].doc_id:
                    return cfg.threshold  # same document: neutral, judged by the others
                ratio = fuzz.token_set_ratio(self.context_string(facts[i]), self.context_string(facts[j]))
                scores[key] = self.score_pair(facts[i], facts[j], ratio, idf)
            return scores[key]

        for (i, j), s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
            if s < cfg.threshold:
                break
            ci, cj = cluster_of.get(i), cluster_of.get(j)
            if ci is not None and ci == cj:
                continue
            group_i = members[ci] if ci is not None else [i]
            group_j = members[cj] if cj is not None else [j]
            if len(group_i) + len(group_j) > cfg.max_cluster_size:
                continue
            links = [pair_score(x, y) for x in group_i for y in group_j]
            if min(links) <= 0.0 or sum(links) / len(links) < cfg.threshold:
                continue
            new_id = min(ci if ci is not None else i + len(facts), cj if cj is not None else j + len(facts))
            merged = group_i + group_j
            for old in (ci, cj):
                if old is not None and old != new_id:
                    members.pop(old, None)
            members[new_id] = merged
            for x in merged:
                cluster_of[x] = new_id
        out = []
        for ids in members.values():
            ordered = sorted(ids)
            inner = [scores.get((x, y), 0.0) for n, x in enumerate(ordered) for y in ordered[n + 1 :]]
            out.append(FactCluster(tuple(facts[x] for x in ordered), round(sum(inner) / max(len(inner), 1), 4)))
        out.sort(key=lambda c: (c.facts[0].doc_id, c.facts[0].start))
        return out
