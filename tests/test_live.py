"""A live market day through the fake Yahoo (real yfinance, real HTTP handling, the bundled real
bars) and the default ``auto`` source, with fixed clocks: today's bar from the batched quote,
``breaking`` the moment IWM trades above its pivot, no confirmation before the close, the final bar
stored only after it; pre-market and after-hours prices; rate limits and outages said honestly and
recovered from.

The day: 2025-12-10, the FOMC decision day after the article's. At the close of 2025-12-09 IWM sat
just under the pivot of its flat base (state ``near``).
"""

from __future__ import annotations

import csv
import gzip
from datetime import UTC, date, datetime
from importlib import resources
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from analysis.changes import diff
from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.sources.auto import AutoSource
from analysis.sources.sample import SampleSource
from analysis.sources.store import BarStore, StoreSource
from analysis.sources.yahoo import YahooSource

ET = ZoneInfo("America/New_York")
SYMBOLS = ["IWM", "SPY"]
CONFIG = Config(watchlist=tuple(SYMBOLS), sectors=(), crypto=())
DAY = date(2025, 12, 10)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ET)


def hhmm(when: datetime) -> str:
    return f"{when.astimezone():%H:%M}"  # the header shows local wall-clock time


def raw_rows(symbol: str) -> list[dict[str, str]]:
    path = resources.files("analysis.data") / "sample" / f"{symbol}.csv.gz"
    with path.open("rb") as fh, gzip.open(fh, "rt") as text:
        return list(csv.DictReader(text))


def avg_volume_before(symbol: str, day: str, n: int = 50) -> float:
    rows = raw_rows(symbol)
    i = next(k for k, r in enumerate(rows) if r["Date"] == day)
    total = 0.0
    for r in rows[i - n:i]:
        total += float(r["Volume"])
    return total / n


class Clock:
    """The wall clock the sources see; the test moves it and passes the same time to refresh."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Day:
    """A pipeline on the fake Yahoo with one clock for the sources and the analysis."""

    def __init__(self, fake, start: datetime, store: BarStore | None = None) -> None:
        self.fake, self.clock = fake, Clock(start)
        self.store = store if store is not None else BarStore()
        self.yahoo = YahooSource(session=fake, store=self.store, clock=self.clock, deadline=5.0,
                                 backoff=0.02, attempts=2)
        self.pipe = Pipeline(CONFIG, AutoSource(self.yahoo, self.store))

    def refresh(self, now: datetime):
        self.clock.now = now
        return self.pipe.refresh(SYMBOLS, now=now).snapshot


def trading(fake, when: datetime, **bar: float) -> None:
    """Yahoo during the session: today's IWM bar so far, the quote's last trade at ``when``."""
    fake.advance(DAY.isoformat())
    fake.market_state, fake.quote_at = "REGULAR", pd.Timestamp(when)
    fake.set_last_bar("IWM", **bar)


@pytest.fixture(scope="module")
def level_before() -> float:
    """IWM's breakout level at the close of 2025-12-09, from the bundled bars."""
    snap = Pipeline(CONFIG, SampleSource()).refresh(asof=date(2025, 12, 9)).snapshot
    b = snap.symbols["IWM"].breakout
    assert b is not None and b.state == "near" and b.level_source == "flat-base pivot"
    assert snap.symbols["IWM"].last < b.level
    return b.level


@pytest.fixture
def morning(fake_yahoo):
    """09:00 on 2025-12-10: Yahoo has bars to 2025-12-09; the store gets filled."""
    fake_yahoo.advance("2025-12-09")
    fake_yahoo.market_state = "PRE"
    day = Day(fake_yahoo, at(9))
    snap = day.refresh(at(9))
    assert snap.status == "live" and snap.symbols["IWM"].asof == date(2025, 12, 9)
    return day, snap


# ----------------------------------------------------------------------------- intraday breakout

