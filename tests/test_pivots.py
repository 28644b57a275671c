"""Swing pivots: the rule against a plain-loop reading of it, causality (the last k bars are never
pivots; appending bars never changes a confirmed pivot) and scale invariance."""

from __future__ import annotations

import math
import random
from datetime import date

import numpy as np
import pandas as pd
import pytest

from analysis.bars import normalize_bars
from analysis.facts.pivots import average_true_range, find_pivots, frame_arrays
from analysis.sources.sample import load_sample


def _random_bars(n: int = 600, seed: int = 3, scale: float = 1.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    close = 50 * np.exp(np.cumsum(rng.normal(0, 0.015, n))) * scale
    spread = np.abs(rng.normal(0, 0.01, n)) * close
    raw = pd.DataFrame(
        {"Open": close, "High": close + spread, "Low": close - spread * 0.8, "Close": close,
         "Volume": 1e6},
        index=pd.bdate_range("2019-01-02", periods=n),
    )
    return normalize_bars(raw)


def _loop_atr(high, low, close, window):
    out = []
    trs = []
    for i in range(len(close)):
        prev = close[i - 1] if i else close[0]
        trs.append(max(high[i], prev) - min(low[i], prev))
        recent = trs[-window:]
        out.append(sum(recent) / len(recent))
    return out


def _loop_pivots(bars, k, prom, window):
    high, low, close = (bars[c].tolist() for c in ("high", "low", "close"))
    atr = _loop_atr(high, low, close, window)
    found = []
    for i in range(k, len(high) - k):
        left_h, right_h = high[i - k : i], high[i + 1 : i + k + 1]
        left_l, right_l = low[i - k : i], low[i + 1 : i + k + 1]
        if (high[i] > max(left_h) and high[i] >= max(right_h)
                and min(high[i] - min(left_l), high[i] - min(right_l)) >= prom * atr[i]):
            found.append((i, "high", high[i]))
        if (low[i] < min(left_l) and low[i] <= min(right_l)
                and min(max(left_h) - low[i], max(right_h) - low[i]) >= prom * atr[i]):
            found.append((i, "low", low[i]))
    return found


def test_atr_matches_a_plain_loop():
    bars = _random_bars(80)
    got = average_true_range(bars["high"].to_numpy(), bars["low"].to_numpy(),
                             bars["close"].to_numpy(), 14)
    expect = _loop_atr(bars["high"].tolist(), bars["low"].tolist(), bars["close"].tolist(), 14)
    assert got == pytest.approx(expect)


@pytest.mark.parametrize(("k", "prom"), [(5, 1.0), (3, 0.5), (8, 2.0)])
def test_pivots_match_the_rule_read_as_a_loop(k, prom):
    bars = _random_bars()
    got = [(p.position, p.kind, p.price) for p in find_pivots(bars, k=k, prominence_atr=prom)]
    assert got == _loop_pivots(bars, k, prom, 14)
    assert got, "the random walk should have pivots"


def test_pivot_dates_and_confirmation_dates():
    bars = _random_bars()
    for p in find_pivots(bars):
        assert p.date == bars.index[p.position].date()
        assert p.confirmed == bars.index[p.position + 5].date()


def test_last_k_bars_are_never_pivots():
    bars = _random_bars()
    n = len(bars)
    for k in (2, 5, 9):
        assert all(p.position < n - k for p in find_pivots(bars, k=k))


def _bump_bars(bump: float, scale: float) -> pd.DataFrame:
    close = np.full(40, 100.0)
    high, low = close + 1.0, close - 1.0  # true range 2 every day
    high[20] += bump
    raw = pd.DataFrame({"Open": close * scale, "High": high * scale, "Low": low * scale,
                        "Close": close * scale}, index=pd.bdate_range("2021-01-04", periods=40))
    return normalize_bars(raw)


@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_a_peak_needs_prominence_in_atr_units_at_any_price(scale):
    # Bump x over a flat range: drop = 2 + x, ATR at the bump = (13 * 2 + 2 + x) / 14, so with
    # prominence 1.5 a pivot needs 2 + x >= 1.5 * (28 + x) / 14, i.e. x >= 1.12 (at any scale).
    def highs(bump):
        return [p for p in find_pivots(_bump_bars(bump, scale), prominence_atr=1.5)
                if p.kind == "high"]

    assert highs(0.5) == []
    assert [p.position for p in highs(2.0)] == [20]


def test_pivots_do_not_depend_on_price_scale():
    small = [(p.position, p.kind) for p in find_pivots(_random_bars(scale=1.0))]
    big = [(p.position, p.kind) for p in find_pivots(_random_bars(scale=2000.0))]
    assert small == big


def test_too_few_bars_gives_no_pivots():
    assert find_pivots(_random_bars(10)) == ()


@pytest.mark.parametrize("symbol", ["KRE", "ETH-USD"])
def test_no_look_ahead_pivots_known_by_a_day_are_the_same_with_data_cut_there(symbol):
    full = load_sample(symbol)
    everything = find_pivots(full)
    rng = random.Random(11)
    for cut in rng.sample(range(30, len(full)), 8):
        day = full.index[cut - 1].date()
        known = tuple(p for p in everything if p.confirmed <= day)
        assert find_pivots(full.iloc[:cut]) == known, day


def _plain_arrays(bars: pd.DataFrame) -> dict[str, list[float]]:
    """The usable-row rules of `frame_arrays`, read row by row."""
    out = {"close": [], "high": [], "low": [], "volume": [], "adj": [], "day": []}
    for ts, row in bars.iterrows():
        c = row["close"]
        if not (math.isfinite(c) and c > 0):
            continue
        h, lo, v, a = row.get("high", c), row.get("low", c), row.get("volume", 0.0), row.get(
            "adj_close", c)
        out["close"].append(c)
        out["high"].append(max(h if math.isfinite(h) else c, c))
        out["low"].append(min(lo if math.isfinite(lo) else c, c))
        out["volume"].append(v if math.isfinite(v) else 0.0)
        out["adj"].append(a if math.isfinite(a) and a > 0 else c)
        out["day"].append(ts.date().toordinal() - date(1970, 1, 1).toordinal())
    return out


@pytest.mark.parametrize("drop", [(), ("high", "low", "volume", "adj_close")])
def test_frame_arrays_of_a_dirty_frame_follow_the_rules_row_by_row(drop):
    bars = load_sample("KRE").iloc[:300].copy()
    rng = np.random.default_rng(1)
    for col, bad in (("close", np.nan), ("close", 0.0), ("close", -3.0), ("high", np.nan),
                     ("low", np.inf), ("volume", np.nan), ("adj_close", 0.0),
                     ("adj_close", np.nan)):
        bars.iloc[rng.integers(0, len(bars), 12), bars.columns.get_loc(col)] = bad
    bars = bars.drop(columns=list(drop))
    got = frame_arrays(bars)
    want = _plain_arrays(bars)
    assert len(got.close) == len(want["close"]) < 300
    for name in ("close", "high", "low", "volume", "adj", "day"):
        assert getattr(got, name).tolist() == want[name], name
    assert list(got.index) == [ts for ts, c in bars["close"].items() if c > 0 and math.isfinite(c)]


def test_frame_arrays_are_converted_once_per_frame_and_are_read_only():
    bars = load_sample("XLK").iloc[-500:]
    first = frame_arrays(bars)
    assert frame_arrays(bars) is first
    for name in ("high", "low", "close", "volume", "adj"):
        with pytest.raises(ValueError):
            getattr(first, name)[0] = 1.0
    same_values = bars.copy()
    other = frame_arrays(same_values)
    assert other is not first and other.close.tolist() == first.close.tolist()


def test_a_frame_given_a_new_column_or_index_is_converted_again():
    bars = load_sample("SPY").iloc[-50:].copy()
    before = frame_arrays(bars)
    bars["note"] = 1.0  # new columns (and shape): the arrays are taken again
    assert frame_arrays(bars) is not before
    again = frame_arrays(bars)
    bars.index = bars.index + pd.Timedelta(days=1)
    moved = frame_arrays(bars)
    assert moved is not again
    assert (moved.day - again.day).tolist() == [1] * 50


def test_the_frame_memo_is_bounded():
    from analysis.facts import pivots

    base = load_sample("IWM").iloc[-30:]
    frames = [base.copy() for _ in range(3 * pivots._ARRAYS_KEEP)]
    for f in frames:
        frame_arrays(f)
    assert len(pivots._ARRAYS) <= pivots._ARRAYS_KEEP
    assert frame_arrays(frames[-1]) is frame_arrays(frames[-1])


def test_session_days_of_indexes_sharing_their_sessions_are_their_own_day_numbers():
    """Indexes that are runs of one longer index (a universe's members) take their day numbers
    from it: the same numbers as converting each, also across a DST change, in UTC, with a
    different unit, or with stamps that are not a run of it."""
    from analysis.facts.clean import day_numbers
    from analysis.facts.pivots import session_days

    long = pd.date_range("2024-01-01 16:00", periods=600, freq="B", tz="America/New_York")
    runs = [long, long[7:], long[:-9], long[100:400], long[599:],
            long[50:80] + pd.Timedelta(hours=9),  # late in the evening: the next UTC day
            long.tz_convert("UTC")[3:], long.as_unit("s")[10:], long[::2], long[[0, 5, 3]]]
    for index in runs:
        days = session_days(pd.DatetimeIndex(index))
        assert np.array_equal(days, day_numbers(index)) and not days.flags.writeable
