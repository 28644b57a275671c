"""Yahoo going wrong, through the fake Yahoo (real yfinance, real HTTP handling) and the default
`auto` source, down to what the trader sees: the snapshot's source, its stale/offline mark
(``fallback``) and note, per-symbol messages — and that no stored bar was lost.

No DNS, a refused connection (a real curl connection to a closed local port), a silent network
(the deadline fires), 429 storms, 5xx, truncated/garbled/empty answers, a symbol delisted
mid-session, a quote with NaN or zero prices, and a split between two refreshes.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from curl_cffi.requests.exceptions import DNSError
from fakeyahoo import FakeYahoo, reset_yfinance, wait_idle

from analysis.config import Config
from analysis.pipeline import Pipeline
from analysis.sources.auto import AutoSource
from analysis.sources.sample import load_sample
from analysis.sources.store import BarStore
from analysis.sources.yahoo import YahooSource
from tui.cli import build_parser, main
from tui.commands import data

SYMBOLS = ["SPY", "XLK", "KRE"]
CONFIG = Config(watchlist=tuple(SYMBOLS), sectors=(), crypto=())


def sample_upto(symbol: str, day: str) -> pd.DataFrame:
    df = load_sample(symbol)
    return df[df.index.date <= pd.Timestamp(day).date()]


class DnsDown(FakeYahoo):
    """The fake Yahoo behind a resolver that knows no Yahoo host while ``down`` (curl error 6)."""

    down = False

    def request(self, method, url, params=None, **kwargs):
        if self.down:
            host = str(url).split("/")[2]
            raise DNSError(f"Failed to perform, curl: (6) Could not resolve host: {host}")
        return super().request(method, url, params=params, **kwargs)


class Splitting(FakeYahoo):
    """The fake Yahoo with splits: once ``asof`` reaches a split day, the whole history of that
    symbol is served rescaled (prices / ratio, volume x ratio), as Yahoo does. ``fail_history``:
    requests for a period of history (not the incremental ones) of these symbols get a 503."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.splits: dict[str, tuple[pd.Timestamp, float]] = {}
        self.fail_history: set[str] = set()

    def split(self, symbol: str, day: str, ratio: float) -> None:
        self.splits[symbol] = (pd.Timestamp(day), ratio)

    def bars_for(self, symbol):
        bars = super().bars_for(symbol)
        if bars is None or symbol not in self.splits:
            return bars
        day, ratio = self.splits[symbol]
        if self.asof < day:
            return bars
        out = bars.copy()
        for col in ("open", "high", "low", "close", "adj_close"):
            out[col] = out[col] / ratio
        out["volume"] = out["volume"] * ratio
        return out

    def _chart(self, symbol, params):
        if symbol in self.fail_history and params.get("range") not in (None, "1d"):
            return 503, {"chart": {"result": None, "error": {
                "code": "Internal", "description": "Will be right back"}}}
        return super()._chart(symbol, params)


@pytest.fixture
def make_fake(user_dirs):
    """Like the ``fake_yahoo`` fixture, for a FakeYahoo subclass."""
    made: list[FakeYahoo] = []

    def make(cls=FakeYahoo, **kw):
        reset_yfinance()
        fake = cls(hang_seconds=10.0, **kw)
        made.append(fake)
        return fake

    yield make
    for fake in made:
        fake.release()
    wait_idle(15.0)
    reset_yfinance()


def auto(fake, store: BarStore, **kw) -> AutoSource:
    kw.setdefault("deadline", 5.0)
    kw.setdefault("backoff", 0.02)
    kw.setdefault("attempts", 2)
    return AutoSource(YahooSource(session=fake, store=store, **kw), store)


def warmed(fake, store: BarStore, **kw) -> Pipeline:
    """A pipeline whose store holds SYMBOLS up to the fake's today (2025-12-09)."""
    pipe = Pipeline(CONFIG, auto(fake, store, **kw))
    first = pipe.refresh(SYMBOLS)
    assert first.snapshot.source == "yahoo" and not first.snapshot.fallback
    return pipe


def stored_rows(store: BarStore) -> dict[str, int]:
    return {r.symbol: r.rows for r in store.status()}