def test_a_quote_above_the_pivot_is_breaking_and_back_below_it_is_not_confirmed(
        morning, level_before):
    day, pre = morning
    fake = day.fake
    price = round(level_before * 1.007, 2)  # above the pivot, inside the buy zone
    trading(fake, at(11), open=250.90, high=price + 0.5, low=250.54, price=price,
            volume=14_000_000)
    fake.log.clear()
    first = day.refresh(at(11))
    iwm = first.symbols["IWM"]
    assert first.status == "live" and first.note == ""
    assert iwm.asof == DAY and iwm.intraday and iwm.last == price
    assert iwm.breakout.state == "breaking" and iwm.last > iwm.breakout.level
    # one batched quote request for the whole universe, no chart request: the store already had
    # every closed session
    quotes = fake.requests_of("quote")
    assert len(quotes) == 1 and quotes[0].params["symbols"] == "IWM,SPY"
    assert not fake.requests_of("chart")
    # the half-day bar is not stored as if final
    assert day.store.last_timestamp("IWM").date() == date(2025, 12, 9)
    kinds = [e.kind for e in diff(pre, first) if e.symbol == "IWM"]
    assert kinds.count("breaking") == 1 and "confirmed" not in kinds

    # 13:00: back below the level, more volume; the day's high stays what it was
    trading(fake, at(13), open=250.90, high=price + 0.5, low=250.54, price=251.60,
            volume=21_000_000)
    second = day.refresh(at(13))
    iwm = second.symbols["IWM"]
    assert iwm.last == 251.60 and iwm.asof == DAY
    assert iwm.breakout.state not in ("breaking", "confirmed")
    assert not [e for e in diff(first, second) if e.kind == "confirmed"]
    bars = day.pipe.refresh(SYMBOLS, now=at(13)).bars["IWM"]
    assert bars["high"].iloc[-1] == price + 0.5 and bars["volume"].iloc[-1] == 21_000_000
    assert day.store.last_timestamp("IWM").date() == date(2025, 12, 9)


def test_after_the_close_a_final_bar_on_volume_confirms_and_is_stored(morning, level_before):
    day, _ = morning
    fake = day.fake
    price = round(level_before * 1.007, 2)
    trading(fake, at(11), open=250.90, high=price + 0.5, low=250.54, price=price,
            volume=14_000_000)
    during = day.refresh(at(11))
    assert during.symbols["IWM"].breakout.state == "breaking"
    # 16:30: Yahoo has the final bar: above the level on 1.5x the 50-day average volume
    need = avg_volume_before("IWM", "2025-12-10")
    volume = float(int(1.5 * need) + 1)
    fake.market_state, fake.quote_at = "POST", None
    fake.set_last_bar("IWM", open=250.90, high=price + 0.5, low=250.54, price=price,
                      volume=volume)
    fake.log.clear()
    after = day.refresh(at(16, 30))
    iwm = after.symbols["IWM"]
    assert not iwm.intraday and iwm.asof == DAY
    assert iwm.breakout.state == "confirmed" and iwm.breakout.since == DAY
    assert iwm.breakout.volume_ratio == pytest.approx(volume / need)
    events = [e for e in diff(during, after) if e.symbol == "IWM" and e.kind == "confirmed"]
    assert len(events) == 1
    # the chart was asked from the last stored session on, and the final bar is now stored
    starts = {r.symbol: r.period1 for r in fake.requests_of("chart")}
    assert starts["IWM"] == pd.Timestamp("2025-12-09", tz=ET)
    stored = day.store.load("IWM")
    assert stored.index[-1].date() == DAY
    assert (stored["close"].iloc[-1], stored["volume"].iloc[-1]) == (price, volume)


def test_the_real_2025_12_10_bar_broke_out_without_the_volume_to_confirm(morning, level_before):
    day, _ = morning
    fake = day.fake
    fake.advance("2025-12-10")
    fake.market_state = "POST"
    iwm = day.refresh(at(16, 30)).symbols["IWM"]
    real = next(r for r in raw_rows("IWM") if r["Date"] == "2025-12-10")
    ratio = float(real["Volume"]) / avg_volume_before("IWM", "2025-12-10")
    assert float(real["Close"]) > level_before and ratio < 1.4  # 1.24x: not enough
    assert iwm.last == float(real["Close"])
    assert iwm.breakout.state == "breaking"
    assert iwm.breakout.volume_ratio == pytest.approx(ratio)


