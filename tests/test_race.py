"""The reference-high race: ETH vs BTC from their 2025-11-10 highs on the real bundled bars, and
the rules on small frames: crossings on or before the start don't count, ties, missing reference
bars."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.bars import upto
from analysis.facts.race import reference_race
from analysis.sources.sample import load_sample


def loop_race(frames, symbols, ref: date, start: date):
    """Level = high on the reference date; first later session (after start) with a higher high."""
    out = {}
    for sym in symbols:
        bars = frames[sym]
        level = next(float(h) for ts, h in zip(bars.index, bars["high"], strict=True)
                     if ts.date() == ref)
        crossed = next((ts.date() for ts, h in zip(bars.index, bars["high"], strict=True)
                        if ts.date() > max(start, ref) and h > level), None)
        out[sym] = (level, crossed, (float(bars["high"].iloc[-1]) / level - 1) * 100)
    return out


def frames_upto(day, symbols=("ETH-USD", "BTC-USD", "SPY", "IWM")):
    return {s: upto(load_sample(s), day) for s in symbols}


@pytest.mark.parametrize("asof", ["2025-12-09", "2025-12-10", "2025-12-31"])
def test_eth_btc_race_from_the_november_10_high(asof):
    frames = frames_upto(asof)
    got = reference_race(frames, ["ETH-USD", "BTC-USD"], "2025-11-10", "2025-12-09")
    want = loop_race(frames, ["ETH-USD", "BTC-USD"], date(2025, 11, 10), date(2025, 12, 9))
    assert got.reference_date == date(2025, 11, 10) and got.start == date(2025, 12, 9)
    for entry in got.entries:
        level, crossed, dist = want[entry.symbol]
        assert entry.level == level and entry.crossed_on == crossed
        assert entry.distance_pct == pytest.approx(dist)
    # Neither has taken out its Nov 10 high by the end of the bundled data.
    assert got.status == "running" and got.winner is None and got.won_on is None
    assert all(e.distance_pct < 0 for e in got.entries)


def test_the_first_to_cross_after_the_start_wins():
    frames = frames_upto("2025-12-31")
    got = reference_race(frames, ["SPY", "IWM"], "2025-11-10", "2025-11-10")
    want = loop_race(frames, ["SPY", "IWM"], date(2025, 11, 10), date(2025, 11, 10))
    first = min(want, key=lambda s: want[s][1])
    assert got.status == "won" and got.winner == first
    assert got.won_on == want[first][1]
    assert {e.symbol: e.crossed_on for e in got.entries} == {s: w[1] for s, w in want.items()}


def _bars(highs, start="2024-03-01", tz="UTC"):
    idx = pd.date_range(start, periods=len(highs), freq="D", tz=tz)
    h = pd.Series(highs, index=idx, dtype="float64")
    return pd.DataFrame({"open": h - 1, "high": h, "low": h - 2, "close": h - 1,
                         "volume": 0.0, "adj_close": h - 1})


def test_a_crossing_on_or_before_the_start_does_not_count():
    # reference 03-01 (level 10); A trades 12 on 03-02 and 03-03 (start), then 13 on 03-05.
    a = _bars([10, 12, 12, 9, 13])
    b = _bars([20, 19, 19, 21, 19])
    got = reference_race({"A": a, "B": b}, ["A", "B"], "2024-03-01", "2024-03-03")
    assert got.status == "won" and got.winner == "B" and got.won_on == date(2024, 3, 4)
    assert dict((e.symbol, e.crossed_on) for e in got.entries) == {
        "A": date(2024, 3, 5), "B": date(2024, 3, 4)}


def test_crossing_the_same_day_is_a_tie():
    a = _bars([10, 9, 11])
    b = _bars([20, 19, 25])
    got = reference_race({"A": a, "B": b}, ["A", "B"], "2024-03-01", "2024-03-01")
    assert got.status == "tie" and got.winner is None and got.won_on == date(2024, 3, 3)
    assert "A and B" in got.note


def test_equal_to_the_level_is_not_above_it():
    got = reference_race({"A": _bars([10, 10, 10])}, ["A"], "2024-03-01", "2024-03-01")
    assert got.status == "running" and got.entries[0].distance_pct == 0.0


def test_a_start_before_the_reference_date_counts_only_later_sessions():
    got = reference_race({"A": _bars([5, 10, 11])}, ["A"], "2024-03-02", "2024-03-01")
    assert got.entries[0].level == 10 and got.entries[0].crossed_on == date(2024, 3, 3)


def test_no_bar_on_the_reference_date_makes_the_race_invalid():
    frames = frames_upto("2025-12-31")
    got = reference_race(frames, ["SPY", "IWM"], "2025-11-09", "2025-12-01")  # a Sunday
    assert got.status == "invalid" and "SPY has no bar on 2025-11-09" in got.note
    missing = reference_race(frames, ["ETH-USD", "DOGE-USD"], "2025-11-10", "2025-12-01")
    assert missing.status == "invalid" and "DOGE-USD" in missing.note
    assert missing.entries[0].level is not None and missing.entries[1].level is None
    assert reference_race(frames, [], "2025-11-10", "2025-12-01").status == "invalid"


def test_crypto_reference_is_the_utc_day_bar():
    eth = load_sample("ETH-USD")
    got = reference_race({"ETH-USD": eth}, ["ETH-USD"], date(2025, 11, 10), date(2025, 12, 9))
    utc_bar = eth[eth.index == pd.Timestamp("2025-11-10", tz="UTC")]
    assert got.entries[0].level == float(utc_bar["high"].iloc[0])


def test_unparseable_dates_are_a_value_error():
    with pytest.raises(ValueError):
        reference_race({}, ["A"], "not a date", "2024-01-01")
