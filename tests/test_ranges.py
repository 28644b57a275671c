"""Range max/min queries (sparse table) against plain slices, ties first or last."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.facts.ranges import RangeExtreme, prefix_sum, range_sum


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
