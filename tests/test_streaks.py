"""Streaks and the streak event study on the real bundled bars, against plain loops: XLK's run into
the article's date, unchanged closes ending a streak, one event per streak, forward returns on the
adjusted close, and the baseline over all sessions."""

from __future__ import annotations

import math
import statistics
from datetime import date

import numpy as np
import pandas as pd
import pytest

from analysis.bars import upto
from analysis.facts.streaks import HORIZONS, last_streak, streak, streak_series, study_for
from analysis.sources.sample import load_sample


def loop_streaks(closes) -> list[int]:
    out = [0]
    for prev, cur in zip(closes[:-1], closes[1:], strict=True):
        last = out[-1]
        if cur > prev:
            out.append(last + 1 if last > 0 else 1)
        elif cur < prev:
            out.append(last - 1 if last < 0 else -1)
        else:
            out.append(0)
    return out


def study_at(bars: pd.DataFrame, length: int):
    """The bars up to the last session whose streak was ``length``, and the study the dashboard
    showed that day (``streak(...).study``: the history of streaks at least that long)."""
    runs = loop_streaks(bars["close"].tolist())
    last = max(i for i, v in enumerate(runs) if v == length)
    cut = bars.iloc[: last + 1]
    study = streak(cut).study
    assert study is not None and study.length == length
    return cut, study


def loop_study(bars: pd.DataFrame, length: int) -> dict:
    closes = [float(x) for x in bars["close"]]
    adj = [float(x) for x in bars["adj_close"]]
    st = loop_streaks(closes)
    n = len(st)
    # the run still going at the last bar (same direction) is excluded
    ongoing_from = n
    if st[-1] != 0 and (st[-1] > 0) == (length > 0):
        ongoing_from = n - abs(st[-1])
    events = [i for i in range(ongoing_from) if st[i] == length]
    out = {"events": events, "after": {}, "baseline": {}}
    for h in HORIZONS:
        ev = [(adj[i + h] / adj[i] - 1) * 100 for i in events if i + h < n]
        base = [(adj[i + h] / adj[i] - 1) * 100 for i in range(n - h)]
        out["after"][h] = ev
        out["baseline"][h] = base
    return out


def check_stats(stats, values):
    assert stats.count == len(values)
    if not values:
        assert stats.mean is None and stats.median is None and stats.pct_positive is None
        return
    assert stats.mean == pytest.approx(statistics.fmean(values), rel=1e-9, abs=1e-12)
    assert stats.median == pytest.approx(statistics.median(values), rel=1e-9, abs=1e-12)
    assert stats.pct_positive == pytest.approx(100 * sum(v > 0 for v in values) / len(values))


def test_xlk_closed_higher_twelve_sessions_in_a_row_into_the_article_date():
    bars = upto(load_sample("XLK"), "2025-12-09")
    closes = bars["close"].tolist()
    run = 0
    for prev, cur in zip(closes[:-1], closes[1:], strict=True):
        run = run + 1 if cur > prev else 0
    assert run == 12  # the article: "XLK could close its 12th consecutive day higher today"
    assert streak(bars).length == 12
    first = bars.index[-12].date()
    assert first == date(2025, 11, 21)  # the streak began the session after the 11-20 drop
    assert streak(upto(load_sample("XLK"), "2025-12-10")).length == 13
    assert streak(upto(load_sample("XLK"), "2025-12-11")).length == -1


@pytest.mark.parametrize("symbol", ["XLK", "SPY", "KRE", "^VIX", "ETH-USD"])
def test_streak_series_matches_a_loop(symbol):
    closes = load_sample(symbol)["close"].to_numpy()
    assert streak_series(closes).tolist() == loop_streaks(closes.tolist())


def test_an_unchanged_or_missing_close_ends_the_streak():
    assert streak_series(np.array([1.0, 2.0, 2.0, 3.0, 4.0])).tolist() == [0, 1, 0, 1, 2]
    assert streak_series(np.array([5.0, 4.0, 3.0, 3.0, 2.0])).tolist() == [0, -1, -2, 0, -1]
    assert streak_series(np.array([1.0, 2.0, np.nan, 3.0, 4.0])).tolist() == [0, 1, 0, 0, 1]
    assert streak_series(np.array([])).tolist() == []
    assert streak_series(np.array([7.0])).tolist() == [0]


@pytest.mark.parametrize(
    ("symbol", "day", "length"),
    [("XLK", "2025-12-09", 5), ("XLK", "2025-12-09", 9), ("SPY", "2025-12-31", -4),
     ("KRE", "2024-06-28", 3), ("IWM", "2025-12-09", -6), ("XLK", "2025-12-09", 12)],
)
def test_streak_study_matches_a_loop(symbol, day, length):
    bars, got = study_at(upto(load_sample(symbol), day), length)
    want = loop_study(bars, length)
    assert got.length == length and got.events == len(want["events"])
    for k, h in enumerate(HORIZONS):
        assert got.after[k].horizon == got.baseline[k].horizon == h
        check_stats(got.after[k], want["after"][h])
        check_stats(got.baseline[k], want["baseline"][h])
        assert got.returns[k] == pytest.approx(want["after"][h])