def assert_offline_on_stored_bars(snap, rows_before, store, *, words: str) -> None:
    """The trader sees stored bars marked stale, with why; nothing in the store was lost."""
    assert snap.source == "store" and snap.fallback
    assert words in snap.note
    assert "stored bars" in snap.note
    assert sorted(snap.symbols) == sorted(SYMBOLS) and not snap.errors
    assert all(f.asof.isoformat() == "2025-12-09" for f in snap.symbols.values())
    assert stored_rows(store) == rows_before


# ---------------------------------------------------------------------------- no network at all

def test_no_dns_shows_stored_bars_with_the_reason(make_fake):
    fake = make_fake(DnsDown)
    store = BarStore()
    pipe = warmed(fake, store)
    before = stored_rows(store)
    fake.advance("2025-12-12")
    fake.down = True
    t0 = time.monotonic()
    snap = pipe.refresh(SYMBOLS).snapshot
    assert time.monotonic() - t0 < 5.0
    assert_offline_on_stored_bars(snap, before, store,
                                  words="cannot resolve Yahoo's address (no network or DNS)")
    fake.down = False  # the network is back: the next refresh has the new sessions
    back = pipe.refresh(SYMBOLS).snapshot
    assert back.source == "yahoo" and not back.fallback and back.note == ""
    assert back.symbols["SPY"].asof.isoformat() == "2025-12-12"


def test_connection_refused_for_real_falls_back_to_the_sample_on_time():
    """No fake: a real curl session, every request sent to a closed local port (conftest)."""
    reset_yfinance()
    try:
        pipe = Pipeline(CONFIG, AutoSource(YahooSource(deadline=10.0, backoff=0.02, attempts=2),
                                           BarStore()))
        t0 = time.monotonic()
        snap = pipe.refresh(["SPY", "KRE"]).snapshot
        assert time.monotonic() - t0 < 5.0
    finally:
        wait_idle(5.0)
        reset_yfinance()
    assert (snap.source, snap.fallback) == ("sample", True)
    assert "cannot connect to Yahoo" in snap.note
    assert "sample" in snap.note and "2025-12-31" in snap.note
    assert snap.symbols["SPY"].last == load_sample("SPY")["close"].iloc[-1]


def test_data_fetch_with_no_network_exits_1_with_one_line_and_no_traceback(capsys):
    reset_yfinance()
    try:
        assert main(["data", "fetch", "SPY", "--deadline", "10"]) == 1
    finally:
        wait_idle(5.0)
        reset_yfinance()
    err = capsys.readouterr().err
    assert "basewatch: Yahoo cannot be reached: cannot connect to Yahoo" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------------------- silent network

def test_silent_network_the_deadline_fires_and_the_source_says_offline(make_fake):
    fake = make_fake()
    store = BarStore()
    pipe = warmed(fake, store, deadline=1.0)
    before = stored_rows(store)
    fake.advance("2025-12-12")
    fake.inject("hang", times=1)
    t0 = time.monotonic()
    snap = pipe.refresh(SYMBOLS).snapshot
    took = time.monotonic() - t0
    assert took < 2.0  # the deadline (1 s) fired; the caller got an answer on time
    assert_offline_on_stored_bars(snap, before, store, words="did not answer within 1 s")
    # while that call is still stuck, the next refresh sends nothing and answers at once
    asked = len(fake.log)
    t1 = time.monotonic()
    again = pipe.refresh(SYMBOLS).snapshot
    assert time.monotonic() - t1 < 0.5
    assert again.fallback and "has not returned" in again.note
    assert len(fake.log) == asked
    fake.release()
    assert wait_idle(10.0)
    back = pipe.refresh(SYMBOLS).snapshot
    assert back.source == "yahoo" and not back.fallback
    assert back.symbols["XLK"].asof.isoformat() == "2025-12-12"


# ----------------------------------------------------------------------- rate limits, 5xx, junk

def test_a_429_storm_backs_off_within_the_deadline_and_recovers(make_fake):
    fake = make_fake()
    store = BarStore()
    pipe = warmed(fake, store, attempts=3, deadline=4.0)
    before = stored_rows(store)
    fake.advance("2025-12-12")
    fake.inject("429", times=100_000)
    fake.log.clear()
    t0 = time.monotonic()
    snap = pipe.refresh(SYMBOLS).snapshot
    assert time.monotonic() - t0 < 4.5
    assert_offline_on_stored_bars(snap, before, store,
                                  words="Yahoo is rate-limiting requests (HTTP 429)")
    charts = [r for r in fake.log if r.kind == "chart"]
    assert 0 < len(charts) <= 3 * len(SYMBOLS) * 2  # attempts x symbols x yfinance's own retry
    fake.clear_faults()
    back = pipe.refresh(SYMBOLS).snapshot
    assert back.source == "yahoo" and back.symbols["KRE"].asof.isoformat() == "2025-12-12"


