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


class FakeClock:
    def __init__(self) -> None:
        self.now = 1024.0

    def __call__(self) -> float:
        return self.now


def test_replay_says_the_speed_it_achieves_when_it_falls_short():
    clock = FakeClock()
    feed = _replay(start=date(2025, 11, 3), end=date(2025, 12, 10), speed=50, clock=clock)
    for _ in range(5):
        r = feed.next(SYMS)
        clock.now += 0.2  # each session takes 0.2 s to analyse: 5 sessions/s at best
        assert feed.delay(r) == 0.0  # nothing left of the 20 ms a tick may take
    assert abs(feed.achieved - 5.0) < 1e-9
    assert feed.label(r) == f"REPLAY {r.snapshot.asof} 5.0x (50x asked)"


def test_replay_at_the_speed_asked_shows_only_that_speed_and_counts_the_analysis():
    clock = FakeClock()
    feed = _replay(start=date(2025, 11, 3), end=date(2025, 12, 10), speed=2, clock=clock)
    for _ in range(4):
        r = feed.next(SYMS)
        clock.now += 0.1  # the analysis
        assert abs(feed.delay(r) - 0.4) < 1e-9  # the rest of the half second
        clock.now += 0.4
    assert abs(feed.achieved - 2.0) < 1e-9
    assert feed.label(r) == f"REPLAY {r.snapshot.asof} 2x"
    clock.now += 60  # paused for a minute, then a step: the rate starts again
    r = feed.next(SYMS)
    assert feed.achieved is None and feed.label(r) == f"REPLAY {r.snapshot.asof} 2x"


def test_a_replay_memo_holds_twice_the_universe_not_old_sessions():
    feed = _replay(start=date(2025, 11, 3), end=date(2025, 12, 10))
    for _ in range(12):
        feed.next(SYMS)
    assert len(feed.pipeline.cache) <= 2 * len(SYMS) + 8


def test_a_replay_slow_throughout_still_shows_its_rate():
    clock = FakeClock()
    feed = _replay(start=date(2025, 11, 3), end=date(2025, 12, 10), speed=50, clock=clock)
    for _ in range(5):
        r = feed.next(SYMS)
        clock.now += 4.0  # a very busy machine: 4 s a session
    assert feed.label(r) == f"REPLAY {r.snapshot.asof} 0.2x (50x asked)"
