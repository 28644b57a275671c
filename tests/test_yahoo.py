"""The Yahoo source against the fake Yahoo (tests/fakeyahoo.py): real yfinance, real HTTP handling,
answers built from the bundled real bars."""

from __future__ import annotations

import csv
import gzip
import time
from importlib import resources

import pandas as pd
import pytest
from fakeyahoo import wait_idle, yahoo_calls

from analysis.sources.fund_weights import (
    DailyWeights,
    fetch_sector_weights,
    sector_weights_from_yahoo,
)
from analysis.sources.store import BarStore
from analysis.sources.yahoo import MAX_BATCH, YahooSource, YahooUnreachable


def raw_rows(symbol: str, upto: str) -> list[dict[str, str]]:
    """The bundled CSV rows of ``symbol`` up to ``upto``, read with the csv module."""
    name = symbol.replace("^", "_") + ".csv.gz"
    path = resources.files("analysis.data") / "sample" / name
    with path.open("rb") as fh, gzip.open(fh, "rt") as text:
        return [r for r in csv.DictReader(text) if r["Date"] <= upto]


def quick(fake, **kw) -> YahooSource:
    kw.setdefault("deadline", 20.0)
    kw.setdefault("backoff", 0.05)
    return YahooSource(session=fake, **kw)


def test_prices_served_equal_the_bundled_real_bars(fake_yahoo):
    result = quick(fake_yahoo).fetch(["XLK", "^RUT", "BTC-USD"])
    assert result.source == "yahoo" and not result.errors
    for sym in ("XLK", "^RUT", "BTC-USD"):
        rows = raw_rows(sym, "2025-12-09")
        df = result.bars[sym]
        assert len(df) == len(rows)
        assert [d.strftime("%Y-%m-%d") for d in df.index] == [r["Date"] for r in rows]
        assert df["close"].tolist() == [float(r["Close"]) for r in rows]
        assert df["high"].tolist() == [float(r["High"]) for r in rows]
        assert df["volume"].tolist() == [float(r["Volume"]) for r in rows]
    # XLK's close on the article's day, straight from the file
    assert result.bars["XLK"]["close"].iloc[-1] == float(raw_rows("XLK", "2025-12-09")[-1]["Close"])
    assert str(result.bars["XLK"].index.tz) == "America/New_York"
    assert str(result.bars["BTC-USD"].index.tz) == "UTC"


def test_120_symbols_go_in_3_batches_of_at_most_50(fake_yahoo):
    bundled = ["SPY", "XLK", "KRE", "IWM", "XLF"]
    names = [f"T{i:03d}" for i in range(120)]
    fake_yahoo.aliases.update({n: bundled[i % len(bundled)] for i, n in enumerate(names)})
    seen: list[tuple[int, int]] = []
    src = quick(fake_yahoo, first_period="1mo", deadline=60.0,
                on_batch=lambda done, total, batch: seen.append((done, len(batch))))
    result = src.fetch(names)
    assert sorted(result.bars) == names and not result.errors
    # each yf.download call runs in its own worker thread: group the chart requests by thread
    by_thread: dict[str, set[str]] = {}
    for req in fake_yahoo.requests_of("chart"):
        by_thread.setdefault(req.thread, set()).add(req.symbol)
    sizes = sorted(len(s) for s in by_thread.values())
    assert sizes == [20, 50, 50]
    assert set().union(*by_thread.values()) == set(names)
    assert sorted(fake_yahoo.chart_symbols()) == names  # each symbol asked once
    assert seen == [(50, 50), (100, 50), (120, 20)]
    # first_period=1mo: a month of bars up to the fake's today
    assert result.bars["T000"].index[0] >= pd.Timestamp("2025-11-09", tz="America/New_York")


def test_batch_size_over_50_is_refused():
    with pytest.raises(ValueError):
        YahooSource(batch_size=MAX_BATCH + 1)


def test_second_refresh_requests_only_the_new_bars(fake_yahoo):
    store = BarStore()
    src = quick(fake_yahoo, store=store)
    src.fetch(["SPY", "BTC-USD"])
    first_calls = fake_yahoo.requests_of("chart")
    assert all("range" in r.params for r in first_calls)  # new symbols: a period of history

    fake_yahoo.advance("2025-12-12")
    fake_yahoo.log.clear()
    result = src.fetch(["SPY", "BTC-USD"])
    calls = fake_yahoo.requests_of("chart")
    assert sorted(r.symbol for r in calls) == ["BTC-USD", "SPY"]
    starts = {r.symbol: r.period1 for r in calls}
    # from the last stored session, inclusive, at midnight in the symbol's own time zone
    assert starts["SPY"] == pd.Timestamp("2025-12-09", tz="America/New_York")
    assert starts["BTC-USD"] == pd.Timestamp("2025-12-09", tz="UTC")
    assert not fake_yahoo.requests_of("tz")  # time zones are cached in our cache dir
    # the result is the store's full history, equal to the real file up to the new day
    for sym in ("SPY", "BTC-USD"):
        rows = raw_rows(sym, "2025-12-12")
        assert result.bars[sym]["close"].tolist() == [float(r["Close"]) for r in rows]
    assert store.last_timestamp("SPY") == pd.Timestamp("2025-12-12", tz="America/New_York")


