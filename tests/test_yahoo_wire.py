"""Real recorded Yahoo answers (tests/yahoowire.py) through the fake session and real yfinance:
the daily chart parsers meet real bodies, and a well-formed empty answer (1-minute bars asked for
a weekend) is "no bars for that range", never "Yahoo cannot be reached"."""

from __future__ import annotations

import pandas as pd
import pytest
from fakeyahoo import FakeYahoo, reset_yfinance
from yahoowire import body, request_url

from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.sources.auto import AutoSource
from analysis.sources.store import BarStore
from analysis.sources.yahoo import YahooSource
from analysis.sources.yfcall import is_transient, plain, wait_idle

WEEKEND_1M = "chart-AAPL-2025-02-01-to-2025-02-02-includePrePost-false-interval-1m"


@pytest.fixture
def fake(user_dirs):
    reset_yfinance()
    made = FakeYahoo(hang_seconds=5.0, aliases={"AAPL": "SPY"})
    yield made
    made.release()
    wait_idle(10.0)
    reset_yfinance()


def yahoo(fake, store=None, **kw) -> YahooSource:
    return YahooSource(session=fake, store=store, deadline=10.0, backoff=0.02, attempts=2,
                       quotes=False, **kw)


def test_the_recorded_weekend_answer_is_well_formed_and_empty():
    assert "interval=1m" in request_url(WEEKEND_1M)
    result = body(WEEKEND_1M)["chart"]["result"][0]
    assert result["meta"]["symbol"] == "AAPL" and "timestamp" not in result
    assert result["indicators"]["quote"] == [{}]


def test_yfinance_words_for_an_empty_answer_say_no_bars_for_that_range():
    why = "YFPricesMissingError('possibly delisted; no price data found  (1m 2025-02-01 -> ...)')"
    assert plain(why) == "no bars for that range"
    assert not is_transient(why)  # an answer, not a failure to retry


def test_an_empty_answer_is_no_bars_for_that_range_not_unreachable(fake):
    fake.recorded["AAPL"] = body(WEEKEND_1M)
    result = yahoo(fake).fetch(["AAPL"])  # no YahooUnreachable
    assert result.errors == {"AAPL": "AAPL: no bars for that range"}
    assert "cannot be reached" not in result.note and result.status == "live"


def test_an_empty_answer_keeps_the_stored_bars_as_they_are(fake):
    store = BarStore()
    first = yahoo(fake, store).fetch(["AAPL"])
    stored = first.bars["AAPL"]
    fake.recorded["AAPL"] = body(WEEKEND_1M)
    again = yahoo(fake, store).fetch(["AAPL"])
    assert not again.errors and again.status == "live"
    pd.testing.assert_frame_equal(again.bars["AAPL"], stored)


def test_auto_with_only_empty_answers_is_not_offline(fake):
    fake.recorded["AAPL"] = body(WEEKEND_1M)
    config = Config(watchlist=("AAPL",), sectors=(), crypto=())
    snap = Pipeline(config, AutoSource(yahoo(fake, BarStore()), BarStore())).refresh(
        ["AAPL"]).snapshot
    assert snap.status != "offline" and "cannot be reached" not in snap.note
    assert "no bars for that range" in snap.note or "no bars for that range" in str(snap.errors)


@pytest.mark.parametrize(("name", "symbol", "day", "close"), [
    ("chart-AAPL-2020-08-31-to-2020-11-07", "AAPL", "2020-09-01", 134.17999267578125),
    ("chart-BTC-USD-2020-01-01-to-2020-01-03", "BTC-USD", "2020-01-02", 6985.47021484375),
])
def test_recorded_daily_charts_parse_into_bars(fake, name, symbol, day, close):
    fake.aliases[symbol] = "SPY" if symbol == "AAPL" else "BTC-USD"
    fake.recorded[symbol] = body(name)
    bars = yahoo(fake).fetch([symbol]).bars[symbol]
    stamps = body(name)["chart"]["result"][0]["timestamp"]
    assert len(bars) == len(stamps)
    row = bars[bars.index.date == pd.Timestamp(day).date()].iloc[0]
    assert row["close"] == pytest.approx(close)
    assert (bars["high"] >= bars["low"]).all() and (bars["volume"] >= 0).all()
