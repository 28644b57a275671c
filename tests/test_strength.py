"""Relative strength on the real bundled bars against plain loops: the ratio line (US and crypto
aligned by calendar date), its changes, new highs, Mansfield RS, trend, and the rotation quadrant
from rolling z-scores that do not depend on where the data starts."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from analysis.bars import upto
from analysis.facts import strength
from analysis.facts.strength import quadrant, relative_strength, rs_line
from analysis.sources.sample import load_sample


def loop_ratio(bars: pd.DataFrame, bench: pd.DataFrame) -> list[tuple[date, float]]:
    bench_close = {ts.date(): float(c) for ts, c in zip(bench.index, bench["close"], strict=True)}
    out = []
    for ts, c in zip(bars.index, bars["close"], strict=True):
        if ts.date() in bench_close:
            out.append((ts.date(), float(c) / bench_close[ts.date()]))
    return out


def mean(xs):
    return sum(xs) / len(xs)


def pstd(xs):
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))


def loop_rotation(ratio: list[float]) -> tuple[float, float]:
    """The documented formula (10-session smoothing, 63-session z-scores, 10-session rate of
    change), written out with lists, at the last value."""
    s, z, lag = 10, 63, 10
    smooth = [mean(ratio[i - s + 1 : i + 1]) for i in range(s - 1, len(ratio))]
    rs_ratio = []
    for i in range(z - 1, len(smooth)):
        w = smooth[i - z + 1 : i + 1]
        rs_ratio.append(100 + (w[-1] - mean(w)) / pstd(w))
    roc = [(rs_ratio[i] / rs_ratio[i - lag] - 1) * 100 for i in range(lag, len(rs_ratio))]
    w = roc[-z:]
    return rs_ratio[-1], 100 + (w[-1] - mean(w)) / pstd(w)


@pytest.mark.parametrize(("symbol", "bench"), [("IWM", "SPY"), ("SOXX", "SPY"), ("KRE", "SPY"),
                                               ("ETH-USD", "BTC-USD"), ("ETH-USD", "SPY")])
@pytest.mark.parametrize("day", ["2020-06-30", "2025-12-09"])
def test_relative_strength_matches_plain_loops(symbol, bench, day):
    a, b = upto(load_sample(symbol), day), upto(load_sample(bench), day)
    pairs = loop_ratio(a, b)
    ratio = [r for _, r in pairs]
    got = relative_strength(a, b, symbol, bench)
    assert (got.symbol, got.benchmark) == (symbol, bench)
    assert got.ratio == pytest.approx(ratio[-1], rel=1e-12)
    for k, attr in ((21, "change_1m"), (63, "change_3m"), (126, "change_6m")):
        assert getattr(got, attr) == pytest.approx((ratio[-1] / ratio[-1 - k] - 1) * 100)
    assert got.new_high == all(ratio[-1] > r for r in ratio[:-1])
    assert got.mansfield == pytest.approx((ratio[-1] / mean(ratio[-200:]) - 1) * 100)
    off = (ratio[-1] / mean(ratio[-50:]) - 1) * 100
    assert got.trend == ("up" if off > 1 else "down" if off < -1 else "flat")
    want_ratio, want_mom = loop_rotation(ratio)
    assert got.rs_ratio == pytest.approx(want_ratio, rel=1e-9)
    assert got.rs_momentum == pytest.approx(want_mom, rel=1e-9)
    assert got.quadrant == quadrant(want_ratio, want_mom)


def test_crypto_against_a_us_benchmark_lines_up_by_calendar_date():
    eth, spy = load_sample("ETH-USD"), load_sample("SPY")
    line = rs_line(eth, spy)
    days = [ts.date() for ts in line.index]
    assert days == [ts.date() for ts in spy.index]  # ETH trades every SPY session; weekends drop
    assert all(d.weekday() < 5 for d in days)
    eth_close = float(upto(eth, "2025-12-09")["close"].iloc[-1])
    spy_close = float(upto(spy, "2025-12-09")["close"].iloc[-1])
    assert line.iloc[days.index(date(2025, 12, 9))] == pytest.approx(eth_close / spy_close)
    assert str(line.index.tz) == "UTC"  # the symbol's own index


def test_rotation_does_not_depend_on_where_the_data_starts():
    iwm, spy = load_sample("IWM"), load_sample("SPY")
    full = relative_strength(iwm, spy, "IWM", "SPY")
    for first in ("2019-01-02", "2022-06-01", "2025-05-01"):
        a, b = iwm.loc[first:], spy.loc[first:]
        assert len(a) >= strength.ROTATION_BARS
        late = relative_strength(a, b, "IWM", "SPY")
        assert late.rs_ratio == pytest.approx(full.rs_ratio, rel=1e-12)
        assert late.rs_momentum == pytest.approx(full.rs_momentum, rel=1e-12)


def test_rotation_needs_full_windows_and_short_history_gives_none():
    iwm, spy = load_sample("IWM"), load_sample("SPY")
    n = strength.ROTATION_BARS
    just = relative_strength(iwm.iloc[-n:], spy.iloc[-n:], "IWM", "SPY")
    assert just.rs_ratio is not None and just.rs_momentum is not None
    short = relative_strength(iwm.iloc[-(n - 1):], spy.iloc[-(n - 1):], "IWM", "SPY")
    assert short.rs_ratio is not None and short.rs_momentum is None and short.quadrant is None
    tiny = relative_strength(iwm.iloc[-20:], spy.iloc[-20:], "IWM", "SPY")
    assert tiny.change_1m is None and tiny.mansfield is None and tiny.rs_ratio is None
    assert tiny.trend == "flat"


def test_quadrants():
    assert quadrant(101, 101) == "leading"
    assert quadrant(101, 99) == "weakening"
    assert quadrant(99, 99) == "lagging"
    assert quadrant(99, 101) == "improving"
    assert quadrant(100, 100) == "leading"


def test_a_flat_ratio_scores_the_centre():
    idx = pd.date_range("2023-01-02", periods=strength.MANSFIELD_WINDOW + 5, freq="B",
                        tz="America/New_York")
    const = pd.DataFrame({c: 10.0 for c in ("open", "high", "low", "close", "adj_close")},
                         index=idx).assign(volume=0.0)
    got = relative_strength(const, const * 2, "A", "B")
    assert got.ratio == 0.5 and got.rs_ratio == 100.0 and got.rs_momentum == 100.0
    assert got.trend == "flat" and not got.new_high and got.mansfield == 0.0


def test_no_common_session_is_none():
    spy = load_sample("SPY")
    assert relative_strength(spy.loc["2019"], spy.loc["2020"], "SPY", "SPY") is None
    assert rs_line(spy.loc["2019"], spy.iloc[:0]).empty


@pytest.mark.parametrize("window", [10, 63])
@pytest.mark.parametrize("symbol", ["IWM", "ETH-USD", "^VIX"])
def test_rolling_windows_are_numpys_window_mean_and_std_exactly(symbol, window):
    from numpy.lib.stride_tricks import sliding_window_view

    ratio = rs_line(load_sample(symbol), load_sample("SPY")).to_numpy()
    for values in (ratio, ratio[-144:], ratio[5:300] * 1e6):
        view = sliding_window_view(values, window)
        mean, std = strength._rolling(values, window)
        assert mean.tolist() == view.mean(axis=1).tolist()  # bit for bit, not approximately
        assert std.tolist() == view.std(axis=1).tolist()


def test_rotation_values_are_those_of_numpys_rolling_statistics_exactly():
    from numpy.lib.stride_tricks import sliding_window_view as windows

    ratio = rs_line(upto(load_sample("SOXX"), "2025-06-30"), load_sample("SPY")).to_numpy()
    smooth = windows(ratio, 10).mean(axis=1)

    def z(values):
        w = windows(values, 63)
        return (values[62:] - w.mean(axis=1)) / w.std(axis=1)

    rs_ratio = 100.0 + z(smooth)
    rs_mom = 100.0 + z((rs_ratio[10:] / rs_ratio[:-10] - 1.0) * 100.0)
    rs = relative_strength(upto(load_sample("SOXX"), "2025-06-30"), load_sample("SPY"), "SOXX",
                           "SPY")
    assert (rs.rs_ratio, rs.rs_momentum) == (rs_ratio[-1], rs_mom[-1])
