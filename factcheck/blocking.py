"""A whole corpus's blocks, worked out by numpy from each fact's word ids.

A fact's block keys (`Aligner.block_keys`) are strings: its kind and unit, then its counted
noun or event class, one of its rarest entities or rarest shared words, or the whole kind and
unit. Made fact by fact, an archive's keys cost some ten microseconds of Python per fact, most of
it formatting and sorting strings that are the same for thousands of facts. Here each fact
contributes its word ids once, and the keys are pairs of integers (key, fact): the rarest words
are chosen, the keys deduplicated and the blocks grouped by sorting them, and only the keys of
blocks worth comparing are ever written out as strings. The blocks are those of the facts'
own keys, each fact once per block, in order (a test holds them to that).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from factcheck.arrays import distinct

# what a key is made of, after its kind and unit
_STATIC, _ENTITY, _WORD, _ONLY, _WHOLE = range(5)
_KINDS_OF_KEY = 5
NO_RANK = np.iinfo(np.int64).max  # (a word that is no key)


@dataclass(frozen=True)
class BlockInputs:
    """What the keys of each fact come of, as flat arrays (the words of fact `i` are the next
    `counts[i]` ids). A fact that is never aligned has base -1 and no words."""

    base: np.ndarray  # id of its kind and unit ("count|None"), in `base_names`
    only: np.ndarray  # the only figure of its kind and unit in its document
    entity_counts: np.ndarray  # its entities, in order, repeats included
    entity_ids: np.ndarray
    word_counts: np.ndarray  # its context's concepts, each once
    word_ids: np.ndarray
    static_counts: np.ndarray  # its noun and event keys, as suffixes ("n:home", "t:kill")
    static_ids: np.ndarray
    base_names: list[str]
    words: list[str]  # by id: entities and concepts
    suffixes: list[str]  # by id


def blocks_of(
    inputs: BlockInputs,
    entity_rank: np.ndarray,
    word_rank: np.ndarray,
    max_entity_keys: int,
    max_keyword_keys: int,
    cap: Callable[[str], int],
    largest_cap: int,
) -> dict[str, np.ndarray]:
    """The blocks of two facts or more that are compared in full (no larger than `cap` of their
    key, which is at most `largest_cap`), each with its facts in order. `entity_rank` and
    `word_rank` give each word id's place among the corpus's entities and shared words, rarest
    first (`NO_RANK`: not one)."""
    n = int(inputs.base.size)
    facts = np.arange(n, dtype=np.int64)
    parts: list[tuple[np.ndarray, np.ndarray, int]] = []  # (facts, word ids, kind of key)
    parts.append((np.repeat(facts, inputs.static_counts), inputs.static_ids, _STATIC))
    owners = np.repeat(facts, inputs.entity_counts)
    keep = _rarest(owners, entity_rank[inputs.entity_ids], max_entity_keys)
    parts.append((owners[keep], inputs.entity_ids[keep], _ENTITY))
    # its shared words (each once: the rarest of its words, not of their uses)
    owners = np.repeat(facts, inputs.word_counts)
    shared = word_rank[inputs.word_ids] != NO_RANK
    owners, ids = owners[shared], inputs.word_ids[shared]
    keep = _rarest(owners, word_rank[ids], max_keyword_keys)
    parts.append((owners[keep], ids[keep], _WORD))
    only = np.flatnonzero(inputs.only & (inputs.base >= 0))
    parts.append((only, np.zeros(only.size, dtype=np.int64), _ONLY))
    aligned = np.flatnonzero(inputs.base >= 0)
    parts.append((aligned, np.zeros(aligned.size, dtype=np.int64), _WHOLE))

    width = max(len(inputs.words), len(inputs.suffixes), 1)
    keys = np.concatenate(
        [(inputs.base[owner] * _KINDS_OF_KEY + kind) * width + ids for owner, ids, kind in parts]
    )
    owner = np.concatenate([owner for owner, _, _ in parts])
    if keys.size == 0:
        return {}
    # each fact once per key, the keys' facts in order: one sort of (key, fact)
    pairs = distinct(keys * n + owner, int(keys.max()) * n + n)
    keys, owner = np.divmod(pairs, n)
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    sizes = np.diff(np.append(starts, keys.size))
    # (only the blocks that some cap lets through are named, and their own cap asked)
    kept = (sizes >= 2) & (sizes <= largest_cap)
    blocks: dict[str, np.ndarray] = {}
    for key, start, size in zip(
        keys[starts[kept]].tolist(), starts[kept].tolist(), sizes[kept].tolist(), strict=True
    ):
        name = _key_name(key, width, inputs)
        if size <= cap(name):
            blocks[name] = owner[start : start + size]
    return blocks


def _rarest(owners: np.ndarray, ranks: np.ndarray, most: int) -> np.ndarray:
    """Mask of each owner's `most` entries of lowest rank (of entries of one rank, the first):
    all of an owner's entries when it has no more. The owners' entries are consecutive, in
    order. `most` is a few, so the owners with more are given their rarest entry `most` times
    over, by a minimum per owner of what is left: no sort."""
    keep = np.ones(owners.size, dtype=bool)
    if owners.size == 0:
        return keep
    counts = np.bincount(owners)
    many = np.flatnonzero(counts[owners] > most)
    if many.size == 0:
        return keep
    mine = owners[many]
    starts = np.flatnonzero(np.concatenate([[True], mine[1:] != mine[:-1]]))
    segment = np.cumsum(np.concatenate([[False], mine[1:] != mine[:-1]]))
    # (rank, place among the owner's entries): one entry per value in each owner's; a word
    # with no rank comes last
    order = np.arange(many.size) - starts[segment]
    left = np.minimum(ranks[many], np.iinfo(np.int32).max) * (int(order.max()) + 1) + order
    chosen = np.zeros(many.size, dtype=bool)
    for _ in range(most):
        least = np.minimum.reduceat(left, starts)
        chosen |= left == least[segment]
        left = np.where(chosen, NO_RANK, left)
    keep[many] = chosen
    return keep


def _key_name(key: int, width: int, inputs: BlockInputs) -> str:
    """The block key string of a key id: what `Aligner.block_keys` names it."""
    rest, word = divmod(key, width)
    base, kind = divmod(rest, _KINDS_OF_KEY)
    name = inputs.base_names[base]
    if kind == _STATIC:
        return f"{name}|{inputs.suffixes[word]}"
    if kind == _ENTITY:
        return f"{name}|e:{inputs.words[word]}"
    if kind == _WORD:
        return f"{name}|k:{inputs.words[word]}"
    return f"{name}|only" if kind == _ONLY else f"{name}|*"