def test_xlk_twelve_day_streak_has_no_precedent_in_the_sample():
    bars = upto(load_sample("XLK"), "2025-12-09")
    closes = bars["close"].tolist()
    st = loop_streaks(closes)
    longest_before = max(st[: len(st) - 12])
    assert longest_before == 10
    study = streak(bars).study
    assert study.length == 12 and study.events == 0 and study.longest_before == 10
    assert all(s.count == 0 for s in study.after)
    assert all(s.count > 1900 for s in study.baseline)
    _, ten = study_at(bars, 10)  # as of 2025-12-05, the 10th day of the run
    starts = [bars.index[i].date() for i, v in enumerate(st[: len(st) - 12]) if v == 10]
    assert ten.events == len(starts) == 2
    assert [d.year for d in starts] == [2019, 2020]


def test_one_event_per_streak_however_long_it_ran():
    # closes rise 6 times, fall, rise 3 times, fall, then rise 7 times to the end
    steps = [1] * 6 + [-1] + [1] * 3 + [-1] + [1] * 7
    closes = np.cumsum([100.0] + steps)
    idx = pd.date_range("2024-01-01", periods=len(closes), freq="D", tz="UTC")
    bars = pd.DataFrame({"open": closes, "high": closes, "low": closes, "close": closes,
                         "volume": 0.0, "adj_close": closes}, index=idx)
    assert streak(bars).length == 7
    assert study_at(bars, 3)[1].events == 2  # the 6-run and the 3-run; the running one excluded
    assert study_at(bars, 5)[1].events == 1
    assert study_at(bars, 7)[1].events == 0 and study_at(bars, 7)[1].longest_before == 6
    assert study_at(bars, -1)[1].events == 1  # as of the second fall: the first one


def test_events_without_enough_later_sessions_are_left_out_of_that_horizon():
    bars = upto(load_sample("SPY"), "2025-12-31")
    bars, study = study_at(bars, 2)
    st = loop_streaks(bars["close"].tolist())
    n = len(st)
    ongoing = n - abs(st[-1]) if st[-1] > 0 else n
    events = [i for i in range(ongoing) if st[i] == 2]
    for stats in study.after:
        assert stats.count == sum(1 for i in events if i + stats.horizon < n)
    assert study.after[0].count > study.after[2].count


def test_forward_returns_use_the_adjusted_close():
    bars = upto(load_sample("XLK"), "2025-12-09")
    bars, study = study_at(bars, 8)
    first = loop_study(bars, 8)["events"][0]
    adj = bars["adj_close"].to_numpy()
    close = bars["close"].to_numpy()
    want = (adj[first + 63] / adj[first] - 1) * 100
    assert study.returns[2][0] == pytest.approx(want)
    assert not math.isclose(want, (close[first + 63] / close[first] - 1) * 100, rel_tol=1e-6)


def test_no_streak_means_no_study():
    idx = pd.date_range("2024-01-01", periods=3, freq="D", tz="UTC")
    flat = pd.DataFrame({c: 1.0 for c in ("open", "high", "low", "close", "adj_close")},
                        index=idx).assign(volume=0.0)
    assert streak(flat).length == 0 and streak(flat).study is None
    assert streak(flat.iloc[:1]).length == 0 and streak(flat.iloc[:0]).study is None


@pytest.mark.parametrize(("symbol", "day"), [("XLK", "2025-12-09"), ("SPY", "2025-12-31"),
                                             ("KRE", "2023-03-17"), ("BTC-USD", "2024-03-14")])
def test_study_statistics_are_numpys_mean_and_median_exactly(symbol, day):
    # The study promises the same numbers as numpy's mean and median of the forward returns
    # (the figures a user can reproduce), not just close to them.
    bars = upto(load_sample(symbol), day)
    for length in (1, -1, 2, -3):
        cut, got = study_at(bars, length)
        want = loop_study(cut, length)
        for k, h in enumerate(HORIZONS):
            for stats, values in ((got.after[k], want["after"][h]),
                                  (got.baseline[k], want["baseline"][h])):
                if values:
                    assert stats.mean == float(np.mean(np.array(values)))
                    assert stats.median == float(np.median(np.array(values)))
                    assert stats.pct_positive == sum(v > 0 for v in values) / len(values) * 100


def test_last_streak_is_the_last_value_of_the_series():
    rng = np.random.default_rng(7)
    for n in (0, 1, 2, 3, 10, 300):
        for _ in range(40):
            close = rng.integers(1, 4, n).astype(float)  # many unchanged closes
            if n and rng.random() < 0.3:
                close[rng.integers(0, n)] = np.nan
            want = int(streak_series(close)[-1]) if n else 0
            assert last_streak(close) == want
    up = np.arange(1.0, 50.0)
    assert last_streak(up) == 48 and last_streak(up[::-1]) == -48


@pytest.mark.parametrize(("symbol", "day"), [("XLK", "2025-12-09"), ("KRE", "2023-03-17"),
                                             ("SPY", "2025-12-31")])
def test_a_deferred_study_is_the_study_of_the_same_bars(symbol, day):
    bars = upto(load_sample(symbol), day)
    full = streak(bars)
    deferred = streak(bars, study=False)
    assert deferred.length == full.length and deferred.study is None
    assert deferred.deferred == (full.length != 0)
    assert study_for(deferred, bars) == full.study  # worked out from the same bars
    assert study_for(full, None) == full.study  # one analysed is kept as it is
    if deferred.deferred:
        assert study_for(deferred, None) is None  # no bars, no study
        later = upto(load_sample(symbol), "2026-01-31")
        if streak(later).length != deferred.length:
            assert study_for(deferred, later) is None  # not the bars it was found on
