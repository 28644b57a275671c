"""Leaders on the real bundled bars, against a plain loop: the first new closing ATH of each
benchmark and sector ETF in the window, earliest first, around the article's date (the
semiconductor index made a new all-time high "yesterday")."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.bars import upto
from analysis.facts.leaders import leaders
from analysis.sources.sample import load_sample

UNIVERSE = ("SPY", "QQQ", "DIA", "IWM", "^GSPC", "^RUT", "IJR", "SOXX", "SMH", "KRE", "XLF",
            "XLI", "XLV", "XLK", "XLY", "XLE", "XLP", "XLC", "XLB", "XLRE", "XLU")


def loop_first_record(bars: pd.DataFrame, window_start: date) -> date | None:
    best = None
    for ts, c in zip(bars.index, bars["close"], strict=True):
        if best is not None and c > best and ts.date() >= window_start:
            return ts.date()
        best = c if best is None else max(best, c)
    return None


@pytest.mark.parametrize("window", [5, 21, 63])
@pytest.mark.parametrize("asof", ["2025-12-09", "2024-07-10", "2021-11-08"])
def test_leaders_match_a_loop(window, asof):
    frames = {s: upto(load_sample(s), asof) for s in UNIVERSE}
    got = leaders(frames, window)
    sessions = [ts.date() for ts in frames["SPY"].index]
    assert got.window_start == sessions[-window]
    want = {s: loop_first_record(b, got.window_start) for s, b in frames.items()}
    assert {x.symbol: x.first_new_high for x in got.order} == want
    dated = [x.first_new_high for x in got.order if x.first_new_high is not None]
    assert dated == sorted(dated)
    assert [x.first_new_high is None for x in got.order] == sorted(
        x.first_new_high is None for x in got.order)
    for x in got.order:
        closes = frames[x.symbol]["close"]
        assert x.pct_from_ath == pytest.approx((closes.iloc[-1] / closes.max() - 1) * 100)
    assert got.first == (got.order[0].symbol if dated else None)


def test_semiconductors_made_new_highs_into_the_article_date():
    frames = {s: upto(load_sample(s), "2025-12-09") for s in UNIVERSE}
    order = {x.symbol: x.first_new_high for x in leaders(frames, 5).order}
    assert order["SOXX"] == date(2025, 12, 8)  # "made a new all-time high yesterday"
    assert order["SMH"] == date(2025, 12, 9)
    assert order["IWM"] == order["^RUT"] == date(2025, 12, 4)
    assert order["SPY"] is None and order["QQQ"] is None and order["XLK"] is None


def test_ties_on_a_date_go_to_the_one_closest_to_its_high():
    frames = {s: upto(load_sample(s), "2025-12-09") for s in UNIVERSE}
    got = leaders(frames, 63)
    same_day = [x for x in got.order if x.first_new_high == got.order[0].first_new_high]
    assert len(same_day) > 1
    pcts = [x.pct_from_ath for x in same_day]
    assert pcts == sorted(pcts, reverse=True)


def test_no_bars_is_none_and_a_bad_window_is_rejected():
    assert leaders({}) is None
    assert leaders({"SPY": load_sample("SPY").iloc[:0]}) is None
    with pytest.raises(ValueError):
        leaders({"SPY": load_sample("SPY")}, window=0)


def test_nobody_at_a_new_high_means_no_leader():
    frames = {s: upto(load_sample(s), "2022-10-12") for s in ("SPY", "QQQ", "IWM")}
    got = leaders(frames, 21)
    assert got.first is None and all(x.first_new_high is None for x in got.order)
