"""The dashboard's refresh loop and data states, driven through Textual Pilot against the bundled
real bars: first paint before pandas, loading rows, one refresh at a time, pause, a symbol or a
whole refresh failing, a universe change during a refresh, stale and fallback data, feed health,
after-hours prices, a breakout between two snapshots, and the replay keys.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
from datetime import date, timedelta

from test_dashboard import (
    DAY,
    NOW,
    BrokenFor,
    FixedFeed,
    make_app,
    plain_strip,
    table,
)

from analysis.config import Config
from analysis.feed import ReplayFeed
from analysis.pipeline import Pipeline
from analysis.sources.sample import SampleSource
from tests.frozen_feed import loaded
from tui.app import BasewatchApp


def test_first_paint_happens_before_pandas_is_imported():
    """In a fresh interpreter: the dashboard paints its loading state with pandas not imported."""
    code = r"""
import asyncio, sys, threading
from analysis.config import Config
from tui.app import BasewatchApp
gate = threading.Event()
def make_feed():
    gate.wait(30)
    raise RuntimeError("never mind")
async def main():
    app = BasewatchApp(Config(), make_feed, auto_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        strip = app.screen.query_one("#strip").render().plain
        rows = app.screen.query_one("#watchlist").row_count
        print("pandas" in sys.modules, "loading market data" in strip, rows)
        gate.set()
asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         check=True)
    assert out.stdout.split() == ["False", "True", str(len(Config().watchlist))]


