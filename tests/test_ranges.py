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


def test_trailing_mean_by_hand():
    from analysis.facts.ranges import trailing_mean

    values = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    got = trailing_mean(values, 3)
    assert np.isnan(got[:2]).all() and got[2:].tolist() == [2.0, 3.0, 17.0 / 3.0]
    assert trailing_mean(values, 3, min_count=1).tolist()[:2] == [1.0, 1.5]
    assert np.isnan(trailing_mean(values, 3, min_count=2)[0])
    assert np.isnan(trailing_mean(values[:2], 3)).all()
    # a mean does not depend on what came before its window
    assert trailing_mean(np.r_[1e9, values], 3)[-1] == got[-1]


def test_day_numbers_dates_and_friday_weeks():
    from datetime import date

    from analysis.days import to_date, to_dates, week_numbers

    assert to_date(0) == date(1970, 1, 1) and to_date(np.int64(20431)) == date(2025, 12, 9)
    assert to_dates(np.array([1, 20431])) == [date(1970, 1, 2), date(2025, 12, 9)]
    # 2025-12-05 is a Friday (day 20427): Saturday 12-06 starts the next week
    assert week_numbers(np.array([20423, 20427, 20428, 20431])).tolist() == [2918, 2918, 2919,
                                                                              2919]
