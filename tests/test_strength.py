"""Relative strength on the real bundled bars against plain loops: the ratio line (US and crypto
aligned by calendar date), its changes, new highs, Mansfield RS, the trend and the rotation
quadrant read off the 1- and 3-month changes (by hand), and the rolling z-scores (RS-ratio,
RS-momentum) that do not depend on where the data starts."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
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
    one = round((ratio[-1] / ratio[-22] - 1) * 100, 1)  # as shown, to 0.1%
    three = round((ratio[-1] / ratio[-64] - 1) * 100, 1)
    assert got.trend == ("up" if one > 1 else "down" if one < -1 else "flat")
    assert got.quadrant == {(True, True): "leading", (True, False): "weakening",
                            (False, False): "lagging", (False, True): "improving"}[
                                (three >= 0, one >= 0)]
    want_ratio, want_mom = loop_rotation(ratio)
    assert got.rs_ratio == pytest.approx(want_ratio, rel=1e-9)
    assert got.rs_momentum == pytest.approx(want_mom, rel=1e-9)


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
    assert short.rs_ratio is not None and short.rs_momentum is None
    tiny = relative_strength(iwm.iloc[-20:], spy.iloc[-20:], "IWM", "SPY")
    assert tiny.change_1m is None and tiny.mansfield is None and tiny.rs_ratio is None
    assert tiny.trend == "flat" and tiny.quadrant is None
    month = relative_strength(iwm.iloc[-40:], spy.iloc[-40:], "IWM", "SPY")
    assert month.change_1m is not None and month.change_3m is None and month.quadrant is None


def test_a_change_shown_as_0_0_percent_counts_as_zero():
    ratio = [1.0] * 130
    ratio[-22], ratio[-64] = 1.0004, 1.03  # 1m -0.04% ("0.0%"), 3m -2.9%
    got = relative_strength(*_ratio_frames(ratio), "A", "B")
    assert got.change_1m < 0 and (got.trend, got.quadrant) == ("flat", "improving")


def test_the_quadrant_is_the_signs_of_the_3_month_and_the_1_month_change():
    assert quadrant(4.6, 0.9) == "leading"
    assert quadrant(2.0, -0.6) == "weakening"
    assert quadrant(-3.0, -1.0) == "lagging"
    assert quadrant(-4.7, 4.4) == "improving"
    assert quadrant(0.0, 0.0) == "leading"


def _ratio_frames(ratio: list[float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A symbol whose close is 100 x ``ratio`` against a benchmark that closes at 100 every day."""
    idx = pd.date_range("2024-01-02", periods=len(ratio), freq="B", tz="America/New_York")
    close = np.array(ratio) * 100.0
    bars = pd.DataFrame({"open": close, "high": close, "low": close, "close": close,
                         "volume": 1e6}, index=idx)
    bench = bars.assign(open=100.0, high=100.0, low=100.0, close=100.0)
    return bars, bench


@pytest.mark.parametrize(("month_ago", "quarter_ago", "trend", "quad", "one", "three"), [
    # ratio 1.00 today; 0.98 21 sessions ago, 1.05 63 sessions ago
    (0.98, 1.05, "up", "improving", 2.0408, -4.7619),
    # 1.006 21 sessions ago (1m -0.60%: inside the 1% band), 0.97 63 sessions ago
    (1.006, 0.97, "flat", "weakening", -0.5964, 3.0928),
    (1.02, 1.03, "down", "lagging", -1.9608, -2.9126),
    (0.995, 0.95, "flat", "leading", 0.5025, 5.2632),
])
def test_trend_and_quadrant_by_hand(month_ago, quarter_ago, trend, quad, one, three):
    ratio = [1.0] * 130
    ratio[-22], ratio[-64] = month_ago, quarter_ago
    got = relative_strength(*_ratio_frames(ratio), "A", "B")
    assert got.change_1m == pytest.approx(one, abs=1e-4)
    assert got.change_3m == pytest.approx(three, abs=1e-4)
    assert (got.trend, got.quadrant) == (trend, quad)


@pytest.mark.parametrize(("symbol", "trend", "quad"), [("KRE", "up", "improving"),
                                                       ("XLK", "flat", "leading")])
def test_the_articles_day_reads_off_the_changes_shown(symbol, trend, quad):
    """As of 2025-12-09: KRE 1m +4.4%, 3m -4.7% (was "leading" from z-scores); XLK 1m +0.9%,
    3m +4.6% (was "lagging", with an up arrow)."""
    a, b = upto(load_sample(symbol), "2025-12-09"), upto(load_sample("SPY"), "2025-12-09")
    got = relative_strength(a, b, symbol, "SPY")
    assert (got.trend, got.quadrant) == (trend, quad)


def test_a_flat_ratio_scores_the_centre():
    idx = pd.date_range("2023-01-02", periods=strength.MANSFIELD_WINDOW + 5, freq="B",
                        tz="America/New_York")
    const = pd.DataFrame({c: 10.0 for c in ("open", "high", "low", "close", "adj_close")},
                         index=idx).assign(volume=0.0)
    got = relative_strength(const, const * 2, "A", "B")
    assert got.ratio == 0.5 and got.rs_ratio == 100.0 and got.rs_momentum == 100.0
    assert got.trend == "flat" and not got.new_high and got.mansfield == 0.0
    assert got.quadrant == "leading"  # no change on either horizon


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
