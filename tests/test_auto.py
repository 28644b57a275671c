"""`auto`: Yahoo through the store, then the store, then the bundled sample — and it says which."""

from __future__ import annotations

import time

import pytest

from analysis.sources.auto import AutoSource
from analysis.sources.sample import load_sample
from analysis.sources.select import make_source
from analysis.sources.store import BarStore, StoreSource
from analysis.sources.yahoo import YahooSource


def auto_with(fake, store: BarStore, **kw) -> AutoSource:
    kw.setdefault("deadline", 5.0)
    kw.setdefault("backoff", 0.02)
    kw.setdefault("attempts", 2)
    return AutoSource(YahooSource(session=fake, store=store, **kw), store)


def test_yahoo_first_when_it_answers(fake_yahoo):
    store = BarStore()
    result = auto_with(fake_yahoo, store).fetch(["SPY", "BTC-USD"])
    assert (result.source, result.fallback, result.note, dict(result.origins)) == \
        ("yahoo", False, "", {})
    assert store.symbols() == ["BTC-USD", "SPY"]  # and it went through the store
    assert result.bars["SPY"].index[-1].strftime("%Y-%m-%d") == "2025-12-09"


def test_the_store_when_yahoo_is_unreachable(fake_yahoo):
    store = BarStore()
    auto = auto_with(fake_yahoo, store)
    auto.fetch(["SPY", "XLK"])  # Yahoo works: the store now holds bars up to 2025-12-09
    fake_yahoo.advance("2025-12-12")
    fake_yahoo.inject("503", times=10_000)
    before = time.time()
    result = auto.fetch(["SPY", "XLK"])
    assert (result.source, result.fallback) == ("store", True)
    assert result.note.startswith("offline since ") and result.status == "offline"
    assert "— stored bars; Yahoo is down (server error)" in result.note
    assert sorted(result.bars) == ["SPY", "XLK"] and not result.errors
    # the stored bars, not the newer ones Yahoo would have had
    assert result.bars["SPY"].index[-1].strftime("%Y-%m-%d") == "2025-12-09"
    assert result.fetched_at.timestamp() <= before  # "as of" is when the bars were fetched
    # "since when" stays the start of the outage on the next failure
    first_since = auto.down_since
    time.sleep(0.01)
    assert auto.fetch(["SPY"]).source == "store" and auto.down_since == first_since
    # and clears once Yahoo answers again
    fake_yahoo.clear_faults()
    again = auto.fetch(["SPY"])
    assert again.source == "yahoo" and auto.down_since is None
    assert again.bars["SPY"].index[-1].strftime("%Y-%m-%d") == "2025-12-12"


def test_the_sample_when_the_store_is_empty(fake_yahoo):
    fake_yahoo.inject("hang", times=1)
    t0 = time.monotonic()
    result = auto_with(fake_yahoo, BarStore(), deadline=0.5).fetch(["SPY", "KRE"])
    assert time.monotonic() - t0 < 1.5
    assert (result.source, result.fallback) == ("sample", True)
    assert "did not answer within 0.5 s" in result.note
    assert "— bundled sample to 2025-12-31" in result.note
    for sym in ("SPY", "KRE"):
        assert (result.bars[sym]["close"].to_numpy() == load_sample(sym)["close"].to_numpy()).all()


def test_store_first_then_sample_for_what_the_store_lacks(fake_yahoo):
    store = BarStore()
    store.upsert("SPY", load_sample("SPY").iloc[:500], "yahoo")
    fake_yahoo.inject("429", times=10_000)
    result = auto_with(fake_yahoo, store).fetch(["SPY", "XLK", "NOTBUNDLED"])
    assert (result.source, result.fallback) == ("store", True)
    assert dict(result.origins) == {"SPY": "store", "XLK": "sample"}
    assert len(result.bars["SPY"]) == 500  # what the store holds
    assert len(result.bars["XLK"]) == len(load_sample("XLK"))
    assert "XLK from the bundled sample" in result.note and "429" in result.note
    assert "NOTBUNDLED" in result.errors and "NOTBUNDLED" not in result.bars


def test_symbols_yahoo_could_not_refresh_come_from_the_store(fake_yahoo):
    store = BarStore()
    auto = auto_with(fake_yahoo, store, attempts=1)
    auto.fetch(["SPY", "XLK"])
    fake_yahoo.advance("2025-12-12")
    fake_yahoo.inject("empty", times=10_000, symbol="XLK")
    result = auto.fetch(["SPY", "XLK"])
    assert result.source == "yahoo" and result.fallback
    assert dict(result.origins) == {"SPY": "yahoo", "XLK": "store"}
    assert result.bars["SPY"].index[-1].strftime("%Y-%m-%d") == "2025-12-12"
    assert result.bars["XLK"].index[-1].strftime("%Y-%m-%d") == "2025-12-09"
    assert "XLK from stored bars" in result.note and not result.errors


def test_make_source_specs(fake_yahoo):
    store = BarStore()
    assert isinstance(make_source("auto", session=fake_yahoo, store=store), AutoSource)
    assert isinstance(make_source("yahoo", session=fake_yahoo, store=store), YahooSource)
    assert isinstance(make_source("store", store=store), StoreSource)
    assert make_source("sample").name == "sample"
    assert make_source(" Auto ", session=fake_yahoo, store=store).name == "auto"
    for bad in ("", "yahooo", "csv", "replay:x"):
        with pytest.raises(ValueError, match="unknown source|needs a folder"):
            make_source(bad)
