"""Distinct values of large integer arrays, without `np.unique`'s hashing.

numpy 2's `np.unique` of a large array (without `return_index` or `return_inverse`) hashes its
values, which here is several times slower than sorting them, and slower still than the dense
tables below: alignment asks for the distinct facts of millions of pairs, whose indexes are
smaller than the number of facts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np

T = TypeVar("T")


class Ids(dict[str, int]):
    """Words and their ids, each word given the next id when first asked for (a lookup that
    finds the word is the dictionary's own, with no Python call)."""

    def __missing__(self, word: str) -> int:
        self[word] = found = len(self)
        return found


# dense tables of this many entries or fewer are cheaper than a sort: of flags (16 MB), of
# places (8 MB)
_DENSE_LIMIT = 1 << 24
_DENSE_INDEX_LIMIT = 1 << 20


def distinct(values: np.ndarray, size: int, runs: bool = False) -> np.ndarray:
    """The distinct values of `values` (non-negative integers below `size`), sorted; `runs`: they
    are a few sorted arrays put together."""
    if size <= _DENSE_LIMIT or size <= 4 * values.size:
        seen = np.zeros(size, dtype=bool)
        seen[values] = True
        return np.flatnonzero(seen)
    # (numpy's stable sort merges sorted runs in linear time: ten times faster than its default
    # sort on the pairs of several batches put together)
    ordered = np.sort(values, kind="stable" if runs else None)
    if ordered.size == 0:
        return ordered
    first = np.empty(ordered.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def factorise(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of `keys` (non-negative integers below `size`), sorted, and the place of
    each key among them: `np.unique(keys, return_inverse=True)`, in linear time for a small `size`."""
    if size > max(_DENSE_INDEX_LIMIT, 2 * keys.size):
        found, inverse = np.unique(keys, return_inverse=True)
        return found, inverse.ravel()
    seen = np.zeros(size, dtype=bool)
    seen[keys] = True
    found = np.flatnonzero(seen)
    place = np.zeros(size, dtype=np.int64)
    place[found] = np.arange(found.size)
    return found, place[keys]


def by_distinct_pairs(
    a: np.ndarray, b: np.ndarray, width: int, ask: Callable[[int, int], T]
) -> tuple[list[T], np.ndarray]:
    """`ask(x, y)` once per distinct pair of ids (a[p], b[p]) (each below `width`), and the place
    of each pair's answer among the answers: a few classes of words (nouns, event signatures)
    make millions of pairs but only a few distinct ones, and each answer costs a Python call."""
    keys, places = factorise(a * width + b, width * width)
    return [ask(*divmod(k, width)) for k in keys.tolist()], places


def components(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    """The connected component of each of `size` nodes joined by the edges (a[p], b[p]), named
    by its smallest node. Each round hooks every root that has an edge to another tree onto the
    smallest such root, then flattens the trees by pointer jumping: a few rounds of whole-array
    operations, where a union-find is a Python call per edge."""
    label = np.arange(size, dtype=np.int64)
    while True:
        la, lb = label[a], label[b]
        differ = la != lb
        if not differ.any():
            return label
        la, lb = la[differ], lb[differ]
        # (labels are roots here, and each node's label is a node of its component no larger
        # than itself: a root only ever takes a smaller root)
        np.minimum.at(label, np.maximum(la, lb), np.minimum(la, lb))
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
