"""Feeds: replay steps one session per tick without showing the future; live cadence follows the
market clock."""

from datetime import UTC, date, datetime

from analysis.config import Config
from analysis.feed import LiveFeed, ReplayFeed
from analysis.pipeline import Pipeline, Refresh
from analysis.sources.sample import SampleSource

SYMS = ["SPY", "IWM", "XLK", "BTC-USD", "ETH-USD"]


def _replay(**kw):
    return ReplayFeed(Pipeline(Config(), SampleSource()), **kw)


def test_replay_steps_one_session_per_tick_and_never_shows_later_bars():
    feed = _replay(start=date(2025, 12, 5), end=date(2025, 12, 10))
    seen = []
    for _ in range(4):
        r = feed.next(SYMS)
        seen.append(r.snapshot.asof)
        assert all(df.index[-1].date() <= r.snapshot.asof for df in r.bars.values())
    # 2025-12-06/07 is a weekend: US sessions only
    assert seen == [date(2025, 12, 5), date(2025, 12, 8), date(2025, 12, 9), date(2025, 12, 10)]
    assert feed.finished and feed.label(r).startswith("REPLAY 2025-12-10")
    assert feed.next(SYMS).snapshot.asof == date(2025, 12, 10)  # stays at the end


def test_replay_speed_sets_the_delay():
    feed = _replay(speed=4)
    assert feed.delay(None) == 0.25
    feed.faster()
    assert feed.delay(None) == 0.125
    feed.slower()
    feed.slower()
    assert feed.delay(None) == 0.5


def test_replay_merges_a_symbol_added_mid_way():
    feed = _replay(start=date(2025, 12, 1), end=date(2025, 12, 10))
    feed.next(["SPY"])
    r = feed.next(["SPY", "KRE"])
    assert "KRE" in r.snapshot.symbols


def _at(status_time: datetime) -> Refresh:
    pipe = Pipeline(Config(), SampleSource())
    return pipe.refresh(["SPY"], asof=date(2025, 12, 9), now=status_time)


def test_live_cadence_is_fast_while_open_and_slow_when_closed():
    config = Config()
    feed = LiveFeed(Pipeline(config, SampleSource()))
    open_ = _at(datetime(2025, 12, 9, 15, 0, tzinfo=UTC))  # 10:00 New York
    closed = _at(datetime(2025, 12, 10, 3, 0, tzinfo=UTC))  # 22:00 New York
    assert open_.snapshot.market.clock.status == "open"
    assert feed.delay(open_) == config.refresh.market_open
    assert closed.snapshot.market.clock.status == "closed"
    assert feed.delay(closed) == min(config.refresh.crypto, config.refresh.market_closed)