def test_a_first_refresh_mid_session_takes_the_chart_and_stores_only_closed_sessions(
        fake_yahoo, level_before):
    price = round(level_before * 1.01, 2)
    trading(fake_yahoo, at(11), open=250.90, high=price, low=250.54, price=price,
            volume=9_000_000)
    store = BarStore()
    snap = Day(fake_yahoo, at(11), store).refresh(at(11))
    assert fake_yahoo.requests_of("chart")  # nothing stored yet: the history comes by chart
    iwm = snap.symbols["IWM"]
    assert iwm.asof == DAY and iwm.last == price and iwm.breakout.state == "breaking"
    assert store.last_timestamp("IWM").date() == date(2025, 12, 9)
    # whoever reads the store alone (another process, `--source store`) never sees a half day
    alone = StoreSource(store).fetch(SYMBOLS)
    assert all(df.index[-1].date() == date(2025, 12, 9) for df in alone.bars.values())
    # a new process at 13:00 on the same store: the quote is enough
    fake_yahoo.log.clear()
    trading(fake_yahoo, at(13), open=250.90, high=price, low=250.54, price=price - 1,
            volume=12_000_000)
    later = Day(fake_yahoo, at(13), store).refresh(at(13))
    assert not fake_yahoo.requests_of("chart") and len(fake_yahoo.requests_of("quote")) == 1
    assert later.symbols["IWM"].last == price - 1


def test_crypto_today_is_in_progress_until_midnight_utc(fake_yahoo):
    fake_yahoo.advance("2025-12-10")
    store = BarStore()
    clock = Clock(datetime(2025, 12, 10, 15, 0, tzinfo=UTC))
    src = YahooSource(session=fake_yahoo, store=store, clock=clock, deadline=5.0)
    got = src.fetch(["BTC-USD"]).bars["BTC-USD"]
    assert got.index[-1].date() == DAY  # shown ...
    assert store.last_timestamp("BTC-USD").date() == date(2025, 12, 9)  # ... not stored
    clock.now = datetime(2025, 12, 11, 0, 30, tzinfo=UTC)
    fake_yahoo.advance("2025-12-11")
    src.fetch(["BTC-USD"])
    assert store.last_timestamp("BTC-USD").date() == DAY  # the day closed: stored


# --------------------------------------------------------------------------- pre and after hours

def test_a_pre_market_price_is_shown_as_pre_with_its_change(morning):
    day, _ = morning
    fake = day.fake
    fake.set_extended("IWM", "pre", 253.40, at(8, 55))
    snap = day.refresh(at(9, 1))
    iwm = snap.symbols["IWM"]
    close = float(next(r for r in raw_rows("IWM") if r["Date"] == "2025-12-09")["Close"])
    assert iwm.asof == date(2025, 12, 9) and not iwm.intraday
    ext = iwm.extended
    assert ext is not None and ext.session == "pre" and ext.price == 253.40
    assert ext.time == at(8, 55) and ext.base == close
    assert ext.change_pct == pytest.approx((253.40 / close - 1) * 100)
    assert snap.symbols["SPY"].extended is None  # none for SPY
    # once the session trades, the morning's pre-market price is history, not a quote
    trading(fake, at(10), open=250.90, high=252.0, low=250.54, price=251.8, volume=5e6)
    assert day.refresh(at(10)).symbols["IWM"].extended is None
    # and a replayed/historical snapshot never carries today's extended price
    hist = day.pipe.refresh(SYMBOLS, asof=date(2025, 12, 9), now=at(10)).snapshot
    assert hist.symbols["IWM"].extended is None


def test_an_after_hours_price_is_shown_as_post_against_todays_close(fake_yahoo):
    fake_yahoo.advance("2025-12-10")
    fake_yahoo.market_state = "POST"
    fake_yahoo.set_extended("IWM", "post", 256.10, at(17, 25))
    fake_yahoo.set_extended("IWM", "pre", 251.00, at(8, 30))  # older than the regular close
    iwm = Day(fake_yahoo, at(17, 30)).refresh(at(17, 30)).symbols["IWM"]
    close = float(next(r for r in raw_rows("IWM") if r["Date"] == "2025-12-10")["Close"])
    assert iwm.asof == DAY and iwm.last == close
    assert iwm.extended.session == "post" and iwm.extended.price == 256.10
    assert iwm.extended.change_pct == pytest.approx((256.10 / close - 1) * 100)