async def test_loading_rows_then_data_when_the_refresh_lands():
    gate = threading.Event()
    config = Config()
    app = make_app(FixedFeed(config, gate=gate), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        wl = table(app, "watchlist")
        assert wl.visible_keys() == list(config.watchlist)
        assert wl.get_cell("KRE", "state").plain == "loading…"
        gate.set()
        await loaded(pilot, app)
        assert wl.get_cell("KRE", "last").plain == f"{app.latest.snapshot.symbols['KRE'].last:,.2f}"
        assert "loading" not in plain_strip(app)


async def test_pause_stops_the_timer_and_r_still_refreshes():
    config = Config()
    feed = FixedFeed(config, delay=0.05)
    app = make_app(feed, config, auto_refresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app, 3)
        assert feed.max_running == 1  # one refresh at a time, scheduled after the last
        await pilot.press("p")
        assert app.paused and "PAUSED" in plain_strip(app)
        await loaded(pilot, app, app.refreshes_applied)
        calls, applied = len(feed.calls), app.refreshes_applied
        await pilot.pause(0.4)
        assert len(feed.calls) == calls
        await pilot.press("r")
        await loaded(pilot, app, applied + 1)
        assert len(feed.calls) == calls + 1
        await pilot.pause(0.3)
        assert len(feed.calls) == calls + 1
        await pilot.press("p")
        await loaded(pilot, app, applied + 3)
        assert not app.paused and "PAUSED" not in plain_strip(app)


async def test_a_symbol_that_fails_shows_its_error_and_the_rest_keep_working():
    config = Config()
    feed = FixedFeed(config, source=BrokenFor("KRE", "KRE: HTTP 404 Not Found"))
    app = make_app(feed, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        assert wl.get_cell("KRE", "state").plain == "HTTP 404 Not Found"
        assert wl.get_cell("KRE", "last").plain == "error"
        assert wl.tone_of("KRE") == "error"
        snap = app.latest.snapshot
        for sym in config.watchlist:
            if sym != "KRE":
                assert wl.get_cell(sym, "last").plain == f"{snap.symbols[sym].last:,.2f}"
        index = list(app.watchlist).index("KRE")
        await pilot.press(*["j"] * index, "enter")
        await pilot.pause()
        assert any("HTTP 404" in n.message for n in app._notifications)
        assert app.screen.id == "dashboard"


async def test_a_failed_refresh_keeps_the_last_snapshot_and_says_so():
    config = Config()

    class FailsSecond(FixedFeed):
        def next(self, symbols):
            if self.calls:
                self.calls.append(tuple(symbols))
                raise ConnectionError("network unreachable")
            return super().next(symbols)

    app = make_app(FailsSecond(config), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        first = app.latest
        await pilot.press("r")
        while app.busy or not app.last_error:
            await pilot.pause(0.05)
        await pilot.pause()
        assert app.latest is first
        assert "refresh failed" in plain_strip(app) and "network unreachable" in plain_strip(app)
        assert table(app, "watchlist").get_cell("SPY", "last").plain != "…"


async def test_result_for_a_universe_that_changed_meanwhile_is_dropped():
    config = Config()
    gate = threading.Event()
    feed = FixedFeed(config, gate=gate)
    app = make_app(feed, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"nvda", "enter")  # while the first refresh is still running
        await pilot.pause()
        assert table(app, "watchlist").get_cell("NVDA", "state").plain == "loading…"
        gate.set()
        await loaded(pilot, app)
        assert len(feed.calls) == 2 and "NVDA" not in feed.calls[0] and "NVDA" in feed.calls[1]
        assert app.refreshes_applied == 1  # the first result was dropped, not applied
        # NVDA is not in the bundled data: its row says so, the others have prices
        assert "not in the bundled sample data" in app.latest.snapshot.errors["NVDA"]
        assert table(app, "watchlist").get_cell("NVDA", "last").plain == "error"


async def test_breakout_between_two_snapshots_logs_one_event_and_highlights_as_measured():
    """Replaying the bundled data: IWM breaks out on 2025-12-10 (highlighted if the bundled
    track record alerts on that kind of breakout)."""
    from analysis.track_record.record import highlights

    config = Config()
    feed = ReplayFeed(Pipeline(config, SampleSource()), start=DAY, end=date(2025, 12, 10))
    app = make_app(feed, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        before = app.latest.snapshot.symbols["IWM"].breakout
        assert before is not None and before.state not in ("breaking", "confirmed")
        assert wl.tone_of("IWM") is None
        await pilot.press("j", "j", "j")
        cursor = wl.cursor_key()
        await pilot.press("r")
        await loaded(pilot, app, 2)
        after = app.latest.snapshot.symbols["IWM"].breakout
        assert after.state in ("breaking", "confirmed")
        assert wl.tone_of("IWM") == ("breakout" if highlights(after) else None)
        assert wl.get_cell("IWM", "state").plain.strip().startswith(after.state.upper())
        log = app.screen.query_one("#events")
        lines = [text.plain for text in log.entries]
        iwm_breakouts = [ln for ln in lines if " IWM " in f" {ln} "
                         and ("breaking" in ln or "confirmed" in ln)]
        assert len(iwm_breakouts) == 1
        assert wl.cursor_key() == cursor  # applied in place: the cursor stayed on its symbol
        assert wl.visible_keys() == list(config.watchlist)


class Lagging(SampleSource):
    """The bundled data, with one symbol's last sessions missing (a source that lags for it)."""

    def __init__(self, symbol: str, drop: int) -> None:
        self.symbol, self.drop = symbol, drop

    def fetch(self, symbols):
        got = super().fetch(symbols)
        bars = dict(got.bars)
        bars[self.symbol] = bars[self.symbol][bars[self.symbol].index.date <= DAY].iloc[:-self.drop]
        return dataclasses.replace(got, bars=bars)


class FromFallback(SampleSource):
    """The bundled data served as a fallback, as auto does when Yahoo is unreachable."""

    def fetch(self, symbols):
        return dataclasses.replace(super().fetch(symbols), fallback=True,
                                   note="Yahoo unreachable")


async def test_a_symbol_whose_data_lags_is_marked_stale():
    config = Config()
    app = make_app(FixedFeed(config, source=Lagging("KRE", 2)), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        kre_day = app.latest.snapshot.symbols["KRE"].asof
        assert kre_day < DAY
        assert wl.get_cell("KRE", "state").plain == f"stale {kre_day:%m-%d}"
        assert wl.tone_of("KRE") == "stale"
        assert wl.tone_of("SPY") != "stale"
        assert not wl.get_cell("SPY", "state").plain.startswith("stale")


async def test_fallback_data_is_marked_in_the_strip_and_every_row():
    config = Config()
    app = make_app(FixedFeed(config, source=FromFallback()), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        assert "FALLBACK: Yahoo unreachable" in plain_strip(app)
        wl = table(app, "watchlist")
        assert all(wl.tone_of(s) == "stale" for s in config.watchlist)


async def test_the_strip_says_stale_when_refreshes_stop_arriving():
    clock = {"now": NOW}
    config = Config()
    app = BasewatchApp(config, lambda: FixedFeed(config, delay=60.0), auto_refresh=False,
                       now=lambda: clock["now"])
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        assert "STALE" not in plain_strip(app)
        assert app.stale_after == 2 * 60 + config.refresh.deadline
        clock["now"] = NOW + timedelta(seconds=app.stale_after + 1)
        app.screen.update_strip()
        await pilot.pause()
        assert "STALE since" in plain_strip(app)
        # the countdown follows the clock too: 16:30 + 166 s -> the open is 16h 58m away
        assert "opens 16h 58m" in plain_strip(app)


class AfterHours(SampleSource):
    """The bundled data up to DAY, served live at 17:10 New York with an after-hours trade in
    IWM and the feed's health as given."""

    def __init__(self, status: str = "live", note: str = "") -> None:
        self.status, self.note = status, note

    def fetch(self, symbols):
        from analysis.bars import upto
        from analysis.sources.quotes import ExtendedQuote

        got = super().fetch(symbols)
        bars = {s: upto(df, DAY) for s, df in got.bars.items()}
        close = float(bars["IWM"]["close"].iloc[-1])
        quote = ExtendedQuote("post", round(close * 1.004, 2), NOW + timedelta(minutes=40),
                              0.4, close)
        return dataclasses.replace(got, bars=bars, extended={"IWM": quote}, status=self.status,
                                   note=self.note, fallback=self.status != "live")


class LiveAt(FixedFeed):
    """Like FixedFeed but without an as-of date: the pipeline's live path at a fixed time."""

    def next(self, symbols):
        self.calls.append(tuple(symbols))
        return self.pipeline.refresh(symbols, now=NOW + timedelta(minutes=40))


async def test_after_hours_price_is_shown_and_marked():
    config = Config()
    app = make_app(LiveAt(config, source=AfterHours()), config)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        wl = table(app, "watchlist")
        quote = app.latest.snapshot.symbols["IWM"].extended
        assert quote is not None and quote.session == "post"
        assert wl.get_cell("IWM", "last").plain == f"{quote.price:,.2f}"
        assert wl.get_cell("IWM", "chg").plain == "AH+0.4%"
        spy = app.latest.snapshot.symbols["SPY"]
        assert wl.get_cell("SPY", "chg").plain == f"{spy.change_pct:+.1f}%"


async def test_an_offline_feed_says_so_in_the_strip_and_keeps_the_rows():
    config = Config()
    note = "offline since 10:42 — stored bars; Yahoo could not be reached"
    app = make_app(LiveAt(config, source=AfterHours("offline", note)), config)
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot, app)
        strip = plain_strip(app)
        assert "offline since 10:42 — stored bars" in strip
        assert "Yahoo could not be reached" not in strip  # the why stays out of the header
        wl = table(app, "watchlist")
        spy = app.latest.snapshot.symbols["SPY"]
        assert wl.get_cell("SPY", "last").plain == f"{spy.last:,.2f}"
        assert wl.tone_of("SPY") == "stale"
    app = make_app(LiveAt(config, source=AfterHours("offline", note)), config)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        first_line = plain_strip(app).splitlines()[0]
        # narrow: the short note beside the FOMC banner (the clock gives way on FOMC eve)
        assert "offline since 10:42" in first_line and "FOMC tomorrow" in first_line


async def test_replay_keys_step_pause_and_change_speed():
    config = Config()
    feed = ReplayFeed(Pipeline(config, SampleSource()), start=DAY, end=date(2025, 12, 12),
                      speed=0.25)
    app = make_app(feed, config, auto_refresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        assert app.feed_label.startswith("REPLAY 2025-12-09") and app.replaying
        await pilot.press("full_stop")
        await loaded(pilot, app, 2)
        assert app.latest.snapshot.asof == date(2025, 12, 10)
        assert "REPLAY 2025-12-10" in plain_strip(app)
        await pilot.press("plus")
        assert feed.speed == 0.5 and app._timer is not None
        await pilot.press("minus", "minus")
        assert feed.speed == 0.125
        await pilot.press("space")
        assert app.paused and app._timer is None and "PAUSED" in plain_strip(app)
        await pilot.press(*["plus"] * 7)  # 16 sessions/s: a tick every 62 ms, were it running
        assert feed.speed == 16 and app._timer is None
        applied, position = app.refreshes_applied, feed.position
        await pilot.pause(0.6)  # ~10 ticks: the clock stands still
        assert app.refreshes_applied == applied and feed.position == position
        assert app.latest.snapshot.asof == date(2025, 12, 10)
        await pilot.press("full_stop")  # steps while paused
        await loaded(pilot, app, 3)
        assert app.latest.snapshot.asof == date(2025, 12, 11) and app._timer is None
        await pilot.press("full_stop")
        await loaded(pilot, app, 4)
        assert feed.finished and "(end)" in app.feed_label
        await pilot.press("space")  # resuming at the end ticks once more, then stops
        await loaded(pilot, app, 5)
        assert app._timer is None and app.latest.snapshot.asof == date(2025, 12, 12)


async def test_replay_keys_do_nothing_on_a_live_feed():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        applied = app.refreshes_applied
        await pilot.press("full_stop", "plus")
        await pilot.pause(0.2)
        assert app.refreshes_applied == applied and not app.replaying


async def test_the_header_shows_the_replay_speed_achieved():
    """A replay asked for 64 sessions/s whose sessions take 0.1 s each (a fake clock): the
    header says 10.0x, and that 64x was asked."""
    now = [0.0]

    class SlowReplay(ReplayFeed):
        def next(self, symbols):
            now[0] += 0.1
            return super().next(symbols)

    config = Config()
    feed = SlowReplay(Pipeline(config, SampleSource()), start=date(2025, 11, 3),
                      end=date(2025, 12, 12), speed=64.0, clock=lambda: now[0])
    app = make_app(feed, config, auto_refresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app, 5)
        app.action_pause()
        await loaded(pilot, app, app.refreshes_applied)
        app.screen.update_strip()
        assert "10.0x (64x asked)" in app.feed_label
        assert "10.0x (64x asked)" in plain_strip(app).splitlines()[0]
