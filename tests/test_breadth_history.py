"""Breadth over time: counts made by hand on a small fixture, the last session equal to the
snapshot's breadth, and no look-ahead (a session's figures never change when bars are appended)."""

import numpy as np
import pandas as pd

from analysis.facts.breadth import breadth, price_breadth
from analysis.facts.breadth_history import breadth_history
from tests.synthetic_bars import bars_from

DAYS = pd.bdate_range("2020-01-02", periods=300)


def _fixture() -> dict[str, pd.DataFrame]:
    """A rises for 300 sessions; B falls over the last 60 only; C is flat and has no bar on the
    last session."""
    return {
        "A": bars_from(np.arange(1.0, 301.0)),
        "B": bars_from(np.arange(160.0, 100.0, -1.0), start=str(DAYS[240].date())),
        "C": bars_from(np.full(299, 100.0)),
    }


def test_counts_made_by_hand_on_the_last_two_sessions():
    h = breadth_history(_fixture(), sessions=10)
    assert len(h.dates) == 10 and h.dates[-1] == np.datetime64(DAYS[-1].date(), "D")
    # last session: A and B have a bar; C does not and is left out
    assert h.members[-1] == 2
    assert (h.with_50[-1], h.pct_above_50[-1]) == (2, 50.0)  # A above, B below
    assert (h.with_200[-1], h.pct_above_200[-1]) == (1, 100.0)  # only A has 200 bars
    assert (h.with_253[-1], h.new_highs[-1], h.new_lows[-1]) == (1, 1, 0)
    # the session before: C counts, flat (a close equal to its average is not above it)
    assert h.members[-2] == 3
    assert h.with_50[-2] == 3 and abs(h.pct_above_50[-2] - 100.0 / 3) < 1e-12
    assert (h.with_200[-2], h.pct_above_200[-2]) == (2, 50.0)
    assert (h.with_253[-2], h.new_highs[-2], h.new_lows[-2]) == (2, 1, 0)


def test_a_percentage_is_nan_before_any_member_has_that_many_bars():
    h = breadth_history({"A": bars_from(np.arange(1.0, 61.0))}, sessions=20)
    assert list(h.with_50[-11:]) == [1] * 11 and h.with_50[-12] == 0
    assert np.isnan(h.pct_above_50[-12]) and h.pct_above_50[-1] == 100.0
    assert np.isnan(h.pct_above_200).all() and (h.with_253 == 0).all()


def _random_universe(n: int = 30, days: int = 700) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(7)
    out = {}
    for i in range(n):
        length = int(rng.integers(30, days))
        walk = 50.0 * np.exp(np.cumsum(rng.normal(0, 0.02, days)))
        start = pd.bdate_range("2020-01-02", periods=days)[days - length]
        out[f"S{i}"] = bars_from(walk[-length:], start=str(start.date()))
    return out


def test_last_session_equals_the_snapshot_breadth():
    bars = _random_universe()
    h = breadth_history(bars)
    prices = {s: price_breadth(df["close"].to_numpy(), df["high"].to_numpy(),
                               df["low"].to_numpy()) for s, df in bars.items()}
    b = breadth(prices, {})
    assert len(h.dates) == 252
    assert h.members[-1] == b.members == 30
    assert (h.with_50[-1], h.with_200[-1], h.with_253[-1]) == (b.with_50, b.with_200, b.with_253)
    assert h.pct_above_50[-1] == b.pct_above_50 and h.pct_above_200[-1] == b.pct_above_200
    assert (h.new_highs[-1], h.new_lows[-1]) == (b.new_highs, b.new_lows)
    assert 0 < b.above_50 < b.with_50 and 0 < b.above_200 < b.with_200


def test_every_session_equals_the_snapshot_breadth_as_of_that_session():
    bars = _random_universe(n=12, days=400)
    h = breadth_history(bars, sessions=40)
    for i in range(40):
        day = pd.Timestamp(h.dates[i])
        cut = {s: df[df.index.tz_localize(None).normalize() <= day] if df.index.tz else
               df[df.index <= day] for s, df in bars.items()}
        cut = {s: df for s, df in cut.items() if len(df) and df.index[-1].date() == day.date()}
        b = breadth({s: price_breadth(df["close"].to_numpy(), df["high"].to_numpy(),
                                      df["low"].to_numpy()) for s, df in cut.items()}, {})
        assert h.members[i] == b.members and h.with_200[i] == b.with_200
        assert np.nan_to_num(h.pct_above_50[i], nan=-1) == (b.pct_above_50 or -1)
        assert (h.new_highs[i], h.new_lows[i]) == (b.new_highs, b.new_lows)
    assert h.new_highs.sum() > 0 and len(set(h.pct_above_50)) > 5  # the checks above can fail


def test_appending_bars_does_not_change_earlier_sessions():
    bars = _random_universe()
    early = {s: df.iloc[:-25] for s, df in bars.items() if len(df) > 25}
    before = breadth_history(early, sessions=100)
    after = breadth_history(bars, sessions=200)
    at = np.searchsorted(after.dates, before.dates)
    assert (after.dates[at] == before.dates).all()
    for name in ("members", "with_50", "with_200", "with_253", "new_highs", "new_lows"):
        assert (getattr(after, name)[at] == getattr(before, name)).all(), name
    for name in ("pct_above_50", "pct_above_200"):
        assert np.array_equal(getattr(after, name)[at], getattr(before, name), equal_nan=True)


def test_no_bars_give_an_empty_history():
    assert len(breadth_history({}).dates) == 0