# ---------------------------------------------------------------------------- degraded, recovered

def test_a_429_storm_says_rate_limited_keeps_the_last_good_bars_and_recovers(morning,
                                                                              level_before):
    day, _ = morning
    fake = day.fake
    price = round(level_before * 1.007, 2)
    trading(fake, at(11), open=250.90, high=price, low=250.54, price=price, volume=9e6)
    assert day.refresh(at(11)).status == "live"
    fake.inject("429", times=100_000)
    fake.inject("429", times=100_000, on="quote")
    snap = day.refresh(at(11, 5))
    assert snap.status == "rate_limited" and snap.fallback
    assert snap.note.startswith(f"rate limited since {hhmm(at(11, 5))} — stored bars, "
                                f"intraday to {hhmm(at(11))}, retrying; ")
    assert "HTTP 429" in snap.note
    iwm = snap.symbols["IWM"]  # the last good intraday bar stays on screen
    assert iwm.asof == DAY and iwm.last == price and iwm.breakout.state == "breaking"
    assert snap.fetched_at == at(11)  # as of when that data was got
    # still down five minutes later: "since" does not move
    assert day.refresh(at(11, 10)).note.startswith(f"rate limited since {hhmm(at(11, 5))} ")
    # Yahoo answers again: live, with the new price
    fake.clear_faults()
    trading(fake, at(11, 15), open=250.90, high=price + 1, low=250.54, price=price + 1,
            volume=10e6)
    back = day.refresh(at(11, 15))
    assert (back.status, back.note, back.fallback) == ("live", "", False)
    assert back.symbols["IWM"].last == price + 1
    # the next outage has its own "since"
    fake.inject("429", times=100_000)
    fake.inject("429", times=100_000, on="quote")
    assert day.refresh(at(11, 20)).note.startswith(f"rate limited since {hhmm(at(11, 20))} ")


def test_no_network_says_offline_since_and_never_takes_a_half_day_as_final(morning,
                                                                             level_before):
    day, _ = morning
    fake = day.fake
    price = round(level_before * 1.007, 2)
    trading(fake, at(10, 41), open=250.90, high=price, low=250.54, price=price, volume=9e6)
    day.refresh(at(10, 41))
    fake.offline = True
    snap = day.refresh(at(10, 42))
    assert snap.status == "offline" and snap.source == "store"
    assert snap.note == (f"offline since {hhmm(at(10, 42))} — stored bars, intraday to "
                         f"{hhmm(at(10, 41))}; cannot connect to Yahoo")
    assert snap.symbols["IWM"].last == price and snap.symbols["IWM"].intraday
    # still offline after the close: the 10:41 bar is not a completed session
    closed = day.refresh(at(16, 30))
    iwm = closed.symbols["IWM"]
    assert closed.note.startswith(f"offline since {hhmm(at(10, 42))} — stored bars; ")
    assert iwm.asof == date(2025, 12, 9) and not iwm.intraday
    assert iwm.breakout.state == "near"
    assert not [e for e in diff(snap, closed) if e.kind == "confirmed"]
    # the network is back: live, the real final bar, stored
    fake.offline = False
    fake.clear_last_bar()
    fake.market_state, fake.quote_at = "POST", None
    back = day.refresh(at(16, 35))
    assert (back.status, back.note) == ("live", "")
    real = next(r for r in raw_rows("IWM") if r["Date"] == "2025-12-10")
    assert back.symbols["IWM"].last == float(real["Close"])
    assert day.store.last_timestamp("IWM").date() == DAY


def test_some_symbols_failing_is_delayed_and_names_them(morning):
    day, _ = morning
    fake = day.fake
    fake.advance("2025-12-10")
    fake.market_state = "POST"
    fake.inject("empty", times=100_000, symbol="SPY")
    snap = day.refresh(at(16, 30))
    assert snap.status == "delayed" and snap.fallback
    assert snap.note.startswith("delayed: 1 symbol stale (SPY from stored bars); ")
    assert "empty or garbled" in snap.note
    assert snap.symbols["SPY"].asof == date(2025, 12, 9)
    assert snap.symbols["IWM"].asof == DAY
    fake.clear_faults()
    assert day.refresh(at(16, 35)).status == "live"
