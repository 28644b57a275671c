"""The watched resistance zone: the rule by hand, the clusters' bounds of validity, and the day by
day track giving every session the same zone as finding all zones on the bars cut there."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from analysis.facts.breakout import watched_zone
from analysis.facts.clean import closes, day_numbers, usable
from analysis.facts.pivots import find_pivots
from analysis.facts.zone_watch import Band, ZoneTrack, choose, cleared_at, first_close_above
from analysis.facts.zones import (
    Zone,
    atr_ratio,
    cluster_starts,
    clusters,
    pivot_arrays,
    place,
    rolling_tolerance,
    zones_as_of,
)
from analysis.sources.sample import load_sample
from tests.test_zones import _loop_clusters


def test_first_close_above_the_top_after_the_last_touch_by_hand():
    close = np.array([10.0, 12.0, 9.0, 11.0, 13.0])
    # after session 2 the first close above 10.5 is session 3; above 12.5 session 4; above 20 none
    assert first_close_above(close, np.array([2, 2, 0]), np.array([10.5, 12.5, 20.0])) == [3, 4, 5]
    assert first_close_above(close, np.array([0]), np.array([10.5])) == [1]


def test_a_top_counts_as_cleared_only_inside_the_recent_window():
    assert cleared_at(95, n=100, recent=10) == 95
    assert cleared_at(89, n=100, recent=10) == 89  # n - 1 - recent = 89: the window's first
    assert cleared_at(88, n=100, recent=10) == -1  # too long ago
    assert cleared_at(100, n=100, recent=10) == -1  # not yet (a later close)


def test_choose_takes_the_latest_cleared_then_the_nearer_then_the_nearest_overhead():
    bands = [Band(90.0, 92.0), Band(100.0, 101.0), Band(110.0, 112.0)]
    # both lower bands cleared, the upper one later: it is watched
    assert choose(bands, [50, 55, 200], n=60, recent=40, price=103.0) == 1
    # cleared on the same session: the nearer to 103 (101 is 1.94% away, 92 is 10.7%)
    assert choose(bands, [55, 55, 200], n=60, recent=40, price=103.0) == 1
    # none cleared in the window: the nearest overhead
    assert choose(bands, [5, 6, 200], n=60, recent=40, price=103.0) == 2
    assert choose(bands, [5, 6, 200], n=60, recent=40, price=113.0) is None


def test_place_of_a_close_against_a_band_by_hand():
    assert place(100.0, 110.0, 50.0) == ("below", 100.0)
    assert place(100.0, 110.0, 220.0) == ("above", -50.0)
    assert place(100.0, 110.0, 105.0) == ("inside", 0.0)


def test_cluster_bounds_by_hand():
    logp = np.log(np.array([100.0, 101.0, 102.0, 110.0]))
    starts, (kept_step, cut_step, kept, split) = clusters(logp, 0.05, 0.5)
    assert starts.tolist() == [0, 3]
    # the largest gap kept is 100 -> 101, the only one cut 102 -> 110
    assert kept_step == pytest.approx(np.log(101 / 100)) and cut_step == pytest.approx(
        np.log(110 / 102))
    assert kept == pytest.approx(np.log(102 / 100)) and split == np.inf
    # too narrow a width splits the first cluster at its widest gap (100 -> 101)
    starts, (_, _, kept, split) = clusters(logp, 0.05, 0.015)
    assert starts.tolist() == [0, 1, 3]
    assert split == pytest.approx(np.log(102 / 100)) and kept == pytest.approx(np.log(102 / 101))


def test_clusters_are_the_same_for_every_gap_and_width_inside_the_bounds():
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(300):
        prices = np.sort(np.round(rng.uniform(50, 80, rng.integers(2, 30)), 2))
        logp = np.log(prices)
        gap, width = rng.uniform(0.002, 0.05), rng.uniform(0.01, 0.2)
        starts, (kept_step, cut_step, kept, split) = clusters(logp, gap, width)
        groups = _loop_clusters(prices.tolist(), gap, width)
        assert sorted(p.tolist() for p in np.split(np.arange(len(prices)), starts[1:])) == groups
        for _ in range(5):
            g2 = rng.uniform(max(kept_step, 0.0), min(cut_step, 0.2))
            w2 = rng.uniform(max(kept, 0.0), min(split, 0.5))
            if kept_step <= g2 < cut_step and kept <= w2 < split:
                assert cluster_starts(logp, g2, w2).tolist() == starts.tolist()
                checked += 1
    assert checked > 500  # the bounds were put to the test, not skipped


def _track_and_cut(bars, min_touches: int = 3, recent: int = 40):
    good = usable(bars)
    day, close = day_numbers(good.index), closes(good)
    piv = pivot_arrays(find_pivots(good))
    ratio = atr_ratio(good)
    tol = rolling_tolerance(ratio, day)
    track = ZoneTrack(piv, day, close, tol, at_least=min_touches)
    for i in range(len(good)):
        n = i + 1
        zones = zones_as_of(piv, ratio[:n], day[:n], float(close[i]), kinds=("resistance",),
                            at_least=min_touches)
        yield i, track.at(i, recent), watched_zone(zones, day[:n], close[:n], recent, min_touches)


@pytest.mark.parametrize("symbol", ["KRE", "XLK", "SOXX", "BTC-USD", "IWM"])
def test_the_track_watches_the_zone_that_all_zones_of_the_cut_bars_give_every_session(symbol):
    seen = set()
    for i, got, expect in _track_and_cut(load_sample(symbol)):
        assert got == expect, (symbol, i)
        if expect is not None:
            seen.add((expect.low, expect.high))
    assert len(seen) > 3  # the zone watched changes over the years: the test covers changes


def test_the_track_matches_on_a_random_walk_with_two_touch_zones():
    import pandas as pd

    rng = np.random.default_rng(3)
    n = 1500
    close = 50 * np.exp(np.cumsum(rng.normal(0, 0.015, n)))
    high = close * (1 + rng.uniform(0, 0.02, n))
    low = close * (1 - rng.uniform(0, 0.02, n))
    idx = pd.bdate_range("2015-01-01", periods=n)
    bars = pd.DataFrame({"open": close, "high": high, "low": low, "close": close,
                         "volume": 1e6}, index=idx)
    for i, got, expect in _track_and_cut(bars, min_touches=2, recent=20):
        assert got == expect, i


def test_a_zone_built_by_the_track_is_a_plain_zone():
    bars = load_sample("KRE")
    got = [z for _, z, _ in _track_and_cut(bars.iloc[-600:]) if z is not None]
    assert got and all(isinstance(z, Zone) and z.kind == "resistance" for z in got)
    assert all(isinstance(z.first_touch, date) and z.touches >= 3 for z in got)