@pytest.mark.parametrize("status", ["500", "502", "503"])
def test_server_errors_show_stored_bars_and_say_yahoo_is_down(make_fake, status):
    fake = make_fake()
    store = BarStore()
    pipe = warmed(fake, store)
    before = stored_rows(store)
    fake.advance("2025-12-12")
    fake.inject(status, times=100_000)
    snap = pipe.refresh(SYMBOLS).snapshot
    assert_offline_on_stored_bars(snap, before, store, words="Yahoo is down (server error)")


@pytest.mark.parametrize("fault", ["truncated", "garbled", "empty"])
def test_junk_answers_show_stored_bars_and_say_so(make_fake, fault):
    fake = make_fake()
    store = BarStore()
    pipe = warmed(fake, store)
    before = stored_rows(store)
    fake.advance("2025-12-12")
    fake.inject(fault, times=100_000)
    snap = pipe.refresh(SYMBOLS).snapshot
    assert_offline_on_stored_bars(snap, before, store,
                                  words="Yahoo sent an empty or garbled answer")


@pytest.mark.parametrize("fault", ["truncated", "garbled", "503"])
def test_one_symbol_answered_with_junk_is_served_stale_and_named(make_fake, fault):
    fake = make_fake()
    store = BarStore()
    pipe = warmed(fake, store)
    xlk_rows = stored_rows(store)["XLK"]
    fake.advance("2025-12-12")
    fake.inject(fault, times=100_000, symbol="XLK")
    snap = pipe.refresh(SYMBOLS).snapshot
    assert snap.source == "yahoo" and snap.fallback  # mixed: marked, not silently fresh
    assert "XLK from stored bars" in snap.note
    assert snap.symbols["XLK"].asof.isoformat() == "2025-12-09"
    assert snap.symbols["SPY"].asof.isoformat() == "2025-12-12"
    assert stored_rows(store)["XLK"] == xlk_rows


# ------------------------------------------------------------------ delisted in the middle of a day

def test_a_symbol_delisted_mid_session_keeps_its_bars_and_says_why(make_fake, capsys):
    fake = make_fake(aliases={"GONE": "KRE"})
    store = BarStore()
    pipe = Pipeline(CONFIG, auto(fake, store))
    first = pipe.refresh(["SPY", "GONE"]).snapshot
    assert "GONE" in first.symbols and not first.errors
    rows = stored_rows(store)["GONE"]
    del fake.aliases["GONE"]  # Yahoo now answers 404 for it
    fake.advance("2025-12-10")
    snap = pipe.refresh(["SPY", "GONE"]).snapshot
    assert snap.symbols["SPY"].asof.isoformat() == "2025-12-10"
    # GONE: its last known bars, marked as not from Yahoo, with Yahoo's reason
    assert snap.symbols["GONE"].asof.isoformat() == "2025-12-09"
    assert snap.fallback
    assert "GONE from stored bars (GONE: Yahoo has no data for this symbol)" in snap.note
    assert stored_rows(store)["GONE"] == rows
    # and `basewatch data fetch` says so, exit 1, store untouched
    args = build_parser().parse_args(["data", "fetch", "GONE"])
    assert data.run(args, session=fake) == 1
    err = capsys.readouterr().err
    assert "GONE       failed: GONE: Yahoo has no data for this symbol" in err
    assert stored_rows(store)["GONE"] == rows


# ---------------------------------------------------------------------------- bad prices in a quote

