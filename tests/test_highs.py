"""Record highs on the real bundled bars, checked against plain loops: ATH values and dates, the
new-ATH flags (the Russell 2000 around the article's date), sessions since the record, and the
prior-cycle peak ("a few percent above its 2021 peak")."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analysis.bars import upto
from analysis.facts.highs import record_highs
from analysis.sources.sample import load_sample

SYMBOLS = ("^RUT", "IWM", "SPY", "KRE", "SOXX", "XLK", "BTC-USD", "^VIX")
DATES = ("2019-06-28", "2020-03-23", "2021-11-08", "2022-10-12", "2025-04-08", "2025-12-09")


def loop_record_highs(bars: pd.DataFrame, drawdown_pct: float = 20.0) -> dict:
    """The definitions, one bar at a time."""
    closes = [float(x) for x in bars["close"]]
    highs = [float(x) for x in bars["high"]]
    days = [ts.date() for ts in bars.index]
    ath_c, ath_c_i, ath_h, ath_h_i = closes[0], 0, highs[0], 0
    peak, peak_i = closes[0], 0
    prior = None
    for i in range(1, len(closes)):
        if closes[i] > ath_c:
            ath_c, ath_c_i = closes[i], i
        if highs[i] > ath_h:
            ath_h, ath_h_i = highs[i], i
    for i in range(len(closes)):
        if closes[i] > peak:
            peak, peak_i = closes[i], i
        if closes[i] <= peak * (1 - drawdown_pct / 100):
            prior = (peak, days[peak_i])
    last = closes[-1]
    return {
        "ath_close": ath_c,
        "ath_close_date": days[ath_c_i],
        "ath_high": ath_h,
        "ath_high_date": days[ath_h_i],
        "new_closing_ath": len(closes) > 1 and all(last > c for c in closes[:-1]),
        "new_intraday_ath": len(highs) > 1 and all(highs[-1] > h for h in highs[:-1]),
        "sessions_since_record": len(closes) - 1 - ath_c_i,
        "prior": prior,
        "pct_vs_prior": None if prior is None else (last / prior[0] - 1) * 100,
    }


@pytest.mark.parametrize("symbol", SYMBOLS)
@pytest.mark.parametrize("day", DATES)
def test_record_highs_match_a_plain_loop_on_real_bars(symbol, day):
    bars = upto(load_sample(symbol), day)
    got = record_highs(bars)
    want = loop_record_highs(bars)
    assert got.first_date == bars.index[0].date()
    for key in ("ath_close", "ath_close_date", "ath_high", "ath_high_date", "new_closing_ath",
                "new_intraday_ath", "sessions_since_record"):
        assert getattr(got, key) == want[key], key
    assert got.pct_from_ath == pytest.approx((bars["close"].iloc[-1] / want["ath_close"] - 1) * 100)
    if want["prior"] is None:
        assert got.prior_cycle_peak is None and got.pct_vs_prior_cycle_peak is None
    else:
        assert (got.prior_cycle_peak, got.prior_cycle_peak_date) == want["prior"]
        assert got.pct_vs_prior_cycle_peak == pytest.approx(want["pct_vs_prior"])


@pytest.mark.parametrize("symbol", ["^RUT", "IWM"])
def test_russell_closed_at_a_record_last_week_and_made_an_intraday_record_on_the_article_day(
    symbol,
):
    # Article (2025-12-09): "closed at a new record high last week. Today ... a new intraday ATH".
    bars = load_sample(symbol)
    thursday = record_highs(upto(bars, "2025-12-04"))
    assert thursday.new_closing_ath and not thursday.new_intraday_ath
    article_day = record_highs(upto(bars, "2025-12-09"))
    assert article_day.new_intraday_ath and not article_day.new_closing_ath
    assert article_day.ath_close_date == date(2025, 12, 4)
    assert article_day.ath_high_date == date(2025, 12, 9)
    assert article_day.sessions_since_record == 3  # Fri 5th, Mon 8th, Tue 9th
    fed_day = record_highs(upto(bars, "2025-12-10"))
    assert fed_day.new_closing_ath and fed_day.new_intraday_ath


@pytest.mark.parametrize("symbol", ["^RUT", "IWM"])
def test_russell_is_a_few_percent_above_its_2021_peak(symbol):
    bars = load_sample(symbol)
    y2021 = bars.loc["2021"]
    peak_2021 = float(y2021["close"].max())
    peak_day = y2021["close"].idxmax().date()
    got = record_highs(upto(bars, "2025-12-09"))
    assert got.prior_cycle_peak == peak_2021
    assert got.prior_cycle_peak_date == peak_day == date(2021, 11, 8)
    close = float(upto(bars, "2025-12-09")["close"].iloc[-1])
    assert got.pct_vs_prior_cycle_peak == pytest.approx((close / peak_2021 - 1) * 100)
    assert 3.0 < got.pct_vs_prior_cycle_peak < 4.0  # "just a few percentage points above"


def test_prior_cycle_peak_hand_example():
    idx = pd.date_range("2024-01-01", periods=5, freq="D", tz="America/New_York")
    closes = [10.0, 12.0, 9.0, 8.0, 13.0]
    bars = pd.DataFrame({"open": closes, "high": closes, "low": closes, "close": closes,
                         "volume": 0.0, "adj_close": closes}, index=idx)
    got = record_highs(bars)
    assert got.prior_cycle_peak == 12.0 and got.prior_cycle_peak_date == date(2024, 1, 2)
    assert got.pct_vs_prior_cycle_peak == pytest.approx(100 * (13 / 12 - 1))
    assert got.new_closing_ath and got.sessions_since_record == 0
    # A 30% threshold: the 33% fall from 12 to 8 still qualifies, a 35% one does not exist.
    assert record_highs(bars, drawdown_pct=30).prior_cycle_peak == 12.0
    assert record_highs(bars, drawdown_pct=35).prior_cycle_peak is None


def test_a_single_bar_is_not_a_new_record_and_no_bars_is_none():
    bars = upto(load_sample("SPY"), "2018-01-02")
    assert len(bars) == 1
    got = record_highs(bars)
    assert not got.new_closing_ath and not got.new_intraday_ath
    assert got.sessions_since_record == 0 and got.pct_from_ath == 0.0
    assert record_highs(bars.iloc[:0]) is None


def test_flat_prices_never_set_a_new_record():
    idx = pd.date_range("2024-01-01", periods=6, freq="D", tz="UTC")
    bars = pd.DataFrame({c: 5.0 for c in ("open", "high", "low", "close", "adj_close")},
                        index=idx).assign(volume=0.0)
    got = record_highs(bars)
    assert not got.new_closing_ath and not got.new_intraday_ath
    assert got.ath_close_date == date(2024, 1, 1) and got.sessions_since_record == 5
    assert got.prior_cycle_peak is None


@pytest.mark.parametrize("bad", [0.0, 100.0, -5.0])
def test_drawdown_threshold_outside_0_100_is_rejected(bad):
    with pytest.raises(ValueError):
        record_highs(load_sample("SPY"), drawdown_pct=bad)


@pytest.mark.parametrize("symbol", ["SOXX", "^RUT", "ETH-USD"])
def test_new_high_flags_match_a_running_maximum_loop(symbol):
    bars = load_sample(symbol)
    best_c = best_h = -np.inf
    want_c, want_h = [], []
    for c, h in zip(bars["close"], bars["high"], strict=True):
        want_c.append(c > best_c and best_c > -np.inf)
        want_h.append(h > best_h and best_h > -np.inf)
        best_c, best_h = max(best_c, c), max(best_h, h)
    records = [i for i, (c, h) in enumerate(zip(want_c, want_h, strict=True)) if c or h]
    days = sorted({*records[-40:], *range(len(bars) - 40, len(bars))})
    assert any(want_c[i] for i in days) and not all(want_h[i] for i in days)
    for i in days:  # the flags as of each of those sessions, from the bars up to it
        got = record_highs(bars.iloc[: i + 1])
        assert (got.new_closing_ath, got.new_intraday_ath) == (want_c[i], want_h[i]), i
