"""Real recorded Yahoo answers (tests/yahoowire.py) through the fake session and real yfinance:
the daily chart parsers meet real bodies, and a well-formed empty answer (1-minute bars asked for
a weekend) is "no bars for that range", never "Yahoo cannot be reached"."""

from __future__ import annotations

import pandas as pd
import pytest
from fakeyahoo import FakeYahoo, reset_yfinance, wait_idle
from yahoowire import body, request_url

from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.sources.auto import AutoSource
from analysis.sources.store import BarStore
from analysis.sources.yahoo import YahooSource
from analysis.sources.yfcall import is_transient, plain

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


# -- quotes: real bodies, currencies, and each symbol's own session ------------------------------

def test_recorded_quotes_parse_with_currency_session_and_time_zone(fake):
    from analysis.sources.quotes import fetch_quotes

    fake.recorded_quote = body("quote-AAPL-BABA")
    quotes = fetch_quotes(["AAPL", "BABA"], fake, 10.0)
    aapl = quotes["AAPL"]
    assert (aapl.price, aapl.currency, aapl.market_state, aapl.exchange_tz) == (
        244.6, "USD", "CLOSED", "America/New_York")
    assert aapl.time.isoformat() == "2025-02-14T21:00:00+00:00"
    fake.recorded_quote = body("quote-BTC-USD")
    btc = fetch_quotes(["BTC-USD"], fake, 10.0)["BTC-USD"]
    assert (btc.price, btc.currency, btc.market_state, btc.exchange_tz) == (
        96077.45, "USD", "REGULAR", "UTC")


HOLIDAY = pd.Timestamp("2025-02-17 11:05", tz="UTC").to_pydatetime()  # Presidents Day, London open


def test_a_london_share_and_a_future_trading_on_a_us_holiday_are_live_in_their_currency(fake):
    """On 2025-02-17 the NYSE is closed; London and COMEX trade. Their quotes are not ignored,
    and OCDO.L's 308.8 is pence (GBp), not dollars."""
    fake.advance("2025-02-14")
    fake.aliases.update({"OCDO.L": "SPY", "GC=F": "SPY"})
    fake.recorded_quote = body("quote-OCDO.L-GC=F-built")
    source = YahooSource(session=fake, store=BarStore(), deadline=10.0, backoff=0.02,
                         attempts=2, clock=lambda: HOLIDAY)
    result = source.fetch(["OCDO.L", "GC=F"])
    assert result.currencies == {"OCDO.L": "GBp", "GC=F": "USD"}
    for sym, price in (("OCDO.L", 308.8), ("GC=F", 2936.5)):
        last = result.bars[sym].iloc[-1]
        assert result.bars[sym].index[-1].date().isoformat() == "2025-02-17"
        assert last["close"] == price
    config = Config(watchlist=("OCDO.L", "GC=F"), sectors=(), crypto=())
    snap = Pipeline(config, source=None).analyze(result, now=HOLIDAY).snapshot
    ocado = snap.symbols["OCDO.L"]
    assert (ocado.last, ocado.currency) == (308.8, "GBp")
    from analysis.report import symbol_to_json
    from tui.format import money

    assert symbol_to_json(ocado)["currency"] == "GBp"
    assert money(ocado.last, ocado.currency, width=10) == "308.80 GBp"
    assert money(2936.5, "USD") == "2,936.50"
    assert money(1234.6, "EUR", compact=True, width=8) == "1,235EUR"
    # the bar of that session is kept in memory, never stored as final
    assert BarStore().last_timestamp("OCDO.L").date().isoformat() == "2025-02-14"


def test_a_us_listing_on_a_us_holiday_is_still_not_live(fake):
    fake.advance("2025-02-14")
    fake.aliases["AAPL"] = "SPY"
    fake.recorded_quote = body("quote-AAPL-BABA")  # AAPL: CLOSED
    source = YahooSource(session=fake, store=BarStore(), deadline=10.0, backoff=0.02,
                         attempts=2, clock=lambda: HOLIDAY)
    bars = source.fetch(["AAPL"]).bars["AAPL"]
    assert bars.index[-1].date().isoformat() == "2025-02-14"