@pytest.mark.parametrize("quote", [
    {"price": float("nan")},
    {"price": 0.0, "open": 0.0, "high": 0.0, "low": 0.0},
    {"price": 0.0},
])
def test_a_quote_without_a_price_is_dropped_not_shown(make_fake, quote):
    fake = make_fake()
    store = BarStore()
    pipe = warmed(fake, store)
    fake.advance("2025-12-10")
    fake.set_last_bar("KRE", **quote)
    snap = pipe.refresh(SYMBOLS).snapshot
    kre = snap.symbols["KRE"]
    real = sample_upto("KRE", "2025-12-09")
    # the bad bar is not a price: KRE stays at its last real close, nothing NaN, nothing stored
    assert kre.asof.isoformat() == "2025-12-09" and kre.last == real["close"].iloc[-1]
    assert kre.change_pct == pytest.approx((real["close"].iloc[-1] / real["close"].iloc[-2] - 1)
                                           * 100)
    assert all(math.isfinite(x) for x in kre.spark)
    assert kre.highs.pct_from_ath is not None and math.isfinite(kre.highs.pct_from_ath)
    assert store.last_timestamp("KRE").date().isoformat() == "2025-12-09"
    assert (store.load("KRE")["close"] > 0).all()
    assert snap.symbols["SPY"].asof.isoformat() == "2025-12-10"  # the others moved on
    # once Yahoo has the real bar, it arrives
    fake.clear_last_bar("KRE")
    assert pipe.refresh(SYMBOLS).snapshot.symbols["KRE"].asof.isoformat() == "2025-12-10"


def test_a_quote_with_nan_high_and_low_keeps_its_price_and_finite_facts(make_fake):
    fake = make_fake()
    pipe = warmed(fake, BarStore())
    fake.advance("2025-12-10")
    fake.set_last_bar("KRE", price=63.0, open=64.0, high=float("nan"), low=float("nan"))
    kre = pipe.refresh(SYMBOLS).snapshot.symbols["KRE"]
    assert kre.last == 63.0 and kre.asof.isoformat() == "2025-12-10"
    assert kre.breakout is not None and math.isfinite(kre.breakout.pct_vs_level)
    assert kre.volume_pace is None or math.isfinite(kre.volume_pace)


# ---------------------------------------------------------------------------------------- a split

def test_a_split_between_two_refreshes_refetches_the_whole_history(make_fake):
    fake = make_fake(Splitting, asof="2025-12-05")
    store = BarStore()
    pipe = warmed(fake, store)
    before = pipe.refresh(SYMBOLS).snapshot.symbols["KRE"]
    fake.split("KRE", "2025-12-08", 2.0)  # 2:1 from Monday: Yahoo halves every past price
    fake.advance("2025-12-09")
    fake.log.clear()
    snap = pipe.refresh(SYMBOLS).snapshot
    # the store is the new adjusted history, whole: every close is the real close / 2
    real = sample_upto("KRE", "2025-12-09")
    stored = store.load("KRE")
    assert len(stored) == len(real)
    assert np.allclose(stored["close"].to_numpy(), real["close"].to_numpy() / 2.0)
    assert np.allclose(stored["volume"].to_numpy(), real["volume"].to_numpy() * 2.0)
    # the trader sees no fake 50% crash, and is told what happened
    kre = snap.symbols["KRE"]
    assert kre.last == pytest.approx(real["close"].iloc[-1] / 2.0)
    assert kre.change_pct == pytest.approx((real["close"].iloc[-1] / real["close"].iloc[-2] - 1)
                                           * 100)
    assert kre.highs.pct_from_ath == pytest.approx(before.highs.pct_from_ath, abs=10.0)
    assert kre.highs.ath_close == pytest.approx(real["close"].max() / 2.0)
    assert "KRE: Yahoo rescaled its history (a 2:1 split?); fetched it again in full" in snap.note
    # KRE: the incremental request, then one for the whole history; the others only increments
    kre_calls = [r for r in fake.requests_of("chart") if r.symbol == "KRE"]
    assert [("range" in r.params) for r in kre_calls] == [False, True]
    assert all(r.period1 is not None for r in fake.requests_of("chart") if r.symbol != "KRE")
    # the next refresh is incremental again
    fake.advance("2025-12-10")
    fake.log.clear()
    pipe.refresh(SYMBOLS)
    assert all(r.period1 is not None for r in fake.requests_of("chart"))
    assert np.allclose(store.load("KRE")["close"].to_numpy(),
                       sample_upto("KRE", "2025-12-10")["close"].to_numpy() / 2.0)


def test_an_intraday_move_is_not_mistaken_for_a_split(make_fake):
    fake = make_fake(Splitting, asof="2025-12-08")
    store = BarStore()
    fake.set_last_bar("KRE", price=58.0, high=65.5, low=57.9)  # -10% so far today
    pipe = warmed(fake, store)
    fake.clear_last_bar("KRE")
    fake.advance("2025-12-09")
    fake.log.clear()
    snap = pipe.refresh(SYMBOLS).snapshot
    assert all(r.period1 is not None for r in fake.requests_of("chart"))  # increments only
    assert "rescaled" not in snap.note
    assert store.load("KRE")["close"].iloc[-2] == sample_upto("KRE", "2025-12-08")["close"].iloc[-1]


