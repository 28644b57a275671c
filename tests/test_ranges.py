"""Range max/min queries (sparse table) against plain slices, ties first or last."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.facts.ranges import RangeExtreme, median, prefix_sum, range_sum


@pytest.mark.parametrize("n", [1, 2, 3, 7, 64, 301])
@pytest.mark.parametrize("kind", ["max", "min"])
@pytest.mark.parametrize("first", [True, False])
def test_range_extreme_matches_slices(n, kind, first):
    rng = np.random.default_rng(n)
    values = rng.integers(0, 6, n).astype(float)  # many ties
    table = RangeExtreme(values, kind, first)
    a, b = rng.integers(0, n, 300), rng.integers(0, n, 300)
    got_v, got_i = table.query(a, b)
    for x, y, v, i in zip(a, b, got_v, got_i, strict=True):
        if x > y:
            assert i == -1 and v == (-np.inf if kind == "max" else np.inf)
            continue
        seg = values[x : y + 1]
        best = seg.max() if kind == "max" else seg.min()
        hits = np.flatnonzero(seg == best)
        assert v == best and i == x + (hits[0] if first else hits[-1])


def test_bounded_table_answers_ranges_up_to_its_bound():
    values = np.random.default_rng(1).normal(size=500)
    table = RangeExtreme(values, "max", max_len=40)
    a = np.arange(0, 460)
    b = a + 39
    assert np.array_equal(table.value(a, b), [values[x : x + 40].max() for x in a])


def test_range_sum():
    v = np.arange(10.0)
    ps = prefix_sum(v)
    assert range_sum(ps, np.array([0, 3, 5]), np.array([9, 3, 4])).tolist() == [45.0, 3.0, 0.0]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 10, 63, 64, 750, 2457, 2514])
def test_median_is_numpys_median_exactly(n):
    import statistics

    rng = np.random.default_rng(n)
    values = np.cumsum(rng.normal(0.0, 2.0, n))  # a walk: sorted runs, the hard case for selects
    values[rng.integers(0, n, n // 5)] = values[0]  # ties
    want = np.median(values)
    assert median(values) == want  # the same float, not just close
    assert median(values) == pytest.approx(statistics.median(values.tolist()), rel=1e-15)
    assert type(median(values)) is float


def test_median_of_data_with_a_nan_is_nan_and_leaves_the_input_alone():
    values = np.array([3.0, 1.0, np.nan, 2.0])
    before = values.copy()
    assert np.isnan(median(values)) and np.isnan(median(values[::-1]))
    assert np.isnan(median(np.array([np.nan])))
    assert median(np.array([1.0, 2.0, 3.0, np.inf])) == 2.5
    np.testing.assert_array_equal(values, before)
