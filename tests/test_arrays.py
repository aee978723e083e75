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
