"""The pieces of the live data path on their own: which session is trading (NYSE hours, a half
day, a holiday, crypto), reading Yahoo's quote answer, what counts as an extended-hours price, and
how a quote merges into today's bar."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from analysis.sources.health import clock_words, delayed_note, down_note, is_rate_limit
from analysis.sources.intraday import LiveBars, session_state
from analysis.sources.quotes import Quote, extended_quote, parse_quotes

ET = ZoneInfo("America/New_York")


def et(y, m, d, hh, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=ET)


# ------------------------------------------------------------------------------- session state

@pytest.mark.parametrize(("now", "open_day", "trading", "last_closed"), [
    (et(2025, 12, 10, 3, 0), date(2025, 12, 10), False, date(2025, 12, 9)),   # night before
    (et(2025, 12, 10, 9, 29, 59), date(2025, 12, 10), False, date(2025, 12, 9)),
    (et(2025, 12, 10, 9, 30), date(2025, 12, 10), True, date(2025, 12, 9)),   # the open
    (et(2025, 12, 10, 15, 59, 59), date(2025, 12, 10), True, date(2025, 12, 9)),
    (et(2025, 12, 10, 16, 0), None, False, date(2025, 12, 10)),               # the close
    (et(2025, 12, 13, 12, 0), None, False, date(2025, 12, 12)),               # Saturday
    (et(2025, 12, 15, 10, 0), date(2025, 12, 15), True, date(2025, 12, 12)),  # Monday
    (et(2025, 11, 28, 12, 59), date(2025, 11, 28), True, date(2025, 11, 26)),  # half day
    (et(2025, 11, 28, 13, 0), None, False, date(2025, 11, 28)),               # closes at 13:00
    (et(2025, 12, 25, 11, 0), None, False, date(2025, 12, 24)),               # Christmas
])
def test_nyse_session_state(now, open_day, trading, last_closed):
    state = session_state("SPY", now)
    assert (state.open_day, state.trading, state.last_closed) == (open_day, trading, last_closed)
    assert state.closed_at <= now
    assert state.closed_at.astimezone(ET).date() == last_closed


def test_crypto_trades_all_day_and_its_day_is_utc():
    now = datetime(2025, 12, 13, 23, 59, tzinfo=UTC)  # a Saturday
    state = session_state("BTC-USD", now)
    assert (state.open_day, state.trading, state.last_closed) == (
        date(2025, 12, 13), True, date(2025, 12, 12))
    assert state.closed_at == datetime(2025, 12, 13, tzinfo=UTC)


# ------------------------------------------------------------------------------- Yahoo's answer

def test_parse_quotes_reads_plain_and_formatted_numbers_and_skips_junk():
    payload = {"quoteResponse": {"error": None, "result": [
        {"symbol": "spy", "marketState": "REGULAR", "regularMarketPrice": 683.04,
         "regularMarketOpen": {"raw": 680.0, "fmt": "680.00"}, "regularMarketDayHigh": 685.5,
         "regularMarketDayLow": 679.1, "regularMarketVolume": 41_000_000,
         "regularMarketTime": 1765382400, "preMarketPrice": 681.0, "preMarketTime": 1765373400},
        {"symbol": "NAN", "regularMarketPrice": float("nan")},
        {"symbol": "ZERO", "regularMarketPrice": 0},
        {"regularMarketPrice": 10.0},
        "not a row",
        {"symbol": "IDX", "regularMarketPrice": 2500.5, "regularMarketVolume": None,
         "regularMarketDayHigh": "n/a", "regularMarketTime": -5},
    ]}}
    quotes = parse_quotes(payload)
    assert sorted(quotes) == ["IDX", "SPY"]
    spy = quotes["SPY"]
    assert (spy.price, spy.open, spy.day_high, spy.day_low, spy.volume) == (
        683.04, 680.0, 685.5, 679.1, 41_000_000.0)
    assert spy.time == datetime.fromtimestamp(1765382400, UTC)
    assert spy.pre_price == 681.0 and spy.market_state == "REGULAR"
    idx = quotes["IDX"]
    assert idx.volume is None and idx.day_high is None and idx.time is None
    for bad in (None, {}, {"quoteResponse": None}, {"quoteResponse": {"result": "x"}}, []):
        assert parse_quotes(bad) == {}


def _quote(**kw) -> Quote:
    base = dict(symbol="IWM", market_state="POST", price=250.0, open=248.0, day_high=251.0,
                day_low=247.0, volume=1e6, time=datetime(2025, 12, 10, 21, 0, tzinfo=UTC))
    return Quote(**(base | kw))


def test_the_newest_extended_price_after_the_regular_close_wins():
    pre_old = datetime(2025, 12, 10, 13, 0, tzinfo=UTC)   # this morning: before the close
    post = datetime(2025, 12, 10, 22, 30, tzinfo=UTC)
    pre_next = datetime(2025, 12, 11, 12, 0, tzinfo=UTC)  # tomorrow's pre-market
    assert extended_quote(_quote(pre_price=249.0, pre_time=pre_old)) is None
    ext = extended_quote(_quote(pre_price=249.0, pre_time=pre_old, post_price=252.5,
                                post_time=post))
    assert (ext.session, ext.price, ext.time, ext.base) == ("post", 252.5, post, 250.0)
    assert ext.change_pct == pytest.approx(1.0)
    ext = extended_quote(_quote(pre_price=247.5, pre_time=pre_next, post_price=252.5,
                                post_time=post))
    assert ext.session == "pre" and ext.change_pct == pytest.approx(-1.0)
    assert extended_quote(_quote(time=None, post_price=252.5, post_time=post)) is None


# ------------------------------------------------------------------------- today's bar by quote

def test_quotes_merge_into_todays_bar_and_only_while_it_trades():
    live = LiveBars()
    empty = pd.DataFrame({c: [] for c in ("open", "high", "low", "close", "volume",
                                          "adj_close")},
                         index=pd.DatetimeIndex([], tz="America/New_York", name="date"))
    t1, t2 = et(2025, 12, 10, 11), et(2025, 12, 10, 13)
    q1 = _quote(market_state="REGULAR", price=254.0, open=250.9, day_high=255.1, day_low=250.5,
                volume=14e6, time=t1.astimezone(UTC))
    assert live.take_quote("IWM", q1, t1)
    # a later quote: the day's high and volume are the larger ones, low the smaller, open stays
    q2 = _quote(market_state="REGULAR", price=251.6, open=999.0, day_high=254.0, day_low=250.8,
                volume=21e6, time=t2.astimezone(UTC))
    assert live.take_quote("IWM", q2, t2)
    bars, got = live.attach("IWM", empty, t2)
    row = bars.iloc[-1]
    assert bars.index[-1] == pd.Timestamp("2025-12-10", tz="America/New_York") and got == t2
    assert (row["open"], row["high"], row["low"], row["close"], row["volume"]) == (
        250.9, 255.1, 250.5, 251.6, 21e6)
    assert not any(math.isnan(v) for v in row)
    # yesterday's quote is not today's bar; before the open nothing is merged
    stale = _quote(market_state="PRE", time=et(2025, 12, 9, 16).astimezone(UTC))
    assert not live.take_quote("IWM", stale, et(2025, 12, 11, 9))
    # after the close the remembered bar is gone
    after, got = live.attach("IWM", empty, et(2025, 12, 10, 16, 1))
    assert after.empty and got is None


# ------------------------------------------------------------------------------------- wording

def test_header_wording():
    now = datetime(2025, 12, 10, 15, 50, tzinfo=UTC)
    since = datetime(2025, 12, 10, 15, 42, tzinfo=UTC)
    local = f"{since.astimezone():%H:%M}"
    assert clock_words(since, now) == local
    assert clock_words(datetime(2025, 12, 8, 15, 42, tzinfo=UTC), now).endswith(local)
    assert down_note("offline", since, now, "stored bars", "cannot connect to Yahoo") == \
        f"offline since {local} — stored bars; cannot connect to Yahoo"
    assert down_note("rate_limited", since, now, "stored bars", "") == \
        f"rate limited since {local} — stored bars, retrying"
    assert delayed_note(["XLF", "KRE", "SPY"], "", "Yahoo timed out") == \
        "delayed: 3 symbols stale (KRE, SPY, XLF); Yahoo timed out"
    assert is_rate_limit("Yahoo is rate-limiting requests (HTTP 429)")
    assert not is_rate_limit("Yahoo is down (server error)")
