"""The distinct values of integer arrays, against numpy's own `np.unique`."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from factcheck import arrays

sizes = st.sampled_from([1, 7, 1000, 1 << 21, 1 << 26])


@given(size=sizes, data=st.data())
def test_distinct_is_numpys_unique(size, data):
    values = np.array(data.draw(st.lists(st.integers(0, size - 1), max_size=60)), dtype=np.int64)
    assert arrays.distinct(values, size).tolist() == np.unique(values).tolist()


@given(size=sizes, data=st.data())
def test_factorise_is_numpys_unique_with_inverse(size, data):
    keys = np.array(data.draw(st.lists(st.integers(0, size - 1), max_size=60)), dtype=np.int64)
    found, places = arrays.factorise(keys, size)
    expected, inverse = np.unique(keys, return_inverse=True)
    assert found.tolist() == expected.tolist()
    assert places.tolist() == inverse.ravel().tolist()
    assert (found[places] == keys).all()


def _components_by_search(edges: list[tuple[int, int]], size: int) -> list[int]:
    """Each node's component, named by its smallest node, found by a plain graph search."""
    neighbours: list[list[int]] = [[] for _ in range(size)]
    for x, y in edges:
        neighbours[x].append(y)
        neighbours[y].append(x)
    label = [-1] * size
    for start in range(size):  # (in order: a search from a node reaches no smaller unlabelled one)
        if label[start] < 0:
            label[start], stack = start, [start]
            while stack:
                for y in neighbours[stack.pop()]:
                    if label[y] < 0:
                        label[y] = start
                        stack.append(y)
    return label


@given(size=st.integers(1, 40), data=st.data())
def test_components_are_those_of_a_graph_search(size, data):
    edges = data.draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=80))
    a = np.array([x for x, _ in edges], dtype=np.int64)
    b = np.array([y for _, y in edges], dtype=np.int64)
    assert arrays.components(a, b, size).tolist() == _components_by_search(edges, size)


def test_components_of_a_long_path_given_backwards():
    """A path whose edges come largest first: every round must still hook and flatten it whole."""
    n = 10_000
    a = np.arange(n - 1, 0, -1)
    assert arrays.components(a, a - 1, n).tolist() == [0] * n
    assert arrays.components(a[::2], a[::2] - 1, n).max() == n - 2
