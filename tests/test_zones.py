"""Zones: sorted-gap clustering with a volatility-scaled tolerance, the band and its touches,
position/distance, nearest overhead, no look-ahead, and what KRE's bars really show."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pandas as pd
import pytest

from analysis.bars import normalize_bars
from analysis.facts.pivots import Pivot, find_pivots
from analysis.facts.zones import Zone, cluster_starts, find_zones, nearest_overhead
from analysis.sources.sample import load_sample


def _loop_clusters(prices, gap, width):
    """The rule read plainly: sort, cut at gaps > gap, re-cut too-wide groups at the widest gap."""
    order = sorted(range(len(prices)), key=lambda i: prices[i])
    groups, cur = [], [order[0]]
    for a, b in zip(order, order[1:], strict=False):
        if np.log(prices[b]) - np.log(prices[a]) > gap:
            groups.append(cur)
            cur = []
        cur.append(b)
    groups.append(cur)
    done = []
    while groups:
        g = groups.pop()
        logs = [np.log(prices[i]) for i in g]
        if len(g) > 1 and logs[-1] - logs[0] > width:
            gaps = [logs[j + 1] - logs[j] for j in range(len(g) - 1)]
            cut = gaps.index(max(gaps)) + 1
            groups += [g[:cut], g[cut:]]
        else:
            done.append(sorted(g))
    return sorted(done)


def clusters(prices: np.ndarray, gap: float, max_width: float) -> list[list[int]]:
    """The clusters ``cluster_starts`` makes of ``prices`` sorted as find_zones sorts them, as
    sorted lists of indices into ``prices``."""
    order = np.argsort(prices, kind="stable")
    starts = cluster_starts(np.log(prices[order]), gap, max_width)
    return sorted(sorted(part.tolist()) for part in np.split(order, starts[1:]))


def test_clustering_matches_the_rule_read_as_a_loop():
    rng = np.random.default_rng(5)
    for _ in range(20):
        prices = np.round(rng.uniform(50, 80, rng.integers(2, 40)), 2)
        assert clusters(prices, 0.02, 0.06) == _loop_clusters(prices.tolist(), 0.02, 0.06)


def test_no_fixed_number_of_clusters():
    one = clusters(np.array([10.0, 10.1, 10.2]), 0.02, 0.1)
    three = clusters(np.array([10.0, 20.0, 30.0]), 0.02, 0.1)
    assert len(one) == 1 and len(three) == 3


def _flat_bars(n=300, price=100.0, day_range=2.0):
    close = np.full(n, price)
    raw = pd.DataFrame({"Open": close, "High": close + day_range / 2, "Low": close - day_range / 2,
                        "Close": close}, index=pd.bdate_range("2022-01-03", periods=n))
    return normalize_bars(raw)


def _pivot(kind, day, price):
    d = pd.Timestamp(day).date()
    return Pivot(kind, d, price, d, 0)


def test_zone_band_touches_and_dates_from_given_pivots():
    bars = _flat_bars()  # ATR = 2 on a 100 close: tolerance 2% of price
    pivots = (
        _pivot("high", "2022-02-01", 110.0),
        _pivot("high", "2022-05-02", 111.5),
        _pivot("high", "2022-08-01", 110.8),
        _pivot("high", "2022-09-01", 125.0),  # alone: no zone
        _pivot("low", "2022-03-01", 90.0),
        _pivot("low", "2022-06-01", 89.0),
    )
    zones = find_zones(bars, pivots=pivots)
    res = [z for z in zones if z.kind == "resistance"]
    sup = [z for z in zones if z.kind == "support"]
    assert len(res) == 1 and len(sup) == 1
    r = res[0]
    assert (r.low, r.high, r.touches) == (110.0, 111.5, 3)
    assert (r.first_touch, r.last_touch) == (date(2022, 2, 1), date(2022, 8, 1))
    assert r.position == "below" and r.distance_pct == pytest.approx(10.0)
    s = sup[0]
    assert (s.low, s.high, s.touches, s.position) == (89.0, 90.0, 2, "above")
    assert s.distance_pct == pytest.approx(-10.0)


def test_tolerance_scales_with_volatility():
    pivots = (_pivot("high", "2022-02-01", 110.0), _pivot("high", "2022-05-02", 113.0))
    # 2.7% apart: one zone when a day's range is 4%, two lone pivots when it is 1%.
    assert len(find_zones(_flat_bars(day_range=4.0), pivots=pivots)) == 1
    assert find_zones(_flat_bars(day_range=1.0), pivots=pivots) == ()


def test_price_inside_a_zone():
    bars = _flat_bars()
    pivots = (_pivot("high", "2022-02-01", 99.5), _pivot("high", "2022-04-01", 100.5))
    (z,) = find_zones(bars, pivots=pivots)
    assert z.position == "inside" and z.distance_pct == 0.0


def test_lookback_drops_old_pivots():
    bars = _flat_bars(n=900)
    pivots = (_pivot("high", "2022-02-01", 110.0), _pivot("high", "2025-01-02", 110.5))
    assert find_zones(bars, pivots=pivots, lookback_years=3.0) == ()
    assert len(find_zones(bars, pivots=pivots, lookback_years=4.0)) == 1


def test_nearest_overhead_prefers_the_zone_the_price_is_in_then_the_closest_above():
    def z(lo, hi, kind="resistance"):
        return Zone(kind, lo, hi, 3, date(2023, 1, 1), date(2024, 1, 1), "below", 0.0)

    zones = [z(70, 72), z(63, 68), z(50, 55), z(66, 67, "support")]
    assert nearest_overhead(zones, 65.0) == z(63, 68)
    assert nearest_overhead(zones, 69.0) == z(70, 72)
    assert nearest_overhead(zones, 80.0) is None
    assert nearest_overhead(zones, 65.0, kinds=("support",)) == z(66, 67, "support")
    # at a zone's top exactly the zone is not overhead; of two equally close (both around the
    # price) the lower top: one rule for the sector pane, the drill-down, the chart and the scan
    assert nearest_overhead([z(63, 68), z(70, 72)], 68.0) == z(70, 72)
    assert nearest_overhead([z(60, 75), z(63, 68)], 65.0) == z(63, 68)
    assert nearest_overhead([z(63, 68), z(60, 75)], 65.0) == z(63, 68)


@pytest.mark.parametrize("symbol", ["KRE", "XLK", "BTC-USD"])
def test_no_look_ahead_future_pivots_are_ignored(symbol):
    full = load_sample(symbol)
    everything = find_pivots(full)  # includes pivots confirmed after the cut
    rng = random.Random(13)
    for cut in rng.sample(range(300, len(full)), 5):
        part = full.iloc[:cut]
        assert find_zones(part) == find_zones(part, pivots=everything)


def test_kre_resistance_zone_as_of_2025_12_09_goes_back_to_2023():
    bars = load_sample("KRE").loc[:"2025-12-09"]
    zones = find_zones(bars)
    last = float(bars["close"].iloc[-1])
    z = nearest_overhead(zones, last)
    assert z is not None and z.position == "inside"
    assert z.low <= 65.0 <= z.high and z.touches >= 5
    assert z.first_touch.year == 2023 and z.last_touch.year == 2025
    # Its touches are really pivot highs inside the band.
    inside = [p for p in find_pivots(bars) if p.kind == "high" and z.low <= p.price <= z.high
              and p.date >= z.first_touch]
    assert len(inside) == z.touches


@pytest.mark.parametrize(("symbol", "day"), [("KRE", "2025-12-09"), ("XLE", "2022-06-30"),
                                             ("BTC-USD", "2021-11-10"), ("SMH", "2020-03-23")])
def test_zone_position_distance_and_order_follow_the_rules(symbol, day):
    bars = load_sample(symbol)
    bars = bars[bars.index.date <= date.fromisoformat(day)]
    last = float(bars["close"].iloc[-1])
    found = find_zones(bars)
    assert found
    for z in found:
        if last < z.low:
            assert (z.position, z.distance_pct) == ("below", (z.low / last - 1.0) * 100.0)
        elif last > z.high:
            assert (z.position, z.distance_pct) == ("above", (z.high / last - 1.0) * 100.0)
        else:
            assert (z.position, z.distance_pct) == ("inside", 0.0)
        assert type(z.low) is float and type(z.touches) is int and type(z.first_touch) is date
        assert z.first_touch <= z.last_touch <= date.fromisoformat(day)
    # nearest first, then resistance before support, then the lower band
    assert list(found) == sorted(found, key=lambda z: (abs(z.distance_pct), z.kind, z.low))


def test_rolling_tolerance_is_the_median_each_day_would_take():
    from analysis.facts.clean import day_numbers, usable
    from analysis.facts.ranges import median
    from analysis.facts.zones import DAYS_PER_YEAR, atr_ratio, rolling_tolerance
    from analysis.sources.sample import load_sample

    good = usable(load_sample("KRE"))
    ratio, day = atr_ratio(good), day_numbers(good.index)
    tol = rolling_tolerance(ratio, day)
    for i in range(0, len(day), 7):
        since = int(day[i]) - int(round(3 * DAYS_PER_YEAR))
        recent = ratio[int(np.searchsorted(day[: i + 1], since)) : i + 1]
        expect = median(recent)
        assert (np.isnan(expect) and np.isnan(tol[i])) or tol[i] == expect, i