def test_a_partial_last_bar_is_replaced_on_the_next_refresh(fake_yahoo):
    store = BarStore()
    src = quick(fake_yahoo, store=store)
    fake_yahoo.advance("2025-12-05")
    src.fetch(["KRE"])
    fake_yahoo.advance("2025-12-08")
    fake_yahoo.set_last_bar("KRE", price=61.0, high=61.5, volume=1_000.0)  # intraday so far
    live = src.fetch(["KRE"]).bars["KRE"]
    assert live["close"].iloc[-1] == 61.0 and live["volume"].iloc[-1] == 1_000.0
    fake_yahoo.clear_last_bar("KRE")  # the session closes: Yahoo now has the final bar
    final = src.fetch(["KRE"]).bars["KRE"]
    real = raw_rows("KRE", "2025-12-08")[-1]
    assert final.index[-1].strftime("%Y-%m-%d") == real["Date"] == "2025-12-08"
    assert final["close"].iloc[-1] == float(real["Close"])
    assert final["volume"].iloc[-1] == float(real["Volume"])
    assert len(final) == len(live)


def test_rate_limit_429_then_success(fake_yahoo):
    # yfinance retries an HTTP error once itself; two 429s make our first attempt fail
    fake_yahoo.inject("429", times=2, symbol="SPY")
    t0 = time.monotonic()
    result = quick(fake_yahoo, backoff=0.2).fetch(["SPY", "XLK"])
    took = time.monotonic() - t0
    assert sorted(result.bars) == ["SPY", "XLK"] and not result.errors
    spy = [r.status for r in fake_yahoo.log if r.symbol == "SPY" and r.kind in ("tz", "chart")]
    assert spy[:2] == [429, 429] and spy[-1] == 200
    assert took >= 0.2  # we backed off before asking again
    rows = raw_rows("SPY", "2025-12-09")
    assert result.bars["SPY"]["close"].iloc[-1] == float(rows[-1]["Close"])


def test_persistent_429_gives_up_within_the_deadline_and_says_why(fake_yahoo):
    fake_yahoo.inject("429", times=1000)
    t0 = time.monotonic()
    with pytest.raises(YahooUnreachable, match="429"):
        quick(fake_yahoo, attempts=3, backoff=0.05, deadline=5.0).fetch(["SPY", "XLK"])
    assert time.monotonic() - t0 < 5.0
    asked = [r for r in fake_yahoo.log if r.kind in ("tz", "chart")]
    assert len(asked) <= 3 * 2 * 2  # attempts x symbols x (ours + yfinance's own retry)


def test_server_error_503_then_success(fake_yahoo):
    fake_yahoo.inject("503", times=2, symbol="XLK")
    result = quick(fake_yahoo).fetch(["XLK"])
    assert "XLK" in result.bars and not result.errors
    assert [r.status for r in fake_yahoo.log if r.symbol == "XLK"][:2] == [503, 503]


def test_deadline_fires_on_a_hang_and_no_second_call_starts_meanwhile(fake_yahoo):
    fake_yahoo.inject("hang", times=1)
    src = quick(fake_yahoo, deadline=1.0)
    t0 = time.monotonic()
    with pytest.raises(YahooUnreachable, match="did not answer within 1 s"):
        src.fetch(["SPY"])
    assert 0.9 <= time.monotonic() - t0 < 1.8
    assert yahoo_calls()  # the worker is still stuck in the hanging request
    asked = len(fake_yahoo.log)
    t1 = time.monotonic()
    with pytest.raises(YahooUnreachable, match="has not returned"):
        quick(fake_yahoo, deadline=1.0).fetch(["XLK"])
    assert time.monotonic() - t1 < 0.3
    assert len(fake_yahoo.log) == asked  # nothing new was sent while the first call hangs
    fake_yahoo.release()
    assert wait_idle(10.0)
    assert "XLK" in quick(fake_yahoo).fetch(["XLK"]).bars  # and Yahoo works again afterwards


@pytest.mark.parametrize("fault", ["empty", "garbled", "truncated"])
def test_a_bad_answer_is_retried(fake_yahoo, fault):
    fake_yahoo.inject(fault, times=1, symbol="SPY")
    result = quick(fake_yahoo).fetch(["SPY"])
    assert "SPY" in result.bars and not result.errors


@pytest.mark.parametrize("fault", ["empty", "garbled", "truncated"])
def test_only_bad_answers_make_yahoo_unreachable(fake_yahoo, fault):
    fake_yahoo.inject(fault, times=1000)
    with pytest.raises(YahooUnreachable, match="empty or garbled"):
        quick(fake_yahoo, attempts=2).fetch(["SPY", "XLK"])