def test_a_failed_refetch_after_a_split_keeps_the_old_history_whole(make_fake):
    fake = make_fake(Splitting, asof="2025-12-05")
    store = BarStore()
    pipe = warmed(fake, store)
    old = store.load("KRE")
    fake.split("KRE", "2025-12-08", 2.0)
    fake.fail_history.add("KRE")
    fake.advance("2025-12-09")
    snap = pipe.refresh(SYMBOLS).snapshot
    # no half-rescaled history: the store still holds the old scale, untouched
    pd.testing.assert_frame_equal(store.load("KRE"), old)
    kre = snap.symbols["KRE"]
    assert kre.asof.isoformat() == "2025-12-05" and kre.last == old["close"].iloc[-1]
    assert snap.fallback and "KRE from stored bars" in snap.note
    assert "Yahoo rescaled its history (a 2:1 split?)" in snap.note
    assert snap.symbols["SPY"].asof.isoformat() == "2025-12-09"
    # once Yahoo serves the history again, the next refresh repairs it
    fake.fail_history.clear()
    pipe.refresh(SYMBOLS)
    assert np.allclose(store.load("KRE")["close"].to_numpy(),
                       sample_upto("KRE", "2025-12-09")["close"].to_numpy() / 2.0)


# ----------------------------------------------------------------------------- a dividend goes ex

class Dividends(FakeYahoo):
    """The fake Yahoo with dividends: once ``asof`` reaches an ex-date, the adjusted close of
    every earlier bar is multiplied by 1 - dividend / the close before the ex-date (Yahoo's
    adjustment); prices themselves do not change."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dividends: dict[str, tuple[pd.Timestamp, float]] = {}

    def dividend(self, symbol: str, ex_day: str, amount: float) -> None:
        self.dividends[symbol] = (pd.Timestamp(ex_day), amount)

    def bars_for(self, symbol):
        bars = super().bars_for(symbol)
        if bars is None or symbol not in self.dividends:
            return bars
        day, amount = self.dividends[symbol]
        if self.asof < day:
            return bars
        before = bars.index.date < day.date()
        factor = 1.0 - amount / float(bars["close"][before].iloc[-1])
        out = bars.copy()
        out.loc[before, "adj_close"] = out.loc[before, "adj_close"] * factor
        return out


def test_a_dividend_between_two_refreshes_re_adjusts_the_stored_history(make_fake):
    fake = make_fake(Dividends, asof="2025-12-05")
    store = BarStore()
    pipe = warmed(fake, store)
    fake.dividend("KRE", "2025-12-08", 0.75)  # ex on Monday
    fake.advance("2025-12-09")
    fake.log.clear()
    snap = pipe.refresh(SYMBOLS).snapshot
    assert all(r.period1 is not None for r in fake.requests_of("chart"))  # increments only
    stored, served = store.load("KRE"), fake.bars_for("KRE")
    assert len(stored) == len(served)
    # every stored adjusted close is what a fresh full download would give now
    assert np.allclose(stored["adj_close"].to_numpy(), served["adj_close"].to_numpy(), rtol=1e-9)
    assert not np.allclose(stored["adj_close"].to_numpy(),
                           sample_upto("KRE", "2025-12-09")["adj_close"].to_numpy(), rtol=1e-6)
    # prices are untouched, and the other symbols' history is as it was
    assert np.array_equal(stored["close"].to_numpy(), served["close"].to_numpy())
    assert np.array_equal(store.load("SPY")["adj_close"].to_numpy(),
                          sample_upto("SPY", "2025-12-09")["adj_close"].to_numpy())
    assert "rescaled" not in snap.note and snap.symbols["KRE"].last == served["close"].iloc[-1]
    # the next refresh finds nothing more to re-adjust
    fake.advance("2025-12-10")
    pipe.refresh(SYMBOLS)
    assert np.allclose(store.load("KRE")["adj_close"].to_numpy(),
                       fake.bars_for("KRE")["adj_close"].to_numpy(), rtol=1e-9)
