"""A universe of hundreds of members through the fake Yahoo and the bar store: the first fill comes
a chunk at a time (the dashboard is usable after the first chunk, the header counts), incremental
after that, and a 429 stops the remaining batches instead of asking on."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.config import Config
from analysis.feed import FILL_DELAY, LiveFeed
from analysis.pipeline import Pipeline
from analysis.sources.store import BarStore
from analysis.sources.yahoo import YahooSource, YahooUnreachable
from analysis.universe import Member, Universe

BUNDLED = ["SPY", "XLK", "KRE", "IWM", "XLF"]
CONFIG = Config(watchlist=("XLK",), sectors=(), crypto=(), race=Config().race.__class__(
    symbols=("SPY", "IWM"), reference_date="2025-11-10", start="2025-12-09"))


def _universe(fake, n: int) -> Universe:
    names = [f"U{i:03d}" for i in range(n)]
    fake.aliases.update({s: BUNDLED[i % len(BUNDLED)] for i, s in enumerate(names)})
    return Universe("test", tuple(Member(s, f"Member {s}", "Tech") for s in names))


def _yahoo(fake, store, **kw) -> YahooSource:
    kw.setdefault("deadline", 60.0)
    kw.setdefault("backoff", 0.05)
    return YahooSource(session=fake, store=store, first_period="1y", quotes=False, **kw)


def test_first_fill_comes_a_chunk_at_a_time_then_refreshes_incrementally(fake_yahoo):
    store = BarStore()
    universe = _universe(fake_yahoo, 120)
    pipe = Pipeline(CONFIG, _yahoo(fake_yahoo, store), universe, fill_chunk=50)
    feed = LiveFeed(pipe)
    first = feed.next(CONFIG.universe())
    uni = first.snapshot.universe
    assert uni.pending == 70 and "XLK" in first.snapshot.symbols
    assert sum(m.symbol in first.snapshot.symbols for m in universe.members) == 50
    assert feed.delay(first) == FILL_DELAY  # the next chunk at once
    fake_yahoo.log.clear()
    second = feed.next(CONFIG.universe())
    assert second.snapshot.universe.pending == 20
    # the second chunk asks only for the new members (and the config's symbols); the first
    # chunk's bars are kept, not asked for again while the fill runs
    asked = {r.symbol for r in fake_yahoo.log if r.kind == "chart"}
    first_chunk = {m.symbol for m in universe.members[:50]}
    assert asked and not asked & first_chunk
    assert sum(m.symbol in second.snapshot.symbols for m in universe.members) == 100
    third = feed.next(CONFIG.universe())
    assert third.snapshot.universe.pending == 0
    assert third.snapshot.universe.breadth.members == 120
    assert feed.delay(third) > FILL_DELAY
    # every member was asked for its history once; a refresh after that asks only from the last
    # stored session (incremental), never the whole history again
    fake_yahoo.log.clear()
    feed.next(CONFIG.universe())
    charts = [r for r in fake_yahoo.log if r.kind == "chart"]
    assert {r.symbol for r in charts} >= {m.symbol for m in universe.members}
    assert all(r.period1 is not None and r.period1 >= _ts("2025-12-01") for r in charts)


def _ts(day: str):
    import pandas as pd

    return pd.Timestamp(day, tz="UTC")


def test_a_429_stops_the_remaining_batches(fake_yahoo):
    store = BarStore()
    universe = _universe(fake_yahoo, 150)
    src = _yahoo(fake_yahoo, store, attempts=2)
    fake_yahoo.inject("429", times=100_000)
    fake_yahoo.log.clear()
    with pytest.raises(YahooUnreachable) as caught:
        src.fetch(list(universe.symbols()))
    assert caught.value.status == "rate_limited"
    asked = {r.symbol for r in fake_yahoo.log if r.kind in ("chart", "tz") and r.symbol}
    assert 0 < len(asked) <= 50  # the first batch only, not three batches of 429s


def test_scan_pipeline_fetches_every_member_at_once(fake_yahoo):
    store = BarStore()
    universe = _universe(fake_yahoo, 60)
    pipe = Pipeline(CONFIG, _yahoo(fake_yahoo, store), universe)
    snap = pipe.refresh(CONFIG.universe(), asof=date(2025, 12, 9)).snapshot
    assert snap.universe.pending == 0 and snap.universe.breadth.members == 60


def test_header_counts_the_members_loaded_while_a_universe_fills(fake_yahoo):
    from datetime import UTC, datetime

    from tui.semantic import SemanticColors
    from tui.widgets.market_strip import StripState, breadth_parts

    universe = _universe(fake_yahoo, 2000)
    pipe = Pipeline(CONFIG, _yahoo(fake_yahoo, BarStore()), universe, fill_chunk=0)
    snap = pipe.refresh(CONFIG.universe()).snapshot
    state = StripState(snap, "LIVE", datetime(2025, 12, 9, 21, tzinfo=UTC), SemanticColors())
    assert breadth_parts(state, False)[0][1].plain == "universe 0/2,000 loaded"