def test_an_unknown_symbol_among_good_ones(fake_yahoo):
    result = quick(fake_yahoo).fetch(["SPY", "ZZZZ", "XLK"])
    assert sorted(result.bars) == ["SPY", "XLK"]
    assert set(result.errors) == {"ZZZZ"}
    assert "ZZZZ" in result.errors["ZZZZ"] and "does not know" in result.errors["ZZZZ"]
    # a permanent answer is not retried: ZZZZ's chart/tz requests all happen in the first call
    assert len({r.thread for r in fake_yahoo.log if r.symbol == "ZZZZ"}) == 1


def test_only_unknown_symbols_is_not_unreachable(fake_yahoo):
    result = quick(fake_yahoo).fetch(["ZZZZ"])
    assert not result.bars and "ZZZZ" in result.errors


def test_hostile_symbols_never_reach_a_url(fake_yahoo):
    result = quick(fake_yahoo).fetch(["../x", "A B", "", "X" * 200, "SPY"])
    assert list(result.bars) == ["SPY"]
    assert len(result.errors) == 4
    assert all(r.path.count("/") <= 4 and " " not in r.path for r in fake_yahoo.log)
    assert all("X" * 21 not in r.path for r in fake_yahoo.log)


def test_sector_weights_from_fund_data(fake_yahoo):
    weights = fetch_sector_weights("IWM", session=fake_yahoo, deadline=10.0)
    path = resources.files("analysis.data") / "russell2000_sector_weights.csv"
    with path.open("r") as fh:
        table = {r["sector"]: float(r["weight_pct_2024_12_31"]) for r in csv.DictReader(fh)}
    assert weights is not None and set(weights) == set(table)
    for name, pct in table.items():
        assert weights[name] == pytest.approx(pct)
    assert fake_yahoo.requests_of("summary")[-1].symbol == "IWM"


def test_sector_weights_none_when_unknown_or_hanging(fake_yahoo):
    assert fetch_sector_weights("ZZZZ", session=fake_yahoo, deadline=5.0) is None
    fake_yahoo.inject("hang", on="summary")
    t0 = time.monotonic()
    assert fetch_sector_weights("IWM", session=fake_yahoo, deadline=0.5) is None
    assert time.monotonic() - t0 < 1.0
    fake_yahoo.release()
    assert wait_idle(10.0)
    fake_yahoo.fund_sectors["IWM"] = {}
    assert fetch_sector_weights("IWM", session=fake_yahoo, deadline=5.0) is None


def test_sector_weight_names_and_scale():
    got = sector_weights_from_yahoo({"technology": 0.25, "financial_services": {"raw": 0.5},
                                     "realestate": 0.25, "junk": "x"})
    assert got == {"Information Technology": 25.0, "Financials": 50.0, "Real Estate": 25.0}


@pytest.mark.parametrize(("raw", "words", "transient"), [
    ("DNSError('Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com "
     "(Domain name not found).')", "cannot resolve Yahoo's address", True),
    ("YFRateLimitError('Too Many Requests. Rate limited. Try after a while.')", "HTTP 429", True),
    ("HTTPError('HTTP Error 404: Not Found')", "does not know this symbol", False),
    ("No data found, symbol may be delisted", "has no data for this symbol", False),
    ("JSONDecodeError('Expecting value: line 1 column 1 (char 0)')", "empty or garbled", True),
    ("Timeout('Failed to perform, curl: (28) Operation timed out')", "timed out", True),
])
def test_yfinance_reasons_in_plain_words(raw, words, transient):
    from analysis.sources.yfcall import is_transient, plain

    assert words in plain(raw)
    assert is_transient(raw) is transient


def test_sector_weights_are_asked_at_most_once_a_day():
    calls, now = [], [0.0]

    def fetch(fund):
        calls.append(fund)
        return {"Financials": 18.6} if len(calls) > 1 else None

    weights = DailyWeights(fetch, clock=lambda: now[0])
    assert weights("IWM") is None  # unreachable: try again in an hour, not every refresh
    now[0] = 600
    assert weights("IWM") is None and len(calls) == 1
    now[0] = 3_700
    assert weights("IWM") == {"Financials": 18.6} and len(calls) == 2
    now[0] = 3_700 + 80_000
    assert weights("IWM") == {"Financials": 18.6} and len(calls) == 2


def test_live_sector_weights_reach_the_snapshot(fake_yahoo):
    from analysis.config import Config
    from analysis.pipeline import Pipeline

    # the default sector ETFs are the S&P 500's: the weights are asked of SPY's fund data (the
    # fake serves these made-up fractions for it: the plumbing is under test, not the numbers)
    fake_yahoo.fund_sectors["SPY"] = {"technology": 0.34, "financial_services": 0.13}
    source = YahooSource(session=fake_yahoo, deadline=20.0)
    snap = Pipeline(Config(), source).refresh(["IWM", "SPY"]).snapshot
    assert snap.market.sector_weights.source == "live"
    assert dict(snap.market.sector_weights.weights) == pytest.approx(
        {"Information Technology": 34.0, "Financials": 13.0})
